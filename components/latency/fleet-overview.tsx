import Link from "next/link";
import { Suspense } from "react";
import { type FleetLogs, type FleetView, getFleetLogs, getFleetMetrics } from "@/lib/data/latency";
import {
  addViewCosts,
  describeCountChange,
  describeLatencyChange,
  type FleetSortKey,
  formatCount,
  formatDuration,
  formatPercent,
  matchesFleetFilter,
  ratio,
  sortFleetRows,
} from "@/lib/domain/latency";
import type { OverviewParams } from "@/lib/domain/latency-params";
import { describePeriod, RANGE_PRESETS } from "@/lib/domain/periods";
import { coldStartsFrom } from "./count-sources";
import "./fleet-table.css";
import { RuntimeBadge } from "./runtime-badge";
import { Sparkline } from "./sparkline";
import { ViewCostNote } from "./view-cost";
import { AsOf, PartialNote, WidgetError } from "./widget-status";

type Row = ReturnType<typeof joinRows>[number];

function joinRows(view: FleetView, logs: FleetLogs | undefined) {
  const logsByName = new Map(logs?.rows.map((row) => [row.name, row]));
  const metricsByName = new Map(view.metrics.rows.map((row) => [row.name, row]));
  return view.inventory.functions.map((fn) => {
    const metrics = metricsByName.get(fn.name);
    const log = logsByName.get(fn.name);
    return {
      ...fn,
      metrics,
      logs: log,
      timeoutRate: log ? ratio(log.timeouts, metrics?.invocations) : null,
    };
  });
}

function sortValue(row: Row, key: FleetSortKey): number | string | null {
  switch (key) {
    case "name":
      return row.name;
    case "memoryMb":
      return row.memoryMb;
    case "p50":
    case "p90":
    case "p99":
      return row.metrics?.[key] ?? null;
    case "invocations":
      return row.metrics?.invocations ?? null;
    case "errorRate":
      return row.metrics?.errorRate ?? null;
    case "timeoutRate":
      return row.timeoutRate;
    case "coldStartShare":
      return row.logs?.coldStartShare ?? null;
    case "pcUtilization":
      return row.metrics?.pcUtilization ?? null;
    case "spillover":
      return row.metrics?.spillover ?? null;
  }
}

function overviewHref(params: OverviewParams, changes: Partial<Record<"range" | "sort" | "dir" | "q", string>>) {
  const query = new URLSearchParams();
  const merged = { range: params.range, sort: params.sort, dir: params.dir, q: params.q, ...changes };
  query.set("range", merged.range);
  if (merged.sort !== "p90" || merged.dir !== "desc") {
    query.set("sort", merged.sort);
    query.set("dir", merged.dir);
  }
  if (merged.q) query.set("q", merged.q);
  if (params.focus.join(",") !== "process-user-request") query.set("focus", params.focus.join(","));
  if (params.tz) query.set("tz", params.tz);
  return `/?${query.toString()}`;
}

export { overviewHref };

const columns: { key: FleetSortKey | null; label: string; numeric?: boolean }[] = [
  { key: "name", label: "Function" },
  { key: null, label: "Runtime" },
  { key: "memoryMb", label: "Memory", numeric: true },
  { key: null, label: "PC", numeric: true },
  { key: "p50", label: "p50", numeric: true },
  { key: "p90", label: "p90", numeric: true },
  { key: "p99", label: "p99", numeric: true },
  { key: null, label: "p90 trend" },
  { key: "invocations", label: "Invocations", numeric: true },
  { key: "errorRate", label: "Errors", numeric: true },
  { key: "timeoutRate", label: "Timeouts", numeric: true },
  { key: "coldStartShare", label: "Cold starts", numeric: true },
  { key: "pcUtilization", label: "PC use", numeric: true },
  { key: "spillover", label: "Spill-over", numeric: true },
];

