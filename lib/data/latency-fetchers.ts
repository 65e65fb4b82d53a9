import "server-only";
import { listScalingActivities, type ScalingActivity } from "@/lib/aws/application-auto-scaling";
import type { AwsClients } from "@/lib/aws/clients";
import { getMetricData, listMetrics, type MetricQuery, type MetricSeries } from "@/lib/aws/cloudwatch";
import {
  type LambdaAliasInfo,
  type LambdaFunctionInfo,
  listAliases,
  listFunctions,
  listProvisionedConcurrency,
  type ProvisionedConcurrencyInfo,
  getFunction as readFunction,
} from "@/lib/aws/lambda";
import { type InsightsResult, runInsightsQuery } from "@/lib/aws/logs";
import {
  allocatedFromUtilization,
  type ChartRow,
  emptyViewCost,
  insightsNumber,
  insightsTimestamp,
  latestValue,
  mergeSeries,
  ratio,
  type Series,
  sumSeries,
  type ViewCost,
} from "@/lib/domain/latency";
import {
  type Annotation,
  type AuditAnnotationSource,
  buildAnnotations,
  type HistoryAnnotationSource,
} from "@/lib/domain/latency-annotations";
import { choosePeriodSeconds, DAY_MS, type TimeWindow } from "@/lib/domain/periods";
import { type RuntimeStatus, runtimeStatus } from "@/lib/domain/runtimes";

/**
 * The user-independent fetchers behind the latency pages. They take their AWS clients and "now" as
 * arguments (tests pass clients of a sandbox on a manual clock), never authorize — lib/data/latency.ts
 * authorizes first and caches what these return — and return plain, serializable DTOs.
 */

export interface LatencySources {
  clients: Pick<AwsClients, "lambda" | "cloudWatch" | "logs" | "autoScaling">;
  nowMs: number;
  /** Audited changes whose target mentions the function, from `sinceMs` on. */
  audit: (functionName: string, sinceMs: number) => Promise<AuditAnnotationSource[]>;
  /** The sandbox's configuration history (sandbox mode only). */
  history?: () => Promise<HistoryAnnotationSource[]>;
  /** Bound on waiting for one Logs Insights query. */
  logsTimeoutMs?: number;
}

const LAMBDA = "AWS/Lambda";
/** Logs Insights reads at most this far back per chart (cost: Logs Insights bills per GB scanned). */
export const LOGS_LOOKBACK_MS = 15 * DAY_MS;
/** Scheduled-action annotations and per-alias PC charts consider at most this many aliases. */
const MAX_ALIASES = 3;

const coldStartQuery = (binSeconds?: number) =>
  `filter @type = "REPORT" | stats count(*) as invocations, count(@initDuration) as coldStarts, pct(@initDuration, 50) as initP50, pct(@initDuration, 90) as initP90${
    binSeconds ? ` by bin(${binSeconds}s)` : ""
  }`;
// Both forms a timeout leaves in the logs: the older "Task timed out after …" line and the REPORT
// line's "Status: timeout" (AWS_BEHAVIOUR.md §2.5).
const timeoutQuery = (binSeconds?: number) =>
  `filter @message like /Task timed out|Status: timeout/ | stats count(*) as timeouts${
    binSeconds ? ` by bin(${binSeconds}s)` : ""
  }`;

function functionQuery(
  id: string,
  functionName: string,
  metricName: string,
  stat: string,
  periodSeconds: number,
  qualifier?: string,
): MetricQuery {
  return {
    id,
    namespace: LAMBDA,
    metricName,
    stat,
    periodSeconds,
    dimensions: qualifier
      ? { FunctionName: functionName, Resource: `${functionName}:${qualifier}` }
      : { FunctionName: functionName },
  };
}

function seriesOf(result: MetricSeries | undefined): Series | undefined {
  return result ? { timestamps: result.timestamps, values: result.values } : undefined;
}

function single(result: MetricSeries | undefined): number | null {
  return latestValue(seriesOf(result));
}

