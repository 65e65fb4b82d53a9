import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { UpdateFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCallCounts, resetAwsCallCounts } from "@/lib/aws/errors";
import { fetchColdStartsAndTimeouts } from "@/lib/data/cold-starts-and-timeouts";
import {
  fetchFleetInventory,
  fetchFleetLogs,
  fetchFleetMetrics,
  fetchFunctionAnnotations,
  fetchFunctionLogs,
  fetchFunctionMetrics,
  fetchFunctionSummary,
  type LatencySources,
} from "@/lib/data/latency-fetchers";
import type { AuditAnnotationSource } from "@/lib/domain/latency-annotations";
import { HOUR_MS, resolveWindow, type TimeWindow } from "@/lib/domain/periods";
import { AppError } from "@/lib/errors";
import { createHarness, type SandboxHarness } from "@/lib/sandbox/testing";

// The real SDK clients against a sandbox on a manual clock, just after the review meeting.
let harness: SandboxHarness;
let sources: LatencySources;
const audit: AuditAnnotationSource[] = [];

beforeAll(async () => {
  harness = await createHarness("in-process");
  sources = {
    clients: harness,
    nowMs: harness.clock.now().getTime(),
    audit: async () => audit,
    history: () => harness.sandbox.history(),
  };
});
afterAll(async () => {
  await harness.close();
});

function window(range: "24h" | "7d" | "14d" | "90d"): TimeWindow {
  const result = resolveWindow({ range }, sources.nowMs);
  if (!result.ok) throw new Error(result.message);
  return result.window;
}

describe("the fleet overview fetchers", () => {
  it("list the seeded functions with their runtime status and provisioned concurrency", async () => {
    const inventory = await fetchFleetInventory(sources);
    const names = inventory.functions.map((fn) => fn.name);
    expect(names).toContain("process-user-request");
    expect(names).toHaveLength(6);
    const main = inventory.functions.find((fn) => fn.name === "process-user-request");
    // 2025-07-22 is less than 180 days before python3.9's deprecation on 2025-12-15.
    expect(main?.runtimeStatus).toMatchObject({ state: "deprecating", deprecatedOn: "2025-12-15" });
    expect(main?.pcAllocated).toBeNull();
    const profile = inventory.functions.find((fn) => fn.name === "get-user-profile");
    expect(profile?.pcQualifiers).toEqual(["live"]);
    expect(profile?.pcAllocated).toBe(10);
  });

  it("read a whole day for every function in two GetMetricData calls and compare with two weeks earlier", async () => {
    const inventory = await fetchFleetInventory(sources);
    const day = window("24h");
    resetAwsCallCounts();
    const metrics = await fetchFleetMetrics(sources, inventory, day, ["process-user-request"]);
    expect(awsCallCounts()["CloudWatch.GetMetricData"]).toBe(2);
    expect(metrics.cost.getMetricDataCalls).toBe(2);
    // 7 queries per function, 2 for the one alias with provisioned concurrency, 3 for the focus comparison.
    expect(metrics.cost.metricsRequested).toBe(6 * 7 + 2 + 3);
    const main = metrics.rows.find((row) => row.name === "process-user-request");
    expect(main?.p90).toBeGreaterThan(1_500);
    expect(main?.p90).toBeLessThan(5_000);
    expect(main?.before?.p90).toBeGreaterThan(300);
    expect(main?.before?.p90 ?? Number.POSITIVE_INFINITY).toBeLessThan(main?.p90 ?? 0);
    expect(main?.p50 ?? 0).toBeLessThanOrEqual(main?.p90 ?? 0);
    expect(main?.p90 ?? 0).toBeLessThanOrEqual(main?.p99 ?? 0);
    expect(main?.sparkline.length).toBeGreaterThan(20);
    expect(main?.sparkline.length).toBeLessThanOrEqual(48);
    const profile = metrics.rows.find((row) => row.name === "get-user-profile");
    expect(profile?.pcUtilization).toBeGreaterThan(0);
  });

  it("count cold starts and timeouts from Logs Insights, matching the Invocations metric", async () => {
    const inventory = await fetchFleetInventory(sources);
    const day = window("24h");
    const metrics = await fetchFleetMetrics(sources, inventory, day, ["process-user-request"]);
    const invocations = new Map(metrics.rows.map((row) => [row.name, row.invocations]));
    resetAwsCallCounts();
    const logs = await fetchFleetLogs(sources, inventory, day, ["process-user-request"], metrics);
    // Batched by log group: cold starts, timeouts, and the focus's timeouts two weeks earlier.
    expect(awsCallCounts()["CloudWatchLogs.StartQuery"]).toBe(3);
    expect(logs.cost.logsQueries).toBe(3);
    const main = logs.rows.find((row) => row.name === "process-user-request");
    expect(main?.reports).toBe(invocations.get("process-user-request"));
    expect(main?.coldStarts).toBeGreaterThan(0);
    expect(main?.timeouts).toBeGreaterThan(0);
    expect(main?.timeoutsBefore).toBeLessThan(main?.timeouts ?? 0);
    expect(main).toMatchObject({ coldStartsSource: "logs-insights", timeoutsSource: "logs-insights" });
    // Every function with traffic has its own row, equal to what a query of its log group alone gives.
    for (const row of logs.rows) {
      expect(row.reports).toBe(invocations.get(row.name));
      expect(row.coldStarts).not.toBeNull();
      expect(row.timeouts).not.toBeNull();
    }
    const alone = await fetchColdStartsAndTimeouts(sources, {
      functions: [{ name: "get-user-profile", logGroup: "/aws/lambda/get-user-profile" }],
      startMs: day.startMs,
      endMs: day.endMs,
    });
    const profile = logs.rows.find((row) => row.name === "get-user-profile");
    expect(alone.byFunction["get-user-profile"]).toMatchObject({
      reports: profile?.reports,
      coldStarts: profile?.coldStarts,
      initP50: profile?.initP50,
      timeouts: profile?.timeouts,
    });
    expect(logs.partial).toBe(false);
    expect(logs.cost.logsBytesScanned).toBeGreaterThan(0);
  });
});

