import { randomUUID } from "node:crypto";
import { ListAliasesCommand, ListVersionsByFunctionCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryAudit, recordChange } from "@/lib/audit";
import { getFunctionState } from "@/lib/aws/lambda-changes";
import { type TuningJobInput, tuningJobInputSchema } from "@/lib/domain/power-tuning-input";
import {
  createPowerTuningHandler,
  POWER_TUNING_JOB,
  type PowerTuningDependencies,
  type TuningState,
} from "@/lib/jobs/handlers/power-tuning";
import { findRun, insertRun, listInvocations, settingsOf } from "@/lib/jobs/handlers/power-tuning-store";
import { claimNextJob, findJob, insertJob, requestJobCancel, saveJobProgress, toJobDto } from "@/lib/jobs/job-store";
import { type JobContext, startJobRunner } from "@/lib/jobs/runner";
import { createHarness, type SandboxHarness } from "@/lib/sandbox/testing";
import { interceptedLambdaClient } from "@/tests/support/intercepted-lambda";
import { storeKinds, type TestStore } from "@/tests/support/stores";

/**
 * The power-tuning job against the real SDK and the sandbox (updates complete at once: short
 * timings) on both stores: a full run, a cancel, and a server that dies mid-run.
 */

const FUNCTION = "process-user-request";
const requester = { requestedBy: "olivia", requestedRole: "operator", requestId: "req-tuning" };

async function aliasNames(harness: SandboxHarness): Promise<string[]> {
  const output = await harness.lambda.send(new ListAliasesCommand({ FunctionName: FUNCTION }));
  return (output.Aliases ?? []).map((alias) => alias.Name ?? "").sort();
}

async function versionNumbers(harness: SandboxHarness): Promise<string[]> {
  const output = await harness.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: FUNCTION }));
  return (output.Versions ?? []).map((version) => version.Version ?? "").sort();
}

/** An SDK client on the harness's sandbox whose requests first pass `before` (to gate or freeze them). */
function tuningInput(overrides: Partial<TuningJobInput> = {}): TuningJobInput {
  return tuningJobInputSchema.parse({
    runId: randomUUID(),
    functionName: FUNCTION,
    qualifier: "live",
    memoryValues: [256, 512, 1024],
    invocations: 5,
    payloads: [{ json: '{"userId":"u-1"}', weight: 1 }],
    parallel: false,
    coldStarts: false,
    strategy: "cost",
    balancedWeight: 0.5,
    trimFraction: 0.2,
    ...overrides,
  });
}

async function enqueue(store: TestStore, input: TuningJobInput): Promise<string> {
  await insertRun(store.db, {
    id: input.runId,
    functionName: input.functionName,
    qualifier: input.qualifier,
    requestedBy: requester.requestedBy,
    settings: settingsOf(input),
  });
  const job = await insertJob(store.db, {
    ...requester,
    kind: POWER_TUNING_JOB,
    target: `function:${FUNCTION}`,
    input,
  });
  return job.id;
}

