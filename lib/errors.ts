import { ZodError } from "zod";

/**
 * The one error type of the application. `message` is for logs; `userMessage` is safe to show to a
 * person and says what happened in plain words.
 */
export const appErrorStatus = {
  INVALID_INPUT: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  /** An AWS call failed in a way worth explaining (throttled, unavailable, rejected). */
  AWS_ERROR: 502,
  INTERNAL: 500,
} as const;

export type AppErrorCode = keyof typeof appErrorStatus;

export class AppError extends Error {
  override name = "AppError";
  readonly code: AppErrorCode;
  readonly userMessage: string;
  readonly fieldErrors?: Record<string, string[]>;

  constructor(
    code: AppErrorCode,
    options: { message?: string; userMessage: string; fieldErrors?: Record<string, string[]>; cause?: unknown },
  ) {
    super(options.message ?? options.userMessage, { cause: options.cause });
    this.code = code;
    this.userMessage = options.userMessage;
    this.fieldErrors = options.fieldErrors;
  }

  get status(): number {
    return appErrorStatus[this.code];
  }

  /** Normalizes anything thrown; unknown errors become INTERNAL with a generic message. */
  static from(error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (error instanceof ZodError) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of error.issues) {
        const key = issue.path.join(".") || "_form";
        fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
      }
      return new AppError("INVALID_INPUT", {
        userMessage: error.issues.map((issue) => issue.message).join("; "),
        fieldErrors,
        cause: error,
      });
    }
    return new AppError("INTERNAL", {
      message: error instanceof Error ? error.message : String(error),
      userMessage: "Something went wrong on the server. The error was logged; please try again.",
      cause: error,
    });
  }
}

/** The JSON answer of a route handler for anything thrown: the AppError's status and its safe message. */
export function errorResponse(error: unknown): Response {
  const appError = AppError.from(error);
  if (appError.code === "INTERNAL") console.error(error);
  return Response.json(
    {
      ok: false,
      code: appError.code,
      message: appError.userMessage,
      ...(appError.fieldErrors ? { fieldErrors: appError.fieldErrors } : {}),
    },
    { status: appError.status },
  );
}
