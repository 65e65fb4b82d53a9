import "./chart-theme.css";

/**
 * A tiny p90 trend drawn as plain SVG on the server: a table of many functions would pay for a
 * charting library per row otherwise. Gaps (no invocations) break the line.
 */
export function Sparkline({
  points,
  startMs,
  endMs,
  label,
  width = 96,
}: {
  points: { t: number; v: number }[];
  startMs: number;
  endMs: number;
  label: string;
  width?: number;
}) {
  const height = 24;
  if (points.length < 2) return <span className="text-xs text-muted">no trend</span>;
  const max = Math.max(...points.map((point) => point.v)) || 1;
  const x = (t: number) => ((t - startMs) / Math.max(1, endMs - startMs)) * width;
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const path = points.map(
    (point, index) => `${index === 0 ? "M" : "L"}${x(point.t).toFixed(1)},${y(point.v).toFixed(1)}`,
  );
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <path d={path.join(" ")} fill="none" stroke="var(--series-p90)" strokeWidth={1.5} />
    </svg>
  );
}
