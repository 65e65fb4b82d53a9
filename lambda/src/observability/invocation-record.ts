import type { CacheOutcome } from "../adapters/user-config-cache.js";

/**
 * One JSON line per invocation that is both the structured log record and a CloudWatch embedded
 * metric format (EMF) document: CloudWatch extracts the metrics listed under `_aws` into the
 * `Phoenix` namespace with the FunctionName dimension, and Logs Insights can query the rest.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

export const metricsNamespace = "Phoenix";

export interface InvocationRecord {
  functionName: string;
  requestId: string;
  coldStart: boolean;
  /** Only on a cold start: the time from process start to the end of module initialisation. */
  initDurationMs: number | undefined;
  cache: CacheOutcome | undefined;
  dbMs: number;
  dbQueries: number;
  s3Ms: number;
  rows: number;
  durationMs: number;
  statusCode: number;
  error: { code: string; message: string } | undefined;
  timestamp: Date;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function formatInvocationLine(record: InvocationRecord): string {
  const metrics: { Name: string; Unit: string }[] = [
    { Name: "ColdStart", Unit: "Count" },
    { Name: "CacheHit", Unit: "Count" },
    { Name: "CacheMiss", Unit: "Count" },
    { Name: "CacheError", Unit: "Count" },
    { Name: "DbMs", Unit: "Milliseconds" },
    { Name: "S3Ms", Unit: "Milliseconds" },
    { Name: "Rows", Unit: "Count" },
  ];
  if (record.initDurationMs !== undefined) metrics.push({ Name: "InitDuration", Unit: "Milliseconds" });

  const line = {
    level: record.statusCode >= 500 ? "ERROR" : record.statusCode >= 400 ? "WARN" : "INFO",
    message: "process-user-request invocation",
    timestamp: record.timestamp.toISOString(),
    requestId: record.requestId,
    coldStart: record.coldStart,
    cache: record.cache ?? "none",
    dbMs: round(record.dbMs),
    dbQueries: record.dbQueries,
    s3Ms: round(record.s3Ms),
    rows: record.rows,
    durationMs: round(record.durationMs),
    statusCode: record.statusCode,
    ...(record.error === undefined ? {} : { error: record.error }),
    _aws: {
      Timestamp: record.timestamp.getTime(),
      CloudWatchMetrics: [{ Namespace: metricsNamespace, Dimensions: [["FunctionName"]], Metrics: metrics }],
    },
    FunctionName: record.functionName,
    ColdStart: record.coldStart ? 1 : 0,
    ...(record.initDurationMs === undefined ? {} : { InitDuration: round(record.initDurationMs) }),
    CacheHit: record.cache === "hit" ? 1 : 0,
    CacheMiss: record.cache === "miss" ? 1 : 0,
    CacheError: record.cache === "error" ? 1 : 0,
    DbMs: round(record.dbMs),
    S3Ms: round(record.s3Ms),
    Rows: record.rows,
  };
  return JSON.stringify(line);
}

/**
 * Writes straight to stdout rather than through console.log: with the JSON log format the Lambda
 * runtime wraps console output in its own envelope, and EMF must be the top-level document
 * (the approach of Powertools' Metrics utility).
 */
export function writeToStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}
