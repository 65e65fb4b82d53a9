import { DAY_MS, MINUTE_MS } from "../clock";
import {
  type DayChunk,
  SAMPLE_CACHE_HIT,
  SAMPLE_CACHE_MISS,
  SAMPLE_ERROR,
  SAMPLE_TIMEOUT,
  simulateDay,
} from "./engine";
import { SIMULATOR_PARAMETERS } from "./parameters";
import { hashString, mix32 } from "./random";
import { computeStatistics, type ParsedStatistic, WeightedValues } from "./statistics";
import type { FunctionTimeline } from "./timeline";

export const LAMBDA_NAMESPACE = "AWS/Lambda";

/** Metrics emitted per function (and per alias through the Resource dimension). */
export const FUNCTION_METRICS = ["Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"] as const;
/** Metrics emitted only for an alias or version carrying provisioned concurrency. */
export const PROVISIONED_METRICS = [
  "ProvisionedConcurrentExecutions",
  "ProvisionedConcurrencyInvocations",
  "ProvisionedConcurrencySpilloverInvocations",
  "ProvisionedConcurrencyUtilization",
] as const;
/** Account-level (no dimension) metrics besides the function metrics. */
export const ACCOUNT_METRICS = ["UnreservedConcurrentExecutions", "ClaimedAccountConcurrency"] as const;

export const METRIC_UNITS: Record<string, string> = {
  Invocations: "Count",
  Errors: "Count",
  Throttles: "Count",
  Duration: "Milliseconds",
  ConcurrentExecutions: "Count",
  ProvisionedConcurrentExecutions: "Count",
  ProvisionedConcurrencyInvocations: "Count",
  ProvisionedConcurrencySpilloverInvocations: "Count",
  ProvisionedConcurrencyUtilization: "None",
  UnreservedConcurrentExecutions: "Count",
  ClaimedAccountConcurrency: "Count",
};

/**
 * The optimized handler's own metrics (EMF, lambda/src/observability/invocation-record.ts): namespace
 * Phoenix, dimension FunctionName, one record per invocation that did not time out, published only
 * for minutes whose code is the optimized handler (`CodeProfile.handlerMetrics`).
 */
export const HANDLER_NAMESPACE = "Phoenix";
export const HANDLER_METRICS = [
  "ColdStart",
  "InitDuration",
  "CacheHit",
  "CacheMiss",
  "CacheError",
  "DbMs",
  "S3Ms",
  "Rows",
] as const;
export const HANDLER_METRIC_UNITS: Record<string, string> = {
  ColdStart: "Count",
  InitDuration: "Milliseconds",
  CacheHit: "Count",
  CacheMiss: "Count",
  CacheError: "Count",
  DbMs: "Milliseconds",
  S3Ms: "Milliseconds",
  Rows: "Count",
};
/** How the series of a handler metric is named inside the simulator (apart from AWS/Lambda's). */
export const handlerSeriesName = (metricName: string) => `${HANDLER_NAMESPACE}/${metricName}`;

/** Rows the handler wrote for one invocation: a deterministic, plausible spread (50–500). */
function rowsOf(minuteMs: number, sample: number): number {
  return 50 + (mix32(minuteMs / MINUTE_MS, sample) % 451);
}

/** Periods up to this many minutes merge presorted minutes; longer ones sort once. */
const MERGE_MAX_MINUTES = 15;

interface MergeRun {
  chunk: DayChunk | undefined;
  first: number;
  position: number;
  length: number;
}

/** Which slice of traffic a metric query selects. */
export type SeriesSelector =
  | { scope: "account" }
  | { scope: "function"; functionName: string }
  | { scope: "resource"; functionName: string; qualifier: string };

export interface SimulationWorld {
  seed: string;
  timeZone: string;
  historyStartMs: number;
  anchorMs: number;
}

export interface PeriodSeries {
  /** Period start times, ascending. */
  timestamps: number[];
  values: number[];
}

