import { DAY_MS } from "../../clock";
import { zonedParts, zonedTimeToUtc } from "../../core/time-zone";

/**
 * Application Auto Scaling schedule expressions: `at(yyyy-mm-ddThh:mm:ss)`, `rate(n unit)` and
 * `cron(min hour day-of-month month day-of-week year)` (six fields, or seven with leading seconds),
 * evaluated in an IANA time zone (AWS_BEHAVIOUR.md §4.4).
 */
export type Schedule =
  | { kind: "at"; local: { year: number; month: number; day: number; hour: number; minute: number; second: number } }
  | { kind: "rate"; everyMs: number }
  | {
      kind: "cron";
      minutes: Set<number>;
      hours: Set<number>;
      daysOfMonth: Set<number> | "any";
      months: Set<number>;
      daysOfWeek: Set<number> | "any";
      years: Set<number> | "any";
    };

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

export class ScheduleParseError extends Error {}

export function parseSchedule(expression: string): Schedule {
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
      throw new ScheduleParseError(`Invalid at expression: ${expression}`);
    }
    return { kind: "at", local: { year, month, day, hour, minute, second } };
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] as string;
    if (value < 1) throw new ScheduleParseError(`Invalid rate expression: ${expression}`);
    if ((value === 1) !== !unit.endsWith("s")) throw new ScheduleParseError(`Invalid rate expression: ${expression}`);
    const unitMs = unit.startsWith("minute") ? 60_000 : unit.startsWith("hour") ? 3_600_000 : DAY_MS;
    return { kind: "rate", everyMs: value * unitMs };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) throw new ScheduleParseError(`Invalid schedule expression: ${expression}`);
  let fields = (cron[1] as string).trim().split(/\s+/);
  if (fields.length === 7) fields = fields.slice(1); // leading seconds
  if (fields.length !== 6) throw new ScheduleParseError(`Invalid cron expression: ${expression}`);
  const [minuteField, hourField, dayOfMonthField, monthField, dayOfWeekField, yearField] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const daysOfMonth = dayOfMonthField === "?" ? "any" : parseField(dayOfMonthField, 1, 31, []);
  const daysOfWeek = dayOfWeekField === "?" ? "any" : parseField(dayOfWeekField, 1, 7, WEEKDAYS, 1);
  if (daysOfMonth !== "any" && daysOfWeek !== "any" && dayOfMonthField !== "*" && dayOfWeekField !== "*") {
    throw new ScheduleParseError("Cron: day-of-month and day-of-week cannot both be specified; use ? in one of them");
  }
  return {
    kind: "cron",
    minutes: parseField(minuteField, 0, 59, []),
    hours: parseField(hourField, 0, 23, []),
    daysOfMonth: dayOfMonthField === "*" && dayOfWeekField !== "*" && dayOfWeekField !== "?" ? "any" : daysOfMonth,
    months: parseField(monthField, 1, 12, MONTHS, 1),
    daysOfWeek: dayOfWeekField === "*" && dayOfMonthField !== "*" && dayOfMonthField !== "?" ? "any" : daysOfWeek,
    years: yearField === "*" ? "any" : parseField(yearField, 1970, 2199, []),
  };
}

/** Parses one cron field ("*", "1-5", "MON-FRI", "0/15", "1,3,5"); names map from `nameBase`. */
function parseField(field: string, minimum: number, maximum: number, names: string[], nameBase = 0): Set<number> {
  const values = new Set<number>();
  const toNumber = (token: string): number => {
    const index = names.indexOf(token.toUpperCase());
    const value = index >= 0 ? index + nameBase : Number(token);
    if (!Number.isInteger(value) || value < minimum || value > maximum)
      throw new ScheduleParseError(`Invalid cron field value: ${token}`);
    return value;
  };
  for (const part of field.split(",")) {
    const [rangePart, stepPart] = part.split("/") as [string, string | undefined];
    const step = stepPart === undefined ? 1 : Number(stepPart);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleParseError(`Invalid cron step: ${part}`);
    let from: number;
    let to: number;
    if (rangePart === "*") {
      from = minimum;
      to = maximum;
    } else if (rangePart.includes("-")) {
      const [low, high] = rangePart.split("-") as [string, string];
      from = toNumber(low);
      to = toNumber(high);
    } else {
      from = toNumber(rangePart);
      to = stepPart === undefined ? from : maximum;
    }
    if (from > to) throw new ScheduleParseError(`Invalid cron range: ${part}`);
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

/**
 * The first firing strictly after `afterMs` (and not before `startMs`), or undefined when none.
 * `anchorMs` is where a rate schedule counts from.
 */
export function nextFiring(
  schedule: Schedule,
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
    const periods = Math.floor((afterMs - anchorMs) / schedule.everyMs) + 1;
    return anchorMs + periods * schedule.everyMs;
  }
  const sortedHours = [...schedule.hours].sort((a, b) => a - b);
  const sortedMinutes = [...schedule.minutes].sort((a, b) => a - b);
  const start = zonedParts(afterMs, timeZone);
  // Walk local calendar days (up to ~5 years), then the matching hours and minutes of each.
  let dayCursor = Date.UTC(start.year, start.month - 1, start.day);
  for (let dayIndex = 0; dayIndex < 366 * 5; dayIndex++, dayCursor += DAY_MS) {
    const date = new Date(dayCursor);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    const weekday = date.getUTCDay() + 1; // AWS cron: 1 = SUN
    if (schedule.years !== "any" && !schedule.years.has(year)) continue;
    if (!schedule.months.has(month)) continue;
    if (schedule.daysOfMonth !== "any" && !schedule.daysOfMonth.has(day)) continue;
    if (schedule.daysOfWeek !== "any" && !schedule.daysOfWeek.has(weekday)) continue;
    for (const hour of sortedHours) {
      for (const minute of sortedMinutes) {
        const candidate = zonedTimeToUtc({ year, month, day, hour, minute }, timeZone);
        if (candidate > afterMs) return candidate;
      }
    }
  }
  return undefined;
}
