import { DAY_MS, MINUTE_MS } from "../../clock";
import { AwsServiceError } from "../../core/errors";
import { type DayChunk, SAMPLE_TIMEOUT } from "../../simulator/engine";
import type { LambdaMetrics } from "../../simulator/lambda-metrics";
import { hashString } from "../../simulator/random";
import { formatReportLine, simulatedRequestId } from "./report-lines";

/**
 * The CloudWatch Logs Insights subset the sandbox understands, over the simulated REPORT lines of
 * `/aws/lambda/<function>` log groups (each simulated invocation stands for `weight` real ones, so
 * counts are exact and percentiles are weighted):
 *
 *   fields <f>, …                       (non-stats queries: which fields to return)
 *   filter <cond> [and <cond> …]        cond: @type = "REPORT" | @message like /re/ | @message like "text"
 *                                       | ispresent(@f) | @f <op> <number>  (op: = != < <= > >=)
 *   stats <agg> [as name], … [by <group>, …]
 *                                       agg: count() | count(*) | count(@f) | sum/avg/min/max(@f) | pct(@f, p)
 *                                       group: bin(<n>s|m|h|d) and/or @log (one row per log group)
 *   sort <field> asc|desc               limit <n>
 *
 * Fields: @timestamp, @message, @type, @requestId, @duration, @billedDuration, @memorySize,
 * @maxMemoryUsed, @initDuration (absent on warm starts), @log (`<account id>:<log group name>`, as AWS
 * returns it), @logStream.
 *
 * Scanning reads the simulator's typed arrays through one reusable cursor (no object or string per
 * event; the message and request id are built only when a query needs them). Counting queries over
 * REPORT lines, timeouts and cold starts with bins of whole minutes (what Phoenix sends) add up per
 * minute sums cached per simulated day instead of visiting every sample.
 */

export const malformedQuery = (message: string) => new AwsServiceError("MalformedQueryException", message, 400);

/** What a condition tests, when the fast per-minute path can answer it. */
type ConditionKind = "report" | "timeout" | "init" | "other";
interface Condition {
  kind: ConditionKind;
  test: (event: Cursor) => boolean;
}
interface Aggregation {
  name: string;
  kind: "count" | "sum" | "avg" | "min" | "max" | "pct";
  field?: string;
  percentile?: number;
}
interface ParsedQuery {
  fields: string[];
  conditions: Condition[];
  stats?: { aggregations: Aggregation[]; binMs?: number; binLabel?: string; byLog: boolean; groupOrder: string[] };
  sort?: { field: string; descending: boolean };
  limit?: number;
}

/** One log group to scan: its `@log` value and the function whose REPORT lines it holds. */
export interface LogSource {
  log: string;
  functionName: string;
}

/** The event being looked at: a position in the simulator's arrays, reused for every event. */
class Cursor {
  logIndex = 0;
  log = "";
  functionKey = 0;
  chunk: DayChunk | undefined;
  minuteIndex = 0;
  minuteMs = 0;
  sample = 0;
  sampleInMinute = 0;
  timestampMs = 0;

  get c(): DayChunk {
    return this.chunk as DayChunk;
  }
  weight(): number {
    return this.c.sampleWeight[this.sample] as number;
  }
  duration(): number {
    return this.c.sampleDuration[this.sample] as number;
  }
  init(): number {
    return this.c.sampleInit[this.sample] as number;
  }
  timedOut(): boolean {
    return ((this.c.sampleFlags[this.sample] as number) & SAMPLE_TIMEOUT) !== 0;
  }
  memorySizeMb(): number {
    return this.c.memorySize[this.minuteIndex] as number;
  }
  requestId(): string {
    return simulatedRequestId(this.functionKey, this.minuteMs, this.sampleInMinute);
  }
  message(): string {
    return formatReportLine({
      requestId: this.requestId(),
      durationMs: this.duration(),
      memorySizeMb: this.memorySizeMb(),
      maxMemoryUsedMb: this.c.sampleMemoryUsed[this.sample] as number,
      initMs: this.init(),
      timedOut: this.timedOut(),
    });
  }
}

