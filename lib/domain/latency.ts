/**
 * Pure latency logic: numbers in plain words, before/after comparisons, the GetMetricData batch
 * plan and its cost, merging series onto one time axis, and the fleet table's order.
 */

/** GetMetricData: $0.01 per 1,000 metrics requested (AWS_BEHAVIOUR.md §5.4). */
export const USD_PER_METRIC_REQUESTED = 0.01 / 1_000;
/** Logs Insights: $0.005 per GB of log data scanned (us-east-1). */
export const USD_PER_GB_SCANNED = 0.005;
/** One GetMetricData call: at most 500 queries and 100,800 data points (AWS_BEHAVIOUR.md §2.1). */
export const MAX_QUERIES_PER_CALL = 500;
export const MAX_POINTS_PER_CALL = 100_800;

// ---------------------------------------------------------------------------------------------
// Formatting

/** "812 ms", "2.6 s", "14 s", "—" for no data. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1_000).toFixed(1).replace(/\.0$/, "")} s`;
  if (ms < 120_000) return `${Math.round(ms / 1_000)} s`;
  return `${(ms / 60_000).toFixed(1).replace(/\.0$/, "")} min`;
}

/** "1,234", "1.2 M", "—". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (Math.abs(value) >= 10_000_000) return `${(value / 1_000_000).toFixed(1).replace(/\.0$/, "")} M`;
  return Math.round(value).toLocaleString("en-US");
}

/** A ratio as a percentage: "2.4 %", "0.03 %", "0 %", "—". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "—";
  const percent = ratio * 100;
  if (percent === 0) return "0 %";
  if (Math.abs(percent) < 0.1) return `${percent.toFixed(2)} %`;
  if (Math.abs(percent) < 10) return `${percent.toFixed(1).replace(/\.0$/, "")} %`;
  return `${Math.round(percent)} %`;
}

/** "$0.00013" — tiny amounts keep two significant digits so they do not read as zero. */
export function formatUsd(amount: number): string {
  if (amount === 0) return "$0";
  if (amount >= 0.01) return `$${amount.toFixed(2)}`;
  return `$${amount.toPrecision(2).replace(/0+$/, "").replace(/\.$/, "")}`;
}

/** part / whole, or null when the whole is zero or unknown (no invocations is not 0 %). */
export function ratio(part: number | null | undefined, whole: number | null | undefined): number | null {
  if (part === null || part === undefined || !whole) return null;
  return part / whole;
}

// ---------------------------------------------------------------------------------------------
// Before / after in plain words

/**
 * A latency now against the same window two weeks earlier, as a manager reads it:
 * "p90 2.6 s — 3.2× the 0.8 s of two weeks ago", "p90 700 ms — 12 % lower than the 800 ms of two
 * weeks ago", "p90 2.6 s — no data from two weeks earlier".
 */
export function describeLatencyChange(label: string, now: number | null, before: number | null): string {
  if (now === null) return `${label}: no invocations in this window`;
  const head = `${label} ${formatDuration(now)}`;
  if (before === null || before <= 0) return `${head} — no data from two weeks earlier`;
  const factor = now / before;
  const was = `the ${formatDuration(before)} of two weeks ago`;
  if (factor >= 1.5) return `${head} — ${factor.toFixed(1).replace(/\.0$/, "")}× ${was}`;
  const change = Math.round((factor - 1) * 100);
  if (change === 0) return `${head} — the same as ${was}`;
  return `${head} — ${Math.abs(change)} % ${change > 0 ? "higher" : "lower"} than ${was}`;
}

/** Relative change in %, or null when there is nothing to compare with. */
export function percentChange(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return ((now - before) / before) * 100;
}