/**
 * The lazily computed, cached view of the simulation as CloudWatch metrics. Day chunks are cached per
 * function; finished periods are cached per query shape; both are dropped from the minute a
 * configuration change takes effect.
 */
export class LambdaMetrics {
  private readonly dayCache = new Map<string, Map<number, DayChunk>>();
  private readonly periodCache = new Map<string, Map<number, number | null>>();
  private readonly seedKey: number;
  private readonly scratch = new WeightedValues();
  private readonly runs: MergeRun[] = Array.from({ length: MERGE_MAX_MINUTES }, () => ({
    chunk: undefined,
    first: 0,
    position: 0,
    length: 0,
  }));

  constructor(
    private readonly world: SimulationWorld,
    private readonly timelines: () => Iterable<FunctionTimeline>,
  ) {
    this.seedKey = hashString(world.seed);
  }

  /** Forget everything computed about `functionName` from `fromMs` on (a change takes effect then). */
  invalidate(functionName: string, fromMs: number): void {
    const days = this.dayCache.get(functionName);
    if (days) {
      for (const dayStart of [...days.keys()]) if (dayStart + DAY_MS > fromMs) days.delete(dayStart);
    }
    for (const key of [...this.periodCache.keys()]) {
      if (key.startsWith(`fn:${functionName}|`) || key.startsWith("account|")) this.periodCache.delete(key);
    }
  }

  invalidateAll(): void {
    this.dayCache.clear();
    this.periodCache.clear();
  }

  private timeline(functionName: string): FunctionTimeline | undefined {
    for (const timeline of this.timelines()) if (timeline.functionName === functionName) return timeline;
    return undefined;
  }

  /** The simulated day containing `ms` for a function. */
  day(timeline: FunctionTimeline, ms: number): DayChunk {
    const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
    let days = this.dayCache.get(timeline.functionName);
    if (!days) {
      days = new Map();
      this.dayCache.set(timeline.functionName, days);
    }
    let chunk = days.get(dayStart);
    if (!chunk) {
      chunk = simulateDay(
        {
          seedKey: this.seedKey,
          timeZone: this.world.timeZone,
          historyStartMs: this.world.historyStartMs,
          anchorMs: this.world.anchorMs,
        },
        timeline,
        dayStart,
      );
      days.set(dayStart, chunk);
    }
    return chunk;
  }

  /** Whether a series has any data (for ListMetrics: metrics with data in the last two weeks). */
  functionsWithTraffic(): FunctionTimeline[] {
    return [...this.timelines()].filter((timeline) => timeline.configurations.length > 0);
  }

