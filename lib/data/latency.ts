import "server-only";
import { queryAudit } from "@/lib/audit";
import { requireRole } from "@/lib/auth/session";
import { getAwsClients, getSandbox } from "@/lib/aws/clients";
import { getDb } from "@/lib/db";
import { toCsv } from "@/lib/domain/csv";
import { addViewCosts, type ViewCost } from "@/lib/domain/latency";
import { type Cached, FreshnessCache, freshnessForWindow } from "@/lib/domain/latency-cache";
import {
  RANGE_PRESETS,
  type RangePreset,
  resolveWindow,
  type TimeWindow,
  type WindowSelection,
} from "@/lib/domain/periods";
import { AppError } from "@/lib/errors";
import {
  type FleetInventory,
  type FleetLogs,
  type FleetMetrics,
  type FunctionAnnotations,
  type FunctionLogs,
  type FunctionMetrics,
  type FunctionSummary,
  fetchFleetInventory,
  fetchFleetLogs,
  fetchFleetMetrics,
  fetchFunctionAnnotations,
  fetchFunctionLogs,
  fetchFunctionMetrics,
  fetchFunctionSummary,
  type LatencySources,
  metricSeriesKeys,
} from "./latency-fetchers";

/**
 * The latency pages' data access: every export authorizes (viewer) first, then reads through a
 * server-side cache shared by all users (the fetchers are user-independent), so twenty people opening
 * the same page cost one set of AWS calls. Results carry their freshness ("as of") and, when a
 * refresh failed, the last good data with the reason.
 */

export type {
  FleetInventory,
  FleetLogs,
  FleetMetrics,
  FunctionAnnotations,
  FunctionLogs,
  FunctionMetrics,
  FunctionSummary,
};

export interface Fresh<T> {
  data: T;
  asOfMs: number;
  stale: boolean;
  refreshError?: string;
}

const globalCache = globalThis as typeof globalThis & { phoenixLatencyCache?: FreshnessCache };
function cache(): FreshnessCache {
  globalCache.phoenixLatencyCache ??= new FreshnessCache(Date.now, 500, (error) => AppError.from(error).userMessage);
  return globalCache.phoenixLatencyCache;
}

function fresh<T>(cached: Cached<T>): Fresh<T> {
  return {
    data: cached.value,
    asOfMs: cached.fetchedAtMs,
    stale: cached.stale,
    ...(cached.refreshError ? { refreshError: cached.refreshError } : {}),
  };
}

async function sources(): Promise<LatencySources> {
  const [clients, sandbox, db] = await Promise.all([getAwsClients(), getSandbox(), getDb()]);
  return {
    clients,
    nowMs: Date.now(),
    audit: (functionName, sinceMs) =>
      queryAudit(db, { target: `function:${functionName}`, from: new Date(sinceMs).toISOString() }, 500),
    ...(sandbox ? { history: () => sandbox.history() } : {}),
  };
}

const configurationFreshness = { ttlMs: 60_000, maxStaleMs: 15 * 60_000 };

/** Lambda function names: what the API accepts, so anything else is "not found" without an AWS call. */
const functionNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

function notFound(name: string): AppError {
  return new AppError("NOT_FOUND", { userMessage: `There is no function called “${name.slice(0, 64)}”.` });
}

function windowKey(selection: WindowSelection): string {
  return selection.range === "custom" ? `custom:${selection.from}:${selection.to}` : selection.range;
}

function resolveOrThrow(selection: WindowSelection, nowMs: number): TimeWindow {
  const result = resolveWindow(selection, nowMs);
  if (!result.ok) throw new AppError("INVALID_INPUT", { userMessage: result.message });
  return result.window;
}

function windowLength(selection: WindowSelection): number {
  if (selection.range !== "custom") return RANGE_PRESETS[selection.range];
  return Math.max(0, Date.parse(selection.to) - Date.parse(selection.from)) || RANGE_PRESETS["24h"];
}

// =============================================================================================
// Overview

/** Ranges the overview offers: its comparison is "the same window two weeks earlier". */
export const overviewRanges = ["1h", "3h", "12h", "24h", "7d", "14d"] as const satisfies readonly RangePreset[];
export type OverviewRange = (typeof overviewRanges)[number];

function inventory(): Promise<Cached<FleetInventory>> {
  return cache().get("fleet-inventory", configurationFreshness, async () => fetchFleetInventory(await sources()));
}

function overviewWindow(range: OverviewRange, nowMs: number): { startMs: number; endMs: number } {
  const endMs = Math.floor(nowMs / 60_000) * 60_000;
  return { startMs: endMs - RANGE_PRESETS[range], endMs };
}

function fleetMetrics(range: OverviewRange, focus: readonly string[]): Promise<Cached<FleetMetrics>> {
  const focusKey = [...focus].sort().join(",");
  return cache().get(`fleet-metrics|${range}|${focusKey}`, freshnessForWindow(RANGE_PRESETS[range]), async () => {
    const from = await sources();
    const functions = (await inventory()).value;
    return fetchFleetMetrics(from, functions, overviewWindow(range, from.nowMs), focus);
  });
}

export interface FleetView {
  inventory: FleetInventory;
  metrics: FleetMetrics;
}

/** The fleet's functions and their latency over the range (metrics only: the fast part). */
export async function getFleetMetrics(range: OverviewRange, focus: readonly string[]): Promise<Fresh<FleetView>> {
  await requireRole("viewer");
  const [functions, metrics] = await Promise.all([inventory(), fleetMetrics(range, focus)]);
  return {
    ...fresh(metrics),
    data: { inventory: functions.value, metrics: metrics.value },
  };
}