/** "Timeouts up 15 %", "Timeouts down 40 %", "No timeouts in either window". */
export function describeCountChange(label: string, now: number | null, before: number | null): string {
  if (now === null) return `${label}: not known`;
  if (before === null) return `${label}: ${formatCount(now)} (nothing to compare with two weeks earlier)`;
  if (now === 0 && before === 0) return `No ${label.toLowerCase()} in either window`;
  if (before === 0) return `${label}: ${formatCount(now)}, none two weeks earlier`;
  const change = percentChange(now, before) as number;
  const rounded = Math.round(change);
  if (rounded === 0) return `${label}: ${formatCount(now)}, unchanged from two weeks earlier`;
  return `${label} ${rounded > 0 ? "up" : "down"} ${Math.abs(rounded)} % (${formatCount(now)} vs ${formatCount(before)})`;
}

// ---------------------------------------------------------------------------------------------
// GetMetricData batches and cost

/**
 * Splits queries into GetMetricData calls: as few as the limits allow (500 queries, 100,800 points
 * per call). Returns the index ranges of each call.
 */
export function planMetricBatches<T>(queries: readonly T[], pointsPerQuery: number): T[][] {
  const byPoints = Math.max(1, Math.floor(MAX_POINTS_PER_CALL / Math.max(1, pointsPerQuery)));
  const perCall = Math.min(MAX_QUERIES_PER_CALL, byPoints);
  const batches: T[][] = [];
  for (let index = 0; index < queries.length; index += perCall) batches.push(queries.slice(index, index + perCall));
  return batches;
}

export interface ViewCost {
  getMetricDataCalls: number;
  metricsRequested: number;
  logsQueries: number;
  logsBytesScanned: number;
  /** Other AWS reads (Lambda, ListMetrics, Auto Scaling): not billed per call in a way that matters here. */
  otherCalls: number;
}

export const emptyViewCost: ViewCost = {
  getMetricDataCalls: 0,
  metricsRequested: 0,
  logsQueries: 0,
  logsBytesScanned: 0,
  otherCalls: 0,
};

export function addViewCosts(...costs: ViewCost[]): ViewCost {
  return costs.reduce(
    (sum, cost) => ({
      getMetricDataCalls: sum.getMetricDataCalls + cost.getMetricDataCalls,
      metricsRequested: sum.metricsRequested + cost.metricsRequested,
      logsQueries: sum.logsQueries + cost.logsQueries,
      logsBytesScanned: sum.logsBytesScanned + cost.logsBytesScanned,
      otherCalls: sum.otherCalls + cost.otherCalls,
    }),
    emptyViewCost,
  );
}

/** Dollars one uncached load of a view costs on the CloudWatch bill. */
export function estimateUsd(cost: ViewCost): { metrics: number; logs: number; total: number } {
  const metrics = cost.metricsRequested * USD_PER_METRIC_REQUESTED;
  const logs = (cost.logsBytesScanned / 1_000_000_000) * USD_PER_GB_SCANNED;
  return { metrics, logs, total: metrics + logs };
}

// ---------------------------------------------------------------------------------------------
// Series

export interface Series {
  timestamps: number[];
  values: number[];
}

export type ChartRow = { t: number } & Record<string, number | null>;

/**
 * Puts several series on one time axis: one row per period start from `startMs` (inclusive) to
 * `endMs` (exclusive). Periods CloudWatch omitted (no data) are null, not zero — a chart shows a gap,
 * and counts (invocations, errors) are filled with 0 only when `zeroFill` names them.
 */
export function mergeSeries(
  series: Record<string, Series | undefined>,
  startMs: number,
  endMs: number,
  periodSeconds: number,
  zeroFill: readonly string[] = [],
): ChartRow[] {
  const periodMs = periodSeconds * 1000;
  const rows: ChartRow[] = [];
  const indexByTime = new Map<number, number>();
  for (let t = startMs; t < endMs; t += periodMs) {
    const row: ChartRow = { t };
    for (const key of Object.keys(series)) row[key] = zeroFill.includes(key) ? 0 : null;
    indexByTime.set(t, rows.length);
    rows.push(row);
  }
  for (const [key, data] of Object.entries(series)) {
    if (!data) continue;
    data.timestamps.forEach((timestamp, position) => {
      // CloudWatch aligns periods to StartTime; anything else is snapped to the period it falls in.
      const aligned = startMs + Math.floor((timestamp - startMs) / periodMs) * periodMs;
      const index = indexByTime.get(aligned);
      const value = data.values[position];
      if (index === undefined || value === undefined) return;
      (rows[index] as ChartRow)[key] = value;
    });
  }
  return rows;
}

