import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  type LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  paginateListFunctions,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureError, createHarness, type SandboxHarness, TRANSPORTS } from "../../testing";

const MAIN = "process-user-request";
const ARN = "arn:aws:lambda:us-east-1:123456789012:function";

/** Negative cases from AWS_BEHAVIOUR.md §3: each asserts the SDK error name, status and wording. */
const NEGATIVE_CASES: {
  title: string;
  call: (lambda: LambdaClient) => Promise<unknown>;
  name: string;
  status: number;
  message?: string | RegExp;
}[] = [
  {
    title: "GetFunction on a missing function",
    call: (lambda) => lambda.send(new GetFunctionCommand({ FunctionName: "no-such-function" })),
    name: "ResourceNotFoundException",
    status: 404,
    message: `Function not found: ${ARN}:no-such-function`,
  },
  {
    title: "GetFunctionConfiguration on a missing version",
    call: (lambda) => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: MAIN, Qualifier: "999" })),
    name: "ResourceNotFoundException",
    status: 404,
    message: `Function not found: ${ARN}:${MAIN}:999`,
  },
  {
    title: "a bare function name longer than 64 characters",
    call: (lambda) => lambda.send(new GetFunctionCommand({ FunctionName: "f".repeat(65) })),
    name: "InvalidParameterValueException",
    status: 400,
    message: /Member must have length less than or equal to 64/,
  },
  {
    title: "ListFunctions with FunctionVersion other than ALL",
    call: (lambda) => lambda.send(new ListFunctionsCommand({ FunctionVersion: "invalid" as "ALL" })),
    name: "ValidationException",
    status: 400,
    message:
      "1 validation error detected: Value 'invalid' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]",
  },
  {
    title: "ListFunctions with MaxItems 0",
    call: (lambda) => lambda.send(new ListFunctionsCommand({ MaxItems: 0 })),
    name: "ValidationException",
    status: 400,
    message: /Member must have value greater than or equal to 1/,
  },
  {
    title: "UpdateFunctionConfiguration with 64 MB",
    call: (lambda) =>
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "auth-token-validator", MemorySize: 64 })),
    name: "ValidationException",
    status: 400,
    message:
      "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
  },
  {
    title: "UpdateFunctionConfiguration with 10,241 MB",
    call: (lambda) =>
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "auth-token-validator", MemorySize: 10241 })),
    name: "ValidationException",
    status: 400,
  },
  {
    title: "UpdateFunctionConfiguration with an unknown runtime (wrong case)",
    call: (lambda) =>
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "auth-token-validator",
          Runtime: "PYTHON3.9" as "python3.9",
        }),
      ),
    name: "InvalidParameterValueException",
    status: 400,
    message: /^Value PYTHON3.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set/,
  },
  {
    title: "UpdateFunctionConfiguration to a blocked runtime",
    call: (lambda) =>
      lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: "auth-token-validator", Runtime: "python3.7" }),
      ),
    name: "InvalidParameterValueException",
    status: 400,
    message: /The runtime parameter of python3.7 is no longer supported/,
  },
  {
    title: "UpdateFunctionConfiguration with a stale RevisionId",
    call: (lambda) =>
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "auth-token-validator",
          Timeout: 4,
          RevisionId: "00000000-0000-0000-0000-000000000000",
        }),
      ),
    name: "PreconditionFailedException",
    status: 412,
    message: /The Revision Id provided does not match the latest Revision Id/,
  },
  {
    title: "UpdateFunctionConfiguration with Timeout 0",
    call: (lambda) =>
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "auth-token-validator", Timeout: 0 })),
    name: "ValidationException",
    status: 400,
  },
  {
    title: "CreateAlias with an all-digit name",
    call: (lambda) => lambda.send(new CreateAliasCommand({ FunctionName: MAIN, Name: "2024", FunctionVersion: "1" })),
    name: "ValidationException",
    status: 400,
    message:
      "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
  },
  {
    title: "CreateAlias that already exists",
    call: (lambda) => lambda.send(new CreateAliasCommand({ FunctionName: MAIN, Name: "live", FunctionVersion: "1" })),
    name: "ResourceConflictException",
    status: 409,
    message: `Alias already exists: ${ARN}:${MAIN}:live`,
  },
  {
    title: "CreateAlias with two extra routing versions",
    call: (lambda) =>
      lambda.send(
        new CreateAliasCommand({
          FunctionName: MAIN,
          Name: "canary",
          FunctionVersion: "3",
          RoutingConfig: { AdditionalVersionWeights: { "1": 0.1, "2": 0.1 } },
        }),
      ),
    name: "InvalidParameterValueException",
    status: 400,
    message: "Number of items in AdditionalVersionWeights cannot be greater than 1",
  },
  {
    title: "CreateAlias routing on $LATEST",
    call: (lambda) =>
      lambda.send(
        new CreateAliasCommand({
          FunctionName: MAIN,
          Name: "canary",
          FunctionVersion: "$LATEST",
          RoutingConfig: { AdditionalVersionWeights: { "1": 0.1 } },
        }),
      ),
    name: "InvalidParameterValueException",
    status: 400,
    message: "$LATEST is not supported for an alias pointing to more than 1 version",
  },
  {
    title: "GetAlias on a missing alias",
    call: (lambda) => lambda.send(new GetAliasCommand({ FunctionName: MAIN, Name: "nope" })),
    name: "ResourceNotFoundException",
    status: 404,
    message: `Cannot find alias arn: ${ARN}:${MAIN}:nope`,
  },
  {
    title: "UpdateAlias on a missing alias",
    call: (lambda) => lambda.send(new UpdateAliasCommand({ FunctionName: MAIN, Name: "nope", FunctionVersion: "1" })),
    name: "ResourceNotFoundException",
    status: 404,
    message: `Alias not found: ${ARN}:${MAIN}:nope`,
  },
  {
    title: "UpdateAlias with a stale RevisionId",
    call: (lambda) =>
      lambda.send(
        new UpdateAliasCommand({ FunctionName: MAIN, Name: "live", FunctionVersion: "13", RevisionId: "stale" }),
      ),
    name: "PreconditionFailedException",
    status: 412,
  },
  {
    title: "PutProvisionedConcurrencyConfig on $LATEST",
    call: (lambda) =>
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: MAIN,
          Qualifier: "$LATEST",
          ProvisionedConcurrentExecutions: 5,
        }),
      ),
    name: "InvalidParameterValueException",
    status: 400,
    message: "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
  },
  {
    title: "PutProvisionedConcurrencyConfig on an alias pointing at $LATEST",
    call: async (lambda) => {
      await lambda.send(
        new CreateAliasCommand({
          FunctionName: "update-user-settings",
          Name: "latest-alias",
          FunctionVersion: "$LATEST",
        }),
      );
      return lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: "update-user-settings",
          Qualifier: "latest-alias",
          ProvisionedConcurrentExecutions: 2,
        }),
      );
    },
    name: "InvalidParameterValueException",
    status: 400,
    message: "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
  },
  {
    title: "PutProvisionedConcurrencyConfig with 0",
    call: (lambda) =>
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: MAIN,
          Qualifier: "live",
          ProvisionedConcurrentExecutions: 0,
        }),
      ),
    name: "ValidationException",
    status: 400,
    message:
      "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1",
  },
  {
    title: "PutProvisionedConcurrencyConfig on a missing alias",
    call: (lambda) =>
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: MAIN,
          Qualifier: "nope",
          ProvisionedConcurrentExecutions: 5,
        }),
      ),
    name: "ResourceNotFoundException",
    status: 404,
    message: `Cannot find alias arn: ${ARN}:${MAIN}:nope`,
  },
  {
    title: "PutProvisionedConcurrencyConfig on a missing version",
    call: (lambda) =>
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: MAIN,
          Qualifier: "99",
          ProvisionedConcurrentExecutions: 5,
        }),
      ),
    name: "ResourceNotFoundException",
    status: 404,
    message: `Function not found: ${ARN}:${MAIN}:99`,
  },
  {
    title: "PutProvisionedConcurrencyConfig beyond the unreserved floor of 100",
    call: (lambda) =>
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: MAIN,
          Qualifier: "live",
          ProvisionedConcurrentExecutions: 900,
        }),
      ),
    name: "InvalidParameterValueException",
    status: 400,
    message:
      "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
  },
  {
    title: "PutProvisionedConcurrencyConfig on the version a provisioned alias points to",
    call: (lambda) =>
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: "get-user-profile",
          Qualifier: "31",
          ProvisionedConcurrentExecutions: 2,
        }),
      ),
    name: "ResourceConflictException",
    status: 409,
    message: "Version is pointed by a Provisioned Concurrency alias",
  },
  {
    title: "GetProvisionedConcurrencyConfig on $LATEST",
    call: (lambda) =>
      lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: MAIN, Qualifier: "$LATEST" })),
    name: "InvalidParameterValueException",
    status: 400,
    message: "The function resource provided must be an alias or a published version.",
  },
  {
    title: "GetProvisionedConcurrencyConfig where none exists",
    call: (lambda) => lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: MAIN, Qualifier: "1" })),
    name: "ProvisionedConcurrencyConfigNotFoundException",
    status: 404,
    message: "No Provisioned Concurrency Config found for this function",
  },
  {
    title: "DeleteProvisionedConcurrencyConfig on $LATEST",
    call: (lambda) =>
      lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: MAIN, Qualifier: "$LATEST" })),
    name: "InvalidParameterValueException",
    status: 400,
  },
  {
    title: "ListProvisionedConcurrencyConfigs with MaxItems 51",
    call: (lambda) => lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: MAIN, MaxItems: 51 })),
    name: "ValidationException",
    status: 400,
  },
  {
    title: "ListProvisionedConcurrencyConfigs on a missing function",
    call: (lambda) => lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "nope" })),
    name: "ResourceNotFoundException",
    status: 404,
    message: `Function not found: ${ARN}:nope`,
  },
  {
    title: "PublishVersion with a wrong CodeSha256",
    call: (lambda) =>
      lambda.send(new PublishVersionCommand({ FunctionName: "send-notification", CodeSha256: "wrong" })),
    name: "InvalidParameterValueException",
    status: 400,
    message: /^CodeSHA256 \(wrong\) is different from current CodeSHA256 in \$LATEST/,
  },
  {
    title: "ListFunctions with an invalid Marker",
    call: (lambda) => lambda.send(new ListFunctionsCommand({ Marker: "not-a-marker" })),
    name: "InvalidParameterValueException",
    status: 400,
  },
];

