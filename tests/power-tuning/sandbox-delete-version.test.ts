import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureError, createHarness, type SandboxHarness, TRANSPORTS } from "@/lib/sandbox/testing";

/** DeleteFunction of a published version in the sandbox, as measured on AWS (what power tuning relies on). */
describe.each(TRANSPORTS)("sandbox DeleteFunction of a version (%s)", (transport) => {
  let harness: SandboxHarness;
  const name = "process-user-request";
  beforeAll(async () => {
    harness = await createHarness(transport, { timings: { updateDurationMs: 0 } });
  });
  afterAll(async () => {
    await harness.close();
  });

  async function versions(): Promise<string[]> {
    const output = await harness.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    return (output.Versions ?? []).map((version) => version.Version ?? "");
  }

  it("deletes an unreferenced version, refuses one an alias uses, and $LATEST", async () => {
    await harness.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 640 }));
    const published = await harness.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const version = published.Version ?? "";
    await harness.lambda.send(
      new CreateAliasCommand({ FunctionName: name, Name: "phoenix-tune-640", FunctionVersion: version }),
    );

    const referenced = await captureError(() =>
      harness.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: version })),
    );
    expect(referenced).toMatchObject({
      name: "ResourceConflictException",
      status: 409,
      message: "Unable to delete version because the following aliases reference it: [phoenix-tune-640]",
    });
    const latest = await captureError(() =>
      harness.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: "$LATEST" })),
    );
    expect(latest).toMatchObject({ name: "InvalidParameterValueException", status: 400 });

    await harness.lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: "phoenix-tune-640" }));
    await harness.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: version }));
    expect(await versions()).not.toContain(version);
    // An absent version answers 204 as on AWS.
    await harness.lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: "9999" }));
  });
});