describe.each(storeKinds)("power-tuning job on %s", (_dialect, open) => {
  let store: TestStore;
  let harness: SandboxHarness;
  let deps: PowerTuningDependencies;
  let aliasesBefore: string[];
  let versionsBefore: string[];

  beforeAll(async () => {
    store = await open();
    harness = await createHarness("in-process", { timings: { updateDurationMs: 0 } });
    deps = { lambda: async () => harness.lambda, db: async () => store.db, wait: { pollMs: 1 } };
    aliasesBefore = await aliasNames(harness);
    versionsBefore = await versionNumbers(harness);
  });
  afterAll(async () => {
    await harness.close();
    await store.cleanup();
  });

  async function assertNothingLeft(): Promise<void> {
    expect(await aliasNames(harness)).toEqual(aliasesBefore);
    expect(await versionNumbers(harness)).toEqual(versionsBefore);
    expect((await getFunctionState(harness.lambda, FUNCTION)).memoryMb).toBe(512);
  }

  it("measures every memory value, recommends, restores the memory and leaves nothing temporary", async () => {
    // Prepare
    const input = tuningInput();
    const jobId = await enqueue(store, input);
    // Act
    const runner = startJobRunner({ db: store.db, handlers: [createPowerTuningHandler(deps)], pollMs: 20 });
    await runner.drain();
    await runner.stop();
    // Assess
    const job = toJobDto((await findJob(store.db, jobId)) ?? expect.fail("job vanished"));
    expect(job).toMatchObject({ status: "succeeded", error: null, cleanupError: null });
    expect(job.progress.parts?.map((part) => [part.label, part.done])).toEqual([
      ["256 MB", 5],
      ["512 MB", 5],
      ["1,024 MB", 5],
    ]);
    const invocations = await listInvocations(store.db, input.runId);
    expect(invocations).toHaveLength(15);
    expect(invocations.every((invocation) => invocation.report?.startsWith("REPORT RequestId:"))).toBe(true);
    // The first invocation behind each fresh alias is a cold start.
    expect(invocations.filter((invocation) => invocation.initDurationMs > 0).map((i) => i.memoryMb)).toEqual([
      256, 512, 1024,
    ]);
    const run = (await findRun(store.db, input.runId)) ?? expect.fail("run vanished");
    expect(run.status).toBe("succeeded");
    expect(run.baselineMemoryMb).toBe(512);
    expect(run.analysis?.memories.map((memory) => memory.memoryMb)).toEqual([256, 512, 1024]);
    expect(run.analysis?.chosen.words).toMatch(/MB/);
    // More memory is faster in the simulator (CPU share = memory / 1,769 MB).
    const [low, , high] = run.analysis?.memories ?? [];
    expect(high?.duration.p50 ?? 0).toBeLessThan(low?.duration.p50 ?? 0);
    await assertNothingLeft();
    const audit = await queryAudit(store.db, { action: `job.${POWER_TUNING_JOB}` }, 200);
    const targets = new Set(audit.map((entry) => entry.target));
    expect(targets).toContain(`function:${FUNCTION}:phoenix-tune-1024`);
    expect(audit.every((entry) => entry.actor === "olivia")).toBe(true);
    expect(audit.some((entry) => entry.outcome === "failure")).toBe(false);
  });

  it("stops when cancelled and still cleans up", async () => {
    // Prepare: invocations wait at a gate after the second one, so the cancel lands mid-run.
    const input = tuningInput({ memoryValues: [128, 1024, 2048] });
    const jobId = await enqueue(store, input);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let invokes = 0;
    const gated = interceptedLambdaClient(harness, async (request) => {
      if (request.path.endsWith("/invocations") && ++invokes > 2) await gate;
    });
    const runner = startJobRunner({
      db: store.db,
      handlers: [createPowerTuningHandler({ ...deps, lambda: async () => gated })],
      pollMs: 20,
    });
    await expect.poll(() => invokes, { timeout: 20_000, interval: 5 }).toBe(3);
    // Act
    await requestJobCancel(store.db, jobId);
    release();
    await runner.drain();
    await runner.stop();
    // Assess
    const job = toJobDto((await findJob(store.db, jobId)) ?? expect.fail("job vanished"));
    expect(job.status).toBe("cancelled");
    expect(job.cleanupError).toBeNull();
    expect(await listInvocations(store.db, input.runId)).toHaveLength(3);
    expect((await findRun(store.db, input.runId))?.status).toBe("cancelled");
    await assertNothingLeft();
    gated.destroy();
  });

  it("after the server dies mid-run, another server resumes the job: no double counts, nothing left", async () => {
    // Prepare: a server claims the job and dies (its next Invoke never returns) while measuring 512 MB.
    const input = tuningInput();
    const jobId = await enqueue(store, input);
    const leaseMs = 200;
    const row = (await claimNextJob(store.db, "dead-server", [POWER_TUNING_JOB], leaseMs)) ?? expect.fail("no job");
    let invokes = 0;
    // A dead process never answers: the 8th Invoke hangs forever.
    const dying = interceptedLambdaClient(harness, async (request) => {
      if (request.path.endsWith("/invocations") && ++invokes > 7) await new Promise(() => undefined);
    });
    let state: Partial<TuningState> = {};
    const actor = {
      ...requester,
      actor: requester.requestedBy,
      role: requester.requestedRole,
      action: `job.${POWER_TUNING_JOB}`,
    };
    const deadContext: JobContext<TuningJobInput, TuningState> = {
      job: { id: row.id, kind: row.kind, attempt: row.attempts, target: row.target },
      input,
      get state() {
        return state;
      },
      async checkpoint(next, progress) {
        state = { ...state, ...next };
        await saveJobProgress(store.db, row.id, "dead-server", { state, progress }, leaseMs);
      },
      async progress(progress) {
        await saveJobProgress(store.db, row.id, "dead-server", { progress }, leaseMs);
      },
      change: (record, perform) => recordChange(store.db, actor, record, perform),
    };
    const dead = createPowerTuningHandler({ ...deps, lambda: async () => dying });
    void dead.run(deadContext);
    await expect.poll(() => invokes, { timeout: 20_000, interval: 5 }).toBe(8);
    // The dead server left its temporary alias, version and memory behind.
    expect(await aliasNames(harness)).toContain("phoenix-tune-512");
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 50));

    // Act: another server starts and takes the job over when the lease has expired.
    const runner = startJobRunner({
      db: store.db,
      handlers: [createPowerTuningHandler(deps)],
      pollMs: 20,
      leaseMs: 5_000,
    });
    await runner.drain();
    await runner.stop();

    // Assess: attempt 2 finished the job from its checkpoints; 15 invocations recorded, not more.
    const job = toJobDto((await findJob(store.db, jobId)) ?? expect.fail("job vanished"));
    expect(job).toMatchObject({ status: "succeeded", attempts: 2, cleanupError: null });
    const invocations = await listInvocations(store.db, input.runId);
    expect(invocations).toHaveLength(15);
    expect(new Set(invocations.map((i) => `${i.memoryMb}/${i.sequence}`)).size).toBe(15);
    expect((await findRun(store.db, input.runId))?.status).toBe("succeeded");
    await assertNothingLeft();
    // The call in flight when the server died is an intent without outcome: "unknown", never a success.
    const audit = await queryAudit(
      store.db,
      { action: `job.${POWER_TUNING_JOB}`, target: `function:${FUNCTION}:phoenix-tune-512` },
      50,
    );
    expect(audit.some((entry) => entry.outcome === "unknown")).toBe(true);
    dying.destroy();
  });
});