const FIELD = "(@?[A-Za-z_][A-Za-z0-9_.]*)";

export function parseInsightsQuery(query: string): ParsedQuery {
  const parsed: ParsedQuery = { fields: [], conditions: [] };
  for (const rawCommand of splitPipes(query)) {
    const command = rawCommand.trim();
    if (command === "") continue;
    const [keyword] = command.split(/\s+/, 1) as [string];
    const rest = command.slice(keyword.length).trim();
    switch (keyword.toLowerCase()) {
      case "fields":
      case "display":
        parsed.fields = rest
          .split(",")
          .map((field) => field.trim())
          .filter(Boolean);
        break;
      case "filter":
        parsed.conditions.push(...rest.split(/\s+and\s+/i).map(parseCondition));
        break;
      case "stats":
        parsed.stats = parseStats(rest);
        break;
      case "sort": {
        const match = new RegExp(`^${FIELD}(?:\\s+(asc|desc))?$`, "i").exec(rest);
        if (!match) throw malformedQuery(`Invalid sort command: ${rest}`);
        parsed.sort = { field: match[1] as string, descending: (match[2] ?? "desc").toLowerCase() === "desc" };
        break;
      }
      case "limit": {
        const limit = Number(rest);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10000) throw malformedQuery(`Invalid limit: ${rest}`);
        parsed.limit = limit;
        break;
      }
      default:
        throw malformedQuery(
          `Unsupported command '${keyword}' (the sandbox supports fields, filter, stats, sort, limit)`,
        );
    }
  }
  return parsed;
}

function splitPipes(query: string): string[] {
  // Pipes inside /regex/ or "strings" do not split commands.
  const parts: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (const character of query) {
    if (quote) {
      if (character === quote) quote = undefined;
    } else if (character === '"' || character === "/" || character === "'") {
      quote = character;
    } else if (character === "|") {
      parts.push(current);
      current = "";
      continue;
    }
    current += character;
  }
  parts.push(current);
  return parts;
}

