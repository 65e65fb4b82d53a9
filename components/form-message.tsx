import type { FormState } from "@/lib/actions/form-state";

export function FieldError({ state, name }: { state: FormState; name: string }) {
  const errors = state.fieldErrors?.[name];
  if (!errors?.length) return null;
  return (
    <p className="field-error" id={`${name}-error`}>
      {errors.join(" · ")}
    </p>
  );
}

export function FormMessage({ state }: { state: FormState }) {
  return (
    <div aria-live="polite">
      {state.status === "idle" || !state.message ? null : (
        <p
          role={state.status === "error" ? "alert" : "status"}
          className={`text-sm ${state.status === "error" ? "text-danger" : "text-ok"}`}
        >
          {state.message}
        </p>
      )}
    </div>
  );
}
