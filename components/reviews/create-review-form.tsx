"use client";

import { useActionState } from "react";
import { createReviewFormAction } from "@/app/(app)/reviews/actions";
import { FieldError, FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";

export function CreateReviewForm({ today }: { today: string }) {
  const [state, action, pending] = useActionState(createReviewFormAction, idleFormState);
  const value = (name: string, fallback = "") => state.values?.[name] ?? fallback;
  const date = (name: string, label: string, hint: string) => (
    <div>
      <label className="label" htmlFor={`review-${name}`}>
        {label}
      </label>
      <input id={`review-${name}`} name={name} type="date" className="input" defaultValue={value(name)} />
      <p className="text-xs text-muted">{hint}</p>
      <FieldError state={state} name={name} />
    </div>
  );
  return (
    <form action={action} className="card grid gap-3 md:grid-cols-4" aria-label="Create a review">
      <div className="md:col-span-3">
        <label className="label" htmlFor="review-title">
          Title
        </label>
        <input id="review-title" name="title" className="input" maxLength={200} defaultValue={value("title")} />
        <FieldError state={state} name="title" />
      </div>
      <div>
        <label className="label" htmlFor="review-meeting">
          Meeting date
        </label>
        <input
          id="review-meeting"
          name="meetingDate"
          type="date"
          className="input"
          defaultValue={value("meetingDate", today)}
        />
        <FieldError state={state} name="meetingDate" />
      </div>
      {date("baselineFrom", "Baseline from", "Empty: two weeks before the first meeting")}
      {date("baselineTo", "Baseline to (included)", "Empty: the first meeting")}
      {date("currentFrom", "Current from", "Empty: seven days ago")}
      {date("currentTo", "Current to (included)", "Empty: now")}
      <div className="md:col-span-4">
        <label className="label" htmlFor="review-functions">
          Functions (comma-separated; empty: every function)
        </label>
        <input id="review-functions" name="functions" className="input" defaultValue={value("functions")} />
        <FieldError state={state} name="functions" />
      </div>
      <div className="flex items-center gap-3 md:col-span-4">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Building the report…" : "Create review"}
        </button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
