"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/define-action";
import { type FormState, formDataToObject, toFormState } from "@/lib/actions/form-state";
import {
  commentOnActionItemAction,
  createActionItemAction,
  moveActionItemAction,
  setActionItemStatusAction,
  updateActionItemAction,
} from "@/lib/data/action-items";
import { statusLabels } from "@/lib/domain/action-items";

// Thin: each server action adapts a form to a registered action; authorization, validation and
// audit happen in runAction.

/** Multi-value fields (dependsOn) arrive as repeated entries. */
function itemInput(formData: FormData): Record<string, string | string[]> {
  return { ...formDataToObject(formData), dependsOn: formData.getAll("dependsOn").map(String) };
}

export async function createActionItemFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = itemInput(formData);
  const result = await runAction(createActionItemAction, input);
  if (result.ok) revalidatePath("/action-items");
  return toFormState(result, `Action item “${String(input.title ?? "")}” created.`, formDataToObject(formData));
}

export async function updateActionItemFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = itemInput(formData);
  const result = await runAction(updateActionItemAction, input);
  if (result.ok) {
    revalidatePath("/action-items");
    revalidatePath(`/action-items/${String(input.id)}`);
  }
  return toFormState(result, "Saved.", formDataToObject(formData));
}

export async function setActionItemStatusFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(setActionItemStatusAction, input);
  if (result.ok) {
    revalidatePath("/action-items");
    revalidatePath(`/action-items/${input.id ?? ""}`);
    const label = statusLabels[result.data.status];
    if (result.data.warnings.length > 0) {
      return { status: "success", message: `Status set to ${label}. Warning: ${result.data.warnings.join(" ")}` };
    }
    return { status: "success", message: `Status set to ${label}.` };
  }
  return toFormState(result, "", input);
}

export async function commentFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(commentOnActionItemAction, input);
  if (result.ok) revalidatePath(`/action-items/${input.id ?? ""}`);
  return toFormState(result, "Comment added.", input);
}

export async function moveActionItemFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(moveActionItemAction, input);
  if (result.ok) revalidatePath("/action-items");
  return toFormState(result, "Moved.", input);
}
