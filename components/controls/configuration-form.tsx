"use client";

import { useActionState, useState } from "react";
import { configurationFormAction } from "@/app/(app)/functions/[name]/configuration/actions";
import { FieldError } from "@/components/form-message";
import type { ConfigurationViewDto } from "@/lib/data/controls";
import type { ControlFormState } from "@/lib/data/controls-forms";
import { costPerMillion, formatDollars } from "@/lib/domain/cost";
import { cpuShare, estimateMemory, MAX_MEMORY_MB, MIN_MEMORY_MB } from "@/lib/domain/memory";
import { PreviewPanel } from "./preview-panel";

const idle: ControlFormState = { status: "idle" };

/** Memory (slider + exact input, with the CPU share and cost per million it buys) and runtime. */
export function ConfigurationForm({ view }: { view: ConfigurationViewDto }) {
  const [state, action, pending] = useActionState(configurationFormAction, idle);
  const values = state.values ?? {};
  const [memory, setMemory] = useState(values.memoryMb ?? String(view.memoryMb));
  const [alias, setAlias] = useState(values.alias ?? view.defaultAlias ?? "");
  const aliasRevision = view.aliases.find((candidate) => candidate.name === alias)?.revisionId ?? "";
  const memoryNumber = Number(memory);
  const valid = Number.isInteger(memoryNumber) && memoryNumber >= MIN_MEMORY_MB && memoryNumber <= MAX_MEMORY_MB;
  const estimate =
    valid && view.averageDurationMs
      ? estimateMemory({
          currentMemoryMb: view.memoryMb,
          currentDurationMs: view.averageDurationMs,
          memoryMb: memoryNumber,
          architecture: view.architecture,
        })
      : null;
  return (
    <form action={action} className="card space-y-4" aria-label="Change memory and runtime">
      <input type="hidden" name="functionName" value={view.functionName} />
      <input type="hidden" name="revisionId" value={view.revisionId} />
      <input type="hidden" name="aliasRevisionId" value={aliasRevision} />
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <label className="label" htmlFor="memory-exact">
            Memory (MB, 128–10,240)
          </label>
          <div className="flex items-center gap-3">
            <input
              aria-label="Memory slider"
              type="range"
              min={MIN_MEMORY_MB}
              max={MAX_MEMORY_MB}
              step={64}
              value={valid ? memoryNumber : view.memoryMb}
              onChange={(event) => setMemory(event.target.value)}
              className="flex-1"
            />
            <input
              id="memory-exact"
              name="memoryMb"
              className="input w-28"
              inputMode="numeric"
              value={memory}
              onChange={(event) => setMemory(event.target.value)}
            />
          </div>
          <FieldError state={state} name="memoryMb" />
          <p className="mt-1 text-xs text-muted" data-testid="cpu-share">
            {valid
              ? `${cpuShare(memoryNumber).toFixed(2)} vCPU of CPU credit (1 vCPU at 1,769 MB)`
              : "Enter 128–10,240 MB in whole megabytes"}
          </p>
          {estimate && view.averageDurationMs ? (
            <p className="text-xs text-muted">
              Per million invocations:{" "}
              {formatDollars(costPerMillion(view.memoryMb, view.averageDurationMs, view.architecture))} now →{" "}
              {formatDollars(estimate.costPerMillionIfComputeBound)}–{formatDollars(estimate.costPerMillionIfUnchanged)}{" "}
              (average {Math.round(view.averageDurationMs)} ms over 14 days)
            </p>
          ) : null}
        </div>
        <div>
          <label className="label" htmlFor="runtime">
            Runtime
          </label>
          <select
            id="runtime"
            name="runtime"
            className="input"
            defaultValue={values.runtime ?? view.runtime}
            key={values.runtime ?? view.runtime}
          >
            {view.runtimes.map((runtime) => (
              <option
                key={runtime.id}
                value={runtime.id}
                disabled={runtime.blocked && runtime.id !== view.runtime}
                title={runtime.explanation}
              >
                {runtime.label} ({runtime.id})
                {runtime.state === "deprecated"
                  ? " — deprecated"
                  : runtime.state === "deprecating"
                    ? " — deprecating"
                    : ""}
                {runtime.snapStart ? " · SnapStart" : ""}
                {runtime.blocked ? " · updates blocked" : ""}
              </option>
            ))}
          </select>
          <FieldError state={state} name="runtime" />
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-4 text-sm">
        <div>
          <label className="label" htmlFor="alias">
            Alias to move
          </label>
          <select
            id="alias"
            name="alias"
            className="input"
            value={alias}
            onChange={(event) => setAlias(event.target.value)}
          >
            <option value="">(none)</option>
            {view.aliases.map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {candidate.name} → version {candidate.version}
                {candidate.pc ? ` (PC: ${candidate.pc})` : ""}
              </option>
            ))}
          </select>
          <FieldError state={state} name="alias" />
        </div>
        <label className="flex items-center gap-2">
          <input type="hidden" name="publishAndMove" value="false" />
          <input
            type="checkbox"
            name="publishAndMove"
            value="true"
            defaultChecked={values.publishAndMove !== "false" && Boolean(view.defaultAlias)}
          />
          Publish a version and move the alias (so the alias with provisioned concurrency gets the change)
        </label>
        <button type="submit" name="intent" value="preview" className="btn" disabled={pending}>
          {pending ? "Checking…" : "Preview"}
        </button>
      </div>
      <PreviewPanel state={state} pending={pending} />
    </form>
  );
}
