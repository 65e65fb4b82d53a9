"use client";

import { useActionState } from "react";
import { createActionItemFormAction, updateActionItemFormAction } from "@/app/(app)/action-items/actions";
import { FieldError, FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";
import { MAX_NOTES } from "@/lib/domain/action-items";
import { verificationKinds } from "@/lib/domain/verification";

export interface ItemFormDefaults {
  id?: string;
  title: string;
  owner: string;
  dueDate: string;
  notes: string;
  functions: string;
  dependsOn: string[];
  checkKind: string;
  checkFunction: string;
  checkThresholdMb: string;
}

export const emptyItem: ItemFormDefaults = {
  title: "",
  owner: "",
  dueDate: "",
  notes: "",
  functions: "",
  dependsOn: [],
  checkKind: "none",
  checkFunction: "",
  checkThresholdMb: "",
};

/** Create or edit an action item; on a refused submit the typed values stay. */
export function ItemForm({
  defaults,
  others,
  owners,
  functions,
}: {
  defaults: ItemFormDefaults;
  others: { id: string; position: number; title: string }[];
  owners: string[];
  functions: string[];
}) {
  const editing = Boolean(defaults.id);
  const [state, action, pending] = useActionState(
    editing ? updateActionItemFormAction : createActionItemFormAction,
    idleFormState,
  );
  const value = (name: keyof ItemFormDefaults) => state.values?.[name] ?? (defaults[name] as string);
  const prefix = editing ? "edit" : "new";
  return (
    <form
      action={action}
      className="card grid gap-3 md:grid-cols-2"
      aria-label={editing ? "Edit the action item" : "Create an action item"}
      key={state.status === "success" && !editing ? state.message : undefined}
    >
      {defaults.id ? <input type="hidden" name="id" value={defaults.id} /> : null}
      <div className="md:col-span-2">
        <label className="label" htmlFor={`${prefix}-title`}>
          Title
        </label>
        <input id={`${prefix}-title`} name="title" className="input" maxLength={200} defaultValue={value("title")} />
        <FieldError state={state} name="title" />
      </div>
      <div>
        <label className="label" htmlFor={`${prefix}-owner`}>
          Owner (a Phoenix user or a name)
        </label>
        <input
          id={`${prefix}-owner`}
          name="owner"
          className="input"
          list={`${prefix}-owners`}
          maxLength={100}
          defaultValue={value("owner")}
        />
        <datalist id={`${prefix}-owners`}>
          {owners.map((owner) => (
            <option key={owner} value={owner} />
          ))}
        </datalist>
        <FieldError state={state} name="owner" />
      </div>
      <div>
        <label className="label" htmlFor={`${prefix}-due`}>
          Due date
        </label>
        <input id={`${prefix}-due`} name="dueDate" type="date" className="input" defaultValue={value("dueDate")} />
        <FieldError state={state} name="dueDate" />
      </div>
      <div>
        <label className="label" htmlFor={`${prefix}-functions`}>
          Linked functions (comma-separated)
        </label>
        <input
          id={`${prefix}-functions`}
          name="functions"
          className="input"
          list={`${prefix}-function-names`}
          defaultValue={value("functions")}
        />
        <datalist id={`${prefix}-function-names`}>
          {functions.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <FieldError state={state} name="functions" />
      </div>
      <fieldset>
        <legend className="label">Depends on</legend>
        <div className="flex max-h-28 flex-col gap-1 overflow-y-auto text-sm">
          {others.length === 0 ? <span className="text-muted">No other items</span> : null}
          {others.map((other) => (
            <label key={other.id} className="flex items-start gap-2">
              <input
                type="checkbox"
                name="dependsOn"
                value={other.id}
                defaultChecked={defaults.dependsOn.includes(other.id)}
              />
              <span>
                {other.position}. {other.title}
              </span>
            </label>
          ))}
        </div>
        <FieldError state={state} name="dependsOn" />
      </fieldset>
      <div>
        <label className="label" htmlFor={`${prefix}-check`}>
          Verification check
        </label>
        <select id={`${prefix}-check`} name="checkKind" className="input" defaultValue={value("checkKind")}>
          <option value="none">No check</option>
          {verificationKinds.map((kind) => (
            <option key={kind.kind} value={kind.kind}>
              {kind.label}
            </option>
          ))}
        </select>
        <FieldError state={state} name="checkKind" />
      </div>
      <div className="grid grid-cols-2 gap-2">
        <div>
          <label className="label" htmlFor={`${prefix}-check-function`}>
            Check reads function
          </label>
          <input
            id={`${prefix}-check-function`}
            name="checkFunction"
            className="input"
            placeholder="first linked"
            list={`${prefix}-function-names`}
            defaultValue={value("checkFunction")}
          />
          <FieldError state={state} name="checkFunction" />
        </div>
        <div>
          <label className="label" htmlFor={`${prefix}-threshold`}>
            Size threshold (MB)
          </label>
          <input
            id={`${prefix}-threshold`}
            name="checkThresholdMb"
            className="input"
            inputMode="decimal"
            placeholder="10"
            defaultValue={value("checkThresholdMb")}
          />
          <FieldError state={state} name="checkThresholdMb" />
        </div>
      </div>
      <div className="md:col-span-2">
        <label className="label" htmlFor={`${prefix}-notes`}>
          Notes (at most {MAX_NOTES.toLocaleString("en-US")} characters)
        </label>
        <textarea id={`${prefix}-notes`} name="notes" className="input min-h-20" defaultValue={value("notes")} />
        <FieldError state={state} name="notes" />
      </div>
      <div className="flex items-center gap-3 md:col-span-2">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save changes" : "Create item"}
        </button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
