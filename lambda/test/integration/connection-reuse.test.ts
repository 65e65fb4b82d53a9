import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed } from "../../db/seed-data.js";
import { httpApiEvent, invocationContext } from "../support/events.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { startS3Server, type TestS3 } from "../support/s3-server.js";
import { createTestEnvironment, deleteKeys, machineRedisUrl, uniqueKeyPrefix } from "../support/test-environment.js";

// Real PostgreSQL (the machine's), Redis and s3rver; the server's own pg_stat_activity is the witness.
let database: TestDatabase;
let s3: TestS3;
const keyPrefix = uniqueKeyPrefix("reuse");

beforeAll(async () => {
  [database, s3] = await Promise.all([createTestDatabase("reuse"), startS3Server()]);
  await seed(database.client, {
    now: new Date(),
    spanDays: 5,
    users: [{ id: "alice", email: "a@example.com", records: 3 }],
  });
});

afterAll(async () => {
  await Promise.all([database?.drop(), s3?.stop(), deleteKeys(keyPrefix)]);
});

async function backendsOf(applicationName: string): Promise<number[]> {
  const result = await database.client.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
    [applicationName],
  );
  return result.rows.map((row) => row.pid);
}

function environmentNamed(applicationName: string, extra: Record<string, string> = {}) {
  return createTestEnvironment({
    DB_NAME: database.name,
    DB_APPLICATION_NAME: applicationName,
    REDIS_URL: machineRedisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    EXPORT_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    ...extra,
  });
}

describe("Connections: one per execution environment", () => {
  it("serves 1,000 invocations over exactly one database connection", async () => {
    const environment = environmentNamed("reuse-thousand");
    try {
      const seenBackends = new Set<number>();
      for (let index = 0; index < 1000; index++) {
        const response = await environment.handler(httpApiEvent({ subject: "alice" }), invocationContext());
        expect(response.statusCode).toBe(200);
        if (index % 100 === 0) for (const pid of await backendsOf("reuse-thousand")) seenBackends.add(pid);
      }
      expect(environment.db.stats.connectionsOpened).toBe(1);
      expect(await backendsOf("reuse-thousand")).toHaveLength(1);
      expect(seenBackends.size).toBe(1);
      // The configuration came from the cache after the first request: 1 config read + 1,000 record
      // reads. On a machine loaded enough for a Redis lookup to pass its 100 ms timeout, that
      // invocation degrades to the database (cache "error", by design), so those are counted too.
      const outcomes = environment.lines.map((line) => line.cache);
      expect(outcomes[0]).toBe("miss");
      expect(outcomes.filter((outcome) => outcome === "miss")).toHaveLength(1);
      const degraded = outcomes.filter((outcome) => outcome === "error").length;
      expect(outcomes.filter((outcome) => outcome === "hit")).toHaveLength(999 - degraded);
      expect(environment.db.stats.queries).toBe(1001 + degraded);
    } finally {
      await environment.close();
    }
  });

  it("keeps to one connection when invocations overlap", async () => {
    const environment = environmentNamed("reuse-overlap");
    try {
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => environment.handler(httpApiEvent({ subject: "alice" }), invocationContext())),
      );
      expect(responses.every((response) => response.statusCode === 200)).toBe(true);
      expect(environment.db.stats.connectionsOpened).toBe(1);
      expect(await backendsOf("reuse-overlap")).toHaveLength(1);
    } finally {
      await environment.close();
    }
  });

  it("replaces a connection killed by pg_terminate_backend on the next invocation, without failing it", async () => {
    const environment = environmentNamed("reuse-killed");
    try {
      expect((await environment.handler(httpApiEvent({ subject: "alice" }), invocationContext())).statusCode).toBe(200);
      const [killed] = await backendsOf("reuse-killed");
      await database.client.query("SELECT pg_terminate_backend($1)", [killed]);
      const afterKill = await environment.handler(httpApiEvent({ subject: "alice" }), invocationContext());
      expect(afterKill.statusCode).toBe(200);
      const backends = await backendsOf("reuse-killed");
      expect(backends).toHaveLength(1);
      expect(backends[0]).not.toBe(killed);
      expect(environment.db.stats.connectionsOpened).toBe(2);
    } finally {
      await environment.close();
    }
  });

  it("replaces a connection killed while the environment was busy, mid-invocation", async () => {
    const environment = environmentNamed("reuse-killed-busy");
    try {
      await environment.handler(httpApiEvent({ subject: "alice" }), invocationContext());
      const [killed] = await backendsOf("reuse-killed-busy");
      // Kill it and invoke at once, so the handler's query may meet the dying connection before its 'error' event.
      const [, response] = await Promise.all([
        database.client.query("SELECT pg_terminate_backend($1)", [killed]),
        environment.handler(httpApiEvent({ subject: "alice" }), invocationContext()),
      ]);
      expect(response.statusCode).toBe(200);
      expect((await environment.handler(httpApiEvent({ subject: "alice" }), invocationContext())).statusCode).toBe(200);
    } finally {
      await environment.close();
    }
  });

  it("cancels a statement that runs past the statement timeout and answers 503", async () => {
    const environment = environmentNamed("reuse-timeout", { DB_STATEMENT_TIMEOUT_MS: "100" });
    try {
      // A lock held by another session makes the handler's read wait past its statement timeout.
      await database.client.query("BEGIN");
      await database.client.query("LOCK TABLE user_records IN ACCESS EXCLUSIVE MODE");
      const response = await environment.handler(httpApiEvent({ subject: "alice" }), invocationContext());
      await database.client.query("ROLLBACK");
      expect(response.statusCode).toBe(503);
      expect(environment.lines.at(-1)).toMatchObject({ error: { code: "DATABASE_UNAVAILABLE" } });
      const error = environment.lines.at(-1)?.error as { message?: string } | undefined;
      expect(error?.message).toMatch(/statement timeout/);
      // The connection survives a cancelled statement and serves the next request.
      expect((await environment.handler(httpApiEvent({ subject: "alice" }), invocationContext())).statusCode).toBe(200);
      expect(environment.db.stats.connectionsOpened).toBe(1);
    } finally {
      await database.client.query("ROLLBACK").catch(() => {});
      await environment.close();
    }
  });
});
