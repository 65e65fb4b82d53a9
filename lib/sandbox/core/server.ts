import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxRequest, SandboxResponse } from "./http";

/**
 * The standalone sandbox on a port (default 127.0.0.1:4566): any AWS SDK or CLI pointed at it with an
 * endpoint URL talks to the same core as the in-process request handler.
 */
export interface SandboxServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(
  core: { handle(request: SandboxRequest): Promise<SandboxResponse> },
  options: { port?: number; host?: string } = {},
): Promise<SandboxServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((incoming, outgoing) => {
    readRequest(incoming)
      .then((request) => core.handle(request))
      .then((response) => {
        outgoing.writeHead(response.status, { ...response.headers, "content-length": String(response.body.length) });
        outgoing.end(response.body);
      })
      .catch((error: unknown) => {
        // Only reachable on a broken connection or a bug; still answer in AWS's shape.
        const body = JSON.stringify({
          __type: "InternalFailure",
          message: error instanceof Error ? error.message : "Internal error",
        });
        if (!outgoing.headersSent)
          outgoing.writeHead(500, { "content-type": "application/json", "x-amzn-ErrorType": "InternalFailure" });
        outgoing.end(body);
      });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 4566, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readRequest(incoming: IncomingMessage): Promise<SandboxRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url ?? "/", "http://sandbox.local");
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  // The path stays percent-encoded: Lambda routes decode their own segments (ARNs contain ':').
  return {
    method: (incoming.method ?? "GET").toUpperCase(),
    path: url.pathname,
    query,
    headers,
    body: Buffer.concat(chunks),
  };
}
