"use client";

import { memo } from "react";
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
import type { Annotation } from "@/lib/domain/latency-annotations";
import { axisValue, type ChartSpec, formatValue, plotHeight } from "./chart-spec";
import type { TimeFormat } from "./chart-time";

/**
 * One chart of the function page drawn with recharts. This module (and recharts with it) is loaded
 * after the page's first paint by `latency-charts.tsx`, which shows the titles, the numbers and the
 * table view meanwhile; every plot of the page shares one crosshair and tooltip through `syncId`.
 */

const SYNC_ID = "phoenix-function";

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

export interface LatencyPlotProps {
  spec: ChartSpec;
  data: ({ t: number } & Record<string, number | null>)[];
  domain: [number, number];
  ticks: number[];
  format: TimeFormat;
  annotations: Annotation[];
  /** Draw a brush under the plot; `onSelect` receives the brushed span (period starts). */
  brush?: boolean;
  onSelect?: (selection: { from: number; to: number }) => void;
}

/** Memoized: the frame re-renders as the plots are drawn one by one, a drawn plot need not. */
export const LatencyPlot = memo(function LatencyPlot({
  spec,
  data,
  domain,
  ticks,
  format,
  annotations,
  brush = false,
  onSelect,
}: LatencyPlotProps) {
  const Chart = spec.type === "bar" ? BarChart : LineChart;
  return (
    <ResponsiveContainer width="100%" height={plotHeight(brush)}>
      <Chart data={data} syncId={SYNC_ID} syncMethod="value" margin={{ top: 16, right: 12, left: 4, bottom: 0 }}>
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
        {brush ? (
          <Brush
            dataKey="t"
            height={22}
            stroke="var(--muted)"
            fill="var(--surface-2)"
            tickFormatter={format.axis}
            onChange={(range) => {
              const from = data[range.startIndex ?? 0]?.t;
              const to = data[range.endIndex ?? data.length - 1]?.t;
              if (from !== undefined && to !== undefined && to > from) onSelect?.({ from, to });
            }}
          />
        ) : null}
      </Chart>
    </ResponsiveContainer>
  );
});