// =============================================================================================
// Fleet

export interface FleetFunction {
  name: string;
  runtime: string;
  runtimeStatus: RuntimeStatus;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: string;
  logGroup: string;
  /** Aliases with provisioned-concurrency metrics recently (from ListMetrics). */
  pcQualifiers: string[];
  /** Provisioned concurrency allocated now, summed over its aliases/versions; null when none is configured. */
  pcAllocated: number | null;
  pcRequested: number | null;
}

export interface FleetInventory {
  functions: FleetFunction[];
  cost: ViewCost;
}

/** The functions, their runtimes and their provisioned concurrency now. */
export async function fetchFleetInventory(sources: LatencySources): Promise<FleetInventory> {
  const { clients, nowMs } = sources;
  const [listed, pcMetrics] = await Promise.all([
    listFunctions(clients.lambda),
    listMetrics(clients.cloudWatch, {
      namespace: LAMBDA,
      metricName: "ProvisionedConcurrencyUtilization",
      dimensionNames: ["FunctionName", "Resource"],
    }),
  ]);
  const pcByFunction = new Map<string, string[]>();
  for (const metric of pcMetrics.metrics) {
    const name = metric.dimensions.FunctionName;
    const qualifier = metric.dimensions.Resource?.split(":")[1];
    if (!name || !qualifier) continue;
    pcByFunction.set(name, [...(pcByFunction.get(name) ?? []), qualifier]);
  }
  // Only functions with provisioned-concurrency metrics can have it: one Lambda call each, not one per function.
  const pcConfigs = new Map<string, ProvisionedConcurrencyInfo[]>();
  await Promise.all(
    [...pcByFunction.keys()]
      .filter((name) => listed.functions.some((fn) => fn.name === name))
      .map(async (name) => pcConfigs.set(name, await listProvisionedConcurrency(clients.lambda, name))),
  );
  const functions = listed.functions.map((fn): FleetFunction => {
    const configs = pcConfigs.get(fn.name) ?? [];
    return {
      name: fn.name,
      runtime: fn.runtime,
      runtimeStatus: runtimeStatus(fn.runtime, nowMs),
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      architecture: fn.architecture,
      logGroup: fn.logGroup,
      pcQualifiers: (pcByFunction.get(fn.name) ?? []).slice(0, MAX_ALIASES),
      pcAllocated: configs.length > 0 ? configs.reduce((sum, config) => sum + config.allocated, 0) : null,
      pcRequested: configs.length > 0 ? configs.reduce((sum, config) => sum + config.requested, 0) : null,
    };
  });
  return {
    functions,
    cost: { ...emptyViewCost, otherCalls: listed.calls + pcMetrics.calls + pcConfigs.size },
  };
}

export interface FleetMetricsRow {
  name: string;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** p90 over the window, a few dozen points, for the sparkline. */
  sparkline: { t: number; v: number }[];
  invocations: number;
  errors: number;
  throttles: number;
  errorRate: number | null;
  /** Average provisioned-concurrency utilization (0–1) over the window, null without PC. */
  pcUtilization: number | null;
  spillover: number | null;
  spilloverShare: number | null;
  /** The same window two weeks earlier (functions in focus only). */
  before?: { p90: number | null; p99: number | null; invocations: number | null };
}

export interface FleetMetrics {
  startMs: number;
  endMs: number;
  sparklinePeriodSeconds: number;
  rows: FleetMetricsRow[];
  partial: boolean;
  cost: ViewCost;
}

const SPARKLINE_POINTS = 48;
const TWO_WEEKS_MS = 14 * DAY_MS;

/**
 * Whole-window statistics of every function in one GetMetricData call (the period is the window, so
 * each query returns one point), plus one small call for the same window two weeks earlier for the
 * functions in focus. Two calls: queries of different time windows cannot share one.
 */