function FleetTable({ view, logs, params }: { view: FleetView; logs: FleetLogs | undefined; params: OverviewParams }) {
  const rows = sortFleetRows(
    joinRows(view, logs).filter((row) => matchesFleetFilter(row, params.q)),
    params.sort,
    params.dir,
    sortValue,
  );
  const { startMs, endMs, sparklinePeriodSeconds } = view.metrics;
  const pending = logs === undefined;
  return (
    <div>
      {/* Fits the card at 1280 px; narrower (or with long names) it scrolls sideways inside the card, the
          name column staying in place and a shadow at the right edge saying there is more. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
      <section className="fleet-scroll overflow-x-auto" aria-label="Fleet table" tabIndex={0}>
        <table className="table fleet-table" data-testid="fleet-table">
          <caption className="sr-only">
            Functions, worst first by the chosen column. Durations are over the whole window; the trend is p90 per{" "}
            {describePeriod(sparklinePeriodSeconds)}.
          </caption>
          <thead>
            <tr>
              {columns.map((column) => {
                const active = column.key === params.sort;
                const nextDir = active && params.dir === "desc" ? "asc" : "desc";
                return (
                  <th
                    key={column.label}
                    className={column.numeric ? "text-right" : undefined}
                    aria-sort={active ? (params.dir === "desc" ? "descending" : "ascending") : undefined}
                  >
                    {column.key ? (
                      <Link href={overviewHref(params, { sort: column.key, dir: nextDir })} scroll={false}>
                        {column.label}
                        {active ? (params.dir === "desc" ? " ↓" : " ↑") : ""}
                      </Link>
                    ) : (
                      column.label
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="text-muted">
                  No function matches “{params.q}”.
                </td>
              </tr>
            ) : null}
            {rows.map((row) => {
              const metrics = row.metrics;
              const idle = !metrics || metrics.invocations === 0;
              return (
                <tr key={row.name} data-testid={`fleet-row-${row.name}`}>
                  <td className="whitespace-nowrap font-medium">
                    <Link
                      className="underline-offset-2 hover:underline"
                      href={`/functions/${encodeURIComponent(row.name)}`}
                    >
                      {row.name}
                    </Link>
                  </td>
                  <td>
                    <RuntimeBadge status={row.runtimeStatus} stacked />
                  </td>
                  <td className="whitespace-nowrap text-right tabular-nums">{row.memoryMb} MB</td>
                  <td
                    className="whitespace-nowrap text-right tabular-nums"
                    title="Provisioned concurrency allocated now"
                  >
                    {row.pcAllocated === null ? "—" : row.pcAllocated}
                  </td>
                  {idle ? (
                    <td colSpan={4} className="text-muted">
                      no invocations in this window
                    </td>
                  ) : (
                    <>
                      <td className="whitespace-nowrap text-right tabular-nums">{formatDuration(metrics.p50)}</td>
                      <td
                        className="whitespace-nowrap text-right font-semibold tabular-nums"
                        data-testid="fleet-p90"
                        data-ms={metrics.p90 ?? ""}
                      >
                        {formatDuration(metrics.p90)}
                      </td>
                      <td className="whitespace-nowrap text-right tabular-nums">{formatDuration(metrics.p99)}</td>
                      <td>
                        <Sparkline
                          points={metrics.sparkline}
                          startMs={startMs}
                          endMs={endMs}
                          label={`p90 trend of ${row.name}`}
                          width={72}
                        />
                      </td>
                    </>
                  )}
                  <td className="whitespace-nowrap text-right tabular-nums">{formatCount(metrics?.invocations)}</td>
                  <td className="whitespace-nowrap text-right tabular-nums">{formatPercent(metrics?.errorRate)}</td>
                  <td className="whitespace-nowrap text-right tabular-nums">
                    {pending ? "…" : formatPercent(row.timeoutRate)}
                  </td>
                  <td
                    className="whitespace-nowrap text-right tabular-nums"
                    data-source={row.logs?.coldStartsSource ?? undefined}
                  >
                    {pending ? "…" : formatPercent(row.logs?.coldStartShare)}
                    {row.logs?.coldStartsSource === "handler-metrics" ? (
                      <sup title="From the function's own metrics (CloudWatch Phoenix/ColdStart)"> †</sup>
                    ) : null}
                  </td>
                  <td className="whitespace-nowrap text-right tabular-nums">{formatPercent(metrics?.pcUtilization)}</td>
                  <td className="whitespace-nowrap text-right tabular-nums">
                    {metrics?.spillover === null || metrics?.spillover === undefined
                      ? "—"
                      : `${formatCount(metrics.spillover)} (${formatPercent(metrics.spilloverShare)})`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {pending ? <p className="mt-2 text-xs text-muted">Reading cold starts and timeouts from the logs…</p> : null}
      {logs?.rows.some((row) => row.coldStartsSource === "handler-metrics") ? (
        <p className="mt-2 text-xs text-muted" data-testid="cold-start-sources">
          † Cold starts from the function's own metrics (CloudWatch Phoenix/ColdStart); the others, and every timeout,
          from the REPORT lines through Logs Insights.
        </p>
      ) : null}
    </div>
  );
}

async function FleetTableWithLogs({ view, params }: { view: FleetView; params: OverviewParams }) {
  let logs: Awaited<ReturnType<typeof getFleetLogs>> | undefined;
  let failure: unknown;
  try {
    logs = await getFleetLogs(params.range, params.focus);
  } catch (error) {
    failure = error;
  }
  return (
    <>
      <FleetTable
        view={view}
        logs={logs?.data ?? { rows: [], partial: true, notes: [], cost: view.metrics.cost }}
        params={params}
      />
      {failure ? <WidgetError title="Cold starts and timeouts could not be read" error={failure} /> : null}
      {logs ? <PartialNote notes={logs.data.partial ? logs.data.notes : []} /> : null}
      {logs ? (
        <ViewCostNote
          cost={addViewCosts(view.inventory.cost, view.metrics.cost, logs.data.cost)}
          cached="for 1–5 minutes"
        />
      ) : null}
    </>
  );
}

/** The fleet table: metrics first, then the logs columns once Logs Insights answers (streamed). */
export async function FleetSection({ params }: { params: OverviewParams }) {
  let view: Awaited<ReturnType<typeof getFleetMetrics>>;
  try {
    view = await getFleetMetrics(params.range, params.focus);
  } catch (error) {
    return <WidgetError title="The fleet could not be loaded" error={error} />;
  }
  return (
    <section className="card" aria-labelledby="fleet-heading">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="fleet-heading" className="font-semibold">
          Fleet · last {params.range}
        </h2>
        <AsOf asOfMs={view.asOfMs} stale={view.stale} refreshError={view.refreshError} timeZone={params.tz} />
      </div>
      <form method="get" className="mb-3 flex flex-wrap items-end gap-2" aria-label="Filter the functions">
        <input type="hidden" name="range" value={params.range} />
        {params.sort !== "p90" || params.dir !== "desc" ? (
          <>
            <input type="hidden" name="sort" value={params.sort} />
            <input type="hidden" name="dir" value={params.dir} />
          </>
        ) : null}
        {params.tz ? <input type="hidden" name="tz" value={params.tz} /> : null}
        <div>
          <label className="label" htmlFor="fleet-filter">
            Filter by name or runtime
          </label>
          <input id="fleet-filter" name="q" className="input w-64" defaultValue={params.q} maxLength={100} />
        </div>
        <button type="submit" className="btn">
          Filter
        </button>
      </form>
      {view.data.metrics.partial ? (
        <PartialNote notes={["CloudWatch returned partial data for some metrics."]} />
      ) : null}
      <Suspense fallback={<FleetTable view={view.data} logs={undefined} params={params} />}>
        <FleetTableWithLogs view={view.data} params={params} />
      </Suspense>
    </section>
  );
}

/** Headline cards for the functions in focus: now against the same window two weeks earlier. */
export async function HeadlineCards({ params }: { params: OverviewParams }) {
  let view: Awaited<ReturnType<typeof getFleetMetrics>>;
  let logs: Awaited<ReturnType<typeof getFleetLogs>> | undefined;
  try {
    view = await getFleetMetrics(params.range, params.focus);
  } catch (error) {
    return <WidgetError title="Headline figures could not be loaded" error={error} />;
  }
  try {
    logs = await getFleetLogs(params.range, params.focus);
  } catch {
    logs = undefined;
  }
  const hours = RANGE_PRESETS[params.range] / 3_600_000;
  const focused = params.focus
    .map((name) => ({
      name,
      metrics: view.data.metrics.rows.find((row) => row.name === name),
      logs: logs?.data.rows.find((row) => row.name === name),
    }))
    .filter((card) => card.metrics);
  if (focused.length === 0) {
    return (
      <p className="card text-sm text-muted">None of the functions in focus ({params.focus.join(", ")}) exists.</p>
    );
  }
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {focused.map(({ name, metrics, logs: log }) => (
        <section
          key={name}
          className="card"
          aria-label={`Headline figures of ${name}`}
          data-testid={`headline-${name}`}
        >
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="font-semibold">
              <Link href={`/functions/${encodeURIComponent(name)}`}>{name}</Link>
            </h2>
            <span className="text-xs text-muted">
              last {params.range} vs the same {params.range} two weeks earlier
            </span>
          </div>
          <ul className="mt-3 space-y-1.5">
            <li className="text-lg font-semibold" data-testid="headline-p90">
              {describeLatencyChange("p90", metrics?.p90 ?? null, metrics?.before?.p90 ?? null)}
            </li>
            <li data-testid="headline-p99">
              {describeLatencyChange("p99", metrics?.p99 ?? null, metrics?.before?.p99 ?? null)}
            </li>
            <li data-testid="headline-timeouts">
              {log
                ? describeCountChange("Timeouts", log.timeouts, log.timeoutsBefore ?? null)
                : "Timeouts: the logs could not be read"}
            </li>
            <li data-testid="headline-cold-starts" data-source={log?.coldStartsSource ?? undefined}>
              {log?.coldStarts !== null && log?.coldStarts !== undefined
                ? `${formatCount(log.coldStarts / hours)} cold starts per hour (${formatPercent(log.coldStartShare)} of invocations)`
                : "Cold starts: the logs could not be read"}
              {coldStartsFrom(log?.coldStartsSource ?? null) ? (
                <span className="block text-xs text-muted" data-testid="headline-cold-starts-source">
                  {coldStartsFrom(log?.coldStartsSource ?? null)}
                </span>
              ) : null}
            </li>
          </ul>
        </section>
      ))}
    </div>
  );
}
