import { wallClockParts, zoneOffsetMs } from "./time-zone";

/**
 * Application Auto Scaling schedule expressions, validated the way AWS validates them
 * (AWS_BEHAVIOUR.md §4.4): `at(yyyy-mm-ddThh:mm:ss)`, `rate(<n> <unit>)` and
 * `cron(minutes hours day-of-month month day-of-week year)` — six fields (seven with leading seconds),
 * exactly one of day-of-month/day-of-week is `?` — evaluated in an IANA time zone, DST included.
 * Pure: no clock, no I/O.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type ParsedSchedule =
  | { kind: "at"; local: LocalDateTime }
  | { kind: "rate"; value: number; unit: "minute" | "hour" | "day"; everyMs: number }
  | {
      kind: "cron";
      minutes: number[];
      hours: number[];
      daysOfMonth: number[] | "any";
      months: number[];
      /** 1 = Sunday … 7 = Saturday, as AWS cron counts. */
      daysOfWeek: number[] | "any";
      years: number[] | "any";
    };

export type ScheduleResult = { ok: true; schedule: ParsedSchedule } | { ok: false; message: string };

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
export const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

class FieldError extends Error {}

/** Parses one cron field ("*", "5", "1-5", "MON-FRI", "0/15", "1,3,5", "10-40/10") within [min, max]. */
function parseCronField(field: string, label: string, min: number, max: number, names: string[] = [], nameBase = 1) {
  if (field.length === 0) throw new FieldError(`the ${label} field is empty`);
  if (/[LW#]/i.test(field.replace(/[A-Z]{3}/gi, (token) => (names.includes(token.toUpperCase()) ? "" : token)))) {
    throw new FieldError(`the ${label} field uses L, W or #, which Phoenix's editor does not support`);
  }
  const values = new Set<number>();
  const toNumber = (token: string): number => {
    const index = names.indexOf(token.toUpperCase());
    const value = index >= 0 ? index + nameBase : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new FieldError(
        `${token} is not a valid ${label} (allowed: ${min}–${max}${names.length ? ` or ${names[0]}–${names.at(-1)}` : ""})`,
      );
    }
    return value;
  };
  for (const part of field.split(",")) {
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined || range === undefined || range === "") {
      throw new FieldError(`“${part}” is not a valid ${label}`);
    }
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        throw new FieldError(`the step in “${part}” must be a positive whole number`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === "*") {
      from = min;
      to = max;
    } else if (range.includes("-")) {
      const [low, high, rest] = range.split("-");
      if (rest !== undefined || !low || !high) throw new FieldError(`“${part}” is not a valid ${label} range`);
      from = toNumber(low);
      to = toNumber(high);
      if (from > to) throw new FieldError(`the ${label} range ${range} runs backwards`);
    } else {
      from = toNumber(range);
      to = stepText === undefined ? from : max;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * Parses and validates a schedule expression. The messages say what is wrong in words, for a field
 * error beside the raw-expression input.
 */
export function parseSchedule(expression: string): ScheduleResult {
  const text = expression.trim();
  if (text !== expression) return { ok: false, message: "Remove the spaces before or after the expression." };
  if (text.length === 0) return { ok: false, message: "Enter a schedule: cron(…), rate(…) or at(…)." };
  if (text.length > 256) return { ok: false, message: "A schedule expression is at most 256 characters." };
  if (text.startsWith("at(")) {
    const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(text);
    if (!match)
      return {
        ok: false,
        message: "Write a one-time schedule as at(yyyy-mm-ddThh:mm:ss), e.g. at(2025-07-25T18:00:00).",
      };
    const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (month < 1 || month > 12) return { ok: false, message: `Month ${month} does not exist.` };
    if (day < 1 || day > daysInMonth(year, month))
      return { ok: false, message: `Day ${day} does not exist in that month.` };
    if (hour > 23 || minute > 59 || second > 59)
      return { ok: false, message: "The time of day must be 00:00:00–23:59:59." };
    return { ok: true, schedule: { kind: "at", local: { year, month, day, hour, minute, second } } };
  }
  if (text.startsWith("rate(")) {
    const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
    if (!match)
      return { ok: false, message: "Write a rate as rate(<number> <minute(s)|hour(s)|day(s)>), e.g. rate(5 minutes)." };
    const value = Number(match[1]);
    const unitText = match[2] as string;
    if (value < 1) return { ok: false, message: "A rate must be a positive whole number (1 or more)." };
    if (value === 1 && unitText.endsWith("s"))
      return { ok: false, message: `Use the singular for 1: rate(1 ${unitText.slice(0, -1)}).` };
    if (value > 1 && !unitText.endsWith("s"))
      return { ok: false, message: `Use the plural above 1: rate(${value} ${unitText}s).` };
    const unit = unitText.replace(/s$/, "") as "minute" | "hour" | "day";
    const unitMs = unit === "minute" ? MINUTE_MS : unit === "hour" ? HOUR_MS : DAY_MS;
    return { ok: true, schedule: { kind: "rate", value, unit, everyMs: value * unitMs } };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (!cron)
    return { ok: false, message: "A schedule starts with cron(, rate( or at( — e.g. cron(0 7 ? * MON-FRI *)." };
  let fields = (cron[1] as string).trim().split(/\s+/).filter(Boolean);
  if (fields.length === 7) fields = fields.slice(1);
  if (fields.length !== 6) {
    return {
      ok: false,
      message: `Cron needs six fields — minutes hours day-of-month month day-of-week year — and this has ${fields.length}. E.g. cron(0 7 ? * MON-FRI *).`,
    };
  }
  const [minuteField, hourField, domField, monthField, dowField, yearField] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((domField === "?") === (dowField === "?")) {
    return {
      ok: false,
      message:
        "Put ? in exactly one of day-of-month (3rd field) and day-of-week (5th field), e.g. cron(0 7 ? * MON-FRI *).",
    };
  }
  try {
    if (minuteField.includes("?") || hourField.includes("?") || monthField.includes("?") || yearField.includes("?")) {
      throw new FieldError("? is only allowed in day-of-month or day-of-week");
    }
    return {
      ok: true,
      schedule: {
        kind: "cron",
        minutes: parseCronField(minuteField, "minute", 0, 59),
        hours: parseCronField(hourField, "hour", 0, 23),
        daysOfMonth: domField === "?" ? "any" : parseCronField(domField, "day of month", 1, 31),
        months: parseCronField(monthField, "month", 1, 12, MONTHS),
        daysOfWeek: dowField === "?" ? "any" : parseCronField(dowField, "day of week", 1, 7, [...WEEKDAYS]),
        years: yearField === "*" ? "any" : parseCronField(yearField, "year", 1970, 2199),
      },
    };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, message: `Cron: ${error.message}.` };
    throw error;
  }
}

// ------------------------------------------------------------------------------------------ time zones

export interface ZonedParts extends LocalDateTime {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** The wall-clock parts of `utcMs` in `timeZone`. */
export function zonedParts(utcMs: number, timeZone: string): ZonedParts {
  return wallClockParts(utcMs, timeZone);
}

/**
 * The instant of a local wall-clock time in `timeZone`. A time skipped by a spring-forward change
 * maps to the instant one hour later on the clock (02:30 → 03:30); a repeated time maps to its first
 * occurrence.
 */
export function zonedTimeToUtc(local: Omit<LocalDateTime, "second"> & { second?: number }, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  // The offsets a day either side bracket any DST change on that day.
  const before = asUtc - zoneOffsetMs(asUtc - DAY_MS, timeZone);
  const after = asUtc - zoneOffsetMs(asUtc + DAY_MS, timeZone);
  if (before === after) return before;
  const valid = [before, after].filter((candidate) => {
    const parts = zonedParts(candidate, timeZone);
    return parts.hour === local.hour && parts.minute === local.minute;
  });
  // Repeated hour: the first occurrence. Skipped hour: the old offset, i.e. an hour later on the clock.
  return valid.length > 0 ? Math.min(...valid) : before;
}

/** Whether `timeZone` is an IANA zone name (as AWS wants it: `America/New_York`, `Etc/GMT+9`, `UTC`). */
export function isIanaTimeZone(timeZone: string): boolean {
  if (!/^(UTC|GMT|[A-Z][A-Za-z_-]+(\/[A-Za-z0-9_+-]+){1,2})$/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------------------ firings

/**
 * The first firing strictly after `afterMs`, or undefined when the schedule has none left.
 * `anchorMs` is where a rate counts from (the action's start time, else its creation time).
 */
export function nextFiring(
  schedule: ParsedSchedule,
  timeZone: string,
  afterMs: number,
  anchorMs: number,
): number | undefined {
  if (schedule.kind === "at") {
    const at = zonedTimeToUtc(schedule.local, timeZone);
    return at > afterMs ? at : undefined;
  }
  if (schedule.kind === "rate") {
    if (afterMs < anchorMs) return anchorMs;
    return anchorMs + (Math.floor((afterMs - anchorMs) / schedule.everyMs) + 1) * schedule.everyMs;
  }
  const start = zonedParts(afterMs, timeZone);
  let cursor = Date.UTC(start.year, start.month - 1, start.day);
  for (let index = 0; index < 366 * 5; index++, cursor += DAY_MS) {
    const date = new Date(cursor);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (schedule.years !== "any" && !schedule.years.includes(year)) {
      if (schedule.years.every((candidate) => candidate < year)) return undefined;
      continue;
    }
    if (!schedule.months.includes(month)) continue;
    if (schedule.daysOfMonth !== "any" && !schedule.daysOfMonth.includes(day)) continue;
    if (schedule.daysOfWeek !== "any" && !schedule.daysOfWeek.includes(date.getUTCDay() + 1)) continue;
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes) {
        const candidate = zonedTimeToUtc({ year, month, day, hour, minute }, timeZone);
        if (candidate > afterMs) return candidate;
      }
    }
  }
  return undefined;
}

export interface ScheduleWindow {
  timeZone?: string;
  startTimeMs?: number;
  endTimeMs?: number;
  /** Where a rate counts from when there is no start time. */
  createdMs?: number;
}

/** The next `count` firings after `afterMs`, within the action's start/end window. */
export function nextFirings(
  schedule: ParsedSchedule,
  window: ScheduleWindow,
  afterMs: number,
  count: number,
): number[] {
  const timeZone = window.timeZone ?? "UTC";
  const anchor = window.startTimeMs ?? window.createdMs ?? afterMs;
  const firings: number[] = [];
  let cursor = afterMs;
  // A recurring schedule with a future start time runs at that time first (AWS semantics).
  if (schedule.kind !== "at" && window.startTimeMs !== undefined && window.startTimeMs > afterMs) {
    firings.push(window.startTimeMs);
    cursor = window.startTimeMs;
  }
  while (firings.length < count) {
    const next = nextFiring(schedule, timeZone, cursor, anchor);
    if (next === undefined) break;
    if (window.endTimeMs !== undefined && next > window.endTimeMs) break;
    if (window.startTimeMs === undefined || next >= window.startTimeMs) firings.push(next);
    cursor = next;
  }
  return firings;
}

// ------------------------------------------------------------------------------------------ words

function listWords(values: number[], names: string[], base: number): string {
  // Contiguous runs read as ranges: Monday–Friday.
  const runs: string[] = [];
  let index = 0;
  while (index < values.length) {
    let end = index;
    while (end + 1 < values.length && (values[end + 1] as number) === (values[end] as number) + 1) end++;
    const first = names[(values[index] as number) - base] ?? String(values[index]);
    const last = names[(values[end] as number) - base] ?? String(values[end]);
    runs.push(end - index >= 2 ? `${first}–${last}` : end === index ? first : `${first}, ${last}`);
    index = end + 1;
  }
  return runs.join(", ");
}

const pad = (value: number) => String(value).padStart(2, "0");

/** The schedule in plain words, e.g. "at 07:45 on Monday–Friday (America/New_York)". */
export function describeSchedule(schedule: ParsedSchedule, timeZone = "UTC"): string {
  if (schedule.kind === "at") {
    const { year, month, day, hour, minute } = schedule.local;
    return `once, on ${year}-${pad(month)}-${pad(day)} at ${pad(hour)}:${pad(minute)} (${timeZone})`;
  }
  if (schedule.kind === "rate")
    return `every ${schedule.value === 1 ? schedule.unit : `${schedule.value} ${schedule.unit}s`}`;
  const times =
    schedule.hours.length * schedule.minutes.length <= 4
      ? schedule.hours.flatMap((hour) => schedule.minutes.map((minute) => `${pad(hour)}:${pad(minute)}`)).join(", ")
      : `minute ${schedule.minutes.join(",")} of hour ${schedule.hours.join(",")}`;
  let days: string;
  if (schedule.daysOfWeek !== "any") {
    days = schedule.daysOfWeek.length === 7 ? "every day" : `on ${listWords(schedule.daysOfWeek, WEEKDAY_NAMES, 1)}`;
  } else if (schedule.daysOfMonth !== "any" && schedule.daysOfMonth.length < 31) {
    days = `on day ${schedule.daysOfMonth.join(", ")} of the month`;
  } else {
    days = "every day";
  }
  const months =
    schedule.months.length === 12
      ? ""
      : ` in ${listWords(
          schedule.months,
          MONTHS.map((m) => m[0] + m.slice(1).toLowerCase()),
          1,
        )}`;
  const years = schedule.years === "any" ? "" : ` in ${schedule.years.join(", ")}`;
  return `at ${times} ${days}${months}${years} (${timeZone})`;
}

// ------------------------------------------------------------------------------------------ builder

/** What the builder produces: a cron at one time on chosen weekdays. */
export function buildCron(days: readonly Weekday[], time: string): ScheduleResult & { expression?: string } {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59)
    return { ok: false, message: "Enter a time as HH:MM (00:00–23:59)." };
  if (days.length === 0) return { ok: false, message: "Choose at least one day." };
  const sorted = [...new Set(days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
  const dayField = sorted.length === 7 ? "*" : compactDays(sorted);
  const expression = `cron(${Number(match[2])} ${Number(match[1])} ? * ${dayField} *)`;
  const parsed = parseSchedule(expression);
  return parsed.ok ? { ...parsed, expression } : parsed;
}

function compactDays(days: Weekday[]): string {
  const indexes = days.map((day) => WEEKDAYS.indexOf(day));
  const parts: string[] = [];
  let start = 0;
  while (start < indexes.length) {
    let end = start;
    while (end + 1 < indexes.length && (indexes[end + 1] as number) === (indexes[end] as number) + 1) end++;
    parts.push(
      end - start >= 2
        ? `${WEEKDAYS[indexes[start] as number]}-${WEEKDAYS[indexes[end] as number]}`
        : indexes
            .slice(start, end + 1)
            .map((index) => WEEKDAYS[index])
            .join(","),
    );
    start = end + 1;
  }
  return parts.join(",");
}

/** The builder's view of a cron (days and HH:MM) when the expression is that simple, for editing. */
export function cronToBuilder(expression: string): { days: Weekday[]; time: string } | undefined {
  const parsed = parseSchedule(expression);
  if (!parsed.ok || parsed.schedule.kind !== "cron") return undefined;
  const cron = parsed.schedule;
  if (cron.minutes.length !== 1 || cron.hours.length !== 1 || cron.months.length !== 12 || cron.years !== "any")
    return undefined;
  if (cron.daysOfMonth !== "any" && cron.daysOfMonth.length !== 31) return undefined;
  const days = cron.daysOfWeek === "any" ? [...WEEKDAYS] : cron.daysOfWeek.map((day) => WEEKDAYS[day - 1] as Weekday);
  return { days, time: `${pad(cron.hours[0] as number)}:${pad(cron.minutes[0] as number)}` };
}
