import { formatCount, formatDuration, formatPercent } from "@/lib/domain/latency";

/**
 * What each chart of the function page shows, how its values read and how tall it is. Plain data and
 * formatting, shared by the light chart frame (titles, table view, rendered first) and the recharts
 * plot (loaded after it), so neither bundle carries the other.
 */
export type ChartKind =
  | "duration"
  | "invocations"
  | "errors"
  | "throttles"
  | "concurrency"
  | "provisioned"
  | "coldStarts"
  | "initDuration";

export type Unit = "ms" | "count" | "ratio";

export interface SeriesSpec {
  key: string;
  label: string;
  color: string;
  dash?: string;
}

export interface ChartSpec {
  title: string;
  unit: Unit;
  type: "line" | "bar";
  stacked?: boolean;
  series: SeriesSpec[];
  empty: string;
  /** Sparse series (cold starts are rare per period): draw points, a line needs two neighbours. */
  dots?: boolean;
}

/** Height of a plot in pixels; the placeholder shown before it is drawn has exactly this height. */
export function plotHeight(withBrush: boolean): number {
  return withBrush ? 250 : 190;
}

export function specFor(kind: ChartKind, showAverageAndMaximum: boolean): ChartSpec {
  switch (kind) {
    case "duration":
      return {
        title: "Duration",
        unit: "ms",
        type: "line",
        empty: "No invocations in this window.",
        series: [
          { key: "p50", label: "p50", color: "var(--series-p50)" },
          { key: "p90", label: "p90", color: "var(--series-p90)" },
          { key: "p99", label: "p99", color: "var(--series-p99)" },
          ...(showAverageAndMaximum
            ? [
                { key: "avg", label: "average", color: "var(--series-avg)" },
                { key: "max", label: "maximum", color: "var(--series-max)" },
              ]
            : []),
        ],
      };
    case "invocations":
      return {
        title: "Invocations",
        unit: "count",
        type: "bar",
        empty: "No invocations in this window.",
        series: [{ key: "invocations", label: "invocations", color: "var(--series-count)" }],
      };
    case "errors":
      return {
        title: "Errors (timeouts separated)",
        unit: "count",
        type: "bar",
        stacked: true,
        empty: "No errors in this window.",
        series: [
          { key: "timeouts", label: "timeouts", color: "var(--series-alert)" },
          { key: "otherErrors", label: "other errors", color: "var(--series-p99)" },
        ],
      };
    case "throttles":
      return {
        title: "Throttles",
        unit: "count",
        type: "bar",
        empty: "No throttled requests in this window.",
        series: [{ key: "throttles", label: "throttles", color: "var(--series-alert)" }],
      };
    case "concurrency":
      return {
        title: "Concurrent executions vs allocated provisioned concurrency",
        unit: "count",
        type: "line",
        empty: "No executions in this window.",
        series: [
          { key: "concurrency", label: "concurrent executions (max)", color: "var(--series-count)" },
          { key: "pcAllocated", label: "provisioned concurrency allocated", color: "var(--series-pc)", dash: "6 3" },
        ],
      };
    case "provisioned":
      return {
        title: "Provisioned concurrency use and spill-over",
        unit: "count",
        type: "line",
        empty: "No provisioned concurrency in this window.",
        series: [
          { key: "pcBusy", label: "busy on provisioned (max)", color: "var(--series-pc)" },
          { key: "spillover", label: "spill-over invocations", color: "var(--series-alert)", dash: "6 3" },
        ],
      };
    case "coldStarts":
      return {
        title: "Cold starts",
        unit: "count",
        type: "bar",
        empty: "No cold starts in this window.",
        series: [{ key: "coldStarts", label: "cold starts", color: "var(--series-p90)" }],
      };
    case "initDuration":
      return {
        title: "Init duration of cold starts",
        unit: "ms",
        type: "line",
        dots: true,
        empty: "No cold starts in this window.",
        series: [
          { key: "initP50", label: "init p50", color: "var(--series-p50)" },
          { key: "initP90", label: "init p90", color: "var(--series-p90)", dash: "6 3" },
        ],
      };
  }
}

/** A value with its unit, as in the tooltip and the table view ("—" when there is none). */
export function formatValue(value: unknown, unit: Unit): string {
  if (typeof value !== "number") return "—";
  if (unit === "ms") return formatDuration(value);
  if (unit === "ratio") return formatPercent(value);
  return formatCount(value);
}

/** A short value-axis label: "850 ms", "1.5 s", "12k", "1.2M". */
export function axisValue(value: number, unit: Unit): string {
  if (unit === "ms") return value >= 1000 ? `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)} s` : `${value} ms`;
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  if (value >= 1_000) return `${(value / 1_000).toFixed(value >= 10_000 ? 0 : 1)}k`;
  return String(value);
}

/** Whether a chart has anything to draw: some series with a number other than 0. */
export function hasData(spec: ChartSpec, rows: Record<string, number | null>[]): boolean {
  return rows.some((row) =>
    spec.series.some((series) => {
      const value = row[series.key];
      return typeof value === "number" && value !== 0;
    }),
  );
}
