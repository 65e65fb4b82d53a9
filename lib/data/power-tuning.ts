import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requireRole } from "@/lib/auth/session";
import { getAwsClients } from "@/lib/aws/clients";
import { listAliases } from "@/lib/aws/lambda";
import { findAlias, getFunctionState, updateFunctionConfiguration } from "@/lib/aws/lambda-changes";
import { getDb } from "@/lib/db";
import type { Database } from "@/lib/db/schema";
import { toCsv } from "@/lib/domain/csv";
import { durationCostUsd, estimateRun, type RunEstimate, toArchitecture } from "@/lib/domain/power-tuning";
import { TUNING_ALIAS_PREFIX, type TuningRequest, tuningRequestSchema } from "@/lib/domain/power-tuning-input";
import type { TuningRunObservation } from "@/lib/domain/verification";
import { AppError } from "@/lib/errors";
import { enqueueJob } from "@/lib/jobs";
import { APPLY_CONFIGURATION_JOB, type ApplyConfigurationInput } from "@/lib/jobs/handlers/controls";
import { POWER_TUNING_JOB } from "@/lib/jobs/handlers/power-tuning";
import {
  findRun,
  insertRun,
  listInvocations,
  listRuns,
  settingsOf,
  type TuningRunDto,
  updateRun,
} from "@/lib/jobs/handlers/power-tuning-store";
import { findJob, type JobDto, listJobs, toJobDto } from "@/lib/jobs/job-store";

/**
 * Power tuning's data-access layer: every export authorizes first. Reads are for viewers; starting
 * and applying a run are operator actions (audited by runAction). Applying goes through the
 * controls flow: $LATEST memory is changed here (RevisionId-guarded, audited), then the controls
 * job waits for Successful, publishes, moves the alias and follows provisioned concurrency.
 */

export type { TuningRunDto };

export interface TuningFunctionDto {
  name: string;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: "x86_64" | "arm64";
  lastUpdateStatus: string;
  /** Aliases a result can be for (temporary tuning aliases left out). */
  aliases: { name: string; functionVersion: string }[];
}

export interface TuningPageData {
  fn: TuningFunctionDto;
  runs: TuningRunDto[];
  /** The job of a run that is queued or running now, if any. */
  activeJob: JobDto | null;
}

function functionTarget(name: string): string {
  return `function:${name}`;
}

async function readFunction(name: string): Promise<TuningFunctionDto> {
  const { lambda } = await getAwsClients();
  const state = await getFunctionState(lambda, name);
  const aliases = await listAliases(lambda, name);
  return {
    name: state.name,
    memoryMb: state.memoryMb,
    timeoutSeconds: state.timeoutSeconds,
    architecture: toArchitecture(state.architecture),
    lastUpdateStatus: state.lastUpdateStatus,
    aliases: aliases
      .filter((alias) => !alias.name.startsWith(TUNING_ALIAS_PREFIX))
      .map((alias) => ({ name: alias.name, functionVersion: alias.functionVersion })),
  };
}

/** The function's configuration, its tuning history and the running job. Missing function → NOT_FOUND. */
export async function getTuningPageData(functionName: string): Promise<TuningPageData> {
  await requireRole("viewer");
  const fn = await readFunction(functionName);
  const db = await getDb();
  const runs = await listRuns(db, fn.name);
  const jobs = await listJobs(db, { target: functionTarget(fn.name), kind: POWER_TUNING_JOB, limit: 5 });
  const activeJob = jobs.find((job) => job.status === "queued" || job.status === "running") ?? null;
  return { fn, runs: await withJobErrors(runs), activeJob };
}

/** A failed run shows the job's error in words (the runner records it on the job). */
async function withJobErrors(runs: TuningRunDto[]): Promise<TuningRunDto[]> {
  const db = await getDb();
  return Promise.all(
    runs.map(async (run) => {
      if (run.error || !run.jobId || run.status === "succeeded") return run;
      const job = await findJob(db, run.jobId);
      return job?.error ? { ...run, error: job.error } : run;
    }),
  );
}

/** Where a run's results are shown (the function's power-tuning page with the run selected). */
export function tuningRunHref(functionName: string, runId: string): string {
  return `/functions/${encodeURIComponent(functionName)}/power-tuning?run=${encodeURIComponent(runId)}`;
}

/**
 * A function's runs as the action-item check 3 reads them, newest first. Not authorized here: the
 * callers (the action-item and review reads) authorize before they evaluate checks.
 */
