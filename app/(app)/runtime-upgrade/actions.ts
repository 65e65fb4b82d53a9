"use server";

import { revalidatePath } from "next/cache";
import { type ControlFormState, handleControlForm } from "@/lib/data/controls-forms";

export async function runtimeUpgradeFormAction(_previous: ControlFormState, formData: FormData) {
  const state = await handleControlForm("runtime-upgrade", formData);
  if (state.status === "success") revalidatePath("/runtime-upgrade");
  return state;
}
