import { DescribeScheduledActionsCommand } from "@aws-sdk/client-application-auto-scaling";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetFunctionCommand, ListFunctionsCommand, UpdateFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { ManualClock } from "./clock";
import { InMemoryPersistence } from "./persistence";
import { captureError, createHarness, MEETING_TIME } from "./testing";

async function post(
  url: string,
  init: { path?: string; headers?: Record<string, string>; body?: string; method?: string },
) {
  const response = await fetch(`${url}${init.path ?? "/"}`, {
    method: init.method ?? "POST",
    headers: init.headers ?? {},
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

const AUTH =
  "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250722/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0";

interface RawCase {
  title: string;
  request: { path?: string; headers?: Record<string, string>; body?: string; method?: string };
  status: number;
  type: RegExp;
}

describe("bad requests get AWS-shaped errors, never a crash or a bodiless 500", () => {
  it.each<RawCase>([
    {
      title: "CloudWatch JSON with a malformed body",
      request: {
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "GraniteServiceVersion20100801.GetMetricData",
          "x-amzn-query-mode": "true",
        },
        body: "{not json",
      },
      status: 400,
      type: /SerializationException/,
    },
    {
      title: "CloudWatch JSON with an unknown operation",
      request: {
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "GraniteServiceVersion20100801.DeleteEverything",
        },
        body: "{}",
      },
      status: 400,
      type: /UnknownOperationException/,
    },
    {
      title: "CloudWatch JSON missing required fields",
      request: {
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "GraniteServiceVersion20100801.GetMetricData",
          "x-amzn-query-mode": "true",
        },
        body: "{}",
      },
      status: 400,
      type: /MissingRequiredParameterException/,
    },
    {
      title: "CloudWatch query with the wrong content type",
      request: {
        headers: { "content-type": "text/plain", authorization: AUTH },
        body: "Action=ListMetrics&Version=2010-08-01",
      },
      status: 400,
      type: /InvalidAction/,
    },
    {
      title: "Auto Scaling with a malformed body",
      request: {
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AnyScaleFrontendService.PutScheduledAction",
        },
        body: "[1,2",
      },
      status: 400,
      type: /SerializationException/,
    },
    {
      title: "Auto Scaling with a body that is not an object",
      request: {
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AnyScaleFrontendService.DescribeScalableTargets",
        },
        body: "42",
      },
      status: 400,
      type: /SerializationException/,
    },
    {
      title: "Auto Scaling missing the namespace",
      request: {
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AnyScaleFrontendService.DescribeScalableTargets",
        },
        body: "{}",
      },
      status: 400,
      type: /ValidationException/,
    },
    {
      title: "Lambda with a malformed JSON body",
      request: {
        path: "/2015-03-31/functions/process-user-request/configuration",
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: '{"MemorySize":',
      },
      status: 400,
      type: /InvalidRequestContentException/,
    },
    {
      title: "Lambda with a string where an integer belongs",
      request: {
        path: "/2015-03-31/functions/process-user-request/configuration",
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: '{"MemorySize":"big"}',
      },
      status: 400,
      type: /InvalidRequestContentException/,
    },
    {
      title: "an unknown Lambda path",
      request: { path: "/2015-03-31/functions/process-user-request/unknown", method: "GET" },
      status: 404,
      type: /UnknownOperationException/,
    },
    {
      title: "a path no service serves",
      request: { path: "/favicon.ico", method: "GET" },
      status: 404,
      type: /UnknownOperationException/,
    },
  ])("$title", async ({ request, status, type }) => {
    const harness = await createHarness("http");
    try {
      const response = await post(harness.url, request);
      expect(response.status).toBe(status);
      expect(response.text.length).toBeGreaterThan(0);
      expect(response.text + (response.headers.get("x-amzn-errortype") ?? "")).toMatch(type);
    } finally {
      await harness.close();
    }
  });
});