export async function readTuningRunsForCheck(
  db: Kysely<Database>,
  functionName: string,
  limit = 20,
): Promise<TuningRunObservation[]> {
  return (await listRuns(db, functionName, limit)).map((run) => ({
    runId: run.id,
    href: tuningRunHref(run.functionName, run.id),
    qualifier: run.qualifier,
    status: run.status,
    strategy: run.settings.strategy,
    balancedWeight: run.settings.balancedWeight,
    recommendedMb: run.analysis?.chosen.memoryMb ?? null,
    recommendationWords: run.analysis?.chosen.words ?? null,
    startedAtMs: Date.parse(run.createdAt),
    finishedAtMs: run.finishedAt ? Date.parse(run.finishedAt) : null,
  }));
}

const runIdSchema = z.uuid("Not a run id");

export async function getTuningRun(runId: string): Promise<TuningRunDto> {
  await requireRole("viewer");
  const parsed = runIdSchema.safeParse(runId);
  const run = parsed.success ? await findRun(await getDb(), parsed.data) : undefined;
  if (!run) throw new AppError("NOT_FOUND", { userMessage: "No such tuning run" });
  return (await withJobErrors([run]))[0] as TuningRunDto;
}

export interface TuningPreview {
  request: {
    functionName: string;
    qualifier: string;
    memoryValues: number[];
    invocations: number;
    payloadCount: number;
    parallel: boolean;
    coldStarts: boolean;
    strategy: string;
  };
  estimate: RunEstimate;
  timeoutSeconds: number;
  architecture: string;
  /** The AWS calls besides the invocations (updates, publishes, aliases, clean-up), roughly. */
  controlCalls: number;
}

/** Checks what AWS must confirm: the function exists, the alias exists, no other run is going on. */
async function checkAgainstAws(request: TuningRequest): Promise<TuningFunctionDto> {
  let fn: TuningFunctionDto;
  try {
    fn = await readFunction(request.functionName);
  } catch (error) {
    if (AppError.from(error).code === "NOT_FOUND") {
      throw new AppError("INVALID_INPUT", {
        userMessage: `There is no function named ${request.functionName}.`,
        fieldErrors: {
          functionName: [`There is no function named ${request.functionName} in this account and region`],
        },
      });
    }
    throw error;
  }
  if (request.qualifier && !fn.aliases.some((alias) => alias.name === request.qualifier)) {
    throw new AppError("INVALID_INPUT", {
      userMessage: `${fn.name} has no alias ${request.qualifier}.`,
      fieldErrors: { qualifier: [`${fn.name} has no alias named ${request.qualifier}`] },
    });
  }
  const db = await getDb();
  const busy = (await listJobs(db, { target: functionTarget(fn.name), limit: 20 })).find(
    (job) => job.status === "queued" || job.status === "running",
  );
  if (busy) {
    throw new AppError("CONFLICT", {
      userMessage: `Another job (${busy.kind}) is working on ${fn.name}; wait until it ends so the two do not change its memory at once.`,
    });
  }
  return fn;
}

function previewOf(request: TuningRequest, fn: TuningFunctionDto, previous: TuningRunDto | undefined): TuningPreview {
  const perValue = request.coldStarts ? 5 * request.invocations : 6;
  return {
    request: {
      functionName: fn.name,
      qualifier: request.qualifier,
      memoryValues: request.memoryValues,
      invocations: request.invocations,
      payloadCount: request.payloads.length,
      parallel: request.parallel,
      coldStarts: request.coldStarts,
      strategy: request.strategy,
    },
    estimate: estimateRun({
      memoryValues: request.memoryValues,
      invocationsPerValue: request.invocations,
      timeoutSeconds: fn.timeoutSeconds,
      architecture: fn.architecture,
      ...(previous?.analysis ? { previous: previous.analysis.memories } : {}),
    }),
    timeoutSeconds: fn.timeoutSeconds,
    architecture: fn.architecture,
    controlCalls: request.memoryValues.length * perValue + 6,
  };
}

/**
 * The confirmation step: validates like the start action and says what the run will do and cost.
 * Changes nothing, so it is not audited; still operator-only, like the run it prepares.
 */
export async function previewPowerTuning(
  raw: unknown,
): Promise<
  { ok: true; preview: TuningPreview } | { ok: false; message: string; fieldErrors?: Record<string, string[]> }
> {
  await requireRole("operator");
  const parsed = tuningRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const error = AppError.from(parsed.error);
    return {
      ok: false,
      message: "Please correct the fields marked below.",
      ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
    };
  }
  try {
    const fn = await checkAgainstAws(parsed.data);
    const previous = (await listRuns(await getDb(), fn.name, 10)).find((run) => run.status === "succeeded");
    return { ok: true, preview: previewOf(parsed.data, fn, previous) };
  } catch (error) {
    const appError = AppError.from(error);
    return {
      ok: false,
      message: appError.fieldErrors ? "Please correct the fields marked below." : appError.userMessage,
      ...(appError.fieldErrors ? { fieldErrors: appError.fieldErrors } : {}),
    };
  }
}

