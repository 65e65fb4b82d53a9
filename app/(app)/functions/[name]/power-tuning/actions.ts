"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/define-action";
import { type FormState, formDataToObject, toFormState } from "@/lib/actions/form-state";
import {
  applyPowerTuningAction,
  previewPowerTuning,
  startPowerTuningAction,
  type TuningPreview,
} from "@/lib/data/power-tuning";
import { AppError } from "@/lib/errors";

// Thin: each server action adapts a form to the data layer; validation, authorization and audit
// happen there (runAction for the mutations, requireRole for the preview).

export interface PreviewState extends FormState {
  preview?: TuningPreview;
}

export interface StartState extends FormState {
  jobId?: string;
  runId?: string;
}

function pagePath(functionName: string | undefined): string {
  return `/functions/${encodeURIComponent(functionName ?? "")}/power-tuning`;
}

export async function previewTuningFormAction(_previous: PreviewState, formData: FormData): Promise<PreviewState> {
  const input = formDataToObject(formData);
  try {
    const result = await previewPowerTuning(input);
    if (result.ok) return { status: "success", preview: result.preview };
    return {
      status: "error",
      message: result.message,
      ...(result.fieldErrors ? { fieldErrors: result.fieldErrors } : {}),
    };
  } catch (error) {
    return { status: "error", message: AppError.from(error).userMessage };
  }
}

export async function startTuningFormAction(_previous: StartState, formData: FormData): Promise<StartState> {
  const input = formDataToObject(formData);
  const result = await runAction(startPowerTuningAction, input);
  if (!result.ok) return toFormState(result, "");
  revalidatePath(pagePath(input.functionName));
  return {
    status: "success",
    message: `Tuning started: ${result.data.invocations} invocations.`,
    jobId: result.data.jobId,
    runId: result.data.runId,
  };
}

export async function applyTuningFormAction(_previous: StartState, formData: FormData): Promise<StartState> {
  const input = formDataToObject(formData);
  const result = await runAction(applyPowerTuningAction, input);
  if (!result.ok) return toFormState(result, "");
  revalidatePath(pagePath(input.functionName));
  return {
    status: "success",
    message: `Applying ${result.data.memoryMb} MB${result.data.alias ? ` and moving ${result.data.alias}` : ""}: follow the job below.`,
    jobId: result.data.jobId,
  };
}
