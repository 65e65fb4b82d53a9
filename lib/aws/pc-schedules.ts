import {
  type ApplicationAutoScalingClient,
  DeleteScheduledActionCommand,
  DescribeScalableTargetsCommand,
  DescribeScheduledActionsCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { callAws } from "./errors";

/**
 * Application Auto Scaling for Lambda provisioned concurrency (AWS_BEHAVIOUR.md §4): the scalable
 * target `function:NAME:ALIAS` / `lambda:function:ProvisionedConcurrency` and its scheduled actions.
 * Scaling activities are read with `listScalingActivities` in application-auto-scaling.ts.
 */

export const PC_NAMESPACE = "lambda";
export const PC_DIMENSION = "lambda:function:ProvisionedConcurrency";

export function pcResourceId(functionName: string, qualifier: string): string {
  return `function:${functionName}:${qualifier}`;
}

export interface ScalableTargetInfo {
  resourceId: string;
  minCapacity: number;
  maxCapacity: number;
  scheduledScalingSuspended: boolean;
}

export interface ScheduledActionInfo {
  name: string;
  schedule: string;
  timeZone?: string;
  minCapacity?: number;
  maxCapacity?: number;
  startTimeMs?: number;
  endTimeMs?: number;
  createdMs: number;
}

const target = (resourceId: string) =>
  ({
    ServiceNamespace: PC_NAMESPACE,
    ResourceId: resourceId,
    ScalableDimension: PC_DIMENSION,
  }) as const;

export async function describeScalableTarget(
  client: ApplicationAutoScalingClient,
  resourceId: string,
): Promise<ScalableTargetInfo | null> {
  const output = await callAws(
    "ApplicationAutoScaling.DescribeScalableTargets",
    `read the scalable target ${resourceId}`,
    () =>
      client.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: PC_NAMESPACE,
          ResourceIds: [resourceId],
          ScalableDimension: PC_DIMENSION,
        }),
      ),
  );
  const found = output.ScalableTargets?.find((candidate) => candidate.ResourceId === resourceId);
  if (!found) return null;
  return {
    resourceId,
    minCapacity: found.MinCapacity ?? 0,
    maxCapacity: found.MaxCapacity ?? 0,
    scheduledScalingSuspended: found.SuspendedState?.ScheduledScalingSuspended ?? false,
  };
}

/** Registers (or updates the bounds of) the target; AWS moves current PC inside [min, max] at once. */
export async function registerScalableTarget(
  client: ApplicationAutoScalingClient,
  resourceId: string,
  bounds: { minCapacity: number; maxCapacity: number },
): Promise<void> {
  await callAws("ApplicationAutoScaling.RegisterScalableTarget", `register the scalable target ${resourceId}`, () =>
    client.send(
      new RegisterScalableTargetCommand({
        ...target(resourceId),
        MinCapacity: bounds.minCapacity,
        MaxCapacity: bounds.maxCapacity,
      }),
    ),
  );
}

export async function describeScheduledActions(
  client: ApplicationAutoScalingClient,
  resourceId: string,
): Promise<ScheduledActionInfo[]> {
  const actions: ScheduledActionInfo[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const output = await callAws(
      "ApplicationAutoScaling.DescribeScheduledActions",
      `read the scheduled actions of ${resourceId}`,
      () =>
        client.send(new DescribeScheduledActionsCommand({ ...target(resourceId), MaxResults: 50, NextToken: token })),
    );
    for (const action of output.ScheduledActions ?? []) {
      if (action.ResourceId !== resourceId) continue;
      actions.push({
        name: action.ScheduledActionName ?? "",
        schedule: action.Schedule ?? "",
        ...(action.Timezone ? { timeZone: action.Timezone } : {}),
        ...(action.ScalableTargetAction?.MinCapacity !== undefined
          ? { minCapacity: action.ScalableTargetAction.MinCapacity }
          : {}),
        ...(action.ScalableTargetAction?.MaxCapacity !== undefined
          ? { maxCapacity: action.ScalableTargetAction.MaxCapacity }
          : {}),
        ...(action.StartTime ? { startTimeMs: action.StartTime.getTime() } : {}),
        ...(action.EndTime ? { endTimeMs: action.EndTime.getTime() } : {}),
        createdMs: action.CreationTime?.getTime() ?? 0,
      });
    }
    nextToken = output.NextToken;
  } while (nextToken);
  return actions;
}

export async function putScheduledAction(
  client: ApplicationAutoScalingClient,
  resourceId: string,
  action: Omit<ScheduledActionInfo, "createdMs">,
): Promise<void> {
  await callAws("ApplicationAutoScaling.PutScheduledAction", `save the scheduled action ${action.name}`, () =>
    client.send(
      new PutScheduledActionCommand({
        ...target(resourceId),
        ScheduledActionName: action.name,
        Schedule: action.schedule,
        ...(action.timeZone ? { Timezone: action.timeZone } : {}),
        ...(action.startTimeMs !== undefined ? { StartTime: new Date(action.startTimeMs) } : {}),
        ...(action.endTimeMs !== undefined ? { EndTime: new Date(action.endTimeMs) } : {}),
        ScalableTargetAction: {
          ...(action.minCapacity !== undefined ? { MinCapacity: action.minCapacity } : {}),
          ...(action.maxCapacity !== undefined ? { MaxCapacity: action.maxCapacity } : {}),
        },
      }),
    ),
  );
}

export async function deleteScheduledAction(
  client: ApplicationAutoScalingClient,
  resourceId: string,
  name: string,
): Promise<void> {
  await callAws("ApplicationAutoScaling.DeleteScheduledAction", `delete the scheduled action ${name}`, () =>
    client.send(new DeleteScheduledActionCommand({ ...target(resourceId), ScheduledActionName: name })),
  );
}
