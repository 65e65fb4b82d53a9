import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { defineAction } from "@/lib/actions/define-action";
import { requireRole } from "@/lib/auth/session";
import { type AwsClients, getAwsClients } from "@/lib/aws/clients";
import { getMetricData, listMetrics, type MetricQuery } from "@/lib/aws/cloudwatch";
import { listFunctions, listVersionDetails } from "@/lib/aws/lambda";
import { getAliasVersion, getFunctionDetails, readPcSchedule } from "@/lib/aws/verification-reads";
import { fetchColdStartsAndTimeouts } from "@/lib/data/cold-starts-and-timeouts";
import { readTuningRunsForCheck } from "@/lib/data/power-tuning";
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
import { allocatedFromUtilization } from "@/lib/domain/latency";
import type { ReportEffect, Window, WindowStats } from "@/lib/domain/reviews";
import { emptyStats } from "@/lib/domain/reviews";
import {
  type CheckResult,
  countedTuningRun,
  describeVerification,
  evaluateMemoryTuned,
  evaluatePackageSize,
  evaluatePcSchedule,
  evaluateRdsProxy,
  evaluateRedisCache,
  evaluateRuntime,
  type MemoryObservation,
  type TuningRunObservation,
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
 * Power tuning (issue 9): a function's runs, newest first, for check 3 (the memory must match the
 * recommendation of a run made after the refactor). Read from the store by the page and the reviews;
 * left out (undefined) where no store is at hand, which the check then says.
 */
export type PowerTuningRunsSource = (functionName: string) => Promise<TuningRunObservation[]>;

export interface VerificationSources {
  clients: Pick<AwsClients, "lambda" | "cloudWatch" | "logs" | "autoScaling">;
  nowMs: number;
  powerTuningRuns?: PowerTuningRunsSource;
  logsTimeoutMs?: number;
  /** The reads of one build, shared by its checks, effects and report (see {@link BuildReads}). */
  reads?: BuildReads;
}

/**
 * The AWS reads of one build — a review report (or the two a review page builds at once: the review
 * and the one before it), or the action-items page. Each read is made once however many checks need
 * it (three checks read the same GetFunction), and window statistics are coalesced: the requests
 * made in the same turn of the event loop are grouped per window, so a window is fetched once for
 * the union of the functions asked for (one GetMetricData call per window, split only past 500
 * metrics), and a (window, function) already fetched is never fetched again. Lives as long as the
 * build; nothing outlives it (the live pages re-read AWS, the saved snapshot is the long-term copy).
 */
export class BuildReads {
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly windowNotes = new Map<string, Promise<string[]>[]>();
  private queue: WindowRequest[] = [];
  private flushing = false;

  constructor(readonly sources: Omit<VerificationSources, "reads">) {}

