"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * A time in the chosen time zone (default: the browser's). The server does not know the browser's
 * zone, so it renders UTC and the browser re-renders in its own.
 */
export function LocalTime({ ms, timeZone, withDate = false }: { ms: number; timeZone?: string; withDate?: boolean }) {
  const browser = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const zone = timeZone ?? (browser ? undefined : "UTC");
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    ...(withDate ? { day: "numeric", month: "short", year: "numeric" } : {}),
    timeZoneName: "short",
  }).format(new Date(ms));
  return <time dateTime={new Date(ms).toISOString()}>{text}</time>;
}
