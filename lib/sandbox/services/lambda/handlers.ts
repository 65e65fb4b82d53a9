import { randomUUID } from "node:crypto";
import { DAY_MS } from "../../clock";
import { AwsServiceError } from "../../core/errors";
import {
  bodyText,
  jsonResponse,
  queryValue,
  type SandboxRequest,
  type SandboxResponse,
  textBody,
} from "../../core/http";
import type { RegionContext } from "../../region";
import { simulateSingleInvocation } from "../../simulator/engine";
import { SIMULATOR_PARAMETERS } from "../../simulator/parameters";
import { hashString, mix32 } from "../../simulator/random";
import { formatReportLine } from "../logs/report-lines";
import { CAPITALIZED_MESSAGE_ERRORS, lambdaErrors } from "./errors";
import type { FunctionRecord } from "./model";

/**
 * Lambda restJson1: routes (method + path → operation, like moto's urls.py) and thin handlers
 * (parse → model → serialize). Status codes per AWS_BEHAVIOUR.md §3.1.
 */

const JSON_TYPE = "application/json";

interface Route {
  method: string;
  pattern: RegExp;
  operation: string;
  handle: (region: RegionContext, request: SandboxRequest, params: string[]) => SandboxResponse;
}

const FN = "([^/]+)";

const ROUTES: Route[] = [
  { method: "GET", pattern: /^\/2015-03-31\/functions\/?$/, operation: "ListFunctions", handle: listFunctions },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/?$`),
    operation: "GetFunction",
    handle: getFunction,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/?$`),
    operation: "DeleteFunction",
    handle: deleteFunction,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/configuration/?$`),
    operation: "GetFunctionConfiguration",
    handle: getFunctionConfiguration,
  },
  {
    method: "PUT",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/configuration/?$`),
    operation: "UpdateFunctionConfiguration",
    handle: updateFunctionConfiguration,
  },
  {
    method: "POST",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/versions/?$`),
    operation: "PublishVersion",
    handle: publishVersion,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/versions/?$`),
    operation: "ListVersionsByFunction",
    handle: listVersions,
  },
  {
    method: "POST",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/?$`),
    operation: "CreateAlias",
    handle: createAlias,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/?$`),
    operation: "ListAliases",
    handle: listAliases,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}/?$`),
    operation: "GetAlias",
    handle: getAlias,
  },
  {
    method: "PUT",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}/?$`),
    operation: "UpdateAlias",
    handle: updateAlias,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}/?$`),
    operation: "DeleteAlias",
    handle: deleteAlias,
  },
  {
    method: "PUT",
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency/?$`),
    operation: "PutProvisionedConcurrencyConfig",
    handle: putProvisioned,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency/?$`),
    operation: "GetProvisionedConcurrencyConfig",
    handle: getProvisioned,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency/?$`),
    operation: "DeleteProvisionedConcurrencyConfig",
    handle: deleteProvisioned,
  },
  {
    method: "GET",
    pattern: /^\/2016-08-19\/account-settings\/?$/,
    operation: "GetAccountSettings",
    handle: getAccountSettings,
  },
  {
    method: "POST",
    pattern: new RegExp(`^/2015-03-31/functions/${FN}/invocations/?$`),
    operation: "Invoke",
    handle: invoke,
  },
];

/** Whether a path belongs to the Lambda API. */
export function isLambdaPath(path: string): boolean {
  return /^\/(2015-03-31|2016-08-19|2019-09-30|2017-10-31|2018-10-31|2020-06-30|2021-10-31)\//.test(path);
}

export function handleLambda(region: RegionContext, request: SandboxRequest): SandboxResponse {
  try {
    for (const route of ROUTES) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      const params = match.slice(1).map((value) => {
        try {
          return decodeURIComponent(value);
        } catch {
          throw lambdaErrors.validation(value, "functionName", "Member must be a valid percent-encoded string");
        }
      });
      return route.handle(region, request, params);
    }
    throw lambdaErrors.unknownOperation(request.method, request.path);
  } catch (error) {
    return lambdaError(error);
  }
}

export function lambdaError(error: unknown): SandboxResponse {
  const serviceError = error instanceof AwsServiceError ? error : lambdaErrors.service();
  const messageKey = CAPITALIZED_MESSAGE_ERRORS.has(serviceError.code) ? "Message" : "message";
  const { retryAfterSeconds: _retryAfter, ...fields } = serviceError.fields;
  return jsonResponse(serviceError.status, { ...fields, [messageKey]: serviceError.message }, JSON_TYPE, {
    "x-amzn-ErrorType": serviceError.code,
    "x-amzn-RequestId": randomUUID(),
    ...serviceError.headers,
  });
}

