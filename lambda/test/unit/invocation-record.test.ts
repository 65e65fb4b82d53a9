import { describe, expect, it } from "vitest";
import { formatInvocationLine, type InvocationRecord } from "../../src/observability/invocation-record.js";

const base: InvocationRecord = {
  functionName: "process-user-request",
  requestId: "req-1",
  coldStart: true,
  initDurationMs: 123.456,
  cache: "hit",
  dbMs: 1.234,
  dbQueries: 1,
  s3Ms: 5.678,
  rows: 42,
  durationMs: 9.5,
  statusCode: 200,
  error: undefined,
  timestamp: new Date("2025-07-22T10:02:15Z"),
};

describe("Function: formatInvocationLine", () => {
  it("is a valid EMF document: every declared metric has a numeric top-level value, with the FunctionName dimension", () => {
    const line = JSON.parse(formatInvocationLine(base));
    const directive = line._aws.CloudWatchMetrics[0];
    expect(line._aws.Timestamp).toBe(base.timestamp.getTime());
    expect(directive.Namespace).toBe("Phoenix");
    expect(directive.Dimensions).toEqual([["FunctionName"]]);
    expect(line.FunctionName).toBe("process-user-request");
    const names = directive.Metrics.map((metric: { Name: string }) => metric.Name);
    expect(names).toEqual(
      expect.arrayContaining(["ColdStart", "InitDuration", "CacheHit", "CacheMiss", "DbMs", "S3Ms", "Rows"]),
    );
    for (const name of names) expect(typeof line[name]).toBe("number");
    expect(line).toMatchObject({
      ColdStart: 1,
      InitDuration: 123.46,
      CacheHit: 1,
      CacheMiss: 0,
      Rows: 42,
      requestId: "req-1",
      cache: "hit",
    });
  });

  it("declares no InitDuration on a warm invocation and counts a miss", () => {
    const line = JSON.parse(
      formatInvocationLine({ ...base, coldStart: false, initDurationMs: undefined, cache: "miss" }),
    );
    const names = line._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name);
    expect(names).not.toContain("InitDuration");
    expect(line.InitDuration).toBeUndefined();
    expect(line).toMatchObject({ ColdStart: 0, CacheHit: 0, CacheMiss: 1 });
  });

  it("logs failures at ERROR with their code", () => {
    const line = JSON.parse(
      formatInvocationLine({
        ...base,
        statusCode: 503,
        error: { code: "DATABASE_UNAVAILABLE", message: "connect ECONNREFUSED" },
      }),
    );
    expect(line.level).toBe("ERROR");
    expect(line.error.code).toBe("DATABASE_UNAVAILABLE");
  });
});
