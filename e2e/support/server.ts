import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const next = path.join(root, "node_modules/next/dist/bin/next");

export interface PhoenixServer {
  baseUrl: string;
  /** The server's data dir: tests read its SQLite store (read-only) to prove what was written. */
  dataDir: string;
  /** The demo users' passwords, read from what the server prints at start. */
  passwords: Record<string, string>;
  stop(): Promise<void>;
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
 * Starts the production build (made by global-setup) in sandbox mode on a fresh data dir, exactly as
 * `npm start` would. Each test file gets its own server, so one file's changes to the simulated AWS
 * (memory, schedules, scenario events) can never surprise another file running beside it.
 */
export async function startPhoenixServer(options: { scenario?: "meeting" | "followup" } = {}): Promise<PhoenixServer> {
  const scenario = options.scenario ?? "meeting";
  const dataDir = mkdtempSync(path.join(tmpdir(), `phoenix-e2e-${scenario}-`));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      PHOENIX_AWS: "sandbox",
      SANDBOX_SCENARIO: scenario,
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

  const passwords: Record<string, string> = {};
  const deadline = Date.now() + 90_000;
  while (Object.keys(passwords).length < 3) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`Phoenix did not start:\n${output}`);
    // Instrumentation runs before the first request is answered; health triggers it.
    await fetch(`${baseUrl}/api/health`).catch(() => undefined);
    for (const match of output.matchAll(/^\s+(viewer|operator|admin)\s+(\S+)\s+(\S+)$/gm)) {
      const [, , username, password] = match;
      if (username && password) passwords[username] = password;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseUrl,
    dataDir,
    passwords,
    async stop() {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
