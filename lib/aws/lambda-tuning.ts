import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  InvokeCommand,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { AppError } from "@/lib/errors";
import { callAws } from "./errors";

/**
 * The Lambda calls only power tuning makes: create its temporary aliases, invoke with `LogType:
 * Tail`, and delete what the run made (found through lambda.ts's alias and version lists). Reading
 * $LATEST, updating it, waiting for the update, publishing and moving aliases are shared with the
 * controls (lambda-changes.ts). Every call goes through `callAws` (counted, errors in plain words).
 */

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
