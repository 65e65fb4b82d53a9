import type { Kysely } from "kysely";
import type { Database, PowerTuningRunRow, PowerTuningRunStatus } from "@/lib/db/schema";
import type { Architecture, InvocationResult, TuningAnalysis } from "@/lib/domain/power-tuning";
import type { TuningJobInput } from "@/lib/domain/power-tuning-input";

/**
 * The store of power-tuning runs: one row per run (settings, baseline, analysis, outcome) and one
 * per invocation (figures + raw REPORT line). Plain DTOs out; JSON columns parsed here.
 */

export interface RunSettings {
  memoryValues: number[];
  invocations: number;
  parallel: boolean;
  coldStarts: boolean;
  strategy: TuningJobInput["strategy"];
  balancedWeight: number;
  trimFraction: number;
  /** Payloads are not kept (they may hold personal data): only how many and their weights. */
  payloads: { bytes: number; weight: number }[];
}

export interface TuningRunDto {
  id: string;
  functionName: string;
  qualifier: string;
  jobId: string | null;
  status: PowerTuningRunStatus;
  requestedBy: string;
  settings: RunSettings;
  architecture: Architecture | null;
  baselineMemoryMb: number | null;
  analysis: TuningAnalysis | null;
  notes: string;
  error: string | null;
  appliedMemoryMb: number | null;
  appliedAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export function toRunDto(row: PowerTuningRunRow): TuningRunDto {
  return {
    id: row.id,
    functionName: row.function_name,
    qualifier: row.qualifier,
    jobId: row.job_id,
    status: row.status,
    requestedBy: row.requested_by,
    settings: JSON.parse(row.settings) as RunSettings,
    architecture: (row.architecture as Architecture | null) ?? null,
    baselineMemoryMb: row.baseline_memory_mb,
    analysis: row.analysis === null ? null : (JSON.parse(row.analysis) as TuningAnalysis),
    notes: row.notes,
    error: row.error,
    appliedMemoryMb: row.applied_memory_mb,
    appliedAt: row.applied_at,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export function settingsOf(input: Omit<TuningJobInput, "runId" | "functionName" | "qualifier">): RunSettings {
  return {
    memoryValues: input.memoryValues,
    invocations: input.invocations,
    parallel: input.parallel,
    coldStarts: input.coldStarts,
    strategy: input.strategy,
    balancedWeight: input.balancedWeight,
    trimFraction: input.trimFraction,
    payloads: input.payloads.map((payload) => ({
      bytes: new TextEncoder().encode(payload.json).length,
      weight: payload.weight,
    })),
  };
}

export async function insertRun(
  db: Kysely<Database>,
  run: { id: string; functionName: string; qualifier: string; requestedBy: string; settings: RunSettings },
  now = new Date(),
): Promise<void> {
  await db
    .insertInto("power_tuning_runs")
    .values({
      id: run.id,
      function_name: run.functionName,
      qualifier: run.qualifier,
      job_id: null,
      status: "queued",
      requested_by: run.requestedBy,
      settings: JSON.stringify(run.settings),
      architecture: null,
      baseline_memory_mb: null,
      analysis: null,
      notes: "",
      error: null,
      applied_memory_mb: null,
      applied_at: null,
      created_at: now.toISOString(),
      finished_at: null,
    })
    .execute();
}

export async function updateRun(
  db: Kysely<Database>,
  id: string,
  change: {
    jobId?: string;
    status?: PowerTuningRunStatus;
    architecture?: Architecture;
    baselineMemoryMb?: number;
    analysis?: TuningAnalysis;
    notes?: string;
    error?: string | null;
    appliedMemoryMb?: number;
    finished?: boolean;
  },
  now = new Date(),
): Promise<void> {
  await db
    .updateTable("power_tuning_runs")
    .set({
      ...(change.jobId === undefined ? {} : { job_id: change.jobId }),
      ...(change.status === undefined ? {} : { status: change.status }),
      ...(change.architecture === undefined ? {} : { architecture: change.architecture }),
      ...(change.baselineMemoryMb === undefined ? {} : { baseline_memory_mb: change.baselineMemoryMb }),
      ...(change.analysis === undefined ? {} : { analysis: JSON.stringify(change.analysis) }),
      ...(change.notes === undefined ? {} : { notes: change.notes }),
      ...(change.error === undefined ? {} : { error: change.error }),
      ...(change.appliedMemoryMb === undefined
        ? {}
        : { applied_memory_mb: change.appliedMemoryMb, applied_at: now.toISOString() }),
      ...(change.finished ? { finished_at: now.toISOString() } : {}),
    })
    .where("id", "=", id)
    .execute();
}

export async function findRun(db: Kysely<Database>, id: string): Promise<TuningRunDto | undefined> {
  const row = await db.selectFrom("power_tuning_runs").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toRunDto(row) : undefined;
}

/** A function's runs, newest first. */
export async function listRuns(db: Kysely<Database>, functionName: string, limit = 50): Promise<TuningRunDto[]> {
  const rows = await db
    .selectFrom("power_tuning_runs")
    .selectAll()
    .where("function_name", "=", functionName)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(toRunDto);
}

/** Records one invocation; recording the same (run, memory, sequence) again changes nothing. */
export async function insertInvocation(
  db: Kysely<Database>,
  runId: string,
  result: InvocationResult,
  now = new Date(),
): Promise<void> {
  await db
    .insertInto("power_tuning_invocations")
    .values({
      run_id: runId,
      memory_mb: result.memoryMb,
      sequence: result.sequence,
      status: result.status,
      duration_ms: result.durationMs,
      billed_duration_ms: result.billedDurationMs,
      init_duration_ms: result.initDurationMs,
      restore_duration_ms: result.restoreDurationMs,
      billed_restore_duration_ms: result.billedRestoreDurationMs,
      max_memory_used_mb: result.maxMemoryUsedMb,
      error_type: result.errorType ?? null,
      report: result.report,
      created_at: now.toISOString(),
    })
    .onConflict((conflict) => conflict.columns(["run_id", "memory_mb", "sequence"]).doNothing())
    .execute();
}

export async function listInvocations(db: Kysely<Database>, runId: string): Promise<InvocationResult[]> {
  const rows = await db
    .selectFrom("power_tuning_invocations")
    .selectAll()
    .where("run_id", "=", runId)
    .orderBy("memory_mb")
    .orderBy("sequence")
    .execute();
  return rows.map((row) => ({
    memoryMb: Number(row.memory_mb),
    sequence: Number(row.sequence),
    status: row.status,
    durationMs: Number(row.duration_ms),
    billedDurationMs: Number(row.billed_duration_ms),
    initDurationMs: Number(row.init_duration_ms),
    restoreDurationMs: Number(row.restore_duration_ms),
    billedRestoreDurationMs: Number(row.billed_restore_duration_ms),
    maxMemoryUsedMb: Number(row.max_memory_used_mb),
    ...(row.error_type ? { errorType: row.error_type } : {}),
    report: row.report,
  }));
}

/** Sequences already recorded for one memory value (a resumed run skips them). */
export async function recordedSequences(db: Kysely<Database>, runId: string, memoryMb: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom("power_tuning_invocations")
    .select("sequence")
    .where("run_id", "=", runId)
    .where("memory_mb", "=", memoryMb)
    .execute();
  return new Set(rows.map((row) => Number(row.sequence)));
}