export async function fetchFleetMetrics(
  sources: LatencySources,
  inventory: FleetInventory,
  window: { startMs: number; endMs: number },
  focus: readonly string[],
): Promise<FleetMetrics> {
  const { startMs, endMs } = window;
  const windowSeconds = Math.round((endMs - startMs) / 1000);
  const sparklinePeriodSeconds = choosePeriodSeconds(startMs, endMs, sources.nowMs, SPARKLINE_POINTS);
  const queries: MetricQuery[] = [];
  const previous: MetricQuery[] = [];
  inventory.functions.forEach((fn, index) => {
    const q = (suffix: string, metric: string, stat: string, period = windowSeconds, qualifier?: string) =>
      functionQuery(`f${index}_${suffix}`, fn.name, metric, stat, period, qualifier);
    queries.push(
      q("p50", "Duration", "p50"),
      q("p90", "Duration", "p90"),
      q("p99", "Duration", "p99"),
      q("spark", "Duration", "p90", sparklinePeriodSeconds),
      q("inv", "Invocations", "Sum"),
      q("err", "Errors", "Sum"),
      q("thr", "Throttles", "Sum"),
    );
    fn.pcQualifiers.forEach((qualifier, aliasIndex) => {
      queries.push(
        q(`pcu${aliasIndex}`, "ProvisionedConcurrencyUtilization", "Average", windowSeconds, qualifier),
        q(`pcs${aliasIndex}`, "ProvisionedConcurrencySpilloverInvocations", "Sum", windowSeconds, qualifier),
      );
    });
    if (focus.includes(fn.name)) {
      previous.push(q("bp90", "Duration", "p90"), q("bp99", "Duration", "p99"), q("binv", "Invocations", "Sum"));
    }
  });
  const [current, earlier] = await Promise.all([
    getMetricData(sources.clients.cloudWatch, { queries, startMs, endMs }),
    getMetricData(sources.clients.cloudWatch, {
      queries: previous,
      startMs: startMs - TWO_WEEKS_MS,
      endMs: endMs - TWO_WEEKS_MS,
    }),
  ]);
  const rows = inventory.functions.map((fn, index): FleetMetricsRow => {
    const get = (suffix: string) => current.series[`f${index}_${suffix}`];
    const invocations = single(get("inv")) ?? 0;
    const errors = single(get("err")) ?? 0;
    const utilizations = fn.pcQualifiers.map((_, aliasIndex) => single(get(`pcu${aliasIndex}`)));
    const spills = fn.pcQualifiers.map((_, aliasIndex) => single(get(`pcs${aliasIndex}`)));
    const knownUtilizations = utilizations.filter((value): value is number => value !== null);
    const spillover = fn.pcQualifiers.length > 0 ? spills.reduce<number>((sum, value) => sum + (value ?? 0), 0) : null;
    const spark = get("spark");
    const row: FleetMetricsRow = {
      name: fn.name,
      p50: single(get("p50")),
      p90: single(get("p90")),
      p99: single(get("p99")),
      sparkline: spark ? spark.timestamps.map((t, position) => ({ t, v: spark.values[position] as number })) : [],
      invocations,
      errors,
      throttles: single(get("thr")) ?? 0,
      errorRate: ratio(errors, invocations),
      pcUtilization: knownUtilizations.length > 0 ? Math.max(...knownUtilizations) : null,
      spillover,
      spilloverShare: ratio(spillover, invocations),
    };
    if (focus.includes(fn.name)) {
      const before = (suffix: string) => single(earlier.series[`f${index}_${suffix}`]);
      row.before = { p90: before("bp90"), p99: before("bp99"), invocations: before("binv") };
    }
    return row;
  });
  return {
    startMs,
    endMs,
    sparklinePeriodSeconds,
    rows,
    partial: current.partial || earlier.partial,
    cost: {
      ...emptyViewCost,
      getMetricDataCalls: current.calls + earlier.calls,
      metricsRequested: current.metricsRequested + earlier.metricsRequested,
    },
  };
}

