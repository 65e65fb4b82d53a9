import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, JobRow, JobStatus } from "@/lib/db/schema";

export interface JobProgress {
  /** Steps done and total, for the progress bar. */
  done: number;
  total: number;
  /** What is happening now, in words ("Invoking at 1024 MB: 12 of 20"). */
  message: string;
  /** Optional per-part progress, e.g. one bar per memory value. */
  parts?: { label: string; done: number; total: number }[];
}

/** A job as the rest of Phoenix sees it: plain values, parsed JSON. */
export interface JobDto {
  id: string;
  kind: string;
  status: JobStatus;
  target: string | null;
  requestedBy: string;
  input: unknown;
  progress: JobProgress;
  result: unknown;
  error: string | null;
  cleanupError: string | null;
  attempts: number;
  cancelRequested: boolean;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export function toJobDto(row: JobRow): JobDto {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    target: row.target,
    requestedBy: row.requested_by,
    input: JSON.parse(row.input),
    progress: JSON.parse(row.progress) as JobProgress,
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error,
    cleanupError: row.cleanup_error,
    attempts: row.attempts,
    cancelRequested: row.cancel_requested === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export interface NewJob {
  kind: string;
  target?: string;
  input: unknown;
  requestedBy: string;
  requestedRole: string;
  requestId: string;
}

export async function insertJob(db: Kysely<Database>, job: NewJob, now = new Date()): Promise<JobDto> {
  const at = now.toISOString();
  const row: JobRow = {
    id: randomUUID(),
    kind: job.kind,
    status: "queued",
    target: job.target ?? null,
    requested_by: job.requestedBy,
    requested_role: job.requestedRole,
    request_id: job.requestId,
    input: JSON.stringify(job.input),
    state: "{}",
    progress: JSON.stringify({ done: 0, total: 1, message: "Waiting to start" } satisfies JobProgress),
    result: null,
    error: null,
    cleanup_error: null,
    attempts: 0,
    cancel_requested: 0,
    lease_owner: null,
    lease_expires_at: null,
    created_at: at,
    updated_at: at,
    finished_at: null,
  };
  await db.insertInto("jobs").values(row).execute();
  return toJobDto(row);
}

export async function findJob(db: Kysely<Database>, id: string): Promise<JobRow | undefined> {
  return db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listJobs(
  db: Kysely<Database>,
  filter: { target?: string; kind?: string; limit?: number } = {},
): Promise<JobDto[]> {
  let query = db.selectFrom("jobs").selectAll();
  if (filter.target) query = query.where("target", "=", filter.target);
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  const rows = await query
    .orderBy("created_at", "desc")
    .limit(filter.limit ?? 50)
    .execute();
  return rows.map(toJobDto);
}

/**
 * Takes the lease of the oldest job that is waiting, or whose runner stopped renewing its lease (a
 * crashed or restarted server). The conditional update makes the claim atomic across servers.
 */
export async function claimNextJob(
  db: Kysely<Database>,
  owner: string,
  kinds: readonly string[],
  leaseMs: number,
  now = new Date(),
): Promise<JobRow | undefined> {
  if (kinds.length === 0) return undefined;
  const at = now.toISOString();
  const candidates = await db
    .selectFrom("jobs")
    .select("id")
    .where("status", "in", ["queued", "running"])
    .where("kind", "in", kinds)
    .where((eb) => eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<", at)]))
    .orderBy("created_at")
    .limit(5)
    .execute();
  for (const { id } of candidates) {
    const claimed = await db
      .updateTable("jobs")
      .set((eb) => ({
        status: "running",
        lease_owner: owner,
        lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
        attempts: eb("attempts", "+", 1),
        updated_at: at,
      }))
      .where("id", "=", id)
      .where("status", "in", ["queued", "running"])
      .where((eb) => eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<", at)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 1) return findJob(db, id);
  }
  return undefined;
}

/** Saves checkpoints and progress and renews the lease; answers whether a cancel was requested. */
export async function saveJobProgress(
  db: Kysely<Database>,
  id: string,
  owner: string,
  update: { state?: unknown; progress?: JobProgress },
  leaseMs: number,
  now = new Date(),
): Promise<{ cancelRequested: boolean }> {
  await db
    .updateTable("jobs")
    .set({
      ...(update.state === undefined ? {} : { state: JSON.stringify(update.state) }),
      ...(update.progress === undefined ? {} : { progress: JSON.stringify(update.progress) }),
      lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
      updated_at: now.toISOString(),
    })
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    .execute();
  const row = await db.selectFrom("jobs").select("cancel_requested").where("id", "=", id).executeTakeFirst();
  return { cancelRequested: row?.cancel_requested === 1 };
}

export async function finishJob(
  db: Kysely<Database>,
  id: string,
  owner: string,
  outcome: { status: "succeeded" | "failed" | "cancelled"; result?: unknown; error?: string; cleanupError?: string },
  now = new Date(),
): Promise<void> {
  await db
    .updateTable("jobs")
    .set({
      status: outcome.status,
      result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      error: outcome.error ?? null,
      cleanup_error: outcome.cleanupError ?? null,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now.toISOString(),
      finished_at: now.toISOString(),
    })
    .where("id", "=", id)
    .where("lease_owner", "=", owner)
    .execute();
}

/** Asks a job to stop; a queued job is cancelled at once, a running one at its next checkpoint. */
export async function requestJobCancel(db: Kysely<Database>, id: string, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable("jobs")
    .set({ status: "cancelled", cancel_requested: 1, updated_at: at, finished_at: at })
    .where("id", "=", id)
    .where("status", "=", "queued")
    .where("attempts", "=", 0)
    .execute();
  await db
    .updateTable("jobs")
    .set({ cancel_requested: 1, updated_at: at })
    .where("id", "=", id)
    .where("status", "in", ["queued", "running"])
    .execute();
}
