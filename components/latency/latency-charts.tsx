"use client";

import "./chart-theme.css";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import type { ChartRow } from "@/lib/domain/latency";
import type { Annotation } from "@/lib/domain/latency-annotations";
import { type ChartKind, type ChartSpec, formatValue, hasData, plotHeight, specFor } from "./chart-spec";
import { timeFormatter, timeTicks } from "./chart-time";
import { ChartDataTable, lazyPlot, PlotBox } from "./lazy-plot";

export type { ChartKind } from "./chart-spec";

/*
 * recharts is not part of the page's first load (./lazy-plot): the frame of every chart renders with
 * the page, and `./latency-plot` is fetched as soon as this module runs in the browser — in parallel
 * with hydration and the data streaming in — then each plot is drawn into its box.
 */
const latencyPlot = lazyPlot(() => import("./latency-plot"));

if (typeof window !== "undefined") void latencyPlot.load();

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
  const { module, failed } = latencyPlot.useLoaded();
  const Plot = module?.LatencyPlot;
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
              <PlotBox height={plotHeight(withBrush)} failed={failed} onRetry={() => void latencyPlot.load()}>
                {Plot && chartIndex < drawn ? (
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
                ) : null}
              </PlotBox>
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

/** The same data as a table, for screen readers and for reading exact values. */
function DataTable({
  spec,
  rows,
  format,
}: {
  spec: ChartSpec;
  rows: Record<string, number | null>[];
  format: (ms: number) => string;
}) {
  return (
    <ChartDataTable
      title={spec.title}
      rowLabel="Period start"
      rowKey={(row) => row.t as number}
      rowHeader={(row) => format(row.t as number)}
      columns={spec.series.map((series) => ({
        key: series.key,
        label: series.label,
        format: (row: Record<string, number | null>) => formatValue(row[series.key], spec.unit),
      }))}
      rows={rows}
    />
  );
}