  /**
   * Aggregates `metric` with each of `statistics` over periods [t, t + period) from startMs (aligned)
   * to endMs, using only minutes that have fully elapsed by `nowMs`. Periods without data are
   * omitted. Several statistics of one series share one pass (and one sort) per period.
   */
  series(
    selector: SeriesSelector,
    metric: string,
    statistics: readonly { key: string; parsed: ParsedStatistic }[],
    startMs: number,
    endMs: number,
    periodSeconds: number,
    nowMs: number,
  ): PeriodSeries[] {
    const periodMs = periodSeconds * 1000;
    const horizonMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const timelines = this.selectTimelines(selector);
    const caches = statistics.map(({ key }) => {
      const cacheKey = `${selectorKey(selector)}|${metric}|${key}|${periodSeconds}`;
      let cache = this.periodCache.get(cacheKey);
      if (!cache) {
        cache = new Map();
        this.periodCache.set(cacheKey, cache);
      }
      return cache;
    });
    const parsed = statistics.map((statistic) => statistic.parsed);
    const count = statistics.length;
    const results: PeriodSeries[] = statistics.map(() => ({ timestamps: [], values: [] }));
    const data = this.scratch;
    const cached: (number | null | undefined)[] = new Array(count);
    // Duration of one function: merge the minutes' presorted samples (no sort per period).
    const single = metric === "Duration" && timelines.length === 1 ? (timelines[0] as FunctionTimeline) : undefined;
    for (let periodStart = startMs; periodStart < endMs; periodStart += periodMs) {
      const periodEnd = Math.min(periodStart + periodMs, endMs);
      if (periodStart >= horizonMs) break;
      const complete = periodEnd <= horizonMs && periodEnd === periodStart + periodMs;
      let missing = !complete;
      if (complete) {
        for (let index = 0; index < count; index++) {
          const value = (caches[index] as Map<number, number | null>).get(periodStart);
          cached[index] = value;
          if (value === undefined) missing = true;
        }
      }
      if (missing) {
        data.reset();
        const lastMinute = Math.min(periodEnd, horizonMs);
        if (single) this.collectDurations(single, periodStart, lastMinute, data);
        else
          for (let minute = periodStart; minute < lastMinute; minute += MINUTE_MS)
            this.collectMinute(selector, timelines, metric, minute, data);
        const computed = computeStatistics(parsed, data);
        for (let index = 0; index < count; index++) {
          const value = computed[index];
          const rounded = value === undefined ? null : roundValue(value);
          cached[index] = rounded;
          if (complete) (caches[index] as Map<number, number | null>).set(periodStart, rounded);
        }
      }
      for (let index = 0; index < count; index++) {
        const value = cached[index];
        if (value === null || value === undefined) continue;
        const result = results[index] as PeriodSeries;
        result.timestamps.push(periodStart);
        result.values.push(value);
      }
    }
    return results;
  }

  /**
   * Adds the sampled durations of [fromMs, toMs) of one function to `data` in ascending order: each
   * minute's samples are presorted (`sampleOrder`), so short periods are a k-way merge; long ones
   * (more than MERGE_MAX_MINUTES) are left to one sort.
   */
  private collectDurations(timeline: FunctionTimeline, fromMs: number, toMs: number, data: WeightedValues): void {
    const firstMinute = Math.max(fromMs, this.world.historyStartMs);
    if (firstMinute >= toMs) return;
    const minutes = Math.round((toMs - firstMinute) / MINUTE_MS);
    if (minutes > MERGE_MAX_MINUTES) {
      for (let minute = firstMinute; minute < toMs; minute += MINUTE_MS) {
        const chunk = this.day(timeline, minute);
        const index = (minute - chunk.dayStartMs) / MINUTE_MS;
        const to = chunk.sampleStart[index + 1] as number;
        for (let sample = chunk.sampleStart[index] as number; sample < to; sample++)
          data.add(chunk.sampleDuration[sample] as number, chunk.sampleWeight[sample] as number);
      }
      return;
    }
    const runs = this.runs;
    let runCount = 0;
    for (let minute = firstMinute; minute < toMs; minute += MINUTE_MS) {
      const chunk = this.day(timeline, minute);
      const index = (minute - chunk.dayStartMs) / MINUTE_MS;
      const from = chunk.sampleStart[index] as number;
      const to = chunk.sampleStart[index + 1] as number;
      if (to === from) continue;
      const run = runs[runCount++] as MergeRun;
      run.chunk = chunk;
      run.first = from;
      run.position = 0;
      run.length = to - from;
    }
    for (;;) {
      let best = -1;
      let bestValue = Number.POSITIVE_INFINITY;
      for (let r = 0; r < runCount; r++) {
        const run = runs[r] as MergeRun;
        if (run.position === run.length) continue;
        const chunk = run.chunk as DayChunk;
        const value = chunk.sampleDuration[
          run.first + (chunk.sampleOrder[run.first + run.position] as number)
        ] as number;
        if (value < bestValue) {
          bestValue = value;
          best = r;
        }
      }
      if (best < 0) return;
      const run = runs[best] as MergeRun;
      const chunk = run.chunk as DayChunk;
      const sample = run.first + (chunk.sampleOrder[run.first + run.position] as number);
      run.position++;
      data.add(bestValue, chunk.sampleWeight[sample] as number);
    }
  }

