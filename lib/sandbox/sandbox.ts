import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Clock, floorToMinute, ManualClock, systemClock } from "./clock";
import { AwsServiceError } from "./core/errors";
import { jsonResponse, queryValue, type SandboxRequest, type SandboxResponse } from "./core/http";
import { createRequestHandler, type SandboxRequestHandler } from "./core/request-handler";
import { type FaultConfig, FaultController } from "./faults";
import { InMemoryPersistence, type SandboxPersistence } from "./persistence";
import { emptySnapshot, type HistoryEntry, RegionContext, type RegionSnapshot, type SandboxTimings } from "./region";
import { applyScenarioEventAt, historyStartFor, seedWorld } from "./seed";
import {
  AUTO_SCALING_TARGET_PREFIX,
  autoScalingError,
  handleAutoScaling,
} from "./services/application-auto-scaling/handlers";
import {
  CLOUDWATCH_TARGET_PREFIX,
  cloudWatchJsonError,
  cloudWatchQueryError,
  handleCloudWatchJson,
  handleCloudWatchQuery,
} from "./services/cloudwatch/handlers";
import { lambdaErrors } from "./services/lambda/errors";
import { handleLambda, isLambdaPath, lambdaError } from "./services/lambda/handlers";
import { handleLogs, LOGS_TARGET_PREFIX } from "./services/logs/handlers";
import { DEFAULT_LOGS_INSIGHTS, type LogsInsightsOptions } from "./services/logs/model";
import {
  fleetFor,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_DEFAULT_REGION,
  SANDBOX_TIME_ZONE,
  SCENARIO_EVENTS,
  type ScenarioEventName,
  type ScenarioName,
  STORY_FLEET_SIZE,
} from "./simulator/world";

export interface SandboxOptions {
  /** Seed of the traffic simulator (same seed + history + window → same numbers). Default "phoenix". */
  seed?: number | string;
  /** Seeded story: "meeting" (default, just after the review) or "followup" (fixes applied last week). */
  scenario?: ScenarioName;
  /** Time source; tests pass a ManualClock. Default: real time. */
  clock?: Clock;
  /** Where state lives between restarts. Default: in memory. */
  persistence?: SandboxPersistence;
  faults?: FaultConfig;
  timings?: Partial<SandboxTimings>;
  /**
   * Logs Insights: the concurrent-query quota (default 30, AWS's StartQuery reference) and whether
   * queries run by themselves after StartQuery (default) or only on `stepLogsQueries()` (tests).
   */
  logsInsights?: Partial<LogsInsightsOptions>;
  /** Serve the /_sandbox admin endpoints (faults, scenario events) over HTTP. Default false. */
  adminApi?: boolean;
  /**
   * Functions in the seeded world: 6 (default, the story's) up to 100 — the story's six plus
   * deterministic others with varied traffic, runtimes and memory (some idle).
   */
  fleetSize?: number;
}

export type SandboxService = "lambda" | "cloudwatch" | "application-autoscaling" | "logs";

export const DEFAULT_TIMINGS: SandboxTimings = {
  updateDurationMs: 3_000,
  provisionedRampMs: 90_000,
  maxTimeoutSeconds: 900,
};

/**
 * The embedded AWS: one core that both the in-process request handler and the standalone server
 * feed. Routes by X-Amz-Target prefix, content type and path, then by account and region (from the
 * SigV4 credential scope), with state loaded from and saved to the persistence.
 */
export class Sandbox {
  readonly clock: Clock;
  readonly seed: string;
  readonly scenario: ScenarioName;
  readonly faults: FaultController;
  readonly timings: SandboxTimings;
  readonly logsInsights: LogsInsightsOptions;
  readonly adminApi: boolean;
  readonly fleetSize: number;
  /** Give this to SDK clients as `requestHandler`: requests never leave the process. */
  readonly requestHandler: SandboxRequestHandler;
  private readonly persistence: SandboxPersistence;
  private readonly regions = new Map<string, Promise<RegionContext>>();
  private readonly saving = new Map<string, Promise<void>>();