export interface FleetLogsRow {
  name: string;
  /** REPORT lines (one per invocation) and those with an Init Duration (cold starts). */
  reports: number | null;
  coldStarts: number | null;
  coldStartShare: number | null;
  initP50: number | null;
  timeouts: number | null;
  timeoutsBefore?: number | null;
}

export interface FleetLogs {
  rows: FleetLogsRow[];
  partial: boolean;
  notes: string[];
  cost: ViewCost;
}

/**
 * Cold starts and timeouts per function from Logs Insights (AWS/Lambda publishes neither): two queries
 * per function with traffic (none for idle ones), plus the timeouts two weeks earlier for the functions
 * in focus. Logs Insights cannot group by log group in one query the sandbox understands, so a query
 * covers one function.
 */
export async function fetchFleetLogs(
  sources: LatencySources,
  inventory: FleetInventory,
  window: { startMs: number; endMs: number },
  focus: readonly string[],
  invocationsByFunction: ReadonlyMap<string, number>,
): Promise<FleetLogs> {
  const notes: string[] = [];
  let partial = false;
  let queries = 0;
  let bytes = 0;
  const run = async (logGroup: string, queryString: string, startMs: number, endMs: number) => {
    queries++;
    try {
      const result = await runInsightsQuery(
        sources.clients.logs,
        { logGroupNames: [logGroup], queryString, startMs, endMs },
        { timeoutMs: sources.logsTimeoutMs },
      );
      bytes += result.bytesScanned;
      if (result.status !== "Complete") {
        partial = true;
        if (result.note) notes.push(result.note);
      }
      return result;
    } catch (error) {
      partial = true;
      notes.push(error instanceof Error && "userMessage" in error ? String(error.userMessage) : "A query failed.");
      return undefined;
    }
  };
  const rows = await Promise.all(
    inventory.functions.map(async (fn): Promise<FleetLogsRow> => {
      const invocations = invocationsByFunction.get(fn.name);
      const inFocus = focus.includes(fn.name);
      if (invocations === 0 && !inFocus) {
        return { name: fn.name, reports: 0, coldStarts: 0, coldStartShare: null, initP50: null, timeouts: 0 };
      }
      const [cold, timeouts, timeoutsBefore] = await Promise.all([
        run(fn.logGroup, coldStartQuery(), window.startMs, window.endMs),
        run(fn.logGroup, timeoutQuery(), window.startMs, window.endMs),
        inFocus
          ? run(fn.logGroup, timeoutQuery(), window.startMs - TWO_WEEKS_MS, window.endMs - TWO_WEEKS_MS)
          : Promise.resolve(undefined),
      ]);
      const coldRow = cold?.rows[0];
      const reports = cold ? (insightsNumber(coldRow?.invocations) ?? 0) : null;
      const coldStarts = cold ? (insightsNumber(coldRow?.coldStarts) ?? 0) : null;
      const row: FleetLogsRow = {
        name: fn.name,
        reports,
        coldStarts,
        // A share above 100 % would be a counting artefact (environments started by retries or
        // recycling with few invocations), not information: cap it.
        coldStartShare: capAtOne(ratio(coldStarts, reports)),
        initP50: insightsNumber(coldRow?.initP50),
        timeouts: countOf(timeouts, "timeouts"),
      };
      if (inFocus) row.timeoutsBefore = countOf(timeoutsBefore, "timeouts");
      return row;
    }),
  );
  return {
    rows,
    partial,
    notes: [...new Set(notes)],
    cost: { ...emptyViewCost, logsQueries: queries, logsBytesScanned: bytes },
  };
}

function capAtOne(value: number | null): number | null {
  return value === null ? null : Math.min(1, value);
}

function countOf(result: InsightsResult | undefined, field: string): number | null {
  if (!result) return null;
  return insightsNumber(result.rows[0]?.[field]) ?? 0;
}

// =============================================================================================
// One function

