import { randomUUID } from "node:crypto";
import { AwsServiceError } from "../../core/errors";
import { unflattenForm } from "../../core/form";
import { bodyText, jsonResponse, type SandboxRequest, type SandboxResponse, textBody } from "../../core/http";
import { element, escapeXml, memberList, textElement } from "../../core/xml";
import type { RegionContext } from "../../region";
import { cloudWatchErrors, NAMESPACE_BY_SHAPE, QUERY_CODE_BY_SHAPE } from "./errors";
import { CloudWatchModel, type GetMetricDataInput } from "./model";

/**
 * CloudWatch on both wire protocols: awsJson1_0 in query-compatible mode (X-Amz-Target
 * GraniteServiceVersion20100801.*, what the current JS SDK sends) and awsQuery (form-encoded Action=…,
 * XML responses, what older SDKs and the AWS CLI send). Parse → model → serialize.
 */

export const CLOUDWATCH_TARGET_PREFIX = "GraniteServiceVersion20100801.";
const XML_NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
const JSON_CONTENT_TYPE = "application/x-amz-json-1.0";

type Operation = "GetMetricData" | "ListMetrics";
const OPERATIONS = new Set<string>(["GetMetricData", "ListMetrics"]);

// ---------------------------------------------------------------- awsJson1_0

export function handleCloudWatchJson(region: RegionContext, request: SandboxRequest): SandboxResponse {
  const queryMode = request.headers["x-amzn-query-mode"] === "true";
  try {
    const target = request.headers["x-amz-target"] ?? "";
    const operation = target.slice(CLOUDWATCH_TARGET_PREFIX.length);
    if (!OPERATIONS.has(operation)) throw cloudWatchErrors.unknownOperation(operation || target);
    let input: Record<string, unknown>;
    try {
      const text = bodyText(request);
      input = text.trim() === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      throw cloudWatchErrors.serialization("Start of structure or map found where not expected (malformed JSON body).");
    }
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw cloudWatchErrors.serialization("The request body must be a JSON object.");
    const output = runOperation(region, operation as Operation, input, parseJsonTime);
    if (operation === "GetMetricData") {
      const result = output as ReturnType<CloudWatchModel["getMetricData"]>;
      return jsonResponse(
        200,
        {
          MetricDataResults: result.MetricDataResults.map((item) => ({
            ...item,
            Timestamps: item.Timestamps.map((ms) => ms / 1000),
          })),
          Messages: result.Messages,
          ...(result.NextToken ? { NextToken: result.NextToken } : {}),
        },
        JSON_CONTENT_TYPE,
        requestIdHeader(),
      );
    }
    return jsonResponse(200, output, JSON_CONTENT_TYPE, requestIdHeader());
  } catch (error) {
    return cloudWatchJsonError(error, queryMode);
  }
}

export function cloudWatchJsonError(error: unknown, queryMode: boolean): SandboxResponse {
  const serviceError = error instanceof AwsServiceError ? error : cloudWatchErrors.internal();
  const queryCode = QUERY_CODE_BY_SHAPE[serviceError.code] ?? serviceError.code;
  const namespace = NAMESPACE_BY_SHAPE[serviceError.code] ?? "com.amazonaws.cloudwatch.v2010_08_01";
  // Without x-amzn-query-mode AWS answers every client error with 400; with it, the modelled status.
  const status = queryMode || serviceError.status >= 500 ? serviceError.status : 400;
  return jsonResponse(
    status,
    { __type: `${namespace}#${serviceError.code}`, message: serviceError.message },
    JSON_CONTENT_TYPE,
    {
      ...requestIdHeader(),
      "x-amzn-query-error": `${queryCode};${serviceError.senderFault ? "Sender" : "Receiver"}`,
      ...serviceError.headers,
    },
  );
}

