import { z } from "zod";
import { zonedWallTimeToUtc } from "./periods";
import { buildCron, isIanaTimeZone, parseSchedule, WEEKDAYS, type Weekday } from "./schedule";
import { templateStages } from "./schedule-template";

/**
 * Input schemas of the provisioned-concurrency controls, shared by server actions and the JSON API.
 * Every field gets its own message; nothing here calls AWS.
 */

/** Lambda function names (a bare name: what the API accepts, at most 64 characters). */
export const functionNameSchema = z
  .string({ error: "Choose a function" })
  .trim()
  .min(1, "Choose a function")
  .max(64, "Function names are at most 64 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Function names use letters, digits, - and _ only");

/** Alias names as Lambda checks them: 1–128 of [A-Za-z0-9-_], not all digits. */
export const aliasSchema = z
  .string({ error: "Choose an alias" })
  .trim()
  .min(1, "Choose an alias")
  .max(128, "Alias names are at most 128 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "Alias names use letters, digits, - and _ only")
  .refine((value) => !/^\d+$/.test(value), "An alias name cannot be all digits (that would be a version)");

/** Scheduled action names as Application Auto Scaling checks them. */
export const actionNameSchema = z
  .string({ error: "Enter a name" })
  .min(1, "Enter a name")
  .max(256, "Names are at most 256 characters")
  .refine((value) => !/[:/|]/.test(value), "Names cannot contain : / or |")
  .refine((value) => value.trim() === value, "Names cannot start or end with a space")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what AWS refuses
  .refine((value) => !/[\u0000-\u001f\u007f-\u009f]/.test(value), "Names cannot contain control characters");

export const MAX_CAPACITY = 10_000;

/** A number from a form ("5") or JSON (5); empty means "not given"; anything else is NaN (refused). */
function toNumber(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (trimmed === "") return undefined;
    return /^-?\d+(\.\d+)?(e\d+)?$/i.test(trimmed) ? Number(trimmed) : Number.NaN;
  }
  return value;
}

const capacityNumber = z
  .number({ error: "Enter a whole number" })
  .int("Capacity is a whole number of execution environments")
  .min(0, "Capacity cannot be negative")
  .max(MAX_CAPACITY, `At most ${MAX_CAPACITY.toLocaleString("en-US")}`);

export const capacitySchema = z.preprocess(toNumber, capacityNumber.optional());

export const timeZoneSchema = z
  .string({ error: "Choose a time zone" })
  .trim()
  .min(1, "Choose a time zone")
  .refine(isIanaTimeZone, "Not an IANA time zone: use a name like America/New_York or UTC");

const boolInput = z.union([z.boolean(), z.enum(["true", "false", "on"]).transform((value) => value !== "false")]);

/** `MON,TUE` from a form, or ["MON","TUE"] from JSON. */
const daysInput = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",").filter(Boolean) : value),
  z.array(z.string()).optional(),
);

