import Link from "next/link";
import { EffectTable } from "@/components/action-items/effect-table";
import { VerdictView } from "@/components/action-items/verdict";
import { type ActionItemStatus, statusLabels } from "@/lib/domain/action-items";
import { formatDuration } from "@/lib/domain/latency";
import { formatDelta, type PreviousComparison, type ReviewReport } from "@/lib/domain/reviews";
import { formatWindow, type MetricRow, metricRows } from "@/lib/domain/reviews-format";
import { OverlayChartView } from "./overlay-chart";

const directionClass: Record<MetricRow["direction"], string> = {
  better: "text-ok",
  worse: "text-danger",
  same: "text-muted",
  unknown: "text-muted",
};

function MetricsTable({ name, rows }: { name: string; rows: MetricRow[] }) {
  return (
    <table className="table text-sm" data-testid={`metrics-${name}`}>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Baseline</th>
          <th scope="col">Current</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-metric={row.key}>
            <th scope="row" className="font-normal">
              {row.label}
            </th>
            <td data-testid={`${name}-${row.key}-baseline`}>{row.baseline}</td>
            <td data-testid={`${name}-${row.key}-current`}>{row.current}</td>
            <td
              data-testid={`${name}-${row.key}-delta`}
              className={row.key.startsWith("invocations") ? "text-muted" : directionClass[row.direction]}
            >
              {row.delta}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The whole report, as saved (or previewed); print-friendly with `print` (no charts' chrome, one column). */
export function ReportView({
  report,
  saved,
  previous,
}: {
  report: ReviewReport;
  saved: boolean;
  previous: PreviousComparison | null;
}) {
  const total = metricRows(
    report.total.baseline,
    report.total.current,
    {
      baseline: report.total.baselineCost,
      current: report.total.currentCost,
    },
    report.review,
  );
  return (
    <div className="flex flex-col gap-6" data-testid="review-report">
      <section className="card text-sm">
        <p>
          <strong>Baseline:</strong> {formatWindow(report.review.baseline)}
        </p>
        <p>
          <strong>Current:</strong> {formatWindow(report.review.current)}
        </p>
        <p className="text-muted">
          {saved ? "Snapshot" : "Live preview, not saved (the meeting is still ahead)"} taken{" "}
          {report.builtAt.replace("T", " ").slice(0, 19)} UTC from {report.source}. A snapshot reads the same after
          CloudWatch ages the data out.
        </p>
      </section>

      <section>
        <h2 className="mb-2 text-lg font-semibold">Total ({report.functions.length} functions)</h2>
        <div className="overflow-x-auto rounded-lg border border-border bg-surface">
          <MetricsTable name="total" rows={total} />
        </div>
        {!report.total.percentilesCoverAll ? (
          <p className="mt-1 text-xs text-muted">
            Percentiles do not add up over a subset of functions: shown per function only.
          </p>
        ) : null}
      </section>

      {report.charts.length > 0 ? (
        <section>
          <h2 className="mb-2 text-lg font-semibold">Baseline and current, overlaid</h2>
          <div className="grid gap-3 xl:grid-cols-2">
            {report.charts.map((chart) => (
              <OverlayChartView key={chart.functionName} chart={chart} />
            ))}
          </div>
        </section>
      ) : null}

      <section>
        <h2 className="mb-2 text-lg font-semibold">Per function</h2>
        <div className="grid gap-3 xl:grid-cols-2">
          {report.functions.map((row) => (
            <div
              key={row.fn.name}
              className="overflow-x-auto rounded-lg border border-border bg-surface p-3"
              data-testid="function-report"
            >
              <h3 className="font-semibold">
                <Link href={`/functions/${row.fn.name}`} className="hover:underline">
                  {row.fn.name}
                </Link>
              </h3>
              <p className="text-xs text-muted">
                {row.fn.runtime}, {row.fn.memoryMb} MB, timeout {row.fn.timeoutSeconds} s, {row.fn.architecture}
              </p>
              <MetricsTable
                name={row.fn.name}
                rows={metricRows(
                  row.baseline,
                  row.current,
                  { baseline: row.baselineCost, current: row.currentCost },
                  report.review,
                )}
              />
            </div>
          ))}
        </div>
      </section>

      <section>
        <h2 className="mb-2 text-lg font-semibold">Action items</h2>
        <ol className="flex flex-col gap-2" data-testid="report-items">
          {report.actionItems.map((item) => (
            <li key={item.id} className="card" data-testid="report-item">
              <p className="font-medium">
                {item.position}. {item.title}{" "}
                <span className="text-xs text-muted">
                  — {item.owner}, {statusLabels[item.status as ActionItemStatus] ?? item.status}
                  {item.doneAt ? ` ${item.doneAt.slice(0, 10)}` : ""}
                </span>
              </p>
              {item.warnings.map((warning) => (
                <p key={warning} className="text-sm text-warn">
                  ⚠ {warning}
                </p>
              ))}
              <VerdictView verdict={item.verdict} check={item.check} />
              {item.effect ? (
                <div className="mt-2">
                  <EffectTable effect={item.effect} />
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      <section>
        <h2 className="mb-2 text-lg font-semibold">Changes in between</h2>
        {report.changes.length === 0 ? (
          <p className="text-sm text-muted">
            No recorded changes between the baseline and the end of the current window.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-border bg-surface">
            <table className="table text-sm" data-testid="report-changes">
              <thead>
                <tr>
                  <th scope="col">When (UTC)</th>
                  <th scope="col">Function</th>
                  <th scope="col">Change</th>
                  <th scope="col">Who</th>
                </tr>
              </thead>
              <tbody>
                {report.changes.map((change) => (
                  <tr key={`${change.at}-${change.functionName}-${change.title}`}>
                    <td>{change.at.replace("T", " ").slice(0, 16)}</td>
                    <td>{change.functionName}</td>
                    <td>{change.title}</td>
                    <td>{change.who}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section>
        <h2 className="mb-2 text-lg font-semibold">Open risks</h2>
        {report.risks.length === 0 ? (
          <p className="text-sm text-muted">None.</p>
        ) : (
          <ul className="list-disc pl-5 text-sm" data-testid="report-risks">
            {report.risks.map((risk) => (
              <li key={`${risk.kind}-${risk.functionName}`}>{risk.text}</li>
            ))}
          </ul>
        )}
      </section>

      {previous ? (
        <section>
          <h2 className="mb-2 text-lg font-semibold">
            Compared with the previous review:{" "}
            <Link href={`/reviews/${previous.reviewId}`} className="underline">
              {previous.title}
            </Link>{" "}
            ({previous.meetingDate})
          </h2>
          <div className="overflow-x-auto rounded-lg border border-border bg-surface">
            <table className="table text-sm" data-testid="report-previous">
              <thead>
                <tr>
                  <th scope="col">Function</th>
                  <th scope="col">p90 then</th>
                  <th scope="col">p90 now</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {previous.rows.map((row) => (
                  <tr key={row.name}>
                    <td>{row.name}</td>
                    <td>{formatDuration(row.previous?.p90 ?? null)}</td>
                    <td>{formatDuration(row.now.p90)}</td>
                    <td>{formatDelta(row.previous?.p90 ?? null, row.now.p90)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {report.notes.length > 0 ? (
        <section className="text-xs text-muted">
          <h2 className="mb-1 font-semibold">Notes</h2>
          <ul className="list-disc pl-5">
            {report.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="text-xs text-muted">
        Building this report cost {report.cost.getMetricDataCalls} GetMetricData calls ({report.cost.metricsRequested}{" "}
        metrics), {report.cost.logsQueries} Logs Insights queries and {report.cost.otherCalls} other AWS reads.
      </p>
    </div>
  );
}
