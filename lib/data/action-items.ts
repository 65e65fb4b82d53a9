import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { defineAction } from "@/lib/actions/define-action";
import { requireRole } from "@/lib/auth/session";
import { type AwsClients, getAwsClients } from "@/lib/aws/clients";
import { getMetricData, listMetrics, type MetricQuery } from "@/lib/aws/cloudwatch";
import { listFunctions } from "@/lib/aws/lambda";
import { runInsightsQuery } from "@/lib/aws/logs";
import { getAliasVersion, getFunctionDetails, listVersionDetails, readPcSchedule } from "@/lib/aws/verification-reads";
import { getDb } from "@/lib/db";
import type { ActionItemRow, Database } from "@/lib/db/schema";
import {
  type ActionItemFields,
  type ActionItemStatus,
  actionItemFieldsSchema,
  commentSchema,
  type Dependency,
  type DependencyView,
  dependencyWarnings,
  moveInOrder,
  moveSchema,
  setStatusSchema,
  statusLabels,
  updateActionItemSchema,
  type Verdict,
  verdictFor,
  verificationFromFields,
} from "@/lib/domain/action-items";
import { allocatedFromUtilization, insightsNumber } from "@/lib/domain/latency";
import type { ReportEffect, Window, WindowStats } from "@/lib/domain/reviews";
import { emptyStats } from "@/lib/domain/reviews";
import {
  type CheckResult,
  describeVerification,
  evaluateMemoryTuned,
  evaluatePackageSize,
  evaluatePcSchedule,
  evaluateRdsProxy,
  evaluateRedisCache,
  evaluateRuntime,
  type Verification,
  verificationSchema,
} from "@/lib/domain/verification";
import { AppError } from "@/lib/errors";

/**
 * Action items: the store (both dialects), the checks against live AWS (the sandbox or real AWS),
 * each done item's effect, and the audited actions. Fetchers take their AWS clients and "now" as
 * arguments (tests pass a sandbox on a manual clock); the exported reads authorize first.
 */

// =============================================================================================
// Store

