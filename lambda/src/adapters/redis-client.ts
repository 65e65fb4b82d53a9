import { Redis } from "ioredis";
import type { Config } from "../config.js";

/**
 * The Redis (ElastiCache) client of the execution environment: created at init without connecting,
 * connected on first use, reconnected by ioredis in the background when the connection breaks.
 * Every setting here serves one rule: the cache may make a request faster, never slower by more
 * than a short timeout, and never make it fail.
 */
export function createRedisClient(cache: Config["cache"]): Redis | undefined {
  if (cache.redisUrl === undefined) return undefined;
  const url = new URL(cache.redisUrl);
  const client = new Redis(cache.redisUrl, {
    lazyConnect: true,
    connectTimeout: cache.connectTimeoutMs,
    commandTimeout: cache.commandTimeoutMs,
    // Fail fast while disconnected instead of queueing commands until the connection is back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // INFO before every (re)connect costs a round trip, and ElastiCache Serverless limits INFO.
    enableReadyCheck: false,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 5000),
    tls: url.protocol === "rediss:" ? { servername: url.hostname } : undefined,
  });
  // Without a listener an 'error' event would crash the process; failures are handled per command.
  client.on("error", () => {});
  return client;
}
