import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { queryAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { claimNextJob, findJob, insertJob, requestJobCancel, saveJobProgress, toJobDto } from "@/lib/jobs/job-store";
import { type JobHandler, startJobRunner } from "@/lib/jobs/runner";
import { storeKinds, type TestStore } from "@/tests/support/stores";

const requester = { requestedBy: "olivia", requestedRole: "operator", requestId: "req-jobs" };

/** A job of three steps that records what it did, so tests can see resumption and cleanup. */
function stepsHandler(
  log: string[],
  options: { failAt?: number; gate?: Promise<void> } = {},
): JobHandler<{ steps: number }, { done: number }> {
  return {
    kind: "test.steps",
    input: z.object({ steps: z.number().int().min(1) }),
    async run(context) {
      for (let step = context.state.done ?? 0; step < context.input.steps; step += 1) {
        if (step === 1 && options.gate) await options.gate;
        if (step === options.failAt)
          throw new AppError("AWS_ERROR", { userMessage: "Lambda throttled the request; try again later." });
        await context.change({ target: "function:demo", before: { step } }, async () => ({ step: step + 1 }));
        log.push(`attempt ${context.job.attempt}: step ${step + 1}`);
        await context.checkpoint(
          { done: step + 1 },
          { done: step + 1, total: context.input.steps, message: `Step ${step + 1}` },
        );
      }
      return { steps: context.input.steps };
    },
    async cleanup(context) {
      log.push(`cleanup after ${context.state.done ?? 0}`);
    },
  };
}

describe.each(storeKinds)("persisted jobs on %s", (_dialect, open) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it("runs to the end with progress, audited changes, a completion row and clean-up", async () => {
    const log: string[] = [];
    const job = await insertJob(store.db, {
      ...requester,
      kind: "test.steps",
      target: "function:demo",
      input: { steps: 3 },
    });
    const runner = startJobRunner({ db: store.db, handlers: [stepsHandler(log)], pollMs: 20 });
    await runner.drain();
    await runner.stop();
    const done = toJobDto((await findJob(store.db, job.id)) ?? expect.fail("job vanished"));
    expect(done).toMatchObject({
      status: "succeeded",
      result: { steps: 3 },
      progress: { done: 3, total: 3 },
      error: null,
    });
    expect(log).toEqual(["attempt 1: step 1", "attempt 1: step 2", "attempt 1: step 3", "cleanup after 3"]);
    const audit = await queryAudit(store.db, { action: "job.test.steps" }, 10);
    expect(audit.map((entry) => [entry.actor, entry.outcome])).toEqual([
      ["olivia", "success"],
      ["olivia", "success"],
      ["olivia", "success"],
      ["olivia", "success"],
    ]);
  });

  it("records a failure in plain words and still cleans up", async () => {
    const log: string[] = [];
    const job = await insertJob(store.db, { ...requester, kind: "test.steps", input: { steps: 3 } });
    const runner = startJobRunner({ db: store.db, handlers: [stepsHandler(log, { failAt: 1 })], pollMs: 20 });
    await runner.drain();
    await runner.stop();
    const failed = toJobDto((await findJob(store.db, job.id)) ?? expect.fail("job vanished"));
    expect(failed).toMatchObject({ status: "failed", error: "Lambda throttled the request; try again later." });
    expect(log).toEqual(["attempt 1: step 1", "cleanup after 1"]);
  });

  it("stops at the next checkpoint when cancelled, then cleans up", async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const job = await insertJob(store.db, { ...requester, kind: "test.steps", input: { steps: 3 } });
    const runner = startJobRunner({ db: store.db, handlers: [stepsHandler(log, { gate })], pollMs: 20 });
    await expect.poll(() => log.length, { timeout: 10_000 }).toBe(1);
    await requestJobCancel(store.db, job.id);
    release();
    await runner.drain();
    await runner.stop();
    const cancelled = toJobDto((await findJob(store.db, job.id)) ?? expect.fail("job vanished"));
    expect(cancelled.status).toBe("cancelled");
    expect(log).toEqual(["attempt 1: step 1", "attempt 1: step 2", "cleanup after 2"]);
  });

  it("cancels a job that has not started at once", async () => {
    const job = await insertJob(store.db, { ...requester, kind: "test.never-runs", input: {} });
    await requestJobCancel(store.db, job.id);
    expect((await findJob(store.db, job.id))?.status).toBe("cancelled");
  });

  it("resumes from its checkpoint after the server running it died", async () => {
    // Prepare: a "crashed" server claimed the job, did step 1 and stopped renewing its lease.
    const log: string[] = [];
    const job = await insertJob(store.db, { ...requester, kind: "test.steps", input: { steps: 3 } });
    const claimed = await claimNextJob(store.db, "dead-server", ["test.steps"], 1);
    expect(claimed?.id).toBe(job.id);
    await saveJobProgress(store.db, job.id, "dead-server", { state: { done: 1 } }, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Act: another server starts.
    const runner = startJobRunner({ db: store.db, handlers: [stepsHandler(log)], pollMs: 20 });
    await runner.drain();
    await runner.stop();
    // Assess: only the remaining steps ran, on attempt 2.
    expect(log).toEqual(["attempt 2: step 2", "attempt 2: step 3", "cleanup after 3"]);
    expect((await findJob(store.db, job.id))?.status).toBe("succeeded");
  });

  it("never lets two servers hold the same job", async () => {
    const job = await insertJob(store.db, { ...requester, kind: "test.lease", input: {} });
    const first = await claimNextJob(store.db, "server-a", ["test.lease"], 60_000);
    const second = await claimNextJob(store.db, "server-b", ["test.lease"], 60_000);
    expect(first?.id).toBe(job.id);
    expect(second).toBeUndefined();
  });
});
