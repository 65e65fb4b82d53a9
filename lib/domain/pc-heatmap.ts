import { breakEvenUtilization, type HourCost, hourCost, PC_BILLING_STEP_MS, WEEKS_PER_MONTH } from "./cost";
import { HOUR_MS, MINUTE_MS, nextFirings, parseSchedule, WEEK_MS, zonedParts } from "./schedule";

/**
 * What a provisioned-concurrency schedule does over a week: the level per 5-minute billing step,
 * folded into a 7 × 24 heat-map in one time zone, beside the observed concurrency of each hour of the
 * week, with utilization, spill-over and cost against having no PC. Pure.
 */

export interface ScheduleActionSpec {
  name: string;
  schedule: string;
  timeZone?: string;
  minCapacity?: number;
  maxCapacity?: number;
  startTimeMs?: number;
  endTimeMs?: number;
  createdMs?: number;
}

export interface TargetSpec {
  minCapacity: number;
  maxCapacity: number;
}

export interface LevelChange {
  atMs: number;
  action: string;
  level: number;
  min: number;
  max: number;
}

/** Replays the actions' firings in [fromMs, toMs) from a starting state; returns the level changes in order. */
export function replaySchedule(input: {
  target: TargetSpec | null;
  actions: readonly ScheduleActionSpec[];
  currentLevel: number;
  fromMs: number;
  toMs: number;
}): LevelChange[] {
  if (!input.target) return [];
  const firings: { atMs: number; action: ScheduleActionSpec }[] = [];
  for (const action of input.actions) {
    const parsed = parseSchedule(action.schedule);
    if (!parsed.ok) continue;
    const window = {
      ...(action.timeZone ? { timeZone: action.timeZone } : {}),
      ...(action.startTimeMs !== undefined ? { startTimeMs: action.startTimeMs } : {}),
      ...(action.endTimeMs !== undefined ? { endTimeMs: action.endTimeMs } : {}),
      createdMs: action.createdMs ?? input.fromMs,
    };
    // At most one firing per 5 minutes fits the heat-map's resolution; bounded for rate(1 minute).
    const limit = Math.ceil((input.toMs - input.fromMs) / MINUTE_MS) + 1;
    for (const atMs of nextFirings(parsed.schedule, window, input.fromMs - 1, Math.min(limit, 20_000))) {
      if (atMs >= input.toMs) break;
      firings.push({ atMs, action });
    }
  }
  firings.sort((a, b) => a.atMs - b.atMs || a.action.name.localeCompare(b.action.name));
  let { minCapacity: min, maxCapacity: max } = input.target;
  let level = Math.min(Math.max(input.currentLevel, min), max);
  const changes: LevelChange[] = [];
  for (const { atMs, action } of firings) {
    if (action.minCapacity !== undefined) min = action.minCapacity;
    if (action.maxCapacity !== undefined) max = action.maxCapacity;
    if (max < min) max = min;
    level = Math.min(Math.max(level, min), max);
    changes.push({ atMs, action: action.name, level, min, max });
  }
  return changes;
}

export interface WeekLevels {
  /** Start of the simulated week (the first 5-minute step at or after `nowMs`). */
  startMs: number;
  /** Billed level of each 5-minute step (the highest level during the step). */
  steps: number[];
  /** 7 × 24 (Sunday first, hours 0–23 in `timeZone`): highest level in the hour. */
  peak: number[][];
  /** 7 × 24: average billed level in the hour. */
  average: number[][];
  timeZone: string;
}

function grid(fill = 0): number[][] {
  return Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => fill));
}

/**
 * The levels the schedule produces over the coming week. The week before is replayed first, so the
 * state at the start (e.g. "the weekend action has set 5") is what the schedule itself leads to.
 */
