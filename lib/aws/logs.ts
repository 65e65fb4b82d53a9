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
 * AWS allows only a few dozen concurrent queries per account (StartQuery reference: 30), shared by
 * everyone; over it StartQuery answers LimitExceededException, which the SDK retries as throttling
 * (AWS_BEHAVIOUR.md §6.2) before Phoenix gives up with a note in words.
 *
 * A query that produced nothing usable (refused over the quota, Failed, Cancelled, or timed out or
 * stopped before any row) throws an AppError whose userMessage says so, so callers show "unknown"
 * with that note rather than zeros; a query cut short with some rows comes back `Partial`.
 */

export interface InsightsQuery {
  logGroupNames: string[];
  queryString: string;
  startMs: number;
  endMs: number;
  limit?: number;
}

export type InsightsStatus = "Complete" | "Partial";

export interface InsightsResult {
  status: InsightsStatus;
  /** One record per result row: field name → value (as Logs Insights returns them, strings). */
  rows: Record<string, string>[];
  recordsMatched: number;
  bytesScanned: number;
  /** Why the result is partial, in plain words. */
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

/** Plain-words notes for the ways a query can end without a complete answer. */
export const INSIGHTS_NOTES = {
  limitExceeded:
    "Logs Insights is already running as many queries as this AWS account allows (the limit is shared with other dashboards and people), so these log-based numbers could not be read. Retry in a minute.",
  failed:
    "Logs Insights could not finish the query (it failed), so these log-based numbers are missing. Retry in a minute.",
  cancelled: "The Logs Insights query was cancelled before it finished, so these log-based numbers are missing.",
  timeoutPartial: "Logs Insights timed out; the counts cover only part of the window.",
  timeoutEmpty:
    "Logs Insights timed out before returning anything, so these log-based numbers are missing. A shorter time range may help.",
  deadlinePartial: (seconds: number) => `Logs Insights did not finish within ${seconds} s; the counts are incomplete.`,
  deadlineEmpty: (seconds: number) =>
    `Logs Insights did not finish within ${seconds} s, so these log-based numbers are missing. Retry in a minute.`,
};

const unusable = (userMessage: string, detail: string) =>
  new AppError("AWS_ERROR", { message: `Logs Insights: ${detail}`, userMessage });

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
    ).catch((error: unknown) => {
      // The account's concurrent-query quota: the SDK already retried it as throttling.
      if (
        error instanceof AppError &&
        (error.cause as { name?: string } | undefined)?.name === "LimitExceededException"
      )
        throw new AppError("AWS_ERROR", {
          message: error.message,
          userMessage: INSIGHTS_NOTES.limitExceeded,
          cause: error,
        });
      throw error;
    });
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
      if (status === "Failed") throw unusable(INSIGHTS_NOTES.failed, `query ${queryId} ended Failed`);
      if (status === "Cancelled") throw unusable(INSIGHTS_NOTES.cancelled, `query ${queryId} was cancelled`);
      if (status === "Timeout") {
        if (rows.length === 0) throw unusable(INSIGHTS_NOTES.timeoutEmpty, `query ${queryId} timed out`);
        return { status: "Partial", ...common, note: INSIGHTS_NOTES.timeoutPartial };
      }
      if (Date.now() + delayMs > deadline) {
        await callAws("CloudWatchLogs.StopQuery", "stop a Logs Insights query", () =>
          client.send(new StopQueryCommand({ queryId })),
        ).catch(() => undefined);
        const seconds = Math.round(timeoutMs / 1000);
        if (rows.length === 0)
          throw unusable(
            INSIGHTS_NOTES.deadlineEmpty(seconds),
            `query ${queryId} still ${status} after ${timeoutMs} ms`,
          );
        return { status: "Partial", ...common, note: INSIGHTS_NOTES.deadlinePartial(seconds) };
      }
      // Scheduled/Running/Unknown: back off, doubling up to 2 s.
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, 2_000);
    }
  });
}

/** The log group Lambda writes a function's logs to by default. */
export function lambdaLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}
