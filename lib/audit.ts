import { type Kysely, sql } from "kysely";
import { z } from "zod";
import type { AuditResult, Database } from "@/lib/db/schema";

/**
 * The append-only audit log (the database refuses UPDATE and DELETE on it). A change is written as
 * an `intent` row before the side effect and an outcome row (`success`/`failure`) after it, pointing
 * back at the intent: a crash in between leaves an intent without an outcome, shown as "unknown",
 * never as a false success.
 */

export interface AuditEntryInput {
  requestId: string;
  actor: string;
  role: string;
  action: string;
  target?: string | null;
  input?: unknown;
  before?: unknown;
  after?: unknown;
  result: AuditResult;
  error?: string | null;
  intentId?: number | null;
}

const secretKey = /pass(word)?|secret|token|credential/i;

/** Replaces the values of secret-looking keys at any depth, so audit rows never hold a credential. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, secretKey.test(key) ? "[redacted]" : redactSecrets(inner)]),
    );
  }
  return value;
}

// Inputs are capped so a hostile payload cannot bloat the log; the cap is marked, not silent.
const maxJsonLength = 20_000;

function toJson(value: unknown): string | null {
  if (value === undefined) return null;
  const json = JSON.stringify(redactSecrets(value));
  return json.length > maxJsonLength ? `${json.slice(0, maxJsonLength)}…[truncated]` : json;
}

export async function appendAudit(db: Kysely<Database>, entry: AuditEntryInput, at = new Date()): Promise<number> {
  const row = await db
    .insertInto("audit_log")
    .values({
      at: at.toISOString(),
      request_id: entry.requestId,
      actor: entry.actor,
      role: entry.role,
      action: entry.action,
      target: entry.target ?? null,
      input: toJson(entry.input),
      before: toJson(entry.before),
      after: toJson(entry.after),
      result: entry.result,
      error: entry.error ?? null,
      intent_id: entry.intentId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Who is acting, for a series of audit rows. */
export type AuditActor = Pick<AuditEntryInput, "requestId" | "actor" | "role" | "action">;

/**
 * Wraps one side effect: the intent (with `before`) is written first, then `perform` runs, then the
 * outcome with what `perform` returned as `after` — or the failure, and the error is rethrown. Used
 * by actions, jobs and the command line alike.
 */
export async function recordChange<T>(
  db: Kysely<Database>,
  actor: AuditActor,
  change: { target: string; input?: unknown; before?: unknown },
  perform: () => Promise<T>,
  describeError: (error: unknown) => string = (error) => (error instanceof Error ? error.message : String(error)),
): Promise<T> {
  const intentId = await appendAudit(db, { ...actor, ...change, result: "intent" });
  try {
    const after = await perform();
    await appendAudit(db, { ...actor, target: change.target, after, result: "success", intentId });
    return after;
  } catch (error) {
    await appendAudit(db, {
      ...actor,
      target: change.target,
      result: "failure",
      error: describeError(error),
      intentId,
    });
    throw error;
  }
}

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const auditFilterSchema = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(200).optional(),
  target: z.string().trim().max(500).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Keyset pagination: rows with a smaller id than this. */
  before: z.coerce.number().int().positive().optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export type AuditOutcome = "success" | "failure" | "denied" | "invalid" | "unknown";

/** One operation as a person reads it: the intent merged with its outcome. */
export interface AuditEntry {
  id: number;
  at: string;
  requestId: string;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  input: string | null;
  before: string | null;
  after: string | null;
  outcome: AuditOutcome;
  error: string | null;
  completedAt: string | null;
}

/** Lists operations, newest first, with intents merged with their outcomes. */
export async function queryAudit(db: Kysely<Database>, filter: AuditFilter, limit: number): Promise<AuditEntry[]> {
  let query = db
    .selectFrom("audit_log as a")
    .leftJoin("audit_log as o", "o.intent_id", "a.id")
    .where("a.intent_id", "is", null)
    .select([
      "a.id",
      "a.at",
      "a.request_id",
      "a.actor",
      "a.role",
      "a.action",
      "a.target",
      "a.input",
      "a.before",
      "a.after",
      "a.result",
      "a.error",
      "o.result as outcome_result",
      "o.after as outcome_after",
      "o.error as outcome_error",
      "o.at as outcome_at",
    ]);
  if (filter.actor) query = query.where("a.actor", "=", filter.actor);
  if (filter.action) query = query.where("a.action", "=", filter.action);
  if (filter.target) {
    const pattern = `%${escapeLike(filter.target)}%`;
    query = query.where(sql<boolean>`a.target like ${pattern} escape '\\'`);
  }
  if (filter.from) query = query.where("a.at", ">=", new Date(filter.from).toISOString());
  if (filter.to) query = query.where("a.at", "<=", endOfDayIfDate(filter.to));
  if (filter.before) query = query.where("a.id", "<", filter.before);
  const rows = await query.orderBy("a.id", "desc").limit(limit).execute();
  return rows.map((row) => ({
    id: Number(row.id),
    at: row.at,
    requestId: row.request_id,
    actor: row.actor,
    role: row.role,
    action: row.action,
    target: row.target,
    input: row.input,
    before: row.before,
    after: row.outcome_after ?? row.after,
    outcome: row.result === "intent" ? ((row.outcome_result as AuditOutcome | null) ?? "unknown") : row.result,
    error: row.outcome_error ?? row.error,
    completedAt: row.outcome_at,
  }));
}

/** Distinct actors and actions, for the filter pickers. */
export async function auditFacets(db: Kysely<Database>): Promise<{ actors: string[]; actions: string[] }> {
  const [actors, actions] = await Promise.all([
    db.selectFrom("audit_log").select("actor").distinct().orderBy("actor").limit(500).execute(),
    db.selectFrom("audit_log").select("action").distinct().orderBy("action").limit(500).execute(),
  ]);
  return { actors: actors.map((row) => row.actor), actions: actions.map((row) => row.action) };
}

function escapeLike(value: string): string {
  return value.replace(/[%_\\]/g, (char) => `\\${char}`);
}

function endOfDayIfDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : new Date(value).toISOString();
}
