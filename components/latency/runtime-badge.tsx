import type { RuntimeStatus } from "@/lib/domain/runtimes";

/**
 * The runtime with a deprecated/deprecating badge and its date; `stacked` puts the date under the word
 * (narrow table columns), never breaking the date itself.
 */
export function RuntimeBadge({ status, stacked = false }: { status: RuntimeStatus; stacked?: boolean }) {
  const date = <span className={stacked ? "block whitespace-nowrap" : undefined}>{status.deprecatedOn}</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1" title={status.explanation}>
      <span className="whitespace-nowrap">{status.label}</span>
      {status.state === "deprecated" ? (
        <span
          className="whitespace-nowrap rounded border border-danger px-1 text-xs text-danger"
          data-testid="runtime-deprecated"
        >
          deprecated {date}
        </span>
      ) : status.state === "deprecating" ? (
        <span className="whitespace-nowrap rounded border border-warn px-1 text-xs text-warn">deprecates {date}</span>
      ) : null}
    </span>
  );
}
