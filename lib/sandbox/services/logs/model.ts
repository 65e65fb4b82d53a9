import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../../core/errors";
import type { RegionContext } from "../../region";
import { type LogSource, type parseInsightsQuery, type QueryOutcome, runInsightsQuery } from "./query";

/**
 * The Logs Insights query lifecycle of one account + region, as AWS runs it: StartQuery only records
 * the query (`Scheduled`) and returns its id; the evaluation happens afterwards — one query at a time,
 * in the order they were started — moving it to `Running`, then `Complete` (or `Failed`/`Timeout`
 * when the `logsQueryFailure` fault says so, or `Failed` when the evaluation throws). StopQuery of a
 * Scheduled or Running query makes it `Cancelled`. At most `maxConcurrentQueries` queries may be
 * Scheduled or Running at once; one more is refused with LimitExceededException.
 *
 * By default queries run by themselves, one per turn of the event loop (`setImmediate`) after the
 * StartQuery that scheduled them, never inside StartQuery, and a GetQueryResults for one still
 * waiting finishes it first; the evaluation is synchronous, so a poll sees the end state. Scheduled
 * and Running are seen while `autoRun: false` lets a test move each query one state at a time with
 * `step()`.
 * The evaluation reads only what StartQuery captured (groups, window, limit, query), so the results
 * are the same as if it had run inside StartQuery.
 */

export type InsightsQueryStatus = "Scheduled" | "Running" | "Complete" | "Failed" | "Cancelled" | "Timeout";

export interface LogsInsightsOptions {
  /**
   * Queries Scheduled or Running at once before StartQuery answers LimitExceededException. AWS's
   * StartQuery reference: "You can have up to 30 concurrent CloudWatch Logs insights queries,
   * including queries that have been added to dashboards" (the Logs user guide's query-history page
   * says 100 per account in some regions; the API reference's 30 is the conservative default).
   */
  maxConcurrentQueries: number;
  /** Evaluate queries by themselves on later event-loop turns (default) or only on `step()`. */
  autoRun: boolean;
}

export const DEFAULT_LOGS_INSIGHTS: LogsInsightsOptions = { maxConcurrentQueries: 30, autoRun: true };

/** Finished queries kept for GetQueryResults (AWS keeps results for 7 days; the sandbox keeps the newest). */
const KEPT_FINISHED_QUERIES = 1_000;

export interface QueryPlan {
  query: ReturnType<typeof parseInsightsQuery>;
  sources: LogSource[];
  startMs: number;
  endMs: number;
  limit: number;
  logGroups: string[];
}

interface StoredQuery {
  id: string;
  status: InsightsQueryStatus;
  plan: QueryPlan;
  outcome?: QueryOutcome;
  createdMs: number;
}

const EMPTY_OUTCOME: QueryOutcome = { results: [], recordsMatched: 0, recordsScanned: 0 };

/**
 * AWS's answer when the account already runs its quota of queries: LimitExceededException (HTTP 400),
 * observed on the wire as "Account maximum query concurrency limit of [10] reached." when the quota
 * was 10 (cloud-carbon-footprint issue #261, 2021).
 */
export const concurrencyLimitExceeded = (limit: number) =>
  new AwsServiceError("LimitExceededException", `Account maximum query concurrency limit of [${limit}] reached.`, 400);

export class LogsInsightsModel {
  private readonly queries = new Map<string, StoredQuery>();
  /** Scheduled and Running queries, oldest first; the head is the one evaluated next. */
  private readonly active: StoredQuery[] = [];
  private pumpScheduled = false;

  constructor(
    private readonly region: RegionContext,
    private readonly options: LogsInsightsOptions,
  ) {}

  /** Records a validated query as Scheduled and returns its id (LimitExceededException over the quota). */
  start(plan: QueryPlan): string {
    if (this.active.length >= this.options.maxConcurrentQueries)
      throw concurrencyLimitExceeded(this.options.maxConcurrentQueries);
    const query: StoredQuery = { id: randomUUID(), status: "Scheduled", plan, createdMs: this.region.nowMs() };
    this.queries.set(query.id, query);
    this.active.push(query);
    this.prune();
    this.schedulePump();
    return query.id;
  }

  get(queryId: string): { status: InsightsQueryStatus; outcome: QueryOutcome } | undefined {
    const query = this.queries.get(queryId);
    if (!query) return undefined;
    // Running by itself, a query asked about is finished first (with the ones started before it, in
    // order), as if the poll came after the work: a client polls once, with no wait to tune for it.
    if (this.options.autoRun) {
      while ((query.status === "Scheduled" || query.status === "Running") && this.step()) {}
    }
    return { status: query.status, outcome: query.outcome ?? EMPTY_OUTCOME };
  }

  /** Cancels a Scheduled or Running query (true); a finished one is left as it is (false). */
  stop(queryId: string): boolean | undefined {
    const query = this.queries.get(queryId);
    if (!query) return undefined;
    if (query.status !== "Scheduled" && query.status !== "Running") return false;
    query.status = "Cancelled";
    this.active.splice(this.active.indexOf(query), 1);
    return true;
  }

  /** Queries Scheduled or Running now. */
  get inFlight(): number {
    return this.active.length;
  }

  /**
   * One transition of the oldest unfinished query: Scheduled → Running, or Running → its end
   * (Complete, or what the `logsQueryFailure` fault says). Returns false when nothing was waiting.
   */
  step(): boolean {
    const head = this.active[0];
    if (!head) return false;
    if (head.status === "Scheduled") {
      head.status = "Running";
      return true;
    }
    this.active.shift();
    const failure = this.region.faults.current.logsQueryFailure;
    if (failure === "failed") {
      head.status = "Failed";
    } else if (failure === "timeout") {
      head.status = "Timeout";
    } else {
      try {
        const { query, sources, startMs, endMs, limit } = head.plan;
        head.outcome = runInsightsQuery(
          query,
          { metrics: this.region.metrics, seed: this.region.state.world.seed, sources, startMs, endMs },
          limit,
        );
        head.status = "Complete";
      } catch {
        head.status = "Failed";
      }
    }
    return true;
  }

  private schedulePump(): void {
    if (!this.options.autoRun || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      // One query per turn: Scheduled → Running → its end (a single-threaded evaluation, so a poll
      // never lands in the middle of it), then the next query on the next turn.
      if (!this.step()) return;
      if (this.active[0]?.status === "Running") this.step();
      this.schedulePump();
    });
  }

  private prune(): void {
    if (this.queries.size <= KEPT_FINISHED_QUERIES + this.active.length) return;
    for (const [id, query] of this.queries) {
      if (this.queries.size <= KEPT_FINISHED_QUERIES + this.active.length) break;
      if (query.status !== "Scheduled" && query.status !== "Running") this.queries.delete(id);
    }
  }
}
