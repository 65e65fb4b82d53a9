import { MINUTE_MS } from "../../clock";
import { AwsServiceError } from "../../core/errors";
import { SAMPLE_TIMEOUT } from "../../simulator/engine";
import type { LambdaMetrics } from "../../simulator/lambda-metrics";
import { hashString } from "../../simulator/random";
import { formatReportLine, simulatedRequestId } from "./report-lines";

/**
 * The CloudWatch Logs Insights subset the sandbox understands, over the simulated REPORT lines of
 * `/aws/lambda/<function>` (each simulated invocation stands for `weight` real ones, so counts are
 * exact and percentiles are weighted):
 *
 *   fields <f>, …                       (non-stats queries: which fields to return)
 *   filter <cond> [and <cond> …]        cond: @type = "REPORT" | @message like /re/ | @message like "text"
 *                                       | ispresent(@f) | @f <op> <number>  (op: = != < <= > >=)
 *   stats <agg> [as name], … [by bin(<n>s|m|h|d)]
 *                                       agg: count() | count(*) | count(@f) | sum/avg/min/max(@f) | pct(@f, p)
 *   sort <field> asc|desc               limit <n>
 *
 * Fields: @timestamp, @message, @type, @requestId, @duration, @billedDuration, @memorySize,
 * @maxMemoryUsed, @initDuration (absent on warm starts), @logStream.
 */

export const malformedQuery = (message: string) => new AwsServiceError("MalformedQueryException", message, 400);

type Condition = (event: LogEvent) => boolean;
interface Aggregation {
  name: string;
  kind: "count" | "sum" | "avg" | "min" | "max" | "pct";
  field?: string;
  percentile?: number;
}
interface ParsedQuery {
  fields: string[];
  conditions: Condition[];
  stats?: { aggregations: Aggregation[]; binMs?: number; binLabel?: string };
  sort?: { field: string; descending: boolean };
  limit?: number;
}

