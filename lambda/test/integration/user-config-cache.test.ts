import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seed } from "../../db/seed-data.js";
import { createPostgresConnection, type PostgresConnection } from "../../src/adapters/postgres-connection.js";
import { createRedisClient } from "../../src/adapters/redis-client.js";
import { createUserConfigCache, type LoadUserConfig, userConfigKeys } from "../../src/adapters/user-config-cache.js";
import { loadUserConfigFromDatabase } from "../../src/adapters/user-store.js";
import { type Config, loadConfig } from "../../src/config.js";
import { startDelayingProxy } from "../support/network.js";
import { createTestDatabase, machinePostgres, type TestDatabase } from "../support/postgres.js";
import { deleteKeys, machineRedisUrl, uniqueKeyPrefix } from "../support/test-environment.js";

// Real Redis (the machine's, under a unique key prefix) and real PostgreSQL behind the cache.
let database: TestDatabase;
let db: PostgresConnection;
let inspector: Redis;
const prefix = uniqueKeyPrefix("cache");
const clients: Redis[] = [];

function settings(overrides: Partial<Config["cache"]> = {}): Config["cache"] {
  const config = loadConfig({
    DB_HOST: "x",
    DB_NAME: "x",
    DB_USER: "x",
    EXPORT_BUCKET: "xxx",
    REDIS_URL: machineRedisUrl,
    REDIS_KEY_PREFIX: prefix,
  });
  return { ...config.cache, ...overrides };
}

function redisFor(cacheSettings: Config["cache"]): Redis {
  const client = createRedisClient(cacheSettings);
  if (client === undefined) throw new Error("no Redis URL");
  clients.push(client);
  return client;
}

/** The real database read, counted. */
function countingLoader() {
  const loader = Object.assign(
    (async (userId: string) => {
      loader.reads++;
      return loadUserConfigFromDatabase(db, userId);
    }) as LoadUserConfig,
    { reads: 0 },
  );
  return loader;
}

beforeAll(async () => {
  database = await createTestDatabase("cache");
  await seed(database.client, {
    now: new Date(),
    spanDays: 1,
    users: [
      {
        id: "alice",
        email: "a@example.com",
        config: {
          columns: ["amount"],
          timeZone: "Europe/Paris",
          decimals: 1,
          decimalSeparator: ".",
          retentionDays: 10,
        },
        records: 0,
      },
    ],
  });
  db = createPostgresConnection(
    loadConfig({
      DB_HOST: machinePostgres.host,
      DB_PORT: String(machinePostgres.port),
      DB_USER: machinePostgres.user,
      DB_NAME: database.name,
      DB_AUTH: "none",
      DB_TLS: "disable",
      EXPORT_BUCKET: "xxx",
    }),
  );
  inspector = new Redis(machineRedisUrl);
});

afterEach(async () => {
  await deleteKeys(prefix);
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  inspector?.disconnect();
  await db?.close();
  await database?.drop();
});

