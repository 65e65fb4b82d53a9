"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useState } from "react";
import { utcToZonedWallTime, zonedWallTimeToUtc } from "@/lib/domain/periods";

/**
 * A custom range in wall-clock time of the page's time zone (default the browser's), put in the URL
 * as UTC instants. The server judges it (reversed, too long, …) and says what is wrong.
 */
export function CustomRangeForm({ timeZone, from, to }: { timeZone?: string; from?: number; to?: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const id = useId();
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [start, setStart] = useState(from ? utcToZonedWallTime(from, zone) : "");
  const [end, setEnd] = useState(to ? utcToZonedWallTime(to, zone) : "");
  const [message, setMessage] = useState<string | null>(null);
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      aria-label="Custom time range"
      onSubmit={(event) => {
        event.preventDefault();
        const startMs = zonedWallTimeToUtc(start, zone);
        const endMs = zonedWallTimeToUtc(end, zone);
        if (startMs === undefined || endMs === undefined) {
          setMessage("Enter both a start and an end.");
          return;
        }
        setMessage(null);
        const next = new URLSearchParams(searchParams.toString());
        next.set("range", "custom");
        next.set("from", new Date(startMs).toISOString());
        next.set("to", new Date(endMs).toISOString());
        router.push(`${pathname}?${next.toString()}`, { scroll: false });
      }}
    >
      <div>
        <label className="label" htmlFor={`${id}-from`}>
          From
        </label>
        <input
          id={`${id}-from`}
          type="datetime-local"
          className="input w-auto"
          value={start}
          onChange={(event) => setStart(event.target.value)}
        />
      </div>
      <div>
        <label className="label" htmlFor={`${id}-to`}>
          To
        </label>
        <input
          id={`${id}-to`}
          type="datetime-local"
          className="input w-auto"
          value={end}
          onChange={(event) => setEnd(event.target.value)}
        />
      </div>
      <button type="submit" className="btn">
        Show range
      </button>
      {message ? (
        <p role="alert" className="field-error w-full">
          {message}
        </p>
      ) : null}
    </form>
  );
}
