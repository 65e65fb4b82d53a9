import { GetObjectCommand } from "@aws-sdk/client-s3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed } from "../../db/seed-data.js";
import { httpApiEvent, invocationContext } from "../support/events.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { startS3Server, type TestS3 } from "../support/s3-server.js";
import {
  createTestEnvironment,
  deleteKeys,
  machineRedisUrl,
  type TestEnvironment,
  uniqueKeyPrefix,
} from "../support/test-environment.js";

// Real servers: the machine's PostgreSQL and Redis, and s3rver on a local port.
let database: TestDatabase;
let s3: TestS3;
let environment: TestEnvironment;
const keyPrefix = uniqueKeyPrefix("handler");
const now = new Date();

beforeAll(async () => {
  [database, s3] = await Promise.all([createTestDatabase("handler"), startS3Server()]);
  await seed(database.client, {
    now,
    spanDays: 60,
    users: [
      {
        id: "berlin",
        email: "b@example.com",
        config: {
          columns: ["recorded_at", "amount", "note"],
          timeZone: "Europe/Berlin",
          decimals: 2,
          decimalSeparator: ",",
          retentionDays: 30,
        },
        records: 300,
      },
      { id: "defaults", email: "d@example.com", records: 20 },
      { id: "empty", email: "e@example.com", records: 0 },
      {
        id: "bulk",
        email: "bulk@example.com",
        config: {
          columns: ["record_id", "recorded_at", "event_type", "amount", "currency", "status", "note"],
          timeZone: "UTC",
          decimals: 4,
          decimalSeparator: ".",
          retentionDays: 3650,
        },
        records: 80_000,
      },
    ],
  });
  environment = createTestEnvironment({
    DB_NAME: database.name,
    REDIS_URL: machineRedisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    EXPORT_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    DB_PAGE_ROWS: "5000",
  });
});

afterAll(async () => {
  await environment?.close();
  await Promise.all([database?.drop(), s3?.stop(), deleteKeys(keyPrefix)]);
});

async function download(key: string): Promise<string> {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return (await object.Body?.transformToString("utf-8")) ?? "";
}

function bodyOf(response: { body?: string }): Record<string, unknown> {
  return JSON.parse(response.body ?? "{}") as Record<string, unknown>;
}

