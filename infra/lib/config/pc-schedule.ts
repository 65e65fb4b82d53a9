/**
 * The provisioned-concurrency (PC) schedule: one JSON file (`infra/config/pc-schedule.json`)
 * that the CDK app deploys and the Phoenix dashboard's schedule templates read.
 *
 * This module is deliberately free of CDK imports (zod only) so the dashboard can import the
 * schema and the cron checks without pulling in aws-cdk-lib.
 *
 * Rules encoded here come from Application Auto Scaling (see shared/AWS_BEHAVIOUR.md §4.4):
 * six-field cron, `?` in day-of-month or day-of-week, IANA time zone names, action names of
 * 1–256 characters without `:`, `/` or `|`, unique per scalable target, min ≤ max.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

/** Stages the app knows; staging is always deployed and verified first. */
export const STAGE_NAMES = ["staging", "production"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

// Lambda allows PC from 0 (through AAS only) up to the account's unreserved concurrency; 3,000 is
// a sanity bound that catches a typo such as 5000 for 50 without pretending to know the quota.
const MAX_REASONABLE_CAPACITY = 3000;

const CRON_WRAPPER = /^cron\((.*)\)$/;

// Allowed characters per field, after AWS's cron syntax: numbers, names, ranges, lists, steps,
// wildcards, and the day-of-month/day-of-week specials (L, W, #, ?).
const CRON_FIELD_PATTERNS: readonly { name: string; pattern: RegExp }[] = [
  { name: "minutes", pattern: /^(\*|[0-9]{1,2}([-,/][0-9]{1,2})*)(\/[0-9]{1,2})?$/ },
  { name: "hours", pattern: /^(\*|[0-9]{1,2}([-,/][0-9]{1,2})*)(\/[0-9]{1,2})?$/ },
  { name: "day-of-month", pattern: /^(\?|\*|L|[0-9]{1,2}W?([-,/][0-9]{1,2})*)(\/[0-9]{1,2})?$/ },
  { name: "month", pattern: /^(\*|([0-9]{1,2}|[A-Z]{3})([-,/]([0-9]{1,2}|[A-Z]{3}))*)(\/[0-9]{1,2})?$/ },
  { name: "day-of-week", pattern: /^(\?|\*|([1-7]|[A-Z]{3})(L|#[1-5])?([-,]([1-7]|[A-Z]{3}))*)(\/[0-9])?$/ },
  { name: "year", pattern: /^(\*|[0-9]{4}([-,/][0-9]{1,4})*)$/ },
];

/**
 * Checks a six-field AAS cron expression and returns the problems found (empty when valid).
 * It checks shape, per-field syntax, the `?` rule and numeric bounds of plain minute/hour
 * values; it does not try to be a full cron parser.
 */
export function findCronProblems(expression: string): string[] {
  const wrapped = CRON_WRAPPER.exec(expression);
  if (!wrapped) {
    return [`"${expression}" must look like cron(minutes hours day-of-month month day-of-week year)`];
  }
  const body = wrapped[1] ?? "";
  if (body.includes("(") || body.includes(")")) {
    // The public PC-autoscaling example shipped "cron(... *))"; catch stray parentheses.
    return [`"${expression}" has unbalanced parentheses`];
  }
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return [`"${expression}" has ${fields.length} fields; Application Auto Scaling cron needs six`];
  }
  const problems: string[] = [];
  fields.forEach((field, index) => {
    const rule = CRON_FIELD_PATTERNS[index];
    if (rule && !rule.pattern.test(field)) {
      problems.push(`${rule.name} field "${field}" is not valid cron syntax`);
    }
  });
  const [minutes, hours, dayOfMonth, , dayOfWeek] = fields;
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    problems.push("exactly one of day-of-month and day-of-week must be '?'");
  }
  for (const [label, value, max] of [
    ["minutes", minutes, 59],
    ["hours", hours, 23],
  ] as const) {
    for (const number of (value ?? "").split(/[-,/]/)) {
      if (/^[0-9]+$/.test(number) && Number(number) > max) {
        problems.push(`${label} value ${number} is above ${max}`);
      }
    }
  }
  return problems;
}

/** True when the runtime's ICU knows the zone, which is how AAS names are spelled (IANA). */
export function isIanaTimeZone(timeZone: string): boolean {
  if (timeZone.trim() !== timeZone || timeZone.length === 0) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const capacitySchema = z.int().min(0).max(MAX_REASONABLE_CAPACITY);

const capacityRangeSchema = z
  .object({ minCapacity: capacitySchema, maxCapacity: capacitySchema })
  .refine((range) => range.minCapacity <= range.maxCapacity, {
    message: "minCapacity must not exceed maxCapacity",
  });

export const scheduledActionSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[^:/|\s](?:[^:/|]*[^:/|\s])?$/, "name must not contain ':', '/', '|' or leading/trailing spaces"),
    schedule: z.string().superRefine((expression, context) => {
      for (const problem of findCronProblems(expression)) {
        context.addIssue({ code: "custom", message: problem });
      }
    }),
    minCapacity: capacitySchema,
    maxCapacity: capacitySchema,
  })
  .refine((action) => action.minCapacity <= action.maxCapacity, {
    message: "minCapacity must not exceed maxCapacity",
  });

export const stageScheduleSchema = z
  .object({
    registration: capacityRangeSchema,
    scheduledActions: z.array(scheduledActionSchema).min(1).max(200),
  })
  .superRefine((stage, context) => {
    const seen = new Set<string>();
    stage.scheduledActions.forEach((action, index) => {
      if (seen.has(action.name)) {
        context.addIssue({
          code: "custom",
          path: ["scheduledActions", index, "name"],
          message: `duplicate scheduled action name "${action.name}"`,
        });
      }
      seen.add(action.name);
    });
  });

export const pcScheduleSchema = z.object({
  description: z.string().optional(),
  functionName: z.string().min(1),
  aliasName: z
    .string()
    .min(1)
    .refine((alias) => alias !== "$LATEST", "PC lives on an alias or version, never $LATEST"),
  timeZone: z.string().refine(isIanaTimeZone, "timeZone must be an IANA time zone name such as Europe/Berlin"),
  stages: z.object({ staging: stageScheduleSchema, production: stageScheduleSchema }),
});

export type PcSchedule = z.infer<typeof pcScheduleSchema>;
export type StageSchedule = z.infer<typeof stageScheduleSchema>;
export type ScheduledAction = z.infer<typeof scheduledActionSchema>;

/** Default location, relative to this file: `infra/config/pc-schedule.json`. */
export const PC_SCHEDULE_PATH = new URL("../../config/pc-schedule.json", import.meta.url);

/** Parses and validates a PC schedule document; throws with every problem listed. */
export function parsePcSchedule(document: unknown): PcSchedule {
  const result = pcScheduleSchema.safeParse(document);
  if (!result.success) {
    throw new Error(`Invalid PC schedule:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Reads and validates `infra/config/pc-schedule.json` (or another path, for tests). */
export function loadPcSchedule(path: string | URL = PC_SCHEDULE_PATH): PcSchedule {
  return parsePcSchedule(JSON.parse(readFileSync(path, "utf8")));
}
