"use client";

import "@/components/latency/chart-theme.css";
import { ChartDataTable, lazyPlot, PlotBox } from "@/components/latency/lazy-plot";
import { formatDuration, formatUsd } from "@/lib/domain/latency";

/** One run's points: per memory value, duration p50/p90 (with init) and cost per invocation. */
export interface TuningChartRun {
  label: string;
  points: { memoryMb: number; p50: number | null; p90: number | null; costPerMillion: number | null }[];
}

/** A row of the chart: one memory value, with each run's `p50_i`, `p90_i` and `cost_i`. */
export type TuningRow = { memoryMb: number; memory: string } & Record<string, number | string | null>;

/** A line of the chart: duration on the left axis, cost per million invocations on the right. */
export interface TuningSeries {
  key: string;
  label: string;
  axis: "duration" | "cost";
  color: string;
  dash?: string;
}

const COLORS = [
  { p50: "var(--series-p50)", p90: "var(--series-p90)", cost: "var(--series-avg)" },
  { p50: "var(--series-p99)", p90: "var(--series-alert)", cost: "var(--series-max)" },
];

const PLOT_HEIGHT = 320;

// recharts is not part of the page's first load (components/latency/lazy-plot.tsx): the frame below
// renders with the page and `./tuning-plot` is fetched when the first chart mounts.
const tuningPlot = lazyPlot(() => import("./tuning-plot"));

function chartData(runs: TuningChartRun[]): { rows: TuningRow[]; series: TuningSeries[] } {
  const memories = [...new Set(runs.flatMap((run) => run.points.map((point) => point.memoryMb)))].sort((a, b) => a - b);
  const rows = memories.map((memoryMb) => {
    const row: TuningRow = { memoryMb, memory: `${memoryMb.toLocaleString("en-US")} MB` };
    runs.forEach((run, index) => {
      const point = run.points.find((candidate) => candidate.memoryMb === memoryMb);
      row[`p50_${index}`] = point?.p50 ?? null;
      row[`p90_${index}`] = point?.p90 ?? null;
      row[`cost_${index}`] = point?.costPerMillion ?? null;
    });
    return row;
  });
  const series = runs.flatMap((run, index): TuningSeries[] => {
    const colors = COLORS[index % COLORS.length] ?? COLORS[0];
    const dash = index === 0 ? undefined : "6 3";
    const prefix = runs.length > 1 ? `${run.label}: ` : "";
    return [
      { key: `p50_${index}`, label: `${prefix}p50 duration`, axis: "duration", color: colors?.p50 ?? "", dash },
      { key: `p90_${index}`, label: `${prefix}p90 duration`, axis: "duration", color: colors?.p90 ?? "", dash },
      {
        key: `cost_${index}`,
        label: `${prefix}cost per 1M invocations`,
        axis: "cost",
        color: colors?.cost ?? "",
        dash: index === 0 ? "2 2" : "8 4",
      },
    ];
  });
  return { rows, series };
}

function formatCell(value: number | string | null | undefined, axis: TuningSeries["axis"]): string {
  if (typeof value !== "number") return "—";
  return axis === "cost" ? formatUsd(value) : formatDuration(value);
}

/**
 * Duration (p50 and p90, left axis) and cost per million invocations (right axis) against memory.
 * With two runs, both are drawn on the same axes (the second dashed): before vs after.
 */
export function TuningChart({ runs, title }: { runs: TuningChartRun[]; title: string }) {
  const { rows, series } = chartData(runs);
  const { module, failed } = tuningPlot.useLoaded();
  const Plot = module?.TuningPlot;
  return (
    <figure className="card" aria-label={title} data-testid="tuning-chart">
      <figcaption className="mb-2 text-sm font-semibold">{title}</figcaption>
      <PlotBox height={PLOT_HEIGHT} failed={failed} onRetry={() => void tuningPlot.load()}>
        {Plot ? <Plot rows={rows} series={series} /> : null}
      </PlotBox>
      <ChartDataTable
        title={title}
        rowLabel="Memory"
        rowKey={(row) => row.memoryMb}
        rowHeader={(row) => row.memory}
        columns={series.map((line) => ({
          key: line.key,
          label: line.label,
          format: (row: TuningRow) => formatCell(row[line.key], line.axis),
        }))}
        rows={rows}
      />
    </figure>
  );
}
