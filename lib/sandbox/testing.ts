import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { ManualClock } from "./clock";
import type { SandboxServer } from "./core/server";
import { startSandboxServer } from "./index";
import { createSandbox, type Sandbox, type SandboxOptions } from "./sandbox";

/**
 * Test support: the real SDK v3 clients pointed at a fresh sandbox, either in-process (custom
 * requestHandler) or over HTTP (standalone server on a free port). Suites run one table against both.
 */

/** Just after the review meeting (Tuesday 22 July 2025, 10:30 in New York). */
export const MEETING_TIME = "2025-07-22T14:30:00Z";
export const TEST_CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
export const TRANSPORTS = ["in-process", "http"] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface SandboxHarness {
  sandbox: Sandbox;
  clock: ManualClock;
  lambda: LambdaClient;
  cloudWatch: CloudWatchClient;
  autoScaling: ApplicationAutoScalingClient;
  logs: CloudWatchLogsClient;
  /** Base URL of the HTTP server (also started for in-process harnesses, for raw requests). */
  url: string;
  close(): Promise<void>;
}

export async function createHarness(transport: Transport, options: SandboxOptions = {}): Promise<SandboxHarness> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(MEETING_TIME);
  const sandbox = createSandbox({
    timings: { updateDurationMs: 5_000, provisionedRampMs: 120_000 },
    ...options,
    clock,
  });
  const server: SandboxServer = await startSandboxServer({ sandbox, port: 0 });
  const common = {
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
    // Negative cases must see the first answer: the SDK would otherwise retry throttles and 5xx.
    maxAttempts: 1,
    ...(transport === "in-process" ? { requestHandler: sandbox.requestHandler } : { endpoint: server.url }),
  };
  const lambda = new LambdaClient(common);
  const cloudWatch = new CloudWatchClient(common);
  const autoScaling = new ApplicationAutoScalingClient(common);
  const logs = new CloudWatchLogsClient(common);
  return {
    sandbox,
    clock,
    lambda,
    cloudWatch,
    autoScaling,
    logs,
    url: server.url,
    async close() {
      for (const client of [lambda, cloudWatch, autoScaling, logs]) client.destroy();
      await server.close();
    },
  };
}

/** Runs `action` and returns the SDK error it throws (fails the test if it does not throw). */
export async function captureError(
  action: () => Promise<unknown>,
): Promise<{ name: string; message: string; status: number | undefined; error: Record<string, unknown> }> {
  try {
    await action();
  } catch (error) {
    const typed = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return {
      name: typed.name,
      message: typed.message,
      status: typed.$metadata?.httpStatusCode,
      error: error as Record<string, unknown>,
    };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