  constructor(options: SandboxOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.seed = String(options.seed ?? "phoenix");
    this.scenario = options.scenario ?? "meeting";
    this.persistence = options.persistence ?? new InMemoryPersistence();
    this.faults = new FaultController(options.faults ?? {});
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.logsInsights = { ...DEFAULT_LOGS_INSIGHTS, ...options.logsInsights };
    if (!(Number.isInteger(this.logsInsights.maxConcurrentQueries) && this.logsInsights.maxConcurrentQueries >= 0))
      throw new Error("logsInsights.maxConcurrentQueries must be a whole number ≥ 0");
    this.adminApi = options.adminApi ?? false;
    this.fleetSize = options.fleetSize ?? STORY_FLEET_SIZE;
    // Validates the size early (an invalid one throws here, not at the first request).
    fleetFor(this.seed, this.fleetSize);
    this.requestHandler = createRequestHandler(this);
  }

  /** Routes one request to its service. Never throws: every failure is an AWS-shaped response. */
  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const service = detectService(request);
    try {
      if (service === "admin") return await this.handleAdmin(request);
      if (!service) {
        return jsonResponse(
          404,
          {
            __type: "UnknownOperationException",
            message: `The sandbox does not serve ${request.method} ${request.path}`,
          },
          "application/json",
          { "x-amzn-ErrorType": "UnknownOperationException" },
        );
      }
      const { accountId, region: regionName } = identify(request);
      const region = await this.region(accountId, regionName);
      const latency = this.faults.current.addedLatencyMs;
      if (latency > 0) await sleep(latency);
      const fault = this.faults.draw(service);
      if (fault) return injectedFault(service, fault, request);
      region.tick();
      const response = dispatch(service, region, request);
      await this.persist(region);
      return response;
    } catch (error) {
      return errorFor(service ?? "lambda", error, request);
    }
  }

  /** The state of one account + region, loaded or seeded on first use. */
  region(accountId = SANDBOX_ACCOUNT_ID, regionName = SANDBOX_DEFAULT_REGION): Promise<RegionContext> {
    const key = `${accountId}/${regionName}`;
    let pending = this.regions.get(key);
    if (!pending) {
      pending = this.loadRegion(key, accountId, regionName);
      this.regions.set(key, pending);
      pending.catch(() => this.regions.delete(key));
    }
    return pending;
  }

  private async loadRegion(key: string, accountId: string, regionName: string): Promise<RegionContext> {
    const stored = await this.persistence.load(key);
    // A world seeded with another fleet size is seeded again (the fleet is part of the seed).
    const storedFleet = stored?.world.fleetSize ?? STORY_FLEET_SIZE;
    const wantedFleet =
      accountId === SANDBOX_ACCOUNT_ID && regionName === SANDBOX_DEFAULT_REGION ? this.fleetSize : storedFleet;
    if (stored && storedFleet === wantedFleet)
      return new RegionContext(stored, this.clock, this.timings, this.faults, this.logsInsights);
    const region = this.seedRegion(accountId, regionName);
    await this.persist(region);
    return region;
  }

  private seedRegion(accountId: string, regionName: string): RegionContext {
    const anchorMs = floorToMinute(this.clock.now().getTime());
    const seeded = accountId === SANDBOX_ACCOUNT_ID && regionName === SANDBOX_DEFAULT_REGION;
    const snapshot: RegionSnapshot = emptySnapshot(accountId, regionName, {
      seed: this.seed,
      timeZone: SANDBOX_TIME_ZONE,
      historyStartMs: historyStartFor(anchorMs),
      anchorMs,
      scenario: seeded ? this.scenario : "empty",
      ...(seeded && this.fleetSize !== STORY_FLEET_SIZE ? { fleetSize: this.fleetSize } : {}),
    });
    const region = new RegionContext(snapshot, this.clock, this.timings, this.faults, this.logsInsights);
    if (seeded) seedWorld(region, this.scenario, fleetFor(this.seed, this.fleetSize));
    region.markDirty();
    return region;
  }

  private async persist(region: RegionContext): Promise<void> {
    if (!region.takeDirty()) return;
    const key = `${region.accountId}/${region.regionName}`;
    // Saves of one region are chained so an older snapshot never overwrites a newer one.
    const previous = this.saving.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.persistence.save(key, region.state));
    this.saving.set(
      key,
      next.catch(() => undefined),
    );
    await next;
  }

  /** Fires scheduled actions that came due in every loaded region (and persists what changed). */
  async tick(): Promise<number> {
    let fired = 0;
    for (const pending of this.regions.values()) {
      const region = await pending;
      fired += region.tick();
      await this.persist(region);
    }
    return fired;
  }

  /** Moves a manual clock forward and fires what came due. */
  async advance(ms: number): Promise<number> {
    if (!(this.clock instanceof ManualClock))
      throw new Error("advance() needs a ManualClock; with a real clock call tick()");
    this.clock.advance(ms);
    return this.tick();
  }

  /**
   * With `logsInsights.autoRun: false`: moves the oldest unfinished Logs Insights query of every
   * loaded region one state on (Scheduled → Running → Complete/Failed/Timeout); returns how many moved.
   */
  async stepLogsQueries(): Promise<number> {
    let moved = 0;
    for (const pending of this.regions.values()) if ((await pending).logsInsights.step()) moved++;
    return moved;
  }

  setFaults(faults: FaultConfig): void {
    this.faults.set(faults);
  }

  /** Applies a code-level fix (drop the dataframe library, RDS Proxy, Redis) now, as a recorded event. */
  async applyScenarioEvent(
    event: ScenarioEventName,
    options: { functionName?: string; accountId?: string; region?: string } = {},
  ): Promise<Record<string, unknown>> {
    const region = await this.region(options.accountId, options.region);
    const result = applyScenarioEventAt(region, event, options.functionName ?? "process-user-request", region.nowMs());
    await this.persist(region);
    return result;
  }

  /** The configuration history (API changes and scenario events), oldest first. */
  async history(options: { accountId?: string; region?: string } = {}): Promise<HistoryEntry[]> {
    const region = await this.region(options.accountId, options.region);
    return [...region.state.history];
  }

  /**
   * Back to the seeded world, anchored at the clock's now: every loaded region is re-seeded (the
   * default account/region) or emptied, and the result saved over what the persistence held.
   */
  async reset(): Promise<void> {
    const keys = [...this.regions.keys()];
    this.regions.clear();
    for (const key of keys) {
      const [accountId, regionName] = key.split("/") as [string, string];
      const fresh = this.seedRegion(accountId, regionName);
      this.regions.set(key, Promise.resolve(fresh));
      await this.persist(fresh);
    }
  }

  /** Runs tick() every `intervalMs` of real time (for a long-running server); returns a stop function. */
  startBackgroundTicker(intervalMs = 1_000): () => void {
    const timer = setInterval(() => {
      this.tick().catch((error: unknown) => console.error("sandbox tick failed", error));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async handleAdmin(request: SandboxRequest): Promise<SandboxResponse> {
    const path = request.path.replace(/^\/_sandbox/, "");
    if (path === "/health" && request.method === "GET") {
      return jsonResponse(
        200,
        { ok: true, now: this.clock.now().toISOString(), seed: this.seed, scenario: this.scenario },
        "application/json",
      );
    }
    if (!this.adminApi)
      return jsonResponse(
        403,
        { __type: "AccessDeniedException", message: "The sandbox admin API is disabled" },
        "application/json",
      );
    const body =
      request.body.length > 0
        ? (JSON.parse(Buffer.from(request.body).toString("utf8")) as Record<string, unknown>)
        : {};
    if (path === "/faults" && request.method === "POST") {
      this.setFaults(body as FaultConfig);
      return jsonResponse(200, { faults: this.faults.current }, "application/json");
    }
    if (path === "/scenario-events" && request.method === "POST") {
      const event = body.event;
      if (typeof event !== "string" || !(event in SCENARIO_EVENTS)) {
        return jsonResponse(
          400,
          { __type: "ValidationException", message: `event must be one of ${Object.keys(SCENARIO_EVENTS).join(", ")}` },
          "application/json",
        );
      }
      const result = await this.applyScenarioEvent(
        event as ScenarioEventName,
        typeof body.functionName === "string" ? { functionName: body.functionName } : {},
      );
      return jsonResponse(200, result, "application/json");
    }
    if (path === "/history" && request.method === "GET")
      return jsonResponse(200, { history: await this.history() }, "application/json");
    return jsonResponse(
      404,
      { __type: "UnknownOperationException", message: `Unknown admin operation ${request.method} ${path}` },
      "application/json",
    );
  }
}

/** Which service a request is for, as AWS front ends decide: target header, then content type, then path. */
export function detectService(request: SandboxRequest): SandboxService | "admin" | undefined {
  if (request.path.startsWith("/_sandbox/")) return "admin";
  const target = request.headers["x-amz-target"];
  if (target) {
    if (target.startsWith(CLOUDWATCH_TARGET_PREFIX)) return "cloudwatch";
    if (target.startsWith(AUTO_SCALING_TARGET_PREFIX)) return "application-autoscaling";
    if (target.startsWith(LOGS_TARGET_PREFIX)) return "logs";
  }
  if (isLambdaPath(request.path)) return "lambda";
  const contentType = request.headers["content-type"] ?? "";
  const signingService = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(request.headers.authorization ?? "")?.[1];
  if (
    request.path === "/" &&
    (contentType.startsWith("application/x-www-form-urlencoded") || queryValue(request, "Action") !== undefined)
  )
    return "cloudwatch";
  if (request.path === "/" && (signingService === "monitoring" || contentType.startsWith("application/x-amz-json-1.0")))
    return "cloudwatch";
  if (request.path === "/" && signingService === "application-autoscaling") return "application-autoscaling";
  if (request.path === "/" && signingService === "logs") return "logs";
  return undefined;
}

/** Account and region from the SigV4 credential scope (any signature is accepted). */
function identify(request: SandboxRequest): { accountId: string; region: string } {
  const scope = /Credential=([^/]+)\/\d{8}\/([a-z0-9-]+)\//.exec(request.headers.authorization ?? "");
  return { accountId: SANDBOX_ACCOUNT_ID, region: scope?.[2] ?? SANDBOX_DEFAULT_REGION };
}

function dispatch(service: SandboxService, region: RegionContext, request: SandboxRequest): SandboxResponse {
  switch (service) {
    case "lambda":
      return handleLambda(region, request);
    case "application-autoscaling":
      return handleAutoScaling(region, request);
    case "logs":
      return handleLogs(region, request);
    case "cloudwatch":
      return request.headers["x-amz-target"]
        ? handleCloudWatchJson(region, request)
        : handleCloudWatchQuery(region, request);
  }
}

function injectedFault(service: SandboxService, fault: "throttle" | "error", request: SandboxRequest): SandboxResponse {
  const isQuery = service === "cloudwatch" && !request.headers["x-amz-target"];
  const queryMode = request.headers["x-amzn-query-mode"] === "true";
  if (fault === "throttle") {
    switch (service) {
      case "lambda":
        return lambdaError(lambdaErrors.tooManyRequests("CallerRateLimitExceeded"));
      case "cloudwatch": {
        const error = new AwsServiceError("Throttling", "Rate exceeded", 400);
        return isQuery ? cloudWatchQueryError(error) : cloudWatchJsonError(error, queryMode);
      }
      default:
        return autoScalingError(new AwsServiceError("ThrottlingException", "Rate exceeded", 400));
    }
  }
  switch (service) {
    case "lambda":
      return lambdaError(lambdaErrors.service("Injected sandbox fault"));
    case "cloudwatch": {
      const error = new AwsServiceError("InternalServiceFault", "Injected sandbox fault", 500);
      return isQuery ? cloudWatchQueryError(error) : cloudWatchJsonError(error, queryMode);
    }
    case "logs":
      return autoScalingError(new AwsServiceError("ServiceUnavailableException", "Injected sandbox fault", 500));
    default:
      return autoScalingError(new AwsServiceError("InternalServiceException", "Injected sandbox fault", 500));
  }
}

function errorFor(service: SandboxService | "admin", error: unknown, request: SandboxRequest): SandboxResponse {
  const serviceError =
    error instanceof AwsServiceError
      ? error
      : new AwsServiceError(
          service === "admin" ? "ValidationException" : "InternalFailure",
          error instanceof Error ? error.message : "Internal error",
          service === "admin" ? 400 : 500,
        );
  if (service === "lambda") return lambdaError(serviceError);
  if (service === "cloudwatch") {
    return request.headers["x-amz-target"]
      ? cloudWatchJsonError(serviceError, request.headers["x-amzn-query-mode"] === "true")
      : cloudWatchQueryError(serviceError);
  }
  return jsonResponse(
    serviceError.status,
    { __type: serviceError.code, message: serviceError.message, Message: serviceError.message },
    "application/json",
    { "x-amzn-RequestId": randomUUID() },
  );
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  return new Sandbox(options);
}
