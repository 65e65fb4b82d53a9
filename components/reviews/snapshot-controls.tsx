"use client";

import { useActionState, useState } from "react";
import { refreshSnapshotFormAction } from "@/app/(app)/reviews/actions";
import { FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";
import { overlayChartsDrawn } from "./overlay-chart";

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

/** Opens the print dialog once the charts are drawn (their code loads after the page's first paint). */
export function PrintButton() {
  const [waiting, setWaiting] = useState(false);
  const print = async () => {
    setWaiting(true);
    try {
      await overlayChartsDrawn();
    } finally {
      setWaiting(false);
    }
    window.print();
  };
  return (
    <button type="button" className="btn print:hidden" disabled={waiting} onClick={() => void print()}>
      {waiting ? "Drawing the charts…" : "Print / PDF"}
    </button>
  );
}
