"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/define-action";
import { type FormState, formDataToObject, toFormState } from "@/lib/actions/form-state";
import { retryControlsJobAction, rollbackConfigurationAction, rollbackRuntimeUpgradeAction } from "@/lib/data/controls";
import { type ControlFormState, handleControlForm } from "@/lib/data/controls-forms";

export async function configurationFormAction(_previous: ControlFormState, formData: FormData) {
  const state = await handleControlForm("configuration", formData);
  if (state.status === "success") revalidatePath("/functions/[name]/configuration", "page");
  return state;
}

const jobActions = {
  retry: retryControlsJobAction,
  rollback: rollbackConfigurationAction,
  "rollback-upgrade": rollbackRuntimeUpgradeAction,
};

/** Retry or roll back a finished job of the controls (one click, audited like any change). */
export async function jobFollowUpFormAction(_previous: FormState, formData: FormData): Promise<ControlFormState> {
  const input = formDataToObject(formData);
  const which = input.followUp as keyof typeof jobActions;
  const action = jobActions[which];
  if (!action) return { status: "error", message: "Unknown follow-up." };
  const result = await runAction(action, { jobId: input.jobId });
  const state: ControlFormState = toFormState(result, which === "retry" ? "Retry started." : "Rollback started.");
  if (result.ok) {
    state.jobId = (result.data as { jobId: string }).jobId;
    revalidatePath("/", "layout");
  }
  return state;
}
