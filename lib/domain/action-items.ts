import { z } from "zod";
import type { CheckResult, Verification, VerificationKind } from "./verification";
import { functionNameSchema } from "./verification";

/**
 * Action items: input rules shared by the forms and the actions, dependency warnings, and how an
 * item's status and its check read together ("marked done, check fails", "check passes — close it?").
 */

export const actionItemStatuses = ["todo", "in_progress", "blocked", "done"] as const;
export type ActionItemStatus = (typeof actionItemStatuses)[number];
export const statusLabels: Record<ActionItemStatus, string> = {
  todo: "To do",
  in_progress: "In progress",
  blocked: "Blocked",
  done: "Done",
};

export const MAX_NOTES = 5_000;
export const MAX_COMMENT = 2_000;

const optionalDate = z
  .string()
  .trim()
  .refine((value) => value === "" || (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))), {
    message: "A date as YYYY-MM-DD",
  })
  .transform((value) => (value === "" ? null : value));

/** "a, b c" or ["a", "b"] → unique names (validated one by one; unknown ones are refused later, against AWS). */
export const functionListSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(/[\s,]+/)))
  .transform((names) => [...new Set(names.map((name) => name.trim()).filter(Boolean))])
  .pipe(z.array(functionNameSchema).max(50, "At most 50 functions"));

const idListSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(",")))
  .transform((ids) => [...new Set(ids.map((id) => id.trim()).filter(Boolean))])
  .pipe(z.array(z.string().max(64)).max(20));

export const checkKindSchema = z.enum([
  "none",
  "package-size",
  "rds-proxy",
  "memory-tuned",
  "redis-cache",
  "runtime",
  "pc-schedule",
]);

export const actionItemFieldsSchema = z.object({
  title: z.string().trim().min(1, "Give the item a title").max(200, "At most 200 characters"),
  owner: z.string().trim().min(1, "Who owns it? A Phoenix user or a name").max(100, "At most 100 characters"),
  dueDate: optionalDate.default(""),
  notes: z
    .string()
    .max(MAX_NOTES, `Notes are at most ${MAX_NOTES.toLocaleString("en-US")} characters`)
    .default(""),
  functions: functionListSchema.default([]),
  dependsOn: idListSchema.default([]),
  checkKind: checkKindSchema.default("none"),
  /** The check's function (defaults to the first linked function). */
  checkFunction: z.string().trim().max(64).default(""),
  /** package-size: the threshold in MB. */
  checkThresholdMb: z
    .string()
    .trim()
    .default("")
    .refine((value) => value === "" || (Number(value) > 0 && Number(value) <= 300), "Between 0 and 300 MB"),
});
export type ActionItemFields = z.output<typeof actionItemFieldsSchema>;

export const idSchema = z.string().trim().min(1, "Which item?").max(64);

export const updateActionItemSchema = actionItemFieldsSchema.extend({ id: idSchema });
export const setStatusSchema = z.object({
  id: idSchema,
  status: z.enum(actionItemStatuses, { error: "Status must be to do, in progress, blocked or done" }),
});
export const commentSchema = z.object({
  id: idSchema,
  body: z
    .string()
    .trim()
    .min(1, "Write something")
    .max(MAX_COMMENT, `Comments are at most ${MAX_COMMENT.toLocaleString("en-US")} characters`),
});
export const moveSchema = z.object({ id: idSchema, direction: z.enum(["up", "down"]) });

/** The check an item's form describes, with the parameters Phoenix's seeded items use by default. */
export function verificationFromFields(fields: ActionItemFields): Verification | null {
  const functionName = fields.checkFunction || fields.functions[0] || "";
  const kind: VerificationKind | "none" = fields.checkKind;
  switch (kind) {
    case "none":
      return null;
    case "package-size":
      return { kind, functionName, maxMb: fields.checkThresholdMb ? Number(fields.checkThresholdMb) : 10 };
    case "rds-proxy":
      return { kind, functionName, variable: "DB_HOST" };
    case "memory-tuned":
      return { kind, functionName, qualifier: "live" };
    case "redis-cache":
      return { kind, functionName, variable: "CACHE_URL", hitsLookbackHours: 24 };
    case "runtime":
      return { kind, functions: fields.functions, forbidden: ["python3.9"], minimum: "python3.11" };
    case "pc-schedule":
      return { kind, functionName, qualifier: "live", stage: "the AWS account Phoenix reads" };
  }
}

export interface Dependency {
  itemId: string;
  /** Why the order matters, shown when it is not respected. */
  reason: string;
}

export interface DependencyView {
  itemId: string;
  position: number;
  title: string;
  status: ActionItemStatus;
  reason: string;
}

/** Warnings for an item that started (or finished) before what it depends on was done. */
export function dependencyWarnings(status: ActionItemStatus, dependencies: readonly DependencyView[]): string[] {
  if (status === "todo") return [];
  return dependencies
    .filter((dependency) => dependency.status !== "done")
    .map(
      (dependency) =>
        `${status === "done" ? "Done" : "Started"} before item ${dependency.position} “${dependency.title}” is done: ${dependency.reason}`,
    );
}

export type VerdictTone = "ok" | "danger" | "warn" | "muted";

export interface Verdict {
  tone: VerdictTone;
  label: string;
  /** The check passes but nobody marked the item done: offer to close it. */
  offerClose: boolean;
}

/** How an item's status and its check's result read together. */
export function verdictFor(status: ActionItemStatus, result: CheckResult | null): Verdict {
  if (!result) return { tone: "muted", label: "No check", offerClose: false };
  const done = status === "done";
  switch (result.outcome) {
    case "pass":
      return done
        ? { tone: "ok", label: `Done and verified: ${result.summary}`, offerClose: false }
        : { tone: "ok", label: `Check passes — close it? ${result.summary}`, offerClose: true };
    case "fail":
      return done
        ? { tone: "danger", label: `Marked done, check fails: ${result.summary}`, offerClose: false }
        : { tone: "muted", label: `Check not passing yet: ${result.summary}`, offerClose: false };
    case "unverified":
      return {
        tone: "warn",
        label: `${done ? "Marked done, partly verified" : "Partly verified"}: ${result.summary}`,
        offerClose: false,
      };
    case "pending":
      return { tone: done ? "warn" : "muted", label: `Check waiting: ${result.summary}`, offerClose: false };
    case "error":
      return { tone: "warn", label: `Could not check: ${result.summary}`, offerClose: false };
  }
}

/** Moves `id` one place up or down; returns the new order of ids (unchanged at the edges). */
export function moveInOrder(ids: readonly string[], id: string, direction: "up" | "down"): string[] {
  const order = [...ids];
  const index = order.indexOf(id);
  const target = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= order.length) return order;
  [order[index], order[target]] = [order[target] as string, order[index] as string];
  return order;
}
