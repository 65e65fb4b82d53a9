import "server-only";
import type { AwsClients } from "@/lib/aws/clients";
import type { MetricQuery, MetricSeries } from "@/lib/aws/cloudwatch";
import { type InsightsResult, runInsightsQuery } from "@/lib/aws/logs";
import { chunked, insightsNumber, insightsTimestamp, logGroupOfInsightsLog } from "@/lib/domain/latency";
import { AppError } from "@/lib/errors";

/**
 * The one place that counts cold starts and timeouts of a set of functions over a window.
 *
 * AWS/Lambda publishes neither, so they come from the REPORT lines every function writes, through
 * Logs Insights — batched: one query covers up to 50 log groups (StartQuery's limit) and groups its
 * answer `by @log`, so a view costs two queries per 50 functions (cold starts, timeouts), not two per
 * function. Where a function publishes its own cold-start metrics (the optimized handler's EMF
 * `Phoenix` namespace: ColdStart, InitDuration), its cold starts and init durations are read from
 * CloudWatch instead — callers put `handlerMetricQueries` into the GetMetricData batch they make
 * anyway and pass what came back as `handlerColdStarts`; those functions are left out of the
 * cold-start query. Timeouts always come from the logs: a handler that timed out cannot report itself.
 * Every number says where it came from.
 */

/** Logs Insights accepts at most this many log groups per query. */
export const MAX_LOG_GROUPS_PER_QUERY = 50;

/** Where a number came from. */
export type CountSource = "logs-insights" | "handler-metrics";

export interface ColdStartTarget {
  name: string;
  logGroup: string;
}

export interface ColdStartBin {
  t: number;
  reports: number | null;
  coldStarts: number | null;
  initP50: number | null;
  initP90: number | null;
  timeouts: number | null;
}

export interface ColdStartCounts {
  /** REPORT lines (one per invocation); null when cold starts came from handler metrics or failed. */
  reports: number | null;
  coldStarts: number | null;
  initP50: number | null;
  initP90: number | null;
  timeouts: number | null;
  /** Where coldStarts/initP50/initP90 came from (null when they were not read or the read failed). */
  coldStartsSource: CountSource | null;
  /** Where timeouts came from (null when not read or failed). */
  timeoutsSource: "logs-insights" | null;
  /** Per period, when bins were asked for. */
  bins?: ColdStartBin[];
}

export interface ColdStartsAndTimeouts {
  byFunction: Record<string, ColdStartCounts>;
  partial: boolean;
  notes: string[];
  logsQueries: number;
  logsBytesScanned: number;
}

/** What the handler's own metrics said about one function's cold starts over the window. */
export interface HandlerColdStarts {
  coldStarts: number;
  initP50: number | null;
  initP90: number | null;
  bins?: { t: number; coldStarts: number | null; initP50: number | null; initP90: number | null }[];
}

export interface ColdStartsRequest {
  functions: readonly ColdStartTarget[];
  startMs: number;
  endMs: number;
  /** Also per period of this many seconds (bins aligned on the epoch, as CloudWatch periods are). */
  binSeconds?: number;
  /** Read cold starts (default true) and timeouts (default true). */
  coldStarts?: boolean;
  timeouts?: boolean;
  /** Functions whose cold starts come from their own metrics (not queried in the logs). */
  handlerColdStarts?: ReadonlyMap<string, HandlerColdStarts>;
}

export interface ColdStartSources {
  clients: Pick<AwsClients, "logs">;
  /** Bound on waiting for one Logs Insights query. */
  logsTimeoutMs?: number;
}

const coldStartQuery = (binSeconds?: number) =>
  `filter @type = "REPORT" | stats count(*) as invocations, count(@initDuration) as coldStarts, pct(@initDuration, 50) as initP50, pct(@initDuration, 90) as initP90 by @log${
    binSeconds ? `, bin(${binSeconds}s)` : ""
  }`;
// Both forms a timeout leaves in the logs: the older "Task timed out after …" line and the REPORT
// line's "Status: timeout" (AWS_BEHAVIOUR.md §2.5).
const timeoutQuery = (binSeconds?: number) =>
  `filter @message like /Task timed out|Status: timeout/ | stats count(*) as timeouts by @log${
    binSeconds ? `, bin(${binSeconds}s)` : ""
  }`;

