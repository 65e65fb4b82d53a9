"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { applyTuningFormAction, type StartState } from "@/app/(app)/functions/[name]/power-tuning/actions";
import { FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";

/** "Apply": sets the chosen memory through the controls flow (RevisionId, publish, move the alias, PC). */
export function ApplyForm({
  runId,
  functionName,
  qualifier,
  options,
  recommended,
}: {
  runId: string;
  functionName: string;
  qualifier: string;
  options: { memoryMb: number; label: string }[];
  recommended: number;
}) {
  const router = useRouter();
  const [state, action, pending] = useActionState<StartState, FormData>(applyTuningFormAction, idleFormState);
  useEffect(() => {
    if (state.status === "success" && state.jobId) {
      router.push(`/functions/${encodeURIComponent(functionName)}/power-tuning?run=${runId}&applyJob=${state.jobId}`);
    }
  }, [state, router, functionName, runId]);
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" aria-label="Apply the result">
      <input type="hidden" name="runId" value={runId} />
      <input type="hidden" name="functionName" value={functionName} />
      <div>
        <label className="label" htmlFor="apply-memory">
          Memory to apply
        </label>
        <select id="apply-memory" name="memoryMb" className="input" defaultValue={String(recommended)}>
          {options.map((option) => (
            <option key={option.memoryMb} value={option.memoryMb}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn btn-primary" disabled={pending || state.status === "success"}>
        {pending ? "Applying…" : "Apply"}
      </button>
      <p className="basis-full text-xs text-muted">
        Sets $LATEST memory (guarded by its RevisionId)
        {qualifier
          ? `, publishes a version and moves ${qualifier} to it; provisioned concurrency on ${qualifier} is re-provisioned on the new version, which takes minutes.`
          : "."}{" "}
        Audited.
      </p>
      <div className="basis-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