/** Cold starts and timeouts per function from Logs Insights (the slow part, streamed separately). */
export async function getFleetLogs(range: OverviewRange, focus: readonly string[]): Promise<Fresh<FleetLogs>> {
  await requireRole("viewer");
  const focusKey = [...focus].sort().join(",");
  const cached = await cache().get(
    `fleet-logs|${range}|${focusKey}`,
    freshnessForWindow(RANGE_PRESETS[range]),
    async () => {
      const from = await sources();
      const [functions, metrics] = await Promise.all([inventory(), fleetMetrics(range, focus)]);
      return fetchFleetLogs(from, functions.value, overviewWindow(range, from.nowMs), focus, metrics.value);
    },
  );
  return fresh(cached);
}

// =============================================================================================
// One function

function summary(name: string): Promise<Cached<FunctionSummary>> {
  if (!functionNamePattern.test(name)) return Promise.reject(notFound(name));
  return cache().get(`summary|${name}`, configurationFreshness, async () =>
    fetchFunctionSummary(await sources(), name).catch((error: unknown) => {
      throw AppError.from(error).code === "NOT_FOUND" ? notFound(name) : error;
    }),
  );
}

/** The configuration summary; AppError NOT_FOUND for an unknown function (the page shows notFound). */
export async function getFunctionSummary(name: string): Promise<Fresh<FunctionSummary>> {
  await requireRole("viewer");
  return fresh(await summary(name));
}

export interface ChartOptions {
  averageAndMaximum: boolean;
}

function functionMetrics(
  name: string,
  selection: WindowSelection,
  options: ChartOptions,
): Promise<Cached<FunctionMetrics>> {
  const key = `metrics|${name}|${windowKey(selection)}|${options.averageAndMaximum ? "all" : "pct"}`;
  return cache().get(key, freshnessForWindow(windowLength(selection)), async () => {
    const from = await sources();
    const window = resolveOrThrow(selection, from.nowMs);
    return fetchFunctionMetrics(from, (await summary(name)).value, window, options);
  });
}

export async function getFunctionMetrics(
  name: string,
  selection: WindowSelection,
  options: ChartOptions,
): Promise<Fresh<FunctionMetrics>> {
  await requireRole("viewer");
  return fresh(await functionMetrics(name, selection, options));
}

function functionLogs(name: string, selection: WindowSelection): Promise<Cached<FunctionLogs>> {
  return cache().get(`logs|${name}|${windowKey(selection)}`, freshnessForWindow(windowLength(selection)), async () => {
    const from = await sources();
    return fetchFunctionLogs(from, (await summary(name)).value, resolveOrThrow(selection, from.nowMs));
  });
}

export async function getFunctionLogs(name: string, selection: WindowSelection): Promise<Fresh<FunctionLogs>> {
  await requireRole("viewer");
  return fresh(await functionLogs(name, selection));
}

function functionAnnotations(name: string, selection: WindowSelection): Promise<Cached<FunctionAnnotations>> {
  // Short TTL: a change someone just made should show up on the next load.
  return cache().get(`annotations|${name}|${windowKey(selection)}`, { ttlMs: 15_000, maxStaleMs: 60_000 }, async () => {
    const from = await sources();
    return fetchFunctionAnnotations(from, (await summary(name)).value, resolveOrThrow(selection, from.nowMs));
  });
}

export async function getFunctionAnnotations(
  name: string,
  selection: WindowSelection,
): Promise<Fresh<FunctionAnnotations>> {
  await requireRole("viewer");
  return fresh(await functionAnnotations(name, selection));
}

/** What one uncached load of the function page costs (summed over its widgets). */
export function functionViewCost(parts: { cost: ViewCost }[]): ViewCost {
  return addViewCosts(...parts.map((part) => part.cost));
}

/** The function page's chart data as CSV: one row per period, metrics then logs columns. */
export async function getFunctionChartCsv(
  name: string,
  selection: WindowSelection,
  options: ChartOptions,
): Promise<string> {
  await requireRole("viewer");
  const [metrics, logs] = await Promise.all([functionMetrics(name, selection, options), functionLogs(name, selection)]);
  const logsByTime = new Map(logs.value.rows.map((row) => [row.t, row]));
  const metricColumns = metricSeriesKeys.filter((key) => options.averageAndMaximum || (key !== "avg" && key !== "max"));
  const logColumns = ["coldStarts", "initP50", "initP90", "timeouts"] as const;
  const units: Record<string, string> = {
    p50: "p50 duration (ms)",
    p90: "p90 duration (ms)",
    p99: "p99 duration (ms)",
    avg: "average duration (ms)",
    max: "maximum duration (ms)",
    invocations: "invocations",
    errors: "errors",
    throttles: "throttles",
    concurrency: "max concurrent executions",
    pcAllocated: "provisioned concurrency allocated",
    pcBusy: "provisioned concurrency busy (max)",
    pcUtilization: "provisioned concurrency utilization (0-1)",
    spillover: "spill-over invocations",
    coldStarts: "cold starts",
    initP50: "init duration p50 (ms)",
    initP90: "init duration p90 (ms)",
    timeouts: "timeouts",
  };
  return toCsv(
    [
      "period start (UTC)",
      ...metricColumns.map((key) => units[key] ?? key),
      ...logColumns.map((key) => units[key] ?? key),
    ],
    metrics.value.rows.map((row) => {
      const logRow = logsByTime.get(row.t);
      return [
        new Date(row.t).toISOString(),
        ...metricColumns.map((key) => roundForCsv(row[key])),
        ...logColumns.map((key) => roundForCsv(logRow?.[key])),
      ];
    }),
  );
}

function roundForCsv(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  return Math.round(value * 1000) / 1000;
}
