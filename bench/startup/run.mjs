// bench/startup: cold start of the production server — time from spawn to the first 200 on
// /api/health and on the sign-in page — and the server's peak memory (VmHWM of its process tree).
// Usage: npm run bench:startup [-- runs]   (builds first when the build is stale)
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildIfStale } from "../../scripts/build-if-stale.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const runs = Number(process.argv[2] ?? 7);
const next = path.join(root, "node_modules/next/dist/bin/next");

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

function processTree(pid) {
  const children = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {}
  }
  return [pid, ...children.flatMap(processTree)];
}

function peakMemoryMiB(pid) {
  let total = 0;
  for (const member of processTree(pid)) {
    try {
      const match = readFileSync(`/proc/${member}/status`, "utf8").match(/VmHWM:\s+(\d+) kB/);
      if (match) total += Number(match[1]);
    } catch {}
  }
  return total / 1024;
}

async function firstOk(url, started) {
  for (;;) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status === 200) return performance.now() - started;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function once() {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "phoenix-bench-"));
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const server = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PHOENIX_DATA_DIR: dataDir, NEXTAUTH_URL: base },
    stdio: "ignore",
  });
  const health = await firstOk(`${base}/api/health`, started);
  const signIn = await firstOk(`${base}/sign-in`, started);
  // A short burst of page loads so the peak reflects a server that has served its main routes.
  for (let index = 0; index < 20; index += 1) await fetch(`${base}/sign-in`);
  const memory = peakMemoryMiB(server.pid);
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
  return { health, signIn, memory };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

buildIfStale();
const results = [];
for (let run = 0; run < runs; run += 1) results.push(await once());
const row = (label, key, unit, digits) => {
  const values = results.map((result) => result[key]);
  const fmt = (value) => `${value.toFixed(digits)} ${unit}`;
  console.log(
    `${label.padEnd(34)} median ${fmt(median(values)).padStart(10)}   min ${fmt(Math.min(...values)).padStart(10)}   max ${fmt(Math.max(...values)).padStart(10)}`,
  );
};
console.log(`bench/startup — production server (next start, sandbox mode, fresh SQLite store), ${runs} cold starts`);
row("spawn → first 200 /api/health", "health", "ms", 0);
row("spawn → first 200 /sign-in", "signIn", "ms", 0);
row("peak memory (VmHWM, process tree)", "memory", "MiB", 1);