describe("the function page fetchers", () => {
  it("say clearly when a function does not exist", async () => {
    const error = await fetchFunctionSummary(sources, "no-such-function").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("NOT_FOUND");
  });

  it("read the configuration summary from the Lambda API", async () => {
    const summary = await fetchFunctionSummary(sources, "process-user-request");
    expect(summary).toMatchObject({ runtime: "python3.9", memoryMb: 512, timeoutSeconds: 5 });
    expect(summary.packageBytes).toBeGreaterThan(50_000_000);
    expect(summary.aliases.map((alias) => alias.name)).toEqual(["live"]);
  });

  it.each([
    ["24h", 60],
    ["7d", 600],
    ["14d", 900],
  ] as const)("chart %s in one GetMetricData call at a %i s period", async (range, period) => {
    const summary = await fetchFunctionSummary(sources, "process-user-request");
    const chosen = window(range);
    resetAwsCallCounts();
    const metrics = await fetchFunctionMetrics(sources, summary, chosen, { averageAndMaximum: false });
    expect(chosen.periodSeconds).toBe(period);
    expect(awsCallCounts()["CloudWatch.GetMetricData"]).toBe(1);
    expect(metrics.rows.length).toBeLessThanOrEqual(1_441);
    expect(metrics.rows.filter((row) => row.p90 !== null).length).toBeGreaterThan(metrics.rows.length / 2);
    expect(metrics.totals.invocations).toBeGreaterThan(0);
    expect(metrics.cost.metricsRequested).toBe(7 + 4);
  });

  it("chart cold starts and timeouts per period with two Logs Insights queries", async () => {
    const summary = await fetchFunctionSummary(sources, "process-user-request");
    const day = window("24h");
    resetAwsCallCounts();
    const logs = await fetchFunctionLogs(sources, summary, day);
    expect(awsCallCounts()["CloudWatchLogs.StartQuery"]).toBe(2);
    expect(logs.totals.coldStarts).toBeGreaterThan(0);
    expect(logs.totals.timeouts).toBeGreaterThan(0);
    expect(logs.rows.some((row) => (row.initP90 ?? 0) > 500)).toBe(true);
    // Bins line up with the metric periods: every row is a period start of the window.
    expect(logs.rows[0]?.t).toBe(day.startMs);
  });

  it("read only the last 15 days of logs for a 90-day range, and say so", async () => {
    const summary = await fetchFunctionSummary(sources, "auth-token-validator");
    const longRange = window("90d");
    const logs = await fetchFunctionLogs(sources, summary, longRange);
    expect(logs.coveredStartMs).toBeGreaterThan(longRange.startMs);
    expect(logs.notes.join(" ")).toContain("last 15 days");
    expect(logs.rows.find((row) => row.t < logs.coveredStartMs)?.coldStarts).toBeNull();
  });

  it("annotate a configuration change made through the Lambda API and an audited change", async () => {
    await harness.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "update-user-settings", MemorySize: 512 }),
    );
    await harness.sandbox.advance(HOUR_MS);
    const later = { ...sources, nowMs: harness.clock.now().getTime() };
    audit.push({
      id: 41,
      at: new Date(later.nowMs - 30 * 60_000).toISOString(),
      actor: "operator",
      action: "lambda.updateRuntime",
      target: "function:update-user-settings",
      input: '{"runtime":"python3.12"}',
      outcome: "success",
    });
    const summary = await fetchFunctionSummary(later, "update-user-settings");
    const recent = resolveWindow({ range: "3h" }, later.nowMs);
    if (!recent.ok) throw new Error(recent.message);
    const { annotations } = await fetchFunctionAnnotations(later, summary, recent.window);
    expect(annotations.map((annotation) => annotation.title)).toEqual([
      "Configuration: memory 512 MB",
      "lambda.updateRuntime",
    ]);
    expect(annotations[1]?.who).toBe("operator");
  });
});

