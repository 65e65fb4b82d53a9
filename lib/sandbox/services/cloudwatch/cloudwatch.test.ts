import {
  GetMetricDataCommand,
  ListMetricsCommand,
  type MetricDataQuery,
  paginateGetMetricData,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../clock";
import { createSandbox } from "../../sandbox";
import { captureError, createHarness, MEETING_TIME, type SandboxHarness, TRANSPORTS } from "../../testing";

const NOW = new Date(MEETING_TIME);
const HOUR = 3_600_000;

function durationQuery(id: string, stat: string, period = 300, functionName = "process-user-request"): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: "AWS/Lambda",
        MetricName: "Duration",
        Dimensions: [{ Name: "FunctionName", Value: functionName }],
      },
      Period: period,
      Stat: stat,
    },
  };
}

function metricQuery(
  id: string,
  metricName: string,
  stat: string,
  dimensions: { Name: string; Value: string }[],
  period = 300,
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: "AWS/Lambda", MetricName: metricName, Dimensions: dimensions },
      Period: period,
      Stat: stat,
    },
  };
}

describe.each(TRANSPORTS)("CloudWatch over the real SDK (%s)", (transport) => {
  let harness: SandboxHarness;
  beforeAll(async () => {
    harness = await createHarness(transport);
  });
  afterAll(async () => {
    await harness.close();
  });

  it("returns Duration statistics and percentiles, newest first, with consistent ordering", async () => {
    const stats = [
      "SampleCount",
      "Sum",
      "Average",
      "Minimum",
      "Maximum",
      "p50",
      "p90",
      "p99",
      "p99.9",
      "tm90",
      "IQM",
      "TM(10%:90%)",
      "wm90",
      "tc90",
      "ts90",
      "PR(0:1000)",
    ];
    const result = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: stats.map((stat, index) => durationQuery(`q${index}`, stat)),
        StartTime: new Date(NOW.getTime() - 2 * HOUR),
        EndTime: NOW,
      }),
    );
    const byStat = new Map(stats.map((stat, index) => [stat, result.MetricDataResults?.[index]]));
    const values = (stat: string) => byStat.get(stat)?.Values ?? [];
    expect(values("p90")).toHaveLength(24);
    const timestamps = byStat.get("p90")?.Timestamps ?? [];
    expect(timestamps[0]?.getTime()).toBe(NOW.getTime() - 5 * 60_000);
    expect((timestamps[0]?.getTime() ?? 0) > (timestamps[1]?.getTime() ?? 0)).toBe(true);
    for (let index = 0; index < 24; index++) {
      const at = (stat: string) => values(stat)[index] as number;
      expect(at("Minimum")).toBeLessThanOrEqual(at("p50"));
      expect(at("p50")).toBeLessThanOrEqual(at("p90"));
      expect(at("p90")).toBeLessThanOrEqual(at("p99"));
      expect(at("p99")).toBeLessThanOrEqual(at("Maximum"));
      expect(at("Average")).toBeCloseTo(at("Sum") / at("SampleCount"), 3);
      expect(at("tc90")).toBeLessThanOrEqual(at("SampleCount"));
      expect(at("PR(0:1000)")).toBeGreaterThanOrEqual(0);
      expect(at("PR(0:1000)")).toBeLessThanOrEqual(100);
      // The 5-second timeout caps every duration.
      expect(at("Maximum")).toBeLessThanOrEqual(5000);
    }
    // Stats differ across the call, so labels carry the stat.
    expect(byStat.get("p90")?.Label).toBe("Duration p90");
    expect(byStat.get("p90")?.StatusCode).toBe("Complete");
  });

  it("labels by metric name alone when stat and period agree, and appends the period when periods differ", async () => {
    const same = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          durationQuery("a", "p90"),
          durationQuery("b", "p90", 300, "get-user-profile"),
          { ...durationQuery("c", "p90"), Label: "mine" },
        ],
        StartTime: new Date(NOW.getTime() - HOUR),
        EndTime: NOW,
      }),
    );
    expect(same.MetricDataResults?.map((result) => result.Label)).toEqual(["Duration", "Duration", "mine"]);
    const periods = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [durationQuery("a", "p90", 60), durationQuery("b", "p90", 300)],
        StartTime: new Date(NOW.getTime() - HOUR),
        EndTime: NOW,
      }),
    );
    expect(periods.MetricDataResults?.map((result) => result.Label)).toEqual(["Duration 60", "Duration 300"]);
  });

  it("omits periods without data instead of returning zeros", async () => {
    // The nightly batch job runs once, at 02:00 New York time; periods align to StartTime (hh:30).
    const result = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          metricQuery("inv", "Invocations", "Sum", [{ Name: "FunctionName", Value: "nightly-report-export" }], 3600),
        ],
        StartTime: new Date(NOW.getTime() - 24 * HOUR),
        EndTime: NOW,
        ScanBy: "TimestampAscending",
      }),
    );
    const values = result.MetricDataResults?.[0]?.Values ?? [];
    expect(values).toEqual([1]);
    expect(result.MetricDataResults?.[0]?.Timestamps?.[0]?.toISOString()).toBe("2025-07-22T05:30:00.000Z"); // 02:00 EDT lands in the 05:30–06:30 UTC period
  });

  it("serves alias (Resource) and account-level metrics and ListMetrics with their dimension sets", async () => {
    const result = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          metricQuery("fn", "Invocations", "Sum", [{ Name: "FunctionName", Value: "get-user-profile" }]),
          metricQuery("alias", "Invocations", "Sum", [
            { Name: "FunctionName", Value: "get-user-profile" },
            { Name: "Resource", Value: "get-user-profile:live" },
          ]),
          metricQuery("pc", "ProvisionedConcurrencyUtilization", "Maximum", [
            { Name: "FunctionName", Value: "get-user-profile" },
            { Name: "Resource", Value: "get-user-profile:live" },
          ]),
          metricQuery("account", "Invocations", "Sum", []),
          metricQuery("unreserved", "UnreservedConcurrentExecutions", "Maximum", []),
          { Id: "ratio", Expression: "alias / fn * 100", Label: "alias share" },
        ],
        StartTime: new Date(NOW.getTime() - HOUR),
        EndTime: NOW,
      }),
    );
    const [fn, alias, pc, account, unreserved, ratio] = result.MetricDataResults ?? [];
    expect(alias?.Values).toEqual(fn?.Values);
    expect((account?.Values?.[0] ?? 0) > (fn?.Values?.[0] ?? 0)).toBe(true);
    expect(pc?.Values?.length).toBe(12);
    for (const value of pc?.Values ?? []) expect(value).toBeLessThanOrEqual(1);
    expect(unreserved?.Values?.length).toBe(12);
    expect(ratio?.Values?.every((value) => Math.abs(value - 100) < 1e-9)).toBe(true);

    const listed = await harness.cloudWatch.send(
      new ListMetricsCommand({ Namespace: "AWS/Lambda", Dimensions: [{ Name: "Resource" }] }),
    );
    const keys = (listed.Metrics ?? []).map(
      (metric) => `${metric.MetricName}:${metric.Dimensions?.map((dimension) => dimension.Value).join("/")}`,
    );
    expect(keys).toContain("ProvisionedConcurrencyUtilization:get-user-profile/get-user-profile:live");
    expect(keys).toContain("Duration:process-user-request/process-user-request:live");
    expect(keys.some((key) => key.startsWith("ProvisionedConcurrencyUtilization:process-user-request"))).toBe(false);
    const byName = await harness.cloudWatch.send(
      new ListMetricsCommand({
        MetricName: "Duration",
        Dimensions: [{ Name: "FunctionName", Value: "process-user-request" }],
      }),
    );
    expect(byName.Metrics?.length).toBe(2);
  });

  it("paginates with MaxDatapoints and NextToken", async () => {
    const pages = [];
    for await (const page of paginateGetMetricData(
      { client: harness.cloudWatch, pageSize: 10 },
      { MetricDataQueries: [durationQuery("a", "p90", 60)], StartTime: new Date(NOW.getTime() - HOUR), EndTime: NOW },
    )) {
      pages.push(page);
    }
    const values = pages.flatMap((page) => page.MetricDataResults?.[0]?.Values ?? []);
    expect(pages.length).toBe(6);
    expect(pages[0]?.MetricDataResults?.[0]?.Values).toHaveLength(10);
    expect(values).toHaveLength(60);
    const whole = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [durationQuery("a", "p90", 60)],
        StartTime: new Date(NOW.getTime() - HOUR),
        EndTime: NOW,
      }),
    );
    expect(values).toEqual(whole.MetricDataResults?.[0]?.Values);
  });

  it.each([
    {
      title: "StartTime equal to EndTime",
      input: () => ({ MetricDataQueries: [durationQuery("a", "p90")], StartTime: NOW, EndTime: NOW }),
      name: "ValidationException",
      message: "The parameter StartTime must not equal parameter EndTime.",
    },
    {
      title: "StartTime after EndTime",
      input: () => ({
        MetricDataQueries: [durationQuery("a", "p90")],
        StartTime: NOW,
        EndTime: new Date(NOW.getTime() - HOUR),
      }),
      name: "ValidationException",
      message: "The parameter EndTime must be greater than StartTime.",
    },
    {
      title: "more than 500 queries",
      input: () => ({
        MetricDataQueries: Array.from({ length: 501 }, (_, index) => durationQuery(`q${index}`, "p90")),
        StartTime: new Date(NOW.getTime() - HOUR),
        EndTime: NOW,
      }),
      name: "ValidationException",
      message: "The collection MetricDataQueries must not have a size greater than 500.",
    },
    {
      title: "an invalid statistic",
      input: () => ({
        MetricDataQueries: [durationQuery("a", "p900")],
        StartTime: new Date(NOW.getTime() - HOUR),
        EndTime: NOW,
      }),
      name: "ValidationException",
      message: "The value for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.",
    },
    {
      title: "an Id starting with a capital letter",
      input: () => ({
        MetricDataQueries: [durationQuery("Bad", "p90")],
        StartTime: new Date(NOW.getTime() - HOUR),
        EndTime: NOW,
      }),
      name: "ValidationException",
    },
    {
      title: "a period that is not a multiple of 60",
      input: () => ({
        MetricDataQueries: [durationQuery("a", "p90", 90)],
        StartTime: new Date(NOW.getTime() - HOUR),
        EndTime: NOW,
      }),
      name: "ValidationException",
    },
    {
      title: "an unknown NextToken",
      input: () => ({
        MetricDataQueries: [durationQuery("a", "p90")],
        StartTime: new Date(NOW.getTime() - HOUR),
        EndTime: NOW,
        NextToken: "bogus",
      }),
      name: "InvalidNextToken",
    },
  ])("refuses $title with the modelled error", async ({ input, name, message }) => {
    const failure = await captureError(() => harness.cloudWatch.send(new GetMetricDataCommand(input())));
    expect(failure.name).toBe(name);
    expect(failure.status).toBe(400);
    if (message) expect(failure.message).toBe(message);
  });

  it("refuses a missing MetricName with MissingParameter", async () => {
    const failure = await captureError(() =>
      harness.cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [
            { Id: "a", MetricStat: { Metric: { Namespace: "AWS/Lambda" }, Period: 60, Stat: "Sum" } },
          ],
          StartTime: new Date(NOW.getTime() - HOUR),
          EndTime: NOW,
        }),
      ),
    );
    expect(failure.name).toBe("MissingRequiredParameterException");
    expect(failure.status).toBe(400);
  });
});

