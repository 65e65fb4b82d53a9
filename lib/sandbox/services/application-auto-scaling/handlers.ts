import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../../core/errors";
import { bodyText, jsonResponse, type SandboxRequest, type SandboxResponse } from "../../core/http";
import type { RegionContext } from "../../region";

/** Application Auto Scaling on awsJson1_1 (X-Amz-Target AnyScaleFrontendService.*). */
export const AUTO_SCALING_TARGET_PREFIX = "AnyScaleFrontendService.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

const OPERATIONS: Record<string, (region: RegionContext, input: Record<string, unknown>) => Record<string, unknown>> = {
  RegisterScalableTarget: (region, input) => region.autoScaling.registerScalableTarget(input),
  DeregisterScalableTarget: (region, input) => region.autoScaling.deregisterScalableTarget(input),
  DescribeScalableTargets: (region, input) => region.autoScaling.describeScalableTargets(input),
  PutScheduledAction: (region, input) => region.autoScaling.putScheduledAction(input),
  DescribeScheduledActions: (region, input) => region.autoScaling.describeScheduledActions(input),
  DeleteScheduledAction: (region, input) => region.autoScaling.deleteScheduledAction(input),
  DescribeScalingActivities: (region, input) => region.autoScaling.describeScalingActivities(input),
};

export function handleAutoScaling(region: RegionContext, request: SandboxRequest): SandboxResponse {
  try {
    const target = request.headers["x-amz-target"] ?? "";
    const operation = OPERATIONS[target.slice(AUTO_SCALING_TARGET_PREFIX.length)];
    if (!operation) throw new AwsServiceError("UnknownOperationException", `Unknown operation ${target}`, 400);
    let input: unknown;
    try {
      const text = bodyText(request);
      input = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      throw new AwsServiceError("SerializationException", "Malformed JSON request body", 400);
    }
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw new AwsServiceError("SerializationException", "The request body must be a JSON object", 400);
    return jsonResponse(200, operation(region, input as Record<string, unknown>), CONTENT_TYPE, {
      "x-amzn-RequestId": randomUUID(),
    });
  } catch (error) {
    return autoScalingError(error);
  }
}

export function autoScalingError(error: unknown): SandboxResponse {
  const serviceError =
    error instanceof AwsServiceError
      ? error
      : new AwsServiceError("InternalServiceException", "Internal service error", 500);
  return jsonResponse(serviceError.status, { __type: serviceError.code, Message: serviceError.message }, CONTENT_TYPE, {
    "x-amzn-RequestId": randomUUID(),
    ...serviceError.headers,
  });
}