export interface FunctionSummary {
  name: string;
  arn: string;
  description: string;
  runtime: string;
  runtimeStatus: RuntimeStatus;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: string;
  /** Code plus layers, in bytes. */
  packageBytes: number;
  codeSizeBytes: number;
  layersBytes: number;
  lastModified: string;
  lastUpdateStatus?: string;
  logGroup: string;
  aliases: LambdaAliasInfo[];
  provisioned: ProvisionedConcurrencyInfo[];
}

/** The function's configuration from the Lambda API; a missing function is AppError NOT_FOUND. */
export async function fetchFunctionSummary(sources: LatencySources, name: string): Promise<FunctionSummary> {
  const { lambda } = sources.clients;
  const fn: LambdaFunctionInfo = await readFunction(lambda, name);
  const [aliases, provisioned] = await Promise.all([
    listAliases(lambda, name),
    listProvisionedConcurrency(lambda, name),
  ]);
  return {
    name: fn.name,
    arn: fn.arn,
    description: fn.description,
    runtime: fn.runtime,
    runtimeStatus: runtimeStatus(fn.runtime, sources.nowMs),
    memoryMb: fn.memoryMb,
    timeoutSeconds: fn.timeoutSeconds,
    architecture: fn.architecture,
    packageBytes: fn.codeSizeBytes + fn.layersBytes,
    codeSizeBytes: fn.codeSizeBytes,
    layersBytes: fn.layersBytes,
    lastModified: fn.lastModified,
    ...(fn.lastUpdateStatus ? { lastUpdateStatus: fn.lastUpdateStatus } : {}),
    logGroup: fn.logGroup,
    aliases,
    provisioned,
  };
}

/** Keys of the metric chart rows (the CSV export's columns follow this order). */
export const metricSeriesKeys = [
  "p50",
  "p90",
  "p99",
  "avg",
  "max",
  "invocations",
  "errors",
  "throttles",
  "concurrency",
  "pcAllocated",
  "pcBusy",
  "pcUtilization",
  "spillover",
] as const;
export type MetricSeriesKey = (typeof metricSeriesKeys)[number];

export interface FunctionMetrics {
  window: TimeWindow;
  rows: ChartRow[];
  /** Aliases whose provisioned-concurrency metrics were read. */
  pcQualifiers: string[];
  hasProvisionedData: boolean;
  totals: { invocations: number; errors: number; throttles: number };
  includesAverageAndMaximum: boolean;
  partial: boolean;
  cost: ViewCost;
}

