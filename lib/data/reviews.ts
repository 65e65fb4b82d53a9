import "server-only";
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { appendAudit, queryAudit } from "@/lib/audit";
import { requireRole } from "@/lib/auth/session";
import { getAwsClients, getSandbox } from "@/lib/aws/clients";
import { getMetricData, type MetricQuery } from "@/lib/aws/cloudwatch";
import { listFunctions } from "@/lib/aws/lambda";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import type { Database, ReviewRow } from "@/lib/db/schema";
import { resolveSeedDependencies, type SeedContext, seedPlan } from "@/lib/domain/action-items-seed";
import { buildAnnotations, type HistoryAnnotationSource } from "@/lib/domain/latency-annotations";
import {
  addCosts,
  compareWithPrevious,
  emptyStats,
  estimateMonthlyCost,
  type FunctionComparison,
  type FunctionConfig,
  type OverlayChart,
  openRisks,
  overlay,
  type PreviousComparison,
  type ReportChange,
  type ReviewReport,
  resolveReviewWindows,
  reviewFieldsSchema,
  totalStats,
  type Window,
} from "@/lib/domain/reviews";
import { zonedParts, zonedTimeToUtc } from "@/lib/domain/schedule";
import { AppError } from "@/lib/errors";
import { SANDBOX_TIME_ZONE, SEEDED_FUNCTIONS } from "@/lib/sandbox";
import {
  BuildReads,
  buildActionItemViews,
  fetchPcQualifiers,
  insertActionItem,
  listActionItemRows,
  listFunctionsOnce,
  type VerificationSources,
  verificationSources,
  withBuildReads,
} from "./action-items";

/**
 * Review reports: the store, the report builder (CloudWatch metrics and Logs Insights for two
 * windows, the action items with their checks and effects, the audited changes in between, open
 * risks), snapshots, the comparison with the previous review, and the seeded reviews.
 */

// =============================================================================================
// Store

export interface ReviewDto {
  id: string;
  title: string;
  meetingDate: string;
  baseline: Window;
  current: Window;
  functions: string[];
  snapshotAt: string | null;
  createdBy: string;
  createdAt: string;
}

