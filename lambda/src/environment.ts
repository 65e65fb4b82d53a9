import type { S3Client } from "@aws-sdk/client-s3";
import type { Redis } from "ioredis";
import { createPostgresConnection, type PostgresConnection } from "./adapters/postgres-connection.js";
import { createRedisClient } from "./adapters/redis-client.js";
import { createS3Client, createS3ExportStorage } from "./adapters/s3-export-storage.js";
import { createUserConfigCache, type UserConfigCache } from "./adapters/user-config-cache.js";
import type { Config } from "./config.js";
import { createHandler, type ExportHandler } from "./handler.js";

/**
 * Everything one execution environment holds across invocations: the clients, created without
 * connecting, and the handler that uses them. `index.ts` builds one at init; tests build their own.
 */
export interface ExecutionEnvironment {
  handler: ExportHandler;
  db: PostgresConnection;
  redis: Redis | undefined;
  configCache: UserConfigCache;
  s3: S3Client;
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  writeLine: (line: string) => void;
  /** Whether the first invocation pays the init (false when provisioned concurrency pre-initialised). */
  coldStart: boolean;
  initDurationMs: number | undefined;
  now?: () => Date;
  failureCooldownMs?: number;
}

export function createExecutionEnvironment(config: Config, options: EnvironmentOptions): ExecutionEnvironment {
  const db = createPostgresConnection(config);
  const redis = createRedisClient(config.cache);
  const configCache = createUserConfigCache({
    redis,
    settings: config.cache,
    failureCooldownMs: options.failureCooldownMs,
  });
  const s3 = createS3Client(config);
  const handler = createHandler({
    config,
    db,
    cache: configCache,
    storage: createS3ExportStorage(s3, config),
    writeLine: options.writeLine,
    coldStart: { pending: options.coldStart, initDurationMs: options.initDurationMs },
    now: options.now,
  });
  return {
    handler,
    db,
    redis,
    configCache,
    s3,
    async close() {
      await db.close();
      redis?.disconnect();
      s3.destroy();
    },
  };
}
