"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useSyncExternalStore } from "react";

const commonZones = [
  "UTC",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "Europe/London",
  "Europe/Berlin",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Australia/Sydney",
];

const subscribe = () => () => undefined;

/** Chooses the time zone of every time on the page; the choice lives in the URL (`tz`). */
export function TimeZoneSelect({ value }: { value?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const id = useId();
  const browserZone = useSyncExternalStore(
    subscribe,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => "",
  );
  const zones = [...new Set([...(value ? [value] : []), ...commonZones])];
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="text-muted">
        Time zone
      </label>
      <select
        id={id}
        className="input w-auto"
        value={value ?? ""}
        onChange={(event) => {
          const next = new URLSearchParams(searchParams.toString());
          if (event.target.value) next.set("tz", event.target.value);
          else next.delete("tz");
          router.push(`${pathname}?${next.toString()}`, { scroll: false });
        }}
      >
        <option value="">Browser{browserZone ? ` (${browserZone})` : ""}</option>
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </select>
    </div>
  );
}
