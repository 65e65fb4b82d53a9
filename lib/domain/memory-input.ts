import { z } from "zod";
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from "./memory";
import { RUNTIMES } from "./runtimes";
import { aliasSchema, functionNameSchema } from "./schedule-input";

/** Input schemas of the memory and runtime controls (configuration page and bulk upgrade). */

const runtimeIds = RUNTIMES.map((runtime) => runtime.id);

export const runtimeSchema = z
  .string({ error: "Choose a runtime" })
  .trim()
  .refine((value) => runtimeIds.includes(value), "Unknown runtime: choose one from the list");

const memorySchema = z.preprocess(
  (value) => {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") {
      const trimmed = value.trim().replaceAll(",", "");
      if (trimmed === "") return undefined;
      return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    }
    return value;
  },
  z
    .number({ error: "Enter the memory in MB" })
    .refine((value) => Number.isFinite(value), "Enter the memory in MB")
    .refine((value) => Number.isInteger(value), "Memory is set in whole megabytes")
    .refine((value) => value >= MIN_MEMORY_MB, `At least ${MIN_MEMORY_MB} MB`)
    .refine((value) => value <= MAX_MEMORY_MB, `At most ${MAX_MEMORY_MB.toLocaleString("en-US")} MB`)
    .optional(),
);

const boolInput = z.union([z.boolean(), z.enum(["true", "false", "on"]).transform((value) => value !== "false")]);

/** Change memory and/or runtime of $LATEST (with the RevisionId shown), then publish and move the alias. */
export const configurationChangeSchema = z
  .object({
    functionName: functionNameSchema,
    memoryMb: memorySchema,
    runtime: runtimeSchema.optional().or(z.literal("").transform(() => undefined)),
    revisionId: z
      .string({ error: "Reload the page: the function's revision is missing" })
      .min(1, "Reload the page: the function's revision is missing")
      .max(64),
    /** The alias that should receive the change (usually the one carrying provisioned concurrency). */
    alias: aliasSchema.optional().or(z.literal("").transform(() => undefined)),
    aliasRevisionId: z.string().max(64).optional(),
    publishAndMove: boolInput.default(true),
  })
  .superRefine((input, ctx) => {
    if (input.memoryMb === undefined && input.runtime === undefined) {
      ctx.addIssue({ code: "custom", path: ["memoryMb"], message: "Change the memory, the runtime or both" });
    }
    if (input.publishAndMove && !input.alias) {
      ctx.addIssue({ code: "custom", path: ["alias"], message: "Choose the alias to move, or do not publish" });
    }
  });
export type ConfigurationChangeInput = z.output<typeof configurationChangeSchema>;

export const jobReferenceSchema = z.object({ jobId: z.uuid("Not a job id") });

/** Bulk runtime upgrade: the functions as listed (with their RevisionIds), a target, and what to do on failure. */
export const runtimeUpgradeSchema = z
  .object({
    fromRuntime: runtimeSchema,
    targetRuntime: runtimeSchema,
    functions: z
      .array(
        z.object({
          name: functionNameSchema,
          revisionId: z.string().min(1).max(64),
        }),
        { error: "Choose at least one function" },
      )
      .min(1, "Choose at least one function")
      .max(200, "At most 200 functions per upgrade"),
    onFailure: z.enum(["continue", "stop"], { error: "Choose continue or stop" }).default("stop"),
    publishAndMove: boolInput.default(true),
  })
  .superRefine((input, ctx) => {
    if (input.fromRuntime === input.targetRuntime) {
      ctx.addIssue({ code: "custom", path: ["targetRuntime"], message: "Choose a different runtime to upgrade to" });
    }
    const names = input.functions.map((fn) => fn.name);
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: "custom", path: ["functions"], message: "A function is listed twice" });
    }
  });
export type RuntimeUpgradeInput = z.output<typeof runtimeUpgradeSchema>;
