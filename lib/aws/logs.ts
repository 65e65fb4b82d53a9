import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { AppError } from "@/lib/errors";
import { callAws } from "./errors";

/**
 * CloudWatch Logs Insights: StartQuery, then GetQueryResults polled with backoff until the query is
 * Complete, Failed, Cancelled or Timeout, within a bounded time (after which the query is stopped and
 * whatever it had is returned, flagged partial). Queries in flight are capped per process because
 * AWS allows only a few dozen concurrent queries per account, shared by everyone.
 */

export interface InsightsQuery {
  logGroupNames: string[];
  queryString: string;
  startMs: number;
  endMs: number;
  limit?: number;
}

export type InsightsStatus = "Complete" | "Partial" | "Failed";

export interface InsightsResult {
  status: InsightsStatus;
  /** One record per result row: field name → value (as Logs Insights returns them, strings). */
  rows: Record<string, string>[];
  recordsMatched: number;
  bytesScanned: number;
  /** Why the result is partial or failed, in plain words. */
  note?: string;
}

export interface InsightsOptions {
  /** Give up waiting after this long (the query is stopped). Default 25 s. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const maxConcurrentQueries = 4;
let running = 0;
const waiting: (() => void)[] = [];

async function withQuerySlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= maxConcurrentQueries) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs one Logs Insights query to completion (or the time bound). */
export function runInsightsQuery(
  client: CloudWatchLogsClient,
  query: InsightsQuery,
  options: InsightsOptions = {},
): Promise<InsightsResult> {
  const timeoutMs = options.timeoutMs ?? 25_000;
  const sleep = options.sleep ?? defaultSleep;
  return withQuerySlot(async () => {
    const started = await callAws("CloudWatchLogs.StartQuery", "start a Logs Insights query", () =>
      client.send(
        new StartQueryCommand({
          logGroupNames: query.logGroupNames,
          queryString: query.queryString,
          // Logs Insights takes epoch seconds; the end is inclusive there.
          startTime: Math.floor(query.startMs / 1000),
          endTime: Math.floor(query.endMs / 1000) - 1,
          limit: query.limit ?? 10_000,
        }),
      ),
    );
    const queryId = started.queryId;
    if (!queryId) {
      throw new AppError("AWS_ERROR", { userMessage: "Logs Insights did not return a query id." });
    }
    const deadline = Date.now() + timeoutMs;
    let delayMs = 100;
    for (;;) {
      const output = await callAws("CloudWatchLogs.GetQueryResults", "read Logs Insights results", () =>
        client.send(new GetQueryResultsCommand({ queryId })),
      );
      const status = output.status ?? "Unknown";
      const rows = (output.results ?? []).map((fields) =>
        Object.fromEntries(fields.map((field) => [field.field ?? "", field.value ?? ""])),
      );
      const common = {
        rows,
        recordsMatched: Math.round(output.statistics?.recordsMatched ?? 0),
        bytesScanned: Math.round(output.statistics?.bytesScanned ?? 0),
      };
      if (status === "Complete") return { status: "Complete", ...common };
      if (status === "Failed" || status === "Cancelled") {
        return { status: "Failed", ...common, note: `The Logs Insights query ended ${status.toLowerCase()}.` };
      }
      if (status === "Timeout") {
        return { status: "Partial", ...common, note: "Logs Insights timed out; the counts are incomplete." };
      }
      if (Date.now() + delayMs > deadline) {
        await callAws("CloudWatchLogs.StopQuery", "stop a Logs Insights query", () =>
          client.send(new StopQueryCommand({ queryId })),
        ).catch(() => undefined);
        return {
          status: "Partial",
          ...common,
          note: `Logs Insights did not finish within ${Math.round(timeoutMs / 1000)} s; the counts are incomplete.`,
        };
      }
      // Scheduled/Running: back off, doubling up to 2 s.
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 2_000);
    }
  });
}

/** The log group Lambda writes a function's logs to by default. */
export function lambdaLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}
