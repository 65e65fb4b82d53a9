import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOptimized, optimizedBundlePath, type PackageSize } from "../../build.js";
import { seed } from "../../db/seed-data.js";
import { httpApiEvent } from "../support/events.js";
import { startLambdaProcess } from "../support/lambda-process.js";
import { createTestDatabase, machinePostgres, type TestDatabase } from "../support/postgres.js";
import { s3rverCredentials, startS3Server, type TestS3 } from "../support/s3-server.js";
import { deleteKeys, machineRedisUrl, uniqueKeyPrefix } from "../support/test-environment.js";

// The packaging itself under test: the minified ESM bundle, run by plain node in its own process
// against the real PostgreSQL, Redis and s3rver, the way the Lambda runtime would load it.
let database: TestDatabase;
let s3: TestS3;
let size: PackageSize;
const keyPrefix = uniqueKeyPrefix("bundle");

beforeAll(async () => {
  [database, s3, size] = await Promise.all([createTestDatabase("bundle"), startS3Server(), buildOptimized()]);
  await seed(database.client, {
    now: new Date(),
    spanDays: 5,
    users: [{ id: "alice", email: "a@example.com", records: 25 }],
  });
});

afterAll(async () => {
  await Promise.all([database?.drop(), s3?.stop(), deleteKeys(keyPrefix)]);
});

function bundleEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: "process-user-request-test",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    DB_HOST: machinePostgres.host,
    DB_PORT: String(machinePostgres.port),
    DB_USER: machinePostgres.user,
    DB_NAME: database.name,
    DB_AUTH: "none",
    DB_TLS: "disable",
    REDIS_URL: machineRedisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    EXPORT_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: "true",
    ...extra,
  };
}

describe("Bundle: dist/lambda/index.mjs", () => {
  it("fits the 1 MiB zipped goal", () => {
    expect(size.zippedBytes).toBeLessThanOrEqual(1024 * 1024);
  });

  it("loads as ESM in a fresh node process and serves invocations, cold then warm, with EMF lines", async () => {
    const environment = await startLambdaProcess(optimizedBundlePath, bundleEnvironment());
    try {
      const first = await environment.invoke(httpApiEvent({ subject: "alice" }), "req-1");
      const second = await environment.invoke(httpApiEvent({ subject: "alice" }), "req-2");
      const missing = await environment.invoke(httpApiEvent({ subject: "nobody" }), "req-3");
      expect(first.response.statusCode).toBe(200);
      expect(JSON.parse(first.response.body ?? "{}").rows).toBe(25);
      expect(second.response.statusCode).toBe(200);
      expect(missing.response.statusCode).toBe(404);
      expect(await environment.stats()).toEqual({ connectionsOpened: 1, queries: 4 });

      const lines = environment.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(3);
      expect(lines.map((line) => line.requestId)).toEqual(["req-1", "req-2", "req-3"]);
      expect(lines[0]).toMatchObject({
        coldStart: true,
        ColdStart: 1,
        cache: "miss",
        FunctionName: "process-user-request-test",
      });
      expect(typeof lines[0]?.InitDuration).toBe("number");
      expect(lines[1]).toMatchObject({ coldStart: false, ColdStart: 0, cache: "hit", CacheHit: 1 });
      expect(lines[1]?.InitDuration).toBeUndefined();
      for (const line of lines)
        expect((line._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]?.Namespace).toBe(
          "Phoenix",
        );
    } finally {
      await environment.stop();
    }
  });

  it("stops at init with the names of invalid variables", async () => {
    await expect(
      startLambdaProcess(optimizedBundlePath, bundleEnvironment({ DB_HOST: "", EXPORT_BUCKET: "" })),
    ).rejects.toThrow(/DB_HOST.*EXPORT_BUCKET|EXPORT_BUCKET.*DB_HOST/s);
  });

  it("does not count a provisioned-concurrency environment's first request as a cold start", async () => {
    const environment = await startLambdaProcess(
      optimizedBundlePath,
      bundleEnvironment({ AWS_LAMBDA_INITIALIZATION_TYPE: "provisioned-concurrency" }),
    );
    try {
      await environment.invoke(httpApiEvent({ subject: "alice" }), "req-pc");
      expect(JSON.parse(environment.lines[0] ?? "{}")).toMatchObject({ coldStart: false, ColdStart: 0 });
    } finally {
      await environment.stop();
    }
  });
});
