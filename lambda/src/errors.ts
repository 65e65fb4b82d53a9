/**
 * The one error type of the handler package. Every failure the handler knows how to describe becomes
 * a `HandlerError` with a code; the code decides the HTTP status and the words a caller may see.
 * Internal detail stays in `message` and `cause`, which go to the log, never into a response.
 */
export type HandlerErrorCode =
  | "BAD_REQUEST"
  | "FORBIDDEN"
  | "USER_NOT_FOUND"
  | "DATABASE_UNAVAILABLE"
  | "STORAGE_UNAVAILABLE"
  | "CONFIGURATION_INVALID"
  | "INTERNAL";

const statusByCode: Record<HandlerErrorCode, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  USER_NOT_FOUND: 404,
  DATABASE_UNAVAILABLE: 503,
  STORAGE_UNAVAILABLE: 503,
  CONFIGURATION_INVALID: 500,
  INTERNAL: 500,
};

const defaultUserMessageByCode: Record<HandlerErrorCode, string> = {
  BAD_REQUEST: "The request is not valid.",
  FORBIDDEN: "You may only export your own records.",
  USER_NOT_FOUND: "No such user.",
  DATABASE_UNAVAILABLE: "The database is unavailable right now. Please retry shortly.",
  STORAGE_UNAVAILABLE: "The export storage is unavailable right now. Please retry shortly.",
  CONFIGURATION_INVALID: "The service is misconfigured.",
  INTERNAL: "Something went wrong on our side.",
};

export interface HandlerErrorOptions {
  /** Words safe to show the caller; defaults to a generic sentence for the code. */
  userMessage?: string;
  cause?: unknown;
}

export class HandlerError extends Error {
  readonly code: HandlerErrorCode;
  readonly statusCode: number;
  readonly userMessage: string;

  constructor(code: HandlerErrorCode, message: string, options: HandlerErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "HandlerError";
    this.code = code;
    this.statusCode = statusByCode[code];
    this.userMessage = options.userMessage ?? defaultUserMessageByCode[code];
  }

  /** 503s tell the client when to come back (API Gateway passes the header through). */
  get retryAfterSeconds(): number | undefined {
    return this.statusCode === 503 ? 1 : undefined;
  }
}

/** Narrows a caught value to `Error`, wrapping anything else, so catch blocks can rely on `.message`. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
