import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import packageJson from "@/package.json";

/**
 * The one reader of `process.env` on the server. Everything configurable is declared, validated and
 * documented here (the README's configuration table mirrors this schema).
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** `sandbox` (default) serves the embedded AWS emulator; `real` uses the default credential chain. */
    PHOENIX_AWS: z.enum(["sandbox", "real"]).default("sandbox"),
    AWS_REGION: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must look like us-east-1")
      .optional(),
    /** Where the SQLite store and generated secrets live. */
    PHOENIX_DATA_DIR: z.string().min(1).default("data"),
    /** A postgres:// URL switches the store from SQLite to PostgreSQL. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL (leave unset for SQLite)")
      .optional(),
    /** Signs session tokens. Required outside sandbox mode; generated and kept in the data dir in sandbox mode. */
    NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    NEXTAUTH_URL: z.url().optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** OIDC sign-in: all three of issuer, client id and secret enable it. */
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default("Single sign-on"),
    OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
    /** Comma-separated group names per role, e.g. `phoenix-admins`. The highest matching role wins. */
    OIDC_ADMIN_GROUPS: z.string().default(""),
    OIDC_OPERATOR_GROUPS: z.string().default(""),
    OIDC_VIEWER_GROUPS: z.string().default(""),
    /** Sign-in throttling: failures allowed per account and per address within the window. */
    SIGNIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
    SIGNIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
    SIGNIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
    /** Seed for the sandbox's deterministic traffic simulator and its scenario. */
    SANDBOX_SEED: z.string().min(1).default("phoenix"),
    SANDBOX_SCENARIO: z.enum(["meeting", "followup"]).default("meeting"),
    /** Functions in the sandbox: the story's 6 (default) up to 100 (the 6 plus deterministic others). */
    SANDBOX_FLEET_SIZE: z.coerce.number().int().min(6).max(100).default(6),
    /** Faults on demand in the sandbox (reliability tests, demos); admins can change them at run time. */
    SANDBOX_THROTTLE_RATE: z.coerce.number().min(0).max(1).default(0),
    SANDBOX_ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
    SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
    SANDBOX_STUCK_UPDATES: z.enum(["true", "false"]).default("false"),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together",
      });
    }
    if (env.PHOENIX_AWS === "real" && !env.NEXTAUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXTAUTH_SECRET"],
        message: "is required outside sandbox mode (generate one with `openssl rand -base64 48`)",
      });
    }
  });

export type Role = "viewer" | "operator" | "admin";

export interface PhoenixConfig {
  nodeEnv: "development" | "production" | "test";
  awsMode: "sandbox" | "real";
  awsRegion: string;
  dataDir: string;
  database: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  authSecret: string;
  publicUrl: string;
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    name: string;
    groupsClaim: string;
    groupsByRole: Record<Role, string[]>;
  };
  signIn: { maxFailuresPerAccount: number; maxFailuresPerAddress: number; windowSeconds: number };
  sandbox: {
    seed: string;
    scenario: "meeting" | "followup";
    fleetSize: number;
    faults: { throttleRate: number; errorRate: number; addedLatencyMs: number; stuckUpdates: boolean };
  };
  version: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

let cached: PhoenixConfig | undefined;

/** Parses the environment once; throws a ConfigError listing every invalid variable. */
export function getConfig(): PhoenixConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For tests and scripts that need a configuration other than the process's. */
export function parseConfig(source: Record<string, string | undefined>): PhoenixConfig {
  const parsed = envSchema.safeParse(emptyStringsAsUnset(source));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid Phoenix configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.PHOENIX_DATA_DIR);
  const splitGroups = (value: string) =>
    value
      .split(",")
      .map((group) => group.trim())
      .filter(Boolean);
  return {
    nodeEnv: env.NODE_ENV,
    awsMode: env.PHOENIX_AWS,
    awsRegion: env.AWS_REGION ?? "us-east-1",
    dataDir,
    database: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL }
      : { kind: "sqlite", file: path.join(dataDir, "phoenix.sqlite") },
    authSecret: env.NEXTAUTH_SECRET ?? sandboxSecret(dataDir),
    publicUrl: env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`,
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            name: env.OIDC_NAME,
            groupsClaim: env.OIDC_GROUPS_CLAIM,
            groupsByRole: {
              admin: splitGroups(env.OIDC_ADMIN_GROUPS),
              operator: splitGroups(env.OIDC_OPERATOR_GROUPS),
              viewer: splitGroups(env.OIDC_VIEWER_GROUPS),
            },
          }
        : undefined,
    signIn: {
      maxFailuresPerAccount: env.SIGNIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: env.SIGNIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: env.SIGNIN_FAILURE_WINDOW_SECONDS,
    },
    sandbox: {
      seed: env.SANDBOX_SEED,
      scenario: env.SANDBOX_SCENARIO,
      fleetSize: env.SANDBOX_FLEET_SIZE,
      faults: {
        throttleRate: env.SANDBOX_THROTTLE_RATE,
        errorRate: env.SANDBOX_ERROR_RATE,
        addedLatencyMs: env.SANDBOX_LATENCY_MS,
        stuckUpdates: env.SANDBOX_STUCK_UPDATES === "true",
      },
    },
    version: packageJson.version,
  };
}

function emptyStringsAsUnset(source: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value !== "") result[key] = value;
  }
  return result;
}

/**
 * Sandbox mode needs no setup, yet sessions should survive a restart: the secret is generated once
 * and kept (owner-readable only) in the data dir, never in the repository.
 */
function sandboxSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
  } catch (error) {
    // Another process (a build worker, the CLI) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return readFileSync(file, "utf8").trim();
}
