"use client";

import "./chart-theme.css";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import type { ChartRow } from "@/lib/domain/latency";
import type { Annotation } from "@/lib/domain/latency-annotations";
import { type ChartKind, type ChartSpec, formatValue, hasData, plotHeight, specFor } from "./chart-spec";
import { timeFormatter, timeTicks } from "./chart-time";

export type { ChartKind } from "./chart-spec";

/*
 * The charting library is most of the page's JavaScript, so it is not part of the page's first load:
 * the frame of every chart (title, a placeholder of the plot's exact size, the table view) renders
 * with the page, and `./latency-plot` (recharts) is fetched as soon as this module runs in the browser
 * — in parallel with hydration and the data streaming in — then each plot is drawn into its box.
 */
type PlotModule = typeof import("./latency-plot");
interface PlotState {
  Plot?: PlotModule["LatencyPlot"];
  failed: boolean;
}

let plotState: PlotState = { failed: false };
let plotLoad: Promise<void> | undefined;
const plotListeners = new Set<() => void>();

function setPlotState(next: PlotState) {
  plotState = next;
  for (const listener of plotListeners) listener();
}

function loadPlot(): Promise<void> {
  plotLoad ??= import("./latency-plot").then(
    (module) => setPlotState({ Plot: module.LatencyPlot, failed: false }),
    () => {
      plotLoad = undefined; // a later attempt (the retry button) fetches again
      setPlotState({ failed: true });
    },
  );
  return plotLoad;
}

if (typeof window !== "undefined") void loadPlot();

function subscribePlot(listener: () => void) {
  plotListeners.add(listener);
  return () => {
    plotListeners.delete(listener);
  };
}

const serverPlotState: PlotState = { failed: false };

/** The plot component once its code is there (never during hydration: the server rendered placeholders). */
function usePlot(): PlotState {
  return useSyncExternalStore(
    subscribePlot,
    () => plotState,
    () => serverPlotState,
  );
}

/**
 * Rendered by the function page outside its streaming widgets, so the chart code starts loading with
 * the page rather than when the first chart's data arrives. Renders nothing.
 */
export function ChartPreload() {
  return null;
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
  // Stable props for the memoized plots, which re-render only when their data or view changes.
  const specs = useMemo(
    () => kinds.map((kind) => specFor(kind, showAverageAndMaximum)),
    [kinds, showAverageAndMaximum],
  );
  const { Plot, failed } = usePlot();
  // Draw one plot per task, top first: the first chart shows at once, and the page stays responsive
  // (and paints) between plots instead of freezing until all of them are drawn.
  const [drawn, setDrawn] = useState(0);
  useEffect(() => {
    if (!Plot || drawn >= kinds.length) return;
    const timer = setTimeout(() => setDrawn((count) => count + 1), 0);
    return () => clearTimeout(timer);
  }, [Plot, drawn, kinds.length]);

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
      {specs.map((spec, chartIndex) => {
        const kind = kinds[chartIndex];
        const withData = hasData(spec, data);
        const withBrush = brush && chartIndex === 0 && withData;
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
            {withData ? (
              // The plot's box has its final height from the first paint on, so nothing moves when it is drawn.
              <div style={{ height: plotHeight(withBrush) }} data-testid="plot">
                {Plot && chartIndex < drawn ? (
                  <div aria-hidden="true" className="h-full">
                    <Plot
                      spec={spec}
                      data={data}
                      domain={domain}
                      ticks={ticks}
                      format={format}
                      annotations={annotations}
                      brush={withBrush}
                      onSelect={setSelection}
                    />
                  </div>
                ) : failed ? (
                  <PlotFailed />
                ) : (
                  <div aria-hidden="true" className="h-full animate-pulse rounded-md bg-surface-2" />
                )}
              </div>
            ) : (
              <p className="rounded-md border border-dashed border-border p-4 text-sm text-muted">{spec.empty}</p>
            )}
            {withData ? <DataTable spec={spec} rows={data} format={format.full} /> : null}
          </figure>
        );
      })}
    </div>
  );
}

/** The chart code did not load (network): say so where the plot would be; the table view still works. */
function PlotFailed() {
  return (
    <div className="flex h-full flex-wrap items-center justify-center gap-3 rounded-md border border-dashed border-border p-4 text-sm text-muted">
      The chart could not be drawn: its code did not load. The table view below has the same data.
      <button type="button" className="btn px-2 py-0.5 text-xs" onClick={() => void loadPlot()}>
        Try again
      </button>
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