function parseCondition(text: string): Condition {
  const condition = text.trim();
  let match = /^@type\s*=\s*["']([^"']*)["']$/.exec(condition);
  if (match) {
    const isReport = match[1] === "REPORT";
    return isReport ? { kind: "report", test: () => true } : { kind: "other", test: () => false };
  }
  match =
    /^(?:@message|@msg)\s+like\s+\/(.*)\/([i]?)$/.exec(condition) ??
    /^(?:@message|@msg)\s+like\s+["'](.*)["']$/.exec(condition);
  if (match) {
    const source = match[1] as string;
    if (/status:\s*timeout/i.test(source)) return { kind: "timeout", test: (event) => event.timedOut() };
    if (/init duration/i.test(source)) return { kind: "init", test: (event) => event.init() > 0 };
    let pattern: RegExp;
    try {
      pattern = condition.includes(" like /")
        ? new RegExp(source, match[2] ?? "")
        : new RegExp(source.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    } catch {
      throw malformedQuery(`Invalid regular expression: ${source}`);
    }
    return { kind: "other", test: (event) => pattern.test(event.message()) };
  }
  match = new RegExp(`^ispresent\\(${FIELD}\\)$`).exec(condition);
  if (match) {
    const field = match[1] as string;
    if (field === "@initDuration") return { kind: "init", test: (event) => event.init() > 0 };
    const read = fieldReader(field);
    return { kind: "other", test: (event) => read(event) !== undefined };
  }
  match = new RegExp(`^${FIELD}\\s*(=|!=|<=|>=|<|>)\\s*(-?\\d+(?:\\.\\d+)?)$`).exec(condition);
  if (match) {
    const [, field, operator, numberText] = match as unknown as [string, string, string, string];
    const threshold = Number(numberText);
    const read = fieldReader(field);
    const compare = (value: number): boolean => {
      switch (operator) {
        case "=":
          return value === threshold;
        case "!=":
          return value !== threshold;
        case "<":
          return value < threshold;
        case "<=":
          return value <= threshold;
        case ">":
          return value > threshold;
        default:
          return value >= threshold;
      }
    };
    return {
      kind: "other",
      test: (event) => {
        const value = read(event);
        return typeof value === "number" && compare(value);
      },
    };
  }
  throw malformedQuery(`Unsupported filter expression: ${condition}`);
}

function parseStats(text: string): NonNullable<ParsedQuery["stats"]> {
  const byIndex = text.search(/\sby\s/i);
  const aggregationText = byIndex >= 0 ? text.slice(0, byIndex) : text;
  const byText =
    byIndex >= 0
      ? text
          .slice(byIndex)
          .replace(/^\s*by\s+/i, "")
          .trim()
      : undefined;
  const aggregations: Aggregation[] = [];
  for (const part of splitTopLevel(aggregationText)) {
    const match =
      /^(count|sum|avg|min|max|pct)\(\s*([^),]*)\s*(?:,\s*(\d+(?:\.\d+)?))?\s*\)(?:\s+as\s+([A-Za-z_][A-Za-z0-9_]*))?$/i.exec(
        part.trim(),
      );
    if (!match) throw malformedQuery(`Unsupported stats aggregation: ${part.trim()}`);
    const kind = (match[1] as string).toLowerCase() as Aggregation["kind"];
    const field = (match[2] as string).trim();
    if (kind !== "count" && !field.startsWith("@")) throw malformedQuery(`${kind} needs a field: ${part.trim()}`);
    if (kind === "pct" && match[3] === undefined) throw malformedQuery(`pct needs a percentile: ${part.trim()}`);
    const aggregation: Aggregation = { name: match[4] ?? part.trim(), kind };
    if (field !== "" && field !== "*") aggregation.field = field;
    if (match[3] !== undefined) aggregation.percentile = Number(match[3]);
    aggregations.push(aggregation);
  }
  if (aggregations.length === 0) throw malformedQuery("stats needs at least one aggregation");
  if (byText === undefined) return { aggregations, byLog: false, groupOrder: [] };
  const stats: NonNullable<ParsedQuery["stats"]> = { aggregations, byLog: false, groupOrder: [] };
  for (const rawGroup of splitTopLevel(byText)) {
    const group = rawGroup.trim();
    if (group === "@log") {
      if (stats.byLog) throw malformedQuery("@log appears twice in the grouping");
      stats.byLog = true;
      stats.groupOrder.push("@log");
      continue;
    }
    const bin = /^bin\(\s*(\d+)\s*(s|m|min|h|d)\s*\)$/i.exec(group);
    if (!bin || stats.binMs !== undefined)
      throw malformedQuery(`Unsupported grouping: ${byText} (the sandbox groups by bin(<n><unit>) and/or @log)`);
    const unit = (bin[2] as string).toLowerCase();
    const unitMs = unit === "s" ? 1000 : unit === "h" ? 3_600_000 : unit === "d" ? 86_400_000 : MINUTE_MS;
    stats.binMs = Number(bin[1]) * unitMs;
    if (stats.binMs <= 0) throw malformedQuery(`Invalid bin: ${group}`);
    stats.binLabel = group;
    stats.groupOrder.push("bin");
  }
  return stats;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const character of text) {
    if (character === "(") depth++;
    if (character === ")") depth--;
    if (character === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += character;
  }
  if (current.trim() !== "") parts.push(current);
  return parts;
}

type FieldReader = (event: Cursor) => number | string | undefined;

function fieldReader(field: string): FieldReader {
  switch (field) {
    case "@duration":
      return (event) => event.duration();
    case "@billedDuration":
      return (event) => Math.ceil(event.duration() + event.init());
    case "@initDuration":
      return (event) => {
        const init = event.init();
        return init > 0 ? init : undefined;
      };
    case "@memorySize":
      return (event) => event.memorySizeMb() * 1_048_576;
    case "@maxMemoryUsed":
      return (event) => (event.c.sampleMemoryUsed[event.sample] as number) * 1_048_576;
    case "@timestamp":
      return (event) => event.timestampMs;
    case "@requestId":
      return (event) => event.requestId();
    case "@type":
      return () => "REPORT";
    case "@message":
      return (event) => event.message();
    case "@log":
      return (event) => event.log;
    default:
      return () => undefined;
  }
}

export interface QueryOutcome {
  results: { field: string; value: string }[][];
  recordsMatched: number;
  recordsScanned: number;
}

export function formatInsightsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/** Values of one field in one group, as parallel growable arrays. */
class ValueList {
  values: number[] = [];
  weights: number[] = [];
}

interface Group {
  logIndex: number;
  binStart: number;
  weight: number;
  counts: Map<string, number>;
  values: Map<string, ValueList>;
}

/** Per-minute sums of one simulated day: weight of all, timed-out, cold, and cold timed-out REPORT lines. */
const minuteSums = new WeakMap<DayChunk, Float64Array>();
const SUMS = 4;

function sumsOf(chunk: DayChunk): Float64Array {
  let sums = minuteSums.get(chunk);
  if (sums) return sums;
  const minutes = chunk.sampleStart.length - 1;
  sums = new Float64Array(minutes * SUMS);
  const { sampleStart, sampleWeight, sampleInit, sampleFlags } = chunk;
  for (let minute = 0; minute < minutes; minute++) {
    let all = 0;
    let timedOut = 0;
    let cold = 0;
    let coldTimedOut = 0;
    const to = sampleStart[minute + 1] as number;
    for (let sample = sampleStart[minute] as number; sample < to; sample++) {
      const weight = sampleWeight[sample] as number;
      all += weight;
      const timeout = ((sampleFlags[sample] as number) & SAMPLE_TIMEOUT) !== 0;
      const isCold = (sampleInit[sample] as number) > 0;
      if (timeout) timedOut += weight;
      if (isCold) cold += weight;
      if (timeout && isCold) coldTimedOut += weight;
    }
    const at = minute * SUMS;
    sums[at] = all;
    sums[at + 1] = timedOut;
    sums[at + 2] = cold;
    sums[at + 3] = coldTimedOut;
  }
  minuteSums.set(chunk, sums);
  return sums;
}

/**
 * Whether a stats query can be answered from per-minute sums: counts only (of every line or of cold
 * starts), conditions only on the line type, timeouts and cold starts, and bins of whole minutes.
 */
function minuteSumPlan(query: ParsedQuery): { matched: number; cold: number; coldValues: boolean } | undefined {
  const stats = query.stats;
  if (!stats) return undefined;
  if (stats.binMs !== undefined && stats.binMs % MINUTE_MS !== 0) return undefined;
  let timeout = false;
  let init = false;
  for (const condition of query.conditions) {
    if (condition.kind === "other") return undefined;
    if (condition.kind === "timeout") timeout = true;
    if (condition.kind === "init") init = true;
  }
  let coldValues = false;
  for (const aggregation of stats.aggregations) {
    const field = aggregation.field;
    if (aggregation.kind !== "count") {
      // Values of the init duration only: cold samples come first in each minute (stratified sample).
      if (field !== "@initDuration") return undefined;
      coldValues = true;
      continue;
    }
    if (field !== undefined && field !== "@initDuration" && !ALWAYS_PRESENT.has(field)) return undefined;
  }
  // Column of the sums that the matched lines and their cold starts add up to.
  const matched = timeout ? (init ? 3 : 1) : init ? 2 : 0;
  const cold = timeout ? 3 : 2;
  return { matched, cold, coldValues };
}

/** Fields every REPORT line has (count(@f) of them counts every line). */
const ALWAYS_PRESENT = new Set([
  "@timestamp",
  "@message",
  "@type",
  "@requestId",
  "@duration",
  "@billedDuration",
  "@memorySize",
  "@maxMemoryUsed",
  "@log",
]);

/** Runs a parsed query over the REPORT lines of `sources` in [startMs, endMs). */
export function runInsightsQuery(
  query: ParsedQuery,
  scan: { metrics: LambdaMetrics; seed: string; sources: readonly LogSource[]; startMs: number; endMs: number },
  defaultLimit: number,
): QueryOutcome {
  const limit = query.limit ?? defaultLimit;
  return query.stats ? runStats(query, scan, limit) : runRows(query, scan, limit);
}

type Scan = Parameters<typeof runInsightsQuery>[1];

/** Calls `visit` for each minute of each source that has samples, with the cursor loaded. */
function eachMinute(scan: Scan, cursor: Cursor, visit: (from: number, to: number) => void): void {
  const { metrics, seed, sources, startMs, endMs } = scan;
  sources.forEach((source, logIndex) => {
    cursor.logIndex = logIndex;
    cursor.log = source.log;
    cursor.functionKey = hashString(`${seed}:${source.functionName}`);
    const timeline = metrics.timelineOf(source.functionName);
    if (!timeline) return;
    const firstMinute = Math.max(Math.floor(startMs / MINUTE_MS) * MINUTE_MS, metrics.historyStartMs);
    let chunk: DayChunk | undefined;
    for (let minute = firstMinute; minute < endMs; minute += MINUTE_MS) {
      // One simulated day at a time (a map lookup per day, not per minute).
      if (!chunk || minute >= chunk.dayStartMs + DAY_MS) chunk = metrics.day(timeline, minute);
      const index = (minute - chunk.dayStartMs) / MINUTE_MS;
      const from = chunk.sampleStart[index] as number;
      const to = chunk.sampleStart[index + 1] as number;
      if (to === from) continue;
      cursor.chunk = chunk;
      cursor.minuteIndex = index;
      cursor.minuteMs = minute;
      visit(from, to);
    }
  });
}

function runStats(query: ParsedQuery, scan: Scan, limit: number): QueryOutcome {
  const stats = query.stats as NonNullable<ParsedQuery["stats"]>;
  const { aggregations, binMs, byLog } = stats;
  const { startMs, endMs } = scan;
  const conditions = query.conditions;
  const conditionCount = conditions.length;
  const groups = new Map<string, Group>();
  const groupList: Group[] = [];
  let lastGroup: Group | undefined;
  const groupFor = (logIndex: number, timestampMs: number): Group => {
    const binStart = binMs ? Math.floor(timestampMs / binMs) * binMs : 0;
    const logKey = byLog ? logIndex : 0;
    if (lastGroup && lastGroup.binStart === binStart && lastGroup.logIndex === logKey) return lastGroup;
    const key = `${logKey}|${binStart}`;
    let group = groups.get(key);
    if (!group) {
      group = { logIndex: logKey, binStart, weight: 0, counts: new Map(), values: new Map() };
      groups.set(key, group);
      groupList.push(group);
    }
    lastGroup = group;
    return group;
  };
  const fields = [...new Set(aggregations.flatMap((aggregation) => (aggregation.field ? [aggregation.field] : [])))];
  const readers = fields.map((field) => ({
    field,
    read: fieldReader(field),
    listed: aggregations.some((aggregation) => aggregation.field === field && aggregation.kind !== "count"),
  }));
  const plan = minuteSumPlan(query);
  let scanned = 0;
  let matched = 0;
  const cursor = new Cursor();
  eachMinute(scan, cursor, (from, to) => {
    const chunk = cursor.c;
    const count = to - from;
    const minute = cursor.minuteMs;
    if (plan && minute >= startMs && minute + MINUTE_MS <= endMs) {
      // Every line of the minute is in range and in one bin: add the minute's sums.
      const sums = sumsOf(chunk);
      const at = cursor.minuteIndex * SUMS;
      scanned += sums[at] as number;
      const weight = sums[at + plan.matched] as number;
      if (weight === 0) return;
      matched += weight;
      const group = groupFor(cursor.logIndex, minute);
      group.weight += weight;
      for (const { field } of readers) {
        const added = field === "@initDuration" ? (sums[at + plan.cold] as number) : weight;
        group.counts.set(field, (group.counts.get(field) ?? 0) + added);
      }
      if (plan.coldValues) {
        // The minute's cold samples (the leading ones with an init duration) that pass the filter.
        for (let sample = from; sample < to && (chunk.sampleInit[sample] as number) > 0; sample++) {
          cursor.sample = sample;
          cursor.sampleInMinute = sample - from;
          let pass = true;
          for (let index = 0; index < conditionCount; index++) {
            if (!(conditions[index] as Condition).test(cursor)) {
              pass = false;
              break;
            }
          }
          if (!pass) continue;
          const sampleWeight = chunk.sampleWeight[sample] as number;
          for (const reader of readers) {
            if (!reader.listed) continue;
            let list = group.values.get(reader.field);
            if (!list) {
              list = new ValueList();
              group.values.set(reader.field, list);
            }
            list.values.push(chunk.sampleInit[sample] as number);
            list.weights.push(sampleWeight);
          }
        }
      }
      return;
    }
    for (let sample = from; sample < to; sample++) {
      // Spread the minute's samples over its seconds so timestamps are distinct and ordered.
      const timestampMs = minute + Math.floor(((sample - from) * MINUTE_MS) / count);
      if (timestampMs < startMs || timestampMs >= endMs) continue;
      cursor.sample = sample;
      cursor.sampleInMinute = sample - from;
      cursor.timestampMs = timestampMs;
      const weight = chunk.sampleWeight[sample] as number;
      scanned += weight;
      let pass = true;
      for (let index = 0; index < conditionCount; index++) {
        if (!(conditions[index] as Condition).test(cursor)) {
          pass = false;
          break;
        }
      }
      if (!pass) continue;
      matched += weight;
      const group = groupFor(cursor.logIndex, timestampMs);
      group.weight += weight;
      for (const reader of readers) {
        const value = reader.read(cursor);
        if (typeof value !== "number") continue;
        group.counts.set(reader.field, (group.counts.get(reader.field) ?? 0) + weight);
        if (reader.listed) {
          let list = group.values.get(reader.field);
          if (!list) {
            list = new ValueList();
            group.values.set(reader.field, list);
          }
          list.values.push(value);
          list.weights.push(weight);
        }
      }
    }
  });
  // Bins ascending (descending when sorted so), then log groups in the order they were given.
  groupList.sort((a, b) => a.binStart - b.binStart || a.logIndex - b.logIndex);
  if (query.sort?.descending && query.sort.field.startsWith("bin"))
    groupList.sort((a, b) => b.binStart - a.binStart || a.logIndex - b.logIndex);
  const results = groupList.slice(0, limit).map((group) => {
    const row: { field: string; value: string }[] = [];
    for (const part of stats.groupOrder) {
      if (part === "bin") row.push({ field: stats.binLabel ?? "bin", value: formatInsightsTimestamp(group.binStart) });
      else row.push({ field: "@log", value: scan.sources[group.logIndex]?.log ?? "" });
    }
    for (const aggregation of aggregations)
      row.push({ field: aggregation.name, value: formatNumber(aggregate(aggregation, group)) });
    return row;
  });
  return { results, recordsMatched: Math.round(matched), recordsScanned: Math.round(scanned) };
}

interface MatchedRow {
  logIndex: number;
  chunk: DayChunk;
  minuteIndex: number;
  minuteMs: number;
  sample: number;
  sampleInMinute: number;
  timestampMs: number;
}

function runRows(query: ParsedQuery, scan: Scan, limit: number): QueryOutcome {
  const { startMs, endMs } = scan;
  const conditions = query.conditions;
  let scanned = 0;
  let matched = 0;
  const rows: MatchedRow[] = [];
  const cursor = new Cursor();
  eachMinute(scan, cursor, (from, to) => {
    const chunk = cursor.c;
    const count = to - from;
    for (let sample = from; sample < to; sample++) {
      const timestampMs = cursor.minuteMs + Math.floor(((sample - from) * MINUTE_MS) / count);
      if (timestampMs < startMs || timestampMs >= endMs) continue;
      cursor.sample = sample;
      cursor.sampleInMinute = sample - from;
      cursor.timestampMs = timestampMs;
      const weight = chunk.sampleWeight[sample] as number;
      scanned += weight;
      if (!conditions.every((condition) => condition.test(cursor))) continue;
      matched += weight;
      rows.push({
        logIndex: cursor.logIndex,
        chunk,
        minuteIndex: cursor.minuteIndex,
        minuteMs: cursor.minuteMs,
        sample,
        sampleInMinute: sample - from,
        timestampMs,
      });
    }
  });
  const descending = query.sort ? query.sort.descending : true;
  rows.sort((a, b) => (descending ? b.timestampMs - a.timestampMs : a.timestampMs - b.timestampMs));
  const fields = query.fields.length > 0 ? query.fields : ["@timestamp", "@message"];
  const readers = fields.map((field) => ({ field, read: fieldReader(field) }));
  const keys = scan.sources.map((source) => hashString(`${scan.seed}:${source.functionName}`));
  const results = rows.slice(0, limit).map((row) => {
    cursor.logIndex = row.logIndex;
    cursor.log = scan.sources[row.logIndex]?.log ?? "";
    cursor.functionKey = keys[row.logIndex] as number;
    cursor.chunk = row.chunk;
    cursor.minuteIndex = row.minuteIndex;
    cursor.minuteMs = row.minuteMs;
    cursor.sample = row.sample;
    cursor.sampleInMinute = row.sampleInMinute;
    cursor.timestampMs = row.timestampMs;
    return readers.map(({ field, read }) => {
      const value = read(cursor);
      return {
        field,
        value:
          field === "@timestamp" ? formatInsightsTimestamp(row.timestampMs) : value === undefined ? "" : String(value),
      };
    });
  });
  return { results, recordsMatched: Math.round(matched), recordsScanned: Math.round(scanned) };
}

function aggregate(aggregation: Aggregation, group: Group): number {
  // Weights of one minute add up to its exact invocation count; rounding only removes float noise.
  if (aggregation.kind === "count")
    return Math.round(aggregation.field ? (group.counts.get(aggregation.field) ?? 0) : group.weight);
  const list = group.values.get(aggregation.field as string);
  if (!list || list.values.length === 0) return Number.NaN;
  const { values, weights } = list;
  const length = values.length;
  let total = 0;
  for (let index = 0; index < length; index++) total += weights[index] as number;
  if (aggregation.kind === "sum" || aggregation.kind === "avg") {
    let sum = 0;
    for (let index = 0; index < length; index++) sum += (values[index] as number) * (weights[index] as number);
    return aggregation.kind === "sum" ? sum : sum / total;
  }
  if (aggregation.kind === "min" || aggregation.kind === "max") {
    let best = values[0] as number;
    for (let index = 1; index < length; index++) {
      const value = values[index] as number;
      if (aggregation.kind === "min" ? value < best : value > best) best = value;
    }
    return best;
  }
  const order = Array.from({ length }, (_, index) => index).sort(
    (a, b) => (values[a] as number) - (values[b] as number),
  );
  const rank = ((aggregation.percentile ?? 50) / 100) * total;
  let running = 0;
  for (const index of order) {
    running += weights[index] as number;
    if (running >= rank - 1e-9) return values[index] as number;
  }
  return values[order[length - 1] as number] as number;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "";
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}
