import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  type LambdaClient,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { AppError } from "@/lib/errors";
import { callAws } from "./errors";

/**
 * Lambda mutations for the controls and for power tuning, and the reads they depend on (power
 * tuning's own calls — temporary aliases and versions, tailed invokes — are in lambda-tuning.ts):
 * every update carries the RevisionId the operator saw, and the two conflicts AWS answers (412 stale RevisionId, 409 update
 * in progress) become a CONFLICT AppError in plain words (AWS_BEHAVIOUR.md §3.5–3.8). Throttling and
 * 5xx are retried by the SDK (clients.ts) before anything reaches here.
 */

export interface FunctionState {
  name: string;
  revisionId: string;
  memoryMb: number;
  runtime: string;
  architecture: string;
  timeoutSeconds: number;
  description: string;
  version: string;
  lastUpdateStatus: string;
  lastUpdateStatusReason?: string;
  state: string;
  snapStart: boolean;
  reservedConcurrency?: number;
  codeSha256: string;
}

export interface AliasState {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
  routing: boolean;
}

export interface PcState {
  requested: number;
  allocated: number;
  available: number;
  status: string;
  statusReason?: string;
  lastModified?: string;
}

function causeName(error: unknown): string {
  const cause = error instanceof AppError ? error.cause : error;
  return cause instanceof Error ? cause.name : "";
}

/** Runs a Lambda call through callAws, turning AWS's conflict answers into a CONFLICT in words. */
async function lambdaCall<T>(operation: string, what: string, subject: string, call: () => Promise<T>): Promise<T> {
  try {
    return await callAws(`Lambda.${operation}`, what, call);
  } catch (error) {
    const name = causeName(error);
    if (name === "PreconditionFailedException") {
      throw new AppError("CONFLICT", {
        message: `412 on ${operation} for ${subject}`,
        userMessage: `Someone else changed ${subject} after you loaded it, so Phoenix did not ${what} (nothing was overwritten). Reload to see the current state, then decide again.`,
        cause: error,
      });
    }
    if (name === "ResourceConflictException") {
      const message = error instanceof AppError && error.cause instanceof Error ? error.cause.message : "";
      throw new AppError("CONFLICT", {
        message: `409 on ${operation} for ${subject}: ${message}`,
        userMessage: /update is in progress/i.test(message)
          ? `${subject} is still applying another update, so Phoenix did not ${what}. Wait a few seconds, reload and try again.`
          : `AWS refused to ${what} because of a conflict: ${message}`,
        cause: error,
      });
    }
    throw error;
  }
}

function reshape(configuration: Record<string, unknown> | undefined, reserved?: number): FunctionState {
  const c = (configuration ?? {}) as {
    FunctionName?: string;
    RevisionId?: string;
    MemorySize?: number;
    Runtime?: string;
    Architectures?: string[];
    Timeout?: number;
    Description?: string;
    Version?: string;
    LastUpdateStatus?: string;
    LastUpdateStatusReason?: string;
    State?: string;
    SnapStart?: { ApplyOn?: string };
    CodeSha256?: string;
  };
  return {
    name: c.FunctionName ?? "",
    revisionId: c.RevisionId ?? "",
    memoryMb: c.MemorySize ?? 128,
    runtime: c.Runtime ?? "",
    architecture: c.Architectures?.[0] ?? "x86_64",
    timeoutSeconds: c.Timeout ?? 3,
    description: c.Description ?? "",
    version: c.Version ?? "$LATEST",
    lastUpdateStatus: c.LastUpdateStatus ?? "Successful",
    ...(c.LastUpdateStatusReason ? { lastUpdateStatusReason: c.LastUpdateStatusReason } : {}),
    state: c.State ?? "Active",
    snapStart: c.SnapStart?.ApplyOn === "PublishedVersions",
    ...(reserved !== undefined ? { reservedConcurrency: reserved } : {}),
    codeSha256: c.CodeSha256 ?? "",
  };
}