  private selectTimelines(selector: SeriesSelector): FunctionTimeline[] {
    if (selector.scope === "account") return this.functionsWithTraffic();
    const timeline = this.timeline(selector.functionName);
    if (!timeline) return [];
    if (selector.scope === "resource" && timeline.trafficAlias !== selector.qualifier) return [];
    return [timeline];
  }

  /** Adds one minute of `metric` to `data` (a value with the weight CloudWatch would count it with). */
  private collectMinute(
    selector: SeriesSelector,
    timelines: FunctionTimeline[],
    metric: string,
    minuteMs: number,
    data: WeightedValues,
  ): void {
    if (minuteMs < this.world.historyStartMs) return;
    if (selector.scope === "account" && ACCOUNT_METRICS.includes(metric as (typeof ACCOUNT_METRICS)[number])) {
      let unreserved = 0;
      let claimed = 0;
      let any = false;
      for (const timeline of timelines) {
        const chunk = this.day(timeline, minuteMs);
        const index = (minuteMs - chunk.dayStartMs) / MINUTE_MS;
        const peak = chunk.concurrencyPeak[index] as number;
        const busy = chunk.provisionedBusy[index] as number;
        if (peak > 0) any = true;
        if (!chunk.reserved[index]) unreserved += peak - busy;
        claimed += (chunk.reserved[index] ? peak : peak - busy) + (chunk.provisionedAllocated[index] as number);
      }
      if (any) data.add(metric === "UnreservedConcurrentExecutions" ? unreserved : claimed, 1);
      return;
    }
    if (selector.scope === "account" && metric === "ConcurrentExecutions") {
      let total = 0;
      for (const timeline of timelines) {
        const chunk = this.day(timeline, minuteMs);
        total += chunk.concurrencyPeak[(minuteMs - chunk.dayStartMs) / MINUTE_MS] as number;
      }
      if (total > 0) data.add(total, 1);
      return;
    }
    if (metric.startsWith(`${HANDLER_NAMESPACE}/`)) {
      if (selector.scope !== "function") return;
      for (const timeline of timelines) this.collectHandlerMinute(timeline, metric, minuteMs, data);
      return;
    }
    const provisionedMetric = PROVISIONED_METRICS.includes(metric as (typeof PROVISIONED_METRICS)[number]);
    if (provisionedMetric && selector.scope !== "resource") return;
    for (const timeline of timelines) {
      const chunk = this.day(timeline, minuteMs);
      const index = (minuteMs - chunk.dayStartMs) / MINUTE_MS;
      const invocations = chunk.invocations[index] as number;
      switch (metric) {
        case "Invocations":
          data.add(1, invocations);
          break;
        case "Errors": {
          const errors = chunk.errors[index] as number;
          data.add(1, errors);
          data.add(0, invocations - errors);
          break;
        }
        case "Throttles": {
          const throttles = chunk.throttles[index] as number;
          data.add(1, throttles);
          data.add(0, invocations);
          break;
        }
        case "Duration": {
          const from = chunk.sampleStart[index] as number;
          const to = chunk.sampleStart[index + 1] as number;
          for (let sample = from; sample < to; sample++) {
            data.add(chunk.sampleDuration[sample] as number, chunk.sampleWeight[sample] as number);
          }
          break;
        }
        case "ConcurrentExecutions":
          if (invocations > 0) data.add(chunk.concurrencyPeak[index] as number, 1);
          break;
        case "ProvisionedConcurrentExecutions":
          if ((chunk.provisionedAllocated[index] as number) > 0) data.add(chunk.provisionedBusy[index] as number, 1);
          break;
        case "ProvisionedConcurrencyUtilization": {
          const allocated = chunk.provisionedAllocated[index] as number;
          if (allocated > 0) data.add((chunk.provisionedBusy[index] as number) / allocated, 1);
          break;
        }
        case "ProvisionedConcurrencyInvocations":
          if ((chunk.provisionedAllocated[index] as number) > 0)
            data.add(1, chunk.provisionedInvocations[index] as number);
          break;
        case "ProvisionedConcurrencySpilloverInvocations":
          if ((chunk.provisionedAllocated[index] as number) > 0) {
            // Each invocation reports 1 (spilled) or 0 (served by provisioned concurrency).
            data.add(1, chunk.spilloverInvocations[index] as number);
            data.add(0, chunk.provisionedInvocations[index] as number);
          }
          break;
        default:
          break;
      }
    }
  }

