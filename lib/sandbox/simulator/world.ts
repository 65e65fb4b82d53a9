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
    // The refactored handler is the optimized one (lambda/): it publishes its own EMF metrics.
    code: { transform: "native", packageMb: 14, handlerMetrics: true },
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

// =============================================================================================
// A larger fleet (SANDBOX_FLEET_SIZE): the six story functions plus plausible others

/** The story's functions; a larger fleet adds generated ones after them. */
export const STORY_FLEET_SIZE = SEEDED_FUNCTIONS.length;
export const MAX_FLEET_SIZE = 100;

const FLEET_DOMAINS = [
  "orders",
  "billing",
  "catalog",
  "search",
  "inventory",
  "shipping",
  "payments",
  "accounts",
  "reviews",
  "media",
  "analytics",
  "support",
] as const;
const FLEET_ACTIONS = [
  "create",
  "get",
  "list",
  "update",
  "sync",
  "webhook",
  "resize-images",
  "export",
  "reconcile",
] as const;
const FLEET_RUNTIMES = [
  "nodejs22.x",
  "nodejs20.x",
  "python3.12",
  "python3.11",
  "python3.9",
  "nodejs18.x",
  "java21",
  "python3.13",
] as const;
const FLEET_MEMORY = [128, 256, 256, 512, 512, 1024, 1536, 2048] as const;

/**
 * The functions beyond the story, deterministic for a seed: varied traffic (a few busy APIs, many quiet
 * ones, some idle, a few nightly batches), runtimes, memory, package sizes and timeouts. They have
 * their own (small) databases, so they do not change the story functions' numbers.
 */
export function generatedFunctions(seed: string, count: number): SeededFunction[] {
  // Local mulberry32 (as in random.ts) so the fleet does not depend on anything else drawn.
  let state = 0x811c9dc5;
  for (let index = 0; index < seed.length; index++) state = Math.imul(state ^ seed.charCodeAt(index), 0x01000193);
  state >>>= 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const functions: SeededFunction[] = [];
  for (let index = 0; index < count; index++) {
    const domain = FLEET_DOMAINS[index % FLEET_DOMAINS.length] as string;
    const action = FLEET_ACTIONS[Math.floor(index / FLEET_DOMAINS.length) % FLEET_ACTIONS.length] as string;
    const round = Math.floor(index / (FLEET_DOMAINS.length * FLEET_ACTIONS.length));
    const name = `${domain}-${action}${round > 0 ? `-${round + 1}` : ""}`;
    const runtime = pick(FLEET_RUNTIMES);
    const node = runtime.startsWith("nodejs");
    const java = runtime.startsWith("java");
    const kind = index % 11 === 7 ? "batch" : "api";
    // One in eight is idle (deployed, never called in these two weeks).
    const idle = kind === "api" && index % 8 === 5;
    const roll = next();
    const peak = idle
      ? 0
      : kind === "batch"
        ? 0
        : roll < 0.15
          ? 8 + next() * 14
          : roll < 0.6
            ? 0.5 + next() * 3
            : 0.02 + next() * 0.4;
    const packageMb = Math.round((node ? 0.3 + next() * 6 : java ? 20 + next() * 30 : 2 + next() * 40) * 10) / 10;
    const usesDatabase = next() < 0.5;
    functions.push({
      name,
      description: `${domain[0]?.toUpperCase()}${domain.slice(1)} service: ${action.replaceAll("-", " ")}`,
      runtime,
      memoryMb: pick(FLEET_MEMORY),
      timeoutSeconds: kind === "batch" ? 300 : pick([3, 6, 10, 15, 30]),
      handler: node ? "index.handler" : java ? "com.example.Handler::handleRequest" : "app.handler",
      architecture: next() < 0.4 ? "arm64" : "x86_64",
      codeSizeBytes: Math.round(packageMb * 0.35 * 1_048_576),
      layers: [],
      environment: usesDatabase ? { DB_HOST: PROXY_ENDPOINT, DB_NAME: domain } : { SERVICE: domain },
      publishedVersions: 0,
      workload: apiWorkload({
        kind,
        peakRequestsPerSecond: peak,
        growthPerDay: 0.002 + next() * 0.01,
        burstChancePerMinute: next() * 0.06,
        burstMultiplier: 1.5 + next() * 2.5,
        handlerCpuMs: kind === "batch" ? 200 : 3 + next() * 40,
        writesToS3: kind === "batch" || next() < 0.2,
        databaseCapacity: 150,
        backgroundConnectionsAtPeak: 5 + Math.round(next() * 20),
        databaseGrowthPerDay: 0.002 + next() * 0.01,
        baseMemoryUsedMb: node ? 55 : java ? 140 : 65,
        ...(kind === "batch"
          ? { batch: { hour: 1 + (index % 5), minute: (index * 7) % 60, workMs: 20_000 + next() * 100_000 } }
          : {}),
      }),
      code: {
        packageMb,
        transform: "none",
        database: usesDatabase ? "proxy" : "none",
        configurationSource: "none",
      },
    });
  }
  return functions;
}

/** The fleet of a sandbox of `size` functions (the six story functions first). */
export function fleetFor(seed: string, size: number): readonly SeededFunction[] {
  if (!Number.isInteger(size) || size < STORY_FLEET_SIZE || size > MAX_FLEET_SIZE)
    throw new Error(`fleet size must be an integer from ${STORY_FLEET_SIZE} to ${MAX_FLEET_SIZE}`);
  return size === STORY_FLEET_SIZE
    ? SEEDED_FUNCTIONS
    : [...SEEDED_FUNCTIONS, ...generatedFunctions(seed, size - STORY_FLEET_SIZE)];
}
