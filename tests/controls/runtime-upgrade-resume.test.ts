import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { JobContext } from "@/lib/jobs/runner";
import { createHarness, type SandboxHarness } from "@/lib/sandbox/testing";
import { interceptedLambdaClient } from "@/tests/support/intercepted-lambda";
import { sandboxControlsDeps } from "@/tests/support/sandbox-controls-deps";

/**
 * The bulk runtime upgrade survives its server dying mid-item: the next server resumes the item from
 * its checkpoints (publish, move the alias, follow PC to READY) instead of finding $LATEST already on
 * the new runtime and skipping it. The "dying server" is a Lambda client whose PublishVersion never
 * answers, as a killed process never would.
 */

process.env.PHOENIX_DATA_DIR = mkdtempSync(path.join(tmpdir(), "phoenix-upgrade-resume-"));
process.env.NEXTAUTH_SECRET = "r".repeat(40);

const { runAction } = await import("@/lib/actions/define-action");
const { queryAudit, recordChange } = await import("@/lib/audit");
const { getDb } = await import("@/lib/db");
const { setControlsDeps } = await import("@/lib/data/controls-deps");
const controls = await import("@/lib/data/controls");
const { controlsJobHandlers, RUNTIME_UPGRADE_JOB, runtimeUpgradeJob } = await import("@/lib/jobs/handlers/controls");
const { startJobRunner } = await import("@/lib/jobs/runner");
const { claimNextJob, findJob, saveJobProgress, toJobDto } = await import("@/lib/jobs/job-store");
const lambdaChanges = await import("@/lib/aws/lambda-changes");

const FUNCTION = "process-user-request";
const operator: SessionUser = { id: "id-olivia", username: "olivia", name: "olivia", role: "operator" };

let harness: SandboxHarness;

beforeAll(async () => {
  harness = await createHarness("in-process");
});
afterAll(async () => {
  setControlsDeps(undefined);
  await harness.close();
});

describe("bulk runtime upgrade after a crash", () => {
  it("resumes the item in flight: publishes, moves live, follows PC to READY, audits the lost call as unknown", async () => {
    // Prepare: live carries PC and runs python3.9.
    const live = await lambdaChanges.getAlias(harness.lambda, FUNCTION, "live");
    await lambdaChanges.putProvisionedConcurrency(harness.lambda, FUNCTION, "live", 5);
    await harness.sandbox.advance(10 * 60_000);
    expect((await lambdaChanges.getProvisionedConcurrency(harness.lambda, FUNCTION, "live"))?.status).toBe("READY");
    const state = await lambdaChanges.getFunctionState(harness.lambda, FUNCTION);
    expect(state.runtime).toBe("python3.9");
    const started = await runAction(
      controls.startRuntimeUpgradeAction,
      {
        fromRuntime: "python3.9",
        targetRuntime: "python3.12",
        functions: [{ name: FUNCTION, revisionId: state.revisionId }],
        onFailure: "stop",
        publishAndMove: true,
      },
      operator,
    );
    expect(started).toMatchObject({ ok: true });
    const jobId = started.ok ? (started.data as { jobId: string }).jobId : "";

    // A server claims the job and dies while publishing (after $LATEST moved to python3.12).
    const db = await getDb();
    const leaseMs = 200;
    const row = (await claimNextJob(db, "dead-server", [RUNTIME_UPGRADE_JOB], leaseMs)) ?? expect.fail("no job");
    let publishing = false;
    const dying = interceptedLambdaClient(harness, async (request) => {
      if (request.method === "POST" && /\/versions$/.test(request.path)) {
        publishing = true;
        await new Promise(() => undefined);
      }
    });
    setControlsDeps(sandboxControlsDeps(harness, { lambda: dying }));
    let jobState: Record<string, unknown> = JSON.parse(row.state);
    const deadContext = {
      job: { id: row.id, kind: row.kind, attempt: row.attempts, target: row.target },
      input: runtimeUpgradeJob.input.parse(JSON.parse(row.input)),
      get state() {
        return jobState;
      },
      async checkpoint(next: Record<string, unknown>, progress?: Parameters<typeof saveJobProgress>[3]["progress"]) {
        jobState = { ...jobState, ...next };
        await saveJobProgress(db, row.id, "dead-server", { state: jobState, progress }, leaseMs);
      },
      async progress(progress: NonNullable<Parameters<typeof saveJobProgress>[3]["progress"]>) {
        await saveJobProgress(db, row.id, "dead-server", { progress }, leaseMs);
      },
      change: (record: { target: string; before?: unknown }, perform: () => Promise<unknown>) =>
        recordChange(
          db,
          { requestId: row.request_id, actor: row.requested_by, role: row.requested_role, action: `job.${row.kind}` },
          record,
          perform,
        ),
    } as unknown as JobContext<never, never>;
    void runtimeUpgradeJob.run(deadContext as never);
    await expect.poll(() => publishing, { timeout: 20_000, interval: 5 }).toBe(true);
    expect((await lambdaChanges.getFunctionState(harness.lambda, FUNCTION)).runtime).toBe("python3.12");
    expect((await lambdaChanges.getAlias(harness.lambda, FUNCTION, "live")).functionVersion).toBe(live.functionVersion);
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 50));

    // Act: another server takes the job over once the lease has expired.
    setControlsDeps(sandboxControlsDeps(harness));
    const runner = startJobRunner({ db, handlers: controlsJobHandlers, pollMs: 20, leaseMs: 5_000 });
    await runner.drain();
    await runner.stop();

    // Assess: the item finished from its checkpoint rather than being skipped as "already on python3.12".
    const job = toJobDto((await findJob(db, jobId)) ?? expect.fail("job vanished"));
    expect(job).toMatchObject({ status: "succeeded", attempts: 2 });
    const [result] = (job.result as { results: { status: string; message: string; aliases?: unknown[] }[] }).results;
    expect(result?.status).toBe("done");
    expect(result?.message).toMatch(/live \d+ → \d+; PC on live READY \(5\)/);
    const after = await lambdaChanges.getAlias(harness.lambda, FUNCTION, "live");
    expect(after.functionVersion).not.toBe(live.functionVersion);
    expect((await lambdaChanges.getVersionState(harness.lambda, FUNCTION, after.functionVersion)).runtime).toBe(
      "python3.12",
    );
    expect((await lambdaChanges.getProvisionedConcurrency(harness.lambda, FUNCTION, "live"))?.status).toBe("READY");
    // The rollback information survived the crash: live's previous version is the one it ran before.
    expect(result?.aliases).toEqual([
      { name: "live", previousVersion: live.functionVersion, version: after.functionVersion },
    ]);
    // The publish in flight when the server died is an intent without outcome: "unknown", never a success.
    const audit = await queryAudit(db, { action: `job.${RUNTIME_UPGRADE_JOB}`, target: `function:${FUNCTION}` }, 20);
    expect(audit.some((entry) => entry.outcome === "unknown")).toBe(true);
    dying.destroy();
  });
});