function parseJsonTime(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isFinite(value)) return value * 1000;
  if (typeof value === "string") {
    const parsed = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  throw cloudWatchErrors.serialization(`Invalid timestamp value ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------- awsQuery

export function handleCloudWatchQuery(region: RegionContext, request: SandboxRequest): SandboxResponse {
  try {
    const contentType = request.headers["content-type"] ?? "";
    const text =
      request.method === "GET"
        ? new URLSearchParams(request.query as Record<string, string>).toString()
        : bodyText(request);
    if (request.method !== "GET" && !contentType.startsWith("application/x-www-form-urlencoded")) {
      throw cloudWatchErrors.invalidAction("(content type must be application/x-www-form-urlencoded)");
    }
    const input = unflattenForm(text);
    const action = typeof input.Action === "string" ? input.Action : "";
    if (!OPERATIONS.has(action)) throw cloudWatchErrors.invalidAction(action || "(missing Action)");
    if (input.MaxDatapoints !== undefined) input.MaxDatapoints = Number(input.MaxDatapoints);
    const output = runOperation(region, action as Operation, input, parseQueryTime);
    const requestId = randomUUID();
    const result =
      action === "GetMetricData"
        ? getMetricDataXml(output as ReturnType<CloudWatchModel["getMetricData"]>)
        : listMetricsXml(output as ReturnType<CloudWatchModel["listMetrics"]>);
    const xml = `<${action}Response xmlns="${XML_NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
    return { status: 200, headers: { "content-type": "text/xml", "x-amzn-RequestId": requestId }, body: textBody(xml) };
  } catch (error) {
    return cloudWatchQueryError(error);
  }
}

export function cloudWatchQueryError(error: unknown): SandboxResponse {
  const serviceError = error instanceof AwsServiceError ? error : cloudWatchErrors.internal();
  const requestId = randomUUID();
  const code = QUERY_CODE_BY_SHAPE[serviceError.code] ?? serviceError.code;
  const xml = `<ErrorResponse xmlns="${XML_NAMESPACE}"><Error><Type>${serviceError.senderFault ? "Sender" : "Receiver"}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(serviceError.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return {
    status: serviceError.status,
    headers: { "content-type": "text/xml", "x-amzn-RequestId": requestId, ...serviceError.headers },
    body: textBody(xml),
  };
}

function parseQueryTime(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed =
    typeof value === "string" ? (/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value)) : Number.NaN;
  if (!Number.isFinite(parsed))
    throw cloudWatchErrors.invalidParameterValue(`Invalid timestamp value ${String(value)}`);
  return parsed;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function getMetricDataXml(output: ReturnType<CloudWatchModel["getMetricData"]>): string {
  const results = output.MetricDataResults.map(
    (result) =>
      `<member>${textElement("Id", result.Id)}${textElement("Label", result.Label)}${memberList("Timestamps", result.Timestamps.map(isoSeconds))}${memberList("Values", result.Values.map(String))}${element("StatusCode", result.StatusCode)}<Messages/></member>`,
  );
  return `<MetricDataResults>${results.join("")}</MetricDataResults><Messages/>${textElement("NextToken", output.NextToken)}`;
}

function listMetricsXml(output: ReturnType<CloudWatchModel["listMetrics"]>): string {
  const metrics = output.Metrics.map(
    (metric) =>
      `<member>${textElement("Namespace", metric.Namespace)}${textElement("MetricName", metric.MetricName)}${memberList(
        "Dimensions",
        metric.Dimensions.map(
          (dimension) => `${textElement("Name", dimension.Name)}${textElement("Value", dimension.Value)}`,
        ),
      )}</member>`,
  );
  return `<Metrics>${metrics.join("")}</Metrics>${textElement("NextToken", output.NextToken)}`;
}

// ---------------------------------------------------------------- shared

function runOperation(
  region: RegionContext,
  operation: Operation,
  input: Record<string, unknown>,
  parseTime: (value: unknown) => number | undefined,
) {
  const model = new CloudWatchModel(region);
  if (operation === "GetMetricData") {
    const request: GetMetricDataInput = {
      MetricDataQueries: input.MetricDataQueries,
      NextToken: input.NextToken,
      ScanBy: input.ScanBy,
      MaxDatapoints: input.MaxDatapoints,
    };
    const start = parseTime(input.StartTime);
    const end = parseTime(input.EndTime);
    if (start !== undefined) request.StartTimeMs = start;
    if (end !== undefined) request.EndTimeMs = end;
    return model.getMetricData(request);
  }
  return model.listMetrics(input);
}

function requestIdHeader(): Record<string, string> {
  return { "x-amzn-RequestId": randomUUID() };
}
