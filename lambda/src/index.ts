/**
 * Lambda entry point of `process-user-request` (bundled to dist/lambda/index.mjs, handler `index.handler`).
 *
 * Module scope is the init phase: configuration is validated and the clients are created here, once
 * per execution environment, without connecting. Connections open lazily on the first invocation
 * and are reused by every later one.
 */
import { loadConfig } from "./config.js";
import { createExecutionEnvironment } from "./environment.js";
import { writeToStdout } from "./observability/invocation-record.js";

const config = loadConfig(process.env);

// With provisioned concurrency the init phase runs before any request waits on it, so the
// connection is opened there and the first request of such an environment is not a cold start.
const provisioned = process.env.AWS_LAMBDA_INITIALIZATION_TYPE === "provisioned-concurrency";

const environment = createExecutionEnvironment(config, {
  writeLine: writeToStdout,
  coldStart: !provisioned,
  // performance.now() counts from process start, so at the end of module init it is the init time.
  initDurationMs: performance.now(),
});
if (provisioned) void environment.db.warmUp().catch(() => {});

export const handler = environment.handler;

/**
 * Removes a user's cached configuration. Whatever changes `user_configs` must call this after its
 * transaction commits (or run `npm run cache:invalidate -- <userId>`); the next request then reads
 * the new configuration from the database.
 */
export function invalidateUserConfig(userId: string): Promise<void> {
  return environment.configCache.invalidate(userId);
}

/** Connection counters of this execution environment, for tests and the benchmark. */
export const environmentStats = environment.db.stats;
