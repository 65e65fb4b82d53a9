"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/define-action";
import { type FormState, formDataToObject, toFormState } from "@/lib/actions/form-state";
import { applyScenarioEventAction, setSandboxFaultsAction } from "@/lib/data/sandbox";

export async function applyScenarioEventFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(applyScenarioEventAction, input);
  if (result.ok) revalidatePath("/", "layout");
  return toFormState(
    result,
    `Applied to ${input.functionName ?? "the function"}. The simulated traffic changes from this minute.`,
    input,
  );
}

export async function setSandboxFaultsFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = { stuckUpdates: "false", ...formDataToObject(formData) };
  const result = await runAction(setSandboxFaultsAction, input);
  if (result.ok) revalidatePath("/admin/sandbox");
  return toFormState(result, "Faults updated.", input);
}