describe("Cache: user configuration in Redis", () => {
  it("misses once, then hits without touching the database", async () => {
    const cache = createUserConfigCache({ redis: redisFor(settings()), settings: settings() });
    const load = countingLoader();
    const first = await cache.lookup("alice", load);
    const second = await cache.lookup("alice", load);
    expect(first.cache).toBe("miss");
    expect(second.cache).toBe("hit");
    expect(second.lookup).toEqual({
      found: true,
      config: {
        columns: ["amount"],
        timeZone: "Europe/Paris",
        numberFormat: { decimals: 1, decimalSeparator: "." },
        retentionDays: 10,
      },
    });
    expect(load.reads).toBe(1);
  });

  it("stores values with the TTL plus or minus the jitter", async () => {
    const ttlSettings = settings({ ttlSeconds: 100, jitterRatio: 0.2 });
    const ttls: number[] = [];
    for (const random of [0, 1]) {
      await deleteKeys(prefix);
      await createUserConfigCache({ redis: redisFor(ttlSettings), settings: ttlSettings, random: () => random }).lookup(
        "alice",
        countingLoader(),
      );
      ttls.push(await inspector.pttl(userConfigKeys(prefix, "alice").value));
    }
    // random()=0 gives ttl*(1-0.2), random()=1 gives ttl*(1+0.2); a few ms pass before PTTL is read.
    expect(ttls[0]).toBeLessThanOrEqual(80_000);
    expect(ttls[0]).toBeGreaterThan(79_000);
    expect(ttls[1]).toBeLessThanOrEqual(120_000);
    expect(ttls[1]).toBeGreaterThan(119_000);
  });

  it("reads the database again once the entry has expired", async () => {
    const cache = createUserConfigCache({ redis: redisFor(settings()), settings: settings() });
    const load = countingLoader();
    await cache.lookup("alice", load);
    // Expire it now rather than wait for the TTL; Redis applies the expiry exactly as it would later.
    await inspector.pexpire(userConfigKeys(prefix, "alice").value, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const afterExpiry = await cache.lookup("alice", load);
    expect(afterExpiry.cache).toBe("miss");
    expect(load.reads).toBe(2);
  });

  it("lets 100 concurrent requests for one cold key cause exactly one database read", async () => {
    const cache = createUserConfigCache({ redis: redisFor(settings()), settings: settings() });
    const load = countingLoader();
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.lookup("alice", load)));
    expect(load.reads).toBe(1);
    expect(results.every((result) => result.lookup.found)).toBe(true);
  });

  it("lets 10 execution environments (own connections) racing for one cold key cause one database read", async () => {
    const load = countingLoader();
    // A generous lock wait, so a slow CI machine cannot turn a waiting environment into a second reader.
    const patient = settings({ lockWaitMs: 5000 });
    const environments = Array.from({ length: 10 }, () =>
      createUserConfigCache({ redis: redisFor(patient), settings: patient }),
    );
    const results = await Promise.all(
      environments.flatMap((cache) => Array.from({ length: 10 }, () => cache.lookup("alice", load))),
    );
    expect(load.reads).toBe(1);
    expect(results.filter((result) => result.cache === "hit").length).toBeGreaterThanOrEqual(9);
  });

  it("caches unknown users negatively, with the shorter TTL", async () => {
    const negative = settings({ negativeTtlSeconds: 30, jitterRatio: 0 });
    const cache = createUserConfigCache({ redis: redisFor(negative), settings: negative });
    const load = countingLoader();
    expect((await cache.lookup("mallory", load)).lookup).toEqual({ found: false });
    expect((await cache.lookup("mallory", load)).cache).toBe("hit");
    expect(load.reads).toBe(1);
    const ttl = await inspector.pttl(userConfigKeys(prefix, "mallory").value);
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it("serves the new configuration after invalidation", async () => {
    const cache = createUserConfigCache({ redis: redisFor(settings()), settings: settings() });
    const load = countingLoader();
    await cache.lookup("alice", load);
    await database.client.query("UPDATE user_configs SET time_zone = 'Asia/Tokyo' WHERE user_id = 'alice'");
    try {
      expect((await cache.lookup("alice", load)).lookup).toMatchObject({ config: { timeZone: "Europe/Paris" } });
      await cache.invalidate("alice");
      const fresh = await cache.lookup("alice", load);
      expect(fresh.cache).toBe("miss");
      expect(fresh.lookup).toMatchObject({ config: { timeZone: "Asia/Tokyo" } });
    } finally {
      await database.client.query("UPDATE user_configs SET time_zone = 'Europe/Paris' WHERE user_id = 'alice'");
    }
  });

  it("refuses to cache a value read before an invalidation that happened during the read", async () => {
    const cache = createUserConfigCache({ redis: redisFor(settings()), settings: settings() });
    const other = createUserConfigCache({ redis: redisFor(settings()), settings: settings() });
    // The slow reader reads the old configuration, then the writer commits and invalidates, then the read returns.
    const staleRead: LoadUserConfig = async (userId) => {
      const old = await loadUserConfigFromDatabase(db, userId);
      await other.invalidate(userId);
      return old;
    };
    await cache.lookup("alice", staleRead);
    expect(await inspector.exists(userConfigKeys(prefix, "alice").value)).toBe(0);
  });

  it("treats a corrupt cached value as a miss and overwrites it", async () => {
    await inspector.set(userConfigKeys(prefix, "alice").value, "{not json");
    const cache = createUserConfigCache({ redis: redisFor(settings()), settings: settings() });
    const load = countingLoader();
    expect((await cache.lookup("alice", load)).cache).toBe("miss");
    expect((await cache.lookup("alice", load)).cache).toBe("hit");
  });
});

describe("Cache: graceful degradation", () => {
  it("serves from the database when Redis is down, without failing", async () => {
    const down = settings({ redisUrl: "redis://127.0.0.1:1", connectTimeoutMs: 200 });
    const cache = createUserConfigCache({ redis: redisFor(down), settings: down, failureCooldownMs: 0 });
    const load = countingLoader();
    const results = [await cache.lookup("alice", load), await cache.lookup("alice", load)];
    expect(results.map((result) => result.cache)).toEqual(["error", "error"]);
    expect(results.every((result) => result.lookup.found)).toBe(true);
    expect(load.reads).toBe(2);
  });

  it("serves from the database when Redis answers slower than the command timeout", async () => {
    const proxy = await startDelayingProxy(6379, 0);
    try {
      const slow = settings({ redisUrl: `redis://127.0.0.1:${proxy.port}`, commandTimeoutMs: 50 });
      const errors: Error[] = [];
      const cache = createUserConfigCache({
        redis: redisFor(slow),
        settings: slow,
        failureCooldownMs: 0,
        onCacheError: (error) => errors.push(error),
      });
      const load = countingLoader();
      expect((await cache.lookup("alice", load)).cache).toBe("miss");
      proxy.delayMs = 300;
      const slowResult = await cache.lookup("alice", load);
      expect(slowResult.cache).toBe("error");
      expect(slowResult.lookup.found).toBe(true);
      expect(errors.some((error) => /timed out/i.test(error.message))).toBe(true);
      proxy.delayMs = 0;
      // Recovery, not its speed, is the behaviour: the late reply must drain first, however long a
      // loaded machine takes, so poll (bounded) instead of sleeping a fixed time.
      await expect
        .poll(async () => (await cache.lookup("alice", load)).cache, { timeout: 10_000, interval: 100 })
        .toBe("hit");
    } finally {
      await proxy.close();
    }
  });

  it("skips a failing Redis during the cool-down instead of paying its timeout on every request", async () => {
    const proxy = await startDelayingProxy(6379, 0);
    try {
      const slow = settings({ redisUrl: `redis://127.0.0.1:${proxy.port}`, commandTimeoutMs: 50 });
      const errors: Error[] = [];
      const cache = createUserConfigCache({
        redis: redisFor(slow),
        settings: slow,
        failureCooldownMs: 60_000,
        onCacheError: (error) => errors.push(error),
      });
      const load = countingLoader();
      await cache.lookup("alice", load);
      proxy.delayMs = 300;
      await cache.lookup("alice", load);
      await cache.lookup("alice", load);
      await cache.lookup("alice", load);
      expect(errors).toHaveLength(1);
      expect(load.reads).toBe(4);
    } finally {
      await proxy.close();
    }
  });
});
