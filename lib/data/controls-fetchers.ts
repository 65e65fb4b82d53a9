import { listScalingActivities } from "@/lib/aws/application-auto-scaling";
import { getMetricData } from "@/lib/aws/cloudwatch";
import { getAccountSettings, listAliases } from "@/lib/aws/lambda";
import {
  type AliasState,
  type FunctionState,
  findAlias,
  getFunctionState,
  getProvisionedConcurrency,
  type PcState,
} from "@/lib/aws/lambda-changes";
import {
  describeScalableTarget,
  describeScheduledActions,
  pcResourceId,
  type ScalableTargetInfo,
  type ScheduledActionInfo,
} from "@/lib/aws/pc-schedules";
import { formatDollars } from "@/lib/domain/cost";
import { type Guard, pcGuards, scheduleGuards } from "@/lib/domain/pc-guards";
import {
  estimateSchedule,
  type ObservedHours,
  type ObservedPoint,
  observedHours,
  type ScheduleActionSpec,
  type ScheduleEstimate,
  weekLevels,
} from "@/lib/domain/pc-heatmap";
import { DAY_MS, describeSchedule, nextFirings, parseSchedule } from "@/lib/domain/schedule";
import { actionFingerprint } from "@/lib/domain/schedule-input";
import { templateFunction } from "@/lib/domain/schedule-template";
import { AppError } from "@/lib/errors";
import type { ControlsDeps } from "./controls-deps";

/**
 * What the concurrency page shows, read with the real SDK clients (sandbox or AWS) and reshaped to
 * plain DTOs. User-independent: the authorized wrappers are in controls.ts.
 */

export interface ScheduledActionDto {
  name: string;
  schedule: string;
  words: string;
  timeZone: string;
  minCapacity: number | null;
  maxCapacity: number | null;
  startTime: string | null;
  endTime: string | null;
  createdAt: string;
  fingerprint: string;
  nextFirings: string[];
}

export interface HeatmapCellDto {
  day: number;
  hour: number;
  pcPeak: number;
  pcAverage: number;
  observedP95: number;
  invocations: number;
  utilization: number | null;
  spillover: number;
  flag: string;
}

export interface HeatmapDto {
  timeZone: string;
  cells: HeatmapCellDto[];
  observedDays: number;
  breakEven: number;
  monthlyWithPc: number;
  monthlyWithoutPc: number;
  monthlyDifference: number;
  utilization: number | null;
  spilloverPerWeek: number;
  underUtilizedHours: number;
  spilloverHours: number;
  averageDurationMs: number;
}

export interface ConcurrencyViewDto {
  functionName: string;
  alias: string;
  aliases: string[];
  aliasVersion: string;
  aliasRevisionId: string;
  latestRevisionId: string;
  fn: {
    memoryMb: number;
    runtime: string;
    architecture: string;
    snapStart: boolean;
    reservedConcurrency: number | null;
  };
  resourceId: string;
  target: ScalableTargetInfo | null;
  actions: ScheduledActionDto[];
  upcoming: { at: string; action: string; minCapacity: number | null; maxCapacity: number | null }[];
  activities: { at: string; description: string; cause: string; status: string }[];
  pc: PcState | null;
  account: { unreserved: number; limit: number };
  guards: Guard[];
  heatmap: HeatmapDto | null;
  heatmapError: string | null;
  nowMs: number;
}

export function toSpec(action: ScheduledActionInfo): ScheduleActionSpec {
  return {
    name: action.name,
    schedule: action.schedule,
    ...(action.timeZone ? { timeZone: action.timeZone } : {}),
    ...(action.minCapacity !== undefined ? { minCapacity: action.minCapacity } : {}),
    ...(action.maxCapacity !== undefined ? { maxCapacity: action.maxCapacity } : {}),
    ...(action.startTimeMs !== undefined ? { startTimeMs: action.startTimeMs } : {}),
    ...(action.endTimeMs !== undefined ? { endTimeMs: action.endTimeMs } : {}),
    createdMs: action.createdMs,
  };
}

