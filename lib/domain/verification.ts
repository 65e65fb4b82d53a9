import { z } from "zod";
import { runtimeStatus } from "./runtimes";

/**
 * Verification checks of action items: what Phoenix reads from AWS to tell whether an item is really
 * done. This module is pure — it turns what was observed (the evidence) into a result; the reads live
 * in lib/data/action-items.ts (through lib/aws/*).
 */

export const functionNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "A Lambda function name: letters, digits, - and _, at most 64 characters");
const variableSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, "An environment variable name");

export const verificationSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("package-size"),
    functionName: functionNameSchema,
    /** Deployment package (zipped code) + layers, as Lambda reports CodeSize. */
    maxMb: z.number().positive().max(300),
  }),
  z.object({ kind: z.literal("rds-proxy"), functionName: functionNameSchema, variable: variableSchema }),
  z.object({
    kind: z.literal("memory-tuned"),
    functionName: functionNameSchema,
    /** The alias that carries traffic; its version's memory is what users get. */
    qualifier: z.string().trim().max(128).optional(),
  }),
  z.object({
    kind: z.literal("redis-cache"),
    functionName: functionNameSchema,
    variable: variableSchema,
    hitsLookbackHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 14),
  }),
  z.object({
    kind: z.literal("runtime"),
    /** Functions in scope; empty = every function of the account that runs the same language. */
    functions: z.array(functionNameSchema).max(200),
    forbidden: z.array(z.string().trim().min(1).max(40)).min(1).max(20),
    minimum: z.string().trim().min(1).max(40),
  }),
  z.object({
    kind: z.literal("pc-schedule"),
    functionName: functionNameSchema,
    qualifier: z.string().trim().min(1).max(128),
    /** Where the schedule is expected: the AWS account and region Phoenix reads (say which, in words). */
    stage: z.string().trim().min(1).max(100),
  }),
]);
export type Verification = z.infer<typeof verificationSchema>;
export type VerificationKind = Verification["kind"];

export const verificationKinds: { kind: VerificationKind; label: string }[] = [
  { kind: "package-size", label: "Package (code + layers) under a size threshold" },
  { kind: "rds-proxy", label: "Database endpoint points at an RDS Proxy" },
  {
    kind: "memory-tuned",
    label: "Memory changed after the item it depends on was done (and matches a power-tuning run made after it)",
  },
  { kind: "redis-cache", label: "Cache endpoint configured and cache hits observed" },
  { kind: "runtime", label: "No function in scope runs a forbidden or older runtime" },
  { kind: "pc-schedule", label: "Alias has a scalable target with scheduled actions" },
];

/** A short description of what the check verifies, for the page and the Markdown export. */
export function describeVerification(check: Verification): string {
  switch (check.kind) {
    case "package-size":
      return `${check.functionName}: code + layers ≤ ${check.maxMb} MB`;
    case "rds-proxy":
      return `${check.functionName}: ${check.variable} points at an RDS Proxy endpoint`;
    case "memory-tuned":
      return `${check.functionName}${check.qualifier ? `:${check.qualifier}` : ""}: memory changed after the prerequisite was done and matches the newest power-tuning run made after it`;
    case "redis-cache":
      return `${check.functionName}: ${check.variable} set to a Redis endpoint and cache hits in the last ${check.hitsLookbackHours} h`;
    case "runtime":
      return `${check.functions.length > 0 ? check.functions.join(", ") : "every function of that language"}: none on ${check.forbidden.join(", ")} or older than ${check.minimum}`;
    case "pc-schedule":
      return `function:${check.functionName}:${check.qualifier} registered with scheduled actions (${check.stage})`;
  }
}

export type CheckOutcome = "pass" | "fail" | "pending" | "unverified" | "error";

export interface CheckResult {
  outcome: CheckOutcome;
  /** One sentence: why it passes or fails. */
  summary: string;
  /** What was read, line by line, so a person can verify the verdict. */
  evidence: string[];
  /** Things worth knowing that do not change the verdict. */
  warnings: string[];
  /** Pages that show more of the evidence (e.g. the power-tuning run the check compared with). */
  links?: { label: string; href: string }[];
  checkedAt: string;
}

const MB = 1024 * 1024;

function formatMb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

// ---------------------------------------------------------------------------------------------
// 1. Package size

export interface PackageObservation {
  codeSizeBytes: number;
  layers: { arn: string; codeSizeBytes: number }[];
}

