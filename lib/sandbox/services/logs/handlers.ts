import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../../core/errors";
import { bodyText, jsonResponse, type SandboxRequest, type SandboxResponse } from "../../core/http";
import type { RegionContext } from "../../region";
import { type LogSource, malformedQuery, parseInsightsQuery } from "./query";

/**
 * CloudWatch Logs Insights on awsJson1_1 (X-Amz-Target Logs_20140328.*): StartQuery, GetQueryResults
 * and StopQuery over `/aws/lambda/<function>` log groups of the simulated functions. StartQuery
 * validates and schedules; the query then runs asynchronously through AWS's states (see ./model.ts).
 */
export const LOGS_TARGET_PREFIX = "Logs_20140328.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

const errors = {
  invalidParameter: (message: string) => new AwsServiceError("InvalidParameterException", message, 400),
  notFound: (message: string) => new AwsServiceError("ResourceNotFoundException", message, 400),
};

export function handleLogs(region: RegionContext, request: SandboxRequest): SandboxResponse {
  try {
    const operation = (request.headers["x-amz-target"] ?? "").slice(LOGS_TARGET_PREFIX.length);
    let input: Record<string, unknown>;
    try {
      const text = bodyText(request);
      input = text.trim() === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      throw new AwsServiceError("SerializationException", "Malformed JSON request body", 400);
    }
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw new AwsServiceError("SerializationException", "The request body must be a JSON object", 400);
    switch (operation) {
      case "StartQuery":
        return ok(startQuery(region, input));
      case "GetQueryResults":
        return ok(getQueryResults(region, input));
      case "StopQuery":
        return ok(stopQuery(region, input));
      default:
        throw new AwsServiceError("UnknownOperationException", `Unknown operation ${operation}`, 400);
    }
  } catch (error) {
    const serviceError =
      error instanceof AwsServiceError
        ? error
        : new AwsServiceError("ServiceUnavailableException", "Internal error", 500);
    return jsonResponse(
      serviceError.status,
      { __type: serviceError.code, message: serviceError.message },
      CONTENT_TYPE,
      { "x-amzn-RequestId": randomUUID(), ...serviceError.headers },
    );
  }
}

function ok(payload: unknown): SandboxResponse {
  return jsonResponse(200, payload, CONTENT_TYPE, { "x-amzn-RequestId": randomUUID() });
}

/** StartQuery accepts at most this many log groups (AWS API reference: "up to 50 log groups"). */
export const MAX_LOG_GROUPS_PER_QUERY = 50;

function startQuery(region: RegionContext, input: Record<string, unknown>): Record<string, unknown> {
  const given = (["logGroupName", "logGroupNames", "logGroupIdentifiers"] as const).filter(
    (key) => input[key] !== undefined,
  );
  if (given.length !== 1)
    throw errors.invalidParameter(
      "Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified",
    );
  const key = given[0] as "logGroupName" | "logGroupNames" | "logGroupIdentifiers";
  const groups: string[] = [];
  if (key === "logGroupName") {
    if (typeof input.logGroupName !== "string") throw errors.invalidParameter("logGroupName must be a string");
    groups.push(input.logGroupName);
  } else {
    const list = input[key];
    if (!Array.isArray(list) || list.some((item) => typeof item !== "string"))
      throw errors.invalidParameter(`${key} must be a list of strings`);
    if (list.length < 1 || list.length > MAX_LOG_GROUPS_PER_QUERY)
      throw errors.invalidParameter(
        `1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_LOG_GROUPS_PER_QUERY}`,
      );
    groups.push(...(list as string[]));
  }
  if (typeof input.queryString !== "string" || input.queryString.length === 0 || input.queryString.length > 10_000) {
    throw errors.invalidParameter("queryString must be between 1 and 10000 characters");
  }
  if (
    typeof input.startTime !== "number" ||
    typeof input.endTime !== "number" ||
    !Number.isInteger(input.startTime) ||
    !Number.isInteger(input.endTime)
  ) {
    throw errors.invalidParameter("startTime and endTime are required epoch seconds");
  }
  if (input.endTime < input.startTime)
    throw errors.invalidParameter("endTime must be greater than or equal to startTime");
  const limit = input.limit ?? 1000;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw errors.invalidParameter("limit must be between 1 and 10000");
  const sources: LogSource[] = [];
  for (const group of groups) {
    const name = group.replace(/^arn:aws:logs:[^:]+:\d{12}:log-group:/, "").replace(/:\*$/, "");
    const match = /^\/aws\/lambda\/([A-Za-z0-9-_]+)$/.exec(name);
    if (!match || !region.state.lambda.functions[match[1] as string]) {
      throw errors.notFound(`Log group '${name}' does not exist for account ID '${region.accountId}'`);
    }
    // The same group named twice is read once.
    if (sources.some((source) => source.functionName === match[1])) continue;
    sources.push({ log: `${region.accountId}:${name}`, functionName: match[1] as string });
  }
  const parsed = parseInsightsQuery(input.queryString);
  const startMs = input.startTime * 1000;
  // Logs are there only for minutes that have happened.
  const endMs = Math.min((input.endTime + 1) * 1000, region.nowMs());
  if (endMs - startMs > 16 * 86_400_000) throw malformedQuery("The sandbox limits a query to 16 days of logs");
  const queryId = region.logsInsights.start({
    query: parsed,
    sources,
    startMs,
    endMs,
    limit,
    logGroups: groups,
  });
  return { queryId };
}

function getQueryResults(region: RegionContext, input: Record<string, unknown>): Record<string, unknown> {
  if (typeof input.queryId !== "string") throw errors.invalidParameter("queryId is required");
  const query = region.logsInsights.get(input.queryId);
  if (!query) throw errors.notFound(`Query ${input.queryId} does not exist`);
  // Results only once Complete (AWS may show partial results while Running; the sandbox shows none).
  return {
    status: query.status,
    results: query.status === "Complete" ? query.outcome.results : [],
    statistics: {
      recordsMatched: query.outcome.recordsMatched,
      recordsScanned: query.outcome.recordsScanned,
      bytesScanned: query.outcome.recordsScanned * 180,
    },
  };
}

function stopQuery(region: RegionContext, input: Record<string, unknown>): Record<string, unknown> {
  if (typeof input.queryId !== "string") throw errors.invalidParameter("queryId is required");
  const stopped = region.logsInsights.stop(input.queryId);
  if (stopped === undefined) throw errors.notFound(`Query ${input.queryId} does not exist`);
  // A Scheduled or Running query is cancelled; one that already ended is left as it is.
  return { success: stopped };
}
