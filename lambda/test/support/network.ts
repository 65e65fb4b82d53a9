import net from "node:net";

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface TcpProxy {
  port: number;
  /** Extra delay applied to every chunk in both directions. */
  delayMs: number;
  close(): Promise<void>;
}

/**
 * A real TCP proxy in front of a real server that can be made slow: how the tests make Redis "slow"
 * without touching the machine's shared Redis.
 */
export async function startDelayingProxy(targetPort: number, delayMs: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: TcpProxy = { port: 0, delayMs, close: async () => {} };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    const pipe = (from: net.Socket, to: net.Socket) => {
      from.on("data", (chunk) => setTimeout(() => to.writable && to.write(chunk), proxy.delayMs));
      from.on("close", () => to.destroy());
      from.on("error", () => to.destroy());
    };
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  proxy.port = typeof address === "object" && address !== null ? address.port : 0;
  proxy.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
