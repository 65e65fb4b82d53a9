import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { AppError } from "@/lib/errors";
import { callAws } from "./errors";

/**
 * The Lambda calls power tuning makes: read $LATEST with its RevisionId, change memory (or the
 * description, to force a fresh version) and wait until the update is Successful, publish a
 * version, manage the temporary aliases, invoke with `LogType: Tail`, and delete what the run made.
 * Every call goes through `callAws` (counted, errors in plain words).
 */

export interface TuningFunctionState {
  name: string;
  memoryMb: number;
  timeoutSeconds: number;
  architecture: string;
  description: string;
  revisionId: string;
  lastUpdateStatus: string;
}

/** $LATEST as an update needs it: memory, description and the RevisionId to guard the change. */
export async function getTuningState(client: LambdaClient, name: string): Promise<TuningFunctionState> {
  const output = await callAws("Lambda.GetFunctionConfiguration", `read the function ${name}`, () =>
    client.send(new GetFunctionConfigurationCommand({ FunctionName: name })),
  );
  return {
    name: output.FunctionName ?? name,
    memoryMb: output.MemorySize ?? 128,
    timeoutSeconds: output.Timeout ?? 3,
    architecture: output.Architectures?.[0] ?? "x86_64",
    description: output.Description ?? "",
    revisionId: output.RevisionId ?? "",
    lastUpdateStatus: output.LastUpdateStatus ?? "Successful",
  };
}

export interface WaitOptions {
  /** Between polls; the sandbox in tests completes at once, real AWS in seconds. */
  pollMs?: number;
  /** Give up after this long (AWS: plain configuration updates finish in seconds). */
  timeoutMs?: number;
}

/**
 * Polls until `$LATEST`'s LastUpdateStatus is Successful; Failed or too long is an AppError.
 * @returns the state once the update completed (with the RevisionId it ended with).
 */
export async function waitForUpdate(
  client: LambdaClient,
  name: string,
  options: WaitOptions = {},
): Promise<TuningFunctionState> {
  const { pollMs = 1_000, timeoutMs = 120_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await getTuningState(client, name);
    if (state.lastUpdateStatus === "Successful") return state;
    if (state.lastUpdateStatus === "Failed") {
      throw new AppError("AWS_ERROR", { userMessage: `The configuration update of ${name} failed in AWS.` });
    }
    if (Date.now() > deadline) {
      throw new AppError("AWS_ERROR", {
        userMessage: `The configuration update of ${name} was still in progress after ${Math.round(timeoutMs / 1000)} s.`,
      });
    }
    await sleep(pollMs);
  }
}

/** Sets `$LATEST`'s memory (and optionally its description), guarded by the RevisionId read before. */
export async function updateLatest(
  client: LambdaClient,
  name: string,
  change: { memoryMb?: number; description?: string },
  revisionId: string,
): Promise<{ revisionId: string }> {
  const output = await callAws("Lambda.UpdateFunctionConfiguration", `change the configuration of ${name}`, () =>
    client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        ...(change.memoryMb === undefined ? {} : { MemorySize: change.memoryMb }),
        ...(change.description === undefined ? {} : { Description: change.description }),
        RevisionId: revisionId,
      }),
    ),
  );
  return { revisionId: output.RevisionId ?? "" };
}

/**
 * Publishes `$LATEST` as a version. When nothing changed since the last version, AWS returns that
 * version instead (its description then is not ours: the caller must not delete it).
 */
export async function publishVersion(
  client: LambdaClient,
  name: string,
  description: string,
  revisionId: string,
): Promise<{ version: string; description: string; memoryMb: number }> {
  const output = await callAws("Lambda.PublishVersion", `publish a version of ${name}`, () =>
    client.send(new PublishVersionCommand({ FunctionName: name, Description: description, RevisionId: revisionId })),
  );
  return { version: output.Version ?? "", description: output.Description ?? "", memoryMb: output.MemorySize ?? 0 };
}

export interface AliasState {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
}

export async function getAlias(client: LambdaClient, name: string, alias: string): Promise<AliasState | null> {
  try {
    const output = await callAws("Lambda.GetAlias", `read the alias ${alias} of ${name}`, () =>
      client.send(new GetAliasCommand({ FunctionName: name, Name: alias })),
    );
    return {
      name: output.Name ?? alias,
      functionVersion: output.FunctionVersion ?? "",
      description: output.Description ?? "",
      revisionId: output.RevisionId ?? "",
    };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

export async function createAlias(
  client: LambdaClient,
  name: string,
  alias: string,
  version: string,
  description: string,
): Promise<void> {
  await callAws("Lambda.CreateAlias", `create the alias ${alias} of ${name}`, () =>
    client.send(
      new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: version, Description: description }),
    ),
  );
}

