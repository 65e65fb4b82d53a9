"use client";

import "@/components/latency/chart-theme.css";
import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration, formatUsd } from "@/lib/domain/latency";

/** One run's points: per memory value, duration p50/p90 (with init) and cost per invocation. */
export interface TuningChartRun {
  label: string;
  points: { memoryMb: number; p50: number | null; p90: number | null; costPerMillion: number | null }[];
}

const COLORS = [
  { p50: "var(--series-p50)", p90: "var(--series-p90)", cost: "var(--series-avg)" },
  { p50: "var(--series-p99)", p90: "var(--series-alert)", cost: "var(--series-max)" },
];

/**
 * Duration (p50 and p90, left axis) and cost per million invocations (right axis) against memory.
 * With two runs, both are drawn on the same axes (the second dashed): before vs after.
 */
export function TuningChart({ runs, title }: { runs: TuningChartRun[]; title: string }) {
  const memories = [...new Set(runs.flatMap((run) => run.points.map((point) => point.memoryMb)))].sort((a, b) => a - b);
  const rows = memories.map((memoryMb) => {
    const row: Record<string, number | null | string> = { memory: `${memoryMb.toLocaleString("en-US")} MB` };
    runs.forEach((run, index) => {
      const point = run.points.find((candidate) => candidate.memoryMb === memoryMb);
      row[`p50_${index}`] = point?.p50 ?? null;
      row[`p90_${index}`] = point?.p90 ?? null;
      row[`cost_${index}`] = point?.costPerMillion ?? null;
    });
    return row;
  });
  return (
    <figure className="card" aria-label={title} data-testid="tuning-chart">
      <figcaption className="mb-2 text-sm font-semibold">{title}</figcaption>
      <div style={{ width: "100%", height: 320 }}>
        <ResponsiveContainer>
          <ComposedChart data={rows} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
            <XAxis dataKey="memory" tick={{ fontSize: 12 }} />
            <YAxis
              yAxisId="duration"
              tickFormatter={(value: number) => (value === 0 ? "0" : formatDuration(value))}
              tick={{ fontSize: 12 }}
              width={64}
            />
            <YAxis
              yAxisId="cost"
              orientation="right"
              tickFormatter={(value: number) => (value === 0 ? "$0" : formatUsd(value))}
              tick={{ fontSize: 12 }}
              width={72}
            />
            <Tooltip
              formatter={(value, name) => {
                const number = typeof value === "number" ? value : Number(value);
                return String(name).includes("cost") ? formatUsd(number) : formatDuration(number);
              }}
            />
            <Legend />
            {runs.map((run, index) => {
              const colors = COLORS[index % COLORS.length] ?? COLORS[0];
              const dash = index === 0 ? undefined : "6 3";
              const prefix = runs.length > 1 ? `${run.label}: ` : "";
              return [
                <Line
                  key={`p50_${run.label}`}
                  yAxisId="duration"
                  dataKey={`p50_${index}`}
                  name={`${prefix}p50 duration`}
                  stroke={colors?.p50}
                  strokeDasharray={dash}
                  dot
                  connectNulls
                  isAnimationActive={false}
                />,
                <Line
                  key={`p90_${run.label}`}
                  yAxisId="duration"
                  dataKey={`p90_${index}`}
                  name={`${prefix}p90 duration`}
                  stroke={colors?.p90}
                  strokeDasharray={dash}
                  dot
                  connectNulls
                  isAnimationActive={false}
                />,
                <Line
                  key={`cost_${run.label}`}
                  yAxisId="cost"
                  dataKey={`cost_${index}`}
                  name={`${prefix}cost per 1M invocations`}
                  stroke={colors?.cost}
                  strokeDasharray={index === 0 ? "2 2" : "8 4"}
                  dot
                  connectNulls
                  isAnimationActive={false}
                />,
              ];
            })}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