/** Cold starts, init durations and timeouts of `functions` over [startMs, endMs): O(1) queries per 50. */
export async function fetchColdStartsAndTimeouts(
  sources: ColdStartSources,
  request: ColdStartsRequest,
): Promise<ColdStartsAndTimeouts> {
  const { startMs, endMs, binSeconds } = request;
  const handler = request.handlerColdStarts ?? new Map<string, HandlerColdStarts>();
  const wantCold = request.coldStarts !== false;
  const wantTimeouts = request.timeouts !== false;
  const notes: string[] = [];
  let partial = false;
  let logsQueries = 0;
  let logsBytesScanned = 0;

  const run = async (targets: readonly ColdStartTarget[], queryString: string) => {
    logsQueries++;
    try {
      const result = await runInsightsQuery(
        sources.clients.logs,
        { logGroupNames: targets.map((target) => target.logGroup), queryString, startMs, endMs },
        { timeoutMs: sources.logsTimeoutMs },
      );
      logsBytesScanned += result.bytesScanned;
      if (result.status !== "Complete") {
        partial = true;
        notes.push(result.note ?? "A Logs Insights query returned partial results.");
      }
      return result;
    } catch (error) {
      partial = true;
      notes.push(AppError.from(error).userMessage);
      return undefined;
    }
  };

  const coldTargets = wantCold ? request.functions.filter((fn) => !handler.has(fn.name)) : [];
  const timeoutTargets = wantTimeouts ? request.functions : [];
  const [coldResults, timeoutResults] = await Promise.all([
    Promise.all(
      chunked(coldTargets, MAX_LOG_GROUPS_PER_QUERY).map(async (batch) => ({
        batch,
        result: await run(batch, coldStartQuery(binSeconds)),
      })),
    ),
    Promise.all(
      chunked(timeoutTargets, MAX_LOG_GROUPS_PER_QUERY).map(async (batch) => ({
        batch,
        result: await run(batch, timeoutQuery(binSeconds)),
      })),
    ),
  ]);

  const byFunction: Record<string, ColdStartCounts> = {};
  for (const fn of request.functions) {
    const counts: ColdStartCounts = {
      reports: null,
      coldStarts: null,
      initP50: null,
      initP90: null,
      timeouts: null,
      coldStartsSource: null,
      timeoutsSource: null,
    };
    const fromHandler = wantCold ? handler.get(fn.name) : undefined;
    if (fromHandler) {
      counts.coldStarts = fromHandler.coldStarts;
      counts.initP50 = fromHandler.initP50;
      counts.initP90 = fromHandler.initP90;
      counts.coldStartsSource = "handler-metrics";
    }
    if (binSeconds) {
      counts.bins = (fromHandler?.bins ?? []).map((bin) => ({ ...bin, reports: null, timeouts: null }));
    }
    byFunction[fn.name] = counts;
  }
  const binOf = (counts: ColdStartCounts, t: number): ColdStartBin => {
    const bins = counts.bins as ColdStartBin[];
    let bin = bins.find((candidate) => candidate.t === t);
    if (!bin) {
      bin = { t, reports: null, coldStarts: null, initP50: null, initP90: null, timeouts: null };
      bins.push(bin);
    }
    return bin;
  };

  for (const { batch, result } of coldResults) {
    if (!result) continue;
    // A complete answer without a row for a log group means no REPORT line there: zero.
    for (const fn of batch) {
      const counts = byFunction[fn.name] as ColdStartCounts;
      counts.reports = 0;
      counts.coldStarts = 0;
      counts.coldStartsSource = "logs-insights";
    }
    for (const row of rowsByFunction(result, batch)) {
      const counts = byFunction[row.name] as ColdStartCounts;
      const reports = insightsNumber(row.fields.invocations) ?? 0;
      const coldStarts = insightsNumber(row.fields.coldStarts) ?? 0;
      const initP50 = insightsNumber(row.fields.initP50);
      const initP90 = insightsNumber(row.fields.initP90);
      if (binSeconds) {
        const t = insightsTimestamp(row.fields[`bin(${binSeconds}s)`]);
        if (t === null) continue;
        const bin = binOf(counts, t);
        Object.assign(bin, { reports, coldStarts, initP50, initP90 });
        counts.reports = (counts.reports ?? 0) + reports;
        counts.coldStarts = (counts.coldStarts ?? 0) + coldStarts;
      } else {
        Object.assign(counts, { reports, coldStarts, initP50, initP90 });
      }
    }
  }
  for (const { batch, result } of timeoutResults) {
    if (!result) continue;
    for (const fn of batch) {
      const counts = byFunction[fn.name] as ColdStartCounts;
      counts.timeouts = 0;
      counts.timeoutsSource = "logs-insights";
    }
    for (const row of rowsByFunction(result, batch)) {
      const counts = byFunction[row.name] as ColdStartCounts;
      const timeouts = insightsNumber(row.fields.timeouts) ?? 0;
      if (binSeconds) {
        const t = insightsTimestamp(row.fields[`bin(${binSeconds}s)`]);
        if (t === null) continue;
        binOf(counts, t).timeouts = timeouts;
      }
      counts.timeouts = (binSeconds ? (counts.timeouts ?? 0) : 0) + timeouts;
    }
  }
  for (const counts of Object.values(byFunction)) counts.bins?.sort((a, b) => a.t - b.t);
  return { byFunction, partial, notes: [...new Set(notes)], logsQueries, logsBytesScanned };
}

