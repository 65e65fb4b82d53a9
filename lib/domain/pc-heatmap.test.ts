import { describe, expect, it } from "vitest";
import { breakEvenUtilization, costPerMillion, hourCost, pcEnabledCost } from "./cost";
import { estimateMemory } from "./memory";
import { pcGuards, scheduleGuards } from "./pc-guards";
import { estimateSchedule, type ObservedPoint, observedHours, weekLevels } from "./pc-heatmap";
import { scheduleTemplate } from "./schedule-template";

const zone = "America/New_York";
// Tuesday 22 July 2025, 10:30 in New York.
const now = Date.parse("2025-07-22T14:30:00Z");
const production = scheduleTemplate("production", false);

describe("the week of PC levels a schedule produces", () => {
  const levels = weekLevels({
    target: production.registration,
    actions: production.actions,
    currentLevel: 0,
    nowMs: now,
    timeZone: zone,
  });

  it.each([
    // [weekday (0 = Sunday), hour, peak level]
    [1, 6, 5], // Monday 06:00: night level
    [1, 7, 50], // Monday 07:45 the peak starts within the hour
    [1, 12, 50],
    [4, 18, 50], // Thursday 18:00
    [4, 19, 5], // the 19:00 action lowers to 5 at the start of the hour
    [4, 20, 5],
    [6, 12, 5], // Saturday: weekend level
    [0, 12, 5],
  ])("day %i hour %i → %i", (day, hour, level) => {
    expect((levels.peak[day] as number[])[hour]).toBe(level);
  });

  it("bills 5-minute steps: the 07:00 hour averages 45 minutes at 5 and 15 at 50", () => {
    expect((levels.average[1] as number[])[7]).toBeCloseTo((9 * 5 + 3 * 50) / 12, 5);
    expect(levels.steps).toHaveLength(2016);
  });

  it("weekends at 0 reach 0 through a scheduled capacity of 0", () => {
    const zero = scheduleTemplate("production", true);
    const weekend = weekLevels({
      target: zero.registration,
      actions: zero.actions,
      currentLevel: 0,
      nowMs: now,
      timeZone: zone,
    });
    expect((weekend.peak[6] as number[])[12]).toBe(0);
    expect((weekend.peak[2] as number[])[12]).toBe(50);
  });

  it("without a target the current static level holds all week", () => {
    const flat = weekLevels({ target: null, actions: [], currentLevel: 10, nowMs: now, timeZone: zone });
    expect(new Set(flat.steps)).toEqual(new Set([10]));
  });
});

describe("observed hours, utilization, spill-over and cost", () => {
  // Two weeks of 5-minute points: 40 concurrent on weekday business hours, 2 otherwise.
  const points: ObservedPoint[] = [];
  for (let t = now - 14 * 86_400_000; t < now; t += 300_000) {
    const local = new Date(t - 4 * 3_600_000);
    const busy =
      local.getUTCDay() >= 1 && local.getUTCDay() <= 5 && local.getUTCHours() >= 8 && local.getUTCHours() < 18;
    points.push({ t, concurrency: busy ? 40 : 2, invocations: busy ? 12_000 : 600, averageDurationMs: 1_000 });
  }
  const observed = observedHours(points, zone, 300_000);
  const levels = weekLevels({
    target: production.registration,
    actions: production.actions,
    currentLevel: 0,
    nowMs: now,
    timeZone: zone,
  });
  const estimate = estimateSchedule({ levels, observed, memoryMb: 512, architecture: "x86_64" });

  it("folds 14 days into p95 per hour of week", () => {
    expect((observed.p95[2] as number[])[10]).toBe(40);
    expect((observed.p95[0] as number[])[10]).toBe(2);
    expect(observed.days).toBeCloseTo(14, 0);
  });

  it("flags nights as under-utilized and sums a monthly cost against no PC", () => {
    const night = estimate.cells.find((cell) => cell.day === 2 && cell.hour === 3);
    expect(night?.flag).toBe("under-utilized");
    const peak = estimate.cells.find((cell) => cell.day === 2 && cell.hour === 10);
    // 12,000 invocations × 1 s per 5 min = 40 average concurrency on 50 provisioned: 80 %.
    expect(peak?.cost.utilization).toBeCloseTo(0.8, 5);
    expect(peak?.flag).toBe("ok");
    expect(estimate.monthly.withPc).toBeGreaterThan(0);
    expect(estimate.monthly.withoutPc).toBeGreaterThan(0);
    expect(estimate.underUtilizedHours).toBeGreaterThan(100);
  });
});

