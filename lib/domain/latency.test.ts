import { describe, expect, it } from "vitest";
import {
  allocatedFromUtilization,
  chunked,
  describeCountChange,
  describeLatencyChange,
  estimateUsd,
  formatCount,
  formatDuration,
  formatPercent,
  formatUsd,
  insightsTimestamp,
  logGroupOfInsightsLog,
  matchesFleetFilter,
  mergeSeries,
  planMetricBatches,
  sortFleetRows,
} from "./latency";

describe("numbers in plain words", () => {
  it.each([
    [null, "—"],
    [0.5, "0.50 ms"],
    [812.4, "812 ms"],
    [2_600, "2.6 s"],
    [5_000, "5 s"],
    [14_200, "14 s"],
    [192_000, "3.2 min"],
  ])("formatDuration(%s) = %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [null, "—"],
    [0, "0 %"],
    [0.0003, "0.03 %"],
    [0.024, "2.4 %"],
    [0.15, "15 %"],
  ])("formatPercent(%s) = %s", (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });

  it("formats counts and tiny dollar amounts readably", () => {
    expect(formatCount(1_234_567)).toBe("1,234,567");
    expect(formatCount(12_345_678)).toBe("12.3 M");
    expect(formatUsd(0.00047)).toBe("$0.00047");
    expect(formatUsd(1.5)).toBe("$1.50");
    expect(formatUsd(0)).toBe("$0");
  });
});

describe("before and after", () => {
  it.each([
    [2_600, 812, "p90 2.6 s — 3.2× the 812 ms of two weeks ago"],
    [680, 800, "p90 680 ms — 15 % lower than the 800 ms of two weeks ago"],
    [900, 800, "p90 900 ms — 13 % higher than the 800 ms of two weeks ago"],
    [800, 800, "p90 800 ms — the same as the 800 ms of two weeks ago"],
    [2_600, null, "p90 2.6 s — no data from two weeks earlier"],
    [null, 800, "p90: no invocations in this window"],
  ])("describeLatencyChange(%s, %s)", (now, before, text) => {
    expect(describeLatencyChange("p90", now, before)).toBe(text);
  });

  it.each([
    [115, 100, "Timeouts up 15 % (115 vs 100)"],
    [60, 100, "Timeouts down 40 % (60 vs 100)"],
    [0, 0, "No timeouts in either window"],
    [5, 0, "Timeouts: 5, none two weeks earlier"],
    [5, null, "Timeouts: 5 (nothing to compare with two weeks earlier)"],
  ])("describeCountChange(%s, %s)", (now, before, text) => {
    expect(describeCountChange("Timeouts", now, before)).toBe(text);
  });
});

describe("GetMetricData batches", () => {
  it.each([
    [10, 60, [10]],
    [500, 10, [500]],
    [501, 10, [500, 1]],
    [1_200, 1, [500, 500, 200]],
    // 1,440 points per series: 70 series fill the 100,800-point budget of one call.
    [100, 1_440, [70, 30]],
  ])("%i queries of %i points → calls of %j", (count, points, sizes) => {
    const batches = planMetricBatches(
      Array.from({ length: count }, (_, index) => index),
      points,
    );
    expect(batches.map((batch) => batch.length)).toEqual(sizes);
    expect(batches.flat()).toHaveLength(count);
  });

  it("prices metrics requested and bytes scanned", () => {
    const cost = estimateUsd({
      getMetricDataCalls: 1,
      metricsRequested: 1_000,
      logsQueries: 2,
      logsBytesScanned: 2_000_000_000,
      otherCalls: 0,
    });
    expect(cost.metrics).toBeCloseTo(0.01);
    expect(cost.logs).toBeCloseTo(0.01);
    expect(cost.total).toBeCloseTo(0.02);
  });
});

describe("mergeSeries", () => {
  it("puts series on one axis with gaps as null and counts zero-filled", () => {
    const rows = mergeSeries(
      {
        p90: { timestamps: [0, 120_000], values: [800, 900] },
        invocations: { timestamps: [60_000], values: [5] },
      },
      0,
      180_000,
      60,
      ["invocations"],
    );
    expect(rows).toEqual([
      { t: 0, p90: 800, invocations: 0 },
      { t: 60_000, p90: null, invocations: 5 },
      { t: 120_000, p90: 900, invocations: 0 },
    ]);
  });

  it("derives allocated provisioned concurrency only when something ran on it", () => {
    expect(allocatedFromUtilization(25, 0.5)).toBe(50);
    expect(allocatedFromUtilization(0, 0)).toBeNull();
    expect(allocatedFromUtilization(null, 0.5)).toBeNull();
  });

  it("reads Logs Insights bin timestamps as UTC", () => {
    expect(insightsTimestamp("2025-07-22 14:30:00.000")).toBe(Date.parse("2025-07-22T14:30:00Z"));
    expect(insightsTimestamp("")).toBeNull();
  });
});

describe("the fleet table order", () => {
  const rows = [
    { name: "a", runtime: "python3.9", p90: 300 },
    { name: "b", runtime: "nodejs22.x", p90: null },
    { name: "c", runtime: "python3.11", p90: 2_600 },
  ];
  const value = (row: (typeof rows)[number]) => row.p90;

  it("puts the worst first and rows without data last, in both directions", () => {
    expect(sortFleetRows(rows, "p90", "desc", value).map((row) => row.name)).toEqual(["c", "a", "b"]);
    expect(sortFleetRows(rows, "p90", "asc", value).map((row) => row.name)).toEqual(["a", "c", "b"]);
  });

  it("filters on every word against name and runtime", () => {
    expect(rows.filter((row) => matchesFleetFilter(row, "PYTHON 3.9")).map((row) => row.name)).toEqual(["a"]);
    expect(rows.filter((row) => matchesFleetFilter(row, "python3.1")).map((row) => row.name)).toEqual(["c"]);
    expect(rows.filter((row) => matchesFleetFilter(row, "")).map((row) => row.name)).toEqual(["a", "b", "c"]);
  });
});

describe("Logs Insights batches", () => {
  it.each([
    ["123456789012:/aws/lambda/process-user-request", "/aws/lambda/process-user-request"],
    ["/aws/lambda/bare-name", "/aws/lambda/bare-name"],
    [" 123456789012:/custom/group ", "/custom/group"],
    ["", null],
  ])("reads the log group of @log %j", (value, expected) => {
    expect(logGroupOfInsightsLog(value)).toBe(expected);
  });

  it.each([
    [0, 50, []],
    [6, 50, [6]],
    [50, 50, [50]],
    [51, 50, [50, 1]],
    [120, 50, [50, 50, 20]],
  ])("slices %i log groups into queries of at most %i", (count, size, sizes) => {
    const items = Array.from({ length: count }, (_, index) => index);
    const chunks = chunked(items, size);
    expect(chunks.map((chunk) => chunk.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(items);
  });

  it("refuses a chunk size that is not a positive integer", () => {
    expect(() => chunked([1], 0)).toThrow();
  });
});