describe("CloudWatch determinism and the awsQuery protocol", () => {
  it("two fresh sandboxes with the same seed return byte-identical GetMetricData", async () => {
    const body = JSON.stringify({
      MetricDataQueries: [
        durationQuery("p", "p90", 300),
        metricQuery("e", "Errors", "Sum", [{ Name: "FunctionName", Value: "process-user-request" }], 300),
        metricQuery("c", "ConcurrentExecutions", "Maximum", [], 300),
      ],
      StartTime: NOW.getTime() / 1000 - 86_400,
      EndTime: NOW.getTime() / 1000,
    });
    const call = async (seed: string) => {
      const sandbox = createSandbox({ seed, clock: new ManualClock(MEETING_TIME) });
      const response = await sandbox.handle({
        method: "POST",
        path: "/",
        query: {},
        headers: {
          "x-amz-target": "GraniteServiceVersion20100801.GetMetricData",
          "content-type": "application/x-amz-json-1.0",
          "x-amzn-query-mode": "true",
        },
        body: new TextEncoder().encode(body),
      });
      expect(response.status).toBe(200);
      return Buffer.from(response.body).toString("utf8");
    };
    const first = await call("phoenix");
    const second = await call("phoenix");
    const other = await call("another-seed");
    expect(first.length).toBeGreaterThan(1000);
    expect(second).toBe(first);
    expect(other).not.toBe(first);
  });

  it("answers a raw form-encoded GetMetricData and ListMetrics with valid XML, and errors as ErrorResponse", async () => {
    const harness = await createHarness("http");
    try {
      const form = new URLSearchParams({
        Action: "GetMetricData",
        Version: "2010-08-01",
        StartTime: new Date(NOW.getTime() - HOUR).toISOString(),
        EndTime: NOW.toISOString(),
        "MetricDataQueries.member.1.Id": "p90",
        "MetricDataQueries.member.1.MetricStat.Metric.Namespace": "AWS/Lambda",
        "MetricDataQueries.member.1.MetricStat.Metric.MetricName": "Duration",
        "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name": "FunctionName",
        "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value": "process-user-request",
        "MetricDataQueries.member.1.MetricStat.Period": "300",
        "MetricDataQueries.member.1.MetricStat.Stat": "p90",
      });
      const response = await fetch(harness.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: form,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/xml");
      const xml = await response.text();
      expect(xml).toMatch(
        /^<GetMetricDataResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/"><GetMetricDataResult><MetricDataResults><member><Id>p90<\/Id><Label>Duration<\/Label><Timestamps>/,
      );
      expect(
        xml.match(/<Timestamps>(.*?)<\/Timestamps>/)?.[1]?.match(/<member>2025-07-22T14:25:00Z<\/member>/),
      ).not.toBeNull();
      expect(xml.match(/<Values>(.*?)<\/Values>/)?.[1]?.match(/<member>/g)).toHaveLength(12);
      expect(xml).toMatch(/<StatusCode>Complete<\/StatusCode>/);
      expect(xml).toMatch(
        /<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetMetricDataResponse>$/,
      );

      const list = await fetch(harness.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          Action: "ListMetrics",
          Version: "2010-08-01",
          Namespace: "AWS/Lambda",
          MetricName: "Throttles",
          "Dimensions.member.1.Name": "FunctionName",
          "Dimensions.member.1.Value": "send-notification",
        }),
      });
      const listXml = await list.text();
      expect(list.status).toBe(200);
      expect(listXml).toContain(
        "<ListMetricsResult><Metrics><member><Namespace>AWS/Lambda</Namespace><MetricName>Throttles</MetricName><Dimensions><member><Name>FunctionName</Name><Value>send-notification</Value></member></Dimensions></member></Metrics></ListMetricsResult>",
      );

      const bad = await fetch(harness.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          Action: "GetMetricData",
          Version: "2010-08-01",
          StartTime: NOW.toISOString(),
          EndTime: NOW.toISOString(),
          "MetricDataQueries.member.1.Id": "a",
          "MetricDataQueries.member.1.Expression": "1",
        }),
      });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(
        /<ErrorResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/"><Error><Type>Sender<\/Type><Code>ValidationError<\/Code><Message>The parameter StartTime must not equal parameter EndTime.<\/Message><\/Error><RequestId>/,
      );

      const unknown = await fetch(harness.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=DescribeNothing&Version=2010-08-01",
      });
      expect(unknown.status).toBe(400);
      expect(await unknown.text()).toContain("<Code>InvalidAction</Code>");
    } finally {
      await harness.close();
    }
  });
});