describe("the scheduled provisioned-concurrency actions", () => {
  it("appear as annotations when they fired (followup scenario)", async () => {
    const followup = await createHarness("in-process", { scenario: "followup" });
    try {
      const followupSources: LatencySources = {
        clients: followup,
        nowMs: followup.clock.now().getTime(),
        audit: async () => [],
        history: () => followup.sandbox.history(),
      };
      const summary = await fetchFunctionSummary(followupSources, "process-user-request");
      const week = resolveWindow({ range: "7d" }, followupSources.nowMs);
      if (!week.ok) throw new Error(week.message);
      const { annotations } = await fetchFunctionAnnotations(followupSources, summary, week.window);
      const kinds = new Set(annotations.map((annotation) => annotation.kind));
      expect(kinds).toContain("schedule");
      expect(kinds).toContain("scenario");
      expect(annotations.some((annotation) => annotation.title.includes("Drop the dataframe library"))).toBe(true);
      const metrics = await fetchFunctionMetrics(followupSources, summary, week.window, { averageAndMaximum: true });
      expect(metrics.hasProvisionedData).toBe(true);
      expect(Math.max(...metrics.rows.map((row) => row.pcAllocated ?? 0))).toBe(50);
      expect(metrics.rows.some((row) => row.avg !== null && row.max !== null)).toBe(true);
    } finally {
      await followup.close();
    }
  });
});

describe("AWS failures", () => {
  it("become a plain-words AppError when CloudWatch throttles", async () => {
    harness.sandbox.setFaults({ throttleRate: 1, services: ["cloudwatch"] });
    try {
      const summary = await fetchFunctionSummary(sources, "process-user-request");
      const error = await fetchFunctionMetrics(sources, summary, window("24h"), { averageAndMaximum: false }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).userMessage).toMatch(/throttling/);
    } finally {
      harness.sandbox.setFaults({});
    }
  });

  it("a direct query proves the period-per-window trick: one point per query", async () => {
    const day = window("24h");
    const output = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(day.endMs - 86_400_000),
        EndTime: new Date(day.endMs),
        MetricDataQueries: [
          {
            Id: "whole",
            MetricStat: {
              Metric: {
                Namespace: "AWS/Lambda",
                MetricName: "Invocations",
                Dimensions: [{ Name: "FunctionName", Value: "process-user-request" }],
              },
              Period: 86_400,
              Stat: "Sum",
            },
          },
        ],
      }),
    );
    expect(output.MetricDataResults?.[0]?.Values).toHaveLength(1);
  });
});
