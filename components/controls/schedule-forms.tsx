"use client";

import { useActionState, useState } from "react";
import {
  deleteScheduledActionFormAction,
  publishAndRepointFormAction,
  removePcFormAction,
  scheduledActionFormAction,
  setPcFormAction,
  templateFormAction,
} from "@/app/(app)/functions/[name]/concurrency/actions";
import { FieldError } from "@/components/form-message";
import type { ControlFormState } from "@/lib/data/controls-forms";
import { PreviewPanel } from "./preview-panel";

const idle: ControlFormState = { status: "idle" };
const DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"] as const;

function Target({ functionName, alias }: { functionName: string; alias: string }) {
  return (
    <>
      <input type="hidden" name="functionName" value={functionName} />
      <input type="hidden" name="alias" value={alias} />
    </>
  );
}

function PreviewButton({ pending, label = "Preview" }: { pending: boolean; label?: string }) {
  return (
    <button type="submit" name="intent" value="preview" className="btn" disabled={pending}>
      {pending ? "Checking…" : label}
    </button>
  );
}

export interface ActionDefaults {
  name: string;
  expression: string;
  timeZone: string;
  minCapacity: string;
  maxCapacity: string;
  days: string[];
  time: string;
  fingerprint?: string;
}

/** Create or edit a scheduled action: a builder (days, time) or a raw expression. */
export function ScheduledActionForm({
  functionName,
  alias,
  defaults,
  intent,
}: {
  functionName: string;
  alias: string;
  defaults: ActionDefaults;
  intent: "create" | "edit";
}) {
  const [state, action, pending] = useActionState(scheduledActionFormAction, idle);
  const values = state.values ?? {};
  const [mode, setMode] = useState<"builder" | "raw">(
    (values.mode as "builder" | "raw") ?? (defaults.days.length > 0 ? "builder" : "raw"),
  );
  const chosenDays = values.days ? values.days.split(",") : defaults.days;
  const id = (field: string) => `${intent}-${defaults.name || "new"}-${field}`;
  return (
    <form
      action={action}
      className="space-y-3"
      aria-label={intent === "create" ? "New scheduled action" : `Edit ${defaults.name}`}
    >
      <Target functionName={functionName} alias={alias} />
      <input type="hidden" name="mode" value={mode} />
      <input type="hidden" name="operation" value={intent} />
      {intent === "edit" ? <input type="hidden" name="expectedFingerprint" value={defaults.fingerprint} /> : null}
      <div className="grid gap-3 md:grid-cols-4">
        <div>
          <label className="label" htmlFor={id("name")}>
            Name
          </label>
          {intent === "edit" ? (
            <input id={id("name")} name="name" className="input" readOnly value={defaults.name} />
          ) : (
            <input id={id("name")} name="name" className="input" defaultValue={values.name ?? defaults.name} />
          )}
          <FieldError state={state} name="name" />
        </div>
        <div>
          <label className="label" htmlFor={id("tz")}>
            Time zone
          </label>
          <input id={id("tz")} name="timeZone" className="input" defaultValue={values.timeZone ?? defaults.timeZone} />
          <FieldError state={state} name="timeZone" />
        </div>
        <div>
          <label className="label" htmlFor={id("min")}>
            Min capacity
          </label>
          <input
            id={id("min")}
            name="minCapacity"
            inputMode="numeric"
            className="input"
            defaultValue={values.minCapacity ?? defaults.minCapacity}
          />
          <FieldError state={state} name="minCapacity" />
        </div>
        <div>
          <label className="label" htmlFor={id("max")}>
            Max capacity
          </label>
          <input
            id={id("max")}
            name="maxCapacity"
            inputMode="numeric"
            className="input"
            defaultValue={values.maxCapacity ?? defaults.maxCapacity}
          />
          <FieldError state={state} name="maxCapacity" />
        </div>
      </div>
      <fieldset className="space-y-2">
        <legend className="label">Schedule</legend>
        <div className="flex gap-4 text-sm">
          <label>
            <input type="radio" checked={mode === "builder"} onChange={() => setMode("builder")} /> Builder
          </label>
          <label>
            <input type="radio" checked={mode === "raw"} onChange={() => setMode("raw")} /> Raw expression
          </label>
        </div>
        {mode === "builder" ? (
          <div className="flex flex-wrap items-end gap-3">
            <div className="flex flex-wrap gap-2 text-sm">
              {DAYS.map((day) => (
                <label key={day} className="flex items-center gap-1">
                  <input type="checkbox" name="days" value={day} defaultChecked={chosenDays.includes(day)} />
                  {day}
                </label>
              ))}
            </div>
            <div>
              <label className="label" htmlFor={id("time")}>
                Time
              </label>
              <input
                id={id("time")}
                name="time"
                type="time"
                className="input"
                defaultValue={values.time ?? defaults.time}
              />
            </div>
            <FieldError state={state} name="days" />
            <FieldError state={state} name="time" />
          </div>
        ) : (
          <div>
            <label className="label" htmlFor={id("expression")}>
              cron(…) with six fields, rate(…) or at(…)
            </label>
            <input
              id={id("expression")}
              name="expression"
              className="input font-mono"
              placeholder="cron(0 7 ? * MON-FRI *)"
              defaultValue={values.expression ?? defaults.expression}
            />
            <FieldError state={state} name="expression" />
          </div>
        )}
      </fieldset>
      <div className="flex gap-2">
        <PreviewButton pending={pending} />
      </div>
      <PreviewPanel state={state} pending={pending} />
    </form>
  );
}