describe("faults on demand", () => {
  it("throttles every request at rate 1, with each service's throttling error", async () => {
    const harness = await createHarness("in-process", { faults: { throttleRate: 1 } });
    try {
      const lambda = await captureError(() => harness.lambda.send(new ListFunctionsCommand({})));
      expect(lambda.name).toBe("TooManyRequestsException");
      expect(lambda.status).toBe(429);
      const cloudWatch = await captureError(() =>
        harness.cloudWatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: [{ Id: "a", Expression: "1" }],
            StartTime: new Date(0),
            EndTime: new Date(1000),
          }),
        ),
      );
      expect(cloudWatch.name).toBe("Throttling");
      expect(cloudWatch.status).toBe(400);
      harness.sandbox.setFaults({ errorRate: 1 });
      const failure = await captureError(() =>
        harness.autoScaling.send(new DescribeScheduledActionsCommand({ ServiceNamespace: "lambda" })),
      );
      expect(failure.name).toBe("InternalServiceException");
      expect(failure.status).toBe(500);
      harness.sandbox.setFaults({});
      const healthy = await harness.lambda.send(new ListFunctionsCommand({}));
      expect(healthy.Functions?.length).toBeGreaterThan(0);
    } finally {
      await harness.close();
    }
  });

  it("keeps updates InProgress while stuck, and lets them complete once the fault is lifted", async () => {
    const harness = await createHarness("in-process", { faults: { stuckUpdates: true } });
    try {
      await harness.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: "send-notification", Timeout: 12 }),
      );
      await harness.sandbox.advance(3_600_000);
      const stuck = await harness.lambda.send(new GetFunctionCommand({ FunctionName: "send-notification" }));
      expect(stuck.Configuration?.LastUpdateStatus).toBe("InProgress");
      const conflict = await captureError(() =>
        harness.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "send-notification", Timeout: 13 })),
      );
      expect(conflict.status).toBe(409);
    } finally {
      await harness.close();
    }
  });
});

describe("persistence", () => {
  it("a restarted sandbox on the same store keeps every change made through the APIs", async () => {
    const persistence = new InMemoryPersistence();
    const first = await createHarness("in-process", { persistence });
    await first.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "auth-token-validator", MemorySize: 512 }),
    );
    await first.sandbox.applyScenarioEvent("rds-proxy");
    await first.close();
    expect(persistence.keys()).toEqual(["123456789012/us-east-1"]);

    const second = await createHarness("in-process", {
      persistence,
      clock: new ManualClock(Date.parse(MEETING_TIME) + 60_000),
    });
    try {
      const fn = await second.lambda.send(new GetFunctionCommand({ FunctionName: "auth-token-validator" }));
      expect(fn.Configuration?.MemorySize).toBe(512);
      expect(fn.Configuration?.LastUpdateStatus).toBe("Successful");
      const main = await second.lambda.send(
        new GetFunctionCommand({ FunctionName: "process-user-request", Qualifier: "live" }),
      );
      expect(main.Configuration?.Version).toBe("15");
      expect(main.Configuration?.Environment?.Variables?.DB_HOST).toMatch(/proxy/);
      const history = await second.sandbox.history();
      expect(history.map((entry) => entry.action)).toEqual(
        expect.arrayContaining([
          "UpdateFunctionConfiguration",
          "ScenarioEvent:rds-proxy",
          "PublishVersion",
          "UpdateAlias",
        ]),
      );
    } finally {
      await second.close();
    }
  });

  it("reset() returns to the seeded world and overwrites the persisted state", async () => {
    const persistence = new InMemoryPersistence();
    const harness = await createHarness("in-process", { persistence });
    try {
      await harness.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: "auth-token-validator", MemorySize: 2048 }),
      );
      await harness.sandbox.reset();
      const fn = await harness.lambda.send(new GetFunctionCommand({ FunctionName: "auth-token-validator" }));
      expect(fn.Configuration?.MemorySize).toBe(256);
      const stored = await persistence.load("123456789012/us-east-1");
      expect(stored?.lambda.functions["auth-token-validator"]?.settings.memoryMb).toBe(256);
    } finally {
      await harness.close();
    }
  });

  it("keeps state per region: another region starts empty", async () => {
    const harness = await createHarness("in-process");
    try {
      const { LambdaClient } = await import("@aws-sdk/client-lambda");
      const west = new LambdaClient({
        region: "eu-west-1",
        credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" },
        requestHandler: harness.sandbox.requestHandler,
      });
      const list = await west.send(new ListFunctionsCommand({}));
      expect(list.Functions).toEqual([]);
      west.destroy();
    } finally {
      await harness.close();
    }
  });
});
