"use server";

import { revalidatePath } from "next/cache";
import { type ControlFormState, handleControlForm } from "@/lib/data/controls-forms";

// Thin: preview or confirm; validation, authorization and audit happen in lib/data/controls.

async function run(kind: Parameters<typeof handleControlForm>[0], formData: FormData): Promise<ControlFormState> {
  const state = await handleControlForm(kind, formData);
  if (state.status === "success") revalidatePath("/functions/[name]/concurrency", "page");
  return state;
}

export async function scheduledActionFormAction(_previous: ControlFormState, formData: FormData) {
  return run("put-scheduled-action", formData);
}

export async function deleteScheduledActionFormAction(_previous: ControlFormState, formData: FormData) {
  return run("delete-scheduled-action", formData);
}

export async function templateFormAction(_previous: ControlFormState, formData: FormData) {
  return run("apply-template", formData);
}

export async function setPcFormAction(_previous: ControlFormState, formData: FormData) {
  return run("set-pc", formData);
}

export async function removePcFormAction(_previous: ControlFormState, formData: FormData) {
  return run("remove-pc", formData);
}

export async function publishAndRepointFormAction(_previous: ControlFormState, formData: FormData) {
  return run("publish-and-repoint", formData);
}
