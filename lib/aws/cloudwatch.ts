import { type CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { planMetricBatches } from "@/lib/domain/latency";
import { callAws } from "./errors";

/**
 * CloudWatch reads: GetMetricData, batched into as few calls as the limits allow (500 queries and
 * 100,800 points a call, AWS_BEHAVIOUR.md §2.1) and paginated with NextToken, and ListMetrics.
 * SDK types stay here; callers get plain objects.
 */

export interface MetricQuery {
  /** Unique in the request; a lowercase letter first, then letters, digits, `_`. */
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Sum, Average, Maximum, p90, … */
  stat: string;
  periodSeconds: number;
}

export interface MetricSeries {
  id: string;
  /** Ascending period starts (ms since epoch) and their values. */
  timestamps: number[];
  values: number[];
  /** CloudWatch's status: Complete, PartialData, InternalError, Forbidden. */
  status: string;
  messages: string[];
}

export interface MetricDataResult {
  series: Record<string, MetricSeries>;
  calls: number;
  metricsRequested: number;
  /** True when any series came back PartialData/InternalError/Forbidden. */
  partial: boolean;
}

const queryId = /^[a-z][A-Za-z0-9_]{0,254}$/;

/** Fetches every query over [startMs, endMs) in as few GetMetricData calls as possible. */
export async function getMetricData(
  client: CloudWatchClient,
  request: { queries: readonly MetricQuery[]; startMs: number; endMs: number },
): Promise<MetricDataResult> {
  const { queries, startMs, endMs } = request;
  for (const query of queries) {
    if (!queryId.test(query.id)) throw new Error(`metric query id ${query.id} is not a valid CloudWatch id`);
  }
  const series: Record<string, MetricSeries> = {};
  if (queries.length === 0) return { series, calls: 0, metricsRequested: 0, partial: false };
  const pointsPerQuery = Math.max(...queries.map((query) => Math.ceil((endMs - startMs) / 1000 / query.periodSeconds)));
  let calls = 0;
  let partial = false;
  await Promise.all(
    planMetricBatches(queries, pointsPerQuery).map(async (batch) => {
      let nextToken: string | undefined;
      do {
        calls++;
        const token = nextToken;
        const output = await callAws("CloudWatch.GetMetricData", "read the CloudWatch metrics", () =>
          client.send(
            new GetMetricDataCommand({
              StartTime: new Date(startMs),
              EndTime: new Date(endMs),
              ScanBy: "TimestampAscending",
              NextToken: token,
              MetricDataQueries: batch.map((query) => ({
                Id: query.id,
                ReturnData: true,
                MetricStat: {
                  Metric: {
                    Namespace: query.namespace,
                    MetricName: query.metricName,
                    Dimensions: Object.entries(query.dimensions).map(([Name, Value]) => ({ Name, Value })),
                  },
                  Period: query.periodSeconds,
                  Stat: query.stat,
                },
              })),
            }),
          ),
        );
        for (const result of output.MetricDataResults ?? []) {
          if (!result.Id) continue;
          const entry = series[result.Id] ?? {
            id: result.Id,
            timestamps: [],
            values: [],
            status: "Complete",
            messages: [],
          };
          series[result.Id] = entry;
          const timestamps = result.Timestamps ?? [];
          const values = result.Values ?? [];
          timestamps.forEach((timestamp, index) => {
            const value = values[index];
            if (value === undefined) return;
            entry.timestamps.push(timestamp.getTime());
            entry.values.push(value);
          });
          if (result.StatusCode && result.StatusCode !== "Complete") {
            entry.status = result.StatusCode;
            partial = true;
          }
          for (const message of result.Messages ?? []) entry.messages.push(`${message.Code}: ${message.Value}`);
        }
        nextToken = output.NextToken;
      } while (nextToken);
    }),
  );
  for (const entry of Object.values(series)) sortByTime(entry);
  return { series, calls, metricsRequested: queries.length, partial };
}

function sortByTime(series: MetricSeries): void {
  const order = series.timestamps
    .map((_, index) => index)
    .sort((a, b) => (series.timestamps[a] as number) - (series.timestamps[b] as number));
  series.timestamps = order.map((index) => series.timestamps[index] as number);
  series.values = order.map((index) => series.values[index] as number);
}

export interface ListedMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/** Lists metrics by namespace/name (and dimension names, or dimension names and values), following NextToken. */
export async function listMetrics(
  client: CloudWatchClient,
  filter: { namespace: string; metricName?: string; dimensionNames?: string[]; dimensions?: Record<string, string> },
): Promise<{ metrics: ListedMetric[]; calls: number }> {
  const metrics: ListedMetric[] = [];
  let calls = 0;
  let nextToken: string | undefined;
  do {
    calls++;
    const token = nextToken;
    const output = await callAws("CloudWatch.ListMetrics", "list the CloudWatch metrics", () =>
      client.send(
        new ListMetricsCommand({
          Namespace: filter.namespace,
          MetricName: filter.metricName,
          Dimensions: filter.dimensions
            ? Object.entries(filter.dimensions).map(([Name, Value]) => ({ Name, Value }))
            : filter.dimensionNames?.map((Name) => ({ Name })),
          NextToken: token,
        }),
      ),
    );
    for (const metric of output.Metrics ?? []) {
      metrics.push({
        namespace: metric.Namespace ?? filter.namespace,
        metricName: metric.MetricName ?? "",
        dimensions: Object.fromEntries(
          (metric.Dimensions ?? []).map((dimension) => [dimension.Name ?? "", dimension.Value ?? ""]),
        ),
      });
    }
    nextToken = output.NextToken;
  } while (nextToken);
  return { metrics, calls };
}
