import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureError, createHarness, MEETING_TIME, type SandboxHarness, TRANSPORTS } from "../../testing";

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
    const results = await harness.logs.send(new GetQueryResultsCommand({ queryId: started.queryId }));
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
    const results = await harness.logs.send(new GetQueryResultsCommand({ queryId: started.queryId }));
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
    const binnedRows = (
      (await harness.logs.send(new GetQueryResultsCommand({ queryId: binned.queryId }))).results ?? []
    ).map(row);
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
    const stopped = await harness.logs.send(new StopQueryCommand({ queryId: started.queryId }));
    expect(stopped.success).toBe(false);
  });
});
