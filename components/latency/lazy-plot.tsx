"use client";

import { type ReactNode, useState, useSyncExternalStore } from "react";

/*
 * The charting library (recharts) is most of a chart page's JavaScript, so no page loads it with its
 * first paint: a chart's frame (title, a placeholder of the plot's exact size, the table view) renders
 * with the page, and the module that draws the plot — the only kind of module allowed to import
 * recharts — is fetched with a dynamic import() through `lazyPlot`, then drawn into the placeholder.
 */

export interface LazyPlotState<T> {
  /** The loaded module, once its code is there (never during hydration: the server rendered placeholders). */
  module?: T;
  /** The last attempt to fetch the code failed (network); `load()` tries again. */
  failed: boolean;
}

export interface LazyPlot<T> {
  /** Fetch the module now (once; again after a failure). Called by the first frame that mounts. */
  load(): Promise<void>;
  /** The module's state, re-rendering the caller when it changes. */
  useLoaded(): LazyPlotState<T>;
}

const serverState: LazyPlotState<never> = { failed: false };

/**
 * One loader for every lazily drawn chart: `lazyPlot(() => import("./some-plot"))`, at module level.
 * The import starts when the first frame using it mounts (or on an explicit `load()`), is shared by
 * every frame of the page, and can be retried after a failure.
 */
export function lazyPlot<T>(importer: () => Promise<T>): LazyPlot<T> {
  let state: LazyPlotState<T> = { failed: false };
  let loading: Promise<void> | undefined;
  const listeners = new Set<() => void>();
  const set = (next: LazyPlotState<T>) => {
    state = next;
    for (const listener of listeners) listener();
  };
  const load = (): Promise<void> => {
    loading ??= importer().then(
      (module) => set({ module, failed: false }),
      () => {
        loading = undefined; // a later attempt (the retry button) fetches again
        set({ failed: true });
      },
    );
    return loading;
  };
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    if (!state.module && !state.failed) void load();
    return () => {
      listeners.delete(listener);
    };
  };
  const getState = () => state;
  const getServerState = () => serverState as LazyPlotState<T>;
  return {
    load,
    useLoaded: () => useSyncExternalStore(subscribe, getState, getServerState),
  };
}

/**
 * The box of a plot, of its final height from the first paint on (nothing moves when the plot is
 * drawn): the drawn plot (children) once there, else a pulsing placeholder, or — when the chart code
 * did not load — a sentence and a "Try again" button.
 */
export function PlotBox({
  height,
  failed,
  onRetry,
  children,
}: {
  height: number;
  failed: boolean;
  onRetry: () => void;
  children?: ReactNode;
}) {
  return (
    <div style={{ height }} data-testid="plot">
      {children ? (
        <div aria-hidden="true" className="h-full">
          {children}
        </div>
      ) : failed ? (
        <div className="flex h-full flex-wrap items-center justify-center gap-3 rounded-md border border-dashed border-border p-4 text-sm text-muted">
          The chart could not be drawn: its code did not load. The table view below has the same data.
          <button type="button" className="btn px-2 py-0.5 text-xs" onClick={onRetry}>
            Try again
          </button>
        </div>
      ) : (
        <div aria-hidden="true" className="h-full animate-pulse rounded-md bg-surface-2" />
      )}
    </div>
  );
}

export interface TableColumn<Row> {
  key: string;
  label: string;
  format: (row: Row) => string;
}

/** The same data as a chart, as a table: for screen readers and for reading exact values (rendered on demand). */
export function ChartDataTable<Row>({
  title,
  rowLabel,
  rowKey,
  rowHeader,
  columns,
  rows,
}: {
  title: string;
  /** The header of the first column (the x axis). */
  rowLabel: string;
  rowKey: (row: Row) => string | number;
  rowHeader: (row: Row) => string;
  columns: TableColumn<Row>[];
  rows: Row[];
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
        {open ? "Hide" : "Show"} the data of “{title}” as a table
      </button>
      {open ? (
        <div className="mt-2 max-h-72 overflow-auto">
          <table className="table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{rowLabel}</th>
                {columns.map((column) => (
                  <th key={column.key} scope="col" className="text-right">
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)}>
                  <th scope="row" className="font-normal">
                    {rowHeader(row)}
                  </th>
                  {columns.map((column) => (
                    <td key={column.key} className="text-right tabular-nums">
                      {column.format(row)}
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