export function toActionDto(action: ScheduledActionInfo, nowMs: number): ScheduledActionDto {
  const parsed = parseSchedule(action.schedule);
  const zone = action.timeZone ?? "UTC";
  return {
    name: action.name,
    schedule: action.schedule,
    words: parsed.ok ? describeSchedule(parsed.schedule, zone) : "not a schedule Phoenix can read",
    timeZone: zone,
    minCapacity: action.minCapacity ?? null,
    maxCapacity: action.maxCapacity ?? null,
    startTime: action.startTimeMs !== undefined ? new Date(action.startTimeMs).toISOString() : null,
    endTime: action.endTimeMs !== undefined ? new Date(action.endTimeMs).toISOString() : null,
    createdAt: new Date(action.createdMs).toISOString(),
    fingerprint: actionFingerprint(action),
    nextFirings: parsed.ok
      ? nextFirings(
          parsed.schedule,
          {
            timeZone: zone,
            ...(action.startTimeMs !== undefined ? { startTimeMs: action.startTimeMs } : {}),
            ...(action.endTimeMs !== undefined ? { endTimeMs: action.endTimeMs } : {}),
            createdMs: action.createdMs,
          },
          nowMs,
          5,
        ).map((ms) => new Date(ms).toISOString())
      : [],
  };
}

