import { UpdateFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionItemDto, buildActionItemViews, type VerificationSources } from "@/lib/data/action-items";
import { seedContextFor } from "@/lib/data/reviews";
import { seedPlan } from "@/lib/domain/action-items-seed";
import { createHarness, type SandboxHarness } from "@/lib/sandbox/testing";

// The six seeded checks against the real SDK clients and a sandbox on a manual clock, in both scenarios.

function itemsFrom(context: ReturnType<typeof seedContextFor>): ActionItemDto[] {
  const plan = seedPlan(context);
  const ids = new Map(plan.items.map((item, index) => [item.seedKey, `item-${index + 1}`]));
  return plan.items.map((item, index) => ({
    id: `item-${index + 1}`,
    position: index + 1,
    title: item.title,
    owner: item.owner,
    dueDate: item.dueDate,
    status: item.status,
    notes: item.notes,
    dependsOn: item.dependsOnSeedKeys.map((dependency) => ({
      itemId: ids.get(dependency.seedKey) as string,
      reason: dependency.reason,
    })),
    functions: item.functions,
    verification: item.verification,
    startedAt: item.startedAt,
    doneAt: item.doneAt,
    createdAt: "2025-07-22T00:00:00.000Z",
    updatedAt: "2025-07-22T00:00:00.000Z",
  }));
}

async function worldOf(harness: SandboxHarness) {
  const region = await harness.sandbox.region();
  return { anchorMs: region.state.world.anchorMs, scenario: region.state.world.scenario };
}

describe("checks in the meeting scenario (the problem state)", () => {
  let harness: SandboxHarness;
  let sources: VerificationSources;
  beforeAll(async () => {
    harness = await createHarness("in-process");
    sources = { clients: harness, nowMs: harness.clock.now().getTime() };
  });
  afterAll(async () => harness.close());

  it("fails or waits on every item, with evidence read from AWS", async () => {
    // Prepare
    const items = itemsFrom(seedContextFor(await worldOf(harness), sources.nowMs));
    // Act
    const { views } = await buildActionItemViews(sources, items, { effects: false });
    // Assess
    const outcome = (position: number) => views[position - 1]?.check?.result.outcome;
    expect(views.map((view) => view.status)).toEqual(["todo", "todo", "todo", "todo", "todo", "todo"]);
    expect(outcome(1)).toBe("fail");
    expect(views[0]?.check?.result.summary).toMatch(/over the 10 MB threshold \(layers 46\.0 MB\)/);
    expect(outcome(2)).toBe("fail");
    expect(views[1]?.check?.result.summary).toMatch(/still points at the Aurora cluster/);
    expect(outcome(3)).toBe("pending");
    expect(views[2]?.check?.result.summary).toMatch(/waiting for “Refactor/);
    expect(outcome(4)).toBe("fail");
    expect(outcome(5)).toBe("fail");
    expect(views[4]?.check?.result.summary).toMatch(
      /3 of 4 functions still run python3\.9: process-user-request, send-notification, update-user-settings/,
    );
    expect(outcome(6)).toBe("fail");
    expect(views[5]?.check?.result.summary).toMatch(/not registered as a scalable target/);
    for (const view of views) expect(view.check?.result.checkedAt).toBe(new Date(sources.nowMs).toISOString());
  });

  it("marks a done item whose check fails, and offers to close one whose check passes", async () => {
    // Prepare: item 5 marked done while python3.9 remains; then every python3.9 function upgraded.
    const items = itemsFrom(seedContextFor(await worldOf(harness), sources.nowMs));
    const five = items[4] as ActionItemDto;
    const done = { ...five, status: "done" as const, doneAt: new Date(sources.nowMs).toISOString() };
    // Act
    const before = await buildActionItemViews(sources, [done], { effects: false });
    for (const name of ["process-user-request", "send-notification", "update-user-settings"]) {
      await harness.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Runtime: "python3.12" }));
    }
    const afterDone = await buildActionItemViews(sources, [done], { effects: false });
    const afterTodo = await buildActionItemViews(sources, [five], { effects: false });
    // Assess
    expect(before.views[0]?.verdict).toMatchObject({ tone: "danger", offerClose: false });
    expect(before.views[0]?.verdict.label).toMatch(/^Marked done, check fails: 3 of 4 functions still run python3\.9/);
    expect(afterDone.views[0]?.verdict).toMatchObject({
      tone: "ok",
      label: expect.stringMatching(/^Done and verified/),
    });
    expect(afterTodo.views[0]?.verdict).toMatchObject({
      offerClose: true,
      label: expect.stringMatching(/^Check passes — close it\?/),
    });
  });

  it("warns when item 3 starts before item 1 is done, and says why", async () => {
    const items = itemsFrom(seedContextFor(await worldOf(harness), sources.nowMs));
    const started = items.map((item, index) => (index === 2 ? { ...item, status: "in_progress" as const } : item));
    const { views } = await buildActionItemViews(sources, started, { effects: false });
    expect(views[2]?.warnings).toEqual([
      expect.stringMatching(/^Started before item 1 “Refactor .*” is done: the refactor changes the package/),
    ]);
    expect(views[0]?.warnings).toEqual([]);
  });
});

describe("checks in the followup scenario (the fixes applied last week)", () => {
  let harness: SandboxHarness;
  let sources: VerificationSources;
  beforeAll(async () => {
    harness = await createHarness("in-process", { scenario: "followup" });
    sources = { clients: harness, nowMs: harness.clock.now().getTime() };
  });
  afterAll(async () => harness.close());

  it("verifies the done items and shows each one's effect on the linked functions", async () => {
    const items = itemsFrom(seedContextFor(await worldOf(harness), sources.nowMs));
    const { views, cost } = await buildActionItemViews(sources, items, { effects: true });
    expect(views.map((view) => view.status)).toEqual(["done", "done", "done", "done", "done", "done"]);
    const outcomes = views.map((view) => view.check?.result.outcome);
    // Item 4: the endpoint is configured and the handler's Phoenix/CacheHit metric shows the cache in use.
    expect(outcomes).toEqual(["pass", "pass", "pass", "pass", "pass", "pass"]);
    expect(views[2]?.check?.result.summary).toMatch(/memory changed 512 → 1024 MB/);
    expect(views[3]?.verdict.label).toMatch(/^Done and verified: /);
    expect(views[3]?.check?.result.evidence.join(" ")).toMatch(
      /Cache hits in the last 24 h: [1-9][\d,]* \(CloudWatch Phoenix\/CacheHit/,
    );
    const refactor = views[0]?.effect?.functions[0];
    expect(refactor?.name).toBe("process-user-request");
    expect(refactor?.before.p90).toBeGreaterThan(0);
    expect(refactor?.after.p90 ?? Number.POSITIVE_INFINITY).toBeLessThan(refactor?.before.p90 ?? 0);
    expect(refactor?.before.coldStarts).toBeGreaterThan(0);
    expect(refactor?.before.timeouts).not.toBeNull();
    expect(views[5]?.effect?.afterPartial).toBe(true);
    expect(cost.getMetricDataCalls).toBe(12);
    // Bounded, not timed: the effects simulate two weeks of traffic on a shared machine.
  }, 180_000);
});
