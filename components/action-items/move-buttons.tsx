"use client";

import { useActionState } from "react";
import { moveActionItemFormAction } from "@/app/(app)/action-items/actions";
import { idleFormState } from "@/lib/actions/form-state";

export function MoveButtons({ id, title, first, last }: { id: string; title: string; first: boolean; last: boolean }) {
  const [state, action, pending] = useActionState(moveActionItemFormAction, idleFormState);
  return (
    <form action={action} className="flex gap-1" aria-label={`Reorder ${title}`}>
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        name="direction"
        value="up"
        className="btn px-2 py-0.5"
        disabled={pending || first}
        aria-label={`Move “${title}” up`}
      >
        ↑
      </button>
      <button
        type="submit"
        name="direction"
        value="down"
        className="btn px-2 py-0.5"
        disabled={pending || last}
        aria-label={`Move “${title}” down`}
      >
        ↓
      </button>
      {state.status === "error" ? (
        <span role="alert" className="text-xs text-danger">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}
