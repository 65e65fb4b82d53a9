/**
 * The embedded sandbox AWS: CloudWatch (awsJson1_0 query-compatible + awsQuery), Lambda (restJson1),
 * Application Auto Scaling (awsJson1_1) and CloudWatch Logs Insights (awsJson1_1), emulated over a
 * deterministic traffic simulator. See ./README.md (services, limitations) and
 * ./simulator/README.md (the model and its parameters).
 */
import { type SandboxServer, startHttpServer } from "./core/server";
import type { Sandbox } from "./sandbox";

export { AcceleratedClock, type Clock, ManualClock, systemClock } from "./clock";
export type { SandboxRequestHandler } from "./core/request-handler";
export type { SandboxServer } from "./core/server";
export { type FaultConfig, faultsFromEnvironment } from "./faults";
export { InMemoryPersistence, type SandboxPersistence, type SandboxSnapshot } from "./persistence";
export type { HistoryEntry, SandboxTimings } from "./region";
export { createSandbox, DEFAULT_TIMINGS, Sandbox, type SandboxOptions } from "./sandbox";
export { SIMULATOR_PARAMETERS } from "./simulator/parameters";
export {
  MAX_FLEET_SIZE,
  SANDBOX_ACCOUNT_ID,
  SANDBOX_DEFAULT_REGION,
  SANDBOX_TIME_ZONE,
  SCENARIO_EVENTS,
  type ScenarioEventName,
  type ScenarioName,
  SEEDED_FUNCTIONS,
  STORY_FLEET_SIZE,
} from "./simulator/world";

/** Serves `sandbox` over HTTP (node:http) on host:port (default 127.0.0.1:4566; port 0 picks a free one). */
export function startSandboxServer(options: {
  sandbox: Sandbox;
  port?: number;
  host?: string;
}): Promise<SandboxServer> {
  return startHttpServer(options.sandbox, { port: options.port ?? 4566, host: options.host ?? "127.0.0.1" });
}
