"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import {
  type PreviewState,
  previewTuningFormAction,
  type StartState,
  startTuningFormAction,
} from "@/app/(app)/functions/[name]/power-tuning/actions";
import { FieldError, FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";
import { formatUsd } from "@/lib/domain/latency";

const DEFAULTS = {
  memoryValues: "128, 256, 512, 1024, 1536, 2048, 3008",
  invocations: "20",
  payload: "{}",
  strategy: "cost",
  balancedWeight: "0.5",
  trimFraction: "0.2",
};

/**
 * The run form, in two steps: "Review" validates and shows what will happen (invocations, cost,
 * side effects); "Start tuning" sends the same values with the confirmation.
 */
export function TuningForm({ functionName, aliases }: { functionName: string; aliases: string[] }) {
  const router = useRouter();
  const [values, setValues] = useState({
    ...DEFAULTS,
    qualifier: aliases.includes("live") ? "live" : "",
    weightedPayloads: false,
    parallel: false,
    coldStarts: false,
  });
  const [preview, previewAction, previewing] = useActionState<PreviewState, FormData>(
    previewTuningFormAction,
    idleFormState,
  );
  const [started, startAction, starting] = useActionState<StartState, FormData>(startTuningFormAction, idleFormState);
  // The values the last "Review" was for: editing any field afterwards asks for a new review.
  const reviewed = useRef<string | null>(null);
  const snapshot = JSON.stringify(values);

  useEffect(() => {
    if (started.status === "success" && started.jobId) router.refresh();
  }, [started, router]);

  const set = (key: keyof typeof values) => (event: { target: { value: string; checked?: boolean; type?: string } }) =>
    setValues((current) => ({
      ...current,
      [key]: event.target.type === "checkbox" ? Boolean(event.target.checked) : event.target.value,
    }));
  const errors = started.status === "error" && started.fieldErrors ? started : preview;
  const confirmed =
    preview.status === "success" && preview.preview && reviewed.current === snapshot ? preview.preview : null;

  return (
    <form className="card space-y-4" aria-label="Power tuning run">
      <input type="hidden" name="functionName" value={functionName} />
      <div className="grid gap-3 md:grid-cols-3">
        <div>
          <label className="label" htmlFor="tune-memory">
            Memory values (MB)
          </label>
          <input
            id="tune-memory"
            name="memoryValues"
            className="input"
            value={values.memoryValues}
            onChange={set("memoryValues")}
            aria-describedby="memoryValues-error"
          />
          <FieldError state={errors} name="memoryValues" />
        </div>
        <div>
          <label className="label" htmlFor="tune-invocations">
            Invocations per value
          </label>
          <input
            id="tune-invocations"
            name="invocations"
            className="input"
            inputMode="numeric"
            value={values.invocations}
            onChange={set("invocations")}
            aria-describedby="invocations-error"
          />
          <FieldError state={errors} name="invocations" />
        </div>
        <div>
          <label className="label" htmlFor="tune-qualifier">
            Result is for alias
          </label>
          <select
            id="tune-qualifier"
            name="qualifier"
            className="input"
            value={values.qualifier}
            onChange={set("qualifier")}
          >
            <option value="">— none ($LATEST only)</option>
            {aliases.map((alias) => (
              <option key={alias} value={alias}>
                {alias}
              </option>
            ))}
          </select>
          <FieldError state={errors} name="qualifier" />
        </div>
      </div>
      <div>
        <label className="label" htmlFor="tune-payload">
          Payload (JSON{values.weightedPayloads ? ': [{"payload": …, "weight": n}, …]' : ""})
        </label>
        <textarea
          id="tune-payload"
          name="payload"
          className="input font-mono text-xs"
          rows={3}
          value={values.payload}
          onChange={set("payload")}
          aria-describedby="payload-error"
        />
        <FieldError state={errors} name="payload" />
      </div>
      <div className="grid gap-3 md:grid-cols-4">
        <div>
          <label className="label" htmlFor="tune-strategy">
            Strategy
          </label>
          <select
            id="tune-strategy"
            name="strategy"
            className="input"
            value={values.strategy}
            onChange={set("strategy")}
          >
            <option value="cost">Cost (ties → faster)</option>
            <option value="speed">Speed (ties → cheaper)</option>
            <option value="balanced">Balanced</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="tune-weight">
            Balanced weight (0 speed – 1 cost)
          </label>
          <input
            id="tune-weight"
            name="balancedWeight"
            className="input"
            value={values.balancedWeight}
            onChange={set("balancedWeight")}
            aria-describedby="balancedWeight-error"
          />
          <FieldError state={errors} name="balancedWeight" />
        </div>
        <div>
          <label className="label" htmlFor="tune-trim">
            Trimmed fraction each side
          </label>
          <input
            id="tune-trim"
            name="trimFraction"
            className="input"
            value={values.trimFraction}
            onChange={set("trimFraction")}
            aria-describedby="trimFraction-error"
          />
          <FieldError state={errors} name="trimFraction" />
        </div>
        <fieldset className="space-y-1 text-sm">
          <legend className="label">Options</legend>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              name="weightedPayloads"
              checked={values.weightedPayloads}
              onChange={set("weightedPayloads")}
            />
            Weighted payloads
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="parallel" checked={values.parallel} onChange={set("parallel")} />
            Parallel invocations
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="coldStarts" checked={values.coldStarts} onChange={set("coldStarts")} />
            Cold starts only (a fresh version per invocation)
          </label>
        </fieldset>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          className="btn"
          formAction={previewAction}
          disabled={previewing}
          onClick={() => {
            reviewed.current = snapshot;
          }}
        >
          {previewing ? "Checking…" : "Review run"}
        </button>
      </div>
      <FormMessage state={preview.status === "error" ? preview : idleFormState} />
      {confirmed ? (
        <section className="rounded-lg border border-warn p-3 text-sm" aria-label="Confirm the run">
          <p className="font-semibold">
            {confirmed.estimate.invocations.toLocaleString("en-US")} invocations of {confirmed.request.functionName} (
            {confirmed.request.memoryValues.length} memory values × {confirmed.request.invocations}
            {confirmed.request.coldStarts ? ", every one cold" : ""})
          </p>
          <p>
            Estimated cost:{" "}
            {confirmed.estimate.typicalUsd !== null
              ? `about ${formatUsd(confirmed.estimate.typicalUsd)} (from the last run), `
              : ""}
            at most {formatUsd(confirmed.estimate.maxUsd)} if every invocation runs to the {confirmed.timeoutSeconds} s
            timeout ({confirmed.architecture}); requests {formatUsd(confirmed.estimate.requestsUsd)} of it. About{" "}
            {confirmed.controlCalls} control-plane calls besides.
          </p>
          <p className="mt-2 text-warn">
            These invocations run the real function with the payload above — every side effect it has (writes, messages,
            calls to other services) happens {confirmed.estimate.invocations} times. $LATEST memory changes during the
            run and is restored at the end.
          </p>
          <input type="hidden" name="confirm" value="true" />
          <button
            type="submit"
            className="btn btn-primary mt-3"
            formAction={startAction}
            disabled={starting || started.status === "success"}
          >
            {starting ? "Starting…" : "Start tuning"}
          </button>
        </section>
      ) : null}
      <FormMessage state={started} />
    </form>
  );
}
