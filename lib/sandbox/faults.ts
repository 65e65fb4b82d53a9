import { Random } from "./simulator/random";

/**
 * Faults on demand, for reliability tests and demos: a share of requests throttled or failing with a
 * 5xx, added latency, configuration updates that stay InProgress until the fault is lifted, and Logs
 * Insights queries that end Failed or Timeout instead of Complete.
 */
export interface FaultConfig {
  /** Share (0..1) of API requests answered with the service's throttling error (429 / Throttling). */
  throttleRate?: number;
  /** Share (0..1) of API requests answered with the service's internal error (5xx). */
  errorRate?: number;
  /** Milliseconds added to every API response (real time, not the sandbox clock). */
  addedLatencyMs?: number;
  /** UpdateFunctionConfiguration stays InProgress (409 on further updates) while true. */
  stuckUpdates?: boolean;
  /**
   * How Logs Insights queries end while set: "failed" (status Failed) or "timeout" (status Timeout),
   * both without results; "none" (default) lets them complete. Applies to queries that finish while it
   * is set, whenever they were started.
   */
  logsQueryFailure?: LogsQueryFailure;
  /** Restrict throttling and errors to these services (default: all). */
  services?: ("lambda" | "cloudwatch" | "application-autoscaling" | "logs")[];
}

export const LOGS_QUERY_FAILURES = ["none", "failed", "timeout"] as const;
export type LogsQueryFailure = (typeof LOGS_QUERY_FAILURES)[number];

export type InjectedFault = "throttle" | "error" | undefined;

export class FaultController {
  current: Required<Omit<FaultConfig, "services">> & { services?: FaultConfig["services"] };
  private readonly random: Random;

  constructor(initial: FaultConfig = {}, seed = 0x5eed) {
    this.current = normalize(initial);
    this.random = new Random(seed);
  }

  set(config: FaultConfig): void {
    this.current = normalize(config);
  }

  /** Decides, per request, whether a fault is injected for `service`. */
  draw(service: string): InjectedFault {
    const { throttleRate, errorRate, services } = this.current;
    if (services && !services.includes(service as never)) return undefined;
    if (throttleRate > 0 && this.random.next() < throttleRate) return "throttle";
    if (errorRate > 0 && this.random.next() < errorRate) return "error";
    return undefined;
  }
}

function normalize(config: FaultConfig): FaultController["current"] {
  const rate = (value: number | undefined, name: string): number => {
    if (value === undefined) return 0;
    if (!(value >= 0 && value <= 1)) throw new Error(`faults.${name} must be between 0 and 1`);
    return value;
  };
  const latency = config.addedLatencyMs ?? 0;
  if (!(latency >= 0)) throw new Error("faults.addedLatencyMs must be ≥ 0");
  const logsQueryFailure = config.logsQueryFailure ?? "none";
  if (!LOGS_QUERY_FAILURES.includes(logsQueryFailure))
    throw new Error(`faults.logsQueryFailure must be one of ${LOGS_QUERY_FAILURES.join(", ")}`);
  return {
    throttleRate: rate(config.throttleRate, "throttleRate"),
    errorRate: rate(config.errorRate, "errorRate"),
    addedLatencyMs: latency,
    stuckUpdates: config.stuckUpdates ?? false,
    logsQueryFailure,
    ...(config.services ? { services: config.services } : {}),
  };
}

/**
 * Reads faults from the environment (SANDBOX_THROTTLE_RATE, SANDBOX_ERROR_RATE, SANDBOX_LATENCY_MS,
 * SANDBOX_STUCK_UPDATES, SANDBOX_LOGS_QUERY_FAILURE = none | failed | timeout).
 */
export function faultsFromEnvironment(environment: Record<string, string | undefined>): FaultConfig {
  const number = (name: string): number | undefined =>
    environment[name] === undefined ? undefined : Number(environment[name]);
  const config: FaultConfig = {};
  const throttleRate = number("SANDBOX_THROTTLE_RATE");
  const errorRate = number("SANDBOX_ERROR_RATE");
  const addedLatencyMs = number("SANDBOX_LATENCY_MS");
  if (throttleRate !== undefined) config.throttleRate = throttleRate;
  if (errorRate !== undefined) config.errorRate = errorRate;
  if (addedLatencyMs !== undefined) config.addedLatencyMs = addedLatencyMs;
  if (environment.SANDBOX_STUCK_UPDATES === "true" || environment.SANDBOX_STUCK_UPDATES === "1")
    config.stuckUpdates = true;
  if (environment.SANDBOX_LOGS_QUERY_FAILURE !== undefined)
    config.logsQueryFailure = environment.SANDBOX_LOGS_QUERY_FAILURE as LogsQueryFailure;
  return config;
}
