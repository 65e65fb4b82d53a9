/**
 * Latency dashboard benchmark: `npm run bench:dashboard` (`npx tsx bench/dashboard/run.ts`)
 *
 * Part 1 (in process, the data layer with the real SDK clients against a sandbox on a manual clock),
 * with the 6 story functions and with 50 (SANDBOX_FLEET_SIZE=50): fetch time of the overview and the
 * function page at 24 h / 7 d / 14 d the first time ever (the sandbox simulating), with a cold and a
 * warm Phoenix cache; AWS calls per view by kind (GetMetricData, Logs Insights queries, others),
 * metrics per GetMetricData call against the minimum the 500-query limit allows, the estimated cost;
 * the AWS calls of 20 concurrent viewers of the same page against one; and, in the `followup`
 * scenario, the calls when cold starts come from the optimized handler's own metrics.
 * Part 2 (HTTP, the production build in sandbox mode, 6 and 50 functions): server time to the complete
 * streamed HTML of each page, cold and warm Phoenix cache (after one load that makes the sandbox
 * simulate the 15 days), and the first-load JavaScript of each route (gzipped, as the browser fetches it).
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
const fleetSizes = [6, 50] as const;

function totalCalls(): number {
  return Object.values(awsCallCounts()).reduce((sum, count) => sum + count, 0);
}

function callsByKind(): string {
  const counts = awsCallCounts();
  const metrics = counts["CloudWatch.GetMetricData"] ?? 0;
  const logs = counts["CloudWatchLogs.StartQuery"] ?? 0;
  const polls = counts["CloudWatchLogs.GetQueryResults"] ?? 0;
  const other = totalCalls() - metrics - logs - polls;
  return `${metrics} GMD + ${logs} Logs (${polls} polls) + ${other} other`;
}

function describeCost(cost: ViewCost): string {
  const usd = estimateUsd(cost);
  return `${cost.metricsRequested} metrics, ${(cost.logsBytesScanned / 1e9).toFixed(2)} GB scanned ≈ ${formatUsd(usd.total)}`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

interface ViewResult {
  cost: ViewCost;
  /** Fewest GetMetricData calls possible: ⌈queries / 500⌉ for each time window the view reads. */
  minimumCalls: number;
}

async function dataLayer(fleetSize: number, scenario: "meeting" | "followup" = "meeting"): Promise<void> {
  const harness = await createHarness("in-process", { fleetSize, scenario });
  const sources: LatencySources = {
    clients: harness,
    nowMs: harness.clock.now().getTime(),
    audit: async () => [],
    history: () => harness.sandbox.history(),
  };
  const overview = async (range: (typeof ranges)[number]): Promise<ViewResult> => {
    const endMs = Math.floor(sources.nowMs / 60_000) * 60_000;
    const window = { startMs: endMs - RANGE_PRESETS[range], endMs };
    const inventory = await fetchFleetInventory(sources);
    const metrics = await fetchFleetMetrics(sources, inventory, window, focus);
    const logs = await fetchFleetLogs(sources, inventory, window, focus, metrics);
    // Two windows (now and two weeks earlier): the earlier one holds the focus's 3 queries.
    const minimumCalls = Math.ceil((metrics.cost.metricsRequested - 3 * focus.length) / 500) + 1;
    return { cost: addViewCosts(inventory.cost, metrics.cost, logs.cost), minimumCalls };
  };
  const functionPage = async (range: (typeof ranges)[number]): Promise<ViewResult> => {
    const resolved = resolveWindow({ range }, sources.nowMs);
    if (!resolved.ok) throw new Error(resolved.message);
    const summary = await fetchFunctionSummary(sources, "process-user-request");
    const [metrics, logs, annotations] = await Promise.all([
      fetchFunctionMetrics(sources, summary, resolved.window, { averageAndMaximum: false }),
      fetchFunctionLogs(sources, summary, resolved.window),
      fetchFunctionAnnotations(sources, summary, resolved.window),
    ]);
    return {
      cost: addViewCosts(metrics.cost, logs.cost, annotations.cost, { ...emptyViewCost, otherCalls: 4 }),
      minimumCalls: Math.ceil(metrics.cost.metricsRequested / 500) + (logs.cost.getMetricDataCalls > 0 ? 1 : 0),
    };
  };

  console.log(
    `\nPart 1 — data layer, ${fleetSize} functions, scenario ${scenario} (sandbox, real SDK clients in process)\n`,
  );
  console.log(
    "view                 | first ever (sandbox simulating) | cold Phoenix cache | warm     | AWS calls (cold)                     | GMD calls / minimum | cost of a fresh load",
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
      const calls = `${totalCalls()}: ${callsByKind()}`;
      const warm = await timed(() =>
        cache.get(`${label}|${range}`, { ttlMs: 60_000, maxStaleMs: 600_000 }, () => load(range)),
      );
      const { cost, minimumCalls } = cold.value.value;
      console.log(
        `${`${label} ${range}`.padEnd(20)} | ${first.ms.toFixed(0).padStart(8)} ms${" ".repeat(22)} | ${cold.ms.toFixed(0).padStart(7)} ms${" ".repeat(8)} | ${warm.ms.toFixed(2).padStart(5)} ms | ${calls.padEnd(36)} | ${`${cost.getMetricDataCalls} / ${minimumCalls}`.padStart(19)} | ${describeCost(cost)}`,
      );
    }
  }

  for (const [label, load] of [
    ["overview", overview],
    ["function page", functionPage],
  ] as const) {
    const cache = new FreshnessCache(() => sources.nowMs);
    resetAwsCallCounts();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        cache.get(`${label}|24h`, { ttlMs: 60_000, maxStaleMs: 600_000 }, () => load("24h")),
      ),
    );
    const shared = totalCalls();
    resetAwsCallCounts();
    await load("24h");
    const single = totalCalls();
    console.log(
      `20 concurrent viewers of the 24 h ${label} (cold cache): ${shared} AWS calls; one viewer alone: ${single}.`,
    );
  }
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

