"use client";

import { useActionState, useState } from "react";
import { runtimeUpgradeFormAction } from "@/app/(app)/runtime-upgrade/actions";
import { FieldError } from "@/components/form-message";
import type { ConfigurationViewDto, UpgradeCandidateDto } from "@/lib/data/controls";
import type { ControlFormState } from "@/lib/data/controls-forms";
import { PreviewPanel } from "./preview-panel";

const idle: ControlFormState = { status: "idle" };

/** Select the functions on a runtime, pick a target, choose continue/stop on failure. */
export function RuntimeUpgradeForm({
  functions,
  runtimes,
  defaultFrom,
  defaultTarget,
}: {
  functions: UpgradeCandidateDto[];
  runtimes: ConfigurationViewDto["runtimes"];
  defaultFrom: string;
  defaultTarget: string;
}) {
  const [state, action, pending] = useActionState(runtimeUpgradeFormAction, idle);
  const [from, setFrom] = useState(state.values?.fromRuntime ?? defaultFrom);
  const sources = [...new Set(functions.map((fn) => fn.runtime))].sort();
  const candidates = functions.filter((fn) => fn.runtime === from);
  return (
    <form action={action} className="card space-y-4" aria-label="Bulk runtime upgrade">
      <div className="flex flex-wrap items-end gap-4 text-sm">
        <div>
          <label className="label" htmlFor="from-runtime">
            Functions on
          </label>
          <select
            id="from-runtime"
            name="fromRuntime"
            className="input"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
          >
            {sources.map((runtime) => (
              <option key={runtime} value={runtime}>
                {runtime}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="target-runtime">
            Upgrade to
          </label>
          <select
            id="target-runtime"
            name="targetRuntime"
            className="input"
            defaultValue={state.values?.targetRuntime ?? defaultTarget}
          >
            {runtimes
              .filter((runtime) => !runtime.blocked && runtime.state !== "deprecated")
              .map((runtime) => (
                <option key={runtime.id} value={runtime.id} title={runtime.explanation}>
                  {runtime.label} ({runtime.id}){runtime.snapStart ? " · SnapStart" : ""}
                </option>
              ))}
          </select>
          <FieldError state={state} name="targetRuntime" />
        </div>
        <fieldset>
          <legend className="label">On a failure</legend>
          <label className="mr-3">
            <input type="radio" name="onFailure" value="stop" defaultChecked={state.values?.onFailure !== "continue"} />{" "}
            stop
          </label>
          <label>
            <input
              type="radio"
              name="onFailure"
              value="continue"
              defaultChecked={state.values?.onFailure === "continue"}
            />{" "}
            continue
          </label>
        </fieldset>
        <label className="flex items-center gap-2">
          <input type="hidden" name="publishAndMove" value="false" />
          <input type="checkbox" name="publishAndMove" value="true" defaultChecked /> publish and move aliases
        </label>
      </div>
      <table className="table text-sm" data-testid="upgrade-candidates">
        <thead>
          <tr>
            <th scope="col">Upgrade</th>
            <th scope="col">Function</th>
            <th scope="col">Runtime</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {candidates.map((fn) => (
            <tr key={fn.name}>
              <td>
                <input
                  type="checkbox"
                  name="fn"
                  value={`${fn.name}|${fn.revisionId}`}
                  defaultChecked
                  aria-label={`Upgrade ${fn.name}`}
                />
              </td>
              <td>{fn.name}</td>
              <td>{fn.runtime}</td>
              <td className={fn.state === "deprecated" ? "text-danger" : fn.state === "deprecating" ? "text-warn" : ""}>
                {fn.explanation}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FieldError state={state} name="functions" />
      <button type="submit" name="intent" value="preview" className="btn" disabled={pending}>
        {pending ? "Checking…" : "Preview the upgrade"}
      </button>
      <PreviewPanel state={state} pending={pending} confirmLabel="Start the upgrade" />
    </form>
  );
}
