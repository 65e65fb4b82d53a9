import type { FleetLogs, FunctionLogs } from "@/lib/data/latency";
import { formatCount, formatPercent } from "@/lib/domain/latency";

/*
 * AWS/Lambda publishes neither a cold-start nor a timeout metric, so every such figure says where it
 * came from: the function's own metrics (the optimized handler's EMF `Phoenix` namespace, preferred
 * where they cover the window) or the REPORT lines read through CloudWatch Logs Insights.
 */

type ColdStartsSource = FleetLogs["rows"][number]["coldStartsSource"] | FunctionLogs["coldStartsSource"];

/** Where cold starts came from, as the end of a sentence ("cold starts …"); null when not read or idle. */
export function coldStartsFrom(source: ColdStartsSource): string | null {
  switch (source) {
    case "handler-metrics":
      return "from the function's own metrics (CloudWatch Phoenix/ColdStart)";
    case "logs-insights":
      return "counted in the REPORT lines through Logs Insights";
    default:
      return null;
  }
}

/** The totals sentence of the function page's logs widget, naming each figure's source. */
export function describeLogTotals(logs: FunctionLogs): string {
  const { totals, coldStartsSource, timeoutsSource } = logs;
  if (coldStartsSource === null && timeoutsSource === null) return "Cold starts and timeouts could not be read.";
  if (totals.reports === 0) return "No invocations in the logs of this window.";
  const figures: string[] = [];
  if (timeoutsSource !== null) figures.push(`${formatCount(totals.timeouts)} timeouts`);
  if (coldStartsSource !== null) {
    figures.push(
      `${formatCount(totals.coldStarts)} cold starts (${formatPercent(totals.coldStarts / totals.reports)} of invocations)`,
    );
  }
  const sentences = [`${figures.join(" and ")}.`];
  if (coldStartsSource === "handler-metrics") {
    sentences.push("Cold starts from the function's own metrics (CloudWatch Phoenix/ColdStart).");
    if (timeoutsSource !== null) {
      sentences.push(
        "AWS publishes no timeout metric: Phoenix counts the timeouts in the REPORT lines (Logs Insights).",
      );
    }
  } else if (coldStartsSource === "logs-insights" && timeoutsSource !== null) {
    sentences.push("AWS publishes no metric for either: Phoenix counts the REPORT lines (Logs Insights).");
  } else if (coldStartsSource === "logs-insights") {
    sentences.push("AWS publishes no cold-start metric: Phoenix counts the REPORT lines (Logs Insights).");
  } else {
    sentences.push("AWS publishes no timeout metric: Phoenix counts the REPORT lines (Logs Insights).");
  }
  if (coldStartsSource === null) sentences.push("Cold starts could not be read.");
  if (timeoutsSource === null) sentences.push("Timeouts could not be read.");
  return sentences.join(" ");
}
