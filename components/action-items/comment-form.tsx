"use client";

import { useActionState } from "react";
import { commentFormAction } from "@/app/(app)/action-items/actions";
import { FieldError, FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";
import { MAX_COMMENT } from "@/lib/domain/action-items";

export function CommentForm({ id }: { id: string }) {
  const [state, action, pending] = useActionState(commentFormAction, idleFormState);
  return (
    <form
      action={action}
      className="flex flex-col gap-2"
      aria-label="Add a comment"
      key={state.status === "success" ? state.message : undefined}
    >
      <input type="hidden" name="id" value={id} />
      <label className="label" htmlFor="comment-body">
        Comment (at most {MAX_COMMENT.toLocaleString("en-US")} characters)
      </label>
      <textarea id="comment-body" name="body" className="input min-h-16" defaultValue={state.values?.body} />
      <FieldError state={state} name="body" />
      <div className="flex items-center gap-3">
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "Adding…" : "Add comment"}
        </button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
