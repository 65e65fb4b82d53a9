/**
 * Every named parameter of the traffic simulator, in one place (see ./README.md for the model).
 * Values are chosen so that the seeded world tells the Project Phoenix story, not measured from AWS.
 */

/** Cost profile of a Lambda runtime. */
export interface RuntimeProfile {
  /** Fixed part of INIT (runtime bootstrap) at one full vCPU, ms. */
  initBaseMs: number;
  /** INIT cost per MB of unzipped package (imports), at one full vCPU, ms. */
  importMsPerMb: number;
  /** Multiplier on handler CPU time (newer interpreters are faster: CPython 3.11 ≈ 25 % faster). */
  computeFactor: number;
}

export const RUNTIME_PROFILES: Record<string, RuntimeProfile> = {
  "python3.8": { initBaseMs: 95, importMsPerMb: 3.6, computeFactor: 1.04 },
  "python3.9": { initBaseMs: 90, importMsPerMb: 3.4, computeFactor: 1.0 },
  "python3.10": { initBaseMs: 88, importMsPerMb: 3.3, computeFactor: 0.97 },
  "python3.11": { initBaseMs: 70, importMsPerMb: 2.5, computeFactor: 0.78 },
  "python3.12": { initBaseMs: 68, importMsPerMb: 2.4, computeFactor: 0.76 },
  "python3.13": { initBaseMs: 66, importMsPerMb: 2.35, computeFactor: 0.74 },
  "python3.14": { initBaseMs: 65, importMsPerMb: 2.3, computeFactor: 0.72 },
  "nodejs18.x": { initBaseMs: 75, importMsPerMb: 2.2, computeFactor: 0.7 },
  "nodejs20.x": { initBaseMs: 70, importMsPerMb: 2.0, computeFactor: 0.68 },
  "nodejs22.x": { initBaseMs: 66, importMsPerMb: 1.9, computeFactor: 0.66 },
  "nodejs24.x": { initBaseMs: 64, importMsPerMb: 1.8, computeFactor: 0.65 },
  java21: { initBaseMs: 420, importMsPerMb: 4.0, computeFactor: 0.55 },
  java25: { initBaseMs: 400, importMsPerMb: 3.8, computeFactor: 0.54 },
  "provided.al2023": { initBaseMs: 20, importMsPerMb: 0.5, computeFactor: 0.5 },
};

/** Unknown or exotic runtimes behave like this. */
export const DEFAULT_RUNTIME_PROFILE: RuntimeProfile = { initBaseMs: 100, importMsPerMb: 3, computeFactor: 1 };

export const SIMULATOR_PARAMETERS = {
  /** Memory that buys one full vCPU (AWS: 1,769 MB). CPU share = memory / this. */
  oneVcpuMemoryMb: 1769,
  /** Single-threaded handlers gain little above one vCPU: extra speed per extra vCPU of share. */
  speedGainAboveOneVcpu: 0.12,
  /** Minutes an idle execution environment stays warm before Lambda reclaims it. */
  idleEnvironmentMinutes: 8,
  /** Chance per warm environment per minute of being recycled anyway (→ an extra cold start). */
  environmentRecyclePerMinute: 1 / 240,
  /** INIT phase cap (AWS: 10 s); longer inits are cut and retried by the platform, modelled as the cap. */
  initCapMs: 10_000,
  /** Share of INIT's import cost paid again by the first request of an environment (lazy imports). */
  firstInvocationImportShare: 0.3,
  /** Log-normal spread of INIT. */
  initSigma: 0.12,
  /** Log-normal spread of handler compute. */
  computeSigma: 0.22,
  /** Data transform step at one vCPU, ms: heavy dataframe library vs the native csv module. */
  transformMs: { dataframe: 80, native: 4, none: 0 } as Record<string, number>,
  transformSigma: 0.3,
  /** Log-normal spread of a batch job's work. */
  batchSigma: 0.15,
  /** New TLS connection to Aurora (median at an idle database), ms. */
  directConnectMs: 95,
  directConnectSigma: 0.45,
  /** Connection to RDS Proxy (pooled connection behind it), ms. */
  proxyConnectMs: 5,
  proxyConnectSigma: 0.3,
  /** Configuration read from the database at an idle database, ms (tens to hundreds under load). */
  configQueryMs: 32,
  configQuerySigma: 0.6,
  /** Configuration read that hits Redis, ms, and the share of reads that miss and go to the database. */
  cacheHitMs: 1.4,
  cacheHitSigma: 0.3,
  cacheMissRate: 0.03,
  /** S3 PutObject of the CSV, ms. */
  s3PutMs: 42,
  s3PutSigma: 0.4,
  /**
   * Database slow-down seen by a direct connection and a configuration query:
   * × (1 + contentionFactor × load²) × (1 + the workload's databaseGrowthPerDay)^days, where
   * load = (own in-flight connections of the previous minute + the rest of the world's) ÷ capacity.
   */
  contentionFactor: 1.6,
  /** Minute-to-minute spread of the database slow-down (log-normal, shared by the minute's invocations). */
  databaseJitterSigma: 0.2,
  /** Connections RDS Proxy needs per in-flight invocation (multiplexing). */
  proxyConnectionShare: 0.15,
  /**
   * Hung connections (the TLS handshake queues behind a saturated connection slot until the client
   * gives up): chance per direct connection = stallBaseChance × (1 + stallLoadFactor × load), capped;
   * through RDS Proxy (pooled, already-open connections) `proxyStallShare` of the base chance. They are
   * what times out in an ordinary week, so timeouts rise only mildly while the body of the
   * distribution creeps (the story's +15 %).
   */
  stallBaseChance: 0.0065,
  stallLoadFactor: 0.1,
  stallChanceCap: 0.05,
  proxyStallShare: 0.05,
  /** Median and spread of a stall, ms (most stalls outlast a 5 s timeout). */
  stallMs: 6500,
  stallSigma: 0.3,
  /** Random application errors (not timeouts), share of invocations. */
  applicationErrorRate: 0.0008,
  /** Days of history before "now" at the anchor (AWS keeps 1-minute data 15 days). */
  historyDays: 15,
  /** Simulated invocations kept per minute for percentiles and log lines: cold, hung-connection, warm. */
  warmSamplesPerMinute: 16,
  coldSamplesPerMinute: 6,
  stallSamplesPerMinute: 2,
  /** Account concurrency quota and the unreserved floor AWS enforces. */
  accountConcurrency: 1000,
  unreservedFloor: 100,
} as const;

