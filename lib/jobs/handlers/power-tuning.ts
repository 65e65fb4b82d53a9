import { setTimeout as sleep } from "node:timers/promises";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { Kysely } from "kysely";
import { listAliases, listVersionDetails } from "@/lib/aws/lambda";
import {
  type FunctionState,
  findAlias,
  getFunctionState,
  publishVersion,
  type UpdateWait,
  updateAlias,
  updateFunctionConfiguration,
  waitForUpdate,
} from "@/lib/aws/lambda-changes";
import { createAlias, deleteAlias, deleteVersion, invokeWithTail } from "@/lib/aws/lambda-tuning";
import type { Database } from "@/lib/db/schema";
import {
  analyzeRun,
  formatMemory,
  payloadSchedule,
  toArchitecture,
  toInvocationResult,
} from "@/lib/domain/power-tuning";
import {
  MAX_PARALLEL,
  TUNING_ALIAS_PREFIX,
  type TuningJobInput,
  tuningJobInputSchema,
} from "@/lib/domain/power-tuning-input";
import { AppError } from "@/lib/errors";
import type { JobProgress } from "@/lib/jobs/job-store";
import { JobCancelledError, type JobContext, type JobHandler } from "@/lib/jobs/runner";
import { insertInvocation, listInvocations, recordedSequences, updateRun } from "./power-tuning-store";

/**
 * The power-tuning job. For each memory value: set `$LATEST` memory (RevisionId, wait for
 * Successful), publish a version, point `phoenix-tune-<memory>` at it, invoke it N times with
 * `LogType: Tail` and record each REPORT; then delete that alias and version. At the end (and in
 * `cleanup`, which also runs after a failure, a cancel or a restart) every temporary alias and
 * version of the run is deleted and the original memory restored.
 *
 * What the run made is found again without trusting memory alone: versions carry the description
 * `phoenix-tune <runId> …` and aliases the same, so a crash between a call and its checkpoint
 * leaves nothing that clean-up cannot see.
 */

export const POWER_TUNING_JOB = "power-tuning.run";

export interface TuningState {
  original: {
    memoryMb: number;
    description: string;
    architecture: string;
    timeoutSeconds: number;
  };
  /** Memory values this run set (or was about to set) on $LATEST: only these are restored. */
  memoriesSet: number[];
  /** Whether this run changed $LATEST's description (cold-start mode). */
  descriptionChanged: boolean;
  /** Memory values fully measured. */
  doneMemories: number[];
  /** The memory value being measured and the version its alias points to. */
  current?: { memoryMb: number; version: string; ownVersion: boolean };
  restored: boolean;
}

export interface PowerTuningDependencies {
  lambda: () => Promise<LambdaClient>;
  db: () => Promise<Kysely<Database>>;
  /** How updates are awaited; by default AWS is polled every second on the wall clock, for at most 2 min. */
  wait?: Partial<UpdateWait>;
}

type Context = JobContext<TuningJobInput, TuningState>;

/** The marker a run writes into descriptions of what it creates. */
export function runMarker(runId: string): string {
  return `phoenix-tune ${runId}`;
}

function progressOf(input: TuningJobInput, counts: Map<number, number>, message: string): JobProgress {
  const parts = input.memoryValues.map((memory) => ({
    label: formatMemory(memory),
    done: counts.get(memory) ?? 0,
    total: input.invocations,
  }));
  return {
    done: parts.reduce((sum, part) => sum + part.done, 0),
    total: input.memoryValues.length * input.invocations,
    message,
    parts,
  };
}

