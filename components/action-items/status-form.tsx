"use client";

import { useActionState } from "react";
import { setActionItemStatusFormAction } from "@/app/(app)/action-items/actions";
import { FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";
import { type ActionItemStatus, actionItemStatuses, statusLabels } from "@/lib/domain/action-items";

/** Status picker; a change that breaks the agreed order goes through with a warning that says why. */
export function StatusForm({ id, status, title }: { id: string; status: ActionItemStatus; title: string }) {
  const [state, action, pending] = useActionState(setActionItemStatusFormAction, idleFormState);
  return (
    <form action={action} className="flex flex-col gap-1" aria-label={`Status of ${title}`}>
      <input type="hidden" name="id" value={id} />
      <div className="flex items-center gap-2">
        <select name="status" className="input py-1" defaultValue={status} aria-label="Status" key={status}>
          {actionItemStatuses.map((value) => (
            <option key={value} value={value}>
              {statusLabels[value]}
            </option>
          ))}
        </select>
        <button type="submit" className="btn" disabled={pending}>
          {pending ? "…" : "Set"}
        </button>
      </div>
      <FormMessage state={state} />
    </form>
  );
}

/** "Check passes — close it?": one click marks the item done. */
export function CloseItemButton({ id, title }: { id: string; title: string }) {
  const [state, action, pending] = useActionState(setActionItemStatusFormAction, idleFormState);
  return (
    <form action={action} aria-label={`Close ${title}`}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="status" value="done" />
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? "Closing…" : "Close it (mark done)"}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