/** Traffic shape and handler work of one function (its code; configuration lives in the timeline). */
export interface WorkloadProfile {
  kind: "api" | "batch";
  /** Weekday business-hours peak at the start of history, requests per second. */
  peakRequestsPerSecond: number;
  /** Traffic at night and on weekends relative to the weekday peak. */
  nightFactor: number;
  weekendFactor: number;
  /** Traffic growth per day of history (compounding), until the anchor. */
  growthPerDay: number;
  /** Chance per business-hours minute of a burst, and its traffic multiplier. */
  burstChancePerMinute: number;
  burstMultiplier: number;
  /** Handler CPU work at one vCPU, ms (excluding the steps below). */
  handlerCpuMs: number;
  /** Whether each invocation reads the user configuration and writes a CSV to S3. */
  readsConfiguration: boolean;
  writesToS3: boolean;
  /** Database connections the function's database can take, and the rest of the world's share of it. */
  databaseCapacity: number;
  backgroundConnectionsAtPeak: number;
  /** Growth per day of the database's working set (slower queries as tables grow). */
  databaseGrowthPerDay: number;
  /** Batch jobs: local start time and median duration at one vCPU, ms. */
  batch?: { hour: number; minute: number; workMs: number };
  /** Baseline memory used by the runtime, MB (Max Memory Used = this + package-driven part). */
  baseMemoryUsedMb: number;
}

/** What code is deployed; changed by scenario events (drop the dataframe library, RDS Proxy, Redis). */
export interface CodeProfile {
  /** Unzipped package size including layers, MB (drives INIT). */
  packageMb: number;
  transform: "dataframe" | "native" | "none";
  database: "direct" | "proxy" | "none";
  configurationSource: "database" | "cache" | "none";
  /**
   * The optimized handler: it publishes its own metrics as EMF (namespace Phoenix, dimension
   * FunctionName: ColdStart, InitDuration, CacheHit, CacheMiss, DbMs, S3Ms, Rows), one record per
   * invocation that did not time out.
   */
  handlerMetrics?: boolean;
}

/** CPU speed relative to one full vCPU. */
export function cpuSpeed(memoryMb: number): number {
  const share = memoryMb / SIMULATOR_PARAMETERS.oneVcpuMemoryMb;
  if (share <= 1) return share;
  return 1 + SIMULATOR_PARAMETERS.speedGainAboveOneVcpu * (Math.min(share, 6) - 1);
}

export function runtimeProfile(runtime: string): RuntimeProfile {
  return RUNTIME_PROFILES[runtime] ?? DEFAULT_RUNTIME_PROFILE;
}