export function evaluatePackageSize(
  check: Extract<Verification, { kind: "package-size" }>,
  observed: PackageObservation,
  checkedAt: string,
): CheckResult {
  const layersBytes = observed.layers.reduce((sum, layer) => sum + layer.codeSizeBytes, 0);
  const total = observed.codeSizeBytes + layersBytes;
  const evidence = [
    `Code: ${formatMb(observed.codeSizeBytes)} (GetFunction CodeSize)`,
    observed.layers.length === 0
      ? "Layers: none"
      : `Layers: ${observed.layers.map((layer) => `${layer.arn.split(":").slice(-2).join(":")} ${formatMb(layer.codeSizeBytes)}`).join(", ")}`,
    `Total: ${formatMb(total)}; threshold ${check.maxMb} MB`,
  ];
  const pass = total <= check.maxMb * MB;
  return {
    outcome: pass ? "pass" : "fail",
    summary: pass
      ? `package is ${formatMb(total)}, under ${check.maxMb} MB`
      : `package is ${formatMb(total)}, over the ${check.maxMb} MB threshold${observed.layers.length > 0 ? ` (layers ${formatMb(layersBytes)})` : ""}`,
    evidence,
    warnings: [],
    checkedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. RDS Proxy

/** RDS Proxy endpoints: <name>.proxy-<id>.<region>.rds.amazonaws.com (also custom endpoints under it). */
const proxyHost = /^[a-z0-9-]+(\.endpoint)?\.proxy-[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com(\.cn)?$/i;
const clusterHost = /\.cluster-(ro-)?[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com$/i;

/** The host part of a setting that may be a bare host, host:port or a URL. */
export function hostOf(value: string): string {
  const trimmed = value.trim();
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return new URL(trimmed).hostname;
  } catch {
    // Not a URL after all: treat as host[:port].
  }
  return trimmed.replace(/:\d+$/, "").replace(/\/.*$/, "");
}

export function evaluateRdsProxy(
  check: Extract<Verification, { kind: "rds-proxy" }>,
  environment: Record<string, string> | null,
  checkedAt: string,
): CheckResult {
  const value = environment?.[check.variable];
  if (value === undefined || value === "") {
    return {
      outcome: "fail",
      summary: `${check.variable} is not set on ${check.functionName}`,
      evidence: [`Environment variables set: ${Object.keys(environment ?? {}).join(", ") || "none"}`],
      warnings: [],
      checkedAt,
    };
  }
  const host = hostOf(value);
  const pass = proxyHost.test(host);
  return {
    outcome: pass ? "pass" : "fail",
    summary: pass
      ? `${check.variable} points at the RDS Proxy ${host}`
      : clusterHost.test(host)
        ? `${check.variable} still points at the Aurora cluster ${host}, not an RDS Proxy`
        : `${check.variable} (${host}) is not an RDS Proxy endpoint`,
    evidence: [`${check.variable} = ${host} (GetFunction Environment)`],
    warnings: [],
    checkedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Memory tuned after the refactor (and matching a power-tuning run made after it)

export interface VersionObservation {
  version: string;
  memoryMb: number;
  lastModifiedMs: number;
}

/** A power-tuning run of the checked function, as the store remembers it (issue 9). */
export interface TuningRunObservation {
  runId: string;
  /** Where the run's page is (its results, chart and recommendation). */
  href: string;
  /** The alias the run tuned ("" = $LATEST). */
  qualifier: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  strategy: "cost" | "speed" | "balanced";
  balancedWeight: number;
  /** The chosen strategy's pick (null: the run recommends nothing, e.g. every value failed). */
  recommendedMb: number | null;
  /** The recommendation in words ("1,024 MB: 41 % faster and 9 % cheaper than today's 512 MB"). */
  recommendationWords: string | null;
  startedAtMs: number;
  finishedAtMs: number | null;
}

export interface MemoryObservation {
  /** The prerequisite (item 1): its title and when it was marked done (null: not done). */
  prerequisite: { title: string; doneAtMs: number | null } | null;
  /** Published versions and $LATEST (version "$LATEST"). */
  versions: VersionObservation[];
  /** What carries traffic now: the alias's version (or $LATEST). */
  traffic: { qualifier: string; version: string; memoryMb: number };
  /**
   * The function's power-tuning runs, newest first (undefined: Phoenix could not read them). The
   * run that counts is {@link countedTuningRun}'s pick.
   */
  tuningRuns?: TuningRunObservation[];
  /**
   * What runs now on the alias the counted run tuned, when that is not the check's own alias
   * (null: that alias no longer exists).
   */
  tunedAlias?: { qualifier: string; version: string; memoryMb: number } | null;
}

/**
 * The power-tuning run whose recommendation the check compares with: the newest one that started
 * after the prerequisite was done, finished successfully and recommends a memory size. A run made
 * before measured the old package, so it never counts.
 */
export function countedTuningRun(
  runs: readonly TuningRunObservation[],
  doneAtMs: number,
): TuningRunObservation | undefined {
  return [...runs]
    .sort((a, b) => b.startedAtMs - a.startedAtMs)
    .find((run) => run.startedAtMs > doneAtMs && run.status === "succeeded" && run.recommendedMb !== null);
}

const runLabel = (run: TuningRunObservation) => `power-tuning run ${run.runId.slice(0, 8)}`;
const aliasLabel = (qualifier: string) => (qualifier === "" ? "$LATEST" : qualifier);
const strategyLabel = (run: TuningRunObservation) =>
  run.strategy === "balanced" ? `balanced strategy (weight ${run.balancedWeight})` : `${run.strategy} strategy`;

function describeRun(run: TuningRunObservation, doneAtMs: number, title: string, counted: boolean): string {
  const when = `started ${new Date(run.startedAtMs).toISOString()}${run.finishedAtMs !== null ? `, finished ${new Date(run.finishedAtMs).toISOString()}` : ""}`;
  const head = `${runLabel(run)} (${when}, ${strategyLabel(run)}, alias ${aliasLabel(run.qualifier)})`;
  if (run.startedAtMs <= doneAtMs) {
    return `${head} does not count: it was made before “${title}” was done, so it measured the old package`;
  }
  if (run.status !== "succeeded")
    return `${head} does not count: it ${run.status === "queued" || run.status === "running" ? "has not finished" : `ended ${run.status}`}`;
  if (run.recommendedMb === null) return `${head} does not count: it recommends no memory size`;
  return `${head} ${counted ? "counts" : "is older than the run that counts"}: recommends ${run.recommendedMb} MB${run.recommendationWords ? ` — “${run.recommendationWords}”` : ""}`;
}

export function evaluateMemoryTuned(
  check: Extract<Verification, { kind: "memory-tuned" }>,
  observed: MemoryObservation,
  checkedAt: string,
): CheckResult {
  const { prerequisite, traffic } = observed;
  const trafficLine = `${check.functionName}:${traffic.qualifier} runs version ${traffic.version} with ${traffic.memoryMb} MB`;
  if (!prerequisite) {
    return {
      outcome: "error",
      summary: "this check needs the item it depends on (the refactor) as its first dependency",
      evidence: [trafficLine],
      warnings: [],
      checkedAt,
    };
  }
  if (prerequisite.doneAtMs === null) {
    return {
      outcome: "pending",
      summary: `waiting for “${prerequisite.title}”: memory tuned before it is done would measure the old package`,
      evidence: [trafficLine],
      warnings: [],
      checkedAt,
    };
  }
  const doneAt = prerequisite.doneAtMs;
  const doneIso = new Date(doneAt).toISOString();
  const sorted = [...observed.versions].sort((a, b) => a.lastModifiedMs - b.lastModifiedMs);
  const atDone = [...sorted]
    .reverse()
    .find((version) => version.lastModifiedMs <= doneAt && version.version !== "$LATEST");
  const memoryAtDone = atDone?.memoryMb ?? sorted[0]?.memoryMb ?? traffic.memoryMb;
  const changes = sorted.filter((version) => version.lastModifiedMs > doneAt && version.memoryMb !== memoryAtDone);
  const evidence = [
    `“${prerequisite.title}” done at ${doneIso}; memory then: ${memoryAtDone} MB${atDone ? ` (version ${atDone.version})` : ""}`,
    ...changes.map(
      (version) =>
        `Version ${version.version}: ${version.memoryMb} MB, modified ${new Date(version.lastModifiedMs).toISOString()}`,
    ),
    trafficLine,
  ];
  const warnings: string[] = [];
  const links: { label: string; href: string }[] = [];
  const runs = observed.tuningRuns;
  const counted = runs ? countedTuningRun(runs, doneAt) : undefined;
  if (runs === undefined) {
    warnings.push("Power-tuning runs could not be read: the memory is not compared with a recommendation.");
  } else {
    // The counted run, then the runs that do not count (newest first, a few), each saying why.
    const shown = [
      ...(counted ? [counted] : []),
      ...runs.filter((run) => run !== counted && (!counted || run.startedAtMs > counted.startedAtMs)).slice(0, 3),
      ...runs.filter((run) => run.startedAtMs <= doneAt).slice(0, 1),
    ];
    for (const run of [...new Set(shown)]) {
      evidence.push(describeRun(run, doneAt, prerequisite.title, run === counted));
      links.push({ label: runLabel(run), href: run.href });
    }
    if (!counted) {
      warnings.push(
        `No completed power-tuning run of ${check.functionName} started after “${prerequisite.title}” was done: the memory is not compared with a recommendation yet.`,
      );
    }
  }
  const result = (outcome: CheckOutcome, summary: string): CheckResult => ({
    outcome,
    summary,
    evidence,
    warnings,
    ...(links.length > 0 ? { links } : {}),
    checkedAt,
  });
  if (counted) {
    // Compare on the alias the run tuned: that is the traffic its recommendation is for.
    const sameAlias = aliasLabel(counted.qualifier) === traffic.qualifier;
    const tuned = sameAlias ? traffic : observed.tunedAlias;
    const where = `${check.functionName}:${aliasLabel(counted.qualifier)}`;
    if (!sameAlias) {
      evidence.push(
        tuned
          ? `${where} (the alias ${runLabel(counted)} tuned) runs version ${tuned.version} with ${tuned.memoryMb} MB`
          : `${where} (the alias ${runLabel(counted)} tuned) no longer exists`,
      );
    }
    if (!tuned) {
      return result(
        "fail",
        `${runLabel(counted)} tuned ${where}, which no longer exists; run it again on the live alias`,
      );
    }
    if (tuned.memoryMb !== counted.recommendedMb) {
      return result(
        "fail",
        `${where} runs ${tuned.memoryMb} MB, but ${runLabel(counted)} (after “${prerequisite.title}”, ${strategyLabel(counted)}) recommends ${counted.recommendedMb} MB`,
      );
    }
    // A run after the refactor that recommends today's memory is a tuned function too: the
    // measurement is what the item asks for, not a change for its own sake.
    const changed = changes.length > 0 && traffic.memoryMb !== memoryAtDone;
    return result(
      "pass",
      changed
        ? `memory changed ${memoryAtDone} → ${traffic.memoryMb} MB after “${prerequisite.title}” was done, as ${runLabel(counted)} (${strategyLabel(counted)}) recommends`
        : `memory stays ${tuned.memoryMb} MB, as ${runLabel(counted)} (after “${prerequisite.title}”, ${strategyLabel(counted)}) recommends: tuned, nothing to change`,
    );
  }
  if (changes.length === 0) {
    return result(
      "fail",
      `memory is still ${memoryAtDone} MB: not changed since “${prerequisite.title}” was done, and no power-tuning run after it says that is right`,
    );
  }
  if (traffic.memoryMb === memoryAtDone) {
    return result(
      "fail",
      `a version with ${changes.at(-1)?.memoryMb} MB exists, but ${traffic.qualifier} still runs ${traffic.memoryMb} MB`,
    );
  }
  return result(
    "pass",
    `memory changed ${memoryAtDone} → ${traffic.memoryMb} MB after “${prerequisite.title}” was done`,
  );
}

// ---------------------------------------------------------------------------------------------
// 4. Redis cache

export function evaluateRedisCache(
  check: Extract<Verification, { kind: "redis-cache" }>,
  observed: { environment: Record<string, string> | null; cacheHits: number | null; hitsSource: string },
  checkedAt: string,
): CheckResult {
  const value = observed.environment?.[check.variable];
  if (!value) {
    return {
      outcome: "fail",
      summary: `no cache endpoint: ${check.variable} is not set on ${check.functionName}`,
      evidence: [`Environment variables set: ${Object.keys(observed.environment ?? {}).join(", ") || "none"}`],
      warnings: [],
      checkedAt,
    };
  }
  const isRedis = /^rediss?:\/\//i.test(value.trim()) || /\.cache\.amazonaws\.com(:\d+)?$/i.test(value.trim());
  const host = hostOf(value);
  const evidence = [`${check.variable} = ${host}`];
  if (!isRedis) {
    return {
      outcome: "fail",
      summary: `${check.variable} (${host}) does not look like a Redis endpoint`,
      evidence,
      warnings: [],
      checkedAt,
    };
  }
  if (observed.cacheHits === null) {
    evidence.push(`Cache hits: no data in ${observed.hitsSource} for the last ${check.hitsLookbackHours} h`);
    return {
      outcome: "unverified",
      summary: `cache endpoint configured (${host}), but no cache-hit data to confirm it is used`,
      evidence,
      warnings: [],
      checkedAt,
    };
  }
  evidence.push(
    `Cache hits in the last ${check.hitsLookbackHours} h: ${Math.round(observed.cacheHits)} (${observed.hitsSource})`,
  );
  return observed.cacheHits > 0
    ? {
        outcome: "pass",
        summary: `cache endpoint configured and ${Math.round(observed.cacheHits)} cache hits observed`,
        evidence,
        warnings: [],
        checkedAt,
      }
    : {
        outcome: "fail",
        summary: "cache endpoint configured, but no cache hits observed",
        evidence,
        warnings: [],
        checkedAt,
      };
}

// ---------------------------------------------------------------------------------------------
// 5. Runtime

/** "python3.11" → { family: "python", version: [3, 11] }; "nodejs20.x" → nodejs [20]. */
export function parseRuntime(runtime: string): { family: string; version: number[] } | null {
  const match = /^([a-z]+?)(\d+(?:\.\d+)*)(?:\.x|\.al2\d*)?$/.exec(runtime);
  if (!match) return null;
  return { family: match[1] as string, version: (match[2] as string).split(".").map(Number) };
}

function compareVersions(a: number[], b: number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function evaluateRuntime(
  check: Extract<Verification, { kind: "runtime" }>,
  functions: { name: string; runtime: string }[],
  todayMs: number,
  checkedAt: string,
): CheckResult {
  const minimum = parseRuntime(check.minimum);
  const family = minimum?.family ?? parseRuntime(check.forbidden[0] ?? "")?.family;
  const scope =
    check.functions.length > 0
      ? functions.filter((fn) => check.functions.includes(fn.name))
      : functions.filter((fn) => family !== undefined && parseRuntime(fn.runtime)?.family === family);
  const missing = check.functions.filter((name) => !functions.some((fn) => fn.name === name));
  const offending = scope.filter((fn) => {
    if (check.forbidden.includes(fn.runtime)) return true;
    const parsed = parseRuntime(fn.runtime);
    return Boolean(
      minimum && parsed && parsed.family === minimum.family && compareVersions(parsed.version, minimum.version) < 0,
    );
  });
  const evidence = scope.map((fn) => `${fn.name}: ${fn.runtime}`);
  const warnings = [
    ...new Set(
      scope
        .filter((fn) => !offending.includes(fn))
        .map((fn) => runtimeStatus(fn.runtime, todayMs))
        .filter((status) => status.state === "deprecated")
        .map((status) => `${status.id} is itself deprecated since ${status.deprecatedOn}: plan the next upgrade.`),
    ),
  ];
  if (missing.length > 0) warnings.push(`Not found in AWS: ${missing.join(", ")}`);
  if (scope.length === 0) {
    return {
      outcome: "pass",
      summary: "no function in scope",
      evidence: ["ListFunctions: none in scope"],
      warnings,
      checkedAt,
    };
  }
  if (offending.length > 0) {
    return {
      outcome: "fail",
      summary: `${offending.length} of ${scope.length} functions still run ${[...new Set(offending.map((fn) => fn.runtime))].join(", ")}: ${offending.map((fn) => fn.name).join(", ")}`,
      evidence,
      warnings,
      checkedAt,
    };
  }
  return {
    outcome: "pass",
    summary: `all ${scope.length} functions in scope run ${check.minimum} or newer`,
    evidence,
    warnings,
    checkedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// 6. Provisioned-concurrency schedule

export interface ScheduleObservation {
  target: { minCapacity: number; maxCapacity: number } | null;
  actions: { name: string; schedule: string; timezone?: string; minCapacity?: number; maxCapacity?: number }[];
}

export function evaluatePcSchedule(
  check: Extract<Verification, { kind: "pc-schedule" }>,
  observed: ScheduleObservation,
  checkedAt: string,
): CheckResult {
  const resource = `function:${check.functionName}:${check.qualifier}`;
  if (!observed.target) {
    return {
      outcome: "fail",
      summary: `${resource} is not registered as a scalable target in ${check.stage}`,
      evidence: ["DescribeScalableTargets: no target for lambda:function:ProvisionedConcurrency"],
      warnings: [],
      checkedAt,
    };
  }
  const evidence = [
    `Scalable target ${resource}: min ${observed.target.minCapacity}, max ${observed.target.maxCapacity}`,
    ...observed.actions.map(
      (action) =>
        `${action.name}: ${action.schedule}${action.timezone ? ` (${action.timezone})` : ""} → min ${action.minCapacity ?? "—"}, max ${action.maxCapacity ?? "—"}`,
    ),
  ];
  if (observed.actions.length === 0) {
    return {
      outcome: "fail",
      summary: `${resource} is registered but has no scheduled actions`,
      evidence,
      warnings: [],
      checkedAt,
    };
  }
  const warnings =
    observed.actions.length === 1 ? ["Only one scheduled action: nothing lowers (or raises) it again."] : [];
  return {
    outcome: "pass",
    summary: `${resource} has ${observed.actions.length} scheduled actions in ${check.stage}`,
    evidence,
    warnings,
    checkedAt,
  };
}
