"use client";

import "./chart-theme.css";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import {
  Bar,
  BarChart,
  Brush,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ChartRow } from "@/lib/domain/latency";
import { formatCount, formatDuration, formatPercent } from "@/lib/domain/latency";
import type { Annotation } from "@/lib/domain/latency-annotations";

export type ChartKind =
  | "duration"
  | "invocations"
  | "errors"
  | "throttles"
  | "concurrency"
  | "provisioned"
  | "coldStarts"
  | "initDuration";

type Unit = "ms" | "count" | "ratio";
interface SeriesSpec {
  key: string;
  label: string;
  color: string;
  dash?: string;
}
interface ChartSpec {
  title: string;
  unit: Unit;
  type: "line" | "bar";
  stacked?: boolean;
  series: SeriesSpec[];
  empty: string;
  /** Sparse series (cold starts are rare per period): draw points, a line needs two neighbours. */
  dots?: boolean;
}

const SYNC_ID = "phoenix-function";

function specFor(kind: ChartKind, showAverageAndMaximum: boolean): ChartSpec {
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

function formatValue(value: unknown, unit: Unit): string {
  if (typeof value !== "number") return "—";
  if (unit === "ms") return formatDuration(value);
  if (unit === "ratio") return formatPercent(value);
  return formatCount(value);
}

function axisValue(value: number, unit: Unit): string {
  if (unit === "ms") return value >= 1000 ? `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)} s` : `${value} ms`;
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  if (value >= 1_000) return `${(value / 1_000).toFixed(value >= 10_000 ? 0 : 1)}k`;
  return String(value);
}

const tickSteps = [5, 15, 30, 60, 180, 360, 720, 1_440, 2_880, 10_080].map((minutes) => minutes * 60_000);

/** Offset of `timeZone` (undefined: the browser's) from UTC at `ms`, so ticks fall on local round times. */
function offsetMs(ms: number, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  }).formatToParts(new Date(ms));
  const part = (type: string) => Number(parts.find((item) => item.type === type)?.value ?? 0);
  return (
    Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute")) -
    Math.floor(ms / 60_000) * 60_000
  );
}

/** At most ~8 ticks on round local times (whole hours, midnights, …). */
function timeTicks(domain: [number, number], timeZone: string | undefined): number[] {
  const span = domain[1] - domain[0];
  const step = tickSteps.find((candidate) => span / candidate <= 8) ?? (tickSteps.at(-1) as number);
  const offset = offsetMs(domain[0], timeZone);
  const ticks: number[] = [];
  for (let local = Math.ceil((domain[0] + offset) / step) * step; local - offset <= domain[1]; local += step) {
    ticks.push(local - offset);
  }
  return ticks;
}

function timeFormatter(timeZone: string | undefined, spanMs: number) {
  const axis = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    ...(spanMs > 2 * 86_400_000
      ? { day: "numeric", month: "short" }
      : spanMs > 12 * 3_600_000
        ? { weekday: "short", hour: "2-digit", minute: "2-digit" }
        : { hour: "2-digit", minute: "2-digit" }),
  });
  const full = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
  return { axis: (ms: number) => axis.format(new Date(ms)), full: (ms: number) => full.format(new Date(ms)) };
}

/** A marker on the time axis: a numbered flag whose native tooltip says who/what (recharts passes viewBox). */
function AnnotationFlag({
  annotation,
  index,
  format,
  viewBox,
}: {
  annotation: Annotation;
  index: number;
  format: (ms: number) => string;
  viewBox?: { x?: number; y?: number };
}) {
  const x = viewBox?.x ?? 0;
  const y = viewBox?.y ?? 0;
  return (
    <g>
      <title>{`${index + 1}. ${format(annotation.atMs)} — ${annotation.title} (${annotation.who})`}</title>
      <rect x={x - 8} y={y} width={16} height={14} rx={3} fill="var(--annotation)" />
      <text x={x} y={y + 11} textAnchor="middle" fontSize={10} fill="var(--surface)">
        {index + 1}
      </text>
    </g>
  );
}

export interface LatencyChartsProps {
  kinds: ChartKind[];
  rows: ChartRow[];
  domain: [number, number];
  timeZone?: string;
  annotations: Annotation[];
  showAverageAndMaximum?: boolean;
  /** Offer a brush on the first chart that zooms the page to the selection (a custom range in the URL). */
  brush?: boolean;
}