  /** The result of `load` for `key`, loaded once (a failure is not remembered: the next ask retries). */
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.memo.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const value = load();
    this.memo.set(key, value);
    value.catch(() => this.memo.delete(key));
    return value;
  }

  /** Window statistics through the coalescing queue (same result shape as {@link fetchWindowStats}). */
  windowStats(
    functionNames: readonly string[],
    windows: readonly Window[],
    options: { pcQualifiers: ReadonlyMap<string, string[]>; accountWide?: boolean },
  ): Promise<WindowStatsResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ functionNames, windows, options, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const requests = this.queue;
    this.queue = [];
    this.flushing = false;
    // Group what is not fetched (or being fetched) yet per window: the union of the functions.
    const groups = new Map<
      string,
      { window: Window; names: Set<string>; accountWide: boolean; qualifiers: Map<string, string[]> }
    >();
    const costOwner = new Map<string, WindowRequest>();
    for (const request of requests) {
      for (const raw of request.windows) {
        const window = hourWindow(raw);
        const key = windowKey(window);
        const group = groups.get(key) ?? {
          window,
          names: new Set<string>(),
          accountWide: false,
          qualifiers: new Map<string, string[]>(),
        };
        for (const name of request.functionNames) {
          if (this.memo.has(`stats|${key}|${name}`)) continue;
          group.names.add(name);
          group.qualifiers.set(name, request.options.pcQualifiers.get(name) ?? []);
        }
        if (request.options.accountWide && !this.memo.has(`account|${key}`)) group.accountWide = true;
        if (group.names.size > 0 || group.accountWide) {
          groups.set(key, group);
          if (!costOwner.has(key)) costOwner.set(key, request);
        }
      }
    }
    const fetched = new Map<string, Promise<WindowStatsResult>>();
    for (const [key, group] of groups) {
      const names = [...group.names];
      const result = fetchWindowStats(this.sources, names, [group.window], {
        pcQualifiers: group.qualifiers,
        accountWide: group.accountWide,
      });
      fetched.set(key, result);
      result.catch(() => undefined);
      for (const name of names) this.once(`stats|${key}|${name}`, async () => (await result).stats[0]?.[name]);
      if (group.accountWide) this.once(`account|${key}`, async () => (await result).accountWide[0] ?? null);
      this.windowNotes.set(key, [
        ...(this.windowNotes.get(key) ?? []),
        result.then(
          (found) => found.notes,
          () => [],
        ),
      ]);
    }
    for (const request of requests) {
      void this.answer(request, fetched, costOwner).then(request.resolve, request.reject);
    }
  }

  private async answer(
    request: WindowRequest,
    fetched: ReadonlyMap<string, Promise<WindowStatsResult>>,
    costOwner: ReadonlyMap<string, WindowRequest>,
  ): Promise<WindowStatsResult> {
    const notes = new Set<string>();
    const cost = { getMetricDataCalls: 0, metricsRequested: 0, logsQueries: 0, otherCalls: 0 };
    const stats = await Promise.all(
      request.windows.map(async (raw) => {
        const key = windowKey(hourWindow(raw));
        const own = fetched.get(key);
        if (own) {
          const result = await own;
          if (costOwner.get(key) === request) {
            cost.getMetricDataCalls += result.cost.getMetricDataCalls;
            cost.metricsRequested += result.cost.metricsRequested;
            cost.logsQueries += result.cost.logsQueries;
            cost.otherCalls += result.cost.otherCalls;
          }
        }
        for (const found of await Promise.all(this.windowNotes.get(key) ?? [])) {
          for (const note of found) notes.add(note);
        }
        const entries = await Promise.all(
          request.functionNames.map(
            async (name) =>
              [
                name,
                ((await this.memo.get(`stats|${key}|${name}`)) as WindowStats | undefined) ?? emptyStats(),
              ] as const,
          ),
        );
        return Object.fromEntries(entries);
      }),
    );
    const accountWide = await Promise.all(
      request.windows.map(async (raw) =>
        request.options.accountWide
          ? (((await this.memo.get(
              `account|${windowKey(hourWindow(raw))}`,
            )) as WindowStatsResult["accountWide"][number]) ?? null)
          : null,
      ),
    );
    return { stats, accountWide, notes: [...notes], cost };
  }
}

interface WindowRequest {
  functionNames: readonly string[];
  windows: readonly Window[];
  options: { pcQualifiers: ReadonlyMap<string, string[]>; accountWide?: boolean };
  resolve: (result: WindowStatsResult) => void;
  reject: (error: unknown) => void;
}

function hourWindow(window: Window): Window {
  return {
    startMs: Math.floor(window.startMs / HOUR_MS) * HOUR_MS,
    endMs: Math.floor(window.endMs / HOUR_MS) * HOUR_MS,
  };
}

function windowKey(window: Window): string {
  return `${window.startMs}-${window.endMs}`;
}

/** `load` once per build when the sources carry one (else every time). */
function readOnce<T>(sources: VerificationSources, key: string, load: () => Promise<T>): Promise<T> {
  return sources.reads ? sources.reads.once(key, load) : load();
}

/** Sources with a build of their own, unless the caller shares one. */
export function withBuildReads<S extends VerificationSources>(sources: S): S & { reads: BuildReads } {
  if (sources.reads) return sources as S & { reads: BuildReads };
  const { reads: _shared, ...rest } = sources;
  return { ...sources, reads: new BuildReads(rest) };
}

const checkedAtOf = (sources: VerificationSources) => new Date(sources.nowMs).toISOString();