const startSchema = z
  .object({
    confirm: z.union([z.literal(true), z.literal("true"), z.literal("on")], {
      error: "Confirm that the invocations may run the real function with this payload",
    }),
  })
  .passthrough();

export const startPowerTuningAction = defineAction({
  name: "power-tuning.start",
  role: "operator",
  description: "Start a power-tuning run (invokes the function)",
  input: startSchema.transform((raw, ctx) => {
    const parsed = tuningRequestSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: "custom", message: issue.message });
      return z.NEVER;
    }
    return parsed.data;
  }),
  async run(request, context) {
    const fn = await checkAgainstAws(request);
    const runId = randomUUID();
    const db = await getDb();
    const input = {
      runId,
      functionName: fn.name,
      qualifier: request.qualifier,
      memoryValues: request.memoryValues,
      invocations: request.invocations,
      payloads: request.payloads,
      parallel: request.parallel,
      coldStarts: request.coldStarts,
      strategy: request.strategy,
      balancedWeight: request.balancedWeight,
      trimFraction: request.trimFraction,
    };
    return context.change({ target: functionTarget(fn.name), before: { memoryMb: fn.memoryMb } }, async () => {
      await insertRun(db, {
        id: runId,
        functionName: fn.name,
        qualifier: request.qualifier,
        requestedBy: context.actor.username,
        settings: settingsOf(input),
      });
      const job = await enqueueJob({
        kind: POWER_TUNING_JOB,
        target: functionTarget(fn.name),
        input,
        requestedBy: context.actor.username,
        requestedRole: context.actor.role,
        requestId: context.requestId,
      });
      await updateRun(db, runId, { jobId: job.id });
      return { runId, jobId: job.id, invocations: request.memoryValues.length * request.invocations };
    });
  },
});

export const applyPowerTuningAction = defineAction({
  name: "power-tuning.apply",
  role: "operator",
  description: "Apply a power-tuning result (set memory, publish, move the alias)",
  input: z.object({
    runId: runIdSchema,
    memoryMb: z.coerce.number().int("A whole number of MB").min(128).max(10_240).optional(),
  }),
  async run(input, context) {
    const db = await getDb();
    const run = await findRun(db, input.runId);
    if (!run) throw new AppError("NOT_FOUND", { userMessage: "No such tuning run" });
    if (run.status !== "succeeded" || !run.analysis) {
      throw new AppError("CONFLICT", { userMessage: "Only a finished run's result can be applied." });
    }
    const memoryMb = input.memoryMb ?? run.analysis.chosen.memoryMb;
    if (memoryMb === null || memoryMb === undefined || !run.settings.memoryValues.includes(memoryMb)) {
      throw new AppError("INVALID_INPUT", {
        userMessage: "Choose one of the memory values this run measured.",
        fieldErrors: { memoryMb: ["Choose one of the memory values this run measured"] },
      });
    }
    const busy = (await listJobs(db, { target: functionTarget(run.functionName), limit: 20 })).find(
      (job) => job.status === "queued" || job.status === "running",
    );
    if (busy) {
      throw new AppError("CONFLICT", { userMessage: `Another job (${busy.kind}) is working on ${run.functionName}.` });
    }
    const { lambda } = await getAwsClients();
    const before = await getFunctionState(lambda, run.functionName);
    if (before.lastUpdateStatus === "InProgress") {
      throw new AppError("CONFLICT", {
        userMessage: `An update of ${run.functionName} is in progress; try again in a moment.`,
      });
    }
    const alias = run.qualifier ? await findAlias(lambda, run.functionName, run.qualifier) : undefined;
    if (before.memoryMb !== memoryMb) {
      await context.change(
        {
          target: functionTarget(run.functionName),
          before: { memoryMb: before.memoryMb, revisionId: before.revisionId },
        },
        async () => {
          const after = await updateFunctionConfiguration(lambda, run.functionName, {
            memoryMb,
            revisionId: before.revisionId,
          });
          return { memoryMb: after.memoryMb, lastUpdateStatus: after.lastUpdateStatus, fromRun: run.id };
        },
      );
    }
    const jobInput: ApplyConfigurationInput = {
      functionName: run.functionName,
      ...(alias ? { alias: alias.name, expectedAliasRevisionId: alias.revisionId } : {}),
      publishAndMove: Boolean(alias),
      description: `Power-tuned: ${memoryMb} MB (run ${run.id.slice(0, 8)})`,
      before: {
        memoryMb: before.memoryMb,
        runtime: before.runtime,
        ...(alias ? { aliasVersion: alias.functionVersion } : {}),
      },
      after: { memoryMb, runtime: before.runtime },
    };
    const target = alias ? `${functionTarget(run.functionName)}:${alias.name}` : functionTarget(run.functionName);
    return context.change({ target, before: { memoryMb: before.memoryMb } }, async () => {
      const job = await enqueueJob({
        kind: APPLY_CONFIGURATION_JOB,
        target,
        input: jobInput,
        requestedBy: context.actor.username,
        requestedRole: context.actor.role,
        requestId: context.requestId,
      });
      await updateRun(db, run.id, { appliedMemoryMb: memoryMb });
      return { jobId: job.id, memoryMb, alias: alias?.name ?? null };
    });
  },
});

