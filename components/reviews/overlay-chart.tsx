"use client";

import { useEffect, useState } from "react";
import { flushSync } from "react-dom";
import { ChartDataTable, lazyPlot, PlotBox } from "@/components/latency/lazy-plot";
import { formatDuration } from "@/lib/domain/latency";
import type { OverlayChart } from "@/lib/domain/reviews";
import { OVERLAY_PLOT_HEIGHT, offsetLabel } from "./overlay-spec";

/*
 * recharts is not part of the review pages' first load (components/latency/lazy-plot.tsx): the frame
 * below (title, a placeholder of the plot's exact size, the table view) renders with the page, and
 * `./overlay-plot` is fetched as soon as this module runs in the browser, then drawn into the box.
 *
 * Printing (the print view, "Print / PDF" or the browser's own print): the print button waits for the
 * plots (`overlayChartsDrawn`); a chart that is not drawn when the page is printed anyway (printed
 * before its code arrived, or the code did not load) prints its data as a table instead of an empty box.
 * That table is rendered only then (on `beforeprint`, or once the code failed), not with every page:
 * it is ~50 KB of HTML per chart for two weeks of hours.
 */
const overlayPlot = lazyPlot(() => import("./overlay-plot"));

if (typeof window !== "undefined") void overlayPlot.load();

type Point = OverlayChart["points"][number];

const columns = [
  { key: "baseline", label: "Baseline p90", format: (point: Point) => formatDuration(point.baseline) },
  { key: "current", label: "Current p90", format: (point: Point) => formatDuration(point.current) },
];

const FIGURE = '[data-testid="overlay-chart"]';

/**
 * Resolves once every overlay chart of the page is drawn, or its code failed to load, or after
 * `timeoutMs`: what the print button waits for before opening the print dialog.
 */
export async function overlayChartsDrawn(timeoutMs = 3_000): Promise<void> {
  await overlayPlot.load();
  const deadline = performance.now() + timeoutMs;
  const done = () =>
    [...document.querySelectorAll(FIGURE)].every(
      (figure) => figure.getAttribute("data-plot") === "failed" || figure.querySelector("svg.recharts-surface"),
    );
  while (!done() && performance.now() < deadline) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/** p90 of both windows on one axis: hours since each window started. */
export function OverlayChartView({ chart }: { chart: OverlayChart }) {
  const title = `${chart.functionName}: p90 per hour, baseline vs current`;
  const { module, failed } = overlayPlot.useLoaded();
  const Plot = module?.OverlayPlot;
  const printing = usePrinting();
  return (
    <figure
      className="card"
      aria-label={`p90 of ${chart.functionName}, baseline and current overlaid`}
      data-testid="overlay-chart"
      data-plot={Plot ? "drawn" : failed ? "failed" : "loading"}
    >
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      {/* Not drawn yet: the placeholder (or "Try again") is screen-only, the print gets the table below. */}
      <div className={Plot ? undefined : "print:hidden"}>
        <PlotBox height={OVERLAY_PLOT_HEIGHT} failed={failed} onRetry={() => void overlayPlot.load()}>
          {Plot ? <Plot chart={chart} /> : null}
        </PlotBox>
      </div>
      <div className="print:hidden">
        <ChartDataTable
          title={title}
          rowLabel="Since the window's start"
          rowKey={(point) => point.offsetMs}
          rowHeader={(point) => offsetLabel(point.offsetMs)}
          columns={columns}
          rows={chart.points}
        />
      </div>
      {!Plot && (printing || failed) ? <PrintTable title={title} points={chart.points} /> : null}
    </figure>
  );
}

/**
 * True from `beforeprint` to `afterprint`. The state is committed synchronously (flushSync), so what
 * it renders is in the DOM before the browser lays the page out for printing.
 */
function usePrinting(): boolean {
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    return () => {
      window.removeEventListener("beforeprint", before);
      window.removeEventListener("afterprint", after);
    };
  }, []);
  return printing;
}

/** The chart's data in print only, while the plot is not drawn (no toggle and no scrolling on paper). */
function PrintTable({ title, points }: { title: string; points: Point[] }) {
  return (
    <div className="hidden print:block [&_td]:py-0.5 [&_th]:py-0.5" data-testid="overlay-print-table">
      <table className="table text-xs">
        <caption className="sr-only">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Since the window's start</th>
            {columns.map((column) => (
              <th key={column.key} scope="col" className="text-right">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.offsetMs}>
              <th scope="row" className="font-normal">
                {offsetLabel(point.offsetMs)}
              </th>
              {columns.map((column) => (
                <td key={column.key} className="text-right tabular-nums">
                  {column.format(point)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
