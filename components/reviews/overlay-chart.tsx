"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration } from "@/lib/domain/latency";
import type { OverlayChart } from "@/lib/domain/reviews";

const DAY_MS = 86_400_000;

function offsetLabel(offsetMs: number): string {
  const day = Math.floor(offsetMs / DAY_MS) + 1;
  const hour = Math.floor((offsetMs % DAY_MS) / 3_600_000);
  return `day ${day} ${String(hour).padStart(2, "0")}:00`;
}

/** p90 of both windows on one axis: hours since each window started. */
export function OverlayChartView({ chart }: { chart: OverlayChart }) {
  return (
    <figure className="card" aria-label={`p90 of ${chart.functionName}, baseline and current overlaid`}>
      <figcaption className="mb-1 text-sm font-medium">
        {chart.functionName}: p90 per hour, baseline vs current
      </figcaption>
      <div className="h-56">
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
      </div>
    </figure>
  );
}
