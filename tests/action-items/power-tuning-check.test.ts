import { randomUUID } from "node:crypto";
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionItemDto, buildActionItemViews, type VerificationSources } from "@/lib/data/action-items";
import { readTuningRunsForCheck, tuningRunHref } from "@/lib/data/power-tuning";
import { seedContextFor } from "@/lib/data/reviews";
import { seedPlan } from "@/lib/domain/action-items-seed";
import { tuningJobInputSchema } from "@/lib/domain/power-tuning-input";
import { createPowerTuningHandler, POWER_TUNING_JOB } from "@/lib/jobs/handlers/power-tuning";
import { findRun, insertRun, settingsOf } from "@/lib/jobs/handlers/power-tuning-store";
import { insertJob } from "@/lib/jobs/job-store";
import { startJobRunner } from "@/lib/jobs/runner";
import { createHarness, type SandboxHarness } from "@/lib/sandbox/testing";
import { freshSqliteStore, type TestStore } from "../support/stores";

/**
 * Check 3 against real power-tuning runs: the job runs in the sandbox (real SDK clients, a manual
 * clock, updates that complete at once), the store remembers the runs, and the check reads them.
 */

const FUNCTION = "process-user-request";
const HOUR_MS = 3_600_000;

let harness: SandboxHarness;
let store: TestStore;

beforeAll(async () => {
  harness = await createHarness("in-process", { timings: { updateDurationMs: 0 } });
  store = await freshSqliteStore();
});
afterAll(async () => {
  await harness.close();
  await store.cleanup();
});

function nowMs(): number {
  return harness.clock.now().getTime();
}

function sources(): VerificationSources {
  return {
    clients: harness,
    nowMs: nowMs(),
    powerTuningRuns: (name) => readTuningRunsForCheck(store.db, name),
  };
}

/** Items 1 and 3 of the seeded plan (3 depends on 1), item 1 done at `refactorDoneMs` (or not). */
async function itemsWithRefactorDone(refactorDoneMs: number | null): Promise<ActionItemDto[]> {
  const region = await harness.sandbox.region();
  const plan = seedPlan(
    seedContextFor({ anchorMs: region.state.world.anchorMs, scenario: region.state.world.scenario }, nowMs()),
  );
  const ids = new Map(plan.items.map((item, index) => [item.seedKey, `item-${index + 1}`]));
  return plan.items.slice(0, 3).map((item, index) => ({
    id: `item-${index + 1}`,
    position: index + 1,
    title: item.title,
    owner: item.owner,
    dueDate: item.dueDate,
    status: index === 0 && refactorDoneMs !== null ? "done" : item.status,
    notes: item.notes,
    dependsOn: item.dependsOnSeedKeys.map((dependency) => ({
      itemId: ids.get(dependency.seedKey) as string,
      reason: dependency.reason,
    })),
    functions: item.functions,
    verification: item.verification,
    startedAt: null,
    doneAt: index === 0 && refactorDoneMs !== null ? new Date(refactorDoneMs).toISOString() : null,
    createdAt: "2025-07-22T00:00:00.000Z",
    updatedAt: "2025-07-22T00:00:00.000Z",
  }));
}

async function checkThree(refactorDoneMs: number) {
  const { views } = await buildActionItemViews(sources(), await itemsWithRefactorDone(refactorDoneMs), {
    effects: false,
  });
  const three = views[2];
  expect(three?.verification?.kind).toBe("memory-tuned");
  return three?.check?.result ?? expect.fail("item 3 has no check result");
}

/** A real power-tuning run of the live alias, started now (sandbox time), driven to its end. */
async function tune(memoryValues: number[]): Promise<{ runId: string; recommendedMb: number }> {
  const input = tuningJobInputSchema.parse({
    runId: randomUUID(),
    functionName: FUNCTION,
    qualifier: "live",
    memoryValues,
    invocations: 5,
    payloads: [{ json: '{"userId":"u-1"}', weight: 1 }],
    parallel: false,
    coldStarts: false,
    strategy: "speed",
    balancedWeight: 0.5,
    trimFraction: 0.2,
  });
  await insertRun(
    store.db,
    {
      id: input.runId,
      functionName: FUNCTION,
      qualifier: "live",
      requestedBy: "olivia",
      settings: settingsOf(input),
    },
    harness.clock.now(),
  );
  await insertJob(store.db, {
    kind: POWER_TUNING_JOB,
    target: `function:${FUNCTION}`,
    input,
    requestedBy: "olivia",
    requestedRole: "operator",
    requestId: "req-check-3",
  });
  const runner = startJobRunner({
    db: store.db,
    handlers: [
      createPowerTuningHandler({
        lambda: async () => harness.lambda,
        db: async () => store.db,
        wait: { pollMs: 1 },
      }),
    ],
    pollMs: 20,
  });
  await runner.drain();
  await runner.stop();
  const run = (await findRun(store.db, input.runId)) ?? expect.fail("run vanished");
  expect(run.status).toBe("succeeded");
  return { runId: input.runId, recommendedMb: run.analysis?.chosen.memoryMb ?? expect.fail("no recommendation") };
}

