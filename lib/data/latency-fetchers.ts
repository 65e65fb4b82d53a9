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
import {
  allocatedFromUtilization,
  type ChartRow,
  emptyViewCost,
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
import {
  type CountSource,
  fetchColdStartsAndTimeouts,
  HANDLER_METRICS_NAMESPACE,
  type HandlerColdStarts,
  handlerColdStartsFrom,
  handlerMetricQueries,
} from "./cold-starts-and-timeouts";

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
  /** Publishes its own cold-start metrics (namespace Phoenix, ColdStart by FunctionName: the optimized handler's EMF). */
  handlerMetrics: boolean;
}

export interface FleetInventory {
  functions: FleetFunction[];
  cost: ViewCost;
}

/** The functions, their runtimes and their provisioned concurrency now. */
export async function fetchFleetInventory(sources: LatencySources): Promise<FleetInventory> {
  const { clients, nowMs } = sources;
  const [listed, pcMetrics, handlerMetrics] = await Promise.all([
    listFunctions(clients.lambda),
    listMetrics(clients.cloudWatch, {
      namespace: LAMBDA,
      metricName: "ProvisionedConcurrencyUtilization",
      dimensionNames: ["FunctionName", "Resource"],
    }),
    // Which functions publish their own cold-start metrics: one call for the whole fleet (optional:
    // without an answer, cold starts come from the logs).
    listMetrics(clients.cloudWatch, {
      namespace: HANDLER_METRICS_NAMESPACE,
      metricName: "ColdStart",
      dimensionNames: ["FunctionName"],
    }).catch(() => ({ metrics: [], calls: 1 })),
  ]);
  const withHandlerMetrics = new Set(handlerMetrics.metrics.map((metric) => metric.dimensions.FunctionName));
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
      handlerMetrics: withHandlerMetrics.has(fn.name),
    };
  });
  return {
    functions,
    cost: { ...emptyViewCost, otherCalls: listed.calls + pcMetrics.calls + handlerMetrics.calls + pcConfigs.size },
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
  /**
   * Cold starts and init duration from the function's own metrics (namespace Phoenix), when it
   * publishes them and they cover the whole window; the logs are then not queried for them.
   */
  handlerColdStarts?: HandlerColdStarts;
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
    // The handler's own cold-start metrics ride in the same call.
    if (fn.handlerMetrics) queries.push(...handlerMetricQueries(`f${index}`, fn.name, windowSeconds));
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
    if (fn.handlerMetrics) {
      const fromHandler = handlerColdStartsFrom(current.series, `f${index}`, invocations - errors);
      if (fromHandler) row.handlerColdStarts = { ...fromHandler, bins: [] };
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

/** Where a cold-start or timeout figure came from. */
export type FleetCountSource = CountSource | "no-invocations";

export interface FleetLogsRow {
  name: string;
  /** REPORT lines (one per invocation; null when cold starts came from the handler's metrics). */
  reports: number | null;
  coldStarts: number | null;
  coldStartShare: number | null;
  initP50: number | null;
  timeouts: number | null;
  timeoutsBefore?: number | null;
  /** Where coldStarts/coldStartShare/initP50 came from; null when the read failed. */
  coldStartsSource: FleetCountSource | null;
  /** Where timeouts came from; null when the read failed. */
  timeoutsSource: FleetCountSource | null;
}

export interface FleetLogs {
  rows: FleetLogsRow[];
  partial: boolean;
  notes: string[];
  cost: ViewCost;
}

/**
 * Cold starts and timeouts per function (AWS/Lambda publishes neither), from
 * ./cold-starts-and-timeouts.ts: Logs Insights queries over up to 50 log groups each, grouped by log
 * group — cold starts, timeouts, and the timeouts two weeks earlier for the functions in focus, so
 * three queries for a fleet of up to 50 — with cold starts from the handler's own metrics where the
 * fleet metrics found them. Idle functions (no invocations in the window) are not queried.
 */
export async function fetchFleetLogs(
  sources: LatencySources,
  inventory: FleetInventory,
  window: { startMs: number; endMs: number },
  focus: readonly string[],
  metrics: Pick<FleetMetrics, "rows">,
): Promise<FleetLogs> {
  const metricRows = new Map(metrics.rows.map((row) => [row.name, row]));
  const targets = inventory.functions
    .filter((fn) => metricRows.get(fn.name)?.invocations !== 0 || focus.includes(fn.name))
    .map((fn) => ({ name: fn.name, logGroup: fn.logGroup }));
  const focusTargets = targets.filter((target) => focus.includes(target.name));
  const handlerColdStarts = new Map<string, HandlerColdStarts>();
  for (const row of metrics.rows) if (row.handlerColdStarts) handlerColdStarts.set(row.name, row.handlerColdStarts);
  const [current, before] = await Promise.all([
    fetchColdStartsAndTimeouts(sources, {
      functions: targets,
      startMs: window.startMs,
      endMs: window.endMs,
      handlerColdStarts,
    }),
    focusTargets.length > 0
      ? fetchColdStartsAndTimeouts(sources, {
          functions: focusTargets,
          startMs: window.startMs - TWO_WEEKS_MS,
          endMs: window.endMs - TWO_WEEKS_MS,
          coldStarts: false,
        })
      : undefined,
  ]);
  const rows = inventory.functions.map((fn): FleetLogsRow => {
    const counts = current.byFunction[fn.name];
    if (!counts) {
      return {
        name: fn.name,
        reports: 0,
        coldStarts: 0,
        coldStartShare: null,
        initP50: null,
        timeouts: 0,
        coldStartsSource: "no-invocations",
        timeoutsSource: "no-invocations",
      };
    }
    const invocations = metricRows.get(fn.name)?.invocations ?? null;
    const row: FleetLogsRow = {
      name: fn.name,
      reports: counts.reports,
      coldStarts: counts.coldStarts,
      // A share above 100 % would be a counting artefact (environments started by retries or
      // recycling with few invocations), not information: cap it.
      coldStartShare: capAtOne(ratio(counts.coldStarts, counts.reports ?? invocations)),
      initP50: counts.initP50,
      timeouts: counts.timeouts,
      coldStartsSource: counts.coldStartsSource,
      timeoutsSource: counts.timeoutsSource,
    };
    if (focus.includes(fn.name)) row.timeoutsBefore = before?.byFunction[fn.name]?.timeouts ?? null;
    return row;
  });
  return {
    rows,
    partial: current.partial || (before?.partial ?? false),
    notes: [...new Set([...current.notes, ...(before?.notes ?? [])])],
    cost: {
      ...emptyViewCost,
      logsQueries: current.logsQueries + (before?.logsQueries ?? 0),
      logsBytesScanned: current.logsBytesScanned + (before?.logsBytesScanned ?? 0),
    },
  };
}

function capAtOne(value: number | null): number | null {
  return value === null ? null : Math.min(1, value);
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
  /** Publishes its own cold-start metrics (namespace Phoenix, ColdStart by FunctionName). */
  handlerMetrics: boolean;
}

/** The function's configuration from the Lambda API; a missing function is AppError NOT_FOUND. */
export async function fetchFunctionSummary(sources: LatencySources, name: string): Promise<FunctionSummary> {
  const { lambda } = sources.clients;
  const fn: LambdaFunctionInfo = await readFunction(lambda, name);
  const [aliases, provisioned, handlerMetrics] = await Promise.all([
    listAliases(lambda, name),
    listProvisionedConcurrency(lambda, name),
    // Optional: without an answer, cold starts come from the logs.
    listMetrics(sources.clients.cloudWatch, {
      namespace: HANDLER_METRICS_NAMESPACE,
      metricName: "ColdStart",
      dimensions: { FunctionName: name },
    }).catch(() => ({ metrics: [], calls: 1 })),
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
    handlerMetrics: handlerMetrics.metrics.length > 0,
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
  /** reports: invocations (REPORT lines, or the Invocations metric when cold starts come from the handler). */
  totals: { coldStarts: number; timeouts: number; reports: number };
  /** Where the cold starts and init durations came from; null when they could not be read. */
  coldStartsSource: CountSource | null;
  /** Where the timeouts came from; null when they could not be read. */
  timeoutsSource: CountSource | null;
  partial: boolean;
  notes: string[];
  cost: ViewCost;
}

/**
 * Cold starts, init duration and timeouts per period (./cold-starts-and-timeouts.ts): two Logs
 * Insights queries for the whole page — or, when the function publishes its own cold-start metrics
 * covering the window, one GetMetricData call for those and the timeouts query alone.
 */
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
  let metricCost = { getMetricDataCalls: 0, metricsRequested: 0 };
  let partial = false;
  const handlerColdStarts = new Map<string, HandlerColdStarts>();
  let invocationsFromMetrics: number | null = null;
  if (summary.handlerMetrics) {
    const windowSeconds = Math.round((window.endMs - coveredStartMs) / 1000);
    const whole = (id: string, metricName: string): MetricQuery =>
      functionQuery(id, summary.name, metricName, "Sum", windowSeconds);
    try {
      const result = await getMetricData(sources.clients.cloudWatch, {
        queries: [
          ...handlerMetricQueries("h", summary.name, period),
          whole("inv", "Invocations"),
          whole("err", "Errors"),
        ],
        startMs: coveredStartMs,
        endMs: window.endMs,
      });
      metricCost = { getMetricDataCalls: result.calls, metricsRequested: result.metricsRequested };
      invocationsFromMetrics = sumSeries(seriesOf(result.series.inv)) ?? 0;
      const completed = invocationsFromMetrics - (sumSeries(seriesOf(result.series.err)) ?? 0);
      const fromHandler = handlerColdStartsFrom(result.series, "h", completed);
      if (fromHandler) handlerColdStarts.set(summary.name, fromHandler);
    } catch {
      // Fall back to the logs for cold starts too.
    }
  }
  const found = await fetchColdStartsAndTimeouts(sources, {
    functions: [{ name: summary.name, logGroup: summary.logGroup }],
    startMs: coveredStartMs,
    endMs: window.endMs,
    binSeconds: period,
    handlerColdStarts,
  });
  partial = found.partial;
  notes.push(...found.notes);
  const counts = found.byFunction[summary.name];
  const bins = counts?.bins ?? [];
  const binned = (key: "coldStarts" | "initP50" | "initP90" | "timeouts"): Series => {
    const series: Series = { timestamps: [], values: [] };
    for (const bin of bins) {
      const value = bin[key];
      if (value === null) continue;
      series.timestamps.push(bin.t);
      series.values.push(value);
    }
    return series;
  };
  const coldRead = counts?.coldStartsSource != null;
  const timeoutsRead = counts?.timeoutsSource != null;
  const rows = mergeSeries(
    {
      coldStarts: coldRead ? binned("coldStarts") : undefined,
      initP50: coldRead ? binned("initP50") : undefined,
      initP90: coldRead ? binned("initP90") : undefined,
      timeouts: timeoutsRead ? binned("timeouts") : undefined,
    },
    window.startMs,
    window.endMs,
    period,
    [],
  );
  // Periods the logs cover with no cold start or timeout are zero; before the covered part, unknown.
  for (const row of rows) {
    if (row.t < coveredStartMs) continue;
    if (coldRead && row.coldStarts === null) row.coldStarts = 0;
    if (timeoutsRead && row.timeouts === null) row.timeouts = 0;
  }
  return {
    rows,
    coveredStartMs,
    totals: {
      coldStarts: counts?.coldStarts ?? 0,
      timeouts: counts?.timeouts ?? 0,
      reports: counts?.reports ?? invocationsFromMetrics ?? 0,
    },
    coldStartsSource: counts?.coldStartsSource ?? null,
    timeoutsSource: counts?.timeoutsSource ?? null,
    partial,
    notes: [...new Set(notes)],
    cost: {
      ...emptyViewCost,
      ...metricCost,
      logsQueries: found.logsQueries,
      logsBytesScanned: found.logsBytesScanned,
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
