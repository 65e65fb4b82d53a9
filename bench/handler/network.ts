import { type ChildProcess, fork } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";

/**
 * The network between the execution environments and their servers. On loopback a TLS handshake or
 * a query costs no round trip time at all, which hides exactly what the story blames (a new TLS
 * connection to the database per invocation). With a round trip time set, every server both
 * handlers use (PostgreSQL, S3 and Redis) is reached through `delay-relay.mjs`, which delays every
 * byte by half the round trip each way, so both handlers see the same network and the comparison
 * stays fair. The round trip actually achieved is measured (TCP echo through the same relay) and
 * printed, since the relay's timers overshoot a little.
 */

export interface Endpoint {
  host: string;
  port: number;
}

export interface BenchNetwork {
  /** "relay": servers behind the delay relay; "loopback": direct, no added latency. */
  mode: "relay" | "loopback";
  targetRttMs: number;
  /** Median round trip of a 1-byte TCP echo through the same path, as the environments see it. */
  measuredRttMs: number;
  /** One line for the printed table: what the network was and why. */
  description: string;
  endpoint(name: string): Endpoint;
  stop(): Promise<void>;
}

/** A TCP echo server: what the round trip is measured against. */
async function startEcho(): Promise<{ server: net.Server; endpoint: Endpoint }> {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on("data", (chunk) => socket.write(chunk));
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("echo server has no address");
  return { server, endpoint: { host: "127.0.0.1", port: address.port } };
}

/** Median round trip of `count` 1-byte messages over one connection (after the connection is set up). */
export async function measureRoundTrip(endpoint: Endpoint, count = 200): Promise<number> {
  const socket = net.connect({ ...endpoint, noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const samples: number[] = [];
  try {
    for (let index = 0; index < count + 10; index++) {
      const started = performance.now();
      await new Promise<void>((resolve) => {
        socket.once("data", () => resolve());
        socket.write("x");
      });
      if (index >= 10) samples.push(performance.now() - started);
    }
  } finally {
    socket.destroy();
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

async function startRelay(oneWayMs: number, targets: Record<string, Endpoint>) {
  const child: ChildProcess = fork(fileURLToPath(new URL("./delay-relay.mjs", import.meta.url)), [], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    child.once("message", (message: { ports: Record<string, number> }) => resolve(message.ports));
    child.once("exit", (code) => reject(new Error(`delay relay exited with ${code}`)));
    child.send({ oneWayMs, targets: Object.entries(targets).map(([name, target]) => ({ name, ...target })) });
  });
  return {
    ports,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * Puts the servers `rttMs` away (0: loopback). If the relay cannot start, falls back to loopback and
 * says so in the description rather than failing the benchmark.
 */
export async function startBenchNetwork(targets: Record<string, Endpoint>, rttMs: number): Promise<BenchNetwork> {
  const echo = await startEcho();
  const direct: Record<string, Endpoint> = { ...targets, echo: echo.endpoint };
  const loopback = async (why: string): Promise<BenchNetwork> => ({
    mode: "loopback",
    targetRttMs: 0,
    measuredRttMs: await measureRoundTrip(echo.endpoint),
    description: `loopback, no added latency (${why})`,
    endpoint: (name) => {
      const endpoint = direct[name];
      if (endpoint === undefined) throw new Error(`unknown endpoint ${name}`);
      return endpoint;
    },
    stop: () => new Promise((resolve) => echo.server.close(() => resolve())),
  });
  if (!(rttMs > 0)) return loopback("BENCH_RTT_MS=0");

  let relay: Awaited<ReturnType<typeof startRelay>>;
  try {
    relay = await startRelay(rttMs / 2, direct);
  } catch (error) {
    return loopback(`the delay relay did not start: ${(error as Error).message}`);
  }
  const endpoint = (name: string): Endpoint => {
    const port = relay.ports[name];
    if (port === undefined) throw new Error(`unknown endpoint ${name}`);
    return { host: "127.0.0.1", port };
  };
  const measuredRttMs = await measureRoundTrip(endpoint("echo"));
  return {
    mode: "relay",
    targetRttMs: rttMs,
    measuredRttMs,
    description: `${rttMs / 2} ms each way (same-AZ RDS Proxy-like) to PostgreSQL, S3 and Redis through a delay relay: round trip measured ${measuredRttMs.toFixed(2)} ms (median)`,
    endpoint,
    async stop() {
      await relay.stop();
      await new Promise<void>((resolve) => echo.server.close(() => resolve()));
    },
  };
}
