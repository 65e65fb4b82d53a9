/**
 * The sandbox's own view of an HTTP exchange, shared by the in-process request handler and the
 * standalone server so that both feed exactly the same core.
 */
export interface SandboxRequest {
  method: string;
  /** Path without the query string, percent-decoding left to the routes. */
  path: string;
  /** Query parameters; repeated keys keep their last value except where an array is needed. */
  query: Record<string, string | string[]>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function textBody(text: string): Uint8Array {
  return encoder.encode(text);
}

export function bodyText(request: SandboxRequest): string {
  return decoder.decode(request.body);
}

export function jsonResponse(
  status: number,
  payload: unknown,
  contentType: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return {
    status,
    headers: { "content-type": contentType, ...headers },
    body: payload === undefined ? new Uint8Array() : textBody(JSON.stringify(payload)),
  };
}

export function queryValue(request: SandboxRequest, name: string): string | undefined {
  const value = request.query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}
