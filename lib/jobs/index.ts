import { getDb } from "@/lib/db";
import { insertJob, type JobDto, type NewJob } from "./job-store";
import { jobHandlers } from "./registry";
import { type JobRunner, startJobRunner } from "./runner";

export type { JobDto, JobProgress } from "./job-store";
export type { JobContext, JobHandler } from "./runner";

const globalJobs = globalThis as typeof globalThis & { phoenixJobRunner?: JobRunner };

/** Starts this server's job runner (once per process, from instrumentation): resumes interrupted jobs first. */
export async function startJobs(): Promise<void> {
  globalJobs.phoenixJobRunner ??= startJobRunner({ db: await getDb(), handlers: jobHandlers });
}

/** Persists a job and nudges the runner; the caller has authorized and audited the request. */
export async function enqueueJob(job: NewJob): Promise<JobDto> {
  const created = await insertJob(await getDb(), job);
  globalJobs.phoenixJobRunner?.wake();
  return created;
}
