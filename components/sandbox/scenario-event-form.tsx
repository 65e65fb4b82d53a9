"use client";

import { useActionState } from "react";
import { applyScenarioEventFormAction } from "@/app/(app)/admin/sandbox/actions";
import { FieldError, FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";

export function ScenarioEventForm({ event, title, functions }: { event: string; title: string; functions: string[] }) {
  const [state, action, pending] = useActionState(applyScenarioEventFormAction, idleFormState);
  return (
    <form action={action} className="flex flex-wrap items-start gap-2" aria-label={`Apply: ${title}`}>
      <input type="hidden" name="event" value={event} />
      <div>
        <select
          name="functionName"
          className="input w-auto"
          defaultValue={state.values?.functionName ?? "process-user-request"}
          aria-label={`Function for ${title}`}
        >
          {functions.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
        <FieldError state={state} name="functionName" />
      </div>
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? "Applying…" : "Apply now"}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
