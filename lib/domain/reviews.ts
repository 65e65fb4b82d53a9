import { z } from "zod";
import type { Verdict } from "./action-items";
import { functionListSchema } from "./action-items";
import { pricesFor, USD_PER_REQUEST } from "./cost";
import { formatDuration, formatPercent, percentChange, ratio } from "./latency";
import { runtimeStatus } from "./runtimes";
import type { CheckResult } from "./verification";

/**
 * Review reports: input rules (windows), the statistics of a window, deltas with arrows, the monthly
 * cost estimate, open risks, and the comparison with the previous review. Pure; the reads are in
 * lib/data/reviews.ts.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// ---------------------------------------------------------------------------------------------
// Input

const optionalDate = z
  .string()
  .trim()
  .default("")
  .refine((value) => value === "" || (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))), {
    message: "A date as YYYY-MM-DD",
  });

export const reviewFieldsSchema = z.object({
  title: z.string().trim().min(1, "Give the review a title").max(200, "At most 200 characters"),
  meetingDate: z
    .string()
    .trim()
    .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)), "A date as YYYY-MM-DD"),
  baselineFrom: optionalDate,
  baselineTo: optionalDate,
  currentFrom: optionalDate,
  currentTo: optionalDate,
  functions: functionListSchema.default([]),
});
export type ReviewFields = z.output<typeof reviewFieldsSchema>;

export interface Window {
  startMs: number;
  endMs: number;
}

/**
 * The windows a review's fields describe, with the defaults: baseline = the two weeks before the
 * first meeting, current = the last seven days. Dates are whole UTC days (the end day included);
 * an end of today means "up to now". Field errors for windows that end before they start or lie in
 * the future.
 */
export function resolveReviewWindows(
  fields: Pick<ReviewFields, "baselineFrom" | "baselineTo" | "currentFrom" | "currentTo">,
  context: { nowMs: number; firstMeetingMs: number },
): { ok: true; baseline: Window; current: Window } | { ok: false; fieldErrors: Record<string, string[]> } {
  const nowHour = Math.floor(context.nowMs / HOUR_MS) * HOUR_MS;
  const day = (value: string) => Date.parse(`${value}T00:00:00Z`);
  const end = (value: string) => Math.min(day(value) + DAY_MS, nowHour);
  const firstMeeting = Math.floor(context.firstMeetingMs / HOUR_MS) * HOUR_MS;
  const baseline: Window = {
    startMs: fields.baselineFrom ? day(fields.baselineFrom) : firstMeeting - 14 * DAY_MS,
    endMs: fields.baselineTo ? end(fields.baselineTo) : Math.min(firstMeeting, nowHour),
  };
  const current: Window = {
    startMs: fields.currentFrom ? day(fields.currentFrom) : nowHour - 7 * DAY_MS,
    endMs: fields.currentTo ? end(fields.currentTo) : nowHour,
  };
  const errors: Record<string, string[]> = {};
  const check = (name: "baseline" | "current", window: Window, toField: string, raw: { from: string; to: string }) => {
    if (raw.to && day(raw.to) > nowHour)
      errors[toField] = ["This window lies in the future; it must end today or earlier"];
    else if (raw.from && day(raw.from) >= nowHour) errors[`${name}From`] = ["This window starts in the future"];
    else if (window.endMs <= window.startMs) errors[toField] = ["The window ends before it starts"];
    else if (window.endMs - window.startMs < HOUR_MS) errors[toField] = ["A window must cover at least an hour"];
    else if (window.endMs - window.startMs > 90 * DAY_MS) errors[toField] = ["A window covers at most 90 days"];
  };
  check("baseline", baseline, "baselineTo", { from: fields.baselineFrom, to: fields.baselineTo });
  check("current", current, "currentTo", { from: fields.currentFrom, to: fields.currentTo });
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return { ok: true, baseline, current };
}

// ---------------------------------------------------------------------------------------------
// Statistics of a window

export interface WindowStats {
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** Average duration (ms), for the cost estimate. */
  average: number | null;
  invocations: number;
  errors: number;
  throttles: number;
  /** From the REPORT lines (Logs Insights); null when the logs could not be read. */
  timeouts: number | null;
  coldStarts: number | null;
  reports: number | null;
  /** Provisioned concurrency: average allocated and utilization over the window; null without PC. */
  pcAllocated: number | null;
  pcUtilization: number | null;
  spillover: number | null;
}

export interface DerivedRates {
  errorRate: number | null;
  timeoutRate: number | null;
  coldStartShare: number | null;
}