/** ListFunctions, once per build (the runtime check and the review report both need it). */
export function listFunctionsOnce(sources: VerificationSources): ReturnType<typeof listFunctions> {
  return readOnce(sources, "list-functions", () => listFunctions(sources.clients.lambda));
}

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
  // Several checks read the same function: one GetFunction (and one of each read) per build.
  const details = (name: string) => readOnce(sources, `function|${name}`, () => getFunctionDetails(lambda, name));
  const aliasVersion = (name: string, alias: string) =>
    readOnce(sources, `alias|${name}|${alias}`, () => getAliasVersion(lambda, name, alias));
  try {
    switch (check.kind) {
      case "package-size":
        return evaluatePackageSize(check, await details(check.functionName), checkedAt);
      case "rds-proxy":
        return evaluateRdsProxy(check, (await details(check.functionName)).environment, checkedAt);
      case "memory-tuned": {
        const doneAtMs = context.prerequisite?.doneAtMs ?? null;
        const powerTuningRuns = sources.powerTuningRuns;
        const [versions, trafficAlias, runs] = await Promise.all([
          readOnce(sources, `versions|${check.functionName}`, () => listVersionDetails(lambda, check.functionName)),
          check.qualifier ? aliasVersion(check.functionName, check.qualifier) : Promise.resolve(null),
          powerTuningRuns && doneAtMs !== null
            ? readOnce(sources, `tuning-runs|${check.functionName}`, () => powerTuningRuns(check.functionName))
            : Promise.resolve(undefined),
        ]);
        const memoryOf = (version: string) =>
          (versions.find((candidate) => candidate.version === version) ?? versions[0])?.memoryMb ?? 0;
        const trafficVersion = trafficAlias ?? "$LATEST";
        const traffic = {
          qualifier: trafficAlias ? (check.qualifier ?? "$LATEST") : "$LATEST",
          version: trafficVersion,
          memoryMb: memoryOf(trafficVersion),
        };
        // The counted run may have tuned another alias than the check's: read what that one runs.
        const counted = runs && doneAtMs !== null ? countedTuningRun(runs, doneAtMs) : undefined;
        let tunedAlias: MemoryObservation["tunedAlias"];
        if (counted && (counted.qualifier || "$LATEST") !== traffic.qualifier) {
          const version = counted.qualifier ? await aliasVersion(check.functionName, counted.qualifier) : "$LATEST";
          tunedAlias = version ? { qualifier: counted.qualifier, version, memoryMb: memoryOf(version) } : null;
        }
        return evaluateMemoryTuned(
          check,
          {
            prerequisite: context.prerequisite,
            versions,
            traffic,
            ...(runs !== undefined ? { tuningRuns: runs } : {}),
            ...(tunedAlias !== undefined ? { tunedAlias } : {}),
          },
          checkedAt,
        );
      }
      case "redis-cache": {
        const { environment } = await details(check.functionName);
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
            environment,
            cacheHits: hits.length > 0 ? hits.reduce((sum, value) => sum + value, 0) : null,
            hitsSource: `CloudWatch ${HANDLER_METRICS_NAMESPACE}/CacheHit (the handler's EMF metric)`,
          },
          checkedAt,
        );
      }
      case "runtime": {
        const { functions } = await listFunctionsOnce(sources);
        return evaluateRuntime(check, functions, sources.nowMs, checkedAt);
      }
      case "pc-schedule":
        return evaluatePcSchedule(
          check,
          await readOnce(sources, `pc-schedule|${check.functionName}|${check.qualifier}`, () =>
            readPcSchedule(autoScaling, `function:${check.functionName}:${check.qualifier}`),
          ),
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

export interface WindowStatsResult {
  /** stats[windowIndex][functionName] */
  stats: Record<string, WindowStats>[];
  /** Account-wide percentiles per window (dimension-less series), when asked for. */
  accountWide: (Pick<WindowStats, "p50" | "p90" | "p99"> | null)[];
  notes: string[];
  cost: { getMetricDataCalls: number; metricsRequested: number; logsQueries: number; otherCalls: number };
}

/** Aliases with provisioned-concurrency metrics, per function (one ListMetrics call for the account). */
export function fetchPcQualifiers(
  sources: VerificationSources,
): Promise<{ qualifiers: Map<string, string[]>; calls: number }> {
  return readOnce(sources, "pc-qualifiers", () => listPcQualifiers(sources));
}

async function listPcQualifiers(
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
      // Cold starts and timeouts of every function with traffic at once (batched by log group).
      const withTraffic = functionNames.filter((_, index) => (value(`f${index}_inv`) ?? 0) > 0);
      const logs =
        logsCover && withTraffic.length > 0
          ? await fetchColdStartsAndTimeouts(sources, {
              functions: withTraffic.map((name) => ({ name, logGroup: `/aws/lambda/${name}` })),
              startMs: logsStart,
              endMs: window.endMs,
            })
          : undefined;
      if (logs) {
        cost.logsQueries += logs.logsQueries;
        for (const note of logs.notes) notes.add(note);
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
            const found = logs?.byFunction[name];
            if (found?.coldStartsSource) {
              stats.reports = found.reports ?? 0;
              stats.coldStarts = found.coldStarts ?? 0;
            }
            if (found?.timeoutsSource) stats.timeouts = found.timeouts ?? 0;
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
  const result = sources.reads
    ? await sources.reads.windowStats(item.functions, [before, after], { pcQualifiers })
    : await fetchWindowStats(sources, item.functions, [before, after], { pcQualifiers });
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
  given: VerificationSources,
  items: readonly ActionItemDto[],
  options: { effects: boolean; pcQualifiers?: ReadonlyMap<string, string[]> },
): Promise<{ views: ActionItemView[]; cost: WindowStatsResult["cost"] }> {
  const sources = withBuildReads(given);
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
  const db = await getDb();
  return {
    clients: await getAwsClients(),
    nowMs: Date.now(),
    powerTuningRuns: (functionName) => readTuningRunsForCheck(db, functionName),
  };
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
