import { DAY_MS, MINUTE_MS } from "../../clock";
import type { RegionContext } from "../../region";
import {
  ACCOUNT_METRICS,
  FUNCTION_METRICS,
  HANDLER_METRIC_UNITS,
  HANDLER_METRICS,
  HANDLER_NAMESPACE,
  handlerSeriesName,
  LAMBDA_NAMESPACE,
  METRIC_UNITS,
  type PeriodSeries,
  PROVISIONED_METRICS,
  type SeriesSelector,
  selectorKey,
} from "../../simulator/lambda-metrics";
import { parseStatistic } from "../../simulator/statistics";
import { cloudWatchErrors } from "./errors";
import { evaluateExpression, type Series } from "./metric-math";

/**
 * CloudWatch GetMetricData and ListMetrics over the simulated AWS/Lambda metrics, with AWS's limits,
 * label rules, rounding, retention and pagination (AWS_BEHAVIOUR.md §2.1–2.2). Inputs arrive already
 * decoded from either protocol (times in ms); outputs are protocol-neutral (times in ms).
 */

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricDataQueryInput {
  Id?: unknown;
  MetricStat?: {
    Metric?: { Namespace?: unknown; MetricName?: unknown; Dimensions?: unknown };
    Period?: unknown;
    Stat?: unknown;
    Unit?: unknown;
  };
  Expression?: unknown;
  Label?: unknown;
  ReturnData?: unknown;
  Period?: unknown;
  AccountId?: unknown;
}

export interface GetMetricDataInput {
  MetricDataQueries?: unknown;
  StartTimeMs?: number;
  EndTimeMs?: number;
  NextToken?: unknown;
  ScanBy?: unknown;
  MaxDatapoints?: unknown;
}

export interface MetricDataResultOutput {
  Id: string;
  Label: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: "Complete" | "PartialData";
  Messages: { Code: string; Value: string }[];
}

const MAX_QUERIES = 500;
const MAX_DATAPOINTS = 100_800;
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

interface NormalizedQuery {
  index: number;
  id: string;
  label?: string;
  returnData: boolean;
  metric?: {
    namespace: string;
    metricName: string;
    dimensions: Dimension[];
    period: number;
    stat: string;
    unit?: string;
  };
  expression?: string;
  expressionPeriod?: number;
}

export class CloudWatchModel {
  constructor(private readonly region: RegionContext) {}

  getMetricData(input: GetMetricDataInput): {
    MetricDataResults: MetricDataResultOutput[];
    NextToken?: string;
    Messages: { Code: string; Value: string }[];
  } {
    const queries = this.normalizeQueries(input.MetricDataQueries);
    if (input.StartTimeMs === undefined) throw cloudWatchErrors.missingParameter("StartTime");
    if (input.EndTimeMs === undefined) throw cloudWatchErrors.missingParameter("EndTime");
    if (input.StartTimeMs === input.EndTimeMs)
      throw cloudWatchErrors.validation("The parameter StartTime must not equal parameter EndTime.");
    if (input.StartTimeMs > input.EndTimeMs)
      throw cloudWatchErrors.validation("The parameter EndTime must be greater than StartTime.");
    const scanBy = input.ScanBy ?? "TimestampDescending";
    if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending") {
      throw cloudWatchErrors.validation(
        `1 validation error detected: Value '${String(scanBy)}' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: [TimestampDescending, TimestampAscending]`,
      );
    }
    const maxDatapoints = input.MaxDatapoints ?? MAX_DATAPOINTS;
    if (typeof maxDatapoints !== "number" || !Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
      throw cloudWatchErrors.invalidParameterValue("The parameter MaxDatapoints must be a positive integer.");
    }
    const now = this.region.nowMs();
    const startMs = roundStart(input.StartTimeMs, now);
    const endMs = input.EndTimeMs;

    // Labels: the metric name, plus the stat and/or period when they differ across the call.
    const metricQueries = queries.filter((query) => query.metric);
    const distinctStats = new Set(metricQueries.map((query) => query.metric?.stat)).size > 1;
    const distinctPeriods = new Set(metricQueries.map((query) => query.metric?.period)).size > 1;