export interface ActionItemDto {
  id: string;
  position: number;
  title: string;
  owner: string;
  dueDate: string | null;
  status: ActionItemStatus;
  notes: string;
  dependsOn: Dependency[];
  functions: string[];
  verification: Verification | null;
  startedAt: string | null;
  doneAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CommentDto {
  id: string;
  author: string;
  body: string;
  createdAt: string;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toActionItemDto(row: ActionItemRow): ActionItemDto {
  const verification = verificationSchema.safeParse(parseJson<unknown>(row.verification, null));
  return {
    id: row.id,
    position: Number(row.position),
    title: row.title,
    owner: row.owner,
    dueDate: row.due_date,
    status: row.status,
    notes: row.notes,
    dependsOn: parseJson<Dependency[]>(row.depends_on, []),
    functions: parseJson<string[]>(row.functions, []),
    verification: verification.success ? verification.data : null,
    startedAt: row.started_at,
    doneAt: row.done_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listActionItemRows(db: Kysely<Database>): Promise<ActionItemDto[]> {
  const rows = await db.selectFrom("action_items").selectAll().orderBy("position").orderBy("created_at").execute();
  return rows.map(toActionItemDto);
}

export async function findActionItem(db: Kysely<Database>, id: string): Promise<ActionItemDto | undefined> {
  const row = await db.selectFrom("action_items").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toActionItemDto(row) : undefined;
}

async function requireItem(db: Kysely<Database>, id: string): Promise<ActionItemDto> {
  const item = await findActionItem(db, id);
  if (!item)
    throw new AppError("NOT_FOUND", { userMessage: "There is no such action item (it may have been removed)." });
  return item;
}

export interface NewActionItem {
  title: string;
  owner: string;
  dueDate: string | null;
  notes: string;
  functions: string[];
  dependsOn: Dependency[];
  verification: Verification | null;
  status?: ActionItemStatus;
  startedAt?: string | null;
  doneAt?: string | null;
  seedKey?: string;
}

export async function insertActionItem(
  db: Kysely<Database>,
  input: NewActionItem,
  at = new Date(),
): Promise<ActionItemDto> {
  const id = randomUUID();
  const now = at.toISOString();
  await db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom("action_items")
      .select((eb) => eb.fn.max("position").as("max"))
      .executeTakeFirst();
    await trx
      .insertInto("action_items")
      .values({
        id,
        position: Number(last?.max ?? 0) + 1,
        title: input.title,
        owner: input.owner,
        due_date: input.dueDate,
        status: input.status ?? "todo",
        notes: input.notes,
        depends_on: JSON.stringify(input.dependsOn),
        functions: JSON.stringify(input.functions),
        verification: input.verification ? JSON.stringify(input.verification) : null,
        started_at: input.startedAt ?? null,
        done_at: input.doneAt ?? null,
        seed_key: input.seedKey ?? null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  return requireItem(db, id);
}

export async function updateActionItemFields(
  db: Kysely<Database>,
  id: string,
  input: Omit<NewActionItem, "status" | "seedKey" | "startedAt" | "doneAt">,
  at = new Date(),
): Promise<ActionItemDto> {
  await db
    .updateTable("action_items")
    .set({
      title: input.title,
      owner: input.owner,
      due_date: input.dueDate,
      notes: input.notes,
      functions: JSON.stringify(input.functions),
      depends_on: JSON.stringify(input.dependsOn),
      verification: input.verification ? JSON.stringify(input.verification) : null,
      updated_at: at.toISOString(),
    })
    .where("id", "=", id)
    .execute();
  return requireItem(db, id);
}

export async function setActionItemStatus(
  db: Kysely<Database>,
  id: string,
  status: ActionItemStatus,
  at = new Date(),
): Promise<ActionItemDto> {
  const item = await requireItem(db, id);
  const now = at.toISOString();
  await db
    .updateTable("action_items")
    .set({
      status,
      started_at: status === "todo" ? null : (item.startedAt ?? now),
      done_at: status === "done" ? (item.status === "done" ? item.doneAt : now) : null,
      updated_at: now,
    })
    .where("id", "=", id)
    .execute();
  return requireItem(db, id);
}

/** Rewrites positions 1..n in the given order (ids not listed keep their relative order after). */
export async function reorderActionItems(
  db: Kysely<Database>,
  order: readonly string[],
  at = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [index, id] of order.entries()) {
      await trx
        .updateTable("action_items")
        .set({ position: index + 1, updated_at: at.toISOString() })
        .where("id", "=", id)
        .execute();
    }
  });
}

export async function addActionItemComment(
  db: Kysely<Database>,
  itemId: string,
  author: string,
  body: string,
  at = new Date(),
): Promise<CommentDto> {
  await requireItem(db, itemId);
  const comment = { id: randomUUID(), item_id: itemId, author, body, created_at: at.toISOString() };
  await db.insertInto("action_item_comments").values(comment).execute();
  return { id: comment.id, author, body, createdAt: comment.created_at };
}

export async function listActionItemComments(db: Kysely<Database>, itemId: string): Promise<CommentDto[]> {
  const rows = await db
    .selectFrom("action_item_comments")
    .selectAll()
    .where("item_id", "=", itemId)
    .orderBy("created_at")
    .execute();
  return rows.map((row) => ({ id: row.id, author: row.author, body: row.body, createdAt: row.created_at }));
}

// =============================================================================================
// Checks against AWS

/**
 * Extension point for power tuning (issue 9): the latest recommendation for a function from a run
 * that finished after `sinceMs`, or null when there is none. Not wired yet — Phoenix has no power
 * tuning — so check 3 verifies only that the memory changed after the refactor.
 */
export type PowerTuningRecommendationSource = (
  functionName: string,
  sinceMs: number,
) => Promise<{ memoryMb: number; runId: string; finishedAtMs: number } | null>;

export interface VerificationSources {
  clients: Pick<AwsClients, "lambda" | "cloudWatch" | "logs" | "autoScaling">;
  nowMs: number;
  powerTuningRecommendation?: PowerTuningRecommendationSource;
  logsTimeoutMs?: number;
}

const checkedAtOf = (sources: VerificationSources) => new Date(sources.nowMs).toISOString();

/** The namespace the optimized handler publishes its cache metrics to (EMF, lambda/src/observability). */
const HANDLER_METRICS_NAMESPACE = "Phoenix";

/** Reads what `check` needs from AWS and evaluates it; AWS errors become an "error" result, in words. */
export async function evaluateCheck(
  sources: VerificationSources,
  check: Verification,
  context: { prerequisite: { title: string; doneAtMs: number | null } | null },
): Promise<CheckResult> {
  const { lambda, cloudWatch, autoScaling } = sources.clients;
  const checkedAt = checkedAtOf(sources);
  try {
    switch (check.kind) {
      case "package-size":
        return evaluatePackageSize(check, await getFunctionDetails(lambda, check.functionName), checkedAt);
      case "rds-proxy":
        return evaluateRdsProxy(check, (await getFunctionDetails(lambda, check.functionName)).environment, checkedAt);
      case "memory-tuned": {
        const [versions, aliasVersion] = await Promise.all([
          listVersionDetails(lambda, check.functionName),
          check.qualifier ? getAliasVersion(lambda, check.functionName, check.qualifier) : Promise.resolve(null),
        ]);
        const trafficVersion = aliasVersion ?? "$LATEST";
        const traffic = versions.find((version) => version.version === trafficVersion) ?? versions[0];
        const doneAtMs = context.prerequisite?.doneAtMs ?? null;
        const recommendation =
          sources.powerTuningRecommendation && doneAtMs !== null
            ? await sources.powerTuningRecommendation(check.functionName, doneAtMs)
            : undefined;
        return evaluateMemoryTuned(
          check,
          {
            prerequisite: context.prerequisite,
            versions,
            traffic: {
              qualifier: aliasVersion ? (check.qualifier ?? "$LATEST") : "$LATEST",
              version: trafficVersion,
              memoryMb: traffic?.memoryMb ?? 0,
            },
            ...(recommendation !== undefined ? { recommendation } : {}),
          },
          checkedAt,
        );
      }
      case "redis-cache": {
        const details = await getFunctionDetails(lambda, check.functionName);
        const endMs = Math.floor(sources.nowMs / 3_600_000) * 3_600_000;
        const startMs = endMs - check.hitsLookbackHours * 3_600_000;
        const metrics = await getMetricData(cloudWatch, {
          queries: [
            {
              id: "hits",
              namespace: HANDLER_METRICS_NAMESPACE,
              metricName: "CacheHit",
              dimensions: { FunctionName: check.functionName },
              stat: "Sum",
              periodSeconds: check.hitsLookbackHours * 3_600,
            },
          ],
          startMs,
          endMs,
        });
        const hits = metrics.series.hits?.values ?? [];
        return evaluateRedisCache(
          check,
          {
            environment: details.environment,
            cacheHits: hits.length > 0 ? hits.reduce((sum, value) => sum + value, 0) : null,
            hitsSource: `CloudWatch ${HANDLER_METRICS_NAMESPACE}/CacheHit (the handler's EMF metric)`,
          },
          checkedAt,
        );
      }
      case "runtime": {
        const { functions } = await listFunctions(lambda);
        return evaluateRuntime(check, functions, sources.nowMs, checkedAt);
      }
      case "pc-schedule":
        return evaluatePcSchedule(
          check,
          await readPcSchedule(autoScaling, `function:${check.functionName}:${check.qualifier}`),
          checkedAt,
        );
    }
  } catch (error) {
    const appError = AppError.from(error);
    return {
      outcome: "error",
      summary: appError.code === "INTERNAL" ? "the check failed unexpectedly" : appError.userMessage,
      evidence: [],
      warnings: [],
      checkedAt,
    };
  }
}

function prerequisiteOf(item: ActionItemDto, items: readonly ActionItemDto[]) {
  const first = item.dependsOn[0];
  const dependency = first ? items.find((other) => other.id === first.itemId) : undefined;
  if (!dependency) return null;
  return { title: dependency.title, doneAtMs: dependency.doneAt ? Date.parse(dependency.doneAt) : null };
}

export function dependencyViews(item: ActionItemDto, items: readonly ActionItemDto[]): DependencyView[] {
  return item.dependsOn.flatMap((dependency) => {
    const other = items.find((candidate) => candidate.id === dependency.itemId);
    return other
      ? [
          {
            itemId: other.id,
            position: other.position,
            title: other.title,
            status: other.status,
            reason: dependency.reason,
          },
        ]
      : [];
  });
}

// =============================================================================================
// Window statistics (shared with the review reports) and effects

const LAMBDA = "AWS/Lambda";
const LOGS_LOOKBACK_MS = 15 * 86_400_000;
const HOUR_MS = 3_600_000;

const coldStartQuery = `filter @type = "REPORT" | stats count(*) as invocations, count(@initDuration) as coldStarts`;
const timeoutQuery = `filter @message like /Task timed out|Status: timeout/ | stats count(*) as timeouts`;

export interface WindowStatsResult {
  /** stats[windowIndex][functionName] */
  stats: Record<string, WindowStats>[];
  /** Account-wide percentiles per window (dimension-less series), when asked for. */
  accountWide: (Pick<WindowStats, "p50" | "p90" | "p99"> | null)[];
  notes: string[];
  cost: { getMetricDataCalls: number; metricsRequested: number; logsQueries: number; otherCalls: number };
}

/** Aliases with provisioned-concurrency metrics, per function (one ListMetrics call for the account). */
export async function fetchPcQualifiers(
  sources: VerificationSources,
): Promise<{ qualifiers: Map<string, string[]>; calls: number }> {
  const listed = await listMetrics(sources.clients.cloudWatch, {
    namespace: LAMBDA,
    metricName: "ProvisionedConcurrencyUtilization",
    dimensionNames: ["FunctionName", "Resource"],
  });
  const qualifiers = new Map<string, string[]>();
  for (const metric of listed.metrics) {
    const name = metric.dimensions.FunctionName;
    const qualifier = metric.dimensions.Resource?.split(":")[1];
    if (!name || !qualifier) continue;
    qualifiers.set(name, [...new Set([...(qualifiers.get(name) ?? []), qualifier])].slice(0, 3));
  }
  return { qualifiers, calls: listed.calls };
}

/**
 * Whole-window statistics of several functions over several windows: one GetMetricData call per
 * window (period = the window, so each query returns one point), and two Logs Insights queries per
 * function and window for timeouts and cold starts (AWS/Lambda publishes neither).
 */
export async function fetchWindowStats(
  sources: VerificationSources,
  functionNames: readonly string[],
  windows: readonly Window[],
  options: { pcQualifiers: ReadonlyMap<string, string[]>; accountWide?: boolean; logs?: boolean },
): Promise<WindowStatsResult> {
  const notes = new Set<string>();
  const cost = { getMetricDataCalls: 0, metricsRequested: 0, logsQueries: 0, otherCalls: 0 };
  const perWindow = await Promise.all(
    windows.map(async (raw) => {
      const window = {
        startMs: Math.floor(raw.startMs / HOUR_MS) * HOUR_MS,
        endMs: Math.floor(raw.endMs / HOUR_MS) * HOUR_MS,
      };
      const result: Record<string, WindowStats> = {};
      if (window.endMs <= window.startMs) {
        for (const name of functionNames) result[name] = emptyStats();
        return { result, accountWide: null };
      }
      const period = (window.endMs - window.startMs) / 1000;
      const queries: MetricQuery[] = [];
      const q = (id: string, name: string, metric: string, stat: string, qualifier?: string): MetricQuery => ({
        id,
        namespace: LAMBDA,
        metricName: metric,
        stat,
        periodSeconds: period,
        dimensions: qualifier ? { FunctionName: name, Resource: `${name}:${qualifier}` } : { FunctionName: name },
      });
      functionNames.forEach((name, index) => {
        queries.push(
          q(`f${index}_p50`, name, "Duration", "p50"),
          q(`f${index}_p90`, name, "Duration", "p90"),
          q(`f${index}_p99`, name, "Duration", "p99"),
          q(`f${index}_avg`, name, "Duration", "Average"),
          q(`f${index}_inv`, name, "Invocations", "Sum"),
          q(`f${index}_err`, name, "Errors", "Sum"),
          q(`f${index}_thr`, name, "Throttles", "Sum"),
        );
        (options.pcQualifiers.get(name) ?? []).forEach((qualifier, aliasIndex) => {
          queries.push(
            q(`f${index}_pcu${aliasIndex}`, name, "ProvisionedConcurrencyUtilization", "Average", qualifier),
            q(`f${index}_pcb${aliasIndex}`, name, "ProvisionedConcurrentExecutions", "Average", qualifier),
            q(`f${index}_pcs${aliasIndex}`, name, "ProvisionedConcurrencySpilloverInvocations", "Sum", qualifier),
          );
        });
      });
      if (options.accountWide) {
        for (const stat of ["p50", "p90", "p99"]) {
          queries.push({
            id: `all_${stat}`,
            namespace: LAMBDA,
            metricName: "Duration",
            stat,
            periodSeconds: period,
            dimensions: {},
          });
        }
      }
      const metrics = await getMetricData(sources.clients.cloudWatch, {
        queries,
        startMs: window.startMs,
        endMs: window.endMs,
      });
      cost.getMetricDataCalls += metrics.calls;
      cost.metricsRequested += metrics.metricsRequested;
      if (metrics.partial) notes.add("CloudWatch returned partial data for some metrics.");
      const value = (id: string): number | null => {
        const values = metrics.series[id]?.values ?? [];
        return values.length > 0 ? (values[0] as number) : null;
      };
      const logsStart = Math.max(window.startMs, sources.nowMs - LOGS_LOOKBACK_MS);
      const logsCover = options.logs !== false && logsStart < window.endMs;
      if (options.logs !== false && logsStart > window.startMs) {
        notes.add(
          logsCover
            ? "Timeouts and cold starts come from Logs Insights, read for the last 15 days only: a window reaching further back is counted in part."
            : "Timeouts and cold starts are unknown for windows older than 15 days (Logs Insights is read 15 days back).",
        );
      }
      await Promise.all(
        functionNames.map(async (name, index) => {
          let pcAllocated: number | null = null;
          let busy = 0;
          let spill: number | null = null;
          (options.pcQualifiers.get(name) ?? []).forEach((_, aliasIndex) => {
            const allocated = allocatedFromUtilization(
              value(`f${index}_pcb${aliasIndex}`),
              value(`f${index}_pcu${aliasIndex}`),
            );
            if (allocated !== null) {
              pcAllocated = (pcAllocated ?? 0) + allocated;
              busy += value(`f${index}_pcb${aliasIndex}`) ?? 0;
            }
            const spilled = value(`f${index}_pcs${aliasIndex}`);
            if (spilled !== null) spill = (spill ?? 0) + spilled;
          });
          const stats: WindowStats = {
            ...emptyStats(),
            p50: value(`f${index}_p50`),
            p90: value(`f${index}_p90`),
            p99: value(`f${index}_p99`),
            average: value(`f${index}_avg`),
            invocations: value(`f${index}_inv`) ?? 0,
            errors: value(`f${index}_err`) ?? 0,
            throttles: value(`f${index}_thr`) ?? 0,
            pcAllocated,
            pcUtilization: pcAllocated ? busy / pcAllocated : null,
            spillover: spill,
          };
          if (logsCover && stats.invocations > 0) {
            const run = async (queryString: string) => {
              cost.logsQueries++;
              try {
                const found = await runInsightsQuery(
                  sources.clients.logs,
                  { logGroupNames: [`/aws/lambda/${name}`], queryString, startMs: logsStart, endMs: window.endMs },
                  { timeoutMs: sources.logsTimeoutMs },
                );
                if (found.status !== "Complete")
                  notes.add(found.note ?? "A Logs Insights query returned partial results.");
                return found.rows[0];
              } catch (error) {
                notes.add(AppError.from(error).userMessage);
                return undefined;
              }
            };
            const [cold, timeouts] = await Promise.all([run(coldStartQuery), run(timeoutQuery)]);
            if (cold) {
              stats.reports = insightsNumber(cold.invocations) ?? 0;
              stats.coldStarts = insightsNumber(cold.coldStarts) ?? 0;
            }
            if (timeouts) stats.timeouts = insightsNumber(timeouts.timeouts) ?? 0;
          } else if (logsCover) {
            stats.reports = 0;
            stats.coldStarts = 0;
            stats.timeouts = 0;
          }
          result[name] = stats;
        }),
      );
      const accountWide = options.accountWide
        ? { p50: value("all_p50"), p90: value("all_p90"), p99: value("all_p99") }
        : null;
      return { result, accountWide };
    }),
  );
  return {
    stats: perWindow.map((entry) => entry.result),
    accountWide: perWindow.map((entry) => entry.accountWide),
    notes: [...notes],
    cost,
  };
}

const WEEK_MS = 7 * 86_400_000;

/** The week before vs the week after an item was done, for its linked functions. */
export async function fetchEffect(
  sources: VerificationSources,
  item: Pick<ActionItemDto, "doneAt" | "functions">,
  pcQualifiers: ReadonlyMap<string, string[]>,
): Promise<{ effect: ReportEffect | null; cost: WindowStatsResult["cost"] }> {
  const none = { getMetricDataCalls: 0, metricsRequested: 0, logsQueries: 0, otherCalls: 0 };
  if (!item.doneAt || item.functions.length === 0) return { effect: null, cost: none };
  const doneMs = Math.floor(Date.parse(item.doneAt) / HOUR_MS) * HOUR_MS;
  const nowHour = Math.floor(sources.nowMs / HOUR_MS) * HOUR_MS;
  const before = { startMs: doneMs - WEEK_MS, endMs: doneMs };
  const after = { startMs: doneMs, endMs: Math.min(doneMs + WEEK_MS, nowHour) };
  if (after.endMs - after.startMs < HOUR_MS) return { effect: null, cost: none };
  const result = await fetchWindowStats(sources, item.functions, [before, after], { pcQualifiers });
  return {
    effect: {
      before,
      after,
      afterPartial: after.endMs - after.startMs < WEEK_MS,
      functions: item.functions.map((name) => ({
        name,
        before: result.stats[0]?.[name] ?? emptyStats(),
        after: result.stats[1]?.[name] ?? emptyStats(),
      })),
    },
    cost: result.cost,
  };
}

// =============================================================================================
// The page's view of the items (checks and effects evaluated live, cached briefly)

export interface ActionItemView extends ActionItemDto {
  dependencies: DependencyView[];
  warnings: string[];
  check: { description: string; result: CheckResult } | null;
  verdict: Verdict;
  effect: ReportEffect | null;
}

/** Evaluates every item's check (and, with `effects`, the effect of the done ones) against AWS. */
export async function buildActionItemViews(
  sources: VerificationSources,
  items: readonly ActionItemDto[],
  options: { effects: boolean; pcQualifiers?: ReadonlyMap<string, string[]> },
): Promise<{ views: ActionItemView[]; cost: WindowStatsResult["cost"] }> {
  const cost = { getMetricDataCalls: 0, metricsRequested: 0, logsQueries: 0, otherCalls: 0 };
  let pcQualifiers = options.pcQualifiers;
  if (options.effects && !pcQualifiers && items.some((item) => item.doneAt)) {
    const found = await fetchPcQualifiers(sources);
    pcQualifiers = found.qualifiers;
    cost.otherCalls += found.calls;
  }
  const views = await Promise.all(
    items.map(async (item): Promise<ActionItemView> => {
      const dependencies = dependencyViews(item, items);
      const [result, effect] = await Promise.all([
        item.verification
          ? evaluateCheck(sources, item.verification, { prerequisite: prerequisiteOf(item, items) })
          : Promise.resolve(null),
        options.effects && item.status === "done"
          ? fetchEffect(sources, item, pcQualifiers ?? new Map())
          : Promise.resolve({ effect: null, cost: null }),
      ]);
      if (effect.cost) {
        cost.getMetricDataCalls += effect.cost.getMetricDataCalls;
        cost.metricsRequested += effect.cost.metricsRequested;
        cost.logsQueries += effect.cost.logsQueries;
      }
      return {
        ...item,
        dependencies,
        warnings: dependencyWarnings(item.status, dependencies),
        check: item.verification && result ? { description: describeVerification(item.verification), result } : null,
        verdict: verdictFor(item.status, result),
        effect: effect.effect,
      };
    }),
  );
  return { views, cost };
}

export async function verificationSources(): Promise<VerificationSources> {
  return { clients: await getAwsClients(), nowMs: Date.now() };
}

const globalViews = globalThis as typeof globalThis & {
  phoenixActionItemViews?: Map<string, { atMs: number; value: Promise<ActionItemView[]> }>;
};
/** Checks are cheap but not free (Lambda's control plane allows 15 reads/s): reuse them briefly. */
const VIEW_TTL_MS = 60_000;

function cachedViews(key: string, fresh: boolean, load: () => Promise<ActionItemView[]>): Promise<ActionItemView[]> {
  globalViews.phoenixActionItemViews ??= new Map();
  const cache = globalViews.phoenixActionItemViews;
  const hit = cache.get(key);
  if (!fresh && hit && Date.now() - hit.atMs < VIEW_TTL_MS) return hit.value;
  const value = load();
  cache.set(key, { atMs: Date.now(), value });
  value.catch(() => cache.delete(key));
  return value;
}

function invalidateViews(): void {
  globalViews.phoenixActionItemViews?.clear();
}

/** Every item with its check, verdict, dependency warnings and (done items) effect. */
export async function getActionItems(options: { fresh?: boolean } = {}): Promise<ActionItemView[]> {
  await requireRole("viewer");
  const items = await listActionItemRows(await getDb());
  const key = items.map((item) => `${item.id}@${item.updatedAt}`).join("|");
  return cachedViews(key, options.fresh === true, async () => {
    const { views } = await buildActionItemViews(await verificationSources(), items, { effects: true });
    return views;
  });
}

export async function getActionItem(id: string, options: { fresh?: boolean } = {}) {
  const views = await getActionItems(options);
  const item = views.find((view) => view.id === id);
  if (!item) throw new AppError("NOT_FOUND", { userMessage: "There is no such action item." });
  return { item, comments: await listActionItemComments(await getDb(), id), all: views };
}

/** Owner suggestions: Phoenix users (owners may also be free text). */
export async function getOwnerSuggestions(): Promise<string[]> {
  await requireRole("viewer");
  const rows = await (await getDb())
    .selectFrom("users")
    .select(["username", "display_name"])
    .where("disabled", "=", 0)
    .execute();
  return rows.map((row) => row.username);
}

// =============================================================================================
// Actions (operators and admins edit; viewers read)

/** Unknown functions and dependencies are field errors, checked against AWS and the store. */
async function resolveFields(
  fields: ActionItemFields,
  options: { selfId?: string },
): Promise<Omit<NewActionItem, "status" | "seedKey">> {
  const db = await getDb();
  const fieldErrors: Record<string, string[]> = {};
  const items = await listActionItemRows(db);
  const unknownDependencies = fields.dependsOn.filter((id) => !items.some((item) => item.id === id));
  if (unknownDependencies.length > 0) fieldErrors.dependsOn = ["Depends on an item that does not exist"];
  if (options.selfId && fields.dependsOn.includes(options.selfId))
    fieldErrors.dependsOn = ["An item cannot depend on itself"];
  if (fields.functions.length > 0 || fields.checkFunction) {
    const { functions } = await listFunctions((await getAwsClients()).lambda);
    const known = new Set(functions.map((fn) => fn.name));
    const unknown = fields.functions.filter((name) => !known.has(name));
    if (unknown.length > 0) fieldErrors.functions = [`No such function in AWS: ${unknown.join(", ")}`];
    if (fields.checkFunction && !known.has(fields.checkFunction)) {
      fieldErrors.checkFunction = [`No such function in AWS: ${fields.checkFunction}`];
    }
  }
  const existing = options.selfId ? items.find((item) => item.id === options.selfId) : undefined;
  let verification = verificationFromFields(fields);
  // Editing an item keeps its check's own parameters (scope, stage…) unless its kind or function changes.
  const kept = existing?.verification;
  if (kept && verification && kept.kind === verification.kind) {
    const sameFunction =
      !("functionName" in verification) || ("functionName" in kept && kept.functionName === verification.functionName);
    if (sameFunction) {
      verification =
        verification.kind === "package-size" && kept.kind === "package-size"
          ? { ...kept, maxMb: verification.maxMb }
          : kept;
    }
  }
  if (verification && "functionName" in verification && !verification.functionName) {
    fieldErrors.checkFunction = ["Choose the function the check reads (or link one)"];
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("INVALID_INPUT", { userMessage: "Please correct the fields marked below.", fieldErrors });
  }
  const dependsOn: Dependency[] = fields.dependsOn.map((itemId) => ({
    itemId,
    reason:
      existing?.dependsOn.find((dependency) => dependency.itemId === itemId)?.reason ??
      "the order agreed in the review says it comes first",
  }));
  return {
    title: fields.title,
    owner: fields.owner,
    dueDate: fields.dueDate,
    notes: fields.notes,
    functions: fields.functions,
    dependsOn,
    verification,
  };
}

export const createActionItemAction = defineAction({
  name: "action-items.create",
  role: "operator",
  description: "Create an action item",
  input: actionItemFieldsSchema,
  async run(input, context) {
    const resolved = await resolveFields(input, {});
    const item = await context.change({ target: `action-item:new` }, async () => {
      const created = await insertActionItem(await getDb(), resolved);
      return { id: created.id, position: created.position, title: created.title };
    });
    invalidateViews();
    return item;
  },
});

export const updateActionItemAction = defineAction({
  name: "action-items.update",
  role: "operator",
  description: "Edit an action item",
  input: updateActionItemSchema,
  async run(input, context) {
    const db = await getDb();
    const before = await requireItem(db, input.id);
    const resolved = await resolveFields(input, { selfId: input.id });
    const after = await context.change({ target: `action-item:${input.id}`, before: summarize(before) }, async () =>
      summarize(await updateActionItemFields(db, input.id, resolved)),
    );
    invalidateViews();
    return after;
  },
});

export interface StatusChangeResult {
  id: string;
  status: ActionItemStatus;
  warnings: string[];
}

export const setActionItemStatusAction = defineAction({
  name: "action-items.set-status",
  role: "operator",
  description: "Change an action item's status",
  input: setStatusSchema,
  async run(input, context): Promise<StatusChangeResult> {
    const db = await getDb();
    const items = await listActionItemRows(db);
    const before = items.find((item) => item.id === input.id);
    if (!before) throw new AppError("NOT_FOUND", { userMessage: "There is no such action item." });
    // Dependencies are warnings, not locks: the change goes through and says why it is a problem.
    const warnings = dependencyWarnings(input.status, dependencyViews(before, items));
    const after = await context.change(
      { target: `action-item:${input.id}`, before: { status: before.status, doneAt: before.doneAt } },
      async () => {
        const changed = await setActionItemStatus(db, input.id, input.status);
        return { status: changed.status, doneAt: changed.doneAt, warnings };
      },
    );
    invalidateViews();
    return { id: input.id, status: after.status, warnings };
  },
});

export const commentOnActionItemAction = defineAction({
  name: "action-items.comment",
  role: "operator",
  description: "Comment on an action item",
  input: commentSchema,
  async run(input, context) {
    return context.change({ target: `action-item:${input.id}` }, async () => {
      const comment = await addActionItemComment(await getDb(), input.id, context.actor.username, input.body);
      return { commentId: comment.id };
    });
  },
});

export const moveActionItemAction = defineAction({
  name: "action-items.move",
  role: "operator",
  description: "Reorder the action items",
  input: moveSchema,
  async run(input, context) {
    const db = await getDb();
    const items = await listActionItemRows(db);
    if (!items.some((item) => item.id === input.id)) {
      throw new AppError("NOT_FOUND", { userMessage: "There is no such action item." });
    }
    const beforeOrder = items.map((item) => item.id);
    const order = moveInOrder(beforeOrder, input.id, input.direction);
    const result = await context.change(
      { target: `action-item:${input.id}`, before: { position: beforeOrder.indexOf(input.id) + 1 } },
      async () => {
        await reorderActionItems(db, order);
        return { position: order.indexOf(input.id) + 1 };
      },
    );
    invalidateViews();
    return result;
  },
});

function summarize(item: ActionItemDto) {
  return {
    title: item.title,
    owner: item.owner,
    dueDate: item.dueDate,
    status: statusLabels[item.status],
    functions: item.functions,
    dependsOn: item.dependsOn.map((dependency) => dependency.itemId),
    check: item.verification?.kind ?? null,
    notesLength: item.notes.length,
  };
}

/** Function names for the forms' suggestions. */
export async function getFunctionNames(): Promise<string[]> {
  await requireRole("viewer");
  const { functions } = await listFunctions((await getAwsClients()).lambda);
  return functions.map((fn) => fn.name);
}
