import "server-only";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import type { z } from "zod";
import { appendAudit, recordChange } from "@/lib/audit";
import { hasRole, type Role } from "@/lib/auth/roles";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

/**
 * Every mutation in Phoenix is a PhoenixAction: it declares the role it needs and its input schema,
 * and `runAction` is the only way to execute one. Authorization, validation and auditing therefore
 * happen by construction, whether the call comes from a server action or `POST /api/actions/:name`.
 */

export interface ChangeRecord {
  /** What is changed, e.g. `function:process-user-request:live` or `user:alice`. */
  target: string;
  before?: unknown;
}

export interface ActionContext {
  actor: SessionUser;
  requestId: string;
  /**
   * Wraps one side effect: writes the intent (with `before`) first, runs `perform`, then writes the
   * outcome with what `perform` returns as `after` — or the failure. A crash in between leaves an
   * intent without outcome, which the audit page shows as "unknown".
   */
  change<T>(record: ChangeRecord, perform: () => Promise<T>): Promise<T>;
}

export interface PhoenixAction<Schema extends z.ZodType, Result> {
  name: string;
  role: Role;
  description: string;
  input: Schema;
  run(input: z.output<Schema>, context: ActionContext): Promise<Result>;
}

export type ActionResult<Result> =
  | { ok: true; data: Result }
  | { ok: false; code: string; status: number; message: string; fieldErrors?: Record<string, string[]> };

export function defineAction<Schema extends z.ZodType, Result>(
  action: PhoenixAction<Schema, Result>,
): PhoenixAction<Schema, Result> {
  return action;
}

async function currentRequestId(): Promise<string> {
  try {
    const incoming = (await headers()).get("x-request-id");
    if (incoming && /^[\w-]{8,100}$/.test(incoming)) return incoming;
  } catch {
    // Outside a request (scripts, tests): fall through to a fresh id.
  }
  return randomUUID();
}

function failure(error: AppError): ActionResult<never> {
  return {
    ok: false,
    code: error.code,
    status: error.status,
    message: error.userMessage,
    ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
  };
}

/** Runs an action for the signed-in user: authenticate, authorize, validate, run, audit. */
export async function runAction<Schema extends z.ZodType, Result>(
  action: PhoenixAction<Schema, Result>,
  rawInput: unknown,
  actor?: SessionUser | null,
): Promise<ActionResult<Result>> {
  const user = actor === undefined ? await getSessionUser() : actor;
  const requestId = await currentRequestId();
  const db = await getDb();
  if (!user) return failure(new AppError("UNAUTHENTICATED", { userMessage: "Please sign in." }));

  const base = { requestId, actor: user.username, role: user.role, action: action.name };
  if (!hasRole(user.role, action.role)) {
    const message = `Refused: "${action.description}" needs the ${action.role} role; you are signed in as ${user.role}.`;
    await appendAudit(db, { ...base, input: rawInput, result: "denied", error: message });
    return failure(new AppError("FORBIDDEN", { userMessage: message }));
  }

  const parsed = action.input.safeParse(rawInput);
  if (!parsed.success) {
    const invalid = AppError.from(parsed.error);
    await appendAudit(db, { ...base, input: rawInput, result: "invalid", error: invalid.userMessage });
    return failure(invalid);
  }

  let changes = 0;
  const context: ActionContext = {
    actor: user,
    requestId,
    async change(record, perform) {
      changes += 1;
      try {
        return await recordChange(
          db,
          base,
          { ...record, input: parsed.data },
          perform,
          (error) => AppError.from(error).message,
        );
      } catch (error) {
        throw AppError.from(error);
      }
    },
  };

  try {
    const data = await action.run(parsed.data, context);
    if (changes === 0) {
      // An action that changed nothing through `change` is still recorded: nothing goes unaudited.
      await appendAudit(db, { ...base, input: parsed.data, after: data, result: "success" });
    }
    return { ok: true, data };
  } catch (error) {
    const appError = AppError.from(error);
    if (appError.code === "INTERNAL") console.error(`[action ${action.name}] request ${requestId}`, error);
    if (changes === 0) {
      await appendAudit(db, { ...base, input: parsed.data, result: "failure", error: appError.message });
    }
    return failure(appError);
  }
}
