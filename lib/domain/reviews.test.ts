import { describe, expect, it } from "vitest";
import {
  emptyStats,
  estimateMonthlyCost,
  formatDelta,
  openRisks,
  resolveReviewWindows,
  reviewFieldsSchema,
} from "./reviews";

const now = Date.parse("2025-08-01T15:20:00Z");
const firstMeeting = Date.parse("2025-07-22T00:00:00Z");
const empty = { baselineFrom: "", baselineTo: "", currentFrom: "", currentTo: "" };

describe("review windows", () => {
  it("default to the two weeks before the first meeting and the last seven days", () => {
    const result = resolveReviewWindows(empty, { nowMs: now, firstMeetingMs: firstMeeting });
    expect(result).toEqual({
      ok: true,
      baseline: { startMs: Date.parse("2025-07-08T00:00:00Z"), endMs: firstMeeting },
      current: { startMs: Date.parse("2025-07-25T15:00:00Z"), endMs: Date.parse("2025-08-01T15:00:00Z") },
    });
  });

  it.each([
    [{ ...empty, baselineFrom: "2025-07-20", baselineTo: "2025-07-10" }, "baselineTo", /ends before it starts/],
    [{ ...empty, currentTo: "2025-08-09" }, "currentTo", /lies in the future/],
    [{ ...empty, currentFrom: "2025-08-05" }, "currentFrom", /starts in the future/],
  ])("refuse %o with a field error on %s", (fields, field, message) => {
    const result = resolveReviewWindows(fields, { nowMs: now, firstMeetingMs: firstMeeting });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[field]?.[0]).toMatch(message);
  });

  it("refuse empty titles, bad dates and malformed function names", () => {
    const parsed = reviewFieldsSchema.safeParse({
      title: " ",
      meetingDate: "22/07/2025",
      functions: "ok, not a name!",
    });
    expect(parsed.success).toBe(false);
    const fields = new Set(parsed.error?.issues.map((issue) => String(issue.path[0])));
    expect(fields).toEqual(new Set(["title", "meetingDate", "functions"]));
  });
});

describe("deltas and cost", () => {
  it.each([
    [2_500, 800, true, "↓ 68 %"],
    [800, 920, true, "↑ 15 %"],
    [null, 800, true, "—"],
  ])("%s → %s (lower is better: %s) reads %s", (before, after, lowerIsBetter, expected) => {
    expect(formatDelta(before, after, lowerIsBetter)).toBe(expected);
  });

  it("prices a month of on-demand invocations and provisioned concurrency (x86, tier 1)", () => {
    const week = { startMs: 0, endMs: 7 * 86_400_000 };
    const stats = { ...emptyStats(), average: 1_000, invocations: 1_000_000 };
    const onDemand = estimateMonthlyCost(stats, { memoryMb: 1024, architecture: "x86_64" }, week);
    // 1 M × 1 s × 1 GB × $0.0000166667 + $0.20, × 30/7.
    expect(onDemand.onDemand).toBeCloseTo((16.6667 + 0.2) * (30 / 7), 2);
    expect(onDemand.provisioned).toBe(0);
    const withPc = estimateMonthlyCost(
      { ...stats, pcAllocated: 10, spillover: 0 },
      { memoryMb: 1024, architecture: "x86_64" },
      week,
    );
    expect(withPc.provisioned).toBeCloseTo((10 * 604_800 * 0.0000041667 + 1_000_000 * 0.0000097222) * (30 / 7), 2);
  });
});

describe("open risks", () => {
  it("name deprecated runtimes, provisioned concurrency under 60 % and p99 near the timeout", () => {
    const fn = {
      name: "process-user-request",
      runtime: "python3.9",
      memoryMb: 512,
      timeoutSeconds: 5,
      architecture: "x86_64",
    };
    const current = { ...emptyStats(), p99: 4_600, pcAllocated: 50, pcUtilization: 0.31 };
    const zero = { onDemand: 0, provisioned: 0, total: 0 };
    const risks = openRisks(
      [{ fn, baseline: emptyStats(), current, baselineCost: zero, currentCost: zero }],
      Date.parse("2026-12-04"),
    );
    expect(risks.map((risk) => risk.kind)).toEqual(["deprecated-runtime", "pc-utilization", "p99-near-timeout"]);
    expect(risks[1]?.text).toMatch(/31 % utilized \(break-even ~60 %\)/);
    expect(risks[2]?.text).toMatch(/p99 4\.6 s is 92 % of the 5 s timeout/);
  });
});
