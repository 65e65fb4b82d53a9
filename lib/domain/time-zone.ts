/**
 * Wall-clock parts and UTC offsets in IANA time zones, from the platform's Intl data: one cached
 * formatter per zone. Pure; used by the schedules, the periods and the charts' time axis (the sandbox
 * keeps its own on purpose, so that the app and the emulator do not share a bug).
 */

export interface WallClockParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string | undefined, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** The wall-clock parts of `utcMs` in `timeZone` (undefined: the runtime's own zone, e.g. the browser's). */
export function wallClockParts(utcMs: number, timeZone: string | undefined): WallClockParts {
  const parts = formatter(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "0";
  return {
    year: Number(get("year")),
    month: Number(get("month")),
    day: Number(get("day")),
    hour: Number(get("hour")),
    minute: Number(get("minute")),
    second: Number(get("second")),
    weekday: WEEKDAY_INDEX[get("weekday")] ?? -1,
  };
}

/** Offset (ms) of `timeZone` from UTC at the instant `utcMs`. */
export function zoneOffsetMs(utcMs: number, timeZone: string | undefined): number {
  const p = wallClockParts(utcMs, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(utcMs / 1000) * 1000;
}