export function weekLevels(input: {
  target: TargetSpec | null;
  actions: readonly ScheduleActionSpec[];
  currentLevel: number;
  nowMs: number;
  timeZone: string;
}): WeekLevels {
  const startMs = Math.ceil(input.nowMs / PC_BILLING_STEP_MS) * PC_BILLING_STEP_MS;
  const endMs = startMs + WEEK_MS;
  // Recurring actions replay over the week before; one-time ones only count from now.
  const recurring = input.actions.filter((action) => !action.schedule.startsWith("at("));
  const warmup = replaySchedule({ ...input, actions: recurring, fromMs: startMs - WEEK_MS, toMs: startMs });
  const startLevel = input.target ? (warmup.at(-1)?.level ?? input.currentLevel) : input.currentLevel;
  const target =
    input.target && warmup.length > 0
      ? { minCapacity: warmup.at(-1)?.min ?? 0, maxCapacity: warmup.at(-1)?.max ?? 0 }
      : input.target;
  const changes = replaySchedule({
    target,
    actions: input.actions,
    currentLevel: startLevel,
    fromMs: startMs,
    toMs: endMs,
  });
  const stepCount = WEEK_MS / PC_BILLING_STEP_MS;
  const steps: number[] = [];
  let level = target ? Math.min(Math.max(startLevel, target.minCapacity), target.maxCapacity) : startLevel;
  let index = 0;
  for (let step = 0; step < stepCount; step++) {
    const stepStart = startMs + step * PC_BILLING_STEP_MS;
    const stepEnd = stepStart + PC_BILLING_STEP_MS;
    // Changes at the very start of the step set its level; later ones within it bill the higher level.
    while (index < changes.length && (changes[index] as LevelChange).atMs <= stepStart) {
      level = (changes[index] as LevelChange).level;
      index++;
    }
    let billed = level;
    while (index < changes.length && (changes[index] as LevelChange).atMs < stepEnd) {
      level = (changes[index] as LevelChange).level;
      billed = Math.max(billed, level);
      index++;
    }
    // A step that ends at a lower level was still enabled at the higher one during it: billed up.
    steps.push(billed);
  }
  const peak = grid();
  const sum = grid();
  const count = grid();
  steps.forEach((value, step) => {
    const parts = zonedParts(startMs + step * PC_BILLING_STEP_MS, input.timeZone);
    const row = peak[parts.weekday] as number[];
    row[parts.hour] = Math.max(row[parts.hour] as number, value);
    (sum[parts.weekday] as number[])[parts.hour] = ((sum[parts.weekday] as number[])[parts.hour] as number) + value;
    (count[parts.weekday] as number[])[parts.hour] = ((count[parts.weekday] as number[])[parts.hour] as number) + 1;
  });
  const average = sum.map((row, day) =>
    row.map((total, hour) =>
      ((count[day] as number[])[hour] as number) > 0 ? total / ((count[day] as number[])[hour] as number) : 0,
    ),
  );
  return { startMs, steps, peak, average, timeZone: input.timeZone };
}

export interface ObservedPoint {
  /** Start of the period (ms). */
  t: number;
  /** Highest concurrency in the period. */
  concurrency: number;
  invocations: number;
  /** Average duration in the period (ms); null when nothing ran. */
  averageDurationMs: number | null;
}

export interface ObservedHours {
  /** 7 × 24: p95 of the per-period peak concurrency in that hour of the week. */
  p95: number[][];
  /** 7 × 24: average invocations per hour. */
  invocationsPerHour: number[][];
  /** Invocation-weighted average duration over the whole window (ms). */
  averageDurationMs: number;
  days: number;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(Math.max(rank, 0), sorted.length - 1)] as number;
}

