import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureError, createHarness, MEETING_TIME, type SandboxHarness, TRANSPORTS } from "../../testing";
import { queryResultsWhenEnded as finished } from "./testing";

const NOW = Date.parse(MEETING_TIME) / 1000;
// 09:00–10:00 EDT on the meeting morning: the start of the business day, where cold starts cluster.
const START = NOW - 90 * 60;
const END = NOW - 30 * 60 - 1;

describe.each(TRANSPORTS)("CloudWatch Logs Insights over the real SDK (%s)", (transport) => {
  let harness: SandboxHarness;
  beforeAll(async () => {
    harness = await createHarness(transport);
  });
  afterAll(async () => {
    await harness.close();
  });

  async function run(queryString: string, logGroupName = "/aws/lambda/process-user-request", limit?: number) {
    const started = await harness.logs.send(
      new StartQueryCommand({ logGroupName, startTime: START, endTime: END, queryString, ...(limit ? { limit } : {}) }),
    );
    expect(started.queryId).toMatch(/^[0-9a-f-]{36}$/);
    const results = await finished(harness, started.queryId);
    expect(results.status).toBe("Complete");
    return results;
  }

  const row = (fields: { field?: string; value?: string }[] | undefined) =>
    Object.fromEntries((fields ?? []).map((field) => [field.field, field.value]));

  it("counts REPORT lines per bin exactly as CloudWatch counts Invocations", async () => {
    const results = await run('filter @type = "REPORT" | stats count() as invocations by bin(5m)');
    const logCounts = (results.results ?? []).map((fields) => Number(row(fields).invocations));
    const metrics = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: "i",
            MetricStat: {
              Metric: {
                Namespace: "AWS/Lambda",
                MetricName: "Invocations",
                Dimensions: [{ Name: "FunctionName", Value: "process-user-request" }],
              },
              Period: 300,
              Stat: "Sum",
            },
          },
        ],
        StartTime: new Date(START * 1000),
        EndTime: new Date((END + 1) * 1000),
        ScanBy: "TimestampAscending",
      }),
    );
    expect(logCounts).toEqual(metrics.MetricDataResults?.[0]?.Values);
    expect(row(results.results?.[0]).invocations).toBeDefined();
    expect(row(results.results?.[0])["bin(5m)"]).toBe("2025-07-22 13:00:00.000");
  });

  it("reports cold starts and INIT percentiles per bin", async () => {
    const results = await run(
      'filter @type = "REPORT" | stats count(@initDuration) as coldStarts, pct(@initDuration, 90) as p90Init, avg(@duration) as avgDuration by bin(5m)',
    );
    const rows = (results.results ?? []).map(row);
    expect(rows.length).toBe(12);
    const totalColdStarts = rows.reduce((total, current) => total + Number(current.coldStarts), 0);
    expect(totalColdStarts).toBeGreaterThan(0);
    for (const current of rows) {
      if (Number(current.coldStarts) > 0) {
        // ~105 MB of pandas at 512 MB: INIT takes seconds.
        expect(Number(current.p90Init)).toBeGreaterThan(1000);
        expect(Number(current.p90Init)).toBeLessThanOrEqual(10_000);
      } else {
        expect(current.p90Init).toBe("");
      }
      expect(Number(current.avgDuration)).toBeGreaterThan(0);
    }
  });

  it("counts timeouts per bin from the `Status: timeout` REPORT lines", async () => {
    const results = await run("filter @message like /Status: timeout/ | stats count() as timeouts by bin(1h)");
    const metrics = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: "e",
            MetricStat: {
              Metric: {
                Namespace: "AWS/Lambda",
                MetricName: "Errors",
                Dimensions: [{ Name: "FunctionName", Value: "process-user-request" }],
              },
              Period: 3600,
              Stat: "Sum",
            },
          },
        ],
        StartTime: new Date(START * 1000),
        EndTime: new Date((END + 1) * 1000),
      }),
    );
    const timeouts = (results.results ?? []).reduce((total, fields) => total + Number(row(fields).timeouts), 0);
    expect(timeouts).toBeLessThanOrEqual(metrics.MetricDataResults?.[0]?.Values?.[0] ?? 0);
  });

  it("returns REPORT lines with fields, newest first", async () => {
    const results = await run(
      "fields @timestamp, @message, @duration | filter ispresent(@initDuration) | sort @timestamp desc | limit 5",
    );
    const rows = (results.results ?? []).map(row);
    expect(rows.length).toBe(5);
    for (const current of rows) {
      expect(current["@message"]).toMatch(
        /^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t/,
      );
    }
    expect((rows[0]?.["@timestamp"] ?? "") >= (rows[4]?.["@timestamp"] ?? "")).toBe(true);
  });

  it("counts cold starts once per REPORT line with an Init Duration, also beside percentiles of it", async () => {
    const alone = await run('filter @type = "REPORT" | stats count(@initDuration) as coldStarts');
    const beside = await run(
      'filter @type = "REPORT" | stats count(@initDuration) as coldStarts, pct(@initDuration, 50) as p50, pct(@initDuration, 90) as p90',
    );
    expect(Number(row(alone.results?.[0]).coldStarts)).toBeGreaterThan(0);
    expect(row(beside.results?.[0]).coldStarts).toBe(row(alone.results?.[0]).coldStarts);
  });

  it("queries several log groups at once and groups by @log (`<account>:<log group>`)", async () => {
    const groups = [
      "/aws/lambda/process-user-request",
      "/aws/lambda/get-user-profile",
      "/aws/lambda/send-notification",
    ];
    const query =
      'filter @type = "REPORT" | stats count(*) as invocations, count(@initDuration) as coldStarts, pct(@initDuration, 90) as p90Init by @log';
    const started = await harness.logs.send(
      new StartQueryCommand({ logGroupNames: groups, startTime: START, endTime: END, queryString: query }),
    );
    const results = await finished(harness, started.queryId);
    expect(results.status).toBe("Complete");
    const rows = (results.results ?? []).map(row);
    expect(rows.map((current) => current["@log"])).toEqual(groups.map((group) => `123456789012:${group}`));
    // Each group's row is what a query of that group alone answers.
    for (const [index, group] of groups.entries()) {
      const single = await run(query.replace(" by @log", ""), group);
      const { "@log": _log, ...counts } = rows[index] ?? {};
      expect(counts).toEqual(row(single.results?.[0]));
    }
    const scanned = results.statistics?.recordsScanned ?? 0;
    expect(scanned).toBe(rows.reduce((total, current) => total + Number(current.invocations), 0));
    // Bins within groups: one row per (log group, bin).
    const binned = await harness.logs.send(
      new StartQueryCommand({
        logGroupNames: groups.slice(0, 2),
        startTime: START,
        endTime: END,
        queryString:
          "filter @message like /Task timed out|Status: timeout/ | stats count(*) as timeouts by @log, bin(1h)",
      }),
    );
    const binnedRows = ((await finished(harness, binned.queryId)).results ?? []).map(row);
    for (const current of binnedRows) {
      expect(Object.keys(current)).toEqual(["@log", "bin(1h)", "timeouts"]);
      expect(current["@log"]).toMatch(/^123456789012:\/aws\/lambda\//);
    }
  });

  it("accepts at most 50 log groups and exactly one way of naming them, as StartQuery does", async () => {
    const tooMany = await captureError(() =>
      harness.logs.send(
        new StartQueryCommand({
          logGroupNames: Array.from({ length: 51 }, () => "/aws/lambda/process-user-request"),
          startTime: START,
          endTime: END,
          queryString: "stats count()",
        }),
      ),
    );
    expect(tooMany.name).toBe("InvalidParameterException");
    expect(tooMany.message).toMatch(/less than or equal to 50/);
    const both = await captureError(() =>
      harness.logs.send(
        new StartQueryCommand({
          logGroupName: "/aws/lambda/process-user-request",
          logGroupNames: ["/aws/lambda/get-user-profile"],
          startTime: START,
          endTime: END,
          queryString: "stats count()",
        }),
      ),
    );
    expect(both.name).toBe("InvalidParameterException");
  });

  it("refuses unknown log groups, unsupported queries and unknown query ids", async () => {
    const missing = await captureError(() =>
      harness.logs.send(
        new StartQueryCommand({
          logGroupName: "/aws/lambda/nope",
          startTime: START,
          endTime: END,
          queryString: "stats count()",
        }),
      ),
    );
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.status).toBe(400);
    const malformed = await captureError(() =>
      harness.logs.send(
        new StartQueryCommand({
          logGroupName: "/aws/lambda/process-user-request",
          startTime: START,
          endTime: END,
          queryString: "parse @message 'x' as y",
        }),
      ),
    );
    expect(malformed.name).toBe("MalformedQueryException");
    expect(malformed.status).toBe(400);
    const unknown = await captureError(() =>
      harness.logs.send(new GetQueryResultsCommand({ queryId: "00000000-0000-0000-0000-000000000000" })),
    );
    expect(unknown.name).toBe("ResourceNotFoundException");
    const started = await harness.logs.send(
      new StartQueryCommand({
        logGroupName: "/aws/lambda/get-user-profile",
        startTime: START,
        endTime: END,
        queryString: "stats count()",
      }),
    );
    expect((await finished(harness, started.queryId)).status).toBe("Complete");
    // A query that already ended is not stopped.
    const stopped = await harness.logs.send(new StopQueryCommand({ queryId: started.queryId }));
    expect(stopped.success).toBe(false);
    const unknownStop = await captureError(() =>
      harness.logs.send(new StopQueryCommand({ queryId: "00000000-0000-0000-0000-000000000000" })),
    );
    expect(unknownStop.name).toBe("ResourceNotFoundException");
  });

  describe("query lifecycle", () => {
    // Queries move only when the test says so: every state is observed through GetQueryResults.
    let stepped: SandboxHarness;
    beforeAll(async () => {
      stepped = await createHarness(transport, { logsInsights: { autoRun: false, maxConcurrentQueries: 2 } });
    });
    afterAll(async () => {
      await stepped.close();
    });
    const COUNT_QUERY =
      'filter @type = "REPORT" | stats count(*) as invocations, count(@initDuration) as coldStarts by bin(5m)';
    const start = async (client: SandboxHarness, queryString = COUNT_QUERY) =>
      (
        await client.logs.send(
          new StartQueryCommand({
            logGroupName: "/aws/lambda/process-user-request",
            startTime: START,
            endTime: END,
            queryString,
          }),
        )
      ).queryId as string;
    const status = async (client: SandboxHarness, queryId: string) =>
      client.logs.send(new GetQueryResultsCommand({ queryId }));

    it("goes Scheduled → Running → Complete, one query at a time in order, with the results of an immediate run", async () => {
      const first = await start(stepped);
      const second = await start(stepped);
      const scheduled = await status(stepped, first);
      expect(scheduled.status).toBe("Scheduled");
      expect(scheduled.results).toEqual([]);
      expect(scheduled.statistics?.recordsScanned).toBe(0);
      expect(await stepped.sandbox.stepLogsQueries()).toBe(1);
      expect((await status(stepped, first)).status).toBe("Running");
      expect((await status(stepped, first)).results).toEqual([]);
      expect((await status(stepped, second)).status).toBe("Scheduled");
      await stepped.sandbox.stepLogsQueries();
      const complete = await status(stepped, first);
      expect(complete.status).toBe("Complete");
      expect((await status(stepped, second)).status).toBe("Scheduled");
      await stepped.sandbox.stepLogsQueries();
      expect((await status(stepped, second)).status).toBe("Running");
      await stepped.sandbox.stepLogsQueries();
      expect((await status(stepped, second)).status).toBe("Complete");
      expect(await stepped.sandbox.stepLogsQueries()).toBe(0);
      // Deterministic: the same answer as the same query run by itself on the other sandbox.
      const alone = await finished(harness, await start(harness));
      expect(complete.results).toEqual(alone.results);
      expect(complete.statistics).toEqual(alone.statistics);
      expect((complete.results ?? []).length).toBe(12);
    });

    it("cancels a Scheduled or Running query with StopQuery, but not one that has ended", async () => {
      const first = await start(stepped);
      const second = await start(stepped);
      await stepped.sandbox.stepLogsQueries();
      expect((await status(stepped, first)).status).toBe("Running");
      expect((await stepped.logs.send(new StopQueryCommand({ queryId: first }))).success).toBe(true);
      expect((await stepped.logs.send(new StopQueryCommand({ queryId: second }))).success).toBe(true);
      for (const queryId of [first, second]) {
        const cancelled = await status(stepped, queryId);
        expect(cancelled.status).toBe("Cancelled");
        expect(cancelled.results).toEqual([]);
        expect((await stepped.logs.send(new StopQueryCommand({ queryId }))).success).toBe(false);
      }
      // Cancelled queries are not evaluated later.
      expect(await stepped.sandbox.stepLogsQueries()).toBe(0);
      expect((await status(stepped, first)).status).toBe("Cancelled");
    });

    it("refuses one query more than the concurrent-query quota with LimitExceededException", async () => {
      const first = await start(stepped);
      const second = await start(stepped);
      const refused = await captureError(() => start(stepped));
      expect(refused.name).toBe("LimitExceededException");
      expect(refused.status).toBe(400);
      expect(refused.message).toBe("Account maximum query concurrency limit of [2] reached.");
      // Ended or stopped queries free their place.
      await stepped.sandbox.stepLogsQueries();
      await stepped.sandbox.stepLogsQueries();
      expect((await status(stepped, first)).status).toBe("Complete");
      const third = await start(stepped);
      expect((await captureError(() => start(stepped))).name).toBe("LimitExceededException");
      await stepped.logs.send(new StopQueryCommand({ queryId: second }));
      const fourth = await start(stepped);
      for (const queryId of [third, fourth]) await stepped.logs.send(new StopQueryCommand({ queryId }));
    });

    it("allows 30 concurrent queries by default, as AWS's StartQuery reference says", async () => {
      const quota = await createHarness(transport, { logsInsights: { autoRun: false } });
      try {
        const started: string[] = [];
        for (let index = 0; index < 30; index++) started.push(await start(quota, "stats count()"));
        const refused = await captureError(() => start(quota, "stats count()"));
        expect(refused.name).toBe("LimitExceededException");
        expect(refused.message).toMatch(/\[30\]/);
        expect(new Set(started).size).toBe(30);
      } finally {
        await quota.close();
      }
    });

    it("ends queries Failed or Timeout on demand (the logsQueryFailure fault), without results", async () => {
      try {
        harness.sandbox.setFaults({ logsQueryFailure: "failed" });
        const failed = await finished(harness, await start(harness));
        expect(failed.status).toBe("Failed");
        expect(failed.results).toEqual([]);
        harness.sandbox.setFaults({ logsQueryFailure: "timeout" });
        const timedOut = await finished(harness, await start(harness));
        expect(timedOut.status).toBe("Timeout");
        expect(timedOut.results).toEqual([]);
        // The fault decides how a query ends, whenever it was started.
        const pending = await start(stepped);
        await stepped.sandbox.stepLogsQueries();
        expect((await status(stepped, pending)).status).toBe("Running");
        stepped.sandbox.setFaults({ logsQueryFailure: "failed" });
        await stepped.sandbox.stepLogsQueries();
        expect((await status(stepped, pending)).status).toBe("Failed");
      } finally {
        harness.sandbox.setFaults({});
        stepped.sandbox.setFaults({});
      }
      expect((await finished(harness, await start(harness))).status).toBe("Complete");
    });

    it("still refuses a malformed query at StartQuery, before scheduling it", async () => {
      const malformed = await captureError(() => start(stepped, "parse @message 'x' as y"));
      expect(malformed.name).toBe("MalformedQueryException");
      expect(await stepped.sandbox.stepLogsQueries()).toBe(0);
    });
  });
});
