"use client";

import { useActionState } from "react";
import { refreshSnapshotFormAction } from "@/app/(app)/reviews/actions";
import { FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";

export function RefreshSnapshotButton({ id, saved }: { id: string; saved: boolean }) {
  const [state, action, pending] = useActionState(refreshSnapshotFormAction, idleFormState);
  return (
    <form action={action} className="flex items-center gap-2 print:hidden" aria-label="Take the snapshot">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="btn" disabled={pending}>
        {pending ? "Taking snapshot…" : saved ? "Take the snapshot again" : "Save a snapshot now"}
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export function PrintButton() {
  return (
    <button type="button" className="btn print:hidden" onClick={() => window.print()}>
      Print / PDF
    </button>
  );
}