/** The function page's charts: one time axis, a shared crosshair and tooltip (syncId), annotations. */
export function LatencyCharts({
  kinds,
  rows,
  domain,
  timeZone,
  annotations,
  showAverageAndMaximum = false,
  brush = false,
}: LatencyChartsProps) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [selection, setSelection] = useState<{ from: number; to: number } | null>(null);
  const format = useMemo(() => timeFormatter(timeZone, domain[1] - domain[0]), [timeZone, domain]);
  const ticks = useMemo(() => timeTicks(domain, timeZone), [domain, timeZone]);
  const data = useMemo(
    () =>
      rows.map((row) => ({
        ...row,
        otherErrors:
          typeof row.errors === "number"
            ? Math.max(0, row.errors - (typeof row.timeouts === "number" ? row.timeouts : 0))
            : null,
      })),
    [rows],
  );

  const zoom = () => {
    if (!selection) return;
    const next = new URLSearchParams(searchParams.toString());
    next.set("range", "custom");
    next.set("from", new Date(selection.from).toISOString());
    next.set("to", new Date(selection.to).toISOString());
    router.push(`${pathname}?${next.toString()}`, { scroll: false });
  };

  return (
    <div className="space-y-6">
      {kinds.map((kind, chartIndex) => {
        const spec = specFor(kind, showAverageAndMaximum);
        const hasData = data.some((row) =>
          spec.series.some((series) => {
            const value = row[series.key as keyof typeof row];
            return typeof value === "number" && value !== 0;
          }),
        );
        const Chart = spec.type === "bar" ? BarChart : LineChart;
        const withBrush = brush && chartIndex === 0 && hasData;
        return (
          <figure key={kind} className="min-w-0" data-testid={`chart-${kind}`}>
            <figcaption className="mb-1 flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">{spec.title}</span>
              {withBrush && selection ? (
                <button type="button" className="btn px-2 py-0.5 text-xs" onClick={zoom}>
                  Zoom to {format.full(selection.from)} – {format.full(selection.to)}
                </button>
              ) : null}
            </figcaption>
            {hasData ? (
              <div aria-hidden="true">
                <ResponsiveContainer width="100%" height={withBrush ? 250 : 190}>
                  <Chart
                    data={data}
                    syncId={SYNC_ID}
                    syncMethod="value"
                    margin={{ top: 16, right: 12, left: 4, bottom: 0 }}
                  >
                    <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
                    <XAxis
                      dataKey="t"
                      type="number"
                      scale="time"
                      domain={domain}
                      allowDataOverflow
                      ticks={ticks}
                      tickFormatter={format.axis}
                      stroke="var(--muted)"
                      fontSize={11}
                      minTickGap={24}
                    />
                    <YAxis
                      stroke="var(--muted)"
                      fontSize={11}
                      width={52}
                      tickFormatter={(value: number) => axisValue(value, spec.unit)}
                    />
                    <Tooltip
                      contentStyle={{
                        background: "var(--surface)",
                        border: "1px solid var(--border)",
                        color: "var(--fg)",
                      }}
                      labelStyle={{ color: "var(--fg)" }}
                      cursor={{ stroke: "var(--muted)", fill: "var(--surface-2)" }}
                      labelFormatter={(label) => (typeof label === "number" ? format.full(label) : String(label))}
                      formatter={(value, name) => [formatValue(value, spec.unit), name]}
                      isAnimationActive={false}
                    />
                    <Legend wrapperStyle={{ fontSize: 12 }} />
                    {annotations.map((annotation, index) => (
                      <ReferenceLine
                        key={annotation.id}
                        // A change in the current, still-open minute is drawn at the axis' end.
                        x={Math.min(annotation.atMs, domain[1])}
                        stroke="var(--annotation)"
                        strokeDasharray="4 2"
                        ifOverflow="hidden"
                        label={<AnnotationFlag annotation={annotation} index={index} format={format.full} />}
                      />
                    ))}
                    {spec.series.map((series) =>
                      spec.type === "bar" ? (
                        <Bar
                          key={series.key}
                          dataKey={series.key}
                          name={series.label}
                          fill={series.color}
                          stackId={spec.stacked ? "stack" : undefined}
                          isAnimationActive={false}
                        />
                      ) : (
                        <Line
                          key={series.key}
                          dataKey={series.key}
                          name={series.label}
                          stroke={series.color}
                          strokeDasharray={series.dash}
                          strokeWidth={1.6}
                          dot={spec.dots ? { r: 1.5, fill: series.color, strokeWidth: 0 } : false}
                          connectNulls={false}
                          isAnimationActive={false}
                          type="linear"
                        />
                      ),
                    )}
                    {withBrush ? (
                      <Brush
                        dataKey="t"
                        height={22}
                        stroke="var(--muted)"
                        fill="var(--surface-2)"
                        tickFormatter={format.axis}
                        onChange={(range) => {
                          const from = data[range.startIndex ?? 0]?.t;
                          const to = data[range.endIndex ?? data.length - 1]?.t;
                          if (from !== undefined && to !== undefined && to > from) setSelection({ from, to });
                        }}
                      />
                    ) : null}
                  </Chart>
                </ResponsiveContainer>
              </div>
            ) : (
              <p className="rounded-md border border-dashed border-border p-4 text-sm text-muted">{spec.empty}</p>
            )}
            {hasData ? <DataTable spec={spec} rows={data} format={format.full} /> : null}
          </figure>
        );
      })}
    </div>
  );
}

/** The same data as a table, for screen readers and for reading exact values (rendered on demand). */
function DataTable({
  spec,
  rows,
  format,
}: {
  spec: ChartSpec;
  rows: Record<string, number | null>[];
  format: (ms: number) => string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div className="mt-1">
      <button
        type="button"
        className="text-xs text-muted underline"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
      >
        {open ? "Hide" : "Show"} the data of “{spec.title}” as a table
      </button>
      {open ? (
        <div className="mt-2 max-h-72 overflow-auto">
          <table className="table">
            <caption className="sr-only">{spec.title}</caption>
            <thead>
              <tr>
                <th scope="col">Period start</th>
                {spec.series.map((series) => (
                  <th key={series.key} scope="col" className="text-right">
                    {series.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.t}>
                  <th scope="row" className="font-normal">
                    {format(row.t as number)}
                  </th>
                  {spec.series.map((series) => (
                    <td key={series.key} className="text-right tabular-nums">
                      {formatValue(row[series.key], spec.unit)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
