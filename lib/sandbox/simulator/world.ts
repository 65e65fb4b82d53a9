import type { CodeProfile, WorkloadProfile } from "./parameters";

/**
 * The seeded Project Phoenix world: account 123456789012, us-east-1, the main user-facing function and
 * its companions, and the code-level fixes that only a deployment (here: a scenario event) can make.
 */

export const SANDBOX_ACCOUNT_ID = "123456789012";
export const SANDBOX_DEFAULT_REGION = "us-east-1";
/** The team's time zone: business hours, bursts and the quiet nights follow it. */
export const SANDBOX_TIME_ZONE = "America/New_York";

export interface SeededFunction {
  name: string;
  description: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  handler: string;
  architecture: "x86_64" | "arm64";
  codeSizeBytes: number;
  layers: { name: string; version: number; codeSizeBytes: number }[];
  environment: Record<string, string>;
  reservedConcurrency?: number;
  /** Versions published before history starts (1..n); the alias points at the last one. */
  publishedVersions: number;
  trafficAlias?: string;
  workload: WorkloadProfile;
  code: CodeProfile;
}

const AURORA_ENDPOINT = "phoenix-aurora.cluster-c9akciq32.us-east-1.rds.amazonaws.com";
const PROXY_ENDPOINT = "phoenix-proxy.proxy-c9akciq32.us-east-1.rds.amazonaws.com";
const REDIS_ENDPOINT = "phoenix-config.x1y2z3.ng.0001.use1.cache.amazonaws.com:6379";

const apiWorkload = (overrides: Partial<WorkloadProfile>): WorkloadProfile => ({
  kind: "api",
  peakRequestsPerSecond: 5,
  nightFactor: 0.0002,
  weekendFactor: 0.25,
  growthPerDay: 0.02,
  burstChancePerMinute: 0.04,
  burstMultiplier: 2.5,
  handlerCpuMs: 20,
  readsConfiguration: false,
  writesToS3: false,
  databaseCapacity: 120,
  backgroundConnectionsAtPeak: 20,
  databaseGrowthPerDay: 0.01,
  baseMemoryUsedMb: 60,
  ...overrides,
});