export function DeleteActionForm({
  functionName,
  alias,
  name,
  fingerprint,
}: {
  functionName: string;
  alias: string;
  name: string;
  fingerprint: string;
}) {
  const [state, action, pending] = useActionState(deleteScheduledActionFormAction, idle);
  return (
    <form action={action} aria-label={`Delete ${name}`}>
      <Target functionName={functionName} alias={alias} />
      <input type="hidden" name="name" value={name} />
      <input type="hidden" name="expectedFingerprint" value={fingerprint} />
      <PreviewButton pending={pending} label="Delete…" />
      <PreviewPanel state={state} pending={pending} confirmLabel="Confirm delete" />
    </form>
  );
}

export function TemplateForm({
  functionName,
  alias,
  weekendCapacity,
}: {
  functionName: string;
  alias: string;
  weekendCapacity: number;
}) {
  const [state, action, pending] = useActionState(templateFormAction, idle);
  return (
    <form action={action} className="space-y-3" aria-label="Apply the meeting's schedule">
      <Target functionName={functionName} alias={alias} />
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <div>
          <label className="label" htmlFor="template-stage">
            Stage
          </label>
          <select id="template-stage" name="stage" className="input" defaultValue={state.values?.stage ?? "production"}>
            <option value="production">production</option>
            <option value="staging">staging</option>
          </select>
        </div>
        <fieldset>
          <legend className="label">Weekends</legend>
          <label className="mr-3">
            <input
              type="radio"
              name="weekendZero"
              value="false"
              defaultChecked={state.values?.weekendZero !== "true"}
            />{" "}
            {weekendCapacity} (as configured)
          </label>
          <label>
            <input type="radio" name="weekendZero" value="true" defaultChecked={state.values?.weekendZero === "true"} />{" "}
            0
          </label>
        </fieldset>
        <PreviewButton pending={pending} label="Preview the template" />
      </div>
      <p className="text-xs text-muted">
        Provisioned concurrency itself cannot be 0 (PutProvisionedConcurrencyConfig needs at least 1): “0 on weekends”
        is a scheduled capacity of 0 through Application Auto Scaling, which removes the PC config until Monday’s
        action.
      </p>
      <PreviewPanel state={state} pending={pending} confirmLabel="Apply the template" />
    </form>
  );
}

export function StaticPcForm({
  functionName,
  alias,
  aliasRevisionId,
  current,
}: {
  functionName: string;
  alias: string;
  aliasRevisionId: string;
  current: number;
}) {
  const [state, action, pending] = useActionState(setPcFormAction, idle);
  return (
    <form action={action} className="space-y-2" aria-label="Set provisioned concurrency now">
      <Target functionName={functionName} alias={alias} />
      <input type="hidden" name="aliasRevisionId" value={aliasRevisionId} />
      <div className="flex items-end gap-2">
        <div>
          <label className="label" htmlFor="static-level">
            Provisioned concurrency (≥ 1)
          </label>
          <input
            id="static-level"
            name="level"
            inputMode="numeric"
            className="input"
            defaultValue={state.values?.level ?? String(current || 5)}
          />
        </div>
        <PreviewButton pending={pending} />
      </div>
      <FieldError state={state} name="level" />
      <PreviewPanel state={state} pending={pending} />
    </form>
  );
}

export function RemovePcForm({
  functionName,
  alias,
  aliasRevisionId,
}: {
  functionName: string;
  alias: string;
  aliasRevisionId: string;
}) {
  const [state, action, pending] = useActionState(removePcFormAction, idle);
  return (
    <form action={action} className="space-y-2" aria-label="Remove provisioned concurrency">
      <Target functionName={functionName} alias={alias} />
      <input type="hidden" name="aliasRevisionId" value={aliasRevisionId} />
      <PreviewButton pending={pending} label="Remove…" />
      <PreviewPanel state={state} pending={pending} confirmLabel="Confirm removal" />
    </form>
  );
}

/** The $LATEST guard rail's offer: publish $LATEST and repoint the alias, previewed then confirmed. */
export function PublishAndRepointForm({
  functionName,
  alias,
  revisionId,
  aliasRevisionId,
}: {
  functionName: string;
  alias: string;
  revisionId: string;
  aliasRevisionId: string;
}) {
  const [state, action, pending] = useActionState(publishAndRepointFormAction, idle);
  return (
    <form action={action} className="space-y-2" aria-label="Publish a version and repoint the alias">
      <Target functionName={functionName} alias={alias} />
      <input type="hidden" name="revisionId" value={revisionId} />
      <input type="hidden" name="aliasRevisionId" value={aliasRevisionId} />
      <PreviewButton pending={pending} label="Publish and repoint…" />
      <PreviewPanel state={state} pending={pending} confirmLabel="Confirm: publish and repoint" />
    </form>
  );
}
