"use client";

import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration, formatUsd } from "@/lib/domain/latency";
import type { TuningRow, TuningSeries } from "./tuning-chart";

/**
 * The power-tuning chart drawn with recharts. This module (and recharts with it) is loaded after the
 * page's first paint by `tuning-chart.tsx`, which shows the title, a placeholder of the plot's size and
 * the table view meanwhile.
 */
export function TuningPlot({ rows, series }: { rows: TuningRow[]; series: TuningSeries[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
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
        {series.map((line) => (
          <Line
            key={line.key}
            yAxisId={line.axis}
            dataKey={line.key}
            name={line.label}
            stroke={line.color}
            strokeDasharray={line.dash}
            dot
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
