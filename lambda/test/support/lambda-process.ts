import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** An execution environment in its own process, running a built bundle through `lambda-worker.mjs`. */

const workerPath = fileURLToPath(new URL("./lambda-worker.mjs", import.meta.url));

export interface InvocationResult {
  response: { statusCode?: number; body?: string; headers?: Record<string, string> };
  durationMs: number;
}

export interface LambdaProcess {
  /** Milliseconds from spawning the process to the module being loaded (node start + INIT). */
  readyAfterMs: number;
  importMs: number;
  invoke(event: unknown, requestId: string): Promise<InvocationResult>;
  stats(): Promise<{ connectionsOpened: number; queries: number } | null>;
  /** Lines the handler wrote to stdout (its structured log / EMF lines). */
  lines: string[];
  stop(): Promise<void>;
}

export async function startLambdaProcess(bundlePath: string, env: Record<string, string>): Promise<LambdaProcess> {
  const spawned = performance.now();
  const child: ChildProcess = fork(workerPath, [bundlePath], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    execArgv: ["--enable-source-maps"],
  });
  const lines: string[] = [];
  let buffered = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    lines.push(...parts.filter((line) => line.trim() !== ""));
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });

  const pending = new Map<number, (result: InvocationResult) => void>();
  let statsWaiter: ((stats: { connectionsOpened: number; queries: number } | null) => void) | undefined;
  let nextId = 0;
  const ready = new Promise<{ importMs: number }>((resolve, reject) => {
    child.on(
      "message",
      (
        message: {
          type: string;
          id?: number;
          importMs?: number;
          errorMessage?: string;
          stats?: { connectionsOpened: number; queries: number } | null;
        } & InvocationResult,
      ) => {
        if (message.type === "ready") resolve({ importMs: message.importMs ?? 0 });
        else if (message.type === "init-error") reject(new Error(`Init failed: ${message.errorMessage}`));
        else if (message.type === "result" && message.id !== undefined) {
          pending.get(message.id)?.({ response: message.response, durationMs: message.durationMs });
          pending.delete(message.id);
        } else if (message.type === "stats") statsWaiter?.(message.stats ?? null);
      },
    );
    child.on("exit", (code) =>
      reject(new Error(`Lambda process exited with ${code} before it was ready: ${stderr.slice(-2000)}`)),
    );
  });
  const { importMs } = await ready;
  const readyAfterMs = performance.now() - spawned;

  return {
    readyAfterMs,
    importMs,
    lines,
    invoke(event, requestId) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.send({ type: "invoke", id, event, requestId });
      });
    },
    stats() {
      return new Promise((resolve) => {
        statsWaiter = resolve;
        child.send({ type: "stats" });
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}