// ---------------------------------------------------------------- parsing helpers

function jsonBody(request: SandboxRequest): Record<string, unknown> {
  const text = bodyText(request);
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw lambdaErrors.serialization(
      "Could not parse request body into json: Unexpected character in the request body",
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw lambdaErrors.serialization("Could not parse request body into json: the body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function integerQuery(request: SandboxRequest, name: string, field: string): number | undefined {
  const value = queryValue(request, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw lambdaErrors.validation(value, field, "Member must be an integer");
  return Number(value);
}

function ok(status: number, payload: unknown): SandboxResponse {
  return jsonResponse(status, payload, JSON_TYPE, { "x-amzn-RequestId": randomUUID() });
}

function noContent(): SandboxResponse {
  return { status: 204, headers: { "x-amzn-RequestId": randomUUID() }, body: new Uint8Array() };
}

/** Name and qualifier from the path segment (name, ARN or name:qualifier) and the Qualifier parameter. */
function target(
  region: RegionContext,
  request: SandboxRequest,
  rawName: string,
): { record: FunctionRecord; qualifier?: string } {
  const parsed = region.lambda.parseFunctionName(rawName);
  const qualifier = region.lambda.resolveQualifier(parsed.qualifier, queryValue(request, "Qualifier"));
  const record = region.lambda.getFunctionRecord(parsed.name);
  return qualifier === undefined ? { record } : { record, qualifier };
}

// ---------------------------------------------------------------- handlers

function listFunctions(region: RegionContext, request: SandboxRequest): SandboxResponse {
  const input: { marker?: string; maxItems?: number; functionVersion?: string } = {};
  const marker = queryValue(request, "Marker");
  const maxItems = integerQuery(request, "MaxItems", "maxItems");
  const functionVersion = queryValue(request, "FunctionVersion");
  if (marker !== undefined) input.marker = marker;
  if (maxItems !== undefined) input.maxItems = maxItems;
  if (functionVersion !== undefined) input.functionVersion = functionVersion;
  const result = region.lambda.listFunctions(input);
  return ok(200, { Functions: result.functions, ...(result.nextMarker ? { NextMarker: result.nextMarker } : {}) });
}

function getFunction(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const { record, qualifier } = target(region, request, name as string);
  const configuration = region.lambda.configurationView(record, qualifier);
  return ok(200, {
    Configuration: configuration,
    Code: {
      RepositoryType: "S3",
      Location: `https://awslambda-${region.regionName}-tasks.s3.${region.regionName}.amazonaws.com/snapshots/${region.accountId}/${record.name}-${randomUUID()}?X-Amz-Expires=600`,
    },
    Tags: { project: "phoenix" },
    ...(record.reservedConcurrency !== undefined
      ? { Concurrency: { ReservedConcurrentExecutions: record.reservedConcurrency } }
      : {}),
  });
}

function getFunctionConfiguration(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const { record, qualifier } = target(region, request, name as string);
  return ok(200, region.lambda.configurationView(record, qualifier));
}

function updateFunctionConfiguration(
  region: RegionContext,
  request: SandboxRequest,
  [name]: string[],
): SandboxResponse {
  const parsed = region.lambda.parseFunctionName(name);
  if (parsed.qualifier !== undefined && parsed.qualifier !== "$LATEST") {
    throw lambdaErrors.invalidParameter(
      "Only the $LATEST version of a function can be updated; published versions are immutable.",
    );
  }
  return ok(200, region.lambda.updateFunctionConfiguration(parsed.name, jsonBody(request)));
}

function publishVersion(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const parsed = region.lambda.parseFunctionName(name);
  return ok(201, region.lambda.publishVersion(parsed.name, jsonBody(request)));
}

function listVersions(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const parsed = region.lambda.parseFunctionName(name);
  const input: { marker?: string; maxItems?: number } = {};
  const marker = queryValue(request, "Marker");
  const maxItems = integerQuery(request, "MaxItems", "maxItems");
  if (marker !== undefined) input.marker = marker;
  if (maxItems !== undefined) input.maxItems = maxItems;
  const result = region.lambda.listVersions(parsed.name, input);
  return ok(200, { Versions: result.versions, ...(result.nextMarker ? { NextMarker: result.nextMarker } : {}) });
}

function createAlias(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const parsed = region.lambda.parseFunctionName(name);
  return ok(201, region.lambda.createAlias(parsed.name, jsonBody(request)));
}

function listAliases(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const parsed = region.lambda.parseFunctionName(name);
  const input: { marker?: string; maxItems?: number; functionVersion?: string } = {};
  const marker = queryValue(request, "Marker");
  const maxItems = integerQuery(request, "MaxItems", "maxItems");
  const functionVersion = queryValue(request, "FunctionVersion");
  if (marker !== undefined) input.marker = marker;
  if (maxItems !== undefined) input.maxItems = maxItems;
  if (functionVersion !== undefined) input.functionVersion = functionVersion;
  const result = region.lambda.listAliases(parsed.name, input);
  return ok(200, { Aliases: result.aliases, ...(result.nextMarker ? { NextMarker: result.nextMarker } : {}) });
}

function getAlias(region: RegionContext, _request: SandboxRequest, [name, alias]: string[]): SandboxResponse {
  return ok(200, region.lambda.getAlias(region.lambda.parseFunctionName(name).name, alias as string));
}

function updateAlias(region: RegionContext, request: SandboxRequest, [name, alias]: string[]): SandboxResponse {
  return ok(
    200,
    region.lambda.updateAlias(region.lambda.parseFunctionName(name).name, alias as string, jsonBody(request)),
  );
}

function deleteAlias(region: RegionContext, _request: SandboxRequest, [name, alias]: string[]): SandboxResponse {
  region.lambda.deleteAlias(region.lambda.parseFunctionName(name).name, alias as string);
  return noContent();
}

function putProvisioned(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const parsed = region.lambda.parseFunctionName(name);
  const qualifier = region.lambda.resolveQualifier(parsed.qualifier, queryValue(request, "Qualifier"));
  const body = jsonBody(request);
  return ok(202, region.lambda.putProvisionedConcurrency(parsed.name, qualifier, body.ProvisionedConcurrentExecutions));
}

function getProvisioned(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const parsed = region.lambda.parseFunctionName(name);
  if (queryValue(request, "List") !== undefined) {
    if (queryValue(request, "List") !== "ALL")
      throw lambdaErrors.validation(queryValue(request, "List"), "list", "Member must satisfy enum value set: [ALL]");
    const input: { marker?: string; maxItems?: number } = {};
    const marker = queryValue(request, "Marker");
    const maxItems = integerQuery(request, "MaxItems", "maxItems");
    if (marker !== undefined) input.marker = marker;
    if (maxItems !== undefined) input.maxItems = maxItems;
    const result = region.lambda.listProvisionedConcurrency(parsed.name, input);
    return ok(200, {
      ProvisionedConcurrencyConfigs: result.configs,
      ...(result.nextMarker ? { NextMarker: result.nextMarker } : {}),
    });
  }
  const qualifier = region.lambda.resolveQualifier(parsed.qualifier, queryValue(request, "Qualifier"));
  return ok(200, region.lambda.getProvisionedConcurrency(parsed.name, qualifier));
}

function deleteProvisioned(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const parsed = region.lambda.parseFunctionName(name);
  const qualifier = region.lambda.resolveQualifier(parsed.qualifier, queryValue(request, "Qualifier"));
  region.lambda.deleteProvisionedConcurrency(parsed.name, qualifier);
  return noContent();
}

/** DeleteFunction with a version Qualifier deletes that version; the function itself is not deletable here. */
function deleteFunction(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const parsed = region.lambda.parseFunctionName(name as string);
  const qualifier = region.lambda.resolveQualifier(parsed.qualifier, queryValue(request, "Qualifier"));
  region.lambda.deleteFunctionVersion(parsed.name, qualifier);
  return noContent();
}

function getAccountSettings(region: RegionContext): SandboxResponse {
  return ok(200, region.lambda.accountSettings());
}

/** Invoke: RequestResponse (200, optional log tail), Event (202), DryRun (204). */
const invocationSequences = new WeakMap<RegionContext, Map<string, number>>();

/** How many times this qualifier of this region was invoked within the same second so far. */
function nextInvocationSequence(region: RegionContext, key: string): number {
  let sequences = invocationSequences.get(region);
  if (!sequences || sequences.size > 10_000) {
    sequences = new Map();
    invocationSequences.set(region, sequences);
  }
  const next = (sequences.get(key) ?? 0) + 1;
  sequences.set(key, next);
  return next;
}

function invoke(region: RegionContext, request: SandboxRequest, [name]: string[]): SandboxResponse {
  const { record, qualifier } = target(region, request, name as string);
  const invocationType = request.headers["x-amz-invocation-type"] ?? "RequestResponse";
  if (!["RequestResponse", "Event", "DryRun"].includes(invocationType)) {
    throw lambdaErrors.validation(
      invocationType,
      "invocationType",
      "Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
    );
  }
  const logType = request.headers["x-amz-log-type"] ?? "None";
  if (logType !== "None" && logType !== "Tail")
    throw lambdaErrors.validation(logType, "logType", "Member must satisfy enum value set: [None, Tail]");
  const limit = invocationType === "Event" ? 1_048_576 : 6_291_456;
  if (request.body.length > limit) {
    throw new AwsServiceError(
      "RequestTooLargeException",
      `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      413,
      { Type: "User" },
    );
  }
  const resolved = region.lambda.resolveTarget(record, qualifier);
  if (invocationType === "DryRun")
    return { status: 204, headers: { "x-amzn-RequestId": randomUUID() }, body: new Uint8Array() };
  const settings = resolved.view === "latest" ? record.settings : resolved.view.settings;
  const code = resolved.view === "latest" ? record.code : resolved.view.code;
  const now = region.nowMs();
  const key = qualifier ?? "$LATEST";
  const lastInvoked = record.lastInvokedAtMs[key];
  const provisioned = record.provisioned[key] ?? record.provisioned[resolved.version];
  const cold =
    !provisioned &&
    (lastInvoked === undefined || now - lastInvoked > SIMULATOR_PARAMETERS.idleEnvironmentMinutes * 60_000);
  record.lastInvokedAtMs[key] = now;
  const requestId = randomUUID();
  const world = region.state.world;
  // Seeded by the world, the qualifier and how often it ran at this second, not by the random request
  // id: the same seed, history and call sequence give the same durations (DESIGN §4 determinism).
  const sequence = nextInvocationSequence(region, `${name}:${key}:${Math.floor(now / 1000)}`);
  const outcome = simulateSingleInvocation({
    workload: record.timeline.workload,
    configuration: {
      fromMs: now,
      memoryMb: settings.memoryMb,
      runtime: settings.runtime,
      timeoutSeconds: settings.timeoutSeconds,
      code,
      executedVersion: resolved.version,
    },
    cold,
    seed: mix32(hashString(`${world.seed}:${name}:${key}:${sequence}`), Math.floor(now / 1000)),
    databaseGrowthDays: Math.max(0, Math.min(now, world.anchorMs) - world.historyStartMs) / DAY_MS,
  });
  const headers: Record<string, string> = {
    "content-type": JSON_TYPE,
    "x-amzn-RequestId": requestId,
    "X-Amz-Executed-Version": resolved.version,
  };
  if (invocationType === "Event")
    return { status: 202, headers: { "x-amzn-RequestId": requestId }, body: new Uint8Array() };
  const payload = outcome.timedOut
    ? {
        errorType: "Sandbox.Timedout",
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${settings.timeoutSeconds.toFixed(2)} seconds`,
      }
    : {
        statusCode: 200,
        body: JSON.stringify({ ok: true, function: record.name, version: resolved.version, simulated: true }),
      };
  if (outcome.timedOut) headers["X-Amz-Function-Error"] = "Unhandled";
  if (logType === "Tail") {
    const log = [
      `START RequestId: ${requestId} Version: ${resolved.version}`,
      ...(outcome.timedOut
        ? []
        : [`${new Date(now).toISOString()}\t${requestId}\tINFO\tprocessed request for ${record.name}`]),
      `END RequestId: ${requestId}`,
      formatReportLine({
        requestId,
        durationMs: outcome.durationMs,
        memorySizeMb: settings.memoryMb,
        maxMemoryUsedMb: outcome.memoryUsedMb,
        initMs: outcome.initMs,
        timedOut: outcome.timedOut,
      }),
      "",
    ].join("\n");
    // Only the last 4 KB of the log come back, base64-encoded.
    const bytes = Buffer.from(log, "utf8");
    headers["X-Amz-Log-Result"] = bytes.subarray(Math.max(0, bytes.length - 4096)).toString("base64");
  }
  return { status: 200, headers, body: textBody(JSON.stringify(payload)) };
}