export function ratesOf(stats: WindowStats): DerivedRates {
  return {
    errorRate: ratio(stats.errors, stats.invocations),
    timeoutRate: ratio(stats.timeouts, stats.reports ?? stats.invocations),
    coldStartShare: stats.coldStarts === null ? null : Math.min(1, ratio(stats.coldStarts, stats.reports) ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Cost (prices from the one table in lib/domain/cost.ts: us-east-1, tier 1)

const MONTH_MS = 30 * DAY_MS;

export interface MonthlyCost {
  onDemand: number;
  provisioned: number;
  total: number;
}

/**
 * The window's spend scaled to 30 days: requests + duration at on-demand rates, except invocations
 * that ran on provisioned concurrency (invocations − spill-over), billed at the PC duration rate,
 * plus the PC standing cost (average allocated × memory × time). Tier 1 prices, no free tier.
 */
export function estimateMonthlyCost(
  stats: WindowStats,
  fn: { memoryMb: number; architecture: string },
  window: Window,
): MonthlyCost {
  const prices = pricesFor(fn.architecture);
  const gb = fn.memoryMb / 1024;
  const seconds = (window.endMs - window.startMs) / 1000;
  const scale = seconds > 0 ? MONTH_MS / 1000 / seconds : 0;
  const averageSeconds = (stats.average ?? 0) / 1000;
  const onPc = stats.pcAllocated ? Math.max(0, stats.invocations - (stats.spillover ?? 0)) : 0;
  const onDemandInvocations = stats.invocations - onPc;
  const onDemand =
    (onDemandInvocations * averageSeconds * gb * prices.onDemandGbSecond + stats.invocations * USD_PER_REQUEST) * scale;
  const provisioned =
    ((stats.pcAllocated ?? 0) * gb * seconds * prices.pcEnabledGbSecond +
      onPc * averageSeconds * gb * prices.pcDurationGbSecond) *
    scale;
  return { onDemand, provisioned, total: onDemand + provisioned };
}

// ---------------------------------------------------------------------------------------------
// Deltas

export type Direction = "better" | "worse" | "same" | "unknown";

/** For a metric where lower is better: the change and whether it improved. */
export function delta(before: number | null, after: number | null, lowerIsBetter = true) {
  const change = percentChange(after, before);
  if (change === null) return { change: null, direction: "unknown" as Direction, arrow: "·" };
  if (Math.abs(change) < 2) return { change, direction: "same" as Direction, arrow: "→" };
  const improved = lowerIsBetter ? change < 0 : change > 0;
  return { change, direction: (improved ? "better" : "worse") as Direction, arrow: change < 0 ? "↓" : "↑" };
}

/** "↓ 62 %" / "↑ 15 %" / "→ 1 %" / "—". */
export function formatDelta(before: number | null, after: number | null, lowerIsBetter = true): string {
  const { change, arrow } = delta(before, after, lowerIsBetter);
  if (change === null) return "—";
  return `${arrow} ${Math.abs(Math.round(change))} %`;
}

// ---------------------------------------------------------------------------------------------
// The report (saved as a snapshot)

export interface FunctionConfig {
  name: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: string;
}

export interface FunctionComparison {
  fn: FunctionConfig;
  baseline: WindowStats;
  current: WindowStats;
  baselineCost: MonthlyCost;
  currentCost: MonthlyCost;
}

export interface OverlayChart {
  functionName: string;
  periodSeconds: number;
  /** Offset from each window's start (ms) → p90 of the baseline and of the current window. */
  points: { offsetMs: number; baseline: number | null; current: number | null }[];
}

export interface ReportEffect {
  before: Window;
  after: Window;
  /** The after window is shorter than a week (the item was done less than a week ago). */
  afterPartial: boolean;
  functions: { name: string; before: WindowStats; after: WindowStats }[];
}

export interface ReportActionItem {
  id: string;
  position: number;
  title: string;
  owner: string;
  status: string;
  dueDate: string | null;
  doneAt: string | null;
  check: { description: string; result: CheckResult } | null;
  verdict: Verdict;
  warnings: string[];
  effect: ReportEffect | null;
}

export interface ReportChange {
  at: string;
  functionName: string;
  title: string;
  who: string;
  kind: string;
}

export interface Risk {
  kind: "deprecated-runtime" | "pc-utilization" | "p99-near-timeout";
  functionName: string;
  text: string;
}

export interface ReviewReport {
  version: 1;
  builtAt: string;
  source: string;
  review: { id: string; title: string; meetingDate: string; baseline: Window; current: Window; functions: string[] };
  functions: FunctionComparison[];
  /** Account-wide percentiles are only meaningful when the review covers every function. */
  total: {
    baseline: WindowStats;
    current: WindowStats;
    baselineCost: MonthlyCost;
    currentCost: MonthlyCost;
    percentilesCoverAll: boolean;
  };
  charts: OverlayChart[];
  actionItems: ReportActionItem[];
  changes: ReportChange[];
  risks: Risk[];
  notes: string[];
  cost: { getMetricDataCalls: number; metricsRequested: number; logsQueries: number; otherCalls: number };
}

export function emptyStats(): WindowStats {
  return {
    p50: null,
    p90: null,
    p99: null,
    average: null,
    invocations: 0,
    errors: 0,
    throttles: 0,
    timeouts: null,
    coldStarts: null,
    reports: null,
    pcAllocated: null,
    pcUtilization: null,
    spillover: null,
  };
}

const sumNullable = (values: (number | null)[]) =>
  values.some((value) => value !== null) ? values.reduce<number>((sum, value) => sum + (value ?? 0), 0) : null;

/** Counts add up; percentiles come from the account-wide series when given (else unknown). */
export function totalStats(
  rows: WindowStats[],
  accountWide: Pick<WindowStats, "p50" | "p90" | "p99"> | null,
): WindowStats {
  const invocations = rows.reduce((sum, row) => sum + row.invocations, 0);
  const weighted = rows.reduce((sum, row) => sum + (row.average ?? 0) * row.invocations, 0);
  return {
    p50: accountWide?.p50 ?? null,
    p90: accountWide?.p90 ?? null,
    p99: accountWide?.p99 ?? null,
    average: invocations > 0 ? weighted / invocations : null,
    invocations,
    errors: rows.reduce((sum, row) => sum + row.errors, 0),
    throttles: rows.reduce((sum, row) => sum + row.throttles, 0),
    timeouts: sumNullable(rows.map((row) => row.timeouts)),
    coldStarts: sumNullable(rows.map((row) => row.coldStarts)),
    reports: sumNullable(rows.map((row) => row.reports)),
    pcAllocated: sumNullable(rows.map((row) => row.pcAllocated)),
    pcUtilization: null,
    spillover: sumNullable(rows.map((row) => row.spillover)),
  };
}

export function addCosts(costs: MonthlyCost[]): MonthlyCost {
  return costs.reduce(
    (sum, cost) => ({
      onDemand: sum.onDemand + cost.onDemand,
      provisioned: sum.provisioned + cost.provisioned,
      total: sum.total + cost.total,
    }),
    { onDemand: 0, provisioned: 0, total: 0 },
  );
}

/** PC pays off above ~60 % utilization (DESIGN.md §5). */
export const PC_BREAK_EVEN = 0.6;
/** p99 within this share of the timeout is "near" it. */
export const NEAR_TIMEOUT = 0.8;

/** Open risks in the current window: deprecated runtimes, PC under 60 %, p99 near the timeout. */
export function openRisks(functions: FunctionComparison[], todayMs: number): Risk[] {
  const risks: Risk[] = [];
  for (const { fn, current } of functions) {
    const status = runtimeStatus(fn.runtime, todayMs);
    if (status.state === "deprecated" || status.state === "deprecating") {
      risks.push({
        kind: "deprecated-runtime",
        functionName: fn.name,
        text: `${fn.name} runs ${fn.runtime}: ${status.explanation}`,
      });
    }
    if (current.pcUtilization !== null && current.pcUtilization < PC_BREAK_EVEN) {
      risks.push({
        kind: "pc-utilization",
        functionName: fn.name,
        text: `${fn.name}: provisioned concurrency ${formatPercent(current.pcUtilization)} utilized (break-even ~60 %): it costs more than on-demand would.`,
      });
    }
    const timeoutMs = fn.timeoutSeconds * 1000;
    if (current.p99 !== null && current.p99 >= NEAR_TIMEOUT * timeoutMs) {
      risks.push({
        kind: "p99-near-timeout",
        functionName: fn.name,
        text: `${fn.name}: p99 ${formatDuration(current.p99)} is ${Math.round((current.p99 / timeoutMs) * 100)} % of the ${fn.timeoutSeconds} s timeout.`,
      });
    }
  }
  return risks;
}

export interface PreviousComparison {
  reviewId: string;
  title: string;
  meetingDate: string;
  rows: { name: string; previous: WindowStats | null; now: WindowStats }[];
}

/** This review's current window against the previous review's current window, function by function. */
export function compareWithPrevious(report: ReviewReport, previous: ReviewReport): PreviousComparison {
  return {
    reviewId: previous.review.id,
    title: previous.review.title,
    meetingDate: previous.review.meetingDate,
    rows: report.functions.map((row) => ({
      name: row.fn.name,
      previous: previous.functions.find((other) => other.fn.name === row.fn.name)?.current ?? null,
      now: row.current,
    })),
  };
}

/** Overlays two series (aligned to each window's start) on one axis of offsets. */
export function overlay(
  baseline: { timestamps: number[]; values: number[] },
  current: { timestamps: number[]; values: number[] },
  windows: { baseline: Window; current: Window },
  periodSeconds: number,
): OverlayChart["points"] {
  const periodMs = periodSeconds * 1000;
  const length = Math.max(
    windows.baseline.endMs - windows.baseline.startMs,
    windows.current.endMs - windows.current.startMs,
  );
  const byOffset = new Map<number, { offsetMs: number; baseline: number | null; current: number | null }>();
  for (let offset = 0; offset < length; offset += periodMs)
    byOffset.set(offset, { offsetMs: offset, baseline: null, current: null });
  const put = (series: { timestamps: number[]; values: number[] }, start: number, key: "baseline" | "current") => {
    series.timestamps.forEach((t, index) => {
      const offset = Math.floor((t - start) / periodMs) * periodMs;
      const point = byOffset.get(offset);
      if (point) point[key] = series.values[index] ?? null;
    });
  };
  put(baseline, windows.baseline.startMs, "baseline");
  put(current, windows.current.startMs, "current");
  return [...byOffset.values()];
}