  /** One minute of a handler metric: one value per record the handler wrote (not for timeouts). */
  private collectHandlerMinute(
    timeline: FunctionTimeline,
    metric: string,
    minuteMs: number,
    data: WeightedValues,
  ): void {
    const chunk = this.day(timeline, minuteMs);
    const index = (minuteMs - chunk.dayStartMs) / MINUTE_MS;
    if (!chunk.handlerMetrics[index]) return;
    const from = chunk.sampleStart[index] as number;
    const to = chunk.sampleStart[index + 1] as number;
    for (let sample = from; sample < to; sample++) {
      const flags = chunk.sampleFlags[sample] as number;
      if (flags & SAMPLE_TIMEOUT) continue;
      const weight = chunk.sampleWeight[sample] as number;
      const init = chunk.sampleInit[sample] as number;
      switch (metric) {
        case "Phoenix/ColdStart":
          data.add(init > 0 ? 1 : 0, weight);
          break;
        case "Phoenix/InitDuration":
          if (init > 0) data.add(init, weight);
          break;
        case "Phoenix/CacheHit":
          data.add(flags & SAMPLE_CACHE_HIT ? 1 : 0, weight);
          break;
        case "Phoenix/CacheMiss":
          data.add(flags & SAMPLE_CACHE_MISS ? 1 : 0, weight);
          break;
        case "Phoenix/CacheError":
          data.add(0, weight);
          break;
        case "Phoenix/DbMs":
          data.add(chunk.sampleDbMs[sample] as number, weight);
          break;
        case "Phoenix/S3Ms":
          data.add(chunk.sampleS3Ms[sample] as number, weight);
          break;
        case "Phoenix/Rows":
          data.add(rowsOf(minuteMs, sample - from), weight);
          break;
        default:
          return;
      }
    }
  }

  /** Functions whose code published handler metrics at some time in [fromMs, toMs). */
  functionsWithHandlerMetrics(fromMs: number, toMs: number): FunctionTimeline[] {
    return [...this.timelines()].filter((timeline) =>
      timeline.configurations.some((segment, index) => {
        const until = timeline.configurations[index + 1]?.fromMs ?? Number.POSITIVE_INFINITY;
        return segment.code.handlerMetrics === true && segment.fromMs < toMs && until > fromMs;
      }),
    );
  }

  /** The timeline of a function, looked up once by callers that walk many minutes (Logs Insights). */
  timelineOf(functionName: string): FunctionTimeline | undefined {
    return this.timeline(functionName);
  }

  /** The first simulated minute: nothing exists before it. */
  get historyStartMs(): number {
    return this.world.historyStartMs;
  }

  /** Raw per-minute view for the Logs emulator and model tests. */
  minute(functionName: string, minuteMs: number): { chunk: DayChunk; index: number } | undefined {
    const timeline = this.timeline(functionName);
    if (!timeline || minuteMs < this.world.historyStartMs) return undefined;
    const chunk = this.day(timeline, minuteMs);
    return { chunk, index: (minuteMs - chunk.dayStartMs) / MINUTE_MS };
  }
}

/** Samples are stored as float32; rounding to 1e-4 gives back the values the model meant. */
function roundValue(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export function selectorKey(selector: SeriesSelector): string {
  if (selector.scope === "account") return "account";
  if (selector.scope === "function") return `fn:${selector.functionName}|all`;
  return `fn:${selector.functionName}|${selector.qualifier}`;
}

export { SAMPLE_ERROR, SAMPLE_TIMEOUT, SIMULATOR_PARAMETERS };
