"use client";

import { FormMessage } from "@/components/form-message";
import { JobProgress } from "@/components/jobs/job-progress";
import type { ControlFormState } from "@/lib/data/controls-forms";
import type { JobDto } from "@/lib/jobs";

/** A job just started by a form: live progress (the component polls /api/jobs/:id). */
export function LiveJob({ jobId }: { jobId: string }) {
  const now = new Date().toISOString();
  const placeholder: JobDto = {
    id: jobId,
    kind: "",
    status: "queued",
    target: null,
    requestedBy: "",
    input: null,
    progress: { done: 0, total: 1, message: "Starting" },
    result: null,
    error: null,
    cleanupError: null,
    attempts: 0,
    cancelRequested: false,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  return (
    <div className="mt-2">
      <JobProgress key={jobId} initial={placeholder} canCancel />
      <a className="text-sm underline" href={`/jobs/${jobId}`}>
        Open the job
      </a>
    </div>
  );
}

/**
 * The second step of every control: what will change (before/after), the AWS calls, the cost, the
 * guard rails — and the confirm button, which submits exactly the previewed input.
 */
export function PreviewPanel({
  state,
  pending,
  confirmLabel = "Confirm and apply",
}: {
  state: ControlFormState;
  pending: boolean;
  confirmLabel?: string;
}) {
  const preview = state.preview;
  return (
    <div className="space-y-2">
      {preview ? (
        <section className="rounded-md border border-accent p-3 text-sm" aria-label="Preview" data-testid="preview">
          <h3 className="font-semibold">Preview: {preview.title}</h3>
          <table className="table mt-2">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {preview.diff.map((row) => (
                <tr key={row.label}>
                  <td className="font-medium">{row.label}</td>
                  <td className="text-muted">{row.before}</td>
                  <td>{row.after}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 font-medium">AWS calls</p>
          <ol className="ml-5 list-decimal font-mono text-xs">
            {preview.calls.map((call) => (
              <li key={call}>{call}</li>
            ))}
          </ol>
          {preview.cost ? (
            <p className="mt-2">
              <span className="font-medium">Estimated cost: </span>
              <span data-testid="preview-cost">{preview.cost}</span>
            </p>
          ) : null}
          {preview.notes.map((note) => (
            <p key={note} className="text-muted">
              {note}
            </p>
          ))}
          {preview.guards.map((guard) => (
            <p
              key={guard.message}
              role={guard.level === "block" ? "alert" : undefined}
              className={guard.level === "block" ? "text-danger" : "text-warn"}
            >
              {guard.level === "block" ? "Blocked: " : "Warning: "}
              {guard.message}
            </p>
          ))}
          <input type="hidden" name="previewToken" value={preview.token} />
          <div className="mt-3 flex gap-2">
            <button
              type="submit"
              name="intent"
              value="apply"
              className="btn btn-primary"
              disabled={pending || preview.blocked}
            >
              {pending ? "Applying…" : confirmLabel}
            </button>
          </div>
        </section>
      ) : null}
      <FormMessage state={state} />
      {state.status === "error" && /reload/i.test(state.message ?? "") ? (
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          Reload
        </button>
      ) : null}
      {state.jobId ? <LiveJob jobId={state.jobId} /> : null}
    </div>
  );
}
