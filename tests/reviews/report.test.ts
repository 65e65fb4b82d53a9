import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCallCounts, resetAwsCallCounts } from "@/lib/aws/errors";
import { BuildReads } from "@/lib/data/action-items";
import {
  buildReviewReport,
  listReviewRows,
  type ReportSources,
  seedContextFor,
  seedReviewData,
} from "@/lib/data/reviews";
import { reviewToMarkdown } from "@/lib/domain/markdown";
import { compareWithPrevious } from "@/lib/domain/reviews";
import { metricRows } from "@/lib/domain/reviews-format";
import { createHarness, type SandboxHarness } from "@/lib/sandbox/testing";
import { freshSqliteStore, type TestStore } from "../support/stores";

// The seeded reviews of the `followup` scenario, built from the real SDK clients against the sandbox.
let harness: SandboxHarness;
let store: TestStore;
let sources: ReportSources;

beforeAll(async () => {
  harness = await createHarness("in-process", { scenario: "followup" });
  store = await freshSqliteStore();
  const nowMs = harness.clock.now().getTime();
  sources = {
    clients: harness,
    nowMs,
    db: store.db,
    source: "the sandbox (followup)",
    history: () => harness.sandbox.history(),
  };
  const world = (await harness.sandbox.region()).state.world;
  await seedReviewData(store.db, seedContextFor({ anchorMs: world.anchorMs, scenario: world.scenario }, nowMs));
}, 120_000);
afterAll(async () => {
  await harness.close();
  await store.cleanup();
});

describe("the follow-up review in the followup scenario", () => {
  it("shows p90 of process-user-request improved against the baseline, with all six items verified", async () => {
    // Prepare
    const [followUp, meeting] = await listReviewRows(store.db);
    if (!followUp || !meeting) throw new Error("reviews not seeded");
    // Act
    const report = await buildReviewReport(sources, followUp);
    const earlier = await buildReviewReport(sources, meeting);
    // Assess
    const main = report.functions.find((row) => row.fn.name === "process-user-request");
    expect(main?.fn).toMatchObject({ runtime: "python3.11", memoryMb: 1024 });
    expect(main?.baseline.p90).toBeGreaterThan(700);
    expect(main?.current.p90 ?? Number.POSITIVE_INFINITY).toBeLessThan((main?.baseline.p90 ?? 0) * 0.7);
    expect(main?.current.coldStarts ?? 0).toBeGreaterThan(0);
    expect(main?.current.pcAllocated).toBeGreaterThan(0);
    expect(main?.currentCost.provisioned).toBeGreaterThan(0);
    expect(report.actionItems).toHaveLength(6);
    expect(report.actionItems.every((item) => item.check !== null)).toBe(true);
    expect(report.total.percentilesCoverAll).toBe(true);
    expect(report.total.current.invocations).toBe(
      report.functions.reduce((sum, row) => sum + row.current.invocations, 0),
    );
    expect(report.charts[0]?.functionName).toBe("process-user-request");
    expect(report.charts[0]?.points).toHaveLength(14 * 24);
    // The scenario's fixes show up as changes in between; p99 is no longer near the 5 s timeout
    // (a 50-at-peak schedule is under 60 % utilized, which the risks say).
    expect(report.changes.map((change) => change.title).join(" | ")).toMatch(/Drop the dataframe library/);
    const mainRisks = report.risks.filter((risk) => risk.functionName === "process-user-request");
    expect(mainRisks.map((risk) => risk.kind)).not.toContain("p99-near-timeout");
    const previous = compareWithPrevious(report, earlier);
    const mainPrevious = previous.rows.find((row) => row.name === "process-user-request");
    expect(mainPrevious?.now.p90 ?? Number.POSITIVE_INFINITY).toBeLessThan(mainPrevious?.previous?.p90 ?? 0);
    // The Markdown export says exactly what the page's rows say.
    const markdown = reviewToMarkdown(report, { saved: true, previous });
    const rows = metricRows(
      main?.baseline ?? report.total.baseline,
      main?.current ?? report.total.current,
      {
        baseline: main?.baselineCost ?? report.total.baselineCost,
        current: main?.currentCost ?? report.total.currentCost,
      },
      report.review,
    );
    const section = markdown.split("## process-user-request")[1]?.split("\n## ")[0] ?? "";
    for (const row of rows)
      expect(section).toContain(`| ${row.label} | ${row.baseline} | ${row.current} | ${row.delta} |`);
    // A snapshot is plain JSON: it reads the same after a round trip.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    // Bounded, not timed: two reports simulate two weeks of traffic on a shared machine.
  }, 240_000);

  it("builds a review and the one before it with one build's reads: the same figures, fewer AWS calls", async () => {
    // Prepare
    const [followUp, meeting] = await listReviewRows(store.db);
    if (!followUp || !meeting) throw new Error("reviews not seeded");
    const calls = () => Object.values(awsCallCounts()).reduce((sum, count) => sum + count, 0);
    resetAwsCallCounts();
    const alone = await Promise.all([buildReviewReport(sources, followUp), buildReviewReport(sources, meeting)]);
    const separateCalls = calls();
    // Act: what the review page does on its first open (getReview).
    resetAwsCallCounts();
    const reads = new BuildReads(sources);
    const together = await Promise.all([
      buildReviewReport({ ...sources, reads }, followUp),
      buildReviewReport({ ...sources, reads }, meeting),
    ]);
    const sharedCalls = calls();
    // Assess: coalescing changes what is asked for, never the answer.
    for (const [index, report] of together.entries()) {
      const expected = alone[index];
      expect(report.functions).toEqual(expected?.functions);
      expect(report.total).toEqual(expected?.total);
      expect(report.charts).toEqual(expected?.charts);
      expect(report.actionItems).toEqual(expected?.actionItems);
      expect(report.risks).toEqual(expected?.risks);
    }
    // The shared baseline, the items' checks and their effects are read once instead of twice.
    expect(sharedCalls).toBeLessThan(separateCalls * 0.7);
    // Bounded, not timed: four reports on a shared machine.
  }, 300_000);
});
