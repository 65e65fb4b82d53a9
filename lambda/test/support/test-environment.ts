import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { type Config, loadConfig } from "../../src/config.js";
import { createExecutionEnvironment, type ExecutionEnvironment } from "../../src/environment.js";
import { machinePostgres } from "./postgres.js";
import { s3rverCredentials } from "./s3-server.js";

export const machineRedisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A unique Redis key prefix, so tests share the machine's Redis without seeing each other's keys. */
export function uniqueKeyPrefix(label: string): string {
  return `phoenix-test:${label}:${randomBytes(4).toString("hex")}:`;
}

/** Deletes every key under a prefix on the machine's Redis. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(machineRedisUrl);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

// The SDK's default credential chain reads these; s3rver accepts its fixed local pair.
process.env.AWS_ACCESS_KEY_ID ??= s3rverCredentials.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY ??= s3rverCredentials.secretAccessKey;

export interface TestEnvironment extends ExecutionEnvironment {
  config: Config;
  lines: Record<string, unknown>[];
}

/** The handler's own execution environment, wired to this machine's servers with the given settings. */
export function createTestEnvironment(
  variables: Record<string, string | undefined>,
  options: { failureCooldownMs?: number } = {},
): TestEnvironment {
  const config = loadConfig({
    DB_HOST: machinePostgres.host,
    DB_PORT: String(machinePostgres.port),
    DB_USER: machinePostgres.user,
    DB_AUTH: "none",
    DB_TLS: "disable",
    S3_FORCE_PATH_STYLE: "true",
    ...variables,
  });
  const lines: Record<string, unknown>[] = [];
  const environment = createExecutionEnvironment(config, {
    writeLine: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    coldStart: true,
    initDurationMs: 12.5,
    failureCooldownMs: options.failureCooldownMs ?? 0,
  });
  return { ...environment, config, lines };
}