export interface LogEvent {
  timestampMs: number;
  weight: number;
  requestId: string;
  durationMs: number;
  initMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  timedOut: boolean;
  message: () => string;
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
    const type = match[1];
    return () => type === "REPORT";
  }
  match =
    /^(?:@message|@msg)\s+like\s+\/(.*)\/([i]?)$/.exec(condition) ??
    /^(?:@message|@msg)\s+like\s+["'](.*)["']$/.exec(condition);
  if (match) {
    const source = match[1] as string;
    if (/status:\s*timeout/i.test(source)) return (event) => event.timedOut;
    if (/init duration/i.test(source)) return (event) => event.initMs > 0;
    let pattern: RegExp;
    try {
      pattern = condition.includes(" like /")
        ? new RegExp(source, match[2] ?? "")
        : new RegExp(source.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    } catch {
      throw malformedQuery(`Invalid regular expression: ${source}`);
    }
    return (event) => pattern.test(event.message());
  }
  match = new RegExp(`^ispresent\\(${FIELD}\\)$`).exec(condition);
  if (match) {
    const field = match[1] as string;
    return (event) => fieldValue(event, field) !== undefined;
  }
  match = new RegExp(`^${FIELD}\\s*(=|!=|<=|>=|<|>)\\s*(-?\\d+(?:\\.\\d+)?)$`).exec(condition);
  if (match) {
    const [, field, operator, numberText] = match as unknown as [string, string, string, string];
    const threshold = Number(numberText);
    return (event) => {
      const value = fieldValue(event, field);
      if (typeof value !== "number") return false;
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
  if (byText === undefined) return { aggregations };
  const bin = /^bin\(\s*(\d+)\s*(s|m|min|h|d)\s*\)$/i.exec(byText);
  if (!bin) throw malformedQuery(`Unsupported grouping: ${byText} (the sandbox groups by bin(<n><unit>) only)`);
  const unit = (bin[2] as string).toLowerCase();
  const unitMs = unit === "s" ? 1000 : unit === "h" ? 3_600_000 : unit === "d" ? 86_400_000 : MINUTE_MS;
  return { aggregations, binMs: Number(bin[1]) * unitMs, binLabel: byText };
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

function fieldValue(event: LogEvent, field: string): number | string | undefined {
  switch (field) {
    case "@duration":
      return event.durationMs;
    case "@billedDuration":
      return Math.ceil(event.durationMs + event.initMs);
    case "@initDuration":
      return event.initMs > 0 ? event.initMs : undefined;
    case "@memorySize":
      return event.memorySizeMb * 1_048_576;
    case "@maxMemoryUsed":
      return event.maxMemoryUsedMb * 1_048_576;
    case "@timestamp":
      return event.timestampMs;
    case "@requestId":
      return event.requestId;
    case "@type":
      return "REPORT";
    case "@message":
      return event.message();
    default:
      return undefined;
  }
}

/** Every simulated REPORT event of a function in [startMs, endMs), minute by minute. */
export function* reportEvents(
  metrics: LambdaMetrics,
  functionName: string,
  seed: string,
  startMs: number,
  endMs: number,
): Generator<LogEvent> {
  const functionKey = hashString(`${seed}:${functionName}`);
  for (let minute = Math.floor(startMs / MINUTE_MS) * MINUTE_MS; minute < endMs; minute += MINUTE_MS) {
    const view = metrics.minute(functionName, minute);
    if (!view) continue;
    const { chunk, index } = view;
    const from = chunk.sampleStart[index] as number;
    const to = chunk.sampleStart[index + 1] as number;
    const count = to - from;
    for (let sample = from; sample < to; sample++) {
      // Spread the minute's samples over its seconds so timestamps are distinct and ordered.
      const timestampMs = minute + Math.floor(((sample - from) * MINUTE_MS) / Math.max(1, count));
      if (timestampMs < startMs || timestampMs >= endMs) continue;
      const event: LogEvent = {
        timestampMs,
        weight: chunk.sampleWeight[sample] as number,
        requestId: simulatedRequestId(functionKey, minute, sample - from),
        durationMs: chunk.sampleDuration[sample] as number,
        initMs: chunk.sampleInit[sample] as number,
        memorySizeMb: chunk.memorySize[index] as number,
        maxMemoryUsedMb: chunk.sampleMemoryUsed[sample] as number,
        timedOut: ((chunk.sampleFlags[sample] as number) & SAMPLE_TIMEOUT) !== 0,
        message: () =>
          formatReportLine({
            requestId: event.requestId,
            durationMs: event.durationMs,
            memorySizeMb: event.memorySizeMb,
            maxMemoryUsedMb: event.maxMemoryUsedMb,
            initMs: event.initMs,
            timedOut: event.timedOut,
          }),
      };
      yield event;
    }
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

/** Runs a parsed query over events. */
export function runInsightsQuery(query: ParsedQuery, events: Iterable<LogEvent>, defaultLimit: number): QueryOutcome {
  let scanned = 0;
  let matched = 0;
  const limit = query.limit ?? defaultLimit;
  if (query.stats) {
    const { aggregations, binMs } = query.stats;
    const groups = new Map<
      number,
      { weight: number; values: Map<string, { value: number; weight: number }[]>; counts: Map<string, number> }
    >();
    for (const event of events) {
      scanned += event.weight;
      if (!query.conditions.every((condition) => condition(event))) continue;
      matched += event.weight;
      const key = binMs ? Math.floor(event.timestampMs / binMs) * binMs : 0;
      let group = groups.get(key);
      if (!group) {
        group = { weight: 0, values: new Map(), counts: new Map() };
        groups.set(key, group);
      }
      group.weight += event.weight;
      for (const aggregation of aggregations) {
        if (!aggregation.field) continue;
        const value = fieldValue(event, aggregation.field);
        if (typeof value !== "number") continue;
        group.counts.set(aggregation.field, (group.counts.get(aggregation.field) ?? 0) + event.weight);
        if (aggregation.kind !== "count") {
          let list = group.values.get(aggregation.field);
          if (!list) {
            list = [];
            group.values.set(aggregation.field, list);
          }
          list.push({ value, weight: event.weight });
        }
      }
    }
    let keys = [...groups.keys()].sort((a, b) => a - b);
    if (query.sort?.descending && query.sort.field.startsWith("bin")) keys = keys.reverse();
    const results = keys.slice(0, limit).map((key) => {
      const group = groups.get(key) as NonNullable<ReturnType<typeof groups.get>>;
      const row: { field: string; value: string }[] = [];
      if (binMs) row.push({ field: query.stats?.binLabel ?? "bin", value: formatInsightsTimestamp(key) });
      for (const aggregation of aggregations)
        row.push({ field: aggregation.name, value: formatNumber(aggregate(aggregation, group)) });
      return row;
    });
    return { results, recordsMatched: Math.round(matched), recordsScanned: Math.round(scanned) };
  }
  const rows: LogEvent[] = [];
  for (const event of events) {
    scanned += event.weight;
    if (!query.conditions.every((condition) => condition(event))) continue;
    matched += event.weight;
    rows.push(event);
  }
  const descending = query.sort ? query.sort.descending : true;
  rows.sort((a, b) => (descending ? b.timestampMs - a.timestampMs : a.timestampMs - b.timestampMs));
  const fields = query.fields.length > 0 ? query.fields : ["@timestamp", "@message"];
  const results = rows.slice(0, limit).map((event) =>
    fields.map((field) => {
      const value = fieldValue(event, field);
      return {
        field,
        value:
          field === "@timestamp"
            ? formatInsightsTimestamp(event.timestampMs)
            : value === undefined
              ? ""
              : String(value),
      };
    }),
  );
  return { results, recordsMatched: Math.round(matched), recordsScanned: Math.round(scanned) };
}

function aggregate(
  aggregation: Aggregation,
  group: { weight: number; values: Map<string, { value: number; weight: number }[]>; counts: Map<string, number> },
): number {
  // Weights of one minute add up to its exact invocation count; rounding only removes float noise.
  if (aggregation.kind === "count")
    return Math.round(aggregation.field ? (group.counts.get(aggregation.field) ?? 0) : group.weight);
  const list = group.values.get(aggregation.field as string) ?? [];
  if (list.length === 0) return Number.NaN;
  const total = list.reduce((sum, item) => sum + item.weight, 0);
  if (aggregation.kind === "sum") return list.reduce((sum, item) => sum + item.value * item.weight, 0);
  if (aggregation.kind === "avg") return list.reduce((sum, item) => sum + item.value * item.weight, 0) / total;
  if (aggregation.kind === "min") return Math.min(...list.map((item) => item.value));
  if (aggregation.kind === "max") return Math.max(...list.map((item) => item.value));
  const sorted = [...list].sort((a, b) => a.value - b.value);
  const rank = ((aggregation.percentile ?? 50) / 100) * total;
  let running = 0;
  for (const item of sorted) {
    running += item.weight;
    if (running >= rank - 1e-9) return item.value;
  }
  return (sorted[sorted.length - 1] as { value: number }).value;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "";
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}
