/**
 * Benchmark: the optimized `process-user-request` handler against the baseline that has the three
 * causes the review found (dataframe library, a TLS connection per invocation, configuration read
 * every time). Both run as built bundles in their own node processes (execution environments)
 * against the same real servers: a throwaway PostgreSQL with TLS and scram-sha-256 passwords, the
 * machine's Redis, and s3rver, all reached over the same emulated network (`network.ts`: a round
 * trip of BENCH_RTT_MS through a delay relay; 0 means loopback). Prints one table.
 * Run: `npm --prefix lambda run bench`.
 *
 * Knobs (environment): BENCH_COLD_RUNS (default 20), BENCH_WARM_INVOCATIONS (default 2000),
 * BENCH_USERS (default 100), BENCH_RECORDS_PER_USER (default 50), BENCH_RTT_MS (default 2).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  baselineBundlePath,
  buildBaseline,
  buildOptimized,
  formatBytes,
  optimizedBundlePath,
  type PackageSize,
  unpackPackage,
} from "../../lambda/build.js";
import { type SeedUser, seed } from "../../lambda/db/seed-data.js";
import { httpApiEvent } from "../../lambda/test/support/events.js";
import { type LambdaProcess, startLambdaProcess } from "../../lambda/test/support/lambda-process.js";
import { s3rverCredentials, startS3ServerProcess } from "../../lambda/test/support/s3-server.js";
import { deleteKeys, machineRedisUrl, uniqueKeyPrefix } from "../../lambda/test/support/test-environment.js";
import { startThrowawayPostgres } from "../../lambda/test/support/throwaway-postgres.js";
import { type BenchNetwork, startBenchNetwork } from "./network.js";

const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 20);
const warmInvocations = Number(process.env.BENCH_WARM_INVOCATIONS ?? 2000);
const userCount = Number(process.env.BENCH_USERS ?? 100);
const recordsPerUser = Number(process.env.BENCH_RECORDS_PER_USER ?? 50);
const rttMs = Number(process.env.BENCH_RTT_MS ?? 2);
const concurrency = 10;

type Variant = "baseline" | "optimized";
const bundleOf: Record<Variant, string> = { baseline: baselineBundlePath, optimized: optimizedBundlePath };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
  };
}

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main() {
  log("building both packages");
  const [optimizedSize, baselineSize] = await Promise.all([buildOptimized(), buildBaseline()]);

  log("starting PostgreSQL (TLS), s3rver; seeding");
  const [server, s3] = await Promise.all([startThrowawayPostgres(), startS3ServerProcess()]);
  const keyPrefix = uniqueKeyPrefix("bench");
  const users: SeedUser[] = Array.from({ length: userCount }, (_, index) => ({
    id: `bench-user-${index}`,
    email: `bench-${index}@example.com`,
    config: {
      columns: ["recorded_at", "event_type", "amount", "currency", "status", "note"],
      timeZone: index % 2 === 0 ? "Europe/Berlin" : "America/New_York",
      decimals: 2,
      decimalSeparator: ".",
      retentionDays: 30,
    },
    records: recordsPerUser,
  }));
  const admin = await server.admin();
  await seed(admin, { users, now: new Date(), spanDays: 20 });
  await admin.query("ANALYZE");
  await admin.end();

  // Both handlers reach all three servers through the same network.
  const redisUrl = new URL(machineRedisUrl);
  const s3Url = new URL(s3.endpoint);
  const network = await startBenchNetwork(
    {
      postgres: { host: server.host, port: server.port },
      s3: { host: s3Url.hostname, port: Number(s3Url.port) },
      redis: { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) },
    },
    rttMs,
  );
  log(`network: ${network.description}`);
  const viaNetwork = (name: string) => network.endpoint(name);
  const redisThroughNetwork = new URL(machineRedisUrl);
  redisThroughNetwork.hostname = viaNetwork("redis").host;
  redisThroughNetwork.port = String(viaNetwork("redis").port);

  const environmentVariables: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: "process-user-request-bench",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    DB_HOST: viaNetwork("postgres").host,
    DB_PORT: String(viaNetwork("postgres").port),
    DB_NAME: server.database,
    DB_USER: server.user,
    DB_AUTH: "password",
    DB_PASSWORD: server.password,
    DB_TLS: "verify-full",
    DB_CA_BUNDLE_PATH: server.caPath,
    REDIS_URL: redisThroughNetwork.toString(),
    REDIS_KEY_PREFIX: keyPrefix,
    EXPORT_BUCKET: s3.bucket,
    S3_ENDPOINT: `http://${viaNetwork("s3").host}:${viaNetwork("s3").port}`,
    S3_FORCE_PATH_STYLE: "true",
  };

  let requestCounter = 0;
  const nextEvent = () => {
    requestCounter++;
    return {
      event: httpApiEvent({ subject: `bench-user-${requestCounter % userCount}` }),
      requestId: `bench-${requestCounter}`,
    };
  };
  const running = new Set<LambdaProcess>();
  const start = async (variant: Variant, bundlePath = bundleOf[variant]) => {
    const environment = await startLambdaProcess(bundlePath, environmentVariables);
    variantOf.set(environment, variant);
    running.add(environment);
    const stop = environment.stop;
    environment.stop = () => {
      running.delete(environment);
      return stop();
    };
    return environment;
  };
  // A failed invocation is printed and counted (the table shows the count), not timed; more than 1 %
  // of them stops the run, since its figures would no longer describe working handlers.
  const failures: Record<Variant, number> = { baseline: 0, optimized: 0 };
  const invocations: Record<Variant, number> = { baseline: 0, optimized: 0 };
  const variantOf = new Map<LambdaProcess, Variant>();
  const invoke = async (environment: LambdaProcess) => {
    const { event, requestId } = nextEvent();
    const variant = variantOf.get(environment) ?? "optimized";
    const result = await environment.invoke(event, requestId);
    invocations[variant]++;
    if (result.response.statusCode === 200) return { requestId, durationMs: result.durationMs, ok: true };
    failures[variant]++;
    log(`${variant} invocation failed: ${result.response.statusCode} ${result.response.body}`);
    if (failures[variant] > 10 && failures[variant] > invocations[variant] / 100)
      throw new Error(`too many failed ${variant} invocations: ${failures[variant]} of ${invocations[variant]}`);
    return { requestId, durationMs: result.durationMs, ok: false };
  };
  const invokeOk = async (environment: LambdaProcess) => {
    for (;;) {
      const result = await invoke(environment);
      if (result.ok) return result;
    }
  };
  /**
   * Per invocation, the handler's own time in S3 requests (the upload's requests and pre-signing the
   * link, not the time spent producing the body), read from the log line it wrote.
   */
  const s3MsByRequest = (environment: LambdaProcess) => {
    const byRequest = new Map<string, number>();
    for (const line of environment.lines) {
      const parsed = JSON.parse(line) as { requestId?: string; s3Ms?: number };
      if (parsed.requestId !== undefined && parsed.s3Ms !== undefined) byRequest.set(parsed.requestId, parsed.s3Ms);
    }
    return byRequest;
  };

  try {
    // Cold starts: a new process each time; spawn → module loaded → first invocation answered.
    // Each run first unpacks the zipped package into a new folder, as Lambda does with the code on a
    // new worker, so the process loads freshly written files; the unpacking is timed on its own.
    const cold: Record<Variant, ColdFigures> = {
      baseline: { total: [], init: [], firstInvocation: [], unpack: [] },
      optimized: { total: [], init: [], firstInvocation: [], unpack: [] },
    };
    const zipOf: Record<Variant, string> = { baseline: baselineSize.zipPath, optimized: optimizedSize.zipPath };
    for (let run = 0; run < coldRuns; run++) {
      // Alternate the order so drift on the machine hits both alike.
      for (const variant of (run % 2 === 0 ? ["baseline", "optimized"] : ["optimized", "baseline"]) as Variant[]) {
        const folder = mkdtempSync(path.join(tmpdir(), `phoenix-cold-${variant}-`));
        const unpackStarted = performance.now();
        await unpackPackage(zipOf[variant], folder);
        const unpackMs = performance.now() - unpackStarted;
        const spawned = performance.now();
        const environment = await start(variant, path.join(folder, "index.mjs"));
        const first = await invokeOk(environment);
        cold[variant].total.push(performance.now() - spawned);
        cold[variant].init.push(environment.readyAfterMs);
        cold[variant].firstInvocation.push(first.durationMs);
        cold[variant].unpack.push(unpackMs);
        await environment.stop();
        rmSync(folder, { recursive: true, force: true });
      }
      if (run % 5 === 4) log(`cold starts: ${run + 1}/${coldRuns}`);
    }

    // Warm latency at concurrency 1 (one environment) and 10 (ten environments in parallel).
    const warm: Record<Variant, Record<number, number[]>> = { baseline: {}, optimized: {} };
    const warmWithoutS3: Record<Variant, Record<number, number[]>> = { baseline: {}, optimized: {} };
    const warmS3: Record<Variant, Record<number, number[]>> = { baseline: {}, optimized: {} };
    for (const variant of ["baseline", "optimized"] as Variant[]) {
      for (const level of [1, concurrency]) {
        const environments = await Promise.all(Array.from({ length: level }, () => start(variant)));
        // The first invocation of each environment is its cold start, measured above: not counted here.
        await Promise.all(environments.map((environment) => invokeOk(environment)));
        const perEnvironment = Math.ceil(warmInvocations / level);
        const durations: number[] = [];
        const withoutS3: number[] = [];
        const s3Only: number[] = [];
        await Promise.all(
          environments.map(async (environment) => {
            const measured: { requestId: string; durationMs: number }[] = [];
            for (let index = 0; index < perEnvironment; index++) {
              const result = await invoke(environment);
              if (result.ok) measured.push(result);
            }
            const s3Ms = s3MsByRequest(environment);
            for (const { requestId, durationMs } of measured) {
              durations.push(durationMs);
              withoutS3.push(durationMs - (s3Ms.get(requestId) ?? 0));
              s3Only.push(s3Ms.get(requestId) ?? 0);
            }
          }),
        );
        await Promise.all(environments.map((environment) => environment.stop()));
        warm[variant][level] = durations;
        warmWithoutS3[variant][level] = withoutS3;
        warmS3[variant][level] = s3Only;
        log(`warm ${variant} at concurrency ${level}: ${durations.length} invocations`);
      }
    }

    // What the database saw per 1,000 invocations of one environment, counted from its own log,
    // starting from an empty cache (so the optimized figure includes filling it).
    await server.setStatementLogging(true);
    const perThousand: Record<Variant, { connections: number; queries: number }> = {
      baseline: { connections: 0, queries: 0 },
      optimized: { connections: 0, queries: 0 },
    };
    for (const variant of ["baseline", "optimized"] as Variant[]) {
      await deleteKeys(keyPrefix);
      const environment = await start(variant);
      const connectionsBefore = server.countConnections();
      const statementsBefore = server.countStatements();
      for (let index = 0; index < 1000; index++) await invokeOk(environment);
      perThousand[variant] = {
        connections: server.countConnections() - connectionsBefore,
        queries: server.countStatements() - statementsBefore,
      };
      await environment.stop();
    }
    await server.setStatementLogging(false);

    printTable({
      network,
      failures,
      invocations,
      optimizedSize,
      baselineSize,
      cold,
      warm,
      warmWithoutS3,
      warmS3,
      perThousand,
    });
    const resultsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
    mkdirSync(resultsDirectory, { recursive: true });
    writeFileSync(
      path.join(resultsDirectory, "latest.json"),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          settings: { coldRuns, warmInvocations, userCount, recordsPerUser, rttMs },
          network: { mode: network.mode, targetRttMs: network.targetRttMs, measuredRttMs: network.measuredRttMs },
          packageBytes: { baseline: baselineSize.zippedBytes, optimized: optimizedSize.zippedBytes },
          cold: Object.fromEntries(
            Object.entries(cold).map(([variant, values]) => [
              variant,
              Object.fromEntries(Object.entries(values).map(([name, series]) => [name, summarize(series)])),
            ]),
          ),
          warm: Object.fromEntries(
            Object.entries(warm).map(([variant, levels]) => [
              variant,
              Object.fromEntries(Object.entries(levels).map(([level, values]) => [level, summarize(values)])),
            ]),
          ),
          warmWithoutS3: Object.fromEntries(
            Object.entries(warmWithoutS3).map(([variant, levels]) => [
              variant,
              Object.fromEntries(Object.entries(levels).map(([level, values]) => [level, summarize(values)])),
            ]),
          ),
          warmS3: Object.fromEntries(
            Object.entries(warmS3).map(([variant, levels]) => [
              variant,
              Object.fromEntries(Object.entries(levels).map(([level, values]) => [level, summarize(values)])),
            ]),
          ),
          perThousand,
          failures,
          invocations,
        },
        null,
        2,
      ),
    );
  } finally {
    // After a failure, environments still running are stopped too.
    await Promise.all([...running].map((environment) => environment.stop()));
    await Promise.all([network.stop(), server.stop(), s3.stop(), deleteKeys(keyPrefix)]);
  }
}

