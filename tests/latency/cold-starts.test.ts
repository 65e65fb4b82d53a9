import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCallCounts, resetAwsCallCounts } from "@/lib/aws/errors";
import { fetchColdStartsAndTimeouts } from "@/lib/data/cold-starts-and-timeouts";
import {
  fetchFleetInventory,
  fetchFleetLogs,
  fetchFleetMetrics,
  fetchFunctionLogs,
  fetchFunctionSummary,
  type LatencySources,
} from "@/lib/data/latency-fetchers";
import { resolveWindow } from "@/lib/domain/periods";
import { createHarness, type SandboxHarness } from "@/lib/sandbox/testing";

// The followup scenario: process-user-request runs the optimized handler (it publishes Phoenix/ColdStart
// and InitDuration) since the refactor a week ago; the other functions do not.
let harness: SandboxHarness;
let sources: LatencySources;
const focus = ["process-user-request"];

beforeAll(async () => {
  harness = await createHarness("in-process", { scenario: "followup" });
  sources = { clients: harness, nowMs: harness.clock.now().getTime(), audit: async () => [] };
});
afterAll(async () => {
  await harness.close();
});

function lastDay() {
  const endMs = Math.floor(sources.nowMs / 60_000) * 60_000;
  return { startMs: endMs - 86_400_000, endMs };
}

describe("cold starts from the handler's own metrics", () => {
  it("are found once per inventory and read in the fleet's GetMetricData call", async () => {
    const inventory = await fetchFleetInventory(sources);
    expect(inventory.functions.filter((fn) => fn.handlerMetrics).map((fn) => fn.name)).toEqual(focus);
    resetAwsCallCounts();
    const metrics = await fetchFleetMetrics(sources, inventory, lastDay(), focus);
    expect(awsCallCounts()["CloudWatch.GetMetricData"]).toBe(2);
    const main = metrics.rows.find((row) => row.name === "process-user-request");
    expect(main?.handlerColdStarts?.coldStarts).toBeGreaterThanOrEqual(0);
    expect(metrics.rows.filter((row) => row.handlerColdStarts).map((row) => row.name)).toEqual(focus);
  });

  it("replace the logs for cold starts (not for timeouts), and say so", async () => {
    const inventory = await fetchFleetInventory(sources);
    const window = lastDay();
    const metrics = await fetchFleetMetrics(sources, inventory, window, focus);
    resetAwsCallCounts();
    const logs = await fetchFleetLogs(sources, inventory, window, focus, metrics);
    expect(awsCallCounts()["CloudWatchLogs.StartQuery"]).toBe(3);
    const main = logs.rows.find((row) => row.name === "process-user-request");
    expect(main).toMatchObject({ coldStartsSource: "handler-metrics", timeoutsSource: "logs-insights", reports: null });
    const other = logs.rows.find((row) => row.name === "get-user-profile");
    expect(other).toMatchObject({ coldStartsSource: "logs-insights", timeoutsSource: "logs-insights" });
    // The handler's count agrees with the REPORT lines (one record per invocation that did not time out).
    const fromLogs = await fetchColdStartsAndTimeouts(sources, {
      functions: [{ name: "process-user-request", logGroup: "/aws/lambda/process-user-request" }],
      ...window,
      timeouts: false,
    });
    expect(main?.coldStarts).toBe(fromLogs.byFunction["process-user-request"]?.coldStarts);
  });

  it("fall back to the logs when the handler did not cover the whole window (deployed a week ago)", async () => {
    const inventory = await fetchFleetInventory(sources);
    const endMs = Math.floor(sources.nowMs / 60_000) * 60_000;
    const window = { startMs: endMs - 14 * 86_400_000, endMs };
    const metrics = await fetchFleetMetrics(sources, inventory, window, focus);
    expect(metrics.rows.find((row) => row.name === "process-user-request")?.handlerColdStarts).toBeUndefined();
    const logs = await fetchFleetLogs(sources, inventory, window, focus, metrics);
    expect(logs.rows.find((row) => row.name === "process-user-request")?.coldStartsSource).toBe("logs-insights");
  });

  it("chart the function page's cold starts with one Logs query (timeouts) and one metrics call", async () => {
    const summary = await fetchFunctionSummary(sources, "process-user-request");
    expect(summary.handlerMetrics).toBe(true);
    const day = resolveWindow({ range: "24h" }, sources.nowMs);
    if (!day.ok) throw new Error(day.message);
    resetAwsCallCounts();
    const logs = await fetchFunctionLogs(sources, summary, day.window);
    expect(awsCallCounts()["CloudWatchLogs.StartQuery"]).toBe(1);
    expect(awsCallCounts()["CloudWatch.GetMetricData"]).toBe(1);
    expect(logs).toMatchObject({ coldStartsSource: "handler-metrics", timeoutsSource: "logs-insights" });
    expect(logs.totals.reports).toBeGreaterThan(0);
    expect(logs.rows.every((row) => row.coldStarts !== null && row.timeouts !== null)).toBe(true);
    const other = await fetchFunctionSummary(sources, "get-user-profile");
    expect(other.handlerMetrics).toBe(false);
    const otherLogs = await fetchFunctionLogs(sources, other, day.window);
    expect(otherLogs.coldStartsSource).toBe("logs-insights");
  });
});

describe("batched Logs Insights queries", () => {
  it("cost two queries per 50 functions and agree with one query per function", async () => {
    const inventory = await fetchFleetInventory(sources);
    const targets = inventory.functions.map((fn) => ({ name: fn.name, logGroup: fn.logGroup }));
    const window = lastDay();
    const together = await fetchColdStartsAndTimeouts(sources, { functions: targets, ...window });
    expect(together.logsQueries).toBe(2);
    for (const target of targets) {
      const alone = await fetchColdStartsAndTimeouts(sources, { functions: [target], ...window });
      expect(together.byFunction[target.name]).toEqual(alone.byFunction[target.name]);
    }
  });
});