/** What an operator does to change memory on the live alias: update $LATEST, publish, move the alias. */
async function setLiveMemory(memoryMb: number): Promise<void> {
  await harness.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: FUNCTION, MemorySize: memoryMb }));
  harness.clock.advance(1_000);
  const state = await harness.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION }));
  expect(state.LastUpdateStatus).toBe("Successful");
  const published = await harness.lambda.send(new PublishVersionCommand({ FunctionName: FUNCTION }));
  await harness.lambda.send(
    new UpdateAliasCommand({ FunctionName: FUNCTION, Name: "live", FunctionVersion: published.Version }),
  );
  harness.clock.advance(60_000);
}

describe("check 3 reads the power-tuning runs Phoenix made", () => {
  it("ignores a run made before the refactor was done and compares with the newest run made after it", async () => {
    // 1. A run before the refactor is done: it measured the old package.
    const early = await tune([256, 512]);
    harness.clock.advance(HOUR_MS);
    const refactorDoneMs = nowMs();
    harness.clock.advance(HOUR_MS);

    const unchanged = await checkThree(refactorDoneMs);
    expect(unchanged.outcome).toBe("fail");
    expect(unchanged.summary).toMatch(/^memory is still 512 MB: not changed since “Refactor/);
    const earlyLine = unchanged.evidence.find((line) => line.includes(`power-tuning run ${early.runId.slice(0, 8)}`));
    expect(earlyLine).toMatch(
      /does not count: it was made before “Refactor .*” was done, so it measured the old package$/,
    );
    expect(unchanged.warnings).toContain(
      `No completed power-tuning run of ${FUNCTION} started after “${(await itemsWithRefactorDone(null))[0]?.title}” was done: the memory is not compared with a recommendation yet.`,
    );

    // 2. Memory changed by hand, still no run after the refactor: memory changed is enough (with a warning).
    await setLiveMemory(768);
    const byHand = await checkThree(refactorDoneMs);
    expect(byHand.outcome).toBe("pass");
    expect(byHand.summary).toMatch(/^memory changed 512 → 768 MB after “Refactor/);
    expect(byHand.warnings.join(" ")).toMatch(/No completed power-tuning run/);

    // 3. A run after the refactor recommends something else than the 768 MB live runs.
    const tuned = await tune([1024, 1536, 2048]);
    const differs = await checkThree(refactorDoneMs);
    expect(differs.outcome).toBe("fail");
    expect(differs.summary).toBe(
      `${FUNCTION}:live runs 768 MB, but power-tuning run ${tuned.runId.slice(0, 8)} (after “${(await itemsWithRefactorDone(null))[0]?.title}”, speed strategy) recommends ${tuned.recommendedMb} MB`,
    );
    // The run restored $LATEST and removed its temporary versions: live still runs what the operator set.
    expect(differs.evidence).toContain(`${FUNCTION}:live runs version ${await liveVersion()} with 768 MB`);

    // 4. The recommendation applied: the check passes and names the run, its strategy and recommendation.
    await setLiveMemory(tuned.recommendedMb);
    const applied = await checkThree(refactorDoneMs);
    expect(applied.outcome).toBe("pass");
    expect(applied.summary).toMatch(
      new RegExp(
        `^memory changed 512 → ${tuned.recommendedMb} MB after “Refactor .*” was done, as power-tuning run ${tuned.runId.slice(0, 8)} \\(speed strategy\\) recommends$`,
      ),
    );
    expect(applied.evidence.find((line) => line.includes(tuned.runId.slice(0, 8)))).toMatch(
      new RegExp(`speed strategy, alias live\\) counts: recommends ${tuned.recommendedMb} MB — “.+”$`),
    );
    expect(applied.links).toEqual([
      { label: `power-tuning run ${tuned.runId.slice(0, 8)}`, href: tuningRunHref(FUNCTION, tuned.runId) },
      { label: `power-tuning run ${early.runId.slice(0, 8)}`, href: tuningRunHref(FUNCTION, early.runId) },
    ]);
    expect(applied.warnings).toEqual([]);
  }, 120_000);
});

async function liveVersion(): Promise<string> {
  const alias = await harness.lambda.send(new GetAliasCommand({ FunctionName: FUNCTION, Name: "live" }));
  return alias.FunctionVersion ?? "";
}