function toReviewDto(row: ReviewRow): ReviewDto {
  return {
    id: row.id,
    title: row.title,
    meetingDate: row.meeting_date,
    baseline: { startMs: Date.parse(row.baseline_start), endMs: Date.parse(row.baseline_end) },
    current: { startMs: Date.parse(row.current_start), endMs: Date.parse(row.current_end) },
    functions: JSON.parse(row.functions) as string[],
    snapshotAt: row.snapshot_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function listReviewRows(db: Kysely<Database>): Promise<ReviewDto[]> {
  const rows = await db
    .selectFrom("reviews")
    .select([
      "id",
      "title",
      "meeting_date",
      "baseline_start",
      "baseline_end",
      "current_start",
      "current_end",
      "functions",
      "snapshot_at",
      "seed_key",
      "created_by",
      "created_at",
      "updated_at",
    ])
    .orderBy("meeting_date", "desc")
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((row) => toReviewDto({ ...row, snapshot: null }));
}

export async function findReviewRow(db: Kysely<Database>, id: string): Promise<ReviewRow | undefined> {
  return db.selectFrom("reviews").selectAll().where("id", "=", id).executeTakeFirst();
}

export interface NewReview {
  title: string;
  meetingDate: string;
  baseline: Window;
  current: Window;
  functions: string[];
  createdBy: string;
  seedKey?: string;
  snapshot?: ReviewReport;
}

export async function insertReview(db: Kysely<Database>, input: NewReview, at = new Date()): Promise<ReviewDto> {
  const id = randomUUID();
  const now = at.toISOString();
  await db
    .insertInto("reviews")
    .values({
      id,
      title: input.title,
      meeting_date: input.meetingDate,
      baseline_start: new Date(input.baseline.startMs).toISOString(),
      baseline_end: new Date(input.baseline.endMs).toISOString(),
      current_start: new Date(input.current.startMs).toISOString(),
      current_end: new Date(input.current.endMs).toISOString(),
      functions: JSON.stringify(input.functions),
      snapshot: input.snapshot ? JSON.stringify({ ...input.snapshot, review: { ...input.snapshot.review, id } }) : null,
      snapshot_at: input.snapshot ? input.snapshot.builtAt : null,
      seed_key: input.seedKey ?? null,
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const row = await findReviewRow(db, id);
  if (!row) throw new Error("review vanished after insert");
  return toReviewDto(row);
}

export async function saveReviewSnapshot(db: Kysely<Database>, id: string, report: ReviewReport): Promise<void> {
  await db
    .updateTable("reviews")
    .set({ snapshot: JSON.stringify(report), snapshot_at: report.builtAt, updated_at: new Date().toISOString() })
    .where("id", "=", id)
    .execute();
}

// =============================================================================================
// Building a report

export interface ReportSources extends VerificationSources {
  db: Kysely<Database>;
  /** The sandbox's configuration history (scenario events), in sandbox mode. */
  history?: () => Promise<HistoryAnnotationSource[]>;
  /** Where the data comes from, in words ("sandbox (scenario followup)", "AWS us-east-1"). */
  source: string;
}

const CHART_FUNCTIONS = 6;
const CHART_PERIOD_SECONDS = 3_600;

async function fetchOverlayCharts(
  sources: VerificationSources,
  names: readonly string[],
  windows: { baseline: Window; current: Window },
): Promise<{ charts: OverlayChart[]; calls: number; metrics: number }> {
  const chartNames = names.slice(0, CHART_FUNCTIONS);
  if (chartNames.length === 0) return { charts: [], calls: 0, metrics: 0 };
  const queries: MetricQuery[] = chartNames.map((name, index) => ({
    id: `c${index}`,
    namespace: "AWS/Lambda",
    metricName: "Duration",
    stat: "p90",
    periodSeconds: CHART_PERIOD_SECONDS,
    dimensions: { FunctionName: name },
  }));
  // The review before this one often has the same baseline: read once per build.
  const read = (window: Window) => {
    const load = () => getMetricData(sources.clients.cloudWatch, { queries, ...window });
    const key = `chart|${window.startMs}|${window.endMs}|${chartNames.join(",")}`;
    return sources.reads ? sources.reads.once(key, load) : load();
  };
  const [baseline, current] = await Promise.all([read(windows.baseline), read(windows.current)]);
  const empty = { timestamps: [], values: [] };
  return {
    charts: chartNames.map((name, index) => ({
      functionName: name,
      periodSeconds: CHART_PERIOD_SECONDS,
      points: overlay(
        baseline.series[`c${index}`] ?? empty,
        current.series[`c${index}`] ?? empty,
        windows,
        CHART_PERIOD_SECONDS,
      ),
    })),
    calls: baseline.calls + current.calls,
    metrics: baseline.metricsRequested + current.metricsRequested,
  };
}

/**
 * Builds the whole report of a review from live AWS state, the store and the audit log. The reads
 * go through the build's {@link BuildReads} (one per call unless the caller shares one, as the
 * review page does for a review and the one before it): the window statistics of the report and of
 * the action items' effects are coalesced per window, and each AWS read is made once. Everything that
 * does not depend on the function list (checks, effects, the audit log) starts at once.
 */
export async function buildReviewReport(
  given: ReportSources,
  review: Pick<ReviewDto, "id" | "title" | "meetingDate" | "baseline" | "current" | "functions">,
): Promise<ReviewReport> {
  const sources = withBuildReads(given);
  const pcPromise = fetchPcQualifiers(sources);
  const itemViewsPromise = Promise.all([listActionItemRows(sources.db), pcPromise]).then(([items, pc]) =>
    buildActionItemViews(sources, items, { effects: true, pcQualifiers: pc.qualifiers }),
  );
  const auditPromise = queryAudit(
    sources.db,
    { from: new Date(review.baseline.endMs).toISOString(), to: new Date(review.current.endMs).toISOString() },
    1_000,
  );
  const historyPromise = sources.history ? sources.history() : Promise.resolve(undefined);
  // Settled at once, awaited below: a failure of one read must not leave the others unhandled.
  for (const pending of [itemViewsPromise, auditPromise, historyPromise]) pending.catch(() => undefined);
  const [listed, pc] = await Promise.all([listFunctionsOnce(sources), pcPromise]);
  const configs = new Map<string, FunctionConfig>(
    listed.functions.map((fn) => [
      fn.name,
      {
        name: fn.name,
        runtime: fn.runtime,
        memoryMb: fn.memoryMb,
        timeoutSeconds: fn.timeoutSeconds,
        architecture: fn.architecture,
      },
    ]),
  );
  const names = review.functions.filter((name) => configs.has(name));
  const notes: string[] = [];
  const missing = review.functions.filter((name) => !configs.has(name));
  if (missing.length > 0) notes.push(`No longer in AWS, left out: ${missing.join(", ")}.`);
  const coversAll = names.length === configs.size;
  const windows = { baseline: review.baseline, current: review.current };
  const [stats, charts, itemViews, audit, history] = await Promise.all([
    sources.reads.windowStats(names, [review.baseline, review.current], {
      pcQualifiers: pc.qualifiers,
      accountWide: coversAll,
    }),
    fetchOverlayCharts(sources, names, windows),
    itemViewsPromise,
    auditPromise,
    historyPromise,
  ]);
  notes.push(...stats.notes);
  notes.push("Monthly costs price both windows at today's memory and architecture (tier-1 prices, no free tier).");
  const functions: FunctionComparison[] = names.map((name) => {
    const fn = configs.get(name) as FunctionConfig;
    const baseline = stats.stats[0]?.[name] ?? emptyStats();
    const current = stats.stats[1]?.[name] ?? emptyStats();
    return {
      fn,
      baseline,
      current,
      baselineCost: estimateMonthlyCost(baseline, fn, review.baseline),
      currentCost: estimateMonthlyCost(current, fn, review.current),
    };
  });
  const changeStart = review.baseline.endMs;
  const changeEnd = review.current.endMs;
  const changes: ReportChange[] = names
    .flatMap((name) =>
      buildAnnotations(name, changeStart, changeEnd, {
        audit: audit.map((entry) => ({ ...entry, outcome: entry.outcome })),
        ...(history ? { history } : {}),
      })
        .filter((annotation) => annotation.kind !== "schedule")
        .map((annotation) => ({
          at: new Date(annotation.atMs).toISOString(),
          functionName: name,
          title: annotation.title,
          who: annotation.who,
          kind: annotation.kind,
        })),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
  const itemChanges = audit
    .filter((entry) => entry.target?.startsWith("action-item:") && entry.outcome === "success")
    .map((entry) => ({
      at: entry.at,
      functionName: "—",
      title: `${entry.action.replace("action-items.", "action item: ")}`,
      who: entry.actor,
      kind: "action-item",
    }));
  return {
    version: 1,
    builtAt: new Date(sources.nowMs).toISOString(),
    source: sources.source,
    review: {
      id: review.id,
      title: review.title,
      meetingDate: review.meetingDate,
      baseline: review.baseline,
      current: review.current,
      functions: names,
    },
    functions,
    total: {
      baseline: totalStats(
        functions.map((row) => row.baseline),
        stats.accountWide[0] ?? null,
      ),
      current: totalStats(
        functions.map((row) => row.current),
        stats.accountWide[1] ?? null,
      ),
      baselineCost: addCosts(functions.map((row) => row.baselineCost)),
      currentCost: addCosts(functions.map((row) => row.currentCost)),
      percentilesCoverAll: coversAll,
    },
    charts: charts.charts,
    actionItems: itemViews.views.map((view) => ({
      id: view.id,
      position: view.position,
      title: view.title,
      owner: view.owner,
      status: view.status,
      dueDate: view.dueDate,
      doneAt: view.doneAt,
      check: view.check,
      verdict: view.verdict,
      warnings: view.warnings,
      effect: view.effect,
    })),
    changes: [...changes, ...itemChanges].sort((a, b) => a.at.localeCompare(b.at)),
    risks: openRisks(functions, sources.nowMs),
    notes: [...new Set(notes)],
    cost: {
      getMetricDataCalls: stats.cost.getMetricDataCalls + charts.calls + itemViews.cost.getMetricDataCalls,
      metricsRequested: stats.cost.metricsRequested + charts.metrics + itemViews.cost.metricsRequested,
      logsQueries: stats.cost.logsQueries + itemViews.cost.logsQueries,
      otherCalls: listed.calls + pc.calls + itemViews.cost.otherCalls,
    },
  };
}

async function reportSources(): Promise<ReportSources> {
  const [base, sandbox, db] = await Promise.all([verificationSources(), getSandbox(), getDb()]);
  const config = getConfig();
  return {
    ...base,
    db,
    source: sandbox ? `the Phoenix sandbox (simulated, scenario ${sandbox.scenario})` : `AWS ${config.awsRegion}`,
    ...(sandbox ? { history: () => sandbox.history() } : {}),
  };
}

// =============================================================================================
// Reads

export interface ReviewListItem extends ReviewDto {
  headline: { functionName: string; baselineP90: number | null; currentP90: number | null } | null;
}

export async function getReviews(): Promise<ReviewListItem[]> {
  await requireRole("viewer");
  const db = await getDb();
  const reviews = await listReviewRows(db);
  return Promise.all(
    reviews.map(async (review) => {
      const row = review.snapshotAt ? await findReviewRow(db, review.id) : undefined;
      const report = row?.snapshot ? (JSON.parse(row.snapshot) as ReviewReport) : null;
      const main = report?.functions.find((fn) => fn.fn.name === "process-user-request") ?? report?.functions[0];
      return {
        ...review,
        headline: main
          ? { functionName: main.fn.name, baselineP90: main.baseline.p90, currentP90: main.current.p90 }
          : null,
      };
    }),
  );
}

export interface ReviewPage {
  review: ReviewDto;
  report: ReviewReport;
  /** False: a live preview (the meeting is still ahead), not saved. */
  saved: boolean;
  previous: PreviousComparison | null;
}

const building = new Map<string, Promise<ReviewReport>>();

function todayIso(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/**
 * The report of a stored review: its snapshot; without one, built now — and saved when the meeting
 * has come (once, even when many open it at the same time); for a meeting still ahead, a live
 * preview that is not saved.
 */
async function reportOf(
  db: Kysely<Database>,
  row: ReviewRow,
  sources: () => Promise<ReportSources>,
): Promise<{ report: ReviewReport; saved: boolean }> {
  if (row.snapshot) return { report: JSON.parse(row.snapshot) as ReviewReport, saved: true };
  const review = toReviewDto(row);
  const due = review.meetingDate <= todayIso(Date.now());
  let pending = building.get(row.id);
  if (!pending) {
    pending = (async () => {
      const built = await buildReviewReport(await sources(), review);
      if (due) {
        await saveReviewSnapshot(db, row.id, built);
        await appendAudit(db, {
          requestId: randomUUID(),
          actor: "phoenix",
          role: "system",
          action: "reviews.snapshot",
          target: `review:${row.id}`,
          after: { builtAt: built.builtAt, reason: "first opened on or after the meeting" },
          result: "success",
        });
      }
      return built;
    })();
    building.set(row.id, pending);
    pending.finally(() => building.delete(row.id)).catch(() => undefined);
  }
  return { report: await pending, saved: due };
}

/** A review, its report and the comparison with the review before it (whose snapshot is taken if due). */
export async function getReview(id: string): Promise<ReviewPage> {
  await requireRole("viewer");
  const db = await getDb();
  const row = await findReviewRow(db, id);
  if (!row) throw new AppError("NOT_FOUND", { userMessage: "There is no such review." });
  const review = toReviewDto(row);
  const earlier = await db
    .selectFrom("reviews")
    .selectAll()
    .where("meeting_date", "<", review.meetingDate)
    .where("id", "!=", review.id)
    .orderBy("meeting_date", "desc")
    .limit(1)
    .executeTakeFirst();
  // A review and the one before it, built at once, share one build's reads: the same baseline and
  // the same action items' effects are read once, not twice.
  let shared: Promise<ReportSources> | undefined;
  const sources = () => {
    shared ??= reportSources().then((found) => ({ ...found, reads: new BuildReads(found) }));
    return shared;
  };
  const [{ report, saved }, previous] = await Promise.all([
    reportOf(db, row, sources),
    earlier ? reportOf(db, earlier, sources) : Promise.resolve(null),
  ]);
  return {
    review,
    report,
    saved,
    previous:
      earlier && previous?.saved
        ? compareWithPrevious(report, { ...previous.report, review: { ...previous.report.review, id: earlier.id } })
        : null,
  };
}

// =============================================================================================
// Actions

async function firstMeetingMs(db: Kysely<Database>, fallback: string): Promise<number> {
  const first = await db
    .selectFrom("reviews")
    .select("meeting_date")
    .orderBy("meeting_date")
    .limit(1)
    .executeTakeFirst();
  const date = first && first.meeting_date < fallback ? first.meeting_date : fallback;
  return Date.parse(`${date}T00:00:00Z`);
}

export const createReviewAction = defineAction({
  name: "reviews.create",
  role: "operator",
  description: "Create a review report",
  input: reviewFieldsSchema,
  async run(input, context) {
    const db = await getDb();
    const nowMs = Date.now();
    const windows = resolveReviewWindows(input, { nowMs, firstMeetingMs: await firstMeetingMs(db, input.meetingDate) });
    const fieldErrors: Record<string, string[]> = windows.ok ? {} : { ...windows.fieldErrors };
    const { functions: known } = await listFunctions((await getAwsClients()).lambda);
    const unknown = input.functions.filter((name) => !known.some((fn) => fn.name === name));
    if (unknown.length > 0) fieldErrors.functions = [`No such function in AWS: ${unknown.join(", ")}`];
    if (!windows.ok || Object.keys(fieldErrors).length > 0) {
      throw new AppError("INVALID_INPUT", { userMessage: "Please correct the fields marked below.", fieldErrors });
    }
    const functions = input.functions.length > 0 ? input.functions : known.map((fn) => fn.name);
    const draft = { id: "new", title: input.title, meetingDate: input.meetingDate, ...windows, functions };
    // The report is built before anything is saved: a failing AWS read leaves no half-made review.
    const report = await buildReviewReport(await reportSources(), draft);
    return context.change({ target: "review:new" }, async () => {
      const created = await insertReview(db, { ...draft, createdBy: context.actor.username, snapshot: report });
      return { id: created.id, title: created.title };
    });
  },
});

export const refreshReviewSnapshotAction = defineAction({
  name: "reviews.refresh-snapshot",
  role: "operator",
  description: "Take a review's snapshot again",
  input: reviewIdSchema(),
  async run(input, context) {
    const db = await getDb();
    const row = await findReviewRow(db, input.id);
    if (!row) throw new AppError("NOT_FOUND", { userMessage: "There is no such review." });
    const review = toReviewDto(row);
    const report = await buildReviewReport(await reportSources(), review);
    return context.change({ target: `review:${input.id}`, before: { snapshotAt: row.snapshot_at } }, async () => {
      await saveReviewSnapshot(db, input.id, report);
      return { snapshotAt: report.builtAt };
    });
  },
});

function reviewIdSchema() {
  return z.object({ id: z.string().trim().min(1, "Which review?").max(64) });
}

// =============================================================================================
// Seeding: the meeting's six items and its two reviews (idempotent, at every start)

const DAY_MS = 86_400_000;

function localTimeBefore(anchorMs: number, daysBefore: number, hour: number, minute = 0): number {
  const day = zonedParts(anchorMs - daysBefore * DAY_MS, SANDBOX_TIME_ZONE);
  return zonedTimeToUtc({ year: day.year, month: day.month, day: day.day, hour, minute }, SANDBOX_TIME_ZONE);
}

/** Where the seeded meeting sits: in sandbox mode relative to the simulated world, else the transcript's date. */
export function seedContextFor(world: { anchorMs: number; scenario: string } | null, nowMs: number): SeedContext {
  if (!world) {
    return {
      meetingMs: Date.parse("2025-07-22T14:30:00Z"),
      nowMs,
      pythonFunctions: [],
      stage: "staging (the AWS account Phoenix reads)",
    };
  }
  const pythonFunctions = SEEDED_FUNCTIONS.filter((fn) => fn.runtime === "python3.9").map((fn) => fn.name);
  const stage = "staging (the Phoenix sandbox account)";
  if (world.scenario !== "followup") return { meetingMs: world.anchorMs, nowMs, pythonFunctions, stage };
  // The fixes of the `followup` scenario (lib/sandbox/seed.ts), each marked done half an hour later.
  const at = (days: number, hour: number) => localTimeBefore(world.anchorMs, days, hour, 30);
  return {
    meetingMs: localTimeBefore(world.anchorMs, 8, 10),
    nowMs,
    followUpMs: world.anchorMs,
    // The last fixes landed 3 days ago (runtime) and 2 days ago (PC schedule): look at the days since.
    followUpCurrentDays: 3,
    pythonFunctions,
    stage,
    doneAt: {
      "meeting-1": at(7, 15),
      "meeting-2": at(6, 11),
      "meeting-4": at(5, 16),
      "meeting-3": at(4, 14),
      "meeting-5": at(3, 10),
      "meeting-6": at(2, 9),
    },
  };
}

/** Seeds what is missing (by seed key); never touches what people changed since. */
export async function seedReviewData(
  db: Kysely<Database>,
  context: SeedContext,
): Promise<{ items: number; reviews: number }> {
  const plan = seedPlan(context);
  const existing = await db
    .selectFrom("action_items")
    .select(["id", "seed_key"])
    .where("seed_key", "is not", null)
    .execute();
  const idBySeedKey = new Map(existing.map((row) => [row.seed_key as string, row.id]));
  let items = 0;
  for (const item of plan.items) {
    if (idBySeedKey.has(item.seedKey)) continue;
    const created = await insertActionItem(db, {
      title: item.title,
      owner: item.owner,
      dueDate: item.dueDate,
      notes: item.notes,
      functions: item.functions,
      dependsOn: resolveSeedDependencies(item, idBySeedKey),
      verification: item.verification,
      status: item.status,
      startedAt: item.startedAt,
      doneAt: item.doneAt,
      seedKey: item.seedKey,
    });
    idBySeedKey.set(item.seedKey, created.id);
    items++;
  }
  const seededReviews = await db.selectFrom("reviews").select("seed_key").where("seed_key", "is not", null).execute();
  const reviewKeys = new Set(seededReviews.map((row) => row.seed_key));
  let reviews = 0;
  const functions =
    context.pythonFunctions.length > 0 ? SEEDED_FUNCTIONS.map((fn) => fn.name) : ["process-user-request"];
  for (const review of plan.reviews) {
    if (reviewKeys.has(review.seedKey)) continue;
    await insertReview(db, {
      title: review.title,
      meetingDate: review.meetingDate,
      baseline: review.baseline,
      current: review.current,
      functions,
      createdBy: "phoenix",
      seedKey: review.seedKey,
    });
    reviews++;
  }
  return { items, reviews };
}

/** Start-up hook: seeds the items and reviews of the meeting (sandbox: relative to the simulated world). */
export async function seedReviewsAtStart(): Promise<void> {
  const sandbox = await getSandbox();
  const world = sandbox ? (await sandbox.region()).state.world : null;
  const db = await getDb();
  const seeded = await seedReviewData(
    db,
    seedContextFor(world ? { anchorMs: world.anchorMs, scenario: world.scenario } : null, Date.now()),
  );
  if (seeded.items + seeded.reviews > 0) {
    console.log(`Seeded ${seeded.items} action items and ${seeded.reviews} reviews of the Project Phoenix review.`);
  }
}
