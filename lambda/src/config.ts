import * as z from "zod";
import { HandlerError } from "./errors.js";

/**
 * Every setting of the handler, read from environment variables and validated once at init.
 * A bad value stops the execution environment at init with a message naming the variable,
 * instead of failing every request later. `README.md` documents each variable.
 */

const booleanFromEnv = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

const positiveInt = (defaultValue: number, max: number) =>
  z.coerce.number().int().positive().max(max).default(defaultValue);

const rawConfigSchema = z
  .object({
    AWS_LAMBDA_FUNCTION_NAME: z.string().min(1).default("process-user-request"),
    AWS_REGION: z.string().min(1).default("us-east-1"),

    DB_HOST: z.string().min(1),
    DB_PORT: positiveInt(5432, 65535),
    DB_NAME: z.string().min(1),
    DB_USER: z.string().min(1),
    /**
     * iam: RDS Proxy IAM token; secret: password from Secrets Manager (DB_SECRET_ID);
     * password: DB_PASSWORD, and none: trust auth — both for local development and tests only.
     */
    DB_AUTH: z.enum(["iam", "secret", "password", "none"]).default("iam"),
    DB_SECRET_ID: z.string().min(1).optional(),
    DB_PASSWORD: z.string().min(1).optional(),
    /** verify-full: TLS with certificate and host name checks; disable: local development only. */
    DB_TLS: z.enum(["verify-full", "disable"]).default("verify-full"),
    /** Replaces the shipped RDS/RDS Proxy CA bundle, e.g. for a private CA in tests. */
    DB_CA_BUNDLE_PATH: z.string().min(1).optional(),
    DB_CONNECT_TIMEOUT_MS: positiveInt(3000, 60_000),
    DB_STATEMENT_TIMEOUT_MS: positiveInt(5000, 300_000),
    DB_APPLICATION_NAME: z.string().min(1).max(63).default("process-user-request"),
    DB_PAGE_ROWS: positiveInt(2000, 50_000),

    /** Unset: no cache, configuration comes from the database every time. rediss:// means TLS. */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    REDIS_KEY_PREFIX: z.string().max(64).default("phoenix:"),
    REDIS_CONNECT_TIMEOUT_MS: positiveInt(250, 10_000),
    REDIS_COMMAND_TIMEOUT_MS: positiveInt(100, 10_000),
    CONFIG_CACHE_TTL_SECONDS: positiveInt(300, 86_400),
    CONFIG_CACHE_JITTER_RATIO: z.coerce.number().min(0).max(0.5).default(0.1),
    CONFIG_CACHE_NEGATIVE_TTL_SECONDS: positiveInt(30, 3600),
    CONFIG_CACHE_LOCK_WAIT_MS: positiveInt(300, 5000),

    EXPORT_BUCKET: z.string().min(3).max(63),
    EXPORT_KEY_PREFIX: z.string().max(200).default("exports/"),
    PRESIGN_EXPIRES_SECONDS: positiveInt(900, 604_800),
    MAX_EXPORT_ROWS: positiveInt(100_000, 5_000_000),
    /** Only for S3-compatible servers in development and tests; unset on AWS. */
    S3_ENDPOINT: z.url().optional(),
    S3_FORCE_PATH_STYLE: booleanFromEnv.default(false),
  })
  .superRefine((env, ctx) => {
    if (env.DB_AUTH === "secret" && env.DB_SECRET_ID === undefined) {
      ctx.addIssue({ code: "custom", path: ["DB_SECRET_ID"], message: "required when DB_AUTH=secret" });
    }
    if (env.DB_AUTH === "password" && env.DB_PASSWORD === undefined) {
      ctx.addIssue({ code: "custom", path: ["DB_PASSWORD"], message: "required when DB_AUTH=password" });
    }
  });

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.output<typeof rawConfigSchema>) {
  return {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    region: env.AWS_REGION,
    db: {
      host: env.DB_HOST,
      port: env.DB_PORT,
      database: env.DB_NAME,
      user: env.DB_USER,
      auth: env.DB_AUTH,
      secretId: env.DB_SECRET_ID,
      password: env.DB_PASSWORD,
      tls: env.DB_TLS,
      caBundlePath: env.DB_CA_BUNDLE_PATH,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      applicationName: env.DB_APPLICATION_NAME,
      pageRows: env.DB_PAGE_ROWS,
    },
    cache: {
      redisUrl: env.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX,
      connectTimeoutMs: env.REDIS_CONNECT_TIMEOUT_MS,
      commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
      ttlSeconds: env.CONFIG_CACHE_TTL_SECONDS,
      jitterRatio: env.CONFIG_CACHE_JITTER_RATIO,
      negativeTtlSeconds: env.CONFIG_CACHE_NEGATIVE_TTL_SECONDS,
      lockWaitMs: env.CONFIG_CACHE_LOCK_WAIT_MS,
    },
    exports: {
      bucket: env.EXPORT_BUCKET,
      keyPrefix: env.EXPORT_KEY_PREFIX,
      presignExpiresSeconds: env.PRESIGN_EXPIRES_SECONDS,
      maxRows: env.MAX_EXPORT_ROWS,
      s3Endpoint: env.S3_ENDPOINT,
      s3ForcePathStyle: env.S3_FORCE_PATH_STYLE,
    },
  };
}

/**
 * Parses the environment. Throws `HandlerError` (CONFIGURATION_INVALID) listing every bad variable;
 * values are never echoed, since some variables (the Redis URL) may carry credentials.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set": CloudFormation and shells often produce "" for absent values.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = rawConfigSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new HandlerError("CONFIGURATION_INVALID", `Invalid environment: ${problems.join("; ")}`);
  }
  return toConfig(parsed.data);
}