/** Folds observed periods (e.g. 5-minute maxima over 14 days) into hours of the week in `timeZone`. */
export function observedHours(points: readonly ObservedPoint[], timeZone: string, periodMs: number): ObservedHours {
  const samples: number[][][] = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => []));
  const invocations = grid();
  let durationWeighted = 0;
  let invocationTotal = 0;
  for (const point of points) {
    const parts = zonedParts(point.t, timeZone);
    ((samples[parts.weekday] as number[][])[parts.hour] as number[]).push(point.concurrency);
    (invocations[parts.weekday] as number[])[parts.hour] =
      ((invocations[parts.weekday] as number[])[parts.hour] as number) + point.invocations;
    if (point.averageDurationMs !== null && point.invocations > 0) {
      durationWeighted += point.averageDurationMs * point.invocations;
      invocationTotal += point.invocations;
    }
  }
  const spanMs = points.length > 0 ? (points.at(-1) as ObservedPoint).t - (points[0] as ObservedPoint).t + periodMs : 0;
  return {
    p95: samples.map((row) => row.map((values) => percentile(values, 95))),
    // Per hour covered: partial hours at the window's edges count for the part they cover.
    invocationsPerHour: invocations.map((row, day) =>
      row.map((total, hour) => {
        const covered = (((samples[day] as number[][])[hour] as number[]).length * periodMs) / HOUR_MS;
        return covered > 0 ? total / covered : 0;
      }),
    ),
    averageDurationMs: invocationTotal > 0 ? durationWeighted / invocationTotal : 0,
    days: spanMs / (24 * HOUR_MS),
  };
}

export type CellFlag = "under-utilized" | "spill-over" | "ok" | "none";

export interface HeatmapCell {
  day: number;
  hour: number;
  pcPeak: number;
  cost: HourCost;
  flag: CellFlag;
}

export interface ScheduleEstimate {
  cells: HeatmapCell[];
  breakEven: number;
  weekly: { withPc: number; withoutPc: number; spilloverInvocations: number; invocations: number };
  monthly: { withPc: number; withoutPc: number; difference: number };
  /** Time-weighted utilization of the provisioned environments over the week (null without PC). */
  utilization: number | null;
  underUtilizedHours: number;
  spilloverHours: number;
}

/** Utilization, spill-over and cost of a week of levels against the observed hours of the week. */
export function estimateSchedule(input: {
  levels: WeekLevels;
  observed: ObservedHours;
  memoryMb: number;
  architecture: string;
}): ScheduleEstimate {
  const breakEven = breakEvenUtilization(input.architecture);
  const cells: HeatmapCell[] = [];
  let withPc = 0;
  let withoutPc = 0;
  let spill = 0;
  let invocations = 0;
  let used = 0;
  let provisioned = 0;
  for (let day = 0; day < 7; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const cost = hourCost({
        pcLevel: (input.levels.average[day] as number[])[hour] as number,
        p95Concurrency: (input.observed.p95[day] as number[])[hour] as number,
        invocations: (input.observed.invocationsPerHour[day] as number[])[hour] as number,
        averageDurationMs: input.observed.averageDurationMs,
        memoryMb: input.memoryMb,
        architecture: input.architecture,
      });
      const pcPeak = (input.levels.peak[day] as number[])[hour] as number;
      const flag: CellFlag =
        cost.pcLevel <= 0
          ? cost.p95Concurrency > 0
            ? "spill-over"
            : "none"
          : cost.spilloverInvocations > 0
            ? "spill-over"
            : (cost.utilization ?? 0) < breakEven
              ? "under-utilized"
              : "ok";
      cells.push({ day, hour, pcPeak, cost, flag: cost.pcLevel <= 0 && flag === "spill-over" ? "none" : flag });
      withPc += cost.withPc;
      withoutPc += cost.withoutPc;
      spill += cost.spilloverInvocations;
      invocations += cost.invocations;
      used += Math.min(cost.averageConcurrency, cost.pcLevel);
      provisioned += cost.pcLevel;
    }
  }
  return {
    cells,
    breakEven,
    weekly: { withPc, withoutPc, spilloverInvocations: spill, invocations },
    monthly: {
      withPc: withPc * WEEKS_PER_MONTH,
      withoutPc: withoutPc * WEEKS_PER_MONTH,
      difference: (withPc - withoutPc) * WEEKS_PER_MONTH,
    },
    utilization: provisioned > 0 ? used / provisioned : null,
    underUtilizedHours: cells.filter((cell) => cell.flag === "under-utilized").length,
    spilloverHours: cells.filter((cell) => cell.flag === "spill-over").length,
  };
}
