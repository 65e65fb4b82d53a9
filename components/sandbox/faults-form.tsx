"use client";

import { useActionState } from "react";
import { setSandboxFaultsFormAction } from "@/app/(app)/admin/sandbox/actions";
import { FieldError, FormMessage } from "@/components/form-message";
import { idleFormState } from "@/lib/actions/form-state";

export interface FaultValues {
  throttleRate: number;
  errorRate: number;
  addedLatencyMs: number;
  stuckUpdates: boolean;
  logsQueryFailure: "none" | "failed" | "timeout";
}

export function FaultsForm({ current }: { current: FaultValues }) {
  const [state, action, pending] = useActionState(setSandboxFaultsFormAction, idleFormState);
  const value = (name: keyof FaultValues) => state.values?.[name] ?? String(current[name]);
  return (
    <form action={action} className="grid gap-3 md:grid-cols-6" aria-label="Sandbox faults">
      <div>
        <label className="label" htmlFor="throttleRate">
          Throttled share (0–1)
        </label>
        <input
          id="throttleRate"
          name="throttleRate"
          className="input"
          inputMode="decimal"
          defaultValue={value("throttleRate")}
        />
        <FieldError state={state} name="throttleRate" />
      </div>
      <div>
        <label className="label" htmlFor="errorRate">
          5xx share (0–1)
        </label>
        <input
          id="errorRate"
          name="errorRate"
          className="input"
          inputMode="decimal"
          defaultValue={value("errorRate")}
        />
        <FieldError state={state} name="errorRate" />
      </div>
      <div>
        <label className="label" htmlFor="addedLatencyMs">
          Added latency (ms)
        </label>
        <input
          id="addedLatencyMs"
          name="addedLatencyMs"
          className="input"
          inputMode="numeric"
          defaultValue={value("addedLatencyMs")}
        />
        <FieldError state={state} name="addedLatencyMs" />
      </div>
      <div>
        <label className="label" htmlFor="logsQueryFailure">
          Logs Insights queries end
        </label>
        <select
          id="logsQueryFailure"
          name="logsQueryFailure"
          className="input"
          defaultValue={value("logsQueryFailure")}
        >
          <option value="none">Complete (normal)</option>
          <option value="failed">Failed</option>
          <option value="timeout">Timed out</option>
        </select>
        <FieldError state={state} name="logsQueryFailure" />
      </div>
      <div className="flex items-end gap-2 pb-2">
        <input
          id="stuckUpdates"
          name="stuckUpdates"
          type="checkbox"
          value="true"
          defaultChecked={value("stuckUpdates") === "true"}
        />
        <label htmlFor="stuckUpdates" className="text-sm">
          Configuration updates stay in progress
        </label>
      </div>
      <div className="flex items-end">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          Save faults
        </button>
      </div>
      <div className="md:col-span-6">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
