import { z } from "zod";
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from "./memory";
import { STRATEGIES } from "./power-tuning";

/**
 * What a person asks of a tuning run, validated field by field (the form and `POST
 * /api/actions/power-tuning.start` share it). The form sends strings; the job receives the
 * normalized values.
 */

export const DEFAULT_MEMORY_VALUES = [128, 256, 512, 1024, 1536, 2048, 3008] as const;
export const DEFAULT_INVOCATIONS = 20;
/** The reference tool needs at least 5 per value; the ceiling keeps a run's bill and duration bounded. */
export const MIN_INVOCATIONS = 5;
export const MAX_INVOCATIONS = 1_000;
export const MAX_MEMORY_VALUES = 20;
/** Synchronous Invoke accepts at most 6 MB of payload (AWS_BEHAVIOUR.md §3.10). */
export const MAX_PAYLOAD_BYTES = 6_291_456;
export const MAX_PARALLEL = 10;
export const TUNING_ALIAS_PREFIX = "phoenix-tune-";

const functionNameSchema = z
  .string({ error: "Choose a function" })
  .trim()
  .min(1, "Choose a function")
  .max(64, "A function name has at most 64 characters")
  .regex(/^[a-zA-Z0-9_-]+$/, "Letters, digits, hyphens and underscores only");

const aliasSchema = z
  .string()
  .trim()
  .max(128, "At most 128 characters")
  .regex(/^(|(?!\d+$)[a-zA-Z0-9_-]+)$/, "An alias name: letters, digits, - and _, not only digits")
  .refine((value) => !value.startsWith(TUNING_ALIAS_PREFIX), "That is one of the run's temporary aliases");

/** "128, 256 512" → [128, 256, 512]; every value a whole number of MB within 128–10,240. */
const memoryValuesSchema = z.union([z.string(), z.array(z.number())]).transform((raw, ctx) => {
  const parts = Array.isArray(raw)
    ? raw.map(String)
    : raw
        .split(/[\s,;]+/)
        .map((part) => part.trim())
        .filter(Boolean);
  if (parts.length === 0) {
    ctx.addIssue({ code: "custom", message: "Enter at least one memory value" });
    return z.NEVER;
  }
  const values: number[] = [];
  for (const part of parts) {
    const value = Number(part.replace(/\s*MB$/i, ""));
    if (!Number.isInteger(value)) {
      ctx.addIssue({ code: "custom", message: `"${part.slice(0, 20)}" is not a whole number of MB` });
      return z.NEVER;
    }
    if (value < MIN_MEMORY_MB || value > MAX_MEMORY_MB) {
      ctx.addIssue({
        code: "custom",
        message: `${value.toLocaleString("en-US")} MB is outside 128–10,240 MB`,
      });
      return z.NEVER;
    }
    values.push(value);
  }
  const unique = [...new Set(values)].sort((a, b) => a - b);
  if (unique.length > MAX_MEMORY_VALUES) {
    ctx.addIssue({ code: "custom", message: `At most ${MAX_MEMORY_VALUES} memory values per run` });
    return z.NEVER;
  }
  return unique;
});

const booleanField = z
  .union([z.boolean(), z.enum(["true", "false", "on", "off", ""])])
  .optional()
  .transform((value) => value === true || value === "true" || value === "on");

const numberField = (message: string) =>
  z.union([z.number(), z.string().trim().min(1, message)]).transform((value, ctx) => {
    const number = typeof value === "number" ? value : Number(value);
    if (!Number.isFinite(number)) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return number;
  });

