"use client";

import { useActionState } from "react";
import { createUserFormAction } from "@/app/(app)/admin/users/actions";
import { FieldError, FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserFormAction, idleFormState);
  return (
    <form action={action} className="card grid gap-3 md:grid-cols-5" aria-label="Create a user">
      <div>
        <label className="label" htmlFor="new-username">
          Username
        </label>
        <input
          id="new-username"
          name="username"
          className="input"
          required
          maxLength={64}
          defaultValue={state.values?.username}
          aria-describedby="username-error"
        />
        <FieldError state={state} name="username" />
      </div>
      <div>
        <label className="label" htmlFor="new-display-name">
          Display name
        </label>
        <input
          id="new-display-name"
          name="displayName"
          className="input"
          maxLength={100}
          defaultValue={state.values?.displayName}
        />
        <FieldError state={state} name="displayName" />
      </div>
      <div>
        <label className="label" htmlFor="new-role">
          Role
        </label>
        <select
          id="new-role"
          name="role"
          className="input"
          defaultValue={state.values?.role ?? "viewer"}
          key={state.values?.role}
        >
          <option value="viewer">Viewer (read)</option>
          <option value="operator">Operator (change AWS settings)</option>
          <option value="admin">Admin (users, sandbox)</option>
        </select>
        <FieldError state={state} name="role" />
      </div>
      <div>
        <label className="label" htmlFor="new-password">
          Password
        </label>
        <input
          id="new-password"
          name="password"
          type="password"
          className="input"
          autoComplete="new-password"
          required
        />
        <FieldError state={state} name="password" />
      </div>
      <div className="flex flex-col justify-end gap-2">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Creating…" : "Create user"}
        </button>
      </div>
      <div className="md:col-span-5">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
