import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

const root = path.resolve(import.meta.dirname, "..");
const next = path.join(root, "node_modules/next/dist/bin/next");

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    dataDir: string;
    demoPasswords: Record<string, string>;
  }
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

/**
 * Starts the production build of Phoenix in sandbox mode on a fresh data dir, exactly as `npm start`
 * would, and reads the demo users' passwords from what the server prints at start.
 */
export default async function setup(project: TestProject) {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  // @ts-expect-error plain ESM helper shared with `npm start`, no type declarations
  const { buildIfStale } = await import("../scripts/build-if-stale.mjs");
  buildIfStale();
  const dataDir = mkdtempSync(path.join(tmpdir(), "phoenix-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...env,
      PHOENIX_AWS: "sandbox",
      PHOENIX_DATA_DIR: dataDir,
      NEXTAUTH_URL: baseUrl,
      // Many tests fail sign-ins on purpose from one address; the per-address limit has its own store test.
      SIGNIN_MAX_FAILURES_PER_ADDRESS: "10000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  server.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });

  const demoPasswords: Record<string, string> = {};
  const deadline = Date.now() + 60_000;
  while (Object.keys(demoPasswords).length < 3) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`Phoenix did not start:\n${output}`);
    // Instrumentation runs on the first request; health triggers it.
    await fetch(`${baseUrl}/api/health`).catch(() => undefined);
    for (const match of output.matchAll(/^\s+(viewer|operator|admin)\s+(\S+)\s+(\S+)$/gm)) {
      const [, , username, password] = match;
      if (username && password) demoPasswords[username] = password;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  project.provide("baseUrl", baseUrl);
  project.provide("dataDir", dataDir);
  project.provide("demoPasswords", demoPasswords);

  return async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