export function createPowerTuningHandler(deps: PowerTuningDependencies): JobHandler<TuningJobInput, TuningState> {
  const wait: UpdateWait = {
    nowMs: Date.now,
    sleep: (ms) => sleep(ms),
    pollMs: 1_000,
    timeoutMs: 120_000,
    ...deps.wait,
  };

  /** Waits out an update somebody (or an earlier attempt) started. */
  async function settled(client: LambdaClient, name: string): Promise<FunctionState> {
    const state = await getFunctionState(client, name);
    return state.lastUpdateStatus === "InProgress" ? waitForUpdate(client, name, wait) : state;
  }

  /** Sets $LATEST's memory (and description) as this run, audited, and waits for Successful. */
  async function setLatest(
    context: Context,
    client: LambdaClient,
    change: { memoryMb?: number; description?: string },
  ): Promise<FunctionState> {
    const { functionName } = context.input;
    const before = await settled(client, functionName);
    const needsMemory = change.memoryMb !== undefined && before.memoryMb !== change.memoryMb;
    const needsDescription = change.description !== undefined && before.description !== change.description;
    if (!needsMemory && !needsDescription) return before;
    if (needsMemory && change.memoryMb !== undefined && !context.state.memoriesSet?.includes(change.memoryMb)) {
      // Checkpointed before the call: a crash right after it still lets clean-up restore the memory.
      await context.checkpoint({ memoriesSet: [...(context.state.memoriesSet ?? []), change.memoryMb] });
    }
    if (needsDescription && !context.state.descriptionChanged) await context.checkpoint({ descriptionChanged: true });
    return context.change(
      {
        target: `function:${functionName}`,
        before: {
          ...(needsMemory ? { memoryMb: before.memoryMb } : {}),
          ...(needsDescription ? { description: before.description } : {}),
        },
      },
      async () => {
        await updateFunctionConfiguration(client, functionName, {
          ...(needsMemory ? { memoryMb: change.memoryMb } : {}),
          ...(needsDescription ? { description: change.description } : {}),
          revisionId: before.revisionId,
        });
        return waitForUpdate(client, functionName, wait);
      },
    );
  }

  /** Publishes $LATEST; the version is the run's own only if it carries the run's marker. */
  async function publish(
    context: Context,
    client: LambdaClient,
    latest: FunctionState,
    description: string,
  ): Promise<{ version: string; ownVersion: boolean }> {
    const { functionName } = context.input;
    return context.change({ target: `function:${functionName}` }, async () => {
      const published = await publishVersion(client, functionName, { description, revisionId: latest.revisionId });
      return { version: published.version, ownVersion: published.description === description };
    });
  }

  async function removeAlias(context: Context, client: LambdaClient, alias: string): Promise<void> {
    const { functionName } = context.input;
    await context.change({ target: `function:${functionName}:${alias}` }, async () => {
      await deleteAlias(client, functionName, alias);
      return { deleted: alias };
    });
  }

  async function removeVersion(context: Context, client: LambdaClient, version: string): Promise<void> {
    const { functionName } = context.input;
    await context.change({ target: `function:${functionName}:${version}` }, async () => {
      await deleteVersion(client, functionName, version);
      return { deleted: `version ${version}` };
    });
  }

  /** Invokes the sequences not yet recorded for `memory`, in order or `MAX_PARALLEL` at a time. */
  async function invokeBatch(
    context: Context,
    client: LambdaClient,
    db: Kysely<Database>,
    memory: number,
    qualifierFor: (sequence: number) => Promise<string>,
    afterEach: (sequence: number) => Promise<void>,
    counts: Map<number, number>,
  ): Promise<{ invoked: number; errors: number; timeouts: number }> {
    const { input } = context;
    const schedule = payloadSchedule(
      input.payloads.map((payload) => payload.weight),
      input.invocations,
    );
    const recorded = await recordedSequences(db, input.runId, memory);
    counts.set(memory, recorded.size);
    const pending = Array.from({ length: input.invocations }, (_, sequence) => sequence).filter(
      (sequence) => !recorded.has(sequence),
    );
    const tally = { invoked: 0, errors: 0, timeouts: 0 };
    const one = async (sequence: number) => {
      const qualifier = await qualifierFor(sequence);
      const payload = input.payloads[schedule[sequence] ?? 0]?.json ?? "{}";
      const invocation = await invokeWithTail(client, input.functionName, qualifier, payload);
      const result = toInvocationResult({
        memoryMb: memory,
        sequence,
        logTail: invocation.logTail,
        ...(invocation.functionError ? { functionError: invocation.functionError } : {}),
        responsePayload: invocation.payload,
      });
      await insertInvocation(db, input.runId, result);
      tally.invoked += 1;
      if (result.status === "error") tally.errors += 1;
      if (result.status === "timeout") tally.timeouts += 1;
      counts.set(memory, (counts.get(memory) ?? 0) + 1);
      await afterEach(sequence);
      await context.progress(
        progressOf(input, counts, `Invoking at ${formatMemory(memory)}: ${counts.get(memory)} of ${input.invocations}`),
      );
    };
    const width = input.parallel && !input.coldStarts ? MAX_PARALLEL : 1;
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const sequence = pending[next++] as number;
        await one(sequence);
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, pending.length) }, worker));
    return tally;
  }

  /** One memory value, warm: a version with that memory behind `phoenix-tune-<memory>`. */
  async function measureWarm(
    context: Context,
    client: LambdaClient,
    db: Kysely<Database>,
    memory: number,
    counts: Map<number, number>,
  ): Promise<void> {
    const { input } = context;
    const marker = runMarker(input.runId);
    const alias = `${TUNING_ALIAS_PREFIX}${memory}`;
    let current = context.state.current?.memoryMb === memory ? context.state.current : undefined;
    if (!current) {
      const latest = await setLatest(context, client, { memoryMb: memory });
      const published = await publish(context, client, latest, `${marker} ${memory} MB`);
      current = { memoryMb: memory, ...published };
      await context.checkpoint({ current });
    }
    const version = current.version;
    if ((await recordedSequences(db, input.runId, memory)).size < input.invocations) {
      await pointTemporaryAlias(context, client, alias, version, memory);
      await context.change(
        { target: `function:${input.functionName}:${alias}`, before: { invocations: input.invocations } },
        async () =>
          invokeBatch(
            context,
            client,
            db,
            memory,
            async () => alias,
            async () => undefined,
            counts,
          ),
      );
    }
    await removeAlias(context, client, alias);
    if (current.ownVersion) await removeVersion(context, client, version);
  }

  /** Creates `phoenix-tune-<memory>` on the version, or repoints this run's own leftover of it. */
  async function pointTemporaryAlias(
    context: Context,
    client: LambdaClient,
    alias: string,
    version: string,
    memory: number,
  ): Promise<void> {
    const { input } = context;
    const marker = runMarker(input.runId);
    const existing = await findAlias(client, input.functionName, alias);
    if (existing && !existing.description.includes(marker)) {
      throw new AppError("CONFLICT", {
        userMessage: `The alias ${alias} already exists and was not made by this run; delete it or wait for the run that owns it.`,
      });
    }
    if (!existing || existing.functionVersion !== version) {
      await context.change({ target: `function:${input.functionName}:${alias}` }, async () => {
        if (existing)
          await updateAlias(client, input.functionName, alias, {
            functionVersion: version,
            revisionId: existing.revisionId,
          });
        else await createAlias(client, input.functionName, alias, version, `${marker} ${memory} MB (temporary)`);
        return { alias, functionVersion: version };
      });
    }
  }

  /**
   * One memory value, every invocation cold: a fresh version per invocation (the description changes
   * so AWS publishes a new one), invoked by its number and deleted right after.
   */
  async function measureCold(
    context: Context,
    client: LambdaClient,
    db: Kysely<Database>,
    memory: number,
    counts: Map<number, number>,
  ): Promise<void> {
    const { input } = context;
    const marker = runMarker(input.runId);
    let pendingVersion: { version: string; ownVersion: boolean } | undefined;
    await context.change(
      { target: `function:${input.functionName}`, before: { invocations: input.invocations, coldStarts: true } },
      async () =>
        invokeBatch(
          context,
          client,
          db,
          memory,
          async (sequence) => {
            const description = `${marker} ${memory} MB cold ${sequence + 1}`;
            const latest = await setLatest(context, client, { memoryMb: memory, description });
            pendingVersion = await publish(context, client, latest, description);
            return pendingVersion.version;
          },
          async () => {
            if (pendingVersion?.ownVersion) await removeVersion(context, client, pendingVersion.version);
            pendingVersion = undefined;
          },
          counts,
        ),
    );
  }

  /**
   * Deletes every alias and version the run made and restores the memory (and description) it
   * changed. Idempotent; safe after a crash at any point. Memory somebody else set during the run is
   * left alone and said so.
   * @returns notes in words for the run's record.
   */
  async function restore(context: Context): Promise<string[]> {
    const { input, state } = context;
    const client = await deps.lambda();
    const marker = runMarker(input.runId);
    const notes: string[] = [];
    for (const alias of await listAliases(client, input.functionName)) {
      if (alias.name.startsWith(TUNING_ALIAS_PREFIX) && alias.description.includes(marker)) {
        await removeAlias(context, client, alias.name);
      }
    }
    for (const version of await listVersionDetails(client, input.functionName)) {
      // $LATEST may carry the marker too (cold-start mode changes its description): it is restored below, never deleted.
      if (version.version !== "$LATEST" && version.description.startsWith(marker)) {
        await removeVersion(context, client, version.version);
      }
    }
    if (!state.original) return notes;
    const latest = await settled(client, input.functionName);
    const memoryIsOurs =
      latest.memoryMb !== state.original.memoryMb && (state.memoriesSet ?? []).includes(latest.memoryMb);
    const descriptionIsOurs =
      latest.description !== state.original.description && latest.description.startsWith(marker);
    if (latest.memoryMb !== state.original.memoryMb && !memoryIsOurs) {
      notes.push(
        `$LATEST memory is ${formatMemory(latest.memoryMb)}, set by someone else during the run: left as it is (it was ${formatMemory(state.original.memoryMb)}).`,
      );
    }
    if (memoryIsOurs || descriptionIsOurs) {
      await context.change(
        {
          target: `function:${input.functionName}`,
          before: {
            ...(memoryIsOurs ? { memoryMb: latest.memoryMb } : {}),
            ...(descriptionIsOurs ? { description: latest.description } : {}),
          },
        },
        async () => {
          await updateFunctionConfiguration(client, input.functionName, {
            ...(memoryIsOurs ? { memoryMb: state.original?.memoryMb } : {}),
            ...(descriptionIsOurs ? { description: state.original?.description } : {}),
            revisionId: latest.revisionId,
          });
          const after = await waitForUpdate(client, input.functionName, wait);
          return { memoryMb: after.memoryMb, restored: true };
        },
      );
    }
    return notes;
  }

  return {
    kind: POWER_TUNING_JOB,
    input: tuningJobInputSchema,

    async run(context) {
      const { input } = context;
      const client = await deps.lambda();
      const db = await deps.db();
      await updateRun(db, input.runId, { jobId: context.job.id, status: "running" });
      if (!context.state.original) {
        const before = await settled(client, input.functionName);
        await context.checkpoint({
          original: {
            memoryMb: before.memoryMb,
            description: before.description,
            architecture: before.architecture,
            timeoutSeconds: before.timeoutSeconds,
          },
          memoriesSet: [],
          descriptionChanged: false,
          doneMemories: [],
          restored: false,
        });
        await updateRun(db, input.runId, {
          architecture: toArchitecture(before.architecture),
          baselineMemoryMb: before.memoryMb,
        });
      }
      const counts = new Map<number, number>();
      for (const memory of context.state.doneMemories ?? []) counts.set(memory, input.invocations);
      for (const memory of input.memoryValues) {
        if (context.state.doneMemories?.includes(memory)) continue;
        await context.checkpoint(
          {},
          progressOf(input, counts, `Preparing ${formatMemory(memory)}: set memory, publish, alias`),
        );
        if (input.coldStarts) await measureCold(context, client, db, memory, counts);
        else await measureWarm(context, client, db, memory, counts);
        await context.checkpoint(
          { doneMemories: [...(context.state.doneMemories ?? []), memory], current: undefined },
          progressOf(input, counts, `${formatMemory(memory)} measured`),
        );
      }
      await context.checkpoint({}, progressOf(input, counts, "Restoring the original memory and cleaning up"));
      const notes = await restore(context);
      await context.checkpoint({ restored: true });
      const original = context.state.original;
      const analysis = analyzeRun({
        results: await listInvocations(db, input.runId),
        memoryValues: input.memoryValues,
        baselineMemoryMb: original?.memoryMb ?? 0,
        architecture: toArchitecture(original?.architecture),
        trimFraction: input.trimFraction,
        strategy: input.strategy,
        balancedWeight: input.balancedWeight,
      });
      await context.progress(progressOf(input, counts, `Done: ${analysis.chosen.words}`));
      await updateRun(db, input.runId, { analysis, notes: notes.join(" ") });
      return { runId: input.runId, recommendation: analysis.chosen.words, memoryMb: analysis.chosen.memoryMb };
    },

    async cleanup(context) {
      const db = await deps.db();
      const { input } = context;
      let notes: string[] = [];
      let cleanupError: unknown;
      if (!context.state.restored) {
        try {
          notes = await restore(context);
        } catch (error) {
          cleanupError = error;
        }
      }
      // The job's own outcome is recorded by the runner; the run row mirrors it for the history.
      const job = await db
        .selectFrom("jobs")
        .select(["cancel_requested"])
        .where("id", "=", context.job.id)
        .executeTakeFirst();
      const analysisRow = await db
        .selectFrom("power_tuning_runs")
        .select(["analysis", "notes"])
        .where("id", "=", input.runId)
        .executeTakeFirst();
      const succeeded = analysisRow?.analysis !== null && analysisRow?.analysis !== undefined;
      const status = succeeded ? "succeeded" : job?.cancel_requested === 1 ? "cancelled" : "failed";
      if (!succeeded && status === "failed") {
        // A partial run still shows what it measured, marked as partial.
        const original = context.state.original;
        if (original) {
          const analysis = analyzeRun({
            results: await listInvocations(db, input.runId),
            memoryValues: input.memoryValues,
            baselineMemoryMb: original.memoryMb,
            architecture: toArchitecture(original.architecture),
            trimFraction: input.trimFraction,
            strategy: input.strategy,
            balancedWeight: input.balancedWeight,
          });
          await updateRun(db, input.runId, { analysis });
        }
      }
      await updateRun(db, input.runId, {
        status,
        finished: true,
        ...(notes.length > 0 ? { notes: [analysisRow?.notes, ...notes].filter(Boolean).join(" ") } : {}),
        ...(cleanupError ? { error: `Clean-up failed: ${AppError.from(cleanupError).userMessage}` } : {}),
      });
      if (cleanupError) throw cleanupError;
    },
  };
}

export { JobCancelledError };