/** Every metric chart of the function page in one GetMetricData call (paginated if need be). */
export async function fetchFunctionMetrics(
  sources: LatencySources,
  summary: FunctionSummary,
  window: TimeWindow,
  options: { averageAndMaximum: boolean },
): Promise<FunctionMetrics> {
  const period = window.periodSeconds;
  const name = summary.name;
  const q = (id: string, metric: string, stat: string, qualifier?: string) =>
    functionQuery(id, name, metric, stat, period, qualifier);
  const queries: MetricQuery[] = [
    q("p50", "Duration", "p50"),
    q("p90", "Duration", "p90"),
    q("p99", "Duration", "p99"),
    q("invocations", "Invocations", "Sum"),
    q("errors", "Errors", "Sum"),
    q("throttles", "Throttles", "Sum"),
    q("concurrency", "ConcurrentExecutions", "Maximum"),
  ];
  if (options.averageAndMaximum) queries.push(q("avg", "Duration", "Average"), q("max", "Duration", "Maximum"));
  // Provisioned concurrency lives on aliases (or versions): read it where it can be.
  const pcQualifiers = [
    ...new Set([
      ...summary.provisioned.map((config) => config.qualifier),
      ...summary.aliases.map((alias) => alias.name),
    ]),
  ]
    .filter((qualifier) => qualifier && qualifier !== "$LATEST")
    .slice(0, MAX_ALIASES);
  pcQualifiers.forEach((qualifier, index) => {
    queries.push(
      q(`pcbusymax${index}`, "ProvisionedConcurrentExecutions", "Maximum", qualifier),
      q(`pcbusyavg${index}`, "ProvisionedConcurrentExecutions", "Average", qualifier),
      q(`pcutil${index}`, "ProvisionedConcurrencyUtilization", "Average", qualifier),
      q(`pcspill${index}`, "ProvisionedConcurrencySpilloverInvocations", "Sum", qualifier),
    );
  });
  const result = await getMetricData(sources.clients.cloudWatch, {
    queries,
    startMs: window.startMs,
    endMs: window.endMs,
  });
  const series: Record<string, Series | undefined> = {};
  for (const key of ["p50", "p90", "p99", "invocations", "errors", "throttles", "concurrency"]) {
    series[key] = seriesOf(result.series[key]);
  }
  if (options.averageAndMaximum) {
    series.avg = seriesOf(result.series.avg);
    series.max = seriesOf(result.series.max);
  }
  const rows = mergeSeries(series, window.startMs, window.endMs, period, ["invocations", "errors", "throttles"]);
  // Provisioned concurrency, summed over its aliases: busy, allocated (derived), utilization, spill-over.
  const perAlias = pcQualifiers.map((_, index) =>
    mergeSeries(
      {
        busyMax: seriesOf(result.series[`pcbusymax${index}`]),
        busyAvg: seriesOf(result.series[`pcbusyavg${index}`]),
        util: seriesOf(result.series[`pcutil${index}`]),
        spill: seriesOf(result.series[`pcspill${index}`]),
      },
      window.startMs,
      window.endMs,
      period,
    ),
  );
  let hasProvisionedData = false;
  rows.forEach((row, rowIndex) => {
    let busy: number | null = null;
    let busyAverage = 0;
    let allocated: number | null = null;
    let spill: number | null = null;
    for (const aliasRows of perAlias) {
      const aliasRow = aliasRows[rowIndex];
      if (!aliasRow) continue;
      if (aliasRow.busyMax !== null && aliasRow.busyMax !== undefined) busy = (busy ?? 0) + aliasRow.busyMax;
      const aliasAllocated = allocatedFromUtilization(aliasRow.busyAvg ?? null, aliasRow.util ?? null);
      if (aliasAllocated !== null) {
        allocated = (allocated ?? 0) + aliasAllocated;
        busyAverage += aliasRow.busyAvg ?? 0;
      }
      if (aliasRow.spill !== null && aliasRow.spill !== undefined) spill = (spill ?? 0) + aliasRow.spill;
    }
    if (busy !== null || spill !== null) hasProvisionedData = true;
    row.pcBusy = busy;
    row.pcAllocated = allocated;
    row.pcUtilization = allocated ? busyAverage / allocated : null;
    row.spillover = spill;
  });
  return {
    window,
    rows,
    pcQualifiers,
    hasProvisionedData,
    totals: {
      invocations: sumSeries(series.invocations) ?? 0,
      errors: sumSeries(series.errors) ?? 0,
      throttles: sumSeries(series.throttles) ?? 0,
    },
    includesAverageAndMaximum: options.averageAndMaximum,
    partial: result.partial,
    cost: { ...emptyViewCost, getMetricDataCalls: result.calls, metricsRequested: result.metricsRequested },
  };
}

export interface FunctionLogs {
  rows: ChartRow[];
  /** The part of the window the logs cover (Logs Insights is read at most 15 days back). */
  coveredStartMs: number;
  totals: { coldStarts: number; timeouts: number; reports: number };
  partial: boolean;
  notes: string[];
  cost: ViewCost;
}

