import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { type AuditActor, appendAudit, recordChange } from "@/lib/audit";
import type { Database, JobRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { claimNextJob, finishJob, type JobProgress, saveJobProgress } from "./job-store";

/** Thrown from a checkpoint when someone asked the job to stop. */
export class JobCancelledError extends Error {
  override name = "JobCancelledError";
}

export interface JobContext<Input, State> {
  job: { id: string; kind: string; attempt: number; target: string | null };
  input: Input;
  /** Checkpoints saved by this or an earlier attempt ({} on the first). */
  state: Partial<State>;
  /** Persists checkpoints and progress; throws JobCancelledError when a cancel was requested. */
  checkpoint(state: Partial<State>, progress?: JobProgress): Promise<void>;
  progress(progress: JobProgress): Promise<void>;
  /** An audited side effect, recorded as the person who started the job. */
  change<T>(record: { target: string; before?: unknown }, perform: () => Promise<T>): Promise<T>;
}

/**
 * A kind of long work. `run` must be resumable: after a restart it is called again with the state
 * an earlier attempt checkpointed. `cleanup` undoes temporary work and must be idempotent; it runs
 * after every end — success, failure or cancellation.
 */
export interface JobHandler<Input = unknown, State = Record<string, unknown>> {
  kind: string;
  input: z.ZodType<Input>;
  run(context: JobContext<Input, State>): Promise<unknown>;
  cleanup?(context: JobContext<Input, State>): Promise<void>;
}

export interface JobRunner {
  /** Looks for work now instead of at the next poll (call after enqueuing). */
  wake(): void;
  /** Resolves when no job is running and none is claimable (tests). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export interface JobRunnerOptions {
  db: Kysely<Database>;
  // biome-ignore lint/suspicious/noExplicitAny: a registry of handlers of every input and state type
  handlers: readonly JobHandler<any, any>[];
  pollMs?: number;
  leaseMs?: number;
  concurrency?: number;
  /** Identifies this process's leases (tests simulate a second server with another owner). */
  owner?: string;
}

export function startJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, pollMs = 1_000, leaseMs = 30_000, concurrency = 2 } = options;
  const owner = options.owner ?? `runner-${randomUUID()}`;
  const handlers = new Map(options.handlers.map((handler) => [handler.kind, handler]));
  const running = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;

  async function execute(row: JobRow): Promise<void> {
    // biome-ignore lint/style/noNonNullAssertion: claimed only for registered kinds
    const handler = handlers.get(row.kind)!;
    const actor: AuditActor = {
      requestId: row.request_id,
      actor: row.requested_by,
      role: row.requested_role,
      action: `job.${row.kind}`,
    };
    let state = JSON.parse(row.state) as Record<string, unknown>;
    // Renew the lease while the handler waits on something slow without checkpointing.
    const heartbeat = setInterval(() => {
      saveJobProgress(db, row.id, owner, {}, leaseMs).catch(() => undefined);
    }, leaseMs / 3);
    heartbeat.unref();

    const parsedInput = handler.input.safeParse(JSON.parse(row.input));
    const context: JobContext<unknown, Record<string, unknown>> = {
      job: { id: row.id, kind: row.kind, attempt: row.attempts, target: row.target },
      input: parsedInput.success ? parsedInput.data : undefined,
      get state() {
        return state;
      },
      async checkpoint(next, progress) {
        state = { ...state, ...next };
        const { cancelRequested } = await saveJobProgress(db, row.id, owner, { state, progress }, leaseMs);
        if (cancelRequested) throw new JobCancelledError("Cancelled on request");
      },
      async progress(progress) {
        const { cancelRequested } = await saveJobProgress(db, row.id, owner, { progress }, leaseMs);
        if (cancelRequested) throw new JobCancelledError("Cancelled on request");
      },
      change(record, perform) {
        return recordChange(db, actor, record, perform, (error) => AppError.from(error).message);
      },
    };

    let outcome: { status: "succeeded" | "failed" | "cancelled"; result?: unknown; error?: string };
    try {
      if (!parsedInput.success) {
        throw new AppError("INVALID_INPUT", { userMessage: "The job's stored input is no longer valid." });
      }
      const result = await handler.run(context);
      outcome = { status: "succeeded", result };
    } catch (error) {
      outcome =
        error instanceof JobCancelledError
          ? { status: "cancelled", error: "Cancelled on request." }
          : { status: "failed", error: AppError.from(error).userMessage };
      if (!(error instanceof JobCancelledError) && AppError.from(error).code === "INTERNAL") {
        console.error(`[job ${row.kind} ${row.id}]`, error);
      }
    }
    let cleanupError: string | undefined;
    if (handler.cleanup) {
      try {
        await handler.cleanup(context);
      } catch (error) {
        cleanupError = AppError.from(error).userMessage;
        console.error(`[job ${row.kind} ${row.id}] cleanup failed`, error);
      }
    }
    clearInterval(heartbeat);
    await finishJob(db, row.id, owner, { ...outcome, cleanupError });
    await appendAudit(db, {
      ...actor,
      target: row.target,
      after: outcome.result,
      result: outcome.status === "succeeded" ? "success" : "failure",
      error: [outcome.error, cleanupError && `cleanup: ${cleanupError}`].filter(Boolean).join("; ") || null,
    });
  }

  async function poll(): Promise<void> {
    while (!stopped && running.size < concurrency) {
      const row = await claimNextJob(db, owner, [...handlers.keys()], leaseMs);
      if (!row) break;
      const task = execute(row).catch((error) => console.error(`[job ${row.id}] runner error`, error));
      running.add(task);
      task.finally(() => {
        running.delete(task);
        wake();
      });
    }
  }

  function schedule(delay: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      polling = poll()
        .catch((error) => console.error("[jobs] poll failed", error))
        .finally(() => schedule(pollMs));
    }, delay);
    timer.unref();
  }

  function wake() {
    schedule(0);
  }

  schedule(0);
  return {
    wake,
    async drain() {
      for (;;) {
        await polling;
        if (running.size === 0) {
          await poll();
          if (running.size === 0) return;
        }
        await Promise.all(running);
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await polling;
      await Promise.all(running);
    },
  };
}
