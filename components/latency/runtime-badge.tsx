import type { RuntimeStatus } from "@/lib/domain/runtimes";

/** The runtime with a deprecated/deprecating badge and its date. */
export function RuntimeBadge({ status }: { status: RuntimeStatus }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1" title={status.explanation}>
      <span>{status.label}</span>
      {status.state === "deprecated" ? (
        <span
          className="whitespace-nowrap rounded border border-danger px-1 text-xs text-danger"
          data-testid="runtime-deprecated"
        >
          deprecated {status.deprecatedOn}
        </span>
      ) : status.state === "deprecating" ? (
        <span className="whitespace-nowrap rounded border border-warn px-1 text-xs text-warn">
          deprecates {status.deprecatedOn}
        </span>
      ) : null}
    </span>
  );
}