function rowsByFunction(
  result: InsightsResult,
  batch: readonly ColdStartTarget[],
): { name: string; fields: Record<string, string> }[] {
  const byGroup = new Map(batch.map((target) => [target.logGroup, target.name]));
  return result.rows.flatMap((fields) => {
    const name = byGroup.get(logGroupOfInsightsLog(fields["@log"] ?? "") ?? "");
    return name ? [{ name, fields }] : [];
  });
}

// =============================================================================================
// The handler's own metrics (EMF, namespace Phoenix, dimension FunctionName)

export const HANDLER_METRICS_NAMESPACE = "Phoenix";

/**
 * GetMetricData queries for a function's own cold-start metrics over a window: the ColdStart count,
 * how many invocations reported at all (SampleCount, to see whether the handler covered the window)
 * and InitDuration p50/p90. `periodSeconds` = the window gives one point each; a chart period, a series.
 */
export function handlerMetricQueries(idPrefix: string, functionName: string, periodSeconds: number): MetricQuery[] {
  const q = (suffix: string, metricName: string, stat: string): MetricQuery => ({
    id: `${idPrefix}_${suffix}`,
    namespace: HANDLER_METRICS_NAMESPACE,
    metricName,
    stat,
    periodSeconds,
    dimensions: { FunctionName: functionName },
  });
  return [
    q("hcold", "ColdStart", "Sum"),
    q("hrep", "ColdStart", "SampleCount"),
    q("hinit50", "InitDuration", "p50"),
    q("hinit90", "InitDuration", "p90"),
  ];
}

/**
 * The handler's cold starts from the series `handlerMetricQueries` returned, or undefined when they
 * cannot stand in for the logs: no data, or the handler reported fewer invocations than completed
 * without error (it was deployed during the window, so earlier cold starts would be missed).
 * `completed` = Invocations − Errors over the same window (a timed-out handler reports nothing).
 */
export function handlerColdStartsFrom(
  series: Record<string, MetricSeries | undefined>,
  idPrefix: string,
  completed: number | null,
): HandlerColdStarts | undefined {
  const values = (suffix: string) => series[`${idPrefix}_${suffix}`];
  const total = (suffix: string): number | null => {
    const found = values(suffix)?.values ?? [];
    return found.length > 0 ? found.reduce((sum, value) => sum + value, 0) : null;
  };
  const reported = total("hrep");
  // Counts are integers: half a record of slack absorbs floating-point sums of per-period values.
  if (reported === null || completed === null || reported + 0.5 < completed) return undefined;
  const cold = values("hcold");
  const init50 = values("hinit50");
  const init90 = values("hinit90");
  const single = (found: MetricSeries | undefined) =>
    found && found.values.length === 1 ? (found.values[0] as number) : null;
  const bins = (cold?.timestamps ?? []).map((t, index) => {
    const at = (found: MetricSeries | undefined) => {
      const position = found?.timestamps.indexOf(t) ?? -1;
      return position >= 0 ? ((found as MetricSeries).values[position] as number) : null;
    };
    return { t, coldStarts: cold?.values[index] ?? null, initP50: at(init50), initP90: at(init90) };
  });
  return {
    coldStarts: total("hcold") ?? 0,
    initP50: single(init50),
    initP90: single(init90),
    bins,
  };
}
