import { setTimeout as sleep } from "node:timers/promises";
import type { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { getAwsClients, getSandbox } from "@/lib/aws/clients";

/**
 * What the controls need from the outside world: the SDK clients, a clock and a way to wait. The
 * server uses the real ones (sandbox or AWS through clients.ts); tests and the benchmark hand in a
 * sandbox on a ManualClock whose "sleep" moves time instead of waiting.
 */
export interface ControlsDeps {
  lambda: LambdaClient;
  autoScaling: ApplicationAutoScalingClient;
  cloudWatch: CloudWatchClient;
  nowMs(): number;
  sleep(ms: number): Promise<void>;
  /** How often waits poll AWS, and how long they wait before giving up honestly. */
  pollMs: number;
  updateTimeoutMs: number;
  pcTimeoutMs: number;
}

const globalDeps = globalThis as typeof globalThis & { phoenixControlsDeps?: ControlsDeps };

/** Replaces the dependencies (tests, benchmark); `undefined` restores the real ones. */
export function setControlsDeps(deps: ControlsDeps | undefined): void {
  globalDeps.phoenixControlsDeps = deps;
}

export async function controlsDeps(): Promise<ControlsDeps> {
  if (globalDeps.phoenixControlsDeps) return globalDeps.phoenixControlsDeps;
  const [clients, sandbox] = await Promise.all([getAwsClients(), getSandbox()]);
  return {
    lambda: clients.lambda,
    autoScaling: clients.autoScaling,
    cloudWatch: clients.cloudWatch,
    nowMs: () => (sandbox ? sandbox.clock.now().getTime() : Date.now()),
    sleep: (ms) => sleep(ms),
    pollMs: 2_000,
    // Plain configuration updates finish in seconds; VPC changes take about a minute (AWS_BEHAVIOUR.md §3.5).
    updateTimeoutMs: 5 * 60_000,
    // PC allocation starts after a minute or two, then ramps (§3.8).
    pcTimeoutMs: 15 * 60_000,
  };
}
