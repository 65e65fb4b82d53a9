import { type Architecture, pricesFor, USD_PER_REQUEST } from "./cost";

export type { Architecture };

export function toArchitecture(value: string | undefined): Architecture {
  return value === "arm64" ? "arm64" : "x86_64";
}

/**
 * The duration cost of one on-demand invocation: billed ms (rounded up to 1 ms) × memory in GB × the
 * per-GB-second price of lib/domain/cost.ts. The request charge is separate (`USD_PER_REQUEST`).
 */
export function durationCostUsd(billedMs: number, memoryMb: number, architecture: Architecture = "x86_64"): number {
  return (Math.ceil(billedMs) / 1_000) * (memoryMb / 1_024) * pricesFor(architecture).onDemandGbSecond;
}

/**
 * Power-tuning analysis, pure: reading the platform REPORT of an invocation (text and JSON log
 * formats), statistics per memory value (percentiles, trimmed mean), the cost model, the strategies
 * of the reference tool (AWS Lambda Power Tuning) and the recommendation in words.
 */

// ---------------------------------------------------------------------------------------------
// REPORT lines

export interface ParsedReport {
  requestId?: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Present on a cold start only. */
  initDurationMs?: number;
  /** SnapStart: restoring the snapshot instead of INIT. */
  restoreDurationMs?: number;
  billedRestoreDurationMs?: number;
  timedOut: boolean;
  /** The report's own status when it has one (`timeout`, `error`, `success` in the JSON format). */
  status?: string;
  format: "text" | "json";
}

// Each field by name; lookbehinds keep "Duration" from matching inside "Billed Duration" and friends.
const TEXT_PATTERNS = {
  requestId: /^REPORT RequestId: ([\w-]+)/,
  durationMs: /(?<!(?:Billed|Init|Restore) )Duration: (\d+(?:\.\d+)?) ms/,
  billedDurationMs: /(?<!Restore )Billed Duration: (\d+(?:\.\d+)?) ms/,
  memorySizeMb: /Memory Size: (\d+) MB/,
  maxMemoryUsedMb: /Max Memory Used: (\d+) MB/,
  initDurationMs: /Init Duration: (\d+(?:\.\d+)?) ms/,
  restoreDurationMs: /(?<!Billed )Restore Duration: (\d+(?:\.\d+)?) ms/,
  billedRestoreDurationMs: /Billed Restore Duration: (\d+(?:\.\d+)?) ms/,
  status: /Status: (\w+)/,
} as const;

/**
 * One text REPORT line: tab-separated `Name: value unit` fields (AWS_BEHAVIOUR.md §2.5); lines
 * printed with spaces instead of tabs (as documentation and some consoles show them) are read too.
 */
export function parseTextReport(line: string): ParsedReport | null {
  if (!line.startsWith("REPORT ")) return null;
  const text = (key: keyof typeof TEXT_PATTERNS) => TEXT_PATTERNS[key].exec(line)?.[1];
  const num = (key: keyof typeof TEXT_PATTERNS) => {
    const value = text(key);
    return value === undefined ? undefined : Number(value);
  };
  const durationMs = num("durationMs");
  const billedDurationMs = num("billedDurationMs");
  if (durationMs === undefined || billedDurationMs === undefined) return null;
  const status = text("status");
  const report: ParsedReport = {
    durationMs,
    billedDurationMs,
    memorySizeMb: num("memorySizeMb") ?? 0,
    maxMemoryUsedMb: num("maxMemoryUsedMb") ?? 0,
    timedOut: status === "timeout",
    format: "text",
  };
  const requestId = text("requestId");
  if (requestId) report.requestId = requestId;
  const init = num("initDurationMs");
  if (init !== undefined) report.initDurationMs = init;
  const restore = num("restoreDurationMs");
  if (restore !== undefined) report.restoreDurationMs = restore;
  const billedRestore = num("billedRestoreDurationMs");
  if (billedRestore !== undefined) report.billedRestoreDurationMs = billedRestore;
  if (status) report.status = status;
  return report;
}