export interface TuningPayload {
  /** The JSON document, as text (exactly what is sent). */
  json: string;
  weight: number;
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * The payload field: one JSON document, or (weighted) a JSON array of `{ "payload": …, "weight": n }`.
 * Each document must fit the 6 MB synchronous Invoke limit; weights are ≥ 0 and not all 0.
 */
function parsePayloads(raw: string, weighted: boolean, ctx: z.RefinementCtx): TuningPayload[] | undefined {
  const issue = (message: string) => {
    ctx.addIssue({ code: "custom", path: ["payload"], message });
    return undefined;
  };
  const text = raw.trim() === "" ? "{}" : raw;
  if (byteLength(text) > MAX_PAYLOAD_BYTES * (weighted ? MAX_MEMORY_VALUES : 1)) {
    return issue(`The payload is ${(byteLength(text) / 1_048_576).toFixed(1)} MB; Lambda accepts at most 6 MB`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return issue(`Not valid JSON: ${error instanceof Error ? error.message : "could not parse"}`);
  }
  if (!weighted) {
    const json = JSON.stringify(parsed);
    if (byteLength(json) > MAX_PAYLOAD_BYTES) {
      return issue(`The payload is ${(byteLength(json) / 1_048_576).toFixed(1)} MB; Lambda accepts at most 6 MB`);
    }
    return [{ json, weight: 1 }];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    return issue('Weighted payloads are a JSON array of {"payload": …, "weight": n}');
  }
  const payloads: TuningPayload[] = [];
  for (const [index, entry] of parsed.entries()) {
    const item = entry as { payload?: unknown; weight?: unknown };
    if (typeof entry !== "object" || entry === null || !("payload" in item)) {
      return issue(`Item ${index + 1} needs a "payload"`);
    }
    if (typeof item.weight !== "number" || !Number.isFinite(item.weight)) {
      return issue(`Item ${index + 1} needs a numeric "weight"`);
    }
    if (item.weight < 0) return issue(`Item ${index + 1} has a negative weight`);
    const json = JSON.stringify(item.payload);
    if (byteLength(json) > MAX_PAYLOAD_BYTES) {
      return issue(`Payload ${index + 1} is over 6 MB, the synchronous Invoke limit`);
    }
    payloads.push({ json, weight: item.weight });
  }
  if (payloads.reduce((sum, payload) => sum + payload.weight, 0) <= 0) {
    return issue("The weights add up to 0: give at least one payload a positive weight");
  }
  return payloads;
}

/** The tuning form (strings) or an API body (numbers and booleans also accepted). */
export const tuningRequestSchema = z
  .object({
    functionName: functionNameSchema,
    qualifier: aliasSchema.optional().default(""),
    memoryValues: memoryValuesSchema.optional().default([...DEFAULT_MEMORY_VALUES]),
    invocations: numberField("Enter how many invocations per memory value")
      .pipe(
        z
          .number()
          .int("A whole number")
          .min(MIN_INVOCATIONS, `At least ${MIN_INVOCATIONS} per memory value`)
          .max(MAX_INVOCATIONS, `At most ${MAX_INVOCATIONS.toLocaleString("en-US")} per memory value`),
      )
      .optional()
      .default(DEFAULT_INVOCATIONS),
    payload: z
      .string()
      .max(MAX_PAYLOAD_BYTES * 2, "The payload is over 6 MB, the synchronous Invoke limit")
      .default("{}"),
    weightedPayloads: booleanField,
    parallel: booleanField,
    coldStarts: booleanField,
    strategy: z.enum(STRATEGIES, { error: "Choose cost, speed or balanced" }).default("cost"),
    balancedWeight: numberField("Enter a weight between 0 and 1")
      .pipe(z.number().min(0, "Between 0 and 1").max(1, "Between 0 and 1"))
      .optional()
      .default(0.5),
    trimFraction: numberField("Enter a fraction between 0 and 0.4")
      .pipe(z.number().min(0, "Between 0 and 0.4").max(0.4, "Between 0 and 0.4"))
      .optional()
      .default(0.2),
  })
  .transform((input, ctx) => {
    const payloads = parsePayloads(input.payload, input.weightedPayloads, ctx);
    if (!payloads) return z.NEVER;
    return {
      functionName: input.functionName,
      qualifier: input.qualifier,
      memoryValues: input.memoryValues,
      invocations: input.invocations,
      payloads,
      parallel: input.parallel,
      coldStarts: input.coldStarts,
      strategy: input.strategy,
      balancedWeight: input.balancedWeight,
      trimFraction: input.trimFraction,
    };
  });

export type TuningRequest = z.output<typeof tuningRequestSchema>;

/** What the job stores and receives: the normalized request. */
export const tuningJobInputSchema = z.object({
  runId: z.uuid(),
  functionName: functionNameSchema,
  qualifier: z.string(),
  memoryValues: z.array(z.number().int().min(MIN_MEMORY_MB).max(MAX_MEMORY_MB)).min(1).max(MAX_MEMORY_VALUES),
  invocations: z.number().int().min(MIN_INVOCATIONS).max(MAX_INVOCATIONS),
  payloads: z.array(z.object({ json: z.string(), weight: z.number().min(0) })).min(1),
  parallel: z.boolean(),
  coldStarts: z.boolean(),
  strategy: z.enum(STRATEGIES),
  balancedWeight: z.number().min(0).max(1),
  trimFraction: z.number().min(0).max(0.4),
});
export type TuningJobInput = z.output<typeof tuningJobInputSchema>;
