"use client";

import { useActionState } from "react";
import { jobFollowUpFormAction } from "@/app/(app)/functions/[name]/configuration/actions";
import type { ControlFormState } from "@/lib/data/controls-forms";
import { PreviewPanel } from "./preview-panel";

const idle: ControlFormState = { status: "idle" };

/** One-click retry and rollback of a finished job of the controls. */
export function JobFollowUp({
  jobId,
  retry,
  rollback,
}: {
  jobId: string;
  retry: boolean;
  rollback: "rollback" | "rollback-upgrade" | null;
}) {
  const [state, action, pending] = useActionState(jobFollowUpFormAction, idle);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="jobId" value={jobId} />
      {retry ? (
        <button type="submit" name="followUp" value="retry" className="btn" disabled={pending}>
          Retry
        </button>
      ) : null}
      {rollback ? (
        <button type="submit" name="followUp" value={rollback} className="btn btn-danger" disabled={pending}>
          Roll back
        </button>
      ) : null}
      <div className="w-full">
        <PreviewPanel state={state} pending={pending} />
      </div>
    </form>
  );
}