export const SEEDED_FUNCTIONS: readonly SeededFunction[] = [
  {
    name: "process-user-request",
    description: "Main user-facing API: reads the user configuration, transforms it, writes a CSV to S3",
    runtime: "python3.9",
    memoryMb: 512,
    timeoutSeconds: 5,
    handler: "app.handler",
    architecture: "x86_64",
    codeSizeBytes: 3_481_602,
    layers: [{ name: "pandas-py39", version: 7, codeSizeBytes: 48_210_993 }],
    environment: { DB_HOST: AURORA_ENDPOINT, DB_NAME: "phoenix", OUTPUT_BUCKET: "phoenix-user-exports" },
    publishedVersions: 14,
    trafficAlias: "live",
    workload: apiWorkload({
      peakRequestsPerSecond: 11,
      growthPerDay: 0.006,
      burstChancePerMinute: 0.05,
      burstMultiplier: 2.8,
      handlerCpuMs: 30,
      readsConfiguration: true,
      writesToS3: true,
      databaseCapacity: 200,
      backgroundConnectionsAtPeak: 30,
      databaseGrowthPerDay: 0.16,
      baseMemoryUsedMb: 72,
    }),
    code: { packageMb: 105, transform: "dataframe", database: "direct", configurationSource: "database" },
  },
  {
    name: "get-user-profile",
    description: "Returns the signed-in user's profile (already healthy: small Node.js bundle, pooled reads)",
    runtime: "nodejs22.x",
    memoryMb: 1024,
    timeoutSeconds: 3,
    handler: "index.handler",
    architecture: "arm64",
    codeSizeBytes: 412_339,
    layers: [],
    environment: { DB_HOST: PROXY_ENDPOINT, DB_NAME: "phoenix" },
    publishedVersions: 31,
    trafficAlias: "live",
    workload: apiWorkload({ peakRequestsPerSecond: 18, handlerCpuMs: 9, readsConfiguration: true, growthPerDay: 0.01 }),
    code: { packageMb: 2, transform: "none", database: "proxy", configurationSource: "cache" },
  },
  {
    name: "update-user-settings",
    description: "Saves user settings to Aurora",
    runtime: "python3.9",
    memoryMb: 256,
    timeoutSeconds: 6,
    handler: "settings.handler",
    architecture: "x86_64",
    codeSizeBytes: 8_204_113,
    layers: [],
    environment: { DB_HOST: AURORA_ENDPOINT, DB_NAME: "phoenix" },
    publishedVersions: 0,
    workload: apiWorkload({
      peakRequestsPerSecond: 2.2,
      handlerCpuMs: 14,
      databaseCapacity: 90,
      backgroundConnectionsAtPeak: 14,
    }),
    code: { packageMb: 18, transform: "none", database: "direct", configurationSource: "none" },
  },
  {
    name: "send-notification",
    description: "Sends e-mail and push notifications for account events",
    runtime: "python3.9",
    memoryMb: 128,
    timeoutSeconds: 10,
    handler: "notify.handler",
    architecture: "x86_64",
    codeSizeBytes: 5_902_741,
    layers: [],
    environment: { SENDER: "no-reply@phoenix.example.com" },
    reservedConcurrency: 5,
    publishedVersions: 0,
    workload: apiWorkload({
      peakRequestsPerSecond: 3,
      burstChancePerMinute: 0.06,
      burstMultiplier: 4,
      handlerCpuMs: 6,
      writesToS3: false,
    }),
    code: { packageMb: 12, transform: "none", database: "none", configurationSource: "none" },
  },
  {
    name: "nightly-report-export",
    description: "Scheduled batch job: exports the daily usage report to S3 at 02:00",
    runtime: "python3.11",
    memoryMb: 1024,
    timeoutSeconds: 900,
    handler: "report.handler",
    architecture: "x86_64",
    codeSizeBytes: 30_118_020,
    layers: [],
    environment: { OUTPUT_BUCKET: "phoenix-reports" },
    publishedVersions: 0,
    workload: apiWorkload({
      kind: "batch",
      peakRequestsPerSecond: 0,
      handlerCpuMs: 400,
      writesToS3: true,
      batch: { hour: 2, minute: 0, workMs: 160_000 },
      baseMemoryUsedMb: 180,
    }),
    code: { packageMb: 62, transform: "native", database: "direct", configurationSource: "none" },
  },
  {
    name: "auth-token-validator",
    description: "API Gateway authorizer: validates session tokens",
    runtime: "nodejs20.x",
    memoryMb: 256,
    timeoutSeconds: 3,
    handler: "index.handler",
    architecture: "arm64",
    codeSizeBytes: 190_554,
    layers: [],
    environment: { JWKS_URL: "https://auth.phoenix.example.com/.well-known/jwks.json" },
    publishedVersions: 0,
    workload: apiWorkload({ peakRequestsPerSecond: 30, handlerCpuMs: 2.5, growthPerDay: 0.01 }),
    code: { packageMb: 1, transform: "none", database: "none", configurationSource: "none" },
  },
];

export interface ScenarioEventDefinition {
  title: string;
  description: string;
  /** Changes to the deployed code (what the simulator sees). */
  code: Partial<CodeProfile>;
  /** Changes to $LATEST visible through the Lambda API. */
  environment?: Record<string, string>;
  removeLayers?: boolean;
  codeSizeBytes?: number;
}

/** Code-level fixes no dashboard API makes: applied by an admin as sandbox scenario events. */
export const SCENARIO_EVENTS = {
  "drop-dataframe-library": {
    title: "Drop the dataframe library",
    description: "The CSV is written with Python's csv module; the pandas layer is removed (package ~105 MB → ~14 MB).",
    code: { transform: "native", packageMb: 14 },
    removeLayers: true,
    codeSizeBytes: 3_512_877,
  },
  "rds-proxy": {
    title: "RDS Proxy in front of Aurora",
    description: "Connections go through RDS Proxy, which keeps pooled connections to Aurora.",
    code: { database: "proxy" },
    environment: { DB_HOST: PROXY_ENDPOINT },
  },
  "redis-cache": {
    title: "Cache the user configuration in Redis",
    description: "The slow-changing user configuration is read from ElastiCache for Redis; misses fall back to Aurora.",
    code: { configurationSource: "cache" },
    environment: { CACHE_URL: `redis://${REDIS_ENDPOINT}` },
  },
} satisfies Record<string, ScenarioEventDefinition>;

export type ScenarioEventName = keyof typeof SCENARIO_EVENTS;
export type ScenarioName = "meeting" | "followup";