/** Create or edit one scheduled action, from the builder (days + time) or a raw expression. */
export const scheduledActionInputSchema = z
  .object({
    functionName: functionNameSchema,
    alias: aliasSchema,
    name: actionNameSchema,
    mode: z.enum(["builder", "raw"], { error: "Choose the builder or a raw expression" }).default("raw"),
    days: daysInput,
    time: z.string().optional(),
    expression: z.string().optional(),
    timeZone: timeZoneSchema,
    minCapacity: capacitySchema,
    maxCapacity: capacitySchema,
    /** Optional window, as datetime-local values in the action's time zone. */
    startTime: z.string().optional(),
    endTime: z.string().optional(),
    /** "create" refuses an existing name; "edit" refuses a changed or missing action. */
    operation: z.enum(["create", "edit"], { error: "Choose create or edit" }).default("create"),
    /** What the editor was showing (edit): the fingerprint of the action as loaded. */
    expectedFingerprint: z.string().max(200).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.mode === "builder") {
      const days = input.days ?? [];
      const unknown = days.filter((day) => !WEEKDAYS.includes(day as Weekday));
      if (unknown.length > 0)
        ctx.addIssue({ code: "custom", path: ["days"], message: `Unknown day ${unknown.join(", ")}` });
      else if (days.length === 0) ctx.addIssue({ code: "custom", path: ["days"], message: "Choose at least one day" });
      if (
        !/^\d{2}:\d{2}$/.test(input.time ?? "") ||
        Number(input.time?.slice(0, 2)) > 23 ||
        Number(input.time?.slice(3)) > 59
      ) {
        ctx.addIssue({ code: "custom", path: ["time"], message: "Enter a time as HH:MM (00:00–23:59)" });
      }
    } else {
      const parsed = parseSchedule(input.expression ?? "");
      if (!parsed.ok) ctx.addIssue({ code: "custom", path: ["expression"], message: parsed.message });
    }
    if (input.minCapacity === undefined && input.maxCapacity === undefined) {
      ctx.addIssue({ code: "custom", path: ["minCapacity"], message: "Give a minimum, a maximum or both" });
    }
    if (input.minCapacity !== undefined && input.maxCapacity !== undefined && input.maxCapacity < input.minCapacity) {
      ctx.addIssue({ code: "custom", path: ["maxCapacity"], message: "The maximum must be at least the minimum" });
    }
    const zoneOk = isIanaTimeZone(input.timeZone);
    for (const field of ["startTime", "endTime"] as const) {
      const value = input[field];
      if (value && zoneOk && zonedWallTimeToUtc(value, input.timeZone) === undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: "Enter a date and time as YYYY-MM-DDTHH:MM" });
      }
    }
    if (input.startTime && input.endTime && zoneOk) {
      const start = zonedWallTimeToUtc(input.startTime, input.timeZone);
      const end = zonedWallTimeToUtc(input.endTime, input.timeZone);
      if (start !== undefined && end !== undefined && end <= start) {
        ctx.addIssue({ code: "custom", path: ["endTime"], message: "The end must be after the start" });
      }
    }
  })
  .transform((input) => {
    const schedule =
      input.mode === "builder"
        ? (buildCron((input.days ?? []) as Weekday[], input.time ?? "").expression as string)
        : (input.expression as string);
    const startTimeMs = input.startTime ? zonedWallTimeToUtc(input.startTime, input.timeZone) : undefined;
    const endTimeMs = input.endTime ? zonedWallTimeToUtc(input.endTime, input.timeZone) : undefined;
    return {
      functionName: input.functionName,
      alias: input.alias,
      name: input.name,
      schedule,
      timeZone: input.timeZone,
      ...(input.minCapacity !== undefined ? { minCapacity: input.minCapacity } : {}),
      ...(input.maxCapacity !== undefined ? { maxCapacity: input.maxCapacity } : {}),
      ...(startTimeMs !== undefined ? { startTimeMs } : {}),
      ...(endTimeMs !== undefined ? { endTimeMs } : {}),
      operation: input.operation,
      ...(input.expectedFingerprint ? { expectedFingerprint: input.expectedFingerprint } : {}),
    };
  });
export type ScheduledActionInput = z.output<typeof scheduledActionInputSchema>;

export const deleteScheduledActionSchema = z.object({
  functionName: functionNameSchema,
  alias: aliasSchema,
  name: actionNameSchema,
  expectedFingerprint: z.string().max(200).optional(),
});

export const applyTemplateSchema = z.object({
  functionName: functionNameSchema,
  alias: aliasSchema,
  stage: z
    .enum(templateStages as [string, ...string[]], { error: "Choose staging or production" })
    .default("production"),
  weekendZero: boolInput.default(false),
});

export const staticPcSchema = z.object({
  functionName: functionNameSchema,
  alias: aliasSchema,
  level: z.preprocess(
    toNumber,
    z
      .number({ error: "Enter a whole number" })
      .int("Provisioned concurrency is a whole number of execution environments")
      .min(1, "Provisioned concurrency must be at least 1; to have none, remove it (or schedule a capacity of 0)")
      .max(MAX_CAPACITY, `At most ${MAX_CAPACITY.toLocaleString("en-US")}`),
  ),
  /** The alias revision the operator saw (the alias must not have moved since). */
  aliasRevisionId: z.string().max(64).optional(),
});

export const removePcSchema = z.object({
  functionName: functionNameSchema,
  alias: aliasSchema,
  aliasRevisionId: z.string().max(64).optional(),
});

export const publishAndRepointSchema = z.object({
  functionName: functionNameSchema,
  alias: aliasSchema,
  revisionId: z.string().min(1, "Reload the page: the function's revision is missing").max(64),
  aliasRevisionId: z.string().max(64).optional(),
});

/** Fingerprint of a scheduled action as shown: edits and deletes refuse a changed action. */
export function actionFingerprint(action: {
  schedule: string;
  timeZone?: string;
  minCapacity?: number;
  maxCapacity?: number;
  startTimeMs?: number;
  endTimeMs?: number;
}): string {
  return [
    action.schedule,
    action.timeZone ?? "UTC",
    action.minCapacity ?? "",
    action.maxCapacity ?? "",
    action.startTimeMs ?? "",
    action.endTimeMs ?? "",
  ].join("|");
}
