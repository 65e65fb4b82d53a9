"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/define-action";
import { type FormState, formDataToObject, toFormState } from "@/lib/actions/form-state";
import { createUserAction, resetUserPasswordAction, setUserDisabledAction, setUserRoleAction } from "@/lib/data/users";

// Thin: each server action only adapts the form to a registered action; authorization, validation
// and audit happen in runAction.

export async function createUserFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(createUserAction, input);
  if (result.ok) revalidatePath("/admin/users");
  return toFormState(result, `User ${input.username ?? ""} created.`, input);
}

export async function setUserRoleFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(setUserRoleAction, input);
  if (result.ok) revalidatePath("/admin/users");
  return toFormState(result, `Role of ${input.username ?? ""} set to ${input.role ?? ""}.`);
}

export async function resetPasswordFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(resetUserPasswordAction, input);
  return toFormState(result, `Password of ${input.username ?? ""} reset.`);
}

export async function setUserDisabledFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(setUserDisabledAction, input);
  if (result.ok) revalidatePath("/admin/users");
  return toFormState(result, input.disabled === "true" ? `${input.username} disabled.` : `${input.username} enabled.`);
}
