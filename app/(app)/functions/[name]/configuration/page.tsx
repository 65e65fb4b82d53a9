import { notFound } from "next/navigation";
import { ConfigurationForm } from "@/components/controls/configuration-form";
import { FunctionControlsNav } from "@/components/controls/function-controls-nav";
import { JobFollowUp } from "@/components/controls/job-follow-up";
import { JobProgress } from "@/components/jobs/job-progress";
import { PageHeader } from "@/components/page-header";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getConfigurationView } from "@/lib/data/controls";
import { getRecentJobs } from "@/lib/data/jobs";
import { cpuShare } from "@/lib/domain/memory";
import { AppError } from "@/lib/errors";

export const metadata = { title: "Memory and runtime" };

export default async function ConfigurationPage({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name);
  let view: Awaited<ReturnType<typeof getConfigurationView>>;
  try {
    view = await getConfigurationView(name);
  } catch (error) {
    if (AppError.from(error).code === "NOT_FOUND") notFound();
    throw error;
  }
  const user = await getSessionUser();
  const canChange = user ? hasRole(user.role, "operator") : false;
  const jobs = (
    await getRecentJobs({ target: `function:${view.functionName}`, kind: "controls.apply-configuration" })
  ).slice(0, 3);
  const runtime = view.runtimes.find((candidate) => candidate.id === view.runtime);
  return (
    <>
      <PageHeader
        title={`${view.functionName} — memory and runtime`}
        description="Changing memory or runtime changes $LATEST only. To reach the alias that carries provisioned concurrency, Phoenix publishes a version and moves the alias, then follows provisioned concurrency while it is re-provisioned on the new version."
      />
      <FunctionControlsNav functionName={view.functionName} current="configuration" />
      <section className="card mb-4" aria-labelledby="current-heading" data-testid="current-configuration">
        <h2 id="current-heading" className="font-semibold">
          Current ($LATEST)
        </h2>
        <dl className="mt-2 grid gap-1 text-sm md:grid-cols-4">
          <div>
            <dt className="text-muted">Memory</dt>
            <dd data-testid="current-memory">
              {view.memoryMb} MB ({cpuShare(view.memoryMb).toFixed(2)} vCPU)
            </dd>
          </div>
          <div>
            <dt className="text-muted">Runtime</dt>
            <dd title={runtime?.explanation}>
              {view.runtime}{" "}
              {runtime && runtime.state !== "supported" ? (
                <span className="text-warn">({runtime.explanation})</span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="text-muted">Update status</dt>
            <dd>{view.lastUpdateStatus}</dd>
          </div>
          <div>
            <dt className="text-muted">Aliases</dt>
            <dd data-testid="aliases">
              {view.aliases.length === 0 ? "none" : null}
              {view.aliases.map((alias) => (
                <div key={alias.name}>
                  {alias.name} → version <span data-testid={`alias-${alias.name}-version`}>{alias.version}</span>
                  {alias.pc ? <span className="text-muted"> · PC {alias.pc}</span> : null}
                </div>
              ))}
            </dd>
          </div>
        </dl>
        <p className="mt-2 text-xs text-muted">
          SnapStart: {view.snapStart ? "on (no provisioned concurrency possible)" : "off"}. Architecture{" "}
          {view.architecture}.
        </p>
      </section>
      {canChange ? (
        <ConfigurationForm view={view} />
      ) : (
        <p className="rounded-md border border-border bg-surface-2 p-2 text-sm" data-testid="read-only-note">
          Read-only: changing memory or runtime needs the operator role.
        </p>
      )}
      <section className="mt-6" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading" className="mb-2 text-lg font-semibold">
          Recent changes
        </h2>
        {jobs.length === 0 ? <p className="text-sm text-muted">None.</p> : null}
        <div className="space-y-2">
          {jobs.map((job) => (
            <div key={job.id} className="space-y-1">
              <JobProgress initial={job} canCancel={canChange} />
              {canChange && (job.status === "failed" || job.status === "succeeded" || job.status === "cancelled") ? (
                <JobFollowUp jobId={job.id} retry={job.status !== "succeeded"} rollback="rollback" />
              ) : null}
            </div>
          ))}
        </div>
      </section>
    </>
  );
}