/** The sum of a series' values (counts over the window). */
export function sumSeries(series: Series | undefined): number | null {
  if (!series || series.values.length === 0) return null;
  return series.values.reduce((sum, value) => sum + value, 0);
}

/** The last value of a series in time order. */
export function latestValue(series: Series | undefined): number | null {
  if (!series || series.values.length === 0) return null;
  let bestIndex = 0;
  series.timestamps.forEach((timestamp, index) => {
    if (timestamp > (series.timestamps[bestIndex] as number)) bestIndex = index;
  });
  return series.values[bestIndex] ?? null;
}

/**
 * Allocated provisioned concurrency per period, derived from two averages CloudWatch does publish:
 * utilization = busy ÷ allocated, so allocated = average busy ÷ average utilization (exact while the
 * allocation is constant within the period; unknown when nothing ran on it).
 */
export function allocatedFromUtilization(averageBusy: number | null, averageUtilization: number | null): number | null {
  if (averageBusy === null || averageUtilization === null || averageUtilization < 0.001) return null;
  return Math.round(averageBusy / averageUtilization);
}

// ---------------------------------------------------------------------------------------------
// Fleet table order

export const fleetSortKeys = [
  "name",
  "p50",
  "p90",
  "p99",
  "invocations",
  "errorRate",
  "timeoutRate",
  "coldStartShare",
  "pcUtilization",
  "spillover",
  "memoryMb",
] as const;
export type FleetSortKey = (typeof fleetSortKeys)[number];

/**
 * Sorts rows by `key`; rows without a value go last either way, so "worst first" never starts with
 * a function that simply has no data.
 */
export function sortFleetRows<Row extends { name: string }>(
  rows: readonly Row[],
  key: FleetSortKey,
  direction: "asc" | "desc",
  sortValue: (row: Row, key: FleetSortKey) => number | string | null,
): Row[] {
  const sign = direction === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = sortValue(a, key);
    const right = sortValue(b, key);
    if (left === null && right === null) return a.name.localeCompare(b.name);
    if (left === null) return 1;
    if (right === null) return -1;
    const order =
      typeof left === "string" || typeof right === "string" ? String(left).localeCompare(String(right)) : left - right;
    return order === 0 ? a.name.localeCompare(b.name) : sign * order;
  });
}

/** Case-insensitive match on any of the words in `filter` against name or runtime. */
export function matchesFleetFilter(row: { name: string; runtime: string }, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${row.name} ${row.runtime}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

// ---------------------------------------------------------------------------------------------
// Logs Insights results

/** Reads a number from a Logs Insights result cell ("" and missing are null). */
export function insightsNumber(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Logs Insights bins are written "YYYY-MM-DD HH:mm:ss.SSS" in UTC. */
export function insightsTimestamp(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(`${value.trim().replace(" ", "T")}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The log group of a Logs Insights `@log` value: AWS writes `<account id>:<log group name>` (log group
 * names cannot contain ":"); a bare name is taken as is. Null for an empty value.
 */
export function logGroupOfInsightsLog(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === "") return null;
  const colon = trimmed.indexOf(":");
  return colon >= 0 ? trimmed.slice(colon + 1) : trimmed;
}

/** `items` in consecutive slices of at most `size` (e.g. 50 log groups per Logs Insights query). */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error("chunk size must be a positive integer");
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}
