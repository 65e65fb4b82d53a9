import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";

/** A complete HTTP API (payload 2.0) event, as API Gateway sends it, for the export route. */
export function httpApiEvent(
  options: { subject?: string; pathUserId?: string; query?: Record<string, string> } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const path = options.pathUserId === undefined ? "/exports" : `/users/${options.pathUserId}/exports`;
  return {
    version: "2.0",
    routeKey: options.pathUserId === undefined ? "POST /exports" : "POST /users/{userId}/exports",
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { "content-type": "application/json" },
    queryStringParameters: options.query,
    pathParameters: options.pathUserId === undefined ? undefined : { userId: options.pathUserId },
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: { method: "POST", path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "vitest" },
      requestId: "gateway-request",
      routeKey: "POST /exports",
      stage: "$default",
      time: "22/Jul/2025:10:02:15 +0000",
      timeEpoch: 1753178535000,
      authorizer: {
        principalId: "",
        integrationLatency: 0,
        jwt: { claims: options.subject === undefined ? {} : { sub: options.subject }, scopes: [] },
      },
    },
  };
}

let counter = 0;
export function invocationContext() {
  counter++;
  return { awsRequestId: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}` };
}