/** Cold starts, init duration and timeouts per period: two Logs Insights queries for the whole page. */
export async function fetchFunctionLogs(
  sources: LatencySources,
  summary: FunctionSummary,
  window: TimeWindow,
): Promise<FunctionLogs> {
  const period = window.periodSeconds;
  const periodMs = period * 1000;
  const coveredStartMs = Math.max(window.startMs, Math.ceil((sources.nowMs - LOGS_LOOKBACK_MS) / periodMs) * periodMs);
  const notes: string[] = [];
  if (coveredStartMs > window.startMs) {
    notes.push("Cold starts and timeouts come from Logs Insights, read for the last 15 days of this range only.");
  }
  let partial = false;
  const run = async (queryString: string) => {
    try {
      const result = await runInsightsQuery(
        sources.clients.logs,
        { logGroupNames: [summary.logGroup], queryString, startMs: coveredStartMs, endMs: window.endMs },
        { timeoutMs: sources.logsTimeoutMs },
      );
      if (result.status !== "Complete") {
        partial = true;
        if (result.note) notes.push(result.note);
      }
      return result;
    } catch (error) {
      partial = true;
      notes.push(error instanceof Error && "userMessage" in error ? String(error.userMessage) : "A query failed.");
      return undefined;
    }
  };
  const [cold, timeouts] = await Promise.all([run(coldStartQuery(period)), run(timeoutQuery(period))]);
  const binned = (result: InsightsResult | undefined, field: string): Series => {
    const series: Series = { timestamps: [], values: [] };
    for (const row of result?.rows ?? []) {
      const t = insightsTimestamp(row[`bin(${period}s)`] ?? Object.values(row)[0]);
      const value = insightsNumber(row[field]);
      if (t === null || value === null) continue;
      series.timestamps.push(t);
      series.values.push(value);
    }
    return series;
  };
  const coldStarts = binned(cold, "coldStarts");
  const timeoutSeries = binned(timeouts, "timeouts");
  const reports = binned(cold, "invocations");
  const rows = mergeSeries(
    {
      coldStarts: cold ? coldStarts : undefined,
      initP50: cold ? binned(cold, "initP50") : undefined,
      initP90: cold ? binned(cold, "initP90") : undefined,
      timeouts: timeouts ? timeoutSeries : undefined,
    },
    window.startMs,
    window.endMs,
    period,
    [],
  );
  // Periods the logs cover with no cold start or timeout are zero; before the covered part, unknown.
  for (const row of rows) {
    if (row.t < coveredStartMs) continue;
    if (cold && row.coldStarts === null) row.coldStarts = 0;
    if (timeouts && row.timeouts === null) row.timeouts = 0;
  }
  return {
    rows,
    coveredStartMs,
    totals: {
      coldStarts: sumSeries(coldStarts) ?? 0,
      timeouts: sumSeries(timeoutSeries) ?? 0,
      reports: sumSeries(reports) ?? 0,
    },
    partial,
    notes: [...new Set(notes)],
    cost: {
      ...emptyViewCost,
      logsQueries: 2,
      logsBytesScanned: (cold?.bytesScanned ?? 0) + (timeouts?.bytesScanned ?? 0),
    },
  };
}

export interface FunctionAnnotations {
  annotations: Annotation[];
  cost: ViewCost;
}

/** Audited changes, sandbox history (scenario events) and fired PC schedules within the window. */
export async function fetchFunctionAnnotations(
  sources: LatencySources,
  summary: FunctionSummary,
  window: { startMs: number; endMs: number },
): Promise<FunctionAnnotations> {
  const qualifiers = [...new Set(summary.aliases.map((alias) => alias.name))].slice(0, MAX_ALIASES);
  const [audit, history, activities] = await Promise.all([
    sources.audit(summary.name, window.startMs),
    sources.history ? sources.history() : Promise.resolve(undefined),
    Promise.all(
      qualifiers.map((qualifier) =>
        listScalingActivities(sources.clients.autoScaling, `function:${summary.name}:${qualifier}`, window.startMs),
      ),
    ).then((lists): ScalingActivity[] => lists.flat()),
  ]);
  return {
    // Up to now, not the window's end: charts end at the last whole minute, a change may be seconds old.
    annotations: buildAnnotations(summary.name, window.startMs, Math.max(window.endMs, sources.nowMs + 1), {
      audit,
      ...(history ? { history } : {}),
      activities,
    }),
    cost: { ...emptyViewCost, otherCalls: qualifiers.length },
  };
}
