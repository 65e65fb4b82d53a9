import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { storeSandboxPersistence } from "@/lib/db/sandbox-state";
import { createSandbox, type Sandbox } from "@/lib/sandbox";

/**
 * The one place that decides where AWS is: real AWS (default credential chain, configured region) or
 * the embedded sandbox (the same SDK clients with an in-process request handler, so requests never
 * leave the process). Nothing else in Phoenix knows which one it talks to.
 */
export interface AwsClients {
  lambda: LambdaClient;
  cloudWatch: CloudWatchClient;
  autoScaling: ApplicationAutoScalingClient;
  logs: CloudWatchLogsClient;
}

interface AwsRuntime {
  clients: AwsClients;
  sandbox?: Sandbox;
}

const globalAws = globalThis as typeof globalThis & { phoenixAws?: Promise<AwsRuntime> };

async function createRuntime(): Promise<AwsRuntime> {
  const config = getConfig();
  // Standard retry mode: throttling and 5xx are retried with backoff (AWS_BEHAVIOUR.md §6.2).
  const common = { region: config.awsRegion, maxAttempts: 4, retryMode: "standard" as const };
  if (config.awsMode === "real") {
    return {
      clients: {
        lambda: new LambdaClient(common),
        cloudWatch: new CloudWatchClient(common),
        autoScaling: new ApplicationAutoScalingClient(common),
        logs: new CloudWatchLogsClient(common),
      },
    };
  }
  const sandbox = createSandbox({
    seed: config.sandbox.seed,
    scenario: config.sandbox.scenario,
    fleetSize: config.sandbox.fleetSize,
    faults: config.sandbox.faults,
    persistence: storeSandboxPersistence(await getDb()),
  });
  const sandboxed = {
    ...common,
    region: "us-east-1",
    // The sandbox accepts any signature; these are not secrets, just well-formed placeholders.
    credentials: { accessKeyId: "SANDBOXACCESSKEY", secretAccessKey: "sandbox-secret-not-a-secret" },
    requestHandler: sandbox.requestHandler,
  };
  return {
    sandbox,
    clients: {
      lambda: new LambdaClient(sandboxed),
      cloudWatch: new CloudWatchClient(sandboxed),
      autoScaling: new ApplicationAutoScalingClient(sandboxed),
      logs: new CloudWatchLogsClient(sandboxed),
    },
  };
}

function runtime(): Promise<AwsRuntime> {
  globalAws.phoenixAws ??= createRuntime();
  return globalAws.phoenixAws;
}

/** The SDK clients, created once per process. */
export async function getAwsClients(): Promise<AwsClients> {
  return (await runtime()).clients;
}

/** The embedded sandbox in sandbox mode (for admin scenario controls and the schedule ticker), else undefined. */
export async function getSandbox(): Promise<Sandbox | undefined> {
  return (await runtime()).sandbox;
}
