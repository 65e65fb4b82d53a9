import { GetMetricDataCommand, ListMetricsCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type SandboxHarness, TRANSPORTS } from "../../testing";
import { queryResultsWhenEnded } from "../logs/testing";

// The optimized handler's EMF metrics (namespace Phoenix, dimension FunctionName) in the followup
// scenario: process-user-request runs the refactored handler from the "drop the dataframe library"
// event (7 days before now) and reads its configuration through Redis from the "Redis" event (5 days).
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function phoenix(id: string, metricName: string, stat: string, period: number, functionName = "process-user-request") {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: "Phoenix",
        MetricName: metricName,
        Dimensions: [{ Name: "FunctionName", Value: functionName }],
      },
      Period: period,
      Stat: stat,
    },
  } satisfies MetricDataQuery;
}

describe.each(TRANSPORTS)("the optimized handler's own metrics over the real SDK (%s)", (transport) => {
  let harness: SandboxHarness;
  let endMs: number;
  beforeAll(async () => {
    harness = await createHarness(transport, { scenario: "followup" });
    endMs = Math.floor(harness.clock.now().getTime() / HOUR) * HOUR;
  });
  afterAll(async () => {
    await harness.close();
  });

  async function one(query: MetricDataQuery, startMs: number, stopMs: number): Promise<number | undefined> {
    const output = await harness.cloudWatch.send(
      new GetMetricDataCommand({ MetricDataQueries: [query], StartTime: new Date(startMs), EndTime: new Date(stopMs) }),
    );
    return output.MetricDataResults?.[0]?.Values?.[0];
  }

  async function logsCount(queryString: string, startMs: number, stopMs: number): Promise<number> {
    const started = await harness.logs.send(
      new StartQueryCommand({
        logGroupName: "/aws/lambda/process-user-request",
        startTime: startMs / 1000,
        endTime: stopMs / 1000 - 1,
        queryString,
      }),
    );
    const results = await queryResultsWhenEnded(harness, started.queryId);
    return Number(results.results?.[0]?.find((field) => field.field === "n")?.value ?? 0);
  }

  it("lists the Phoenix metrics of the function that runs the optimized handler, and only those", async () => {
    const listed = await harness.cloudWatch.send(new ListMetricsCommand({ Namespace: "Phoenix" }));
    const metrics = listed.Metrics ?? [];
    expect(metrics.map((metric) => metric.MetricName).sort()).toEqual(
      ["CacheError", "CacheHit", "CacheMiss", "ColdStart", "DbMs", "InitDuration", "Rows", "S3Ms"].sort(),
    );
    for (const metric of metrics)
      expect(metric.Dimensions).toEqual([{ Name: "FunctionName", Value: "process-user-request" }]);
    const coldStart = await harness.cloudWatch.send(
      new ListMetricsCommand({ Namespace: "Phoenix", MetricName: "ColdStart", Dimensions: [{ Name: "FunctionName" }] }),
    );
    expect(coldStart.Metrics).toHaveLength(1);
  });

  it("counts as many cold starts as the REPORT lines with an Init Duration, one record per invocation that did not time out", async () => {
    // Six days: after the refactor, before and after the provisioned-concurrency schedule.
    const startMs = endMs - 6 * DAY;
    const coldStarts = await one(phoenix("c", "ColdStart", "Sum", 6 * 86_400), startMs, endMs);
    const records = await one(phoenix("n", "ColdStart", "SampleCount", 6 * 86_400), startMs, endMs);
    const initLines = await logsCount('filter @type = "REPORT" | stats count(@initDuration) as n', startMs, endMs);
    const reports = await logsCount('filter @type = "REPORT" | stats count(*) as n', startMs, endMs);
    const timeouts = await logsCount("filter @message like /Status: timeout/ | stats count(*) as n", startMs, endMs);
    expect(initLines).toBeGreaterThan(0);
    expect(Math.round(coldStarts ?? -1)).toBe(initLines);
    expect(Math.round(records ?? -1)).toBe(reports - timeouts);
    const initP90 = await one(phoenix("i", "InitDuration", "p90", 6 * 86_400), startMs, endMs);
    // ~14 MB package at 1024 MB on python3.11: a few hundred ms, far below pandas' seconds.
    expect(initP90).toBeGreaterThan(20);
    expect(initP90).toBeLessThan(1_000);
  });

  it("reports Redis cache hits and misses, database and S3 time and rows", async () => {
    const startMs = endMs - DAY;
    const hits = (await one(phoenix("h", "CacheHit", "Sum", 86_400), startMs, endMs)) ?? 0;
    const misses = (await one(phoenix("m", "CacheMiss", "Sum", 86_400), startMs, endMs)) ?? 0;
    expect(hits).toBeGreaterThan(0);
    expect(misses).toBeGreaterThan(0);
    // The model's miss rate is 3 %.
    expect(hits / (hits + misses)).toBeGreaterThan(0.9);
    expect(await one(phoenix("e", "CacheError", "Sum", 86_400), startMs, endMs)).toBe(0);
    const dbMs = await one(phoenix("d", "DbMs", "p50", 86_400), startMs, endMs);
    const s3Ms = await one(phoenix("s", "S3Ms", "p50", 86_400), startMs, endMs);
    expect(dbMs).toBeGreaterThan(0);
    expect(dbMs).toBeLessThan(50);
    expect(s3Ms).toBeGreaterThan(20);
    expect(s3Ms).toBeLessThan(100);
    const rowsMin = await one(phoenix("r", "Rows", "Minimum", 86_400), startMs, endMs);
    const rowsMax = await one(phoenix("x", "Rows", "Maximum", 86_400), startMs, endMs);
    expect(rowsMin).toBeGreaterThanOrEqual(50);
    expect(rowsMax).toBeLessThanOrEqual(500);
  });

  it("has no data before the handler was deployed, nor for other functions or dimension sets", async () => {
    const before = await one(phoenix("b", "ColdStart", "Sum", 86_400), endMs - 10 * DAY, endMs - 9 * DAY);
    expect(before).toBeUndefined();
    expect(await one(phoenix("o", "ColdStart", "Sum", 3_600, "get-user-profile"), endMs - HOUR, endMs)).toBeUndefined();
    const withResource = await one(
      {
        Id: "w",
        MetricStat: {
          Metric: {
            Namespace: "Phoenix",
            MetricName: "ColdStart",
            Dimensions: [
              { Name: "FunctionName", Value: "process-user-request" },
              { Name: "Resource", Value: "process-user-request:live" },
            ],
          },
          Period: 3_600,
          Stat: "Sum",
        },
      },
      endMs - DAY,
      endMs,
    );
    expect(withResource).toBeUndefined();
  });
});

describe("the meeting scenario (before the refactor)", () => {
  it("publishes no Phoenix metrics until the dataframe library is dropped", async () => {
    const harness = await createHarness("in-process");
    try {
      expect((await harness.cloudWatch.send(new ListMetricsCommand({ Namespace: "Phoenix" }))).Metrics).toEqual([]);
      await harness.sandbox.applyScenarioEvent("drop-dataframe-library");
      await harness.sandbox.advance(2 * HOUR);
      const listed = await harness.cloudWatch.send(
        new ListMetricsCommand({ Namespace: "Phoenix", MetricName: "ColdStart" }),
      );
      expect(listed.Metrics?.map((metric) => metric.Dimensions?.[0]?.Value)).toEqual(["process-user-request"]);
    } finally {
      await harness.close();
    }
  });
});
