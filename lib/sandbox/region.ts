import type { Clock } from "./clock";
import type { FaultController } from "./faults";
import {
  AutoScalingModel,
  type AutoScalingState,
  emptyAutoScalingState,
} from "./services/application-auto-scaling/model";
import { emptyLambdaState, LambdaModel, type LambdaState } from "./services/lambda/model";
import { DEFAULT_LOGS_INSIGHTS, LogsInsightsModel, type LogsInsightsOptions } from "./services/logs/model";
import { LambdaMetrics, type SimulationWorld } from "./simulator/lambda-metrics";
import type { ScenarioName } from "./simulator/world";

/** One recorded change: what the simulator replays and what a sandbox control page lists. */
export interface HistoryEntry {
  at: number;
  service: "lambda" | "application-autoscaling" | "sandbox";
  action: string;
  resource: string;
  detail: unknown;
}

/** Everything a region keeps, as plain JSON (the persistence snapshot). */
export interface RegionSnapshot {
  formatVersion: 1;
  accountId: string;
  region: string;
  /** `fleetSize`: functions seeded (absent: the story's six). */
  world: SimulationWorld & { scenario: ScenarioName | "empty"; fleetSize?: number };
  lambda: LambdaState;
  autoScaling: AutoScalingState;
  history: HistoryEntry[];
}

export interface SandboxTimings {
  /** How long UpdateFunctionConfiguration stays InProgress (AWS: seconds). */
  updateDurationMs: number;
  /** How long provisioned concurrency takes to go from IN_PROGRESS to READY. */
  provisionedRampMs: number;
  /** Maximum function timeout accepted (900 or 1800 — sources disagree, AWS_BEHAVIOUR.md §3.5). */
  maxTimeoutSeconds: number;
}

/**
 * The state and models of one account + region, wired together: the Lambda model, the Auto Scaling
 * model and the simulated metrics all read and write the same snapshot, so a change made through one
 * API is visible to the others and to the simulated future.
 */
export class RegionContext {
  readonly lambda: LambdaModel;
  readonly autoScaling: AutoScalingModel;
  readonly metrics: LambdaMetrics;
  /** Logs Insights queries in flight and finished (in memory only: queries do not survive a restart). */
  readonly logsInsights: LogsInsightsModel;
  private timeOverrideMs: number | undefined;
  private dirty = false;

  constructor(
    readonly state: RegionSnapshot,
    private readonly clock: Clock,
    readonly options: SandboxTimings,
    readonly faults: FaultController,
    logsInsights: LogsInsightsOptions = DEFAULT_LOGS_INSIGHTS,
  ) {
    this.lambda = new LambdaModel(this);
    this.logsInsights = new LogsInsightsModel(this, logsInsights);
    this.autoScaling = new AutoScalingModel(this);
    this.metrics = new LambdaMetrics(state.world, () =>
      Object.values(this.state.lambda.functions).map((record) => record.timeline),
    );
  }

  get accountId(): string {
    return this.state.accountId;
  }

  get regionName(): string {
    return this.state.region;
  }

  nowMs(): number {
    return this.timeOverrideMs ?? this.clock.now().getTime();
  }

  /** Runs `work` as if the clock read `atMs` (seeding the past through the same rules as the APIs). */
  withTime<T>(atMs: number, work: () => T): T {
    const previous = this.timeOverrideMs;
    this.timeOverrideMs = atMs;
    try {
      return work();
    } finally {
      this.timeOverrideMs = previous;
    }
  }

  recordHistory(entry: HistoryEntry): void {
    this.state.history.push(entry);
    this.dirty = true;
  }

  markDirty(): void {
    this.dirty = true;
  }

  /** Returns whether anything changed since the last call (the caller then persists). */
  takeDirty(): boolean {
    const wasDirty = this.dirty;
    this.dirty = false;
    return wasDirty;
  }

  /** Brings time-driven state up to now: scheduled actions that came due fire at their own instants. */
  tick(): number {
    return this.autoScaling.fireDueActions(this.nowMs());
  }
}

export function emptySnapshot(accountId: string, region: string, world: RegionSnapshot["world"]): RegionSnapshot {
  return {
    formatVersion: 1,
    accountId,
    region,
    world,
    lambda: emptyLambdaState(),
    autoScaling: emptyAutoScalingState(),
    history: [],
  };
}
