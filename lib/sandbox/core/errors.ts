/**
 * One error type for every emulated service: the AWS error code (shape name), its HTTP status and
 * message. Each protocol serializes it the way its service does (see the services' serializers).
 */
export class AwsServiceError extends Error {
  constructor(
    /** The error shape name, e.g. "ResourceNotFoundException". */
    readonly code: string,
    message: string,
    readonly status: number,
    /** Extra body fields (Lambda's `Type`, `Reason`…). */
    readonly fields: Record<string, unknown> = {},
    /** Extra response headers (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** Whether the caller is at fault (4xx) — the awsQuery `Type` and the query-error header's suffix. */
  get senderFault(): boolean {
    return this.status < 500;
  }
}

/** Coral-style "1 validation error detected" message that AWS's model-level validation produces. */
export function validationMessage(value: unknown, field: string, constraint: string): string {
  const shown = typeof value === "string" ? value : JSON.stringify(value);
  return `1 validation error detected: Value '${shown}' at '${field}' failed to satisfy constraint: ${constraint}`;
}
