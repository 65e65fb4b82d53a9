import type { Readable } from "node:stream";
import type { SandboxRequest, SandboxResponse } from "./http";

/**
 * A Smithy `HttpHandler` that hands SDK requests straight to the sandbox core, so SDK clients built
 * with `requestHandler: sandbox.requestHandler` never open a socket. It is what `@smithy/node-http-handler`
 * is to the network: same inputs (an HttpRequest), same outputs ({ response: HttpResponse }).
 */

/** The parts of `@smithy/protocol-http`'s HttpRequest the sandbox reads. */
export interface SmithyHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null | undefined>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface SmithyHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Structurally compatible with `@smithy/types` HttpHandlerOptions (either AbortSignal flavour). */
export interface SmithyHandlerOptions {
  abortSignal?: { readonly aborted: boolean } | undefined;
  requestTimeout?: number | undefined;
}

export interface SandboxRequestHandler {
  handle(request: SmithyHttpRequest, options?: SmithyHandlerOptions): Promise<{ response: SmithyHttpResponse }>;
  updateHttpClientConfig(key: string, value: unknown): void;
  httpHandlerConfigs(): Record<string, unknown>;
  destroy(): void;
  readonly metadata: { handlerProtocol: string };
}

export function createRequestHandler(core: {
  handle(request: SandboxRequest): Promise<SandboxResponse>;
}): SandboxRequestHandler {
  const configs: Record<string, unknown> = {};
  return {
    metadata: { handlerProtocol: "http/1.1" },
    async handle(request, options) {
      if (options?.abortSignal?.aborted) {
        const error = new Error("Request aborted");
        error.name = "AbortError";
        throw error;
      }
      const sandboxRequest: SandboxRequest = {
        method: request.method.toUpperCase(),
        path: request.path || "/",
        query: normalizeQuery(request.query),
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
        ),
        body: await readBody(request.body),
      };
      const response = await core.handle(sandboxRequest);
      return {
        response: {
          statusCode: response.status,
          // Node's HTTP client lower-cases header names; the SDK's deserializers rely on that.
          headers: Object.fromEntries(
            Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]),
          ),
          body: response.body,
        },
      };
    },
    updateHttpClientConfig(key, value) {
      configs[key] = value;
    },
    httpHandlerConfigs() {
      return { ...configs };
    },
    destroy() {
      // Nothing to release: no sockets, no agents.
    },
  };
}

function normalizeQuery(query: SmithyHttpRequest["query"]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined) out[key] = "";
    else out[key] = value;
  }
  return out;
}

async function readBody(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof (body as Readable).on === "function" || Symbol.asyncIterator in (body as object)) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>)
      chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
    return Buffer.concat(chunks);
  }
  return new TextEncoder().encode(String(body));
}
