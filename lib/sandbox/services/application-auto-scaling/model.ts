import { randomUUID } from "node:crypto";
import { AwsServiceError, validationMessage } from "../../core/errors";
import { isValidTimeZone } from "../../core/time-zone";
import type { RegionContext } from "../../region";
import { nextFiring, parseSchedule, ScheduleParseError } from "./schedule";

/**
 * Application Auto Scaling for Lambda provisioned concurrency: scalable targets, scheduled actions
 * that fire on their schedule in their time zone, and the scaling activities they leave behind
 * (AWS_BEHAVIOUR.md §4). Only the `lambda` namespace is backed by a resource.
 */

export const LAMBDA_NAMESPACE = "lambda";
export const PC_DIMENSION = "lambda:function:ProvisionedConcurrency";
const SERVICE_NAMESPACES = [
  "ecs",
  "elasticmapreduce",
  "ec2",
  "appstream",
  "dynamodb",
  "rds",
  "sagemaker",
  "custom-resource",
  "comprehend",
  "lambda",
  "cassandra",
  "kafka",
  "elasticache",
  "neptune",
  "workspaces",
];
/** No ':', '/' or '|', no control characters, no leading or trailing spaces (AWS's pattern). */
function isValidActionName(name: string): boolean {
  if (/^\s|\s$|[:/|]/.test(name)) return false;
  for (const character of name) {
    const code = character.charCodeAt(0);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
}

export interface ScalableTargetRecord {
  serviceNamespace: string;
  resourceId: string;
  scalableDimension: string;
  minCapacity: number;
  maxCapacity: number;
  roleArn: string;
  creationTimeMs: number;
  suspended: {
    DynamicScalingInSuspended: boolean;
    DynamicScalingOutSuspended: boolean;
    ScheduledScalingSuspended: boolean;
  };
  arn: string;
}

export interface ScheduledActionRecord {
  name: string;
  arn: string;
  serviceNamespace: string;
  resourceId: string;
  scalableDimension: string;
  schedule: string;
  timezone?: string;
  startTimeMs?: number;
  endTimeMs?: number;
  minCapacity?: number;
  maxCapacity?: number;
  creationTimeMs: number;
  /** Next firing instant; null when the schedule is exhausted. */
  nextFireMs: number | null;
}

export interface ScalingActivityRecord {
  activityId: string;
  serviceNamespace: string;
  resourceId: string;
  scalableDimension: string;
  description: string;
  cause: string;
  startTimeMs: number;
  endTimeMs: number;
  statusCode: "Successful" | "Failed";
  statusMessage: string;
}

export interface AutoScalingState {
  targets: Record<string, ScalableTargetRecord>;
  actions: Record<string, ScheduledActionRecord>;
  activities: ScalingActivityRecord[];
}

export function emptyAutoScalingState(): AutoScalingState {
  return { targets: {}, actions: {}, activities: [] };
}

export const aasErrors = {
  validation: (message: string) => new AwsServiceError("ValidationException", message, 400),
  objectNotFound: (message: string) => new AwsServiceError("ObjectNotFoundException", message, 400),
  limitExceeded: (message: string) => new AwsServiceError("LimitExceededException", message, 400),
  invalidNextToken: () => new AwsServiceError("InvalidNextTokenException", "Invalid NextToken", 400),
};

function targetKey(namespace: string, resourceId: string, dimension: string): string {
  return `${namespace}|${resourceId}|${dimension}`;
}

export class AutoScalingModel {
  constructor(private readonly region: RegionContext) {}

  private get state(): AutoScalingState {
    return this.region.state.autoScaling;
  }

  private requireString(input: Record<string, unknown>, field: string, camel: string, maxLength = 1600): string {
    const value = input[field];
    if (value === undefined || value === null)
      throw aasErrors.validation(validationMessage("null", camel, "Member must not be null"));
    if (typeof value !== "string" || value.length < 1 || value.length > maxLength) {
      throw aasErrors.validation(validationMessage(value, camel, `Member must have length between 1 and ${maxLength}`));
    }
    return value;
  }

  private namespace(input: Record<string, unknown>): string {
    const namespace = this.requireString(input, "ServiceNamespace", "serviceNamespace");
    if (!SERVICE_NAMESPACES.includes(namespace)) {
      throw aasErrors.validation(
        validationMessage(
          namespace,
          "serviceNamespace",
          `Member must satisfy enum value set: [${SERVICE_NAMESPACES.join(", ")}]`,
        ),
      );
    }
    return namespace;
  }

  private dimension(input: Record<string, unknown>, required: boolean): string | undefined {
    const value = input.ScalableDimension;
    if (value === undefined && !required) return undefined;
    const dimension = this.requireString(input, "ScalableDimension", "scalableDimension");
    if (!/^[a-z-]+:[a-zA-Z-]+:[A-Za-z]+$/.test(dimension)) {
      throw aasErrors.validation(
        validationMessage(dimension, "scalableDimension", "Member must satisfy enum value set"),
      );
    }
    return dimension;
  }

  private capacity(value: unknown, field: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw aasErrors.validation(validationMessage(value, field, "Member must have value greater than or equal to 0"));
    }
    return value;
  }

  /** Lambda resources: function:<name>:<alias|version>, never $LATEST, and it must exist. */
  private checkLambdaResource(resourceId: string): { functionName: string; qualifier: string } {
    const match = /^function:([a-zA-Z0-9-_]+):([a-zA-Z0-9-_]+)$/.exec(resourceId);
    if (!match) {
      throw aasErrors.validation(
        `Unsupported resource ID format: ${resourceId}. Expected format: function:<function-name>:<alias-or-version>`,
      );
    }
    const [, functionName, qualifier] = match as unknown as [string, string, string];
    const record = this.region.state.lambda.functions[functionName];
    const exists = record && (/^\d+$/.test(qualifier) ? record.versions[qualifier] : record.aliases[qualifier]);
    if (!exists) throw aasErrors.validation(`Lambda resource ${resourceId} does not exist`);
    return { functionName, qualifier };
  }

  private currentCapacity(resourceId: string): number {
    const match = /^function:([a-zA-Z0-9-_]+):([a-zA-Z0-9-_]+)$/.exec(resourceId);
    if (!match) return 0;
    return this.region.state.lambda.functions[match[1] as string]?.provisioned[match[2] as string]?.requested ?? 0;
  }

  // ---------------------------------------------------------------- targets

  registerScalableTarget(input: Record<string, unknown>): Record<string, unknown> {
    const namespace = this.namespace(input);
    const resourceId = this.requireString(input, "ResourceId", "resourceId");
    const dimension = this.dimension(input, true) as string;
    const min = this.capacity(input.MinCapacity, "minCapacity");
    const max = this.capacity(input.MaxCapacity, "maxCapacity");
    if (namespace !== LAMBDA_NAMESPACE)
      throw aasErrors.validation(`The sandbox only emulates the lambda namespace, not ${namespace}`);
    if (dimension !== PC_DIMENSION)
      throw aasErrors.validation(`Unsupported scalable dimension ${dimension} for service namespace lambda`);
    this.checkLambdaResource(resourceId);
    const key = targetKey(namespace, resourceId, dimension);
    const existing = this.state.targets[key];
    if (!existing && (min === undefined || max === undefined)) {
      throw aasErrors.validation("MinCapacity and MaxCapacity are required for registering a new scalable target");
    }
    const nextMin = min ?? (existing as ScalableTargetRecord).minCapacity;
    const nextMax = max ?? (existing as ScalableTargetRecord).maxCapacity;
    if (nextMax < nextMin) throw aasErrors.validation("Maximum capacity cannot be less than minimum capacity");
    const suspendedInput = (input.SuspendedState ?? {}) as Record<string, unknown>;
    const at = this.region.nowMs();
    const target: ScalableTargetRecord = existing ?? {
      serviceNamespace: namespace,
      resourceId,
      scalableDimension: dimension,
      minCapacity: nextMin,
      maxCapacity: nextMax,
      roleArn: `arn:aws:iam::${this.region.accountId}:role/aws-service-role/lambda.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency`,
      creationTimeMs: at,
      suspended: {
        DynamicScalingInSuspended: false,
        DynamicScalingOutSuspended: false,
        ScheduledScalingSuspended: false,
      },
      arn: `arn:aws:application-autoscaling:${this.region.regionName}:${this.region.accountId}:scalable-target/${randomUUID().replaceAll("-", "").slice(0, 28)}`,
    };
    target.minCapacity = nextMin;
    target.maxCapacity = nextMax;
    for (const flag of [
      "DynamicScalingInSuspended",
      "DynamicScalingOutSuspended",
      "ScheduledScalingSuspended",
    ] as const) {
      if (typeof suspendedInput[flag] === "boolean") target.suspended[flag] = suspendedInput[flag] as boolean;
    }
    if (typeof input.RoleARN === "string") target.roleArn = input.RoleARN;
    this.state.targets[key] = target;
    this.region.recordHistory({
      at,
      service: "application-autoscaling",
      action: "RegisterScalableTarget",
      resource: resourceId,
      detail: input,
    });
    // An active resource is moved inside the new bounds.
    this.applyCapacity(target, at, `registered scalable target with min ${nextMin} and max ${nextMax}`);
    this.region.markDirty();
    return { ScalableTargetARN: target.arn };
  }

  deregisterScalableTarget(input: Record<string, unknown>): Record<string, unknown> {
    const namespace = this.namespace(input);
    const resourceId = this.requireString(input, "ResourceId", "resourceId");
    const dimension = this.dimension(input, true) as string;
    const key = targetKey(namespace, resourceId, dimension);
    if (!this.state.targets[key]) {
      throw aasErrors.objectNotFound(
        `No scalable target found for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
      );
    }
    delete this.state.targets[key];
    for (const [actionKey, action] of Object.entries(this.state.actions)) {
      if (targetKey(action.serviceNamespace, action.resourceId, action.scalableDimension) === key)
        delete this.state.actions[actionKey];
    }
    this.region.recordHistory({
      at: this.region.nowMs(),
      service: "application-autoscaling",
      action: "DeregisterScalableTarget",
      resource: resourceId,
      detail: input,
    });
    this.region.markDirty();
    return {};
  }

  describeScalableTargets(input: Record<string, unknown>): Record<string, unknown> {
    const namespace = this.namespace(input);
    const dimension = this.dimension(input, false);
    const resourceIds = input.ResourceIds;
    if (
      resourceIds !== undefined &&
      (!Array.isArray(resourceIds) || resourceIds.some((id) => typeof id !== "string"))
    ) {
      throw aasErrors.validation(validationMessage(resourceIds, "resourceIds", "Member must be a list of strings"));
    }
    const all = Object.values(this.state.targets).filter(
      (target) =>
        target.serviceNamespace === namespace &&
        (dimension === undefined || target.scalableDimension === dimension) &&
        (resourceIds === undefined ||
          (resourceIds as string[]).length === 0 ||
          (resourceIds as string[]).includes(target.resourceId)),
    );
    const { page, nextToken } = this.paginate(all, input);
    return {
      ScalableTargets: page.map((target) => ({
        ServiceNamespace: target.serviceNamespace,
        ResourceId: target.resourceId,
        ScalableDimension: target.scalableDimension,
        MinCapacity: target.minCapacity,
        MaxCapacity: target.maxCapacity,
        RoleARN: target.roleArn,
        CreationTime: target.creationTimeMs / 1000,
        SuspendedState: { ...target.suspended },
        ScalableTargetARN: target.arn,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  private paginate<T>(items: T[], input: Record<string, unknown>): { page: T[]; nextToken?: string } {
    const maxResults = input.MaxResults ?? 50;
    if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) {
      throw aasErrors.validation(
        validationMessage(maxResults, "maxResults", "Member must have value between 1 and 50"),
      );
    }
    let start = 0;
    if (input.NextToken !== undefined) {
      const token = input.NextToken;
      const decoded =
        typeof token === "string" ? /^o(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8")) : null;
      if (!decoded) throw aasErrors.invalidNextToken();
      start = Number(decoded[1]);
    }
    const page = items.slice(start, start + maxResults);
    const nextToken =
      start + maxResults < items.length ? Buffer.from(`o${start + maxResults}`).toString("base64url") : undefined;
    return nextToken ? { page, nextToken } : { page };
  }

  // ---------------------------------------------------------------- scheduled actions

  putScheduledAction(input: Record<string, unknown>): Record<string, unknown> {
    const namespace = this.namespace(input);
    const name = this.requireString(input, "ScheduledActionName", "scheduledActionName", 256);
    if (!isValidActionName(name)) {
      throw aasErrors.validation(
        validationMessage(
          name,
          "scheduledActionName",
          "Member must satisfy regular expression pattern: (?!((^[ ]+.*)|(.*([\\u0000-\\u001f]|[\\u007f-\\u009f]|[:/|])+.*)|(.*[ ]+$))).+",
        ),
      );
    }
    const resourceId = this.requireString(input, "ResourceId", "resourceId");
    const dimension = this.dimension(input, true) as string;
    const key = targetKey(namespace, resourceId, dimension);
    const target = this.state.targets[key];
    const existing = this.state.actions[`${key}|${name}`];
    const scheduleText = input.Schedule ?? existing?.schedule;
    if (typeof scheduleText !== "string" || scheduleText.length === 0) {
      throw aasErrors.validation(validationMessage(scheduleText ?? "null", "schedule", "Member must not be null"));
    }
    let schedule: ReturnType<typeof parseSchedule>;
    try {
      schedule = parseSchedule(scheduleText);
    } catch (error) {
      if (error instanceof ScheduleParseError) throw aasErrors.validation(error.message);
      throw error;
    }
    const timezone = input.Timezone;
    if (timezone !== undefined && (typeof timezone !== "string" || !isValidTimeZone(timezone))) {
      throw aasErrors.validation(`Invalid timezone: ${String(timezone)}`);
    }
    const timeValue = (value: unknown, field: string): number | undefined => {
      if (value === undefined || value === null) return undefined;
      if (typeof value !== "number" || !Number.isFinite(value))
        throw aasErrors.validation(validationMessage(value, field, "Member must be a timestamp"));
      return value * 1000;
    };
    const startTimeMs = timeValue(input.StartTime, "startTime");
    const endTimeMs = timeValue(input.EndTime, "endTime");
    if (startTimeMs !== undefined && endTimeMs !== undefined && endTimeMs <= startTimeMs) {
      throw aasErrors.validation("EndTime must be after StartTime");
    }
    const action = (input.ScalableTargetAction ?? undefined) as Record<string, unknown> | undefined;
    const min = this.capacity(action?.MinCapacity, "scalableTargetAction.minCapacity");
    const max = this.capacity(action?.MaxCapacity, "scalableTargetAction.maxCapacity");
    if (min === undefined && max === undefined)
      throw aasErrors.validation("At least one of minimum capacity and maximum capacity should be provided");
    if (min !== undefined && max !== undefined && max < min)
      throw aasErrors.validation("Maximum capacity cannot be less than minimum capacity");
    if (!target) {
      throw aasErrors.objectNotFound(
        `No scalable target registered for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}`,
      );
    }
    if (!existing) {
      const count = Object.values(this.state.actions).filter(
        (candidate) => targetKey(candidate.serviceNamespace, candidate.resourceId, candidate.scalableDimension) === key,
      ).length;
      if (count >= 200)
        throw aasErrors.limitExceeded(
          "You have reached the maximum number of scheduled actions (200) for this scalable target",
        );
    }
    const at = this.region.nowMs();
    const zone = typeof timezone === "string" ? timezone : "UTC";
    const anchor = startTimeMs ?? at;
    // A recurring schedule with a StartTime first runs at that time, then on its recurrence.
    const first =
      startTimeMs !== undefined && schedule.kind !== "at" && startTimeMs > at
        ? startTimeMs
        : nextFiring(schedule, zone, Math.max(at, (startTimeMs ?? at) - 1), anchor);
    const record: ScheduledActionRecord = {
      name,
      arn:
        existing?.arn ??
        `arn:aws:autoscaling:${this.region.regionName}:${this.region.accountId}:scheduledAction:${randomUUID()}:resource/${namespace}/${resourceId}:scheduledActionName/${name}`,
      serviceNamespace: namespace,
      resourceId,
      scalableDimension: dimension,
      schedule: scheduleText,
      creationTimeMs: existing?.creationTimeMs ?? at,
      nextFireMs: first !== undefined && (endTimeMs === undefined || first <= endTimeMs) ? first : null,
      ...(typeof timezone === "string" ? { timezone } : {}),
      // Start and end times not given on an update are cleared (AWS behaviour).
      ...(startTimeMs !== undefined ? { startTimeMs } : {}),
      ...(endTimeMs !== undefined ? { endTimeMs } : {}),
      ...(min !== undefined ? { minCapacity: min } : {}),
      ...(max !== undefined ? { maxCapacity: max } : {}),
    };
    this.state.actions[`${key}|${name}`] = record;
    this.region.recordHistory({
      at,
      service: "application-autoscaling",
      action: "PutScheduledAction",
      resource: resourceId,
      detail: input,
    });
    this.region.markDirty();
    return {};
  }

  describeScheduledActions(input: Record<string, unknown>): Record<string, unknown> {
    const namespace = this.namespace(input);
    const dimension = this.dimension(input, false);
    const resourceId = input.ResourceId;
    const names = input.ScheduledActionNames;
    if (names !== undefined && (!Array.isArray(names) || names.some((name) => typeof name !== "string"))) {
      throw aasErrors.validation(validationMessage(names, "scheduledActionNames", "Member must be a list of strings"));
    }
    const all = Object.values(this.state.actions)
      .filter(
        (action) =>
          action.serviceNamespace === namespace &&
          (dimension === undefined || action.scalableDimension === dimension) &&
          (resourceId === undefined || action.resourceId === resourceId) &&
          (names === undefined || (names as string[]).length === 0 || (names as string[]).includes(action.name)),
      )
      .sort((a, b) => a.creationTimeMs - b.creationTimeMs || a.name.localeCompare(b.name));
    const { page, nextToken } = this.paginate(all, input);
    return {
      ScheduledActions: page.map((action) => ({
        ScheduledActionName: action.name,
        ScheduledActionARN: action.arn,
        ServiceNamespace: action.serviceNamespace,
        Schedule: action.schedule,
        ...(action.timezone ? { Timezone: action.timezone } : {}),
        ResourceId: action.resourceId,
        ScalableDimension: action.scalableDimension,
        ...(action.startTimeMs !== undefined ? { StartTime: action.startTimeMs / 1000 } : {}),
        ...(action.endTimeMs !== undefined ? { EndTime: action.endTimeMs / 1000 } : {}),
        ScalableTargetAction: {
          ...(action.minCapacity !== undefined ? { MinCapacity: action.minCapacity } : {}),
          ...(action.maxCapacity !== undefined ? { MaxCapacity: action.maxCapacity } : {}),
        },
        CreationTime: action.creationTimeMs / 1000,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  deleteScheduledAction(input: Record<string, unknown>): Record<string, unknown> {
    const namespace = this.namespace(input);
    const name = this.requireString(input, "ScheduledActionName", "scheduledActionName", 256);
    const resourceId = this.requireString(input, "ResourceId", "resourceId");
    const dimension = this.dimension(input, true) as string;
    const key = `${targetKey(namespace, resourceId, dimension)}|${name}`;
    if (!this.state.actions[key])
      throw aasErrors.objectNotFound(
        `No scheduled action found for service namespace: ${namespace}, resource ID: ${resourceId}, scalable dimension: ${dimension}, scheduled action name: ${name}`,
      );
    delete this.state.actions[key];
    this.region.recordHistory({
      at: this.region.nowMs(),
      service: "application-autoscaling",
      action: "DeleteScheduledAction",
      resource: resourceId,
      detail: input,
    });
    this.region.markDirty();
    return {};
  }

  describeScalingActivities(input: Record<string, unknown>): Record<string, unknown> {
    const namespace = this.namespace(input);
    const dimension = this.dimension(input, false);
    const resourceId = input.ResourceId;
    const all = this.state.activities
      .filter(
        (activity) =>
          activity.serviceNamespace === namespace &&
          (dimension === undefined || activity.scalableDimension === dimension) &&
          (resourceId === undefined || activity.resourceId === resourceId),
      )
      .sort((a, b) => b.startTimeMs - a.startTimeMs);
    const { page, nextToken } = this.paginate(all, input);
    return {
      ScalingActivities: page.map((activity) => ({
        ActivityId: activity.activityId,
        ServiceNamespace: activity.serviceNamespace,
        ResourceId: activity.resourceId,
        ScalableDimension: activity.scalableDimension,
        Description: activity.description,
        Cause: activity.cause,
        StartTime: activity.startTimeMs / 1000,
        EndTime: activity.endTimeMs / 1000,
        StatusCode: activity.statusCode,
        StatusMessage: activity.statusMessage,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  // ---------------------------------------------------------------- the schedule engine

  /** Fires every scheduled action due up to `nowMs`, in time order, each at its own firing instant. */
  fireDueActions(nowMs: number): number {
    let fired = 0;
    for (let guard = 0; guard < 100_000; guard++) {
      let due: ScheduledActionRecord | undefined;
      for (const action of Object.values(this.state.actions)) {
        if (
          action.nextFireMs !== null &&
          action.nextFireMs <= nowMs &&
          (!due || (action.nextFireMs as number) < (due.nextFireMs as number))
        )
          due = action;
      }
      if (!due) break;
      this.fire(due, due.nextFireMs as number);
      fired++;
    }
    return fired;
  }

  private fire(action: ScheduledActionRecord, atMs: number): void {
    const key = targetKey(action.serviceNamespace, action.resourceId, action.scalableDimension);
    const target = this.state.targets[key];
    const schedule = parseSchedule(action.schedule);
    const next =
      schedule.kind === "at"
        ? undefined
        : nextFiring(schedule, action.timezone ?? "UTC", atMs, action.startTimeMs ?? action.creationTimeMs);
    action.nextFireMs =
      next !== undefined && (action.endTimeMs === undefined || next <= action.endTimeMs) ? next : null;
    this.region.markDirty();
    if (!target || target.suspended.ScheduledScalingSuspended) return;
    if (action.minCapacity !== undefined) target.minCapacity = action.minCapacity;
    if (action.maxCapacity !== undefined) target.maxCapacity = action.maxCapacity;
    if (target.maxCapacity < target.minCapacity) target.maxCapacity = target.minCapacity;
    const bounds = [
      action.minCapacity !== undefined ? `minimum capacity was set to ${action.minCapacity}` : undefined,
      action.maxCapacity !== undefined ? `maximum capacity was set to ${action.maxCapacity}` : undefined,
    ]
      .filter(Boolean)
      .join(" and ");
    this.applyCapacity(target, atMs, `${bounds} by scheduled action name ${action.name} which was triggered`);
  }

  /** Moves the resource's provisioned concurrency inside [min, max] (capacity 0 removes the config). */
  private applyCapacity(target: ScalableTargetRecord, atMs: number, cause: string): void {
    const current = this.currentCapacity(target.resourceId);
    const desired = Math.min(Math.max(current, target.minCapacity), target.maxCapacity);
    if (desired === current) return;
    const match = /^function:([a-zA-Z0-9-_]+):([a-zA-Z0-9-_]+)$/.exec(target.resourceId);
    if (!match) return;
    const [functionName, qualifier] = [match[1] as string, match[2] as string];
    const activity: ScalingActivityRecord = {
      activityId: randomUUID(),
      serviceNamespace: target.serviceNamespace,
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      description: `Setting desired concurrency to ${desired}.`,
      cause: `${new Date(atMs).toISOString()} ${cause}`,
      startTimeMs: atMs,
      endTimeMs: atMs,
      statusCode: "Successful",
      statusMessage: `Successfully set desired concurrency to ${desired}. Change successfully fulfilled by lambda.`,
    };
    try {
      if (desired === 0) this.region.lambda.deleteProvisionedConcurrency(functionName, qualifier, atMs);
      else this.region.lambda.putProvisionedConcurrency(functionName, qualifier, desired, atMs);
      activity.endTimeMs = atMs + this.region.options.provisionedRampMs;
    } catch (error) {
      activity.statusCode = "Failed";
      activity.statusMessage = `Failed to set desired concurrency to ${desired}. ${error instanceof Error ? error.message : String(error)}`;
    }
    this.state.activities.push(activity);
    if (this.state.activities.length > 5000) this.state.activities.splice(0, this.state.activities.length - 5000);
  }
}