describe("prices", () => {
  it("break-even is ~60 % on both architectures", () => {
    expect(breakEvenUtilization("x86_64")).toBeCloseTo(0.6, 3);
    expect(breakEvenUtilization("arm64")).toBeCloseTo(0.6, 2);
  });
  it("10 × 512 MB of PC costs about $0.075 an hour (AWS_BEHAVIOUR.md §5.1)", () => {
    expect(pcEnabledCost(10, 512, 3600, "x86_64")).toBeCloseTo(0.075, 3);
  });
  it("a million 1-second invocations at 1 GB cost $16.87 on x86", () => {
    expect(costPerMillion(1024, 1000, "x86_64")).toBeCloseTo(16.8667, 3);
    expect(costPerMillion(1024, 1000, "arm64")).toBeLessThan(costPerMillion(1024, 1000, "x86_64"));
  });
  it("PC at full use is cheaper than on-demand, and empty PC is pure cost", () => {
    const full = hourCost({
      pcLevel: 10,
      p95Concurrency: 10,
      invocations: 36_000,
      averageDurationMs: 1000,
      memoryMb: 1024,
      architecture: "x86_64",
    });
    expect(full.withPc).toBeLessThan(full.withoutPc);
    const empty = hourCost({
      pcLevel: 10,
      p95Concurrency: 0,
      invocations: 0,
      averageDurationMs: 0,
      memoryMb: 1024,
      architecture: "x86_64",
    });
    expect(empty.withoutPc).toBe(0);
    expect(empty.utilization).toBe(0);
  });
  it("memory buys CPU share; the estimate brackets compute-bound and unchanged durations", () => {
    const estimate = estimateMemory({
      currentMemoryMb: 512,
      currentDurationMs: 2000,
      memoryMb: 1024,
      architecture: "x86_64",
    });
    expect(estimate.cpuShare).toBeCloseTo(0.579, 3);
    expect(estimate.durationIfComputeBoundMs).toBeCloseTo(1000, 5);
    expect(estimate.costPerMillionIfComputeBound).toBeLessThan(estimate.costPerMillionIfUnchanged);
  });
});

describe("guard rails", () => {
  const base = {
    functionName: "fn",
    qualifier: "live",
    aliasVersion: "3",
    snapStart: false,
    unreservedConcurrency: 1000,
    currentPc: 0,
    peakPc: 50,
  };
  it.each([
    [{}, []],
    [{ aliasVersion: "$LATEST" }, ["alias-on-latest"]],
    [{ snapStart: true }, ["snapstart"]],
    [{ reservedConcurrency: 5 }, ["above-reserved"]],
    [{ unreservedConcurrency: 140 }, ["below-unreserved-floor"]],
    [{ unreservedConcurrency: 140, currentPc: 10 }, []],
  ])("%o → %o", (change, codes) => {
    expect(pcGuards({ ...base, ...change }).map((guard) => guard.code)).toEqual(codes);
  });
  it("finds duplicate, contradictory and dead actions", () => {
    const guards = scheduleGuards(
      [
        { name: "a", schedule: "cron(0 7 ? * MON-FRI *)", timeZone: zone, minCapacity: 50, maxCapacity: 50 },
        { name: "b", schedule: "cron(0 7 ? * MON-FRI *)", timeZone: zone, minCapacity: 5, maxCapacity: 5 },
        { name: "c", schedule: "at(2020-01-01T00:00:00)", minCapacity: 5 },
      ],
      now,
    );
    expect(guards.map((guard) => guard.code).sort()).toEqual(["contradictory", "duplicate-schedule", "never-fires"]);
  });
});
