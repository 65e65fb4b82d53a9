"use server";

import { runAction } from "@/lib/actions/define-action";
import { type FormState, formDataToObject, toFormState } from "@/lib/actions/form-state";
import { cancelJobAction } from "@/lib/data/jobs";

export async function cancelJobFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const result = await runAction(cancelJobAction, formDataToObject(formData));
  return toFormState(result, "Cancel requested: the job stops at its next step and cleans up.");
}