describe.each(TRANSPORTS)("Lambda over the real SDK (%s)", (transport) => {
  let harness: SandboxHarness;
  beforeAll(async () => {
    harness = await createHarness(transport);
  });
  afterAll(async () => {
    await harness.close();
  });

  it.each(NEGATIVE_CASES)("refuses $title", async ({ call, name, status, message }) => {
    const failure = await captureError(() => call(harness.lambda));
    expect(failure.name).toBe(name);
    expect(failure.status).toBe(status);
    if (typeof message === "string") expect(failure.message).toBe(message);
    else if (message) expect(failure.message).toMatch(message);
  });

  it("lists the seeded functions without State/LastUpdateStatus, 50 at most per page", async () => {
    const page = await harness.lambda.send(new ListFunctionsCommand({ MaxItems: 1000 }));
    const names = (page.Functions ?? []).map((fn) => fn.FunctionName);
    expect(names).toContain(MAIN);
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(names.length).toBeLessThanOrEqual(50);
    const main = page.Functions?.find((fn) => fn.FunctionName === MAIN);
    expect(main).toMatchObject({ Runtime: "python3.9", MemorySize: 512, Timeout: 5, PackageType: "Zip" });
    expect(main?.State).toBeUndefined();
    expect(main?.LastUpdateStatus).toBeUndefined();
  });

  it("paginates ListFunctions with Marker/NextMarker", async () => {
    const seen: string[] = [];
    for await (const page of paginateListFunctions({ client: harness.lambda, pageSize: 2 }, {})) {
      expect((page.Functions ?? []).length).toBeLessThanOrEqual(2);
      seen.push(...(page.Functions ?? []).map((fn) => fn.FunctionName as string));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(MAIN);
    const all = await harness.lambda.send(new ListFunctionsCommand({ FunctionVersion: "ALL" }));
    expect((all.Functions ?? []).some((fn) => fn.Version === "14" && fn.FunctionName === MAIN)).toBe(true);
  });

  it("GetFunction resolves the alias and reports the story's configuration", async () => {
    const result = await harness.lambda.send(new GetFunctionCommand({ FunctionName: MAIN, Qualifier: "live" }));
    expect(result.Configuration).toMatchObject({
      FunctionArn: `${ARN}:${MAIN}:14`,
      Version: "14",
      Runtime: "python3.9",
      MemorySize: 512,
      State: "Active",
      LastUpdateStatus: "Successful",
      SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
    });
    expect(result.Configuration?.Layers?.[0]?.Arn).toMatch(/layer:pandas/);
    const byArn = await harness.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${ARN}:${MAIN}` }));
    expect(byArn.FunctionName).toBe(MAIN);
    expect(byArn.Version).toBe("$LATEST");
  });

  it("UpdateFunctionConfiguration: InProgress with a new RevisionId, 409 meanwhile, then Successful with another RevisionId", async () => {
    const before = await harness.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "update-user-settings" }),
    );
    const updated = await harness.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: "update-user-settings",
        MemorySize: 1024,
        RevisionId: before.RevisionId,
      }),
    );
    expect(updated.LastUpdateStatus).toBe("InProgress");
    expect(updated.LastUpdateStatusReasonCode).toBe("Creating");
    expect(updated.MemorySize).toBe(1024);
    expect(updated.RevisionId).not.toBe(before.RevisionId);

    const conflict = await captureError(() =>
      harness.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "update-user-settings", Timeout: 8 })),
    );
    expect(conflict.name).toBe("ResourceConflictException");
    expect(conflict.status).toBe(409);
    expect(conflict.message).toBe(
      `The operation cannot be performed at this time. An update is in progress for resource: ${ARN}:update-user-settings`,
    );
    const publishConflict = await captureError(() =>
      harness.lambda.send(new PublishVersionCommand({ FunctionName: "update-user-settings" })),
    );
    expect(publishConflict.status).toBe(409);

    await harness.sandbox.advance(6_000);
    const after = await harness.lambda.send(new GetFunctionCommand({ FunctionName: "update-user-settings" }));
    expect(after.Configuration?.LastUpdateStatus).toBe("Successful");
    expect(after.Configuration?.LastUpdateStatusReason).toBeUndefined();
    expect(after.Configuration?.RevisionId).not.toBe(updated.RevisionId);
    expect(after.Configuration?.MemorySize).toBe(1024);
  });

  it("publishes versions (201), returns the same version when nothing changed, and moves an alias", async () => {
    await harness.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "send-notification", Description: "v2 of the notifier" }),
    );
    await harness.sandbox.advance(6_000);
    const published = await harness.lambda.send(new PublishVersionCommand({ FunctionName: "send-notification" }));
    expect(published.$metadata.httpStatusCode).toBe(201);
    expect(published.Version).toBe("1");
    expect(published.FunctionArn).toBe(`${ARN}:send-notification:1`);
    const again = await harness.lambda.send(new PublishVersionCommand({ FunctionName: "send-notification" }));
    expect(again.Version).toBe("1");
    const versions = await harness.lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: "send-notification" }),
    );
    expect((versions.Versions ?? []).map((version) => version.Version)).toEqual(["$LATEST", "1"]);

    const created = await harness.lambda.send(
      new CreateAliasCommand({ FunctionName: "send-notification", Name: "prod", FunctionVersion: "1" }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.AliasArn).toBe(`${ARN}:send-notification:prod`);
    const aliases = await harness.lambda.send(new ListAliasesCommand({ FunctionName: "send-notification" }));
    expect((aliases.Aliases ?? []).map((alias) => alias.Name)).toEqual(["prod"]);
    const removed = await harness.lambda.send(
      new DeleteAliasCommand({ FunctionName: "send-notification", Name: "prod" }),
    );
    expect(removed.$metadata.httpStatusCode).toBe(204);
  });

  it("provisioned concurrency: 202 IN_PROGRESS with nothing allocated, ramping to READY; moving the alias re-provisions", async () => {
    const put = await harness.lambda.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: MAIN,
        Qualifier: "live",
        ProvisionedConcurrentExecutions: 40,
      }),
    );
    expect(put.$metadata.httpStatusCode).toBe(202);
    expect(put).toMatchObject({
      Status: "IN_PROGRESS",
      RequestedProvisionedConcurrentExecutions: 40,
      AllocatedProvisionedConcurrentExecutions: 0,
      AvailableProvisionedConcurrentExecutions: 0,
    });
    expect(put.StatusReason).toBeUndefined();

    await harness.sandbox.advance(60_000);
    const halfway = await harness.lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: MAIN, Qualifier: "live" }),
    );
    expect(halfway.Status).toBe("IN_PROGRESS");
    expect(halfway.AllocatedProvisionedConcurrentExecutions).toBeGreaterThan(0);
    expect(halfway.AllocatedProvisionedConcurrentExecutions).toBeLessThan(40);

    await harness.sandbox.advance(61_000);
    const ready = await harness.lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: MAIN, Qualifier: "live" }),
    );
    expect(ready).toMatchObject({
      Status: "READY",
      AllocatedProvisionedConcurrentExecutions: 40,
      AvailableProvisionedConcurrentExecutions: 40,
    });

    const onVersion = await captureError(() =>
      harness.lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: MAIN,
          Qualifier: "14",
          ProvisionedConcurrentExecutions: 1,
        }),
      ),
    );
    expect(onVersion.name).toBe("ResourceConflictException");
    expect(onVersion.status).toBe(409);

    const alias = await harness.lambda.send(new GetAliasCommand({ FunctionName: MAIN, Name: "live" }));
    await harness.lambda.send(
      new UpdateAliasCommand({ FunctionName: MAIN, Name: "live", FunctionVersion: "13", RevisionId: alias.RevisionId }),
    );
    const moved = await harness.lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: MAIN, Qualifier: "live" }),
    );
    expect(moved.Status).toBe("IN_PROGRESS");

    const list = await harness.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: MAIN }));
    expect(list.ProvisionedConcurrencyConfigs?.map((config) => config.FunctionArn)).toEqual([`${ARN}:${MAIN}:live`]);
    const settings = await harness.lambda.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit?.ConcurrentExecutions).toBe(1000);
    // 40 here + 10 on get-user-profile:live + 5 reserved for send-notification.
    expect(settings.AccountLimit?.UnreservedConcurrentExecutions).toBe(945);

    const deleted = await harness.lambda.send(
      new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: MAIN, Qualifier: "live" }),
    );
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const deletedAgain = await harness.lambda.send(
      new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: MAIN, Qualifier: "live" }),
    );
    expect(deletedAgain.$metadata.httpStatusCode).toBe(204);
  });

  it("Invoke with LogType Tail returns a base64 log tail with START/END/REPORT lines", async () => {
    const result = await harness.lambda.send(
      new InvokeCommand({
        FunctionName: "auth-token-validator",
        LogType: "Tail",
        Payload: new TextEncoder().encode('{"token":"x"}'),
      }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.ExecutedVersion).toBe("$LATEST");
    const log = Buffer.from(result.LogResult ?? "", "base64").toString("utf8");
    expect(log).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(log).toMatch(/\nEND RequestId: /);
    expect(log).toMatch(
      /REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\t/,
    );
    // The first call of an idle qualifier is a cold start.
    expect(log).toMatch(/Init Duration: \d+\.\d{2} ms/);
    const payload = JSON.parse(new TextDecoder().decode(result.Payload)) as { statusCode: number };
    expect(payload.statusCode).toBe(200);

    const warm = await harness.lambda.send(
      new InvokeCommand({ FunctionName: "auth-token-validator", LogType: "Tail" }),
    );
    expect(Buffer.from(warm.LogResult ?? "", "base64").toString("utf8")).not.toMatch(/Init Duration/);
    const event = await harness.lambda.send(
      new InvokeCommand({ FunctionName: "auth-token-validator", InvocationType: "Event" }),
    );
    expect(event.StatusCode).toBe(202);
  });
});
