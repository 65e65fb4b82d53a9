"use client";

import { useActionState } from "react";
import {
  resetPasswordFormAction,
  setUserDisabledFormAction,
  setUserRoleFormAction,
} from "@/app/(app)/admin/users/actions";
import { FieldError, FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";
import type { Role } from "@/lib/auth/roles";

export function UserControls({
  username,
  role,
  disabled,
  local,
}: {
  username: string;
  role: Role;
  disabled: boolean;
  local: boolean;
}) {
  const [roleState, roleAction, rolePending] = useActionState(setUserRoleFormAction, idleFormState);
  const [passwordState, passwordAction, passwordPending] = useActionState(resetPasswordFormAction, idleFormState);
  const [disabledState, disabledAction, disabledPending] = useActionState(setUserDisabledFormAction, idleFormState);
  return (
    <div className="flex flex-wrap items-start gap-3">
      <form action={roleAction} className="flex items-center gap-2" aria-label={`Role of ${username}`}>
        <input type="hidden" name="username" value={username} />
        <select name="role" defaultValue={role} className="input w-auto" aria-label={`New role for ${username}`}>
          <option value="viewer">Viewer</option>
          <option value="operator">Operator</option>
          <option value="admin">Admin</option>
        </select>
        <button type="submit" className="btn" disabled={rolePending}>
          Set role
        </button>
        <FormMessage state={roleState} />
      </form>
      {local ? (
        <form action={passwordAction} className="flex items-start gap-2" aria-label={`Reset password of ${username}`}>
          <input type="hidden" name="username" value={username} />
          <div>
            <input
              name="password"
              type="password"
              className="input w-44"
              placeholder="New password"
              autoComplete="new-password"
              aria-label={`New password for ${username}`}
            />
            <FieldError state={passwordState} name="password" />
          </div>
          <button type="submit" className="btn" disabled={passwordPending}>
            Reset password
          </button>
          <FormMessage state={passwordState} />
        </form>
      ) : null}
      <form action={disabledAction} aria-label={`${disabled ? "Enable" : "Disable"} ${username}`}>
        <input type="hidden" name="username" value={username} />
        <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
        <button type="submit" className={`btn ${disabled ? "" : "btn-danger"}`} disabled={disabledPending}>
          {disabled ? "Enable" : "Disable"}
        </button>
        <FormMessage state={disabledState} />
      </form>
    </div>
  );
}
