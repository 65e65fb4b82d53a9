import type { ActionResult } from "./define-action";

/** What a form rendered with useActionState needs to know after a submit. Serializable. */
export interface FormState {
  status: "idle" | "success" | "error";
  message?: string;
  fieldErrors?: Record<string, string[]>;
  /** The submitted values (secrets removed), so a rejected form keeps what the person typed. */
  values?: Record<string, string>;
}

export const idleFormState: FormState = { status: "idle" };

const secretField = /pass(word)?|secret|token/i;

export function toFormState(
  result: ActionResult<unknown>,
  successMessage: string,
  submitted: Record<string, string> = {},
): FormState {
  if (result.ok) return { status: "success", message: successMessage };
  const values = Object.fromEntries(Object.entries(submitted).filter(([key]) => !secretField.test(key)));
  return {
    status: "error",
    // Field errors are shown beside their fields; the summary only points at them.
    message: result.fieldErrors ? "Please correct the fields marked below." : result.message,
    fieldErrors: result.fieldErrors,
    values,
  };
}

/** FormData as a plain object of strings (files are not accepted by any Phoenix action). */
export function formDataToObject(formData: FormData): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (!key.startsWith("$ACTION") && typeof value === "string") result[key] = value;
  }
  return result;
}
