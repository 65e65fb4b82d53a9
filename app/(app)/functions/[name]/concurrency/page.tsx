import Link from "next/link";
import { notFound } from "next/navigation";
import { FunctionControlsNav } from "@/components/controls/function-controls-nav";
import { JobFollowUp } from "@/components/controls/job-follow-up";
import { PcHeatmap } from "@/components/controls/pc-heatmap";
import {
  DeleteActionForm,
  PublishAndRepointForm,
  RemovePcForm,
  ScheduledActionForm,
  StaticPcForm,
  TemplateForm,
} from "@/components/controls/schedule-forms";
import { JobProgress } from "@/components/jobs/job-progress";
import { PageHeader } from "@/components/page-header";
import { hasRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getConcurrencyView } from "@/lib/data/controls";
import { getRecentJobs } from "@/lib/data/jobs";
import { cronToBuilder } from "@/lib/domain/schedule";
import { scheduleTemplate } from "@/lib/domain/schedule-template";
import { AppError } from "@/lib/errors";

export const metadata = { title: "Provisioned concurrency" };

const utc = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;

export default async function ConcurrencyPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const name = decodeURIComponent((await params).name);
  const aliasParam = (await searchParams).alias;
  let view: Awaited<ReturnType<typeof getConcurrencyView>>;
  try {
    view = await getConcurrencyView(name, typeof aliasParam === "string" ? aliasParam : undefined);
  } catch (error) {
    const appError = AppError.from(error);
    // A function without an alias has a page that says what to do; an unknown function has none.
    if (appError.code === "NOT_FOUND" && /has no alias/.test(appError.userMessage)) {
      return (
        <>
          <PageHeader title={`${name} — provisioned concurrency`} description={appError.userMessage} />
          <FunctionControlsNav functionName={name} current="concurrency" />
        </>
      );
    }
    if (appError.code === "NOT_FOUND") notFound();
    throw error;
  }
  const user = await getSessionUser();
  const canChange = user ? hasRole(user.role, "operator") : false;
  const jobs = (await getRecentJobs({ target: `function:${view.functionName}:${view.alias}` })).slice(0, 3);
  const template = scheduleTemplate("production", false);
  const base = `/functions/${encodeURIComponent(view.functionName)}/concurrency`;
  const aliasOnLatest = view.aliasVersion === "$LATEST";

  return (
    <>
      <PageHeader
        title={`${view.functionName}:${view.alias} — provisioned concurrency`}
        description="The scalable target, its scheduled actions and what they do to the week, the current provisioned concurrency, and the controls to change them. Every change is previewed, confirmed and audited."
      />
      <FunctionControlsNav functionName={view.functionName} current="concurrency" />
      {view.aliases.length > 1 ? (
        <p className="mb-3 text-sm">
          Alias:{" "}
          {view.aliases.map((alias) => (
            <Link
              key={alias}
              href={`${base}?alias=${encodeURIComponent(alias)}`}
              className={`mr-2 underline ${alias === view.alias ? "font-semibold" : ""}`}
            >
              {alias}
            </Link>
          ))}
        </p>
      ) : null}
      {!canChange ? (
        <p className="mb-4 rounded-md border border-border bg-surface-2 p-2 text-sm" data-testid="read-only-note">
          Read-only: changing provisioned concurrency needs the operator role.
        </p>
      ) : null}
      {view.guards.length > 0 ? (
        <ul className="mb-4 space-y-1 text-sm" aria-label="Guard rails">
          {view.guards.map((guard) => (
            <li key={guard.message} className={guard.level === "block" ? "text-danger" : "text-warn"}>
              {guard.level === "block" ? "Blocked: " : "Warning: "}
              {guard.message}
            </li>
          ))}
        </ul>
      ) : null}

      <div className="mb-6 grid gap-3 md:grid-cols-3">
        <section className="card" aria-labelledby="pc-heading" data-testid="pc-status">
          <h2 id="pc-heading" className="font-semibold">
            Provisioned concurrency now
          </h2>
          {view.pc ? (
            <dl className="mt-2 grid grid-cols-2 gap-1 text-sm">
              <dt className="text-muted">Requested</dt>
              <dd data-testid="pc-requested">{view.pc.requested}</dd>
              <dt className="text-muted">Allocated</dt>
              <dd>{view.pc.allocated}</dd>
              <dt className="text-muted">Available</dt>
              <dd>{view.pc.available}</dd>
              <dt className="text-muted">Status</dt>
              <dd data-testid="pc-state">{view.pc.status}</dd>
            </dl>
          ) : (
            <p className="mt-2 text-sm" data-testid="pc-requested">
              None on {view.alias}.
            </p>
          )}
          <p className="mt-2 text-xs text-muted">
            {view.alias} → version {view.aliasVersion}; {view.fn.memoryMb} MB, {view.fn.runtime}, {view.fn.architecture}
            . Account: {view.account.unreserved} of {view.account.limit} unreserved (floor 100)
            {view.fn.reservedConcurrency !== null ? `; reserved ${view.fn.reservedConcurrency}` : ""}.
          </p>
        </section>
        <section className="card" aria-labelledby="target-heading">
          <h2 id="target-heading" className="font-semibold">
            Scalable target
          </h2>
          <p className="mt-2 font-mono text-xs">{view.resourceId}</p>
          {view.target ? (
            <p className="text-sm" data-testid="target-bounds">
              min {view.target.minCapacity}, max {view.target.maxCapacity}
              {view.target.scheduledScalingSuspended ? " (scheduled scaling suspended)" : ""}
            </p>
          ) : (
            <p className="text-sm text-muted">Not registered: saving a scheduled action registers it.</p>
          )}
        </section>
        <section className="card" aria-labelledby="next-heading">
          <h2 id="next-heading" className="font-semibold">
            Next firings
          </h2>
          <ol className="mt-2 text-sm" data-testid="upcoming">
            {view.upcoming.length === 0 ? <li className="text-muted">None scheduled.</li> : null}
            {view.upcoming.map((firing) => (
              <li key={`${firing.at}-${firing.action}`}>
                <time dateTime={firing.at}>{utc(firing.at)}</time> — {firing.action} (min {firing.minCapacity ?? "–"},
                max {firing.maxCapacity ?? "–"})
              </li>
            ))}
          </ol>
        </section>
      </div>

      <section className="mb-6" aria-labelledby="actions-heading">
        <h2 id="actions-heading" className="mb-2 text-lg font-semibold">
          Scheduled actions
        </h2>
        <div className="overflow-x-auto">
          <table className="table text-sm" data-testid="scheduled-actions">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Schedule</th>
                <th scope="col">Min / max</th>
                <th scope="col">Start / end</th>
                <th scope="col">Next five firings</th>
              </tr>
            </thead>
            <tbody>
              {view.actions.length === 0 ? (
                <tr>
                  <td colSpan={5} className="text-muted">
                    No scheduled actions.
                  </td>
                </tr>
              ) : null}
              {view.actions.map((action) => (
                <tr key={action.name} data-action={action.name}>
                  <td className="font-medium">{action.name}</td>
                  <td>
                    <div>{action.words}</div>
                    <div className="font-mono text-xs text-muted">{action.schedule}</div>
                  </td>
                  <td>
                    {action.minCapacity ?? "–"} / {action.maxCapacity ?? "–"}
                  </td>
                  <td className="text-xs">
                    {action.startTime ? utc(action.startTime) : "–"}
                    <br />
                    {action.endTime ? utc(action.endTime) : "–"}
                  </td>
                  <td className="text-xs">
                    {action.nextFirings.map((at) => (
                      <div key={at}>{utc(at)}</div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {canChange && !aliasOnLatest
          ? view.actions.map((action) => {
              const builder = cronToBuilder(action.schedule);
              return (
                <details key={action.name} className="card mt-2">
                  <summary className="cursor-pointer text-sm font-medium">Edit or delete {action.name}</summary>
                  <div className="mt-3 space-y-3">
                    <ScheduledActionForm
                      functionName={view.functionName}
                      alias={view.alias}
                      intent="edit"
                      defaults={{
                        name: action.name,
                        expression: action.schedule,
                        timeZone: action.timeZone,
                        minCapacity: action.minCapacity === null ? "" : String(action.minCapacity),
                        maxCapacity: action.maxCapacity === null ? "" : String(action.maxCapacity),
                        days: builder?.days ?? [],
                        time: builder?.time ?? "",
                        fingerprint: action.fingerprint,
                      }}
                    />
                    <DeleteActionForm
                      functionName={view.functionName}
                      alias={view.alias}
                      name={action.name}
                      fingerprint={action.fingerprint}
                    />
                  </div>
                </details>
              );
            })
          : null}
      </section>

      <section className="mb-6" aria-labelledby="heatmap-heading">
        <h2 id="heatmap-heading" className="mb-2 text-lg font-semibold">
          The week this schedule produces
        </h2>
        {view.heatmap ? (
          <PcHeatmap heatmap={view.heatmap} />
        ) : (
          <p className="text-sm text-danger">Heat-map unavailable: {view.heatmapError}</p>
        )}
      </section>

      {canChange ? (
        <section className="mb-6 space-y-4" aria-labelledby="change-heading">
          <h2 id="change-heading" className="text-lg font-semibold">
            Change
          </h2>
          {aliasOnLatest ? (
            <div className="card space-y-2">
              <p className="text-sm text-danger">
                {view.alias} points to $LATEST, and provisioned concurrency can only live on a published version:
                publish $LATEST as a version and point {view.alias} at it first.
              </p>
              <PublishAndRepointForm
                functionName={view.functionName}
                alias={view.alias}
                revisionId={view.latestRevisionId}
                aliasRevisionId={view.aliasRevisionId}
              />
            </div>
          ) : (
            <>
              <div className="card">
                <h3 className="mb-2 font-semibold">The meeting’s schedule</h3>
                <p className="mb-2 text-sm text-muted">
                  Weekday business hours at {template.actions[0]?.maxCapacity}, evenings and nights at{" "}
                  {template.actions[1]?.maxCapacity}, weekends at {template.configuredWeekendCapacity} or 0 (
                  {template.timeZone}; from infra/config/pc-schedule.json).
                </p>
                <TemplateForm
                  functionName={view.functionName}
                  alias={view.alias}
                  weekendCapacity={template.configuredWeekendCapacity}
                />
              </div>
              <div className="card">
                <h3 className="mb-2 font-semibold">New scheduled action</h3>
                <ScheduledActionForm
                  functionName={view.functionName}
                  alias={view.alias}
                  intent="create"
                  defaults={{
                    name: "",
                    expression: "",
                    timeZone: template.timeZone,
                    minCapacity: "",
                    maxCapacity: "",
                    days: ["MON", "TUE", "WED", "THU", "FRI"],
                    time: "07:45",
                  }}
                />
              </div>
              <div className="card grid gap-4 md:grid-cols-2">
                <div>
                  <h3 className="mb-2 font-semibold">Provisioned concurrency now (static)</h3>
                  <StaticPcForm
                    functionName={view.functionName}
                    alias={view.alias}
                    aliasRevisionId={view.aliasRevisionId}
                    current={view.pc?.requested ?? 0}
                  />
                </div>
                <div>
                  <h3 className="mb-2 font-semibold">Remove provisioned concurrency</h3>
                  <RemovePcForm
                    functionName={view.functionName}
                    alias={view.alias}
                    aliasRevisionId={view.aliasRevisionId}
                  />
                </div>
              </div>
            </>
          )}
        </section>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="activities-heading">
          <h2 id="activities-heading" className="mb-2 text-lg font-semibold">
            Recent scaling activities
          </h2>
          <ul className="space-y-1 text-sm" data-testid="activities">
            {view.activities.length === 0 ? <li className="text-muted">None in the last 14 days.</li> : null}
            {view.activities.map((activity) => (
              <li key={`${activity.at}-${activity.description}`}>
                <time dateTime={activity.at}>{utc(activity.at)}</time> — {activity.description}{" "}
                <span className="text-muted">({activity.status})</span>
                <div className="text-xs text-muted">{activity.cause}</div>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="jobs-heading">
          <h2 id="jobs-heading" className="mb-2 text-lg font-semibold">
            Recent jobs on this alias
          </h2>
          {jobs.length === 0 ? <p className="text-sm text-muted">None.</p> : null}
          <div className="space-y-2">
            {jobs.map((job) => (
              <div key={job.id}>
                <JobProgress initial={job} canCancel={canChange} />
                {canChange && job.status === "failed" ? <JobFollowUp jobId={job.id} retry rollback={null} /> : null}
              </div>
            ))}
          </div>
        </section>
      </div>
    </>
  );
}