/** One JSON-format platform line: `{"type":"platform.report","record":{requestId,status,metrics{…}}}`. */
export function parseJsonReport(line: string): ParsedReport | null {
  if (!line.startsWith("{") || !line.includes("platform.report")) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  const event = parsed as { type?: unknown; record?: { requestId?: unknown; status?: unknown; metrics?: unknown } };
  if (event.type !== "platform.report" || typeof event.record !== "object" || event.record === null) return null;
  const metrics = (event.record.metrics ?? {}) as Record<string, unknown>;
  const num = (key: string) => (typeof metrics[key] === "number" ? (metrics[key] as number) : undefined);
  const durationMs = num("durationMs");
  const billedDurationMs = num("billedDurationMs");
  if (durationMs === undefined || billedDurationMs === undefined) return null;
  const status = typeof event.record.status === "string" ? event.record.status : undefined;
  const report: ParsedReport = {
    durationMs,
    billedDurationMs,
    memorySizeMb: num("memorySizeMB") ?? 0,
    maxMemoryUsedMb: num("maxMemoryUsedMB") ?? 0,
    timedOut: status === "timeout",
    format: "json",
  };
  if (typeof event.record.requestId === "string") report.requestId = event.record.requestId;
  const init = num("initDurationMs");
  if (init !== undefined) report.initDurationMs = init;
  const restore = num("restoreDurationMs");
  if (restore !== undefined) report.restoreDurationMs = restore;
  const billedRestore = num("billedRestoreDurationMs");
  if (billedRestore !== undefined) report.billedRestoreDurationMs = billedRestore;
  if (status) report.status = status;
  return report;
}

/**
 * The REPORT of an invocation from its log tail (Invoke `LogType: Tail` returns the last 4 KB, so the
 * first line may be cut anywhere): the last complete text REPORT line or JSON platform.report line.
 */
export function parseLogTail(tail: string): ParsedReport | null {
  return findReport(tail)?.report ?? null;
}