async function httpLayer(fleetSize: number, measureJavaScript: boolean): Promise<void> {
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
        SANDBOX_FLEET_SIZE: String(fleetSize),
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

    const measure = async (pagePath: string) => {
      const started = performance.now();
      const response = await context.request.get(pagePath);
      const body = (await response.body()).toString();
      const elapsed = performance.now() - started;
      // Every widget has streamed in once the cost note (rendered after the last one) is there.
      if (!body.includes('data-testid="view-cost"')) throw new Error(`${pagePath} did not render completely`);
      return { elapsed, body };
    };
    console.log(
      `\nPart 2 — production server (sandbox mode, ${fleetSize} functions): time to the complete streamed HTML\n`,
    );
    // The first load of the 14-day overview makes the sandbox simulate 15 days of every function: an
    // emulator cost AWS does not have. It is shown on its own; the cold loads below are a cold Phoenix
    // cache over a warm sandbox (the overview with another function in focus is another cache entry).
    const first = await measure("/?range=14d");
    // The streamed HTML holds the table twice (while the logs load, then with them): count the last.
    const lastTable = first.body.split('data-testid="fleet-table"').at(-1)?.split("</table>")[0] ?? "";
    const rowCount = (lastTable.match(/<tr/g) ?? []).length - 1;
    console.log(
      `first load ever, /?range=14d (sandbox simulating): ${first.elapsed.toFixed(0)} ms; fleet table rows: ${rowCount}`,
    );
    console.log("page                                                    | cold cache | warm cache (median of 5)");
    const paths = [
      ...ranges.map((range) => `/?range=${range}&focus=get-user-profile`),
      ...ranges.map((range) => `/functions/process-user-request?range=${range}`),
    ];
    for (const pagePath of paths) {
      const cold = await measure(pagePath);
      // Warm: the median of five loads (a single one also measures the JIT warming the route's code).
      const warmLoads: number[] = [];
      for (let load = 0; load < 5; load++) warmLoads.push((await measure(pagePath)).elapsed);
      const warm = warmLoads.sort((a, b) => a - b)[2] as number;
      console.log(
        `${pagePath.padEnd(55)} | ${cold.elapsed.toFixed(0).padStart(7)} ms | ${warm.toFixed(0).padStart(7)} ms`,
      );
    }
    if (!measureJavaScript) {
      await context.close();
      return;
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

for (const fleetSize of fleetSizes) await dataLayer(fleetSize);
await dataLayer(6, "followup");
for (const fleetSize of fleetSizes) await httpLayer(fleetSize, fleetSize === fleetSizes[0]);
