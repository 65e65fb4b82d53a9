import {
  type ChartOptions,
  functionViewCost,
  getFunctionAnnotations,
  getFunctionLogs,
  getFunctionMetrics,
  getFunctionSummary,
} from "@/lib/data/latency";
import { emptyViewCost, formatCount, formatPercent } from "@/lib/domain/latency";
import { describePeriod, type WindowSelection } from "@/lib/domain/periods";
import { describeLogTotals } from "./count-sources";
import { LatencyCharts } from "./latency-charts";
import { LocalTime } from "./local-time";
import { RuntimeBadge } from "./runtime-badge";
import { ViewCostNote } from "./view-cost";
import { AsOf, PartialNote, WidgetError } from "./widget-status";

interface WidgetProps {
  name: string;
  selection: WindowSelection;
  options: ChartOptions;
  timeZone?: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** The function's configuration from the Lambda API. */
export async function ConfigurationSummary({ name, timeZone }: { name: string; timeZone?: string }) {
  let summary: Awaited<ReturnType<typeof getFunctionSummary>>;
  try {
    summary = await getFunctionSummary(name);
  } catch (error) {
    return <WidgetError title="The configuration could not be read" error={error} />;
  }
  const fn = summary.data;
  const pcByQualifier = new Map(fn.provisioned.map((config) => [config.qualifier, config]));
  return (
    <section className="card" aria-labelledby="configuration-heading" data-testid="configuration">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="configuration-heading" className="font-semibold">
          Current configuration
        </h2>
        <AsOf asOfMs={summary.asOfMs} stale={summary.stale} refreshError={summary.refreshError} timeZone={timeZone} />
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-6">
        <div>
          <dt className="text-muted">Runtime</dt>
          <dd>
            <RuntimeBadge status={fn.runtimeStatus} />
          </dd>
        </div>
        <div>
          <dt className="text-muted">Memory</dt>
          <dd data-testid="config-memory">{fn.memoryMb} MB</dd>
        </div>
        <div>
          <dt className="text-muted">Timeout</dt>
          <dd>{fn.timeoutSeconds} s</dd>
        </div>
        <div>
          <dt className="text-muted">Architecture</dt>
          <dd>{fn.architecture}</dd>
        </div>
        <div>
          <dt className="text-muted">Package</dt>
          <dd title={`code ${megabytes(fn.codeSizeBytes)} + layers ${megabytes(fn.layersBytes)}`}>
            {megabytes(fn.packageBytes)}
          </dd>
        </div>
        <div>
          <dt className="text-muted">Last update</dt>
          <dd>{fn.lastUpdateStatus ?? "—"}</dd>
        </div>
      </dl>
      <h3 className="mt-4 text-sm font-semibold">Aliases and provisioned concurrency</h3>
      {fn.aliases.length === 0 ? (
        <p className="text-sm text-muted">
          No aliases: traffic runs on $LATEST, which cannot carry provisioned concurrency.
        </p>
      ) : (
        <table className="table mt-1">
          <thead>
            <tr>
              <th scope="col">Alias</th>
              <th scope="col">Version</th>
              <th scope="col">Provisioned concurrency</th>
            </tr>
          </thead>
          <tbody>
            {fn.aliases.map((alias) => {
              const pc = pcByQualifier.get(alias.name);
              return (
                <tr key={alias.name}>
                  <td>{alias.name}</td>
                  <td>{alias.functionVersion}</td>
                  <td>
                    {pc
                      ? `${pc.allocated} of ${pc.requested} allocated · ${pc.status}${pc.statusReason ? ` (${pc.statusReason})` : ""}`
                      : "none"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {fn.provisioned.length > 0 && fn.provisioned[0]?.lastModified ? (
        <p className="mt-1 text-xs text-muted">
          Last provisioned-concurrency change:{" "}
          <LocalTime ms={Date.parse(fn.provisioned[0].lastModified)} timeZone={timeZone} withDate />
        </p>
      ) : null}
    </section>
  );
}

/** Latency, traffic, throttles, concurrency and provisioned concurrency from CloudWatch metrics. */
export async function MetricCharts({ name, selection, options, timeZone }: WidgetProps) {
  let metrics: Awaited<ReturnType<typeof getFunctionMetrics>>;
  try {
    metrics = await getFunctionMetrics(name, selection, options);
  } catch (error) {
    return <WidgetError title="The metrics could not be read" error={error} />;
  }
  const annotations = await getFunctionAnnotations(name, selection).catch(() => undefined);
  const { window, rows, totals } = metrics.data;
  return (
    <section className="card" aria-labelledby="metrics-heading">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="metrics-heading" className="font-semibold">
          Latency and traffic{" "}
          <span className="text-sm font-normal text-muted">· one point per {describePeriod(window.periodSeconds)}</span>
        </h2>
        <AsOf asOfMs={metrics.asOfMs} stale={metrics.stale} refreshError={metrics.refreshError} timeZone={timeZone} />
      </div>
      <p className="mb-3 text-sm text-muted" data-testid="metric-totals">
        {totals.invocations === 0
          ? "No invocations in this window."
          : `${formatCount(totals.invocations)} invocations, ${formatCount(totals.errors)} errors (${formatPercent(
              totals.errors / totals.invocations,
            )}), ${formatCount(totals.throttles)} throttled.`}
      </p>
      {metrics.data.partial ? <PartialNote notes={["CloudWatch returned partial data for some metrics."]} /> : null}
      <LatencyCharts
        kinds={[
          "duration",
          "invocations",
          "throttles",
          "concurrency",
          ...(metrics.data.hasProvisionedData ? (["provisioned"] as const) : []),
        ]}
        rows={rows}
        domain={[window.startMs, window.endMs]}
        timeZone={timeZone}
        annotations={annotations?.data.annotations ?? []}
        showAverageAndMaximum={options.averageAndMaximum}
        brush
      />
      {metrics.data.hasProvisionedData ? null : (
        <p className="mt-3 text-sm text-muted">
          No provisioned concurrency in this window, so there is nothing to show for its use or spill-over.
        </p>
      )}
    </section>
  );
}

/** Errors with timeouts separated, cold starts and init duration: Logs Insights over the REPORT lines. */
export async function LogCharts({ name, selection, options, timeZone }: WidgetProps) {
  let logs: Awaited<ReturnType<typeof getFunctionLogs>>;
  let metrics: Awaited<ReturnType<typeof getFunctionMetrics>>;
  try {
    [logs, metrics] = await Promise.all([
      getFunctionLogs(name, selection),
      getFunctionMetrics(name, selection, options),
    ]);
  } catch (error) {
    return <WidgetError title="Cold starts and timeouts could not be read" error={error} />;
  }
  const annotations = await getFunctionAnnotations(name, selection).catch(() => undefined);
  const { window } = metrics.data;
  const logsByTime = new Map(logs.data.rows.map((row) => [row.t, row]));
  const rows = metrics.data.rows.map((row) => {
    const logRow = logsByTime.get(row.t);
    return {
      t: row.t,
      errors: row.errors ?? null,
      timeouts: logRow?.timeouts ?? null,
      coldStarts: logRow?.coldStarts ?? null,
      initP50: logRow?.initP50 ?? null,
      initP90: logRow?.initP90 ?? null,
    };
  });
  return (
    <section className="card" aria-labelledby="logs-heading">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="logs-heading" className="font-semibold">
          Errors, timeouts and cold starts{" "}
          <span className="text-sm font-normal text-muted">
            · from the {logs.data.coldStartsSource === "handler-metrics" ? "function's metrics and the logs" : "logs"}
          </span>
        </h2>
        <AsOf asOfMs={logs.asOfMs} stale={logs.stale} refreshError={logs.refreshError} timeZone={timeZone} />
      </div>
      <p
        className="mb-3 text-sm text-muted"
        data-testid="log-totals"
        data-cold-starts-source={logs.data.coldStartsSource ?? undefined}
      >
        {describeLogTotals(logs.data)}
      </p>
      <PartialNote notes={logs.data.notes} />
      <LatencyCharts
        kinds={["errors", "coldStarts", "initDuration"]}
        rows={rows}
        domain={[window.startMs, window.endMs]}
        timeZone={timeZone}
        annotations={annotations?.data.annotations ?? []}
      />
    </section>
  );
}

const kindLabels = { change: "Change", schedule: "Schedule", scenario: "Sandbox scenario", aws: "AWS API" } as const;

/** The changes marked on the charts, numbered as on the time axis. */
export async function AnnotationList({ name, selection, timeZone }: Omit<WidgetProps, "options">) {
  let annotations: Awaited<ReturnType<typeof getFunctionAnnotations>>;
  try {
    annotations = await getFunctionAnnotations(name, selection);
  } catch (error) {
    return <WidgetError title="The changes could not be read" error={error} />;
  }
  const list = annotations.data.annotations;
  return (
    <section className="card" aria-labelledby="annotations-heading" data-testid="annotations">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="annotations-heading" className="font-semibold">
          Changes in this window
        </h2>
        <AsOf
          asOfMs={annotations.asOfMs}
          stale={annotations.stale}
          refreshError={annotations.refreshError}
          timeZone={timeZone}
        />
      </div>
      {list.length === 0 ? (
        <p className="text-sm text-muted">No recorded change and no scheduled action in this window.</p>
      ) : (
        <ol className="space-y-1 text-sm">
          {list.map((annotation, index) => (
            <li key={annotation.id} className="flex flex-wrap gap-x-2" data-testid="annotation">
              <span className="inline-block w-5 rounded bg-[var(--annotation)] text-center text-xs leading-5 text-surface">
                {index + 1}
              </span>
              <LocalTime ms={annotation.atMs} timeZone={timeZone} withDate />
              <span className="rounded bg-surface-2 px-1 text-xs leading-5">{kindLabels[annotation.kind]}</span>
              <strong>{annotation.title}</strong>
              <span className="text-muted">by {annotation.who}</span>
              {annotation.detail ? <span className="break-all text-xs text-muted">{annotation.detail}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

// The configuration summary: GetFunction, ListAliases, ListProvisionedConcurrencyConfigs.
const summaryCost = { ...emptyViewCost, otherCalls: 3 };

/** The cost of a fresh load of the page, once every widget's data is known (all cached by then). */
export async function FunctionViewCost({ name, selection, options }: Omit<WidgetProps, "timeZone">) {
  try {
    const [metrics, logs, annotations] = await Promise.all([
      getFunctionMetrics(name, selection, options),
      getFunctionLogs(name, selection),
      getFunctionAnnotations(name, selection),
    ]);
    return (
      <ViewCostNote
        cost={functionViewCost([metrics.data, logs.data, annotations.data, { cost: summaryCost }])}
        cached="for 1–15 minutes depending on the range"
      />
    );
  } catch {
    return null;
  }
}
