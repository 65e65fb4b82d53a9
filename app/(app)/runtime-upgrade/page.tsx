import { JobFollowUp } from "@/components/controls/job-follow-up";
import { RuntimeUpgradeForm } from "@/components/controls/runtime-upgrade-form";
import { JobProgress } from "@/components/jobs/job-progress";
import { PageHeader } from "@/components/page-header";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getRuntimeUpgradeView } from "@/lib/data/controls";
import { getRecentJobs } from "@/lib/data/jobs";

export const metadata = { title: "Runtime upgrade" };

export default async function RuntimeUpgradePage() {
  const view = await getRuntimeUpgradeView();
  const user = await getSessionUser();
  const canChange = user ? hasRole(user.role, "operator") : false;
  const jobs = (await getRecentJobs({ kind: "controls.runtime-upgrade" })).slice(0, 5);
  const outdated = view.functions.filter((fn) => fn.state === "deprecated" || fn.state === "deprecating");
  const defaultFrom = view.functions.some((fn) => fn.runtime === "python3.9")
    ? "python3.9"
    : (outdated[0]?.runtime ?? view.functions[0]?.runtime ?? "");
  return (
    <>
      <PageHeader
        title="Runtime upgrade"
        description="Action item 5: move every function off a deprecated runtime (python3.9 first) as one persisted job with per-function progress, a choice to stop or continue on a failure, and a rollback."
      />
      <section className="mb-6" aria-labelledby="outdated-heading">
        <h2 id="outdated-heading" className="mb-2 text-lg font-semibold">
          Functions on deprecated or deprecating runtimes
        </h2>
        <ul className="text-sm" data-testid="outdated">
          {outdated.length === 0 ? <li className="text-muted">None.</li> : null}
          {outdated.map((fn) => (
            <li key={fn.name}>
              <span className="font-medium">{fn.name}</span> — {fn.runtime}:{" "}
              <span className={fn.state === "deprecated" ? "text-danger" : "text-warn"}>{fn.explanation}</span>
            </li>
          ))}
        </ul>
      </section>
      {canChange ? (
        <RuntimeUpgradeForm
          functions={view.functions}
          runtimes={view.runtimes}
          defaultFrom={defaultFrom}
          defaultTarget="python3.12"
        />
      ) : (
        <p className="rounded-md border border-border bg-surface-2 p-2 text-sm" data-testid="read-only-note">
          Read-only: upgrading runtimes needs the operator role.
        </p>
      )}
      <section className="mt-6" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading" className="mb-2 text-lg font-semibold">
          Recent upgrades
        </h2>
        {jobs.length === 0 ? <p className="text-sm text-muted">None.</p> : null}
        <div className="space-y-2">
          {jobs.map((job) => (
            <div key={job.id} className="space-y-1">
              <JobProgress initial={job} canCancel={canChange} />
              {canChange && job.status !== "queued" && job.status !== "running" ? (
                <JobFollowUp jobId={job.id} retry={job.status !== "succeeded"} rollback="rollback-upgrade" />
              ) : null}
            </div>
          ))}
        </div>
      </section>
    </>
  );
}
