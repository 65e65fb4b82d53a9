import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeSandboxPersistence } from "@/lib/db/sandbox-state";
import { createSandbox, ManualClock } from "@/lib/sandbox";
import { storeKinds, type TestStore } from "@/tests/support/stores";

const credentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "not-a-secret" };

function lambdaFor(sandbox: ReturnType<typeof createSandbox>) {
  return new LambdaClient({ region: "us-east-1", credentials, maxAttempts: 1, requestHandler: sandbox.requestHandler });
}

describe.each(storeKinds)("sandbox state in the %s store", (_dialect, open) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it("survives a restart: a change made through the API is there in a new sandbox on the same store", async () => {
    // Prepare
    const clock = new ManualClock("2026-12-01T15:00:00Z");
    const first = createSandbox({ clock, persistence: storeSandboxPersistence(store.db) });
    const before = await lambdaFor(first).send(
      new GetFunctionConfigurationCommand({ FunctionName: "process-user-request" }),
    );
    // Act
    await lambdaFor(first).send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: "process-user-request",
        MemorySize: 1024,
        RevisionId: before.RevisionId,
      }),
    );
    const restarted = createSandbox({ clock, persistence: storeSandboxPersistence(store.db) });
    const after = await lambdaFor(restarted).send(
      new GetFunctionConfigurationCommand({ FunctionName: "process-user-request" }),
    );
    // Assess
    expect(before.MemorySize).toBe(512);
    expect(after.MemorySize).toBe(1024);
    const rows = await store.db.selectFrom("sandbox_state").select("key").execute();
    expect(rows.map((row) => row.key)).toEqual(["123456789012/us-east-1"]);
  });
});
