import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Config } from "../config.js";
import { asError } from "../errors.js";
import { type UserConfigLookup, userConfigLookupSchema } from "../service/user-config.js";

/**
 * Cache-aside for user configurations in Redis.
 *
 * - Hit: one round trip (`MGET` of the value and its generation).
 * - Miss: one caller per key reads the database — within the process through a shared promise, and
 *   across execution environments through a short Redis lock; the others wait briefly for the value
 *   to appear, then read the database themselves rather than wait long.
 * - Unknown users are cached too (negatively, shorter), so a flood for a missing id does not reach
 *   the database.
 * - TTLs carry jitter, so keys filled together do not expire together.
 * - `invalidate` bumps a generation counter and deletes the value; a fill that read the database
 *   before the bump is refused by the fill script, so a stale value cannot be written back.
 * - Any Redis failure (down, slow, refused) degrades to the database and opens a short cool-down
 *   during which the cache is not tried, so a sick Redis costs one timeout, not one per request.
 */

export type CacheOutcome = "hit" | "miss" | "bypass" | "error";

export interface ConfigLookupResult {
  lookup: UserConfigLookup;
  cache: CacheOutcome;
}

export type LoadUserConfig = (userId: string) => Promise<UserConfigLookup>;

export interface UserConfigCacheOptions {
  redis: Redis | undefined;
  settings: Config["cache"];
  /** How long after a Redis failure the cache is skipped. */
  failureCooldownMs?: number;
  /** Injected for deterministic tests of the jitter; Math.random otherwise. */
  random?: () => number;
  onCacheError?: (error: Error) => void;
}

export interface UserConfigCache {
  lookup(userId: string, loadFromDatabase: LoadUserConfig): Promise<ConfigLookupResult>;
  invalidate(userId: string): Promise<void>;
}

// Sets the value only if the generation is still the one read before the database read.
const fillIfGenerationUnchangedScript = `
local current = redis.call('GET', KEYS[2]) or '0'
if current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

const lockTtlMs = 5000;
const lockPollMs = 15;
const generationTtlMs = 24 * 3600 * 1000;

export function userConfigKeys(prefix: string, userId: string) {
  return {
    value: `${prefix}user-config:${userId}`,
    generation: `${prefix}user-config-generation:${userId}`,
    lock: `${prefix}user-config-lock:${userId}`,
  };
}

export function createUserConfigCache(options: UserConfigCacheOptions): UserConfigCache {
  const { redis, settings } = options;
  const random = options.random ?? Math.random;
  const failureCooldownMs = options.failureCooldownMs ?? 2000;
  const inFlight = new Map<string, Promise<ConfigLookupResult>>();
  let skipCacheUntil = 0;
  let connecting: Promise<boolean> | undefined;

  const noteFailure = (caught: unknown) => {
    skipCacheUntil = Date.now() + failureCooldownMs;
    options.onCacheError?.(asError(caught));
  };

  /** Whether the cache may be used now; connects on first use, within the connect timeout. */
  const isUsable = async (client: Redis): Promise<boolean> => {
    if (Date.now() < skipCacheUntil) return false;
    if (client.status === "ready") return true;
    if (client.status === "wait") {
      connecting ??= withTimeout(client.connect(), settings.connectTimeoutMs, "Redis connect")
        .then(() => true)
        .catch((caught: unknown) => {
          noteFailure(caught);
          return false;
        })
        .finally(() => {
          connecting = undefined;
        });
    }
    // Connecting or reconnecting in the background: do not wait for it.
    return connecting ?? false;
  };

  const ttlWithJitter = (seconds: number) => {
    const factor = 1 + settings.jitterRatio * (2 * random() - 1);
    return Math.max(1000, Math.round(seconds * 1000 * factor));
  };

  const parseCached = (text: string | null): UserConfigLookup | undefined => {
    if (text === null) return undefined;
    try {
      const parsed = userConfigLookupSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };

  const fill = async (
    client: Redis,
    keys: ReturnType<typeof userConfigKeys>,
    generation: string,
    lookup: UserConfigLookup,
  ) => {
    const ttlMs = ttlWithJitter(lookup.found ? settings.ttlSeconds : settings.negativeTtlSeconds);
    await client.eval(
      fillIfGenerationUnchangedScript,
      2,
      keys.value,
      keys.generation,
      generation,
      JSON.stringify(lookup),
      ttlMs,
    );
  };

  const waitForOtherFill = async (client: Redis, valueKey: string): Promise<UserConfigLookup | undefined> => {
    const deadline = Date.now() + settings.lockWaitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, lockPollMs));
      const cached = parseCached(await client.get(valueKey));
      if (cached !== undefined) return cached;
    }
    return undefined;
  };

  const lookupThroughRedis = async (
    client: Redis,
    userId: string,
    load: LoadUserConfig,
  ): Promise<ConfigLookupResult> => {
    const keys = userConfigKeys(settings.keyPrefix, userId);
    let valueText: string | null;
    let generation: string;
    try {
      const [value, storedGeneration] = await client.mget(keys.value, keys.generation);
      valueText = value ?? null;
      generation = storedGeneration ?? "0";
    } catch (caught) {
      noteFailure(caught);
      return { lookup: await load(userId), cache: "error" };
    }
    const cached = parseCached(valueText);
    if (cached !== undefined) return { lookup: cached, cache: "hit" };

    let ownsLock = false;
    const lockToken = randomUUID();
    try {
      ownsLock = (await client.set(keys.lock, lockToken, "PX", lockTtlMs, "NX")) === "OK";
      if (!ownsLock) {
        const filledByOther = await waitForOtherFill(client, keys.value);
        if (filledByOther !== undefined) return { lookup: filledByOther, cache: "hit" };
      }
    } catch (caught) {
      noteFailure(caught);
      return { lookup: await load(userId), cache: "error" };
    }

    const lookup = await load(userId);
    try {
      await fill(client, keys, generation, lookup);
      if (ownsLock)
        await client.eval(
          "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
          1,
          keys.lock,
          lockToken,
        );
    } catch (caught) {
      noteFailure(caught);
    }
    return { lookup, cache: "miss" };
  };

  const lookupOnce = async (userId: string, load: LoadUserConfig): Promise<ConfigLookupResult> => {
    if (redis === undefined) return { lookup: await load(userId), cache: "bypass" };
    if (!(await isUsable(redis))) return { lookup: await load(userId), cache: "error" };
    return lookupThroughRedis(redis, userId, load);
  };

  return {
    lookup(userId, load) {
      const existing = inFlight.get(userId);
      if (existing !== undefined) return existing;
      const pending = lookupOnce(userId, load).finally(() => inFlight.delete(userId));
      inFlight.set(userId, pending);
      return pending;
    },

    async invalidate(userId) {
      if (redis === undefined) return;
      const keys = userConfigKeys(settings.keyPrefix, userId);
      if (redis.status === "wait") await redis.connect();
      // Unlike lookups, invalidation reports failure: a writer must know the cache may still be stale.
      await redis.multi().incr(keys.generation).pexpire(keys.generation, generationTtlMs).del(keys.value).exec();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