/** $LATEST with its RevisionId, update status, SnapStart and reserved concurrency (GetFunction). */
export async function getFunctionState(client: LambdaClient, name: string): Promise<FunctionState> {
  const output = await lambdaCall("GetFunction", `read ${name}`, name, () =>
    client.send(new GetFunctionCommand({ FunctionName: name })),
  );
  return reshape(
    output.Configuration as Record<string, unknown> | undefined,
    output.Concurrency?.ReservedConcurrentExecutions,
  );
}

/** A published version's configuration (for rollbacks: what the alias ran before). */
export async function getVersionState(client: LambdaClient, name: string, version: string): Promise<FunctionState> {
  const output = await lambdaCall("GetFunctionConfiguration", `read version ${version} of ${name}`, name, () =>
    client.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: version })),
  );
  return reshape(output as unknown as Record<string, unknown>);
}

/** UpdateFunctionConfiguration of $LATEST, conditional on `revisionId`. */
export async function updateFunctionConfiguration(
  client: LambdaClient,
  name: string,
  change: { memoryMb?: number; runtime?: string; description?: string; revisionId: string },
): Promise<FunctionState> {
  const output = await lambdaCall("UpdateFunctionConfiguration", `change the configuration of ${name}`, name, () =>
    client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        RevisionId: change.revisionId,
        ...(change.memoryMb !== undefined ? { MemorySize: change.memoryMb } : {}),
        ...(change.runtime !== undefined ? { Runtime: change.runtime as never } : {}),
        ...(change.description !== undefined ? { Description: change.description } : {}),
      }),
    ),
  );
  return reshape(output as unknown as Record<string, unknown>);
}

/** How a wait for an update polls: the server passes the real clock, tests a ManualClock that moves on sleep. */
export interface UpdateWait {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
  pollMs: number;
  /** Give up honestly after this long (plain configuration updates finish in seconds). */
  timeoutMs: number;
}

/**
 * Polls GetFunction until $LATEST's LastUpdateStatus is Successful, reporting each poll; throws with
 * Lambda's reason when the update failed, and says what is still going on when it gives up.
 */
export async function waitForUpdate(
  client: LambdaClient,
  name: string,
  wait: UpdateWait,
  onPoll: (state: FunctionState, waitedMs: number) => Promise<void> = async () => undefined,
): Promise<FunctionState> {
  const startedMs = wait.nowMs();
  for (;;) {
    const state = await getFunctionState(client, name);
    const waitedMs = wait.nowMs() - startedMs;
    await onPoll(state, waitedMs);
    if (state.lastUpdateStatus === "Successful") return state;
    if (state.lastUpdateStatus === "Failed") {
      throw new AppError("AWS_ERROR", {
        userMessage: `Lambda could not apply the change to ${name}: ${state.lastUpdateStatusReason ?? "no reason given"}. Lambda keeps the previous configuration.`,
      });
    }
    if (waitedMs >= wait.timeoutMs) {
      throw new AppError("AWS_ERROR", {
        userMessage: `${name} was still applying the change (LastUpdateStatus InProgress) after ${Math.round(waitedMs / 1000)} s. Phoenix stopped waiting; the update may still finish — reload to see.`,
      });
    }
    await wait.sleep(wait.pollMs);
  }
}

/** Publishes $LATEST as a version, conditional on `revisionId` (returns the existing one if nothing changed). */
export async function publishVersion(
  client: LambdaClient,
  name: string,
  options: { revisionId: string; description: string },
): Promise<FunctionState> {
  const output = await lambdaCall("PublishVersion", `publish a version of ${name}`, name, () =>
    client.send(
      new PublishVersionCommand({
        FunctionName: name,
        RevisionId: options.revisionId,
        Description: options.description.slice(0, 256),
      }),
    ),
  );
  return reshape(output as unknown as Record<string, unknown>);
}

