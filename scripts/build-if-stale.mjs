// Builds the production server when there is no build yet or a source changed since the last one.
// Shared by `npm start` and the browser tests so neither ever runs a stale build.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const sources = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
];

function newestChange(entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(full).map((child) => newestChange(path.join(entry, child))));
}

export function buildIfStale() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (existsSync(buildId) && Math.max(...sources.map(newestChange)) <= statSync(buildId).mtimeMs) return;
  console.log("Building Phoenix (first start or sources changed)…");
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const build = spawnSync(process.execPath, [next, "build"], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error("next build failed");
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfStale();
