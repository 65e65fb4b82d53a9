import { unstable_rethrow } from "next/navigation";
import type { ReactNode } from "react";
import { AppError } from "@/lib/errors";
import { LocalTime } from "./local-time";
import { RetryButton } from "./retry-button";

/** "as of 14:32" for a widget, with a stale marker and the refresh error when there is one. */
export function AsOf({
  asOfMs,
  stale,
  refreshError,
  timeZone,
}: {
  asOfMs: number;
  stale: boolean;
  refreshError?: string;
  timeZone?: string;
}) {
  return (
    <>
      <span className="text-xs text-muted" data-testid="as-of">
        as of <LocalTime ms={asOfMs} timeZone={timeZone} />
        {stale && !refreshError ? " · refreshing" : ""}
      </span>
      {refreshError ? (
        <div role="alert" className="mt-2 flex flex-wrap items-center gap-3 rounded-md border border-warn p-2 text-sm">
          <span>
            <strong>Showing the last good data.</strong> {refreshError}
          </span>
          <RetryButton />
        </div>
      ) : null}
    </>
  );
}

/** A widget whose data could not be loaded: the reason in plain words and a retry, never a stack trace. */
export function WidgetError({ title, error }: { title: string; error: unknown }) {
  // Next's own signals (dynamic rendering, redirects, notFound) are not failures: let them through.
  unstable_rethrow(error);
  const appError = AppError.from(error);
  if (appError.code === "INTERNAL") console.error(error);
  return (
    <div role="alert" className="card flex flex-wrap items-center justify-between gap-3 border-danger">
      <div>
        <h2 className="font-semibold">{title}</h2>
        <p className="mt-1 text-sm text-muted">{appError.userMessage}</p>
      </div>
      <RetryButton />
    </div>
  );
}

/** A note that the data is incomplete (and why). */
export function PartialNote({ notes }: { notes: string[] }): ReactNode {
  if (notes.length === 0) return null;
  return (
    <p className="mt-2 rounded-md bg-banner px-2 py-1 text-xs text-banner-fg" data-testid="partial-note">
      Partial data: {notes.join(" ")}
    </p>
  );
}

/** A skeleton of a widget while it streams in. */
export function WidgetSkeleton({ label, height = "h-40" }: { label: string; height?: string }) {
  return (
    <div aria-busy="true" className={`card animate-pulse ${height}`}>
      <span className="text-sm text-muted">Loading {label}…</span>
    </div>
  );
}