interface ColdFigures {
  total: number[];
  init: number[];
  firstInvocation: number[];
  unpack: number[];
}

interface Results {
  network: BenchNetwork;
  failures: Record<Variant, number>;
  invocations: Record<Variant, number>;
  optimizedSize: PackageSize;
  baselineSize: PackageSize;
  cold: Record<Variant, ColdFigures>;
  warm: Record<Variant, Record<number, number[]>>;
  warmWithoutS3: Record<Variant, Record<number, number[]>>;
  warmS3: Record<Variant, Record<number, number[]>>;
  perThousand: Record<Variant, { connections: number; queries: number }>;
}

function printTable(results: Results) {
  const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
  const ratio = (baseline: number, optimized: number) => `${(baseline / optimized).toFixed(1)}×`;
  const rows: [string, string, string, string][] = [];
  const network = results.network;
  rows.push([
    "network round trip to PostgreSQL, S3, Redis (measured median)",
    ms(network.measuredRttMs),
    ms(network.measuredRttMs),
    network.mode === "relay" ? `${network.targetRttMs / 2} ms each way` : "loopback",
  ]);
  rows.push([
    "package, zipped (unzipped)",
    `${formatBytes(results.baselineSize.zippedBytes)} (${formatBytes(results.baselineSize.unzippedBytes)})`,
    `${formatBytes(results.optimizedSize.zippedBytes)} (${formatBytes(results.optimizedSize.unzippedBytes)})`,
    ratio(results.baselineSize.zippedBytes, results.optimizedSize.zippedBytes),
  ]);
  const median = (values: number[]) => summarize(values).p50;
  const cold = results.cold;
  rows.push([
    `cold start, median of ${cold.optimized.total.length} (spawn → first response)`,
    ms(median(cold.baseline.total)),
    ms(median(cold.optimized.total)),
    ratio(median(cold.baseline.total), median(cold.optimized.total)),
  ]);
  rows.push([
    "  of which node start + init (import)",
    ms(median(cold.baseline.init)),
    ms(median(cold.optimized.init)),
    ratio(median(cold.baseline.init), median(cold.optimized.init)),
  ]);
  rows.push([
    "  of which first invocation",
    ms(median(cold.baseline.firstInvocation)),
    ms(median(cold.optimized.firstInvocation)),
    ratio(median(cold.baseline.firstInvocation), median(cold.optimized.firstInvocation)),
  ]);
  const withUnpack = (variant: Variant) =>
    median(cold[variant].total.map((total, index) => total + (cold[variant].unpack[index] ?? 0)));
  rows.push([
    "cold start + unpacking the package first (median)",
    ms(withUnpack("baseline")),
    ms(withUnpack("optimized")),
    ratio(withUnpack("baseline"), withUnpack("optimized")),
  ]);
  for (const level of [1, concurrency]) {
    const baseline = summarize(results.warm.baseline[level] ?? []);
    const optimized = summarize(results.warm.optimized[level] ?? []);
    for (const p of ["p50", "p90", "p99"] as const) {
      rows.push([
        `warm ${p}, concurrency ${level} (n=${optimized.count})`,
        ms(baseline[p]),
        ms(optimized[p]),
        ratio(baseline[p], optimized[p]),
      ]);
    }
    const baselineRest = summarize(results.warmWithoutS3.baseline[level] ?? []);
    const optimizedRest = summarize(results.warmWithoutS3.optimized[level] ?? []);
    const baselineS3 = summarize(results.warmS3.baseline[level] ?? []);
    const optimizedS3 = summarize(results.warmS3.optimized[level] ?? []);
    rows.push([
      `  of which S3 (PUT, presign on the critical path), p50, concurrency ${level}`,
      ms(baselineS3.p50),
      ms(optimizedS3.p50),
      ratio(baselineS3.p50, optimizedS3.p50),
    ]);
    rows.push([
      `  warm p50 without the S3 requests, concurrency ${level}`,
      ms(baselineRest.p50),
      ms(optimizedRest.p50),
      ratio(baselineRest.p50, optimizedRest.p50),
    ]);
  }
  const perThousand = results.perThousand;
  rows.push([
    "failed invocations (not timed; all phases)",
    `${results.failures.baseline} of ${results.invocations.baseline}`,
    `${results.failures.optimized} of ${results.invocations.optimized}`,
    "",
  ]);
  rows.push([
    "DB connections opened per 1,000 invocations",
    String(perThousand.baseline.connections),
    String(perThousand.optimized.connections),
    "",
  ]);
  rows.push([
    "DB queries per 1,000 invocations (cache empty at start)",
    String(perThousand.baseline.queries),
    String(perThousand.optimized.queries),
    "",
  ]);

  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(
      ...[["metric", "baseline", "optimized", "baseline ÷ optimized"], ...rows].map(
        (row) => (row[column] ?? "").length,
      ),
    ),
  );
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  console.log("\nprocess-user-request: baseline (dataframe CSV, TLS connection per call, config from DB) vs optimized");
  console.log(line(["metric", "baseline", "optimized", "baseline ÷ optimized"]));
  console.log(line(widths.map((width) => "-".repeat(width))));
  for (const row of rows) console.log(line(row));

  const warmP50Ratio = Math.min(
    summarize(results.warm.baseline[1] ?? []).p50 / summarize(results.warm.optimized[1] ?? []).p50,
    summarize(results.warm.baseline[concurrency] ?? []).p50 / summarize(results.warm.optimized[concurrency] ?? []).p50,
  );
  const coldRatio = median(cold.baseline.total) / median(cold.optimized.total);
  const verdict = (met: boolean) => (met ? "met" : "NOT met");
  console.log(
    `\ngoals: warm p50 ≥ 10× lower: ${verdict(warmP50Ratio >= 10)} (${warmP50Ratio.toFixed(1)}×, the lower of both concurrencies); cold start ≥ 3× lower: ${verdict(coldRatio >= 3)} (${coldRatio.toFixed(1)}×); connections per 1,000 ≤ 1 vs 1,000: ${verdict(perThousand.optimized.connections <= 1 && perThousand.baseline.connections === 1000)}; package ≤ 1 MiB zipped: ${verdict(results.optimizedSize.zippedBytes <= 1024 * 1024)}`,
  );
  console.log(
    `network: ${network.description}.\nmachine: 2 cores shared with other work; durations measured inside each environment around the handler call.`,
  );
}

await main();
