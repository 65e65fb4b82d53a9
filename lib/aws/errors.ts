import { AppError } from "@/lib/errors";

/**
 * Every AWS call of the adapters goes through `callAws`: AWS errors become an AppError in plain words
 * (the SDK has already retried throttling and 5xx, AWS_BEHAVIOUR.md §6.2), and calls are counted per
 * operation so benchmarks and tests can see what a page view costs.
 */

const callCounts = new Map<string, number>();

/** Calls made since the process started (or the last reset), by `Service.Operation`. */
export function awsCallCounts(): Record<string, number> {
  return Object.fromEntries(callCounts);
}

export function resetAwsCallCounts(): void {
  callCounts.clear();
}

const throttled = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "RequestThrottledException",
]);
const denied = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
]);
const notFound = new Set(["ResourceNotFoundException", "ObjectNotFoundException", "ResourceNotFound"]);

/** Translates an AWS SDK error into an AppError; `what` completes "Phoenix could not …". */
export function translateAwsError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (throttled.has(name) || status === 429) {
    return new AppError("AWS_ERROR", {
      message: `${name}: ${message}`,
      userMessage: `AWS is throttling requests, so Phoenix could not ${what}. Try again in a minute.`,
      cause: error,
    });
  }
  if (denied.has(name) || status === 403) {
    return new AppError("AWS_ERROR", {
      message: `${name}: ${message}`,
      userMessage: `Access denied: Phoenix's AWS role is not allowed to ${what}.`,
      cause: error,
    });
  }
  if (notFound.has(name)) {
    return new AppError("NOT_FOUND", {
      message: `${name}: ${message}`,
      userMessage: `Not found: AWS has no such resource (${message}).`,
      cause: error,
    });
  }
  if (status !== undefined && status >= 500) {
    return new AppError("AWS_ERROR", {
      message: `${name}: ${message}`,
      userMessage: `AWS had an internal error, so Phoenix could not ${what}. Try again shortly.`,
      cause: error,
    });
  }
  return new AppError("AWS_ERROR", {
    message: `${name}: ${message}`,
    userMessage: `AWS refused to ${what}: ${message}`,
    cause: error,
  });
}

/** Runs one AWS call: counted, and with its errors translated. */
export async function callAws<T>(operation: string, what: string, call: () => Promise<T>): Promise<T> {
  callCounts.set(operation, (callCounts.get(operation) ?? 0) + 1);
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, what);
  }
}