export async function getAlias(client: LambdaClient, name: string, alias: string): Promise<AliasState> {
  const output = await lambdaCall("GetAlias", `read the alias ${alias} of ${name}`, `${name}:${alias}`, () =>
    client.send(new GetAliasCommand({ FunctionName: name, Name: alias })),
  );
  return {
    name: output.Name ?? alias,
    functionVersion: output.FunctionVersion ?? "$LATEST",
    description: output.Description ?? "",
    revisionId: output.RevisionId ?? "",
    routing: Object.keys(output.RoutingConfig?.AdditionalVersionWeights ?? {}).length > 0,
  };
}

/** The alias, or undefined when it does not exist (for field errors instead of a failure). */
export async function findAlias(client: LambdaClient, name: string, alias: string): Promise<AliasState | undefined> {
  try {
    return await getAlias(client, name, alias);
  } catch (error) {
    if (AppError.from(error).code === "NOT_FOUND") return undefined;
    throw error;
  }
}

/** Points the alias at `version`, conditional on the alias's RevisionId. */
export async function updateAlias(
  client: LambdaClient,
  name: string,
  alias: string,
  options: { functionVersion: string; revisionId: string },
): Promise<AliasState> {
  const output = await lambdaCall(
    "UpdateAlias",
    `move the alias ${alias} to version ${options.functionVersion}`,
    `${name}:${alias}`,
    () =>
      client.send(
        new UpdateAliasCommand({
          FunctionName: name,
          Name: alias,
          FunctionVersion: options.functionVersion,
          RevisionId: options.revisionId,
        }),
      ),
  );
  return {
    name: output.Name ?? alias,
    functionVersion: output.FunctionVersion ?? options.functionVersion,
    description: output.Description ?? "",
    revisionId: output.RevisionId ?? "",
    routing: Object.keys(output.RoutingConfig?.AdditionalVersionWeights ?? {}).length > 0,
  };
}

function reshapePc(output: {
  RequestedProvisionedConcurrentExecutions?: number;
  AllocatedProvisionedConcurrentExecutions?: number;
  AvailableProvisionedConcurrentExecutions?: number;
  Status?: string;
  StatusReason?: string;
  LastModified?: string;
}): PcState {
  return {
    requested: output.RequestedProvisionedConcurrentExecutions ?? 0,
    allocated: output.AllocatedProvisionedConcurrentExecutions ?? 0,
    available: output.AvailableProvisionedConcurrentExecutions ?? 0,
    status: output.Status ?? "UNKNOWN",
    ...(output.StatusReason ? { statusReason: output.StatusReason } : {}),
    ...(output.LastModified ? { lastModified: output.LastModified } : {}),
  };
}

/** The qualifier's PC, or null when it has none (404 ProvisionedConcurrencyConfigNotFound). */
export async function getProvisionedConcurrency(
  client: LambdaClient,
  name: string,
  qualifier: string,
): Promise<PcState | null> {
  try {
    const output = await lambdaCall(
      "GetProvisionedConcurrencyConfig",
      `read the provisioned concurrency of ${name}:${qualifier}`,
      `${name}:${qualifier}`,
      () => client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier })),
    );
    return reshapePc(output);
  } catch (error) {
    if (causeName(error) === "ProvisionedConcurrencyConfigNotFoundException") return null;
    throw error;
  }
}

export async function putProvisionedConcurrency(
  client: LambdaClient,
  name: string,
  qualifier: string,
  level: number,
): Promise<PcState> {
  const output = await lambdaCall(
    "PutProvisionedConcurrencyConfig",
    `set the provisioned concurrency of ${name}:${qualifier} to ${level}`,
    `${name}:${qualifier}`,
    () =>
      client.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: name,
          Qualifier: qualifier,
          ProvisionedConcurrentExecutions: level,
        }),
      ),
  );
  return reshapePc(output);
}

export async function deleteProvisionedConcurrency(
  client: LambdaClient,
  name: string,
  qualifier: string,
): Promise<void> {
  await lambdaCall(
    "DeleteProvisionedConcurrencyConfig",
    `remove the provisioned concurrency of ${name}:${qualifier}`,
    `${name}:${qualifier}`,
    () => client.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier })),
  );
}
