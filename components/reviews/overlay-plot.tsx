"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration } from "@/lib/domain/latency";
import type { OverlayChart } from "@/lib/domain/reviews";
import { DAY_MS, offsetLabel } from "./overlay-spec";

/**
 * The review's overlay chart drawn with recharts. This module (and recharts with it) is loaded after
 * the page's first paint by `overlay-chart.tsx`, which shows the title, a placeholder of the plot's
 * size and the table view meanwhile.
 */
export function OverlayPlot({ chart }: { chart: OverlayChart }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={chart.points} margin={{ top: 4, right: 8, bottom: 4, left: 8 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis
          dataKey="offsetMs"
          tickFormatter={(value: number) => `d${Math.floor(value / DAY_MS) + 1}`}
          ticks={chart.points.filter((point) => point.offsetMs % DAY_MS === 0).map((point) => point.offsetMs)}
          stroke="var(--muted)"
          fontSize={11}
        />
        <YAxis
          tickFormatter={(value: number) => formatDuration(value)}
          stroke="var(--muted)"
          fontSize={11}
          width={56}
        />
        <Tooltip
          labelFormatter={(value) => offsetLabel(Number(value))}
          formatter={(value) => formatDuration(typeof value === "number" ? value : null)}
          contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)" }}
        />
        <Legend />
        <Line
          type="monotone"
          dataKey="baseline"
          name="Baseline"
          stroke="var(--muted)"
          strokeDasharray="4 3"
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
        <Line
          type="monotone"
          dataKey="current"
          name="Current"
          stroke="var(--accent)"
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
