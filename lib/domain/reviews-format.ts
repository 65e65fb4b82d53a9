import { formatCount, formatDuration, formatPercent, formatUsd } from "./latency";
import { delta, formatDelta, type MonthlyCost, ratesOf, type WindowStats } from "./reviews";

/**
 * The figures of a review as text, shared by the page and the Markdown export so both always say the
 * same thing.
 */

export interface MetricRow {
  key: string;
  label: string;
  baseline: string;
  current: string;
  /** "↓ 62 %"; "—" when there is nothing to compare. */
  delta: string;
  direction: ReturnType<typeof delta>["direction"];
}

export function metricRows(
  baseline: WindowStats,
  current: WindowStats,
  costs: { baseline: MonthlyCost; current: MonthlyCost },
  windows: { baseline: { startMs: number; endMs: number }; current: { startMs: number; endMs: number } },
): MetricRow[] {
  // Windows differ in length (two weeks vs a week or less): invocations compare per day.
  const perDay = (count: number, window: { startMs: number; endMs: number }) =>
    window.endMs > window.startMs ? count / ((window.endMs - window.startMs) / 86_400_000) : null;
  const before = ratesOf(baseline);
  const after = ratesOf(current);
  const row = (
    key: string,
    label: string,
    a: number | null,
    b: number | null,
    format: (value: number | null) => string,
    lowerIsBetter = true,
  ): MetricRow => ({
    key,
    label,
    baseline: format(a),
    current: format(b),
    delta: formatDelta(a, b, lowerIsBetter),
    direction: delta(a, b, lowerIsBetter).direction,
  });
  const usd = (value: number | null) => (value === null ? "—" : formatUsd(value));
  return [
    row("p50", "p50", baseline.p50, current.p50, formatDuration),
    row("p90", "p90", baseline.p90, current.p90, formatDuration),
    row("p99", "p99", baseline.p99, current.p99, formatDuration),
    row("timeoutRate", "Timeout rate", before.timeoutRate, after.timeoutRate, formatPercent),
    row("errorRate", "Error rate", before.errorRate, after.errorRate, formatPercent),
    row("coldStartShare", "Cold-start share", before.coldStartShare, after.coldStartShare, formatPercent),
    row(
      "invocations",
      "Invocations per day",
      perDay(baseline.invocations, windows.baseline),
      perDay(current.invocations, windows.current),
      formatCount,
      false,
    ),
    row("costOnDemand", "Monthly cost, on-demand (est.)", costs.baseline.onDemand, costs.current.onDemand, usd),
    row(
      "costPc",
      "Monthly cost, provisioned concurrency (est.)",
      costs.baseline.provisioned,
      costs.current.provisioned,
      usd,
    ),
    row("costTotal", "Monthly cost, total (est.)", costs.baseline.total, costs.current.total, usd),
  ];
}

export function formatWindow(window: { startMs: number; endMs: number }): string {
  const text = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
  const days = (window.endMs - window.startMs) / 86_400_000;
  return `${text(window.startMs)} → ${text(window.endMs)} UTC (${Number.isInteger(days) ? days : days.toFixed(1)} days)`;
}