/** Points an alias at a version, guarded by the alias's RevisionId. */
export async function pointAlias(
  client: LambdaClient,
  name: string,
  alias: string,
  version: string,
  revisionId: string,
): Promise<void> {
  await callAws("Lambda.UpdateAlias", `move the alias ${alias} of ${name}`, () =>
    client.send(
      new UpdateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: version, RevisionId: revisionId }),
    ),
  );
}

/** Deletes an alias; an alias that is already gone counts as deleted (DeleteAlias answers 204 then too). */
export async function deleteAlias(client: LambdaClient, name: string, alias: string): Promise<void> {
  try {
    await callAws("Lambda.DeleteAlias", `delete the alias ${alias} of ${name}`, () =>
      client.send(new DeleteAliasCommand({ FunctionName: name, Name: alias })),
    );
  } catch (error) {
    if (!(error instanceof AppError && error.code === "NOT_FOUND")) throw error;
  }
}

/** Deletes one published version (DeleteFunction with its number as Qualifier); never `$LATEST`. */
export async function deleteVersion(client: LambdaClient, name: string, version: string): Promise<void> {
  if (!/^\d+$/.test(version)) {
    throw new AppError("INTERNAL", { userMessage: `Refusing to delete "${version}": not a published version number.` });
  }
  try {
    await callAws("Lambda.DeleteFunction", `delete version ${version} of ${name}`, () =>
      client.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: version })),
    );
  } catch (error) {
    if (!(error instanceof AppError && error.code === "NOT_FOUND")) throw error;
  }
}

/** Aliases whose name starts with `prefix` (the run's temporary ones). */
export async function listAliasesWithPrefix(client: LambdaClient, name: string, prefix: string): Promise<AliasState[]> {
  const aliases: AliasState[] = [];
  let marker: string | undefined;
  do {
    const current = marker;
    const output = await callAws("Lambda.ListAliases", `list the aliases of ${name}`, () =>
      client.send(new ListAliasesCommand({ FunctionName: name, Marker: current })),
    );
    for (const alias of output.Aliases ?? []) {
      if (alias.Name?.startsWith(prefix)) {
        aliases.push({
          name: alias.Name,
          functionVersion: alias.FunctionVersion ?? "",
          description: alias.Description ?? "",
          revisionId: alias.RevisionId ?? "",
        });
      }
    }
    marker = output.NextMarker;
  } while (marker);
  return aliases;
}

/** Published versions with their descriptions (to find the ones a run marked as its own). */
export async function listVersionDescriptions(
  client: LambdaClient,
  name: string,
): Promise<{ version: string; description: string }[]> {
  const versions: { version: string; description: string }[] = [];
  let marker: string | undefined;
  do {
    const current = marker;
    const output = await callAws("Lambda.ListVersionsByFunction", `list the versions of ${name}`, () =>
      client.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: current })),
    );
    for (const version of output.Versions ?? []) {
      if (version.Version && version.Version !== "$LATEST") {
        versions.push({ version: version.Version, description: version.Description ?? "" });
      }
    }
    marker = output.NextMarker;
  } while (marker);
  return versions;
}

export interface TailedInvocation {
  statusCode: number;
  /** `X-Amz-Function-Error` (e.g. `Unhandled`) when the function failed. */
  functionError?: string;
  /** The decoded `X-Amz-Log-Result`: the last 4 KB of the invocation's log. */
  logTail: string;
  executedVersion?: string;
  /** The response payload as text (first 64 KB: enough for an error type). */
  payload: string;
}

/** One synchronous invocation with `LogType: Tail`. */
export async function invokeWithTail(
  client: LambdaClient,
  name: string,
  qualifier: string,
  payload: string,
): Promise<TailedInvocation> {
  const output = await callAws("Lambda.Invoke", `invoke ${name}:${qualifier}`, () =>
    client.send(
      new InvokeCommand({
        FunctionName: name,
        Qualifier: qualifier,
        InvocationType: "RequestResponse",
        LogType: "Tail",
        Payload: new TextEncoder().encode(payload),
      }),
    ),
  );
  const body = output.Payload ? new TextDecoder().decode(output.Payload.subarray(0, 65_536)) : "";
  return {
    statusCode: output.StatusCode ?? 200,
    ...(output.FunctionError ? { functionError: output.FunctionError } : {}),
    logTail: output.LogResult ? Buffer.from(output.LogResult, "base64").toString("utf8") : "",
    ...(output.ExecutedVersion ? { executedVersion: output.ExecutedVersion } : {}),
    payload: body,
  };
}
