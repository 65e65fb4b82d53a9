import { z } from "zod";
import { type FleetSortKey, fleetSortKeys } from "./latency";
import { isRangePreset, isValidTimeZone, type RangePreset, type WindowSelection } from "./periods";

/**
 * The latency pages' URL state, parsed leniently: a value that does not parse is dropped (the default
 * applies) and named in `ignored`, so a hand-edited or stale link shows a note, never an error page.
 */

type SearchParams = Record<string, string | string[] | undefined>;

function first(params: SearchParams, key: string): string | undefined {
  const value = params[key];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === "" ? undefined : text;
}

const functionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const timeZoneSchema = z.string().max(64).refine(isValidTimeZone);
const isoInstant = z.iso.datetime({ offset: true });

export const DEFAULT_FOCUS = ["process-user-request"];
const overviewRangeSchema = z.enum(["1h", "3h", "12h", "24h", "7d", "14d"]);

export interface OverviewParams {
  range: z.infer<typeof overviewRangeSchema>;
  focus: string[];
  sort: FleetSortKey;
  dir: "asc" | "desc";
  q: string;
  tz?: string;
  ignored: string[];
}

export function parseOverviewParams(params: SearchParams): OverviewParams {
  const ignored: string[] = [];
  const pick = <T>(key: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = first(params, key);
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    ignored.push(key);
    return fallback;
  };
  const focusRaw = first(params, "focus");
  let focus = DEFAULT_FOCUS;
  if (focusRaw !== undefined) {
    const names = focusRaw
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean);
    const valid = names.filter((name) => functionName.safeParse(name).success).slice(0, 4);
    if (valid.length !== names.length) ignored.push("focus");
    focus = valid.length > 0 ? [...new Set(valid)] : DEFAULT_FOCUS;
  }
  const tz = pick<string | undefined>("tz", timeZoneSchema, undefined);
  return {
    range: pick("range", overviewRangeSchema, "24h"),
    focus,
    sort: pick("sort", z.enum(fleetSortKeys), "p90"),
    dir: pick("dir", z.enum(["asc", "desc"]), "desc"),
    q: pick("q", z.string().max(100), ""),
    ...(tz ? { tz } : {}),
    ignored,
  };
}

export interface FunctionPageParams {
  selection: WindowSelection;
  /** Duration average and maximum besides the percentiles (two more metrics per view). */
  averageAndMaximum: boolean;
  tz?: string;
  ignored: string[];
}

export function parseFunctionPageParams(params: SearchParams): FunctionPageParams {
  const ignored: string[] = [];
  const rangeRaw = first(params, "range") ?? "24h";
  let selection: WindowSelection = { range: "24h" };
  if (rangeRaw === "custom") {
    const from = first(params, "from");
    const to = first(params, "to");
    // Reversed or too long ranges are judged by resolveWindow with a message; unreadable dates here.
    if (from && to && isoInstant.safeParse(from).success && isoInstant.safeParse(to).success) {
      selection = { range: "custom", from, to };
    } else {
      selection = { range: "custom", from: from ?? "", to: to ?? "" };
    }
  } else if (isRangePreset(rangeRaw)) {
    selection = { range: rangeRaw as RangePreset };
  } else {
    ignored.push("range");
  }
  const tzRaw = first(params, "tz");
  const tz = tzRaw !== undefined && timeZoneSchema.safeParse(tzRaw).success ? tzRaw : undefined;
  if (tzRaw !== undefined && !tz) ignored.push("tz");
  const stats = first(params, "stats");
  if (stats !== undefined && stats !== "all") ignored.push("stats");
  return { selection, averageAndMaximum: stats === "all", ...(tz ? { tz } : {}), ignored };
}

/** The query string of a function page view (what a shared link carries). */
export function functionPageQuery(params: {
  selection: WindowSelection;
  averageAndMaximum: boolean;
  tz?: string;
}): string {
  const query = new URLSearchParams();
  query.set("range", params.selection.range);
  if (params.selection.range === "custom") {
    query.set("from", params.selection.from);
    query.set("to", params.selection.to);
  }
  if (params.averageAndMaximum) query.set("stats", "all");
  if (params.tz) query.set("tz", params.tz);
  return query.toString();
}