function findReport(tail: string): { report: ParsedReport; line: string } | null {
  let end = tail.length;
  while (end > 0) {
    const start = tail.lastIndexOf("\n", end - 1);
    const line = tail.slice(start + 1, end).trim();
    end = Math.max(start, 0);
    if (line === "") continue;
    // The first line of a cut tail is a fragment: it counts only if it is whole (starts as a line does).
    const report = parseTextReport(line) ?? parseJsonReport(line);
    if (report) return { report, line };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// One invocation as Phoenix records it

export type InvocationStatus = "success" | "error" | "timeout";

export interface InvocationResult {
  memoryMb: number;
  /** Position within its memory value (0-based), so a resumed run never counts one twice. */
  sequence: number;
  status: InvocationStatus;
  durationMs: number;
  billedDurationMs: number;
  initDurationMs: number;
  restoreDurationMs: number;
  billedRestoreDurationMs: number;
  maxMemoryUsedMb: number;
  /** The function's error type (`Unhandled`, or the errorType of the payload) when it failed. */
  errorType?: string;
  /** The REPORT line as received (null when the tail held none). */
  report: string | null;
}

/**
 * Turns what Invoke returned into a recorded result: the REPORT gives the figures, the
 * `X-Amz-Function-Error` header (or `Status: timeout`) says whether it failed.
 */
export function toInvocationResult(input: {
  memoryMb: number;
  sequence: number;
  logTail: string;
  functionError?: string;
  responsePayload?: string;
}): InvocationResult {
  const found = findReport(input.logTail);
  const report = found?.report ?? null;
  const payloadErrorType = errorTypeOf(input.responsePayload);
  const timedOut = report?.timedOut === true || payloadErrorType === "Sandbox.Timedout";
  const status: InvocationStatus = timedOut ? "timeout" : input.functionError ? "error" : "success";
  const result: InvocationResult = {
    memoryMb: input.memoryMb,
    sequence: input.sequence,
    status: report ? status : "error",
    durationMs: report?.durationMs ?? 0,
    billedDurationMs: report?.billedDurationMs ?? 0,
    initDurationMs: report?.initDurationMs ?? 0,
    restoreDurationMs: report?.restoreDurationMs ?? 0,
    billedRestoreDurationMs: report?.billedRestoreDurationMs ?? 0,
    maxMemoryUsedMb: report?.maxMemoryUsedMb ?? 0,
    report: found?.line ?? null,
  };
  if (!report) result.errorType = "NoReport";
  else if (status !== "success") result.errorType = payloadErrorType ?? input.functionError ?? "Timeout";
  return result;
}

function errorTypeOf(payload: string | undefined): string | undefined {
  if (!payload?.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(payload) as { errorType?: unknown };
    return typeof parsed.errorType === "string" ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics

/** The p-th percentile (0–100) by nearest rank: the smallest value with at least p % of values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/**
 * The mean after dropping floor(n × fraction) values at each end, as the reference tool does
 * (`discardTopBottom`, default 0.2). A fraction that would drop everything keeps the median pair.
 */
export function trimmedMean(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  let drop = Math.floor(sorted.length * Math.max(0, fraction));
  if (sorted.length - 2 * drop < 1) drop = Math.floor((sorted.length - 1) / 2);
  const kept = sorted.slice(drop, sorted.length - drop);
  return kept.reduce((sum, value) => sum + value, 0) / kept.length;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export interface DurationStats {
  p50: number | null;
  p90: number | null;
  p99: number | null;
  trimmedMean: number | null;
}

function durationStats(values: readonly number[], trimFraction: number): DurationStats {
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    trimmedMean: trimmedMean(values, trimFraction),
  };
}

export interface MemorySummary {
  memoryMb: number;
  invocations: number;
  errors: number;
  timeouts: number;
  coldStarts: number;
  /** Duration as reported (the handler alone). */
  duration: DurationStats;
  /** Duration + Init Duration + Restore Duration: what a caller waits (the reference tool's measure). */
  totalDuration: DurationStats;
  /** Mean Init Duration of the cold starts (null without any). */
  initMean: number | null;
  /** Trimmed mean of the billed ms (Billed Duration + Billed Restore Duration). */
  billedMean: number | null;
  /** Duration cost of one invocation at the trimmed billed mean, by architecture (requests excluded). */
  costPerInvocation: Record<Architecture, number | null>;
  /** The request charge per invocation (the same for every memory value). */
  requestCostPerInvocation: number;
  maxMemoryUsedMb: number | null;
}

/**
 * Summarizes the invocations of one memory value. Statistics cover every invocation that produced a
 * REPORT (timeouts included: their Duration is the timeout, which is what callers felt).
 */
export function summarizeMemory(
  memoryMb: number,
  results: readonly InvocationResult[],
  trimFraction: number,
): MemorySummary {
  const measured = results.filter((result) => result.report !== null);
  const durations = measured.map((result) => result.durationMs);
  const totals = measured.map((result) => result.durationMs + result.initDurationMs + result.restoreDurationMs);
  const cold = measured.filter((result) => result.initDurationMs > 0 || result.restoreDurationMs > 0);
  const billed = measured.map((result) => result.billedDurationMs + result.billedRestoreDurationMs);
  const billedMean = trimmedMean(billed, trimFraction);
  return {
    memoryMb,
    invocations: results.length,
    errors: results.filter((result) => result.status === "error").length,
    timeouts: results.filter((result) => result.status === "timeout").length,
    coldStarts: cold.length,
    duration: durationStats(durations, trimFraction),
    totalDuration: durationStats(totals, trimFraction),
    initMean: mean(cold.map((result) => result.initDurationMs + result.restoreDurationMs)),
    billedMean,
    costPerInvocation: {
      x86_64: billedMean === null ? null : durationCostUsd(billedMean, memoryMb, "x86_64"),
      arm64: billedMean === null ? null : durationCostUsd(billedMean, memoryMb, "arm64"),
    },
    requestCostPerInvocation: USD_PER_REQUEST,
    maxMemoryUsedMb: measured.length === 0 ? null : Math.max(...measured.map((result) => result.maxMemoryUsedMb)),
  };
}

// ---------------------------------------------------------------------------------------------
// Strategies

export type Strategy = "cost" | "speed" | "balanced";
export const STRATEGIES: readonly Strategy[] = ["cost", "speed", "balanced"];

/** What a strategy compares: the reference tool's average cost and trimmed average duration. */
export interface Candidate {
  memoryMb: number;
  cost: number;
  duration: number;
}

// Float noise (1e-15) must not break a tie the reference tool would see.
const sameValue = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-12);

function compareBy(first: (c: Candidate) => number, second: (c: Candidate) => number) {
  return (a: Candidate, b: Candidate) => {
    const x = first(a);
    const y = first(b);
    if (!sameValue(x, y)) return x - y;
    const u = second(a);
    const v = second(b);
    if (!sameValue(u, v)) return u - v;
    return a.memoryMb - b.memoryMb;
  };
}

/**
 * The memory value a strategy picks. `cost`: cheapest, ties → faster. `speed`: fastest, ties →
 * cheaper. `balanced`: minimises w·cost/maxCost + (1−w)·duration/maxDuration (w = 1 is cost, 0 is
 * speed), ties → cheaper, then faster. Equal on everything → the smaller memory.
 */
export function pickMemory(
  candidates: readonly Candidate[],
  strategy: Strategy,
  balancedWeight = 0.5,
): Candidate | null {
  if (candidates.length === 0) return null;
  const byCost = compareBy(
    (c) => c.cost,
    (c) => c.duration,
  );
  const bySpeed = compareBy(
    (c) => c.duration,
    (c) => c.cost,
  );
  if (strategy === "cost") return [...candidates].sort(byCost)[0] ?? null;
  if (strategy === "speed") return [...candidates].sort(bySpeed)[0] ?? null;
  const maxCost = Math.max(...candidates.map((c) => c.cost)) || 1;
  const maxDuration = Math.max(...candidates.map((c) => c.duration)) || 1;
  const score = (c: Candidate) =>
    balancedWeight * (c.cost / maxCost) + (1 - balancedWeight) * (c.duration / maxDuration);
  return (
    [...candidates].sort((a, b) => {
      const x = score(a);
      const y = score(b);
      return sameValue(x, y) ? byCost(a, b) : x - y;
    })[0] ?? null
  );
}

// ---------------------------------------------------------------------------------------------
// The analysis of a run

export interface Recommendation {
  strategy: Strategy;
  memoryMb: number | null;
  /** "1,024 MB: 41 % faster and 9 % cheaper than today's 512 MB". */
  words: string;
}

export interface TuningAnalysis {
  architecture: Architecture;
  /** The memory the function had before the run ("today's"). */
  baselineMemoryMb: number;
  memories: MemorySummary[];
  /** Memory values left out of the recommendation, with the reason in words. */
  excluded: { memoryMb: number; reason: string }[];
  recommendations: Recommendation[];
  /** The strategy the person chose, and its pick. */
  chosen: Recommendation;
}

export function formatMemory(memoryMb: number): string {
  return `${memoryMb.toLocaleString("en-US")} MB`;
}

function relative(value: number, baseline: number, lower: string, higher: string): string | null {
  if (baseline <= 0) return null;
  const change = Math.round((1 - value / baseline) * 100);
  if (change === 0) return null;
  return change > 0 ? `${change} % ${lower}` : `${-change} % ${higher}`;
}

/** The recommendation in words, against today's memory when it was measured. */
export function describeRecommendation(
  pick: Candidate | null,
  baseline: Candidate | undefined,
  baselineMemoryMb: number,
  /** Why today's memory is not a candidate when it was measured (e.g. "1 timeout"). */
  baselineExcludedFor?: string,
): string {
  if (!pick) return "No recommendation: every memory value had errors or timeouts.";
  const today = formatMemory(baselineMemoryMb);
  if (pick.memoryMb === baselineMemoryMb) return `${today}: keep today's setting.`;
  if (!baseline && baselineExcludedFor) {
    return `${formatMemory(pick.memoryMb)} (today's ${today} had ${baselineExcludedFor}, so no comparison).`;
  }
  if (!baseline) return `${formatMemory(pick.memoryMb)} (today's ${today} was not measured in this run).`;
  const speed = relative(pick.duration, baseline.duration, "faster", "slower");
  const cost = relative(pick.cost, baseline.cost, "cheaper", "more expensive");
  const memory = formatMemory(pick.memoryMb);
  if (speed && cost) return `${memory}: ${speed} and ${cost} than today's ${today}`;
  if (speed) return `${memory}: ${speed} than today's ${today}, at the same cost`;
  if (cost) return `${memory}: ${cost} than today's ${today}, at the same speed`;
  return `${memory}: the same speed and cost as today's ${today}`;
}

/**
 * Analyses a run: one summary per memory value, the candidates (memory values without errors or
 * timeouts), and every strategy's pick in words.
 */
export function analyzeRun(input: {
  results: readonly InvocationResult[];
  memoryValues: readonly number[];
  baselineMemoryMb: number;
  architecture: Architecture;
  trimFraction: number;
  strategy: Strategy;
  balancedWeight: number;
}): TuningAnalysis {
  const byMemory = new Map<number, InvocationResult[]>();
  for (const memory of input.memoryValues) byMemory.set(memory, []);
  for (const result of input.results) byMemory.get(result.memoryMb)?.push(result);
  const memories = [...byMemory.entries()]
    .sort(([a], [b]) => a - b)
    .map(([memory, results]) => summarizeMemory(memory, results, input.trimFraction));
  const excluded: { memoryMb: number; reason: string }[] = [];
  const candidates: Candidate[] = [];
  for (const summary of memories) {
    const cost = summary.costPerInvocation[input.architecture];
    const duration = summary.totalDuration.trimmedMean;
    const problems = [
      summary.timeouts > 0 ? `${summary.timeouts} timeout${summary.timeouts === 1 ? "" : "s"}` : "",
      summary.errors > 0 ? `${summary.errors} error${summary.errors === 1 ? "" : "s"}` : "",
    ].filter(Boolean);
    if (summary.invocations === 0 || cost === null || duration === null) {
      excluded.push({ memoryMb: summary.memoryMb, reason: "not measured" });
    } else if (problems.length > 0) {
      excluded.push({ memoryMb: summary.memoryMb, reason: problems.join(" and ") });
    } else {
      candidates.push({ memoryMb: summary.memoryMb, cost: cost + USD_PER_REQUEST, duration });
    }
  }
  const baseline = candidates.find((candidate) => candidate.memoryMb === input.baselineMemoryMb);
  const recommend = (strategy: Strategy): Recommendation => {
    const pick = pickMemory(candidates, strategy, input.balancedWeight);
    return {
      strategy,
      memoryMb: pick?.memoryMb ?? null,
      words: describeRecommendation(
        pick,
        baseline,
        input.baselineMemoryMb,
        excluded.find((item) => item.memoryMb === input.baselineMemoryMb && item.reason !== "not measured")?.reason,
      ),
    };
  };
  const recommendations = STRATEGIES.map(recommend);
  return {
    architecture: input.architecture,
    baselineMemoryMb: input.baselineMemoryMb,
    memories,
    excluded,
    recommendations,
    chosen: recommendations.find((r) => r.strategy === input.strategy) ?? recommend(input.strategy),
  };
}

// ---------------------------------------------------------------------------------------------
// Payloads and estimates

/**
 * Which payload each of `count` invocations sends: counts proportional to the weights (largest
 * remainder), interleaved so every prefix of the run is close to the mix.
 */
export function payloadSchedule(weights: readonly number[], count: number): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (weights.length === 0 || total <= 0 || count <= 0) return [];
  // Smooth weighted round robin (as nginx balances upstreams): deterministic and well interleaved.
  const current = weights.map(() => 0);
  const schedule: number[] = [];
  for (let step = 0; step < count; step++) {
    let best = 0;
    for (let index = 0; index < weights.length; index++) {
      current[index] = (current[index] as number) + (weights[index] as number);
      if ((current[index] as number) > (current[best] as number)) best = index;
    }
    current[best] = (current[best] as number) - total;
    schedule.push(best);
  }
  return schedule;
}

export interface RunEstimate {
  invocations: number;
  /** Every invocation runs to the function's timeout: the most the run can cost. */
  maxUsd: number;
  /** From a previous run's measured billed durations, when there is one for these memory values. */
  typicalUsd: number | null;
  requestsUsd: number;
}

/**
 * What a run will cost: the invocation count, the ceiling (all at the timeout) and, when an earlier
 * run measured these memory values, the expected cost.
 */
export function estimateRun(input: {
  memoryValues: readonly number[];
  invocationsPerValue: number;
  timeoutSeconds: number;
  architecture: Architecture;
  previous?: readonly MemorySummary[];
}): RunEstimate {
  const invocations = input.memoryValues.length * input.invocationsPerValue;
  const requestsUsd = invocations * USD_PER_REQUEST;
  let maxUsd = requestsUsd;
  let typicalUsd: number | null = input.previous ? requestsUsd : null;
  for (const memory of input.memoryValues) {
    maxUsd += input.invocationsPerValue * durationCostUsd(input.timeoutSeconds * 1_000, memory, input.architecture);
    const measured = input.previous?.find((summary) => summary.memoryMb === memory)?.billedMean;
    if (typicalUsd !== null) {
      typicalUsd =
        measured === null || measured === undefined
          ? null
          : typicalUsd + input.invocationsPerValue * durationCostUsd(measured, memory, input.architecture);
    }
  }
  return { invocations, maxUsd, typicalUsd, requestsUsd };
}
