import { CloudWatchLogsClient, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSIGHTS_NOTES, runInsightsQuery } from "@/lib/aws/logs";
import {
  fetchFleetInventory,
  fetchFleetLogs,
  fetchFleetMetrics,
  fetchFunctionLogs,
  fetchFunctionSummary,
  type LatencySources,
} from "@/lib/data/latency-fetchers";
import { resolveWindow } from "@/lib/domain/periods";
import { AppError } from "@/lib/errors";
import { createHarness, type SandboxHarness, TEST_CREDENTIALS } from "@/lib/sandbox/testing";

// Logs Insights queries that end badly — Failed, Timeout, refused over the account's concurrent-query
// quota, stopped at Phoenix's time bound — leave the view partial, with a note in plain words and
// "unknown" (null) instead of zeros, and the rest of the view intact.

const focus = ["process-user-request"];

/** A note a person can read: a sentence, no exception names, no stack frames. */
function expectPlainWords(notes: string[]) {
  expect(notes.length).toBeGreaterThan(0);
  for (const note of notes) {
    expect(note).toMatch(/^[A-Z].*\.$/);
    expect(note).not.toMatch(/Exception|Error:|\n\s+at |\[\d+\]/);
  }
}

describe("a view whose Logs Insights queries fail", () => {
  let harness: SandboxHarness;
  let sources: LatencySources;
  beforeAll(async () => {
    harness = await createHarness("in-process");
    sources = { clients: harness, nowMs: harness.clock.now().getTime(), audit: async () => [] };
  });
  afterAll(async () => {
    harness.sandbox.setFaults({});
    await harness.close();
  });

  const lastDay = () => {
    const endMs = Math.floor(sources.nowMs / 60_000) * 60_000;
    return { startMs: endMs - 86_400_000, endMs };
  };
  const overviewLogs = async () => {
    const inventory = await fetchFleetInventory(sources);
    const metrics = await fetchFleetMetrics(sources, inventory, lastDay(), focus);
    return { metrics, logs: await fetchFleetLogs(sources, inventory, lastDay(), focus, metrics) };
  };

  it("reports the overview partial with a plain-words note and unknown counts when queries end Failed", async () => {
    harness.sandbox.setFaults({ logsQueryFailure: "failed" });
    try {
      const { metrics, logs } = await overviewLogs();
      expect(logs.partial).toBe(true);
      expect(logs.notes).toEqual([INSIGHTS_NOTES.failed]);
      expectPlainWords(logs.notes);
      const main = logs.rows.find((row) => row.name === "process-user-request");
      // Unknown, not zero: nothing was read.
      expect(main).toMatchObject({ coldStarts: null, timeouts: null, coldStartsSource: null, timeoutsSource: null });
      // The metrics of the same view are unaffected.
      expect(metrics.rows.find((row) => row.name === "process-user-request")?.invocations).toBeGreaterThan(0);
    } finally {
      harness.sandbox.setFaults({});
    }
    // Retrying once the fault is lifted gives the full answer.
    const { logs } = await overviewLogs();
    expect(logs.partial).toBe(false);
    expect(logs.notes).toEqual([]);
    expect(logs.rows.find((row) => row.name === "process-user-request")?.coldStarts).toBeGreaterThan(0);
  });

  it("says so in words when queries time out", async () => {
    harness.sandbox.setFaults({ logsQueryFailure: "timeout" });
    try {
      const summary = await fetchFunctionSummary(sources, "process-user-request");
      const resolved = resolveWindow({ range: "24h" }, sources.nowMs);
      if (!resolved.ok) throw new Error(resolved.message);
      const logs = await fetchFunctionLogs(sources, summary, resolved.window);
      expect(logs.partial).toBe(true);
      expect(logs.notes).toContain(INSIGHTS_NOTES.timeoutEmpty);
      expectPlainWords(logs.notes);
    } finally {
      harness.sandbox.setFaults({});
    }
  });
});

describe("the account's concurrent-query quota", () => {
  let harness: SandboxHarness;
  let sources: LatencySources;
  beforeAll(async () => {
    // One query allowed at a time, and queries move only when stepped: one started elsewhere (another
    // dashboard, someone in the console) holds the quota.
    harness = await createHarness("in-process", { logsInsights: { autoRun: false, maxConcurrentQueries: 1 } });
    sources = { clients: harness, nowMs: harness.clock.now().getTime(), audit: async () => [] };
    const nowSeconds = Math.floor(sources.nowMs / 1000);
    await harness.logs.send(
      new StartQueryCommand({
        logGroupName: "/aws/lambda/get-user-profile",
        startTime: nowSeconds - 3600,
        endTime: nowSeconds - 1,
        queryString: "stats count()",
      }),
    );
  });
  afterAll(async () => {
    await harness.close();
  });

  it("leaves the function page partial, with a note in words instead of the throttling error", async () => {
    const summary = await fetchFunctionSummary(sources, "process-user-request");
    const resolved = resolveWindow({ range: "24h" }, sources.nowMs);
    if (!resolved.ok) throw new Error(resolved.message);
    const logs = await fetchFunctionLogs(sources, summary, resolved.window);
    expect(logs.partial).toBe(true);
    expect(logs.notes).toContain(INSIGHTS_NOTES.limitExceeded);
    expectPlainWords(logs.notes);
  });

  it("is retried by the SDK as throttling before Phoenix gives up", async () => {
    // Phoenix's clients retry (maxAttempts 4); two attempts keep this test short.
    const retrying = new CloudWatchLogsClient({
      region: "us-east-1",
      credentials: TEST_CREDENTIALS,
      maxAttempts: 2,
      requestHandler: harness.sandbox.requestHandler,
    });
    try {
      const error = await runInsightsQuery(retrying, {
        logGroupNames: ["/aws/lambda/process-user-request"],
        queryString: "stats count()",
        startMs: sources.nowMs - 3_600_000,
        endMs: sources.nowMs,
      }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).userMessage).toBe(INSIGHTS_NOTES.limitExceeded);
      const sdkError = ((error as AppError).cause as AppError).cause as {
        name: string;
        $metadata: { attempts?: number };
      };
      expect(sdkError.name).toBe("LimitExceededException");
      expect(sdkError.$metadata.attempts).toBe(2);
    } finally {
      retrying.destroy();
    }
  });

  it("stops a query that does not finish within Phoenix's bound and says the numbers are missing", async () => {
    const region = await harness.sandbox.region();
    // Make room: the query held by "someone else" ends.
    await harness.sandbox.stepLogsQueries();
    await harness.sandbox.stepLogsQueries();
    expect(region.logsInsights.inFlight).toBe(0);
    const error = await runInsightsQuery(
      harness.logs,
      {
        logGroupNames: ["/aws/lambda/process-user-request"],
        queryString: "stats count()",
        startMs: sources.nowMs - 3_600_000,
        endMs: sources.nowMs,
      },
      { timeoutMs: 0 },
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((error as AppError).userMessage).toBe(INSIGHTS_NOTES.deadlineEmpty(0));
    // StopQuery cancelled it: the quota is free again.
    expect(region.logsInsights.inFlight).toBe(0);
  });
});
