import type { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { GetAliasCommand, GetFunctionCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { callAws } from "./errors";
import { parseLambdaTime } from "./lambda";
import { describeScalableTarget, describeScheduledActions } from "./pc-schedules";

/**
 * The reads the action-item checks need that lib/aws/lambda.ts does not expose: a function's
 * environment and layers (GetFunction), an alias, and a scalable target with its scheduled actions
 * in the shape the checks use. SDK types stay here.
 */

export interface FunctionDetails {
  name: string;
  runtime: string;
  memoryMb: number;
  codeSizeBytes: number;
  layers: { arn: string; codeSizeBytes: number }[];
  /** Environment variables; null when the function has none (or Phoenix may not read them). */
  environment: Record<string, string> | null;
  lastModifiedMs: number;
}

export async function getFunctionDetails(
  client: LambdaClient,
  name: string,
  qualifier?: string,
): Promise<FunctionDetails> {
  const output = await callAws("Lambda.GetFunction", `read the function ${name}`, () =>
    client.send(new GetFunctionCommand({ FunctionName: name, ...(qualifier ? { Qualifier: qualifier } : {}) })),
  );
  const configuration = output.Configuration ?? {};
  return {
    name: configuration.FunctionName ?? name,
    runtime: configuration.Runtime ?? "",
    memoryMb: configuration.MemorySize ?? 128,
    codeSizeBytes: configuration.CodeSize ?? 0,
    layers: (configuration.Layers ?? []).map((layer) => ({ arn: layer.Arn ?? "", codeSizeBytes: layer.CodeSize ?? 0 })),
    environment: configuration.Environment?.Variables ?? null,
    lastModifiedMs: parseLambdaTime(configuration.LastModified),
  };
}

/** The version an alias points at, or null when the alias does not exist. */
export async function getAliasVersion(client: LambdaClient, name: string, alias: string): Promise<string | null> {
  try {
    const output = await callAws("Lambda.GetAlias", `read the alias ${name}:${alias}`, () =>
      client.send(new GetAliasCommand({ FunctionName: name, Name: alias })),
    );
    return output.FunctionVersion ?? null;
  } catch (error) {
    if ((error as { code?: string }).code === "NOT_FOUND") return null;
    throw error;
  }
}

export interface ScheduleReading {
  target: { minCapacity: number; maxCapacity: number } | null;
  actions: { name: string; schedule: string; timezone?: string; minCapacity?: number; maxCapacity?: number }[];
}

/** The scalable target of `function:NAME:QUALIFIER` and its scheduled actions (read through pc-schedules). */
export async function readPcSchedule(
  client: ApplicationAutoScalingClient,
  resourceId: string,
): Promise<ScheduleReading> {
  const target = await describeScalableTarget(client, resourceId);
  if (!target) return { target: null, actions: [] };
  const actions = await describeScheduledActions(client, resourceId);
  return {
    target: { minCapacity: target.minCapacity, maxCapacity: target.maxCapacity },
    actions: actions.map(({ name, schedule, timeZone, minCapacity, maxCapacity }) => ({
      name,
      schedule,
      ...(timeZone ? { timezone: timeZone } : {}),
      ...(minCapacity !== undefined ? { minCapacity } : {}),
      ...(maxCapacity !== undefined ? { maxCapacity } : {}),
    })),
  };
}
