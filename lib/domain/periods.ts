import { zoneOffsetMs } from "./time-zone";

/**
 * Time ranges and CloudWatch periods. A period must suit the age of the data (CloudWatch keeps
 * 1-minute data 15 days, 5-minute data 63 days, 1-hour data 455 days; a period that does not match
 * the age of StartTime returns no points, silently) and keep each series under ~1,500 points
 * (AWS_BEHAVIOUR.md §2.1, DESIGN.md §5).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const RANGE_PRESETS = {
  "1h": HOUR_MS,
  "3h": 3 * HOUR_MS,
  "12h": 12 * HOUR_MS,
  "24h": DAY_MS,
  "7d": 7 * DAY_MS,
  "14d": 14 * DAY_MS,
  "30d": 30 * DAY_MS,
  "90d": 90 * DAY_MS,
} as const;

export type RangePreset = keyof typeof RANGE_PRESETS;
export const rangePresetNames = Object.keys(RANGE_PRESETS) as RangePreset[];

export function isRangePreset(value: unknown): value is RangePreset {
  return typeof value === "string" && Object.hasOwn(RANGE_PRESETS, value);
}

/** Points per series we aim for at most: readable charts, and 70 series fit the 100,800-point call limit. */
export const MAX_POINTS_PER_SERIES = 1_440;
/** CloudWatch's oldest data (1-hour resolution). */
export const RETENTION_MS = 455 * DAY_MS;
/** The longest custom range: the longest preset. */
export const MAX_RANGE_MS = RANGE_PRESETS["90d"];
export const MIN_RANGE_MS = 5 * MINUTE_MS;

/** Periods Phoenix uses (seconds): each a multiple of the ones that must divide it. */
const NICE_PERIODS = [60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400] as const;

/** The finest period CloudWatch still has for data that starts `ageMs` ago. */
export function finestPeriodForAge(ageMs: number): 60 | 300 | 3_600 {
  if (ageMs > 63 * DAY_MS) return 3_600;
  if (ageMs > 15 * DAY_MS) return 300;
  return 60;
}

/**
 * The period (seconds) for a chart of [startMs, endMs): the finest one that the data's age allows
 * and that keeps the series at or under `maxPoints`.
 */
export function choosePeriodSeconds(startMs: number, endMs: number, nowMs: number, maxPoints = MAX_POINTS_PER_SERIES) {
  const finest = finestPeriodForAge(nowMs - startMs);
  const spanSeconds = Math.max(60, (endMs - startMs) / 1000);
  for (const period of NICE_PERIODS) {
    if (period % finest !== 0) continue;
    if (spanSeconds / period <= maxPoints) return period;
  }
  // Longer than any preset: whole days, as many as needed.
  return Math.ceil(spanSeconds / maxPoints / 86_400) * 86_400;
}

export interface TimeWindow {
  /** The preset, or "custom". */
  range: RangePreset | "custom";
  startMs: number;
  endMs: number;
  periodSeconds: number;
}

export type WindowSelection = { range: RangePreset } | { range: "custom"; from: string; to: string };

export type WindowResult = { ok: true; window: TimeWindow } | { ok: false; message: string };

/** Minutes still being written are left out: CloudWatch's last minute is incomplete. */
export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * Turns a preset or a custom range into a window with its period, or a message a person
 * understands (reversed, too short, too long, beyond retention, unreadable dates).
 */
export function resolveWindow(selection: WindowSelection, nowMs: number): WindowResult {
  const endOfData = floorToMinute(nowMs);
  if (selection.range !== "custom") {
    return {
      ok: true,
      window: alignedWindow(selection.range, endOfData - RANGE_PRESETS[selection.range], endOfData, nowMs),
    };
  }
  const from = Date.parse(selection.from);
  const to = Date.parse(selection.to);
  if (Number.isNaN(from) || Number.isNaN(to)) {
    return { ok: false, message: "The custom range needs a start and an end date and time." };
  }
  if (from >= to) return { ok: false, message: "The start of the custom range must be before its end." };
  const startMs = floorToMinute(from);
  const endMs = Math.min(floorToMinute(to), endOfData);
  if (startMs >= endOfData)
    return { ok: false, message: "The custom range starts in the future: there is no data yet." };
  if (endMs - startMs < MIN_RANGE_MS) return { ok: false, message: "The custom range must cover at least 5 minutes." };
  if (endMs - startMs > MAX_RANGE_MS) return { ok: false, message: "The custom range can cover at most 90 days." };
  if (nowMs - startMs > RETENTION_MS) {
    return { ok: false, message: "CloudWatch keeps metrics for 455 days; the custom range starts before that." };
  }
  return { ok: true, window: alignedWindow("custom", startMs, endMs, nowMs) };
}

/**
 * Starts the window on a multiple of its period, so CloudWatch's periods (counted from StartTime)
 * and Logs Insights' bins (counted from the epoch) are the same buckets on one time axis.
 */
function alignedWindow(range: RangePreset | "custom", startMs: number, endMs: number, nowMs: number): TimeWindow {
  const periodSeconds = choosePeriodSeconds(startMs, endMs, nowMs);
  const periodMs = periodSeconds * 1000;
  return { range, startMs: Math.floor(startMs / periodMs) * periodMs, endMs, periodSeconds };
}

/** "1 min", "10 min", "1 h", "1 day" — for the period shown beside a chart. */
export function describePeriod(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? "1 day" : `${seconds / 86_400} days`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant of a wall-clock time (`YYYY-MM-DDTHH:mm`, as a datetime-local input gives it) in
 * `timeZone`. Two passes settle the offset across a DST change.
 */
export function zonedWallTimeToUtc(wallTime: string, timeZone: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wallTime);
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  let guess = asUtc - zoneOffsetMs(asUtc, timeZone);
  guess = asUtc - zoneOffsetMs(guess, timeZone);
  return guess;
}

/** The wall-clock time of `utcMs` in `timeZone` as `YYYY-MM-DDTHH:mm` (for datetime-local inputs). */
export function utcToZonedWallTime(utcMs: number, timeZone: string): string {
  const local = new Date(utcMs + zoneOffsetMs(utcMs, timeZone));
  return local.toISOString().slice(0, 16);
}
