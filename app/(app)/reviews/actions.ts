"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { runAction } from "@/lib/actions/define-action";
import { type FormState, formDataToObject, toFormState } from "@/lib/actions/form-state";
import { createReviewAction, refreshReviewSnapshotAction } from "@/lib/data/reviews";

// Thin: adapts the forms to registered actions (authorization, validation and audit in runAction).

export async function createReviewFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(createReviewAction, input);
  if (!result.ok) return toFormState(result, "", input);
  revalidatePath("/reviews");
  redirect(`/reviews/${result.data.id}`);
}

export async function refreshSnapshotFormAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = formDataToObject(formData);
  const result = await runAction(refreshReviewSnapshotAction, input);
  if (result.ok) revalidatePath(`/reviews/${input.id ?? ""}`);
  return toFormState(result, "Snapshot taken.", input);
}