describe("Handler: process-user-request (real PostgreSQL, Redis and S3)", () => {
  it("exports the user's recent records as CSV in their configuration, with a working download link", async () => {
    // Prepare
    const expected = await database.client.query<{ recorded_at: Date; amount: string; note: string | null }>(
      "SELECT recorded_at, round(amount, 2)::text AS amount, note FROM user_records WHERE user_id = 'berlin' AND recorded_at >= $1 ORDER BY recorded_at DESC, id DESC",
      [new Date(now.getTime() - 30 * 86_400_000)],
    );
    // Act
    const response = await environment.handler(httpApiEvent({ subject: "berlin" }), invocationContext());
    // Assess
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(body.rows).toBe(expected.rowCount);
    expect(body.key).toMatch(/^exports\/berlin\/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-f-]+\.csv$/);
    const csv = await download(body.key as string);
    const records = parse(csv, { record_delimiter: "\r\n" }) as string[][];
    expect(records[0]).toEqual(["recorded_at", "amount", "note"]);
    expect(records).toHaveLength(expected.rows.length + 1);
    const first = expected.rows[0];
    expect(records[1]?.[1]).toBe(first?.amount.replace(".", ","));
    expect(records[1]?.[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
    // Notes seeded with formula-like text arrive neutralised.
    expect(records.flat().some((cell) => cell.startsWith("=") || cell.startsWith("@"))).toBe(false);
    const downloaded = await fetch(body.downloadUrl as string);
    expect(downloaded.status).toBe(200);
    expect(await downloaded.text()).toBe(csv);
  });

  it("narrows the window with ?days and never widens it beyond retention", async () => {
    const count = async (days: number) =>
      Number(
        (
          await database.client.query(
            "SELECT count(*) FROM user_records WHERE user_id = 'berlin' AND recorded_at >= $1",
            [new Date(Date.now() - days * 86_400_000)],
          )
        ).rows[0].count,
      );
    const narrow = bodyOf(
      await environment.handler(httpApiEvent({ subject: "berlin", query: { days: "5" } }), invocationContext()),
    );
    const wide = bodyOf(
      await environment.handler(httpApiEvent({ subject: "berlin", query: { days: "365" } }), invocationContext()),
    );
    expect(narrow.rows).toBe(await count(5));
    expect(wide.rows).toBe(await count(30));
  });

  it("uses the default configuration for a user who never saved one, and exports an empty file for no records", async () => {
    const defaults = await environment.handler(httpApiEvent({ pathUserId: "defaults" }), invocationContext());
    expect(defaults.statusCode).toBe(200);
    const header = (await download(bodyOf(defaults).key as string)).split("\r\n")[0];
    expect(header).toBe("recorded_at,event_type,amount,currency,status");
    const empty = await environment.handler(httpApiEvent({ pathUserId: "empty" }), invocationContext());
    expect(bodyOf(empty).rows).toBe(0);
    expect(await download(bodyOf(empty).key as string)).toBe("recorded_at,event_type,amount,currency,status\r\n");
  });

  it("streams a large export through several pages and a multipart upload", async () => {
    const commands: string[] = [];
    environment.s3.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(context.commandName ?? "");
        return next(args);
      },
      { step: "initialize", name: "recordCommands" },
    );
    const response = await environment.handler(httpApiEvent({ subject: "bulk" }), invocationContext());
    environment.s3.middlewareStack.remove("recordCommands");
    expect(response.statusCode).toBe(200);
    const body = bodyOf(response);
    expect(body.rows).toBe(80_000);
    const csv = await download(body.key as string);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(5 * 1024 * 1024);
    expect(commands).toContain("CreateMultipartUploadCommand");
    expect(commands.filter((name) => name === "UploadPartCommand").length).toBeGreaterThanOrEqual(2);
    expect(commands).toContain("CompleteMultipartUploadCommand");
    const records = parse(csv, { record_delimiter: "\r\n" }) as string[][];
    expect(records).toHaveLength(80_001);
    const ids = records.slice(1).map((record) => record[0]);
    expect(new Set(ids).size).toBe(80_000);
    const line = environment.lines.at(-1);
    expect(line?.dbQueries).toBeGreaterThanOrEqual(16);
  });

  it("answers 404 for an unknown user, 400 for bad input and 403 for someone else's records, with no internals", async () => {
    const unknown = await environment.handler(httpApiEvent({ subject: "nobody" }), invocationContext());
    expect(unknown.statusCode).toBe(404);
    expect(bodyOf(unknown)).toMatchObject({ error: { code: "USER_NOT_FOUND", message: "No such user." } });
    const bad = await environment.handler({ version: "1.0" }, invocationContext());
    expect(bad.statusCode).toBe(400);
    const forbidden = await environment.handler(
      httpApiEvent({ subject: "berlin", pathUserId: "defaults" }),
      invocationContext(),
    );
    expect(forbidden.statusCode).toBe(403);
    for (const response of [unknown, bad, forbidden]) {
      expect(response.body).not.toMatch(/at .*\.(ts|js|mjs):\d+|SELECT|postgres|ECONN/i);
    }
  });

  it("writes one structured line per invocation with the cache outcome and timings", async () => {
    const before = environment.lines.length;
    await environment.handler(httpApiEvent({ subject: "berlin" }), invocationContext());
    const added = environment.lines.slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      coldStart: false,
      cache: "hit",
      statusCode: 200,
      FunctionName: "process-user-request",
      CacheHit: 1,
    });
    expect(typeof added[0]?.DbMs).toBe("number");
    expect(typeof added[0]?.S3Ms).toBe("number");
    expect(environment.lines[0]).toMatchObject({ coldStart: true, ColdStart: 1, InitDuration: 12.5 });
  });
});

describe("Handler: dependencies down", () => {
  it("answers 503 with a retry hint when the database is unreachable", async () => {
    const broken = createTestEnvironment({
      DB_NAME: database.name,
      DB_PORT: "1",
      DB_CONNECT_TIMEOUT_MS: "500",
      EXPORT_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
    });
    try {
      const response = await broken.handler(httpApiEvent({ subject: "berlin" }), invocationContext());
      expect(response.statusCode).toBe(503);
      expect(response.headers?.["retry-after"]).toBe("1");
      expect(bodyOf(response)).toMatchObject({ error: { code: "DATABASE_UNAVAILABLE", retryAfterSeconds: 1 } });
      expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      expect(broken.lines[0]).toMatchObject({ level: "ERROR", error: { code: "DATABASE_UNAVAILABLE" } });
    } finally {
      await broken.close();
    }
  });

  it("answers 503 when the export storage is unreachable", async () => {
    const noStorage = createTestEnvironment({
      DB_NAME: database.name,
      EXPORT_BUCKET: s3.bucket,
      S3_ENDPOINT: "http://127.0.0.1:1",
    });
    try {
      const response = await noStorage.handler(httpApiEvent({ subject: "berlin" }), invocationContext());
      expect(response.statusCode).toBe(503);
      expect(bodyOf(response)).toMatchObject({ error: { code: "STORAGE_UNAVAILABLE" } });
    } finally {
      await noStorage.close();
    }
  });
});