/** The job that applies or runs something for the function (for the page's live progress). */
export async function getJobForPage(jobId: string): Promise<JobDto | null> {
  await requireRole("viewer");
  const parsed = z.uuid().safeParse(jobId);
  if (!parsed.success) return null;
  const row = await findJob(await getDb(), parsed.data);
  return row ? toJobDto(row) : null;
}

// ---------------------------------------------------------------------------------------------
// Export

/** A run as CSV: one row per memory value (summary), then one per invocation with its REPORT line. */
export async function getTuningRunCsv(runId: string): Promise<{ filename: string; csv: string }> {
  const run = await getTuningRun(runId);
  const invocations = await listInvocations(await getDb(), run.id);
  const architecture = run.architecture ?? "x86_64";
  const summary = (run.analysis?.memories ?? []).map((memory) => [
    "summary",
    memory.memoryMb,
    memory.invocations,
    memory.errors,
    memory.timeouts,
    memory.coldStarts,
    memory.duration.p50,
    memory.duration.p90,
    memory.duration.p99,
    memory.duration.trimmedMean,
    memory.totalDuration.p50,
    memory.totalDuration.p90,
    memory.totalDuration.p99,
    memory.totalDuration.trimmedMean,
    memory.initMean,
    memory.billedMean,
    memory.costPerInvocation.x86_64,
    memory.costPerInvocation.arm64,
    memory.requestCostPerInvocation,
    memory.maxMemoryUsedMb,
    "",
    "",
  ]);
  const rows = invocations.map((invocation) => [
    "invocation",
    invocation.memoryMb,
    invocation.sequence + 1,
    invocation.status === "error" ? 1 : 0,
    invocation.status === "timeout" ? 1 : 0,
    invocation.initDurationMs > 0 ? 1 : 0,
    invocation.durationMs,
    "",
    "",
    "",
    invocation.durationMs + invocation.initDurationMs + invocation.restoreDurationMs,
    "",
    "",
    "",
    invocation.initDurationMs || "",
    invocation.billedDurationMs + invocation.billedRestoreDurationMs,
    durationCostUsd(invocation.billedDurationMs + invocation.billedRestoreDurationMs, invocation.memoryMb, "x86_64"),
    durationCostUsd(invocation.billedDurationMs + invocation.billedRestoreDurationMs, invocation.memoryMb, "arm64"),
    2e-7,
    invocation.maxMemoryUsedMb,
    invocation.errorType ?? "",
    invocation.report ?? "",
  ]);
  const header = [
    "row",
    "memory_mb",
    "invocations_or_sequence",
    "errors",
    "timeouts",
    "cold_starts",
    "duration_p50_ms",
    "duration_p90_ms",
    "duration_p99_ms",
    "duration_trimmed_mean_ms",
    "with_init_p50_ms",
    "with_init_p90_ms",
    "with_init_p99_ms",
    "with_init_trimmed_mean_ms",
    "init_mean_ms",
    "billed_ms",
    "cost_x86_64_usd",
    "cost_arm64_usd",
    "request_cost_usd",
    "max_memory_used_mb",
    "error_type",
    "report",
  ];
  return {
    filename: `power-tuning-${run.functionName}-${run.createdAt.slice(0, 10)}-${run.id.slice(0, 8)}-${architecture}.csv`,
    csv: toCsv(header, [...summary, ...rows]),
  };
}

/** A run as JSON: settings, baseline, analysis and every invocation. */
export async function getTuningRunJson(runId: string): Promise<{ filename: string; json: string }> {
  const run = await getTuningRun(runId);
  const invocations = await listInvocations(await getDb(), run.id);
  return {
    filename: `power-tuning-${run.functionName}-${run.createdAt.slice(0, 10)}-${run.id.slice(0, 8)}.json`,
    json: JSON.stringify({ run, invocations }, null, 2),
  };
}
