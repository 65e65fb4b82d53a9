"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { cancelJobFormAction } from "@/app/(app)/jobs/actions";
import { FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";
import type { JobDto } from "@/lib/jobs";

const terminal = new Set(["succeeded", "failed", "cancelled"]);
const statusLabels: Record<JobDto["status"], string> = {
  queued: "Waiting",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

function Bar({ label, done, total }: { label: string; done: number; total: number }) {
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-muted">
        <span>{label}</span>
        <span>
          {done} / {total}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        className="h-2 overflow-hidden rounded bg-surface-2"
      >
        <div className="h-full bg-accent transition-[width]" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/**
 * Live progress of a persisted job: polls its status until it ends; operators may cancel it. When a
 * job it watched running ends, the page's server data is refreshed, so what the job changed (memory,
 * runtimes, results) shows without a reload.
 */
export function JobProgress({ initial, canCancel }: { initial: JobDto; canCancel: boolean }) {
  const router = useRouter();
  const [job, setJob] = useState(initial);
  const [cancelState, cancelAction, cancelling] = useActionState(cancelJobFormAction, idleFormState);
  const watchedRunning = useRef(!terminal.has(initial.status));

  useEffect(() => {
    if (watchedRunning.current && terminal.has(job.status)) {
      watchedRunning.current = false;
      router.refresh();
    }
  }, [job.status, router]);

  useEffect(() => {
    if (terminal.has(job.status)) return;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/jobs/${job.id}`, { cache: "no-store" });
        if (response.ok) setJob((await response.json()) as JobDto);
      } catch {
        // A missed poll is retried by the next render's timer.
      }
    }, 1_000);
    return () => clearTimeout(timer);
  }, [job]);

  return (
    <section className="card space-y-3" aria-live="polite" aria-label={`Job ${job.kind}`} data-testid="job-progress">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <span className="font-semibold">{statusLabels[job.status]}</span>
          <span className="ml-2 text-sm text-muted">{job.progress.message}</span>
        </div>
        {canCancel && !terminal.has(job.status) ? (
          <form action={cancelAction}>
            <input type="hidden" name="jobId" value={job.id} />
            <button type="submit" className="btn btn-danger" disabled={cancelling || job.cancelRequested}>
              {job.cancelRequested ? "Cancelling…" : "Cancel"}
            </button>
          </form>
        ) : null}
      </div>
      <Bar label="Overall" done={job.progress.done} total={job.progress.total} />
      {job.progress.parts?.map((part) => (
        <Bar key={part.label} label={part.label} done={part.done} total={part.total} />
      ))}
      {job.error ? <p className="text-sm text-danger">{job.error}</p> : null}
      {job.cleanupError ? <p className="text-sm text-warn">Clean-up problem: {job.cleanupError}</p> : null}
      <FormMessage state={cancelState} />
    </section>
  );
}
