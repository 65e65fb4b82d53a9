import Link from "next/link";
import { notFound } from "next/navigation";
import { FunctionControlsNav } from "@/components/controls/function-controls-nav";
import { JobProgress } from "@/components/jobs/job-progress";
import { PageHeader } from "@/components/page-header";
import { ApplyForm } from "@/components/power-tuning/apply-form";
import { TuningChart, type TuningChartRun } from "@/components/power-tuning/tuning-chart";
import { TuningForm } from "@/components/power-tuning/tuning-form";
import { TuningResults } from "@/components/power-tuning/tuning-results";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getJobForPage, getTuningPageData, type TuningRunDto } from "@/lib/data/power-tuning";
import { formatMemory } from "@/lib/domain/power-tuning";
import { AppError } from "@/lib/errors";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return { title: `Power tuning · ${decodeURIComponent(name).slice(0, 64)}` };
}

const statusLabels: Record<TuningRunDto["status"], string> = {
  queued: "Waiting",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

function chartRun(run: TuningRunDto, label: string): TuningChartRun {
  const architecture = run.architecture ?? "x86_64";
  return {
    label,
    points: (run.analysis?.memories ?? []).map((memory) => {
      const cost = memory.costPerInvocation[architecture];
      return {
        memoryMb: memory.memoryMb,
        p50: memory.totalDuration.p50,
        p90: memory.totalDuration.p90,
        costPerMillion: cost === null ? null : (cost + memory.requestCostPerInvocation) * 1_000_000,
      };
    }),
  };
}

function runLabel(run: TuningRunDto): string {
  return `${run.createdAt.slice(0, 16).replace("T", " ")} UTC`;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function PowerTuningPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const name = decodeURIComponent((await params).name);
  const query = await searchParams;
  let data: Awaited<ReturnType<typeof getTuningPageData>>;
  try {
    data = await getTuningPageData(name);
  } catch (error) {
    if (AppError.from(error).code === "NOT_FOUND") notFound();
    throw error;
  }
  const user = await getSessionUser();
  const canOperate = user ? hasRole(user.role, "operator") : false;
  const { fn, runs, activeJob } = data;
  const finished = runs.filter((run) => run.analysis !== null);
  const selected = finished.find((run) => run.id === one(query.run)) ?? finished[0];
  const compareA = finished.find((run) => run.id === one(query.a));
  const compareB = finished.find((run) => run.id === one(query.b));
  const applyJobId = one(query.applyJob);
  const applyJob = applyJobId ? await getJobForPage(applyJobId) : null;
  const base = `/functions/${encodeURIComponent(fn.name)}/power-tuning`;
  const chosenMemory = selected?.analysis?.chosen.memoryMb ?? null;

  return (
    <>
      <PageHeader
        title={`Power tuning: ${fn.name}`}
        description={`Run the function at several memory sizes and compare speed and cost. Today: ${formatMemory(fn.memoryMb)}, ${fn.architecture}, timeout ${fn.timeoutSeconds} s.`}
        actions={
          <Link className="btn" href={`/functions/${encodeURIComponent(fn.name)}`}>
            Back to the function
          </Link>
        }
      />
      <FunctionControlsNav functionName={fn.name} current="power-tuning" />
      <div className="space-y-6">
        {activeJob ? (
          <section aria-label="Running tuning" className="space-y-2">
            <h2 className="text-lg font-semibold">Running now</h2>
            <JobProgress initial={activeJob} canCancel={canOperate} />
          </section>
        ) : canOperate ? (
          <section aria-label="New run" className="space-y-2">
            <h2 className="text-lg font-semibold">New run</h2>
            <TuningForm functionName={fn.name} aliases={fn.aliases.map((alias) => alias.name)} />
          </section>
        ) : (
          <p className="text-sm text-muted">Operators can start a tuning run; you can read the results below.</p>
        )}

        {applyJob ? (
          <section aria-label="Applying" className="space-y-2">
            <h2 className="text-lg font-semibold">Applying the result</h2>
            <JobProgress initial={applyJob} canCancel={canOperate} />
          </section>
        ) : null}

        {selected?.analysis ? (
          <section aria-label="Results" className="space-y-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h2 className="text-lg font-semibold">
                Results of {runLabel(selected)}{" "}
                <span className="text-sm font-normal text-muted">
                  ({statusLabels[selected.status]}
                  {selected.status !== "succeeded" ? ", partial" : ""}, by {selected.requestedBy}
                  {selected.qualifier ? `, for ${selected.qualifier}` : ""})
                </span>
              </h2>
              <div className="flex gap-2">
                <a className="btn" href={`/api/power-tuning/${selected.id}/export?format=csv`} download>
                  Export CSV
                </a>
                <a className="btn" href={`/api/power-tuning/${selected.id}/export?format=json`} download>
                  Export JSON
                </a>
              </div>
            </div>
            <TuningChart
              runs={[chartRun(selected, runLabel(selected))]}
              title="Duration (with init) and cost by memory"
            />
            <TuningResults analysis={selected.analysis} />
            {selected.notes ? <p className="text-sm text-warn">{selected.notes}</p> : null}
            {selected.appliedMemoryMb !== null ? (
              <p className="text-sm text-ok" data-testid="applied">
                Applied {formatMemory(selected.appliedMemoryMb)} on {selected.appliedAt?.slice(0, 16).replace("T", " ")}{" "}
                UTC.
              </p>
            ) : canOperate && selected.status === "succeeded" && chosenMemory !== null && !activeJob ? (
              <ApplyForm
                runId={selected.id}
                functionName={fn.name}
                qualifier={selected.qualifier}
                recommended={chosenMemory}
                options={selected.analysis.memories.map((memory) => ({
                  memoryMb: memory.memoryMb,
                  label: `${formatMemory(memory.memoryMb)}${
                    selected.analysis?.recommendations
                      .filter((recommendation) => recommendation.memoryMb === memory.memoryMb)
                      .map((recommendation) => ` · ${recommendation.strategy}`)
                      .join("") ?? ""
                  }`,
                }))}
              />
            ) : null}
          </section>
        ) : null}

        {compareA && compareB ? (
          <section aria-label="Comparison" className="space-y-2">
            <h2 className="text-lg font-semibold">
              Before vs after: {runLabel(compareA)} and {runLabel(compareB)}
            </h2>
            <TuningChart
              runs={[chartRun(compareA, `A ${runLabel(compareA)}`), chartRun(compareB, `B ${runLabel(compareB)}`)]}
              title="Two runs on one chart (B dashed)"
            />
            <ul className="card text-sm">
              <li>A: {compareA.analysis?.chosen.words}</li>
              <li>B: {compareB.analysis?.chosen.words}</li>
            </ul>
          </section>
        ) : null}

        <section aria-label="History" className="space-y-2">
          <h2 className="text-lg font-semibold">History</h2>
          {runs.length === 0 ? (
            <p className="text-sm text-muted">No tuning run yet for this function.</p>
          ) : (
            <form method="get" action={base} className="space-y-2">
              <div className="overflow-x-auto rounded-lg border border-border bg-surface">
                <table className="table text-sm" data-testid="tuning-history">
                  <thead>
                    <tr>
                      <th scope="col">Started</th>
                      <th scope="col">By</th>
                      <th scope="col">Status</th>
                      <th scope="col">Memory values × invocations</th>
                      <th scope="col">Recommendation</th>
                      <th scope="col">Compare A</th>
                      <th scope="col">Compare B</th>
                    </tr>
                  </thead>
                  <tbody>
                    {runs.map((run) => (
                      <tr key={run.id}>
                        <td>
                          {run.analysis ? <Link href={`${base}?run=${run.id}`}>{runLabel(run)}</Link> : runLabel(run)}
                        </td>
                        <td>{run.requestedBy}</td>
                        <td className={run.status === "failed" ? "text-danger" : ""}>
                          {statusLabels[run.status]}
                          {run.error ? `: ${run.error}` : ""}
                        </td>
                        <td>
                          {run.settings.memoryValues.length} × {run.settings.invocations}
                          {run.settings.coldStarts ? " (cold)" : ""}
                        </td>
                        <td>
                          {run.analysis?.chosen.words ?? "—"}
                          {run.appliedMemoryMb !== null ? ` · applied ${formatMemory(run.appliedMemoryMb)}` : ""}
                        </td>
                        <td>
                          {run.analysis ? (
                            <input
                              type="radio"
                              name="a"
                              value={run.id}
                              aria-label={`Compare A: ${runLabel(run)}`}
                              defaultChecked={run.id === compareA?.id}
                            />
                          ) : null}
                        </td>
                        <td>
                          {run.analysis ? (
                            <input
                              type="radio"
                              name="b"
                              value={run.id}
                              aria-label={`Compare B: ${runLabel(run)}`}
                              defaultChecked={run.id === compareB?.id}
                            />
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {finished.length >= 2 ? (
                <button type="submit" className="btn">
                  Compare A and B
                </button>
              ) : null}
            </form>
          )}
        </section>
      </div>
    </>
  );
}
