import { estimateUsd, formatUsd, type ViewCost } from "@/lib/domain/latency";

/**
 * What loading this view costs on the CloudWatch bill when it is not cached: GetMetricData is billed
 * per metric requested, Logs Insights per GB scanned. Discreet, but there for whoever pays.
 */
export function ViewCostNote({ cost, cached }: { cost: ViewCost; cached: string }) {
  const usd = estimateUsd(cost);
  const gigabytes = cost.logsBytesScanned / 1_000_000_000;
  return (
    <p
      className="mt-6 text-xs text-muted"
      data-testid="view-cost"
      data-getmetricdata-calls={cost.getMetricDataCalls}
      data-metrics-requested={cost.metricsRequested}
      data-logs-queries={cost.logsQueries}
    >
      Cost of a fresh load of this view: {cost.metricsRequested} metrics in {cost.getMetricDataCalls} GetMetricData{" "}
      {cost.getMetricDataCalls === 1 ? "call" : "calls"} ({formatUsd(usd.metrics)}) and {cost.logsQueries} Logs Insights{" "}
      {cost.logsQueries === 1 ? "query" : "queries"} scanning {gigabytes.toFixed(2)} GB ({formatUsd(usd.logs)}
      ), about {formatUsd(usd.total)}; {cost.otherCalls} other AWS reads. Results are cached {cached}, shared by all
      viewers.
    </p>
  );
}
