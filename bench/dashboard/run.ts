/**
 * Latency dashboard benchmark: `npx tsx bench/dashboard/run.ts`
 *
 * Part 1 (in process, the data layer with the real SDK clients against a sandbox on a manual clock):
 * fetch time of the overview and the function page at 24 h / 7 d / 14 d with a cold and a warm
 * Phoenix cache, AWS calls, metrics requested and the estimated CloudWatch cost per view, and the AWS
 * calls of 20 concurrent viewers of the same page.
 * Part 2 (HTTP, the production build in sandbox mode): server time to the complete HTML of each page,
 * cold and warm, and the first-load JavaScript of each route (gzipped, as the browser fetches it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import type { LatencySources } from "@/lib/data/latency-fetchers";
import type { ViewCost } from "@/lib/domain/latency";

// The data layer is marked `server-only` (it throws outside React's server build); this plain Node
// process is a server, so the marker is satisfied before the modules load.
const require = createRequire(import.meta.url);
require.cache[require.resolve("server-only")] = { exports: {} } as NodeJS.Module;

const { awsCallCounts, resetAwsCallCounts } = await import("@/lib/aws/errors");
const {
  fetchFleetInventory,
  fetchFleetLogs,
  fetchFleetMetrics,
  fetchFunctionAnnotations,
  fetchFunctionLogs,
  fetchFunctionMetrics,
  fetchFunctionSummary,
} = await import("@/lib/data/latency-fetchers");
const { addViewCosts, emptyViewCost, estimateUsd, formatUsd } = await import("@/lib/domain/latency");
const { FreshnessCache } = await import("@/lib/domain/latency-cache");
const { RANGE_PRESETS, resolveWindow } = await import("@/lib/domain/periods");
const { createHarness } = await import("@/lib/sandbox/testing");

const root = path.resolve(import.meta.dirname, "../..");
const ranges = ["24h", "7d", "14d"] as const;
const focus = ["process-user-request"];

function totalCalls(): number {
  return Object.values(awsCallCounts()).reduce((sum, count) => sum + count, 0);
}

function describeCost(cost: ViewCost): string {
  const usd = estimateUsd(cost);
  return `${cost.getMetricDataCalls} GetMetricData call(s), ${cost.metricsRequested} metrics, ${cost.logsQueries} Logs queries (${(cost.logsBytesScanned / 1e9).toFixed(2)} GB) ≈ ${formatUsd(usd.total)} (metrics ${formatUsd(usd.metrics)})`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function dataLayer(): Promise<void> {
  const harness = await createHarness("in-process");
  const sources: LatencySources = {
    clients: harness,
    nowMs: harness.clock.now().getTime(),
    audit: async () => [],
    history: () => harness.sandbox.history(),
  };
  const overview = async (range: (typeof ranges)[number]) => {
    const endMs = Math.floor(sources.nowMs / 60_000) * 60_000;
    const window = { startMs: endMs - RANGE_PRESETS[range], endMs };
    const inventory = await fetchFleetInventory(sources);
    const metrics = await fetchFleetMetrics(sources, inventory, window, focus);
    const invocations = new Map(metrics.rows.map((row) => [row.name, row.invocations]));
    const logs = await fetchFleetLogs(sources, inventory, window, focus, invocations);
    return addViewCosts(inventory.cost, metrics.cost, logs.cost);
  };
  const functionPage = async (range: (typeof ranges)[number]) => {
    const resolved = resolveWindow({ range }, sources.nowMs);
    if (!resolved.ok) throw new Error(resolved.message);
    const summary = await fetchFunctionSummary(sources, "process-user-request");
    const [metrics, logs, annotations] = await Promise.all([
      fetchFunctionMetrics(sources, summary, resolved.window, { averageAndMaximum: false }),
      fetchFunctionLogs(sources, summary, resolved.window),
      fetchFunctionAnnotations(sources, summary, resolved.window),
    ]);
    return addViewCosts(metrics.cost, logs.cost, annotations.cost, { ...emptyViewCost, otherCalls: 3 });
  };

  console.log("Part 1 — data layer, 6 seeded functions (sandbox, real SDK clients in process)\n");
  console.log(
    "view                      | first ever (sandbox simulating) | cold Phoenix cache | warm | AWS calls | cost of a fresh load",
  );
  for (const [label, load] of [
    ["overview", overview],
    ["function page", functionPage],
  ] as const) {
    for (const range of ranges) {
      const cache = new FreshnessCache(() => sources.nowMs);
      const first = await timed(() => load(range));
      resetAwsCallCounts();
      const cold = await timed(() =>
        cache.get(`${label}|${range}`, { ttlMs: 60_000, maxStaleMs: 600_000 }, () => load(range)),
      );
      const calls = totalCalls();
      const warm = await timed(() =>
        cache.get(`${label}|${range}`, { ttlMs: 60_000, maxStaleMs: 600_000 }, () => load(range)),
      );
      console.log(
        `${`${label} ${range}`.padEnd(25)} | ${first.ms.toFixed(0).padStart(8)} ms${" ".repeat(22)} | ${cold.ms.toFixed(0).padStart(7)} ms${" ".repeat(8)} | ${warm.ms.toFixed(2).padStart(5)} ms | ${String(calls).padStart(9)} | ${describeCost(cold.value.value)}`,
      );
    }
  }

  const cache = new FreshnessCache(() => sources.nowMs);
  resetAwsCallCounts();
  await Promise.all(
    Array.from({ length: 20 }, () =>
      cache.get("overview|24h", { ttlMs: 60_000, maxStaleMs: 600_000 }, () => overview("24h")),
    ),
  );
  const shared = totalCalls();
  resetAwsCallCounts();
  await overview("24h");
  const single = totalCalls();
  console.log(
    `\n20 concurrent viewers of the 24 h overview (cold cache): ${shared} AWS calls; one viewer alone: ${single}.`,
  );
  console.log(
    "50 functions: not measured — the sandbox seeds the 6 Project Phoenix functions and has no 50-function seed.",
  );
  await harness.close();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function httpLayer(): Promise<void> {
  // @ts-expect-error plain ESM helper shared with `npm start`, no type declarations
  const { buildIfStale } = await import("../../scripts/build-if-stale.mjs");
  buildIfStale();
  const dataDir = mkdtempSync(path.join(tmpdir(), "phoenix-bench-dashboard-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(
    process.execPath,
    [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: root,
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        PHOENIX_AWS: "sandbox",
        PHOENIX_DATA_DIR: dataDir,
        NEXTAUTH_URL: baseUrl,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  server.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    let password: string | undefined;
    const deadline = Date.now() + 60_000;
    while (!password) {
      if (Date.now() > deadline) throw new Error(`Phoenix did not start:\n${output}`);
      await fetch(`${baseUrl}/api/health`).catch(() => undefined);
      password = /^\s+viewer\s+\S+\s+(\S+)$/m.exec(output)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const context = await browser.newContext({ baseURL: baseUrl });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill("viewer");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-user").waitFor();

    console.log("\nPart 2 — production server (sandbox mode): time to the complete streamed HTML\n");
    console.log("page                                         | cold cache | warm cache");
    const paths = [
      ...ranges.map((range) => `/?range=${range}`),
      ...ranges.map((range) => `/functions/process-user-request?range=${range}`),
    ];
    for (const pagePath of paths) {
      const measure = async () => {
        const started = performance.now();
        const response = await context.request.get(pagePath);
        const body = (await response.body()).toString();
        const elapsed = performance.now() - started;
        // Every widget has streamed in once the cost note (rendered after the last one) is there.
        if (!body.includes('data-testid="view-cost"')) throw new Error(`${pagePath} did not render completely`);
        return elapsed;
      };
      const cold = await measure();
      const warm = await measure();
      console.log(`${pagePath.padEnd(44)} | ${cold.toFixed(0).padStart(7)} ms | ${warm.toFixed(0).padStart(7)} ms`);
    }

    console.log("\nFirst-load JavaScript per route (every script the page loads, gzipped)\n");
    for (const pagePath of ["/", "/functions", "/functions/process-user-request?range=24h"]) {
      const html = await (await context.request.get(pagePath)).text();
      const scripts = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1] as string))];
      let gzipped = 0;
      let raw = 0;
      for (const src of scripts) {
        const body = await (await context.request.get(src)).body();
        raw += body.length;
        gzipped += gzipSync(body).length;
      }
      console.log(
        `${pagePath.padEnd(44)} | ${scripts.length} scripts | ${(raw / 1024).toFixed(0)} KB raw | ${(gzipped / 1024).toFixed(0)} KB gzipped`,
      );
    }
    await context.close();
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await dataLayer();
await httpLayer();
