import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed } from "../../db/seed-data.js";
import { httpApiEvent, invocationContext } from "../support/events.js";
import { s3rverCredentials, startS3Server, type TestS3 } from "../support/s3-server.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../support/throwaway-postgres.js";

// The comparison baseline (never deployed) must really do the old, slow things the benchmark charges
// it for: a new TLS connection and a configuration query on every invocation, polars for the CSV.
let server: ThrowawayPostgres;
let s3: TestS3;
let baseline: typeof import("../../baseline/handler.js");

beforeAll(async () => {
  [server, s3] = await Promise.all([startThrowawayPostgres(), startS3Server()]);
  const admin = await server.admin();
  await seed(admin, {
    now: new Date(),
    spanDays: 5,
    users: [
      {
        id: "alice",
        email: "a@example.com",
        config: {
          columns: ["recorded_at", "amount", "note"],
          timeZone: "Europe/Berlin",
          decimals: 2,
          decimalSeparator: ".",
          retentionDays: 30,
        },
        records: 40,
      },
    ],
  });
  await admin.end();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    DB_HOST: server.host,
    DB_PORT: String(server.port),
    DB_NAME: server.database,
    DB_USER: server.user,
    DB_AUTH: "password",
    DB_PASSWORD: server.password,
    DB_CA_BUNDLE_PATH: server.caPath,
    EXPORT_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: "true",
  });
  // Its configuration is read at import, like the Lambda init phase.
  baseline = await import("../../baseline/handler.js");
});

afterAll(async () => {
  await Promise.all([server?.stop(), s3?.stop()]);
});

describe("Baseline (comparison only)", () => {
  it("exports the same rows, opening a new TLS connection and re-reading the configuration every time", async () => {
    const before = server.countConnections();
    const responses = [];
    for (let index = 0; index < 5; index++)
      responses.push(await baseline.handler(httpApiEvent({ subject: "alice" }), invocationContext()));
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(server.countConnections() - before).toBe(5);
    expect(baseline.baselineStats).toEqual({ connectionsOpened: 5, queries: 10 });

    const body = JSON.parse(responses[0]?.body ?? "{}");
    expect(body.rows).toBe(40);
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: body.key }));
    const csv = (await object.Body?.transformToString()) ?? "";
    expect(csv.split("\n")[0]).toBe("recorded_at,amount,note");
    expect(csv).toMatch(/\+0[12]:00/);
  });

  it("answers 404 for an unknown user", async () => {
    const response = await baseline.handler(httpApiEvent({ subject: "nobody" }), invocationContext());
    expect(response.statusCode).toBe(404);
  });
});
