import "server-only";
import type { z } from "zod";
import { type PhoenixAction, runAction } from "@/lib/actions/define-action";
import { type FormState, formDataToObject, toFormState } from "@/lib/actions/form-state";
import { configurationChangeSchema, runtimeUpgradeSchema } from "@/lib/domain/memory-input";
import {
  applyTemplateSchema,
  deleteScheduledActionSchema,
  publishAndRepointSchema,
  removePcSchema,
  scheduledActionInputSchema,
  staticPcSchema,
} from "@/lib/domain/schedule-input";
import {
  applyConfigurationAction,
  applyScheduleTemplateAction,
  deleteScheduledActionAction,
  type PreviewDto,
  type PreviewResult,
  previewConfiguration,
  previewDeleteScheduledAction,
  previewPublishAndRepoint,
  previewRemovePc,
  previewRuntimeUpgrade,
  previewScheduledAction,
  previewStaticPc,
  previewTemplate,
  previewToken,
  publishAndRepointAction,
  putScheduledActionAction,
  removeProvisionedConcurrencyAction,
  setProvisionedConcurrencyAction,
  startRuntimeUpgradeAction,
} from "./controls";

/**
 * The two-step forms of the controls: "Preview" validates and shows what will change (no AWS
 * mutation, no audit row), "Confirm" runs the registered action — but only for exactly the input
 * that was previewed (the preview's token must match).
 */

export interface ControlFormState extends FormState {
  preview?: PreviewDto;
  jobId?: string;
}

interface ControlForm {
  // biome-ignore lint/suspicious/noExplicitAny: each form has its own schema and action
  schema: z.ZodType<any>;
  preview(raw: unknown): Promise<PreviewResult>;
  // biome-ignore lint/suspicious/noExplicitAny: each form has its own schema and action
  action: PhoenixAction<any, any>;
  success(input: Record<string, unknown>): string;
}

const forms = {
  "put-scheduled-action": {
    schema: scheduledActionInputSchema,
    preview: previewScheduledAction,
    action: putScheduledActionAction,
    success: (input) => `Scheduled action ${String(input.name)} saved.`,
  },
  "delete-scheduled-action": {
    schema: deleteScheduledActionSchema,
    preview: previewDeleteScheduledAction,
    action: deleteScheduledActionAction,
    success: (input) => `Scheduled action ${String(input.name)} deleted.`,
  },
  "apply-template": {
    schema: applyTemplateSchema,
    preview: previewTemplate,
    action: applyScheduleTemplateAction,
    success: () => "The meeting's schedule is applied.",
  },
  "set-pc": {
    schema: staticPcSchema,
    preview: previewStaticPc,
    action: setProvisionedConcurrencyAction,
    success: (input) => `Provisioned concurrency set to ${String(input.level)}; following it until READY.`,
  },
  "remove-pc": {
    schema: removePcSchema,
    preview: previewRemovePc,
    action: removeProvisionedConcurrencyAction,
    success: () => "Provisioned concurrency removed.",
  },
  "publish-and-repoint": {
    schema: publishAndRepointSchema,
    preview: previewPublishAndRepoint,
    action: publishAndRepointAction,
    success: (input) => `${String(input.alias)} now points to a published version.`,
  },
  configuration: {
    schema: configurationChangeSchema,
    preview: previewConfiguration,
    action: applyConfigurationAction,
    success: () => "Change accepted by Lambda; the job below follows it to the end.",
  },
  "runtime-upgrade": {
    schema: runtimeUpgradeSchema,
    preview: previewRuntimeUpgrade,
    action: startRuntimeUpgradeAction,
    success: () => "Upgrade started as a job.",
  },
} satisfies Record<string, ControlForm>;

export type ControlFormKind = keyof typeof forms;

/** The form's fields as the action's raw input (the bulk upgrade's checkboxes become a list). */
function inputOf(kind: ControlFormKind, formData: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = formDataToObject(formData);
  delete values.intent;
  delete values.previewToken;
  if (kind === "runtime-upgrade") {
    delete values.fn;
    values.functions = formData
      .getAll("fn")
      .filter((value): value is string => typeof value === "string")
      .map((value) => {
        const [name = "", revisionId = ""] = value.split("|");
        return { name, revisionId };
      });
  }
  if (kind === "put-scheduled-action") {
    const days = formData.getAll("days").filter((value): value is string => typeof value === "string");
    if (days.length > 0) values.days = days.join(",");
  }
  return values;
}

function keptValues(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

export async function handleControlForm(kind: ControlFormKind, formData: FormData): Promise<ControlFormState> {
  const form: ControlForm = forms[kind];
  const input = inputOf(kind, formData);
  const values = keptValues(input);
  if (formData.get("intent") !== "apply") {
    const result = await form.preview(input);
    if (!result.ok) {
      return {
        status: "error",
        message: result.message,
        ...(result.fieldErrors ? { fieldErrors: result.fieldErrors } : {}),
        values,
      };
    }
    return { status: "idle", preview: result.preview, values };
  }
  const parsed = form.schema.safeParse(input);
  if (parsed.success && previewToken(parsed.data) !== formData.get("previewToken")) {
    return { status: "error", message: "The form changed since the preview: preview again, then confirm.", values };
  }
  const result = await runAction(form.action, input);
  const state: ControlFormState = toFormState(result, form.success(input), keptValues(input));
  if (result.ok && result.data && typeof result.data === "object" && "jobId" in result.data) {
    state.jobId = String((result.data as { jobId: unknown }).jobId);
  }
  // A rejected confirm keeps the form as it was, so the person can reload or adjust.
  if (!result.ok) state.values = values;
  return state;
}