/** The time zone the heat-map is drawn in: the one most actions use, else the team's (template) zone. */
export function displayZone(actions: readonly { timeZone?: string }[]): string {
  const counts = new Map<string, number>();
  for (const action of actions) counts.set(action.timeZone ?? "UTC", (counts.get(action.timeZone ?? "UTC") ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best?.[0] ?? "America/New_York";
}

const PERIOD_SECONDS = 300;
const observedCache = new Map<string, { atMs: number; points: ObservedPoint[] }>();

/**
 * Observed concurrency, invocations and duration over the last 14 days at 5-minute resolution
 * (one GetMetricData call of 3 metrics), cached for 10 minutes per function.
 */
export async function fetchObserved(deps: ControlsDeps, functionName: string): Promise<ObservedPoint[]> {
  const nowMs = deps.nowMs();
  const cached = observedCache.get(functionName);
  if (cached && nowMs - cached.atMs < 10 * 60_000 && nowMs >= cached.atMs) return cached.points;
  const endMs = Math.floor(nowMs / (PERIOD_SECONDS * 1000)) * PERIOD_SECONDS * 1000;
  const startMs = endMs - 14 * DAY_MS;
  const dimensions = { FunctionName: functionName };
  const common = { namespace: "AWS/Lambda", dimensions, periodSeconds: PERIOD_SECONDS };
  const result = await getMetricData(deps.cloudWatch, {
    startMs,
    endMs,
    queries: [
      { ...common, id: "concurrency", metricName: "ConcurrentExecutions", stat: "Maximum" },
      { ...common, id: "invocations", metricName: "Invocations", stat: "Sum" },
      { ...common, id: "duration", metricName: "Duration", stat: "Average" },
    ],
  });
  const byTime = new Map<number, ObservedPoint>();
  const point = (t: number) => {
    let existing = byTime.get(t);
    if (!existing) {
      existing = { t, concurrency: 0, invocations: 0, averageDurationMs: null };
      byTime.set(t, existing);
    }
    return existing;
  };
  const series = result.series;
  series.concurrency?.timestamps.forEach((t, index) => {
    point(t).concurrency = series.concurrency?.values[index] ?? 0;
  });
  series.invocations?.timestamps.forEach((t, index) => {
    point(t).invocations = series.invocations?.values[index] ?? 0;
  });
  series.duration?.timestamps.forEach((t, index) => {
    point(t).averageDurationMs = series.duration?.values[index] ?? null;
  });
  const points = [...byTime.values()].sort((a, b) => a.t - b.t);
  observedCache.set(functionName, { atMs: nowMs, points });
  return points;
}

export function observedFor(points: ObservedPoint[], timeZone: string): ObservedHours {
  return observedHours(points, timeZone, PERIOD_SECONDS * 1000);
}

export function heatmapDto(
  estimate: ScheduleEstimate,
  levelsAverage: number[][],
  timeZone: string,
  observed: ObservedHours,
): HeatmapDto {
  return {
    timeZone,
    cells: estimate.cells.map((cell) => ({
      day: cell.day,
      hour: cell.hour,
      pcPeak: cell.pcPeak,
      pcAverage: (levelsAverage[cell.day] as number[])[cell.hour] as number,
      observedP95: cell.cost.p95Concurrency,
      invocations: cell.cost.invocations,
      utilization: cell.cost.utilization,
      spillover: cell.cost.spilloverInvocations,
      flag: cell.flag,
    })),
    observedDays: observed.days,
    breakEven: estimate.breakEven,
    monthlyWithPc: estimate.monthly.withPc,
    monthlyWithoutPc: estimate.monthly.withoutPc,
    monthlyDifference: estimate.monthly.difference,
    utilization: estimate.utilization,
    spilloverPerWeek: estimate.weekly.spilloverInvocations,
    underUtilizedHours: estimate.underUtilizedHours,
    spilloverHours: estimate.spilloverHours,
    averageDurationMs: observed.averageDurationMs,
  };
}

/** The schedule's week, estimated against what was observed. */
export function estimateFor(input: {
  target: { minCapacity: number; maxCapacity: number } | null;
  actions: ScheduleActionSpec[];
  currentLevel: number;
  nowMs: number;
  points: ObservedPoint[];
  fn: { memoryMb: number; architecture: string };
  timeZone: string;
}): { estimate: ScheduleEstimate; dto: HeatmapDto } {
  const levels = weekLevels({
    target: input.target,
    actions: input.actions,
    currentLevel: input.currentLevel,
    nowMs: input.nowMs,
    timeZone: input.timeZone,
  });
  const observed = observedFor(input.points, input.timeZone);
  const estimate = estimateSchedule({
    levels,
    observed,
    memoryMb: input.fn.memoryMb,
    architecture: input.fn.architecture,
  });
  return { estimate, dto: heatmapDto(estimate, levels.average, input.timeZone, observed) };
}

export interface PcContext {
  fn: FunctionState;
  alias: AliasState;
  resourceId: string;
  target: ScalableTargetInfo | null;
  actions: ScheduledActionInfo[];
  pc: PcState | null;
  account: { unreserved: number; limit: number };
}

/** Everything a PC change is judged against; an alias that does not exist is a field error. */
export async function fetchPcContext(deps: ControlsDeps, functionName: string, aliasName: string): Promise<PcContext> {
  const fn = await getFunctionState(deps.lambda, functionName);
  const alias = await findAlias(deps.lambda, functionName, aliasName);
  if (!alias) {
    throw new AppError("INVALID_INPUT", {
      userMessage: `${functionName} has no alias called ${aliasName}.`,
      fieldErrors: { alias: [`${functionName} has no alias called ${aliasName}`] },
    });
  }
  const resourceId = pcResourceId(functionName, aliasName);
  const [target, actions, pc, account] = await Promise.all([
    describeScalableTarget(deps.autoScaling, resourceId),
    describeScheduledActions(deps.autoScaling, resourceId),
    getProvisionedConcurrency(deps.lambda, functionName, aliasName),
    getAccountSettings(deps.lambda),
  ]);
  return {
    fn,
    alias,
    resourceId,
    target,
    actions,
    pc,
    account: { unreserved: account.unreservedConcurrentExecutions, limit: account.concurrentExecutions },
  };
}

export function guardsFor(context: PcContext, peakPc: number, actions: ScheduleActionSpec[], nowMs: number): Guard[] {
  return [
    ...pcGuards({
      functionName: context.fn.name,
      qualifier: context.alias.name,
      aliasVersion: context.alias.functionVersion,
      aliasRouting: context.alias.routing,
      snapStart: context.fn.snapStart,
      ...(context.fn.reservedConcurrency !== undefined ? { reservedConcurrency: context.fn.reservedConcurrency } : {}),
      unreservedConcurrency: context.account.unreserved,
      currentPc: context.pc?.requested ?? 0,
      peakPc,
    }),
    ...scheduleGuards(actions, nowMs),
  ];
}

/** The peak PC a target + actions can reach. */
export function peakOf(target: { maxCapacity: number } | null, actions: readonly ScheduleActionSpec[]): number {
  const values = actions.map((action) => action.minCapacity ?? 0);
  if (target) values.push(Math.min(target.maxCapacity, Math.max(0, ...values, 0)));
  return Math.max(0, ...values);
}

export async function fetchConcurrencyView(
  deps: ControlsDeps,
  functionName: string,
  aliasName?: string,
): Promise<ConcurrencyViewDto> {
  const aliases = (await listAliases(deps.lambda, functionName)).map((alias) => alias.name);
  const alias =
    aliasName ?? (aliases.includes(templateFunction.aliasName) ? templateFunction.aliasName : (aliases[0] ?? ""));
  if (!alias) {
    throw new AppError("NOT_FOUND", {
      userMessage: `${functionName} has no alias. Provisioned concurrency lives on an alias or a published version: create an alias first.`,
    });
  }
  const context = await fetchPcContext(deps, functionName, alias);
  const nowMs = deps.nowMs();
  const specs = context.actions.map(toSpec);
  const activities = await listScalingActivities(deps.autoScaling, context.resourceId, nowMs - 14 * DAY_MS);
  const upcoming = context.actions
    .flatMap((action) =>
      toActionDto(action, nowMs).nextFirings.map((at) => ({
        at,
        action: action.name,
        minCapacity: action.minCapacity ?? null,
        maxCapacity: action.maxCapacity ?? null,
      })),
    )
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(0, 5);
  const zone = displayZone(context.actions);
  let heatmap: HeatmapDto | null = null;
  let heatmapError: string | null = null;
  try {
    const points = await fetchObserved(deps, functionName);
    heatmap = estimateFor({
      target: context.target,
      actions: specs,
      currentLevel: context.pc?.requested ?? 0,
      nowMs,
      points,
      fn: context.fn,
      timeZone: zone,
    }).dto;
  } catch (error) {
    heatmapError = AppError.from(error).userMessage;
  }
  return {
    functionName,
    alias,
    aliases,
    aliasVersion: context.alias.functionVersion,
    aliasRevisionId: context.alias.revisionId,
    latestRevisionId: context.fn.revisionId,
    fn: {
      memoryMb: context.fn.memoryMb,
      runtime: context.fn.runtime,
      architecture: context.fn.architecture,
      snapStart: context.fn.snapStart,
      reservedConcurrency: context.fn.reservedConcurrency ?? null,
    },
    resourceId: context.resourceId,
    target: context.target,
    actions: context.actions.map((action) => toActionDto(action, nowMs)),
    upcoming,
    activities: activities.slice(0, 10).map((activity) => ({
      at: new Date(activity.startMs).toISOString(),
      description: activity.description,
      cause: activity.cause,
      status: activity.status,
    })),
    pc: context.pc,
    account: context.account,
    guards: guardsFor(context, peakOf(context.target, specs), specs, nowMs),
    heatmap,
    heatmapError,
    nowMs,
  };
}

/** "$12.34 → $15.00 a month (+$2.66)". */
export function describeCostChange(before: number, after: number): string {
  const difference = after - before;
  const sign = difference >= 0 ? "+" : "−";
  return `${formatDollars(before)} → ${formatDollars(after)} a month (${sign}${formatDollars(Math.abs(difference))})`;
}