    const seriesById = this.metricSeries(metricQueries, startMs, endMs, now);
    // Metric math reads series as maps (built only when an expression needs them).
    const maps = new Map<string, Series>();
    const computeMetric = (query: NormalizedQuery): Series => {
      let map = maps.get(query.id);
      if (!map) {
        map = new Map();
        const arrays = seriesById.get(query.id);
        if (arrays) {
          for (let index = 0; index < arrays.timestamps.length; index++)
            map.set(arrays.timestamps[index] as number, arrays.values[index] as number);
        }
        maps.set(query.id, map);
      }
      return map;
    };
    const results: MetricDataResultOutput[] = [];
    for (const query of queries) {
      let timestamps: number[];
      let values: number[];
      if (query.metric) {
        if (!query.returnData) continue;
        // Already ascending and without empty periods.
        const arrays = seriesById.get(query.id) ?? { timestamps: [], values: [] };
        timestamps = arrays.timestamps;
        values = arrays.values;
        if (scanBy === "TimestampDescending") {
          timestamps = timestamps.slice().reverse();
          values = values.slice().reverse();
        }
      } else {
        const series = evaluateExpression(
          query.expression as string,
          (id) => {
            const referenced = queries.find((candidate) => candidate.id === id);
            if (!referenced || referenced === query) return undefined;
            if (referenced.metric) return computeMetric(referenced);
            return evaluateExpression(
              referenced.expression as string,
              (inner) => {
                const innerQuery = queries.find((candidate) => candidate.id === inner && candidate.metric);
                return innerQuery ? computeMetric(innerQuery) : undefined;
              },
              () => metricQueries.map(computeMetric),
            );
          },
          () => metricQueries.map(computeMetric),
        );
        if (!query.returnData) continue;
        timestamps = [...series.keys()].sort((a, b) => a - b);
        if (scanBy === "TimestampDescending") timestamps.reverse();
        values = timestamps.map((timestamp) => series.get(timestamp) as number);
      }
      let label = query.label;
      if (label === undefined) {
        if (query.metric) {
          label = query.metric.metricName;
          if (distinctStats) label += ` ${query.metric.stat}`;
          if (distinctPeriods) label += ` ${query.metric.period}`;
        } else {
          label = query.id;
        }
      }
      results.push({
        Id: query.id,
        Label: label,
        Timestamps: timestamps,
        Values: values,
        StatusCode: "Complete",
        Messages: [],
      });
    }
    return this.paginateResults(results, input.NextToken, maxDatapoints, queries);
  }

  /** Splits results into pages of at most `maxDatapoints` values; the token remembers where. */
  private paginateResults(
    results: MetricDataResultOutput[],
    nextToken: unknown,
    maxDatapoints: number,
    queries: NormalizedQuery[],
  ): { MetricDataResults: MetricDataResultOutput[]; NextToken?: string; Messages: { Code: string; Value: string }[] } {
    const fingerprint = queries.map((query) => query.id).join(",");
    let skip = 0;
    if (nextToken !== undefined) {
      const decoded = typeof nextToken === "string" ? decodeToken(nextToken) : undefined;
      if (!decoded || decoded.fingerprint !== fingerprint) throw cloudWatchErrors.invalidNextToken();
      skip = decoded.offset;
    }
    let budget = maxDatapoints;
    let seen = 0;
    const page: MetricDataResultOutput[] = [];
    let truncated = false;
    for (const result of results) {
      const from = Math.max(0, skip - seen);
      seen += result.Values.length;
      const remaining = result.Values.length - Math.min(from, result.Values.length);
      const take = Math.min(remaining, budget);
      budget -= take;
      if (take < remaining) truncated = true;
      const end = Math.min(from, result.Values.length) + take;
      page.push({
        ...result,
        Timestamps: result.Timestamps.slice(from, end),
        Values: result.Values.slice(from, end),
        StatusCode: take < remaining ? "PartialData" : "Complete",
      });
    }
    const consumed = skip + (maxDatapoints - budget);
    return truncated
      ? { MetricDataResults: page, NextToken: encodeToken({ fingerprint, offset: consumed }), Messages: [] }
      : { MetricDataResults: page, Messages: [] };
  }

  private normalizeQueries(input: unknown): NormalizedQuery[] {
    if (input === undefined || input === null) throw cloudWatchErrors.missingParameter("MetricDataQueries");
    if (!Array.isArray(input)) throw cloudWatchErrors.validation("The parameter MetricDataQueries must be a list.");
    if (input.length > MAX_QUERIES)
      throw cloudWatchErrors.validation(
        `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
      );
    if (input.length === 0) throw cloudWatchErrors.validation("The collection MetricDataQueries must not be empty.");
    const seen = new Set<string>();
    const normalized = input.map((raw, zeroIndex): NormalizedQuery => {
      const index = zeroIndex + 1;
      const query = (raw ?? {}) as MetricDataQueryInput;
      const prefix = `MetricDataQueries.member.${index}`;
      if (typeof query.Id !== "string") throw cloudWatchErrors.missingParameter(`${prefix}.Id`);
      if (query.Id.length > 255 || !ID_PATTERN.test(query.Id)) {
        throw cloudWatchErrors.validation(
          `Invalid metric data query Id ${query.Id}: the Id must start with a lowercase letter and contain only letters, numbers and underscores (${prefix}.Id).`,
        );
      }
      if (seen.has(query.Id))
        throw cloudWatchErrors.validation(
          `The value ${query.Id} for parameter MetricDataQueries.member.${index}.Id is not unique.`,
        );
      seen.add(query.Id);
      const hasStat = query.MetricStat !== undefined && query.MetricStat !== null;
      const hasExpression = query.Expression !== undefined && query.Expression !== null;
      if (hasStat === hasExpression) {
        throw cloudWatchErrors.validation(
          `Exactly one element of MetricStat and Expression must be specified in ${prefix}.`,
        );
      }
      const result: NormalizedQuery = {
        index,
        id: query.Id,
        returnData: query.ReturnData !== false && query.ReturnData !== "false",
      };
      if (query.Label !== undefined) result.label = String(query.Label);
      if (hasExpression) {
        if (typeof query.Expression !== "string" || query.Expression.length < 1 || query.Expression.length > 2048) {
          throw cloudWatchErrors.validation(`The parameter ${prefix}.Expression must have length between 1 and 2048.`);
        }
        result.expression = query.Expression;
        return result;
      }
      const stat = query.MetricStat as NonNullable<MetricDataQueryInput["MetricStat"]>;
      const metric = stat.Metric;
      if (!metric) throw cloudWatchErrors.missingParameter(`${prefix}.MetricStat.Metric`);
      if (typeof metric.MetricName !== "string" || metric.MetricName.length < 1 || metric.MetricName.length > 255) {
        throw cloudWatchErrors.missingParameter(`${prefix}.MetricStat.Metric.MetricName`);
      }
      if (
        typeof metric.Namespace !== "string" ||
        metric.Namespace.length < 1 ||
        metric.Namespace.length > 255 ||
        metric.Namespace.startsWith(":")
      ) {
        throw cloudWatchErrors.missingParameter(`${prefix}.MetricStat.Metric.Namespace`);
      }
      const period = Number(stat.Period);
      if (stat.Period === undefined || stat.Period === null)
        throw cloudWatchErrors.missingParameter(`${prefix}.MetricStat.Period`);
      if (!Number.isInteger(period) || period < 1) {
        throw cloudWatchErrors.validation(`The parameter ${prefix}.MetricStat.Period must be greater than 0.`);
      }
      if (period < 60 ? ![1, 5, 10, 20, 30].includes(period) : period % 60 !== 0) {
        throw cloudWatchErrors.validation(
          `The parameter ${prefix}.MetricStat.Period must be 1, 5, 10, 20, 30, 60, or any multiple of 60.`,
        );
      }
      if (typeof stat.Stat !== "string" || stat.Stat.length === 0)
        throw cloudWatchErrors.missingParameter(`${prefix}.MetricStat.Stat`);
      if (!parseStatistic(stat.Stat)) {
        throw cloudWatchErrors.validation(
          `The value for parameter ${prefix}.MetricStat.Stat is not a valid statistic.`,
        );
      }
      const dimensions = parseDimensions(metric.Dimensions, `${prefix}.MetricStat.Metric.Dimensions`, true);
      result.metric = {
        namespace: metric.Namespace,
        metricName: metric.MetricName,
        dimensions,
        period,
        stat: stat.Stat,
        ...(typeof stat.Unit === "string" ? { unit: stat.Unit } : {}),
      };
      return result;
    });
    return normalized;
  }

  /**
   * Series of every MetricStat query. Queries on the same series and period (e.g. p50, p90 and p99
   * of one function) are computed together, in one pass over the simulated minutes.
   */
  private metricSeries(
    queries: NormalizedQuery[],
    startMs: number,
    endMs: number,
    nowMs: number,
  ): Map<string, PeriodSeries> {
    const out = new Map<string, PeriodSeries>();
    const groups = new Map<
      string,
      { selector: SeriesSelector; metricName: string; period: number; members: NormalizedQuery[] }
    >();
    for (const query of queries) {
      const metric = query.metric as NonNullable<NormalizedQuery["metric"]>;
      out.set(query.id, { timestamps: [], values: [] });
      const handler = metric.namespace === HANDLER_NAMESPACE;
      if (metric.namespace !== LAMBDA_NAMESPACE && !handler) continue;
      const units = handler ? HANDLER_METRIC_UNITS : METRIC_UNITS;
      if (metric.unit !== undefined && metric.unit !== units[metric.metricName]) continue;
      // Sub-minute periods need high-resolution data, which Lambda does not publish.
      if (metric.period < 60) continue;
      // Periods must suit the data's age, otherwise CloudWatch returns no points (not an error).
      const age = nowMs - startMs;
      if (age > 63 * DAY_MS ? metric.period % 3600 !== 0 : age > 15 * DAY_MS ? metric.period % 300 !== 0 : false)
        continue;
      const selector = handler
        ? handlerSelectorFor(metric.metricName, metric.dimensions)
        : selectorFor(metric.metricName, metric.dimensions);
      if (!selector) continue;
      const seriesName = handler ? handlerSeriesName(metric.metricName) : metric.metricName;
      const key = `${selectorKey(selector)}|${seriesName}|${metric.period}`;
      let group = groups.get(key);
      if (!group) {
        group = { selector, metricName: seriesName, period: metric.period, members: [] };
        groups.set(key, group);
      }
      group.members.push(query);
    }
    for (const group of groups.values()) {
      const statistics = group.members.map((query) => {
        const stat = query.metric?.stat as string;
        return { key: stat, parsed: parseStatistic(stat) as NonNullable<ReturnType<typeof parseStatistic>> };
      });
      const results = this.region.metrics.series(
        group.selector,
        group.metricName,
        statistics,
        startMs,
        endMs,
        group.period,
        nowMs,
      );
      group.members.forEach((query, index) => {
        const result = results[index];
        if (result) out.set(query.id, result);
      });
    }
    return out;
  }

  listMetrics(input: {
    Namespace?: unknown;
    MetricName?: unknown;
    Dimensions?: unknown;
    NextToken?: unknown;
    RecentlyActive?: unknown;
  }): {
    Metrics: { Namespace: string; MetricName: string; Dimensions: Dimension[] }[];
    NextToken?: string;
  } {
    if (input.RecentlyActive !== undefined && input.RecentlyActive !== "PT3H") {
      throw cloudWatchErrors.validation(
        `1 validation error detected: Value '${String(input.RecentlyActive)}' at 'recentlyActive' failed to satisfy constraint: Member must satisfy enum value set: [PT3H]`,
      );
    }
    const filters = parseDimensions(input.Dimensions, "Dimensions", false);
    const now = this.region.nowMs();
    const activeSince = input.RecentlyActive === "PT3H" ? now - 3 * 3_600_000 : now - 14 * DAY_MS;
    const all: { Namespace: string; MetricName: string; Dimensions: Dimension[] }[] = [];
    const timelines = this.region.metrics
      .functionsWithTraffic()
      .sort((a, b) => a.functionName.localeCompare(b.functionName));
    if (timelines.length > 0) {
      for (const metricName of [...FUNCTION_METRICS, ...ACCOUNT_METRICS])
        all.push({ Namespace: LAMBDA_NAMESPACE, MetricName: metricName, Dimensions: [] });
    }
    for (const timeline of timelines) {
      const hasRecentTraffic =
        timeline.configurations.some((segment) => segment.fromMs <= now) &&
        this.region.state.world.historyStartMs <= now &&
        now - activeSince >= 0;
      if (!hasRecentTraffic) continue;
      for (const metricName of FUNCTION_METRICS) {
        all.push({
          Namespace: LAMBDA_NAMESPACE,
          MetricName: metricName,
          Dimensions: [{ Name: "FunctionName", Value: timeline.functionName }],
        });
      }
      if (timeline.trafficAlias) {
        const resource = `${timeline.functionName}:${timeline.trafficAlias}`;
        const dimensions = [
          { Name: "FunctionName", Value: timeline.functionName },
          { Name: "Resource", Value: resource },
        ];
        for (const metricName of FUNCTION_METRICS)
          all.push({ Namespace: LAMBDA_NAMESPACE, MetricName: metricName, Dimensions: dimensions });
        const provisionedRecently = timeline.provisioned.some((segment, index) => {
          const next = timeline.provisioned[index + 1];
          return segment.target > 0 && (next === undefined || next.fromMs >= activeSince);
        });
        if (provisionedRecently) {
          for (const metricName of PROVISIONED_METRICS)
            all.push({ Namespace: LAMBDA_NAMESPACE, MetricName: metricName, Dimensions: dimensions });
        }
      }
    }
    // The optimized handler's EMF metrics: listed for functions whose code published them recently.
    for (const timeline of this.region.metrics
      .functionsWithHandlerMetrics(activeSince, now)
      .sort((a, b) => a.functionName.localeCompare(b.functionName))) {
      for (const metricName of HANDLER_METRICS)
        all.push({
          Namespace: HANDLER_NAMESPACE,
          MetricName: metricName,
          Dimensions: [{ Name: "FunctionName", Value: timeline.functionName }],
        });
    }
    const filtered = all.filter(
      (metric) =>
        (input.Namespace === undefined || metric.Namespace === input.Namespace) &&
        (input.MetricName === undefined || metric.MetricName === input.MetricName) &&
        filters.every((filter) =>
          metric.Dimensions.some(
            (dimension) =>
              dimension.Name === filter.Name &&
              (filter.Value === undefined || filter.Value === "" || dimension.Value === filter.Value),
          ),
        ),
    );
    let start = 0;
    if (input.NextToken !== undefined) {
      const decoded = typeof input.NextToken === "string" ? decodeToken(input.NextToken) : undefined;
      if (decoded?.fingerprint !== "list") throw cloudWatchErrors.invalidNextToken();
      start = decoded.offset;
    }
    const page = filtered.slice(start, start + 500);
    return start + 500 < filtered.length
      ? { Metrics: page, NextToken: encodeToken({ fingerprint: "list", offset: start + 500 }) }
      : { Metrics: page };
  }
}

function parseDimensions(input: unknown, field: string, requireValue: boolean): Dimension[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw cloudWatchErrors.validation(`The parameter ${field} must be a list.`);
  if (input.length > 30)
    throw cloudWatchErrors.validation(`The collection ${field} must not have a size greater than 30.`);
  return input.map((raw, index) => {
    const dimension = (raw ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof dimension.Name !== "string" || dimension.Name.length < 1 || dimension.Name.length > 255) {
      throw cloudWatchErrors.missingParameter(`${field}.member.${index + 1}.Name`);
    }
    if (
      requireValue &&
      (typeof dimension.Value !== "string" || dimension.Value.length < 1 || dimension.Value.length > 1024)
    ) {
      throw cloudWatchErrors.missingParameter(`${field}.member.${index + 1}.Value`);
    }
    return { Name: dimension.Name, Value: typeof dimension.Value === "string" ? dimension.Value : "" } as Dimension;
  });
}

/** Which simulated series a dimension set designates (undefined: a combination Lambda never emits). */
function selectorFor(metricName: string, dimensions: Dimension[]): SeriesSelector | undefined {
  const known = [...FUNCTION_METRICS, ...PROVISIONED_METRICS, ...ACCOUNT_METRICS] as string[];
  if (!known.includes(metricName)) return undefined;
  if (dimensions.length === 0) return { scope: "account" };
  const byName = new Map(dimensions.map((dimension) => [dimension.Name, dimension.Value]));
  if (byName.size !== dimensions.length) return undefined;
  if ((ACCOUNT_METRICS as readonly string[]).includes(metricName)) return undefined;
  const functionName = byName.get("FunctionName");
  if (!functionName) return undefined;
  if (dimensions.length === 1) return { scope: "function", functionName };
  const resource = byName.get("Resource");
  if (dimensions.length === 2 && resource) {
    const [resourceFunction, qualifier] = resource.split(":");
    if (resourceFunction !== functionName || !qualifier) return undefined;
    return { scope: "resource", functionName, qualifier };
  }
  return undefined;
}

/** The handler's EMF metrics exist only with the FunctionName dimension (`Dimensions: [["FunctionName"]]`). */
function handlerSelectorFor(metricName: string, dimensions: Dimension[]): SeriesSelector | undefined {
  if (!(HANDLER_METRICS as readonly string[]).includes(metricName)) return undefined;
  if (dimensions.length !== 1 || dimensions[0]?.Name !== "FunctionName") return undefined;
  return { scope: "function", functionName: dimensions[0].Value };
}

/** StartTime rounding by data age: minute (<15 d), 5 minutes (15–63 d), hour (older). */
function roundStart(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  const unit = age > 63 * DAY_MS ? 3_600_000 : age > 15 * DAY_MS ? 5 * MINUTE_MS : MINUTE_MS;
  return Math.floor(startMs / unit) * unit;
}

function encodeToken(token: { fingerprint: string; offset: number }): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodeToken(text: string): { fingerprint: string; offset: number } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as {
      fingerprint?: unknown;
      offset?: unknown;
    };
    if (
      typeof parsed.fingerprint === "string" &&
      typeof parsed.offset === "number" &&
      Number.isInteger(parsed.offset) &&
      parsed.offset >= 0
    ) {
      return { fingerprint: parsed.fingerprint, offset: parsed.offset };
    }
  } catch {
    // invalid token
  }
  return undefined;
}
