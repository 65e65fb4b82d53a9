/**
 * IANA time-zone arithmetic with nothing but `Intl`: the simulator needs the local hour and weekday of
 * every simulated minute, and the scheduled-action engine needs "09:00 on weekdays in Europe/Berlin"
 * as a UTC instant, across daylight-saving changes.
 */

export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  hour: number; // 0-23
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday … 6 = Saturday
}

const formatterByZone = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatterByZone.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatterByZone.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset (local − UTC, in ms) of `timeZone` at the instant `utcMs`. */
const offsetCache = new Map<string, number>();
export function timeZoneOffsetMs(utcMs: number, timeZone: string): number {
  // Offsets only change on quarter-hour boundaries in practice; caching per quarter hour keeps the
  // simulator's per-minute loop away from Intl.
  const quarter = Math.floor(utcMs / 900_000);
  const key = `${timeZone}|${quarter}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const parts = rawParts(quarter * 900_000, timeZone);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = asUtc - quarter * 900_000;
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

function rawParts(utcMs: number, timeZone: string): ZonedParts {
  const values: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) values[part.type] = part.value;
  return {
    year: Number(values.year),
    month: Number(values.month),
    day: Number(values.day),
    hour: Number(values.hour),
    minute: Number(values.minute),
    second: Number(values.second),
    weekday: WEEKDAY_INDEX[values.weekday ?? "Sun"] ?? 0,
  };
}

/** Local calendar fields of `utcMs` in `timeZone`. */
export function zonedParts(utcMs: number, timeZone: string): ZonedParts {
  const local = new Date(utcMs + timeZoneOffsetMs(utcMs, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: local.getUTCDay(),
  };
}

/**
 * The UTC instant of a local wall-clock time. For a time skipped by a spring-forward change the result
 * is shifted forward by the gap; for a repeated time the first occurrence wins (both as AWS schedulers do).
 */
export function zonedTimeToUtc(
  fields: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  timeZone: string,
): number {
  const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second ?? 0);
  const firstGuess = wall - timeZoneOffsetMs(wall, timeZone);
  const secondGuess = wall - timeZoneOffsetMs(firstGuess, timeZone);
  if (firstGuess === secondGuess) return firstGuess;
  return Math.min(firstGuess, secondGuess);
}
