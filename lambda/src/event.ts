import * as z from "zod";
import { HandlerError } from "./errors.js";

/**
 * The API Gateway HTTP API (payload format 2.0) event, reduced to what the handler reads.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */

const userIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "a user id is 1 to 64 letters, digits, '-' or '_'");

const httpApiEventSchema = z.object({
  version: z.literal("2.0"),
  pathParameters: z.record(z.string(), z.string()).optional(),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  requestContext: z.object({
    requestId: z.string().optional(),
    authorizer: z
      .object({
        jwt: z.object({ claims: z.record(z.string(), z.unknown()) }).optional(),
      })
      .optional(),
  }),
});

const querySchema = z
  .object({
    days: z
      .string()
      .regex(/^\d{1,4}$/, "days must be a whole number")
      .transform(Number)
      .pipe(z.number().int().min(1, "days must be at least 1").max(3650, "days must be at most 3650"))
      .optional(),
  })
  .strict();

export interface ExportEvent {
  userId: string;
  days: number | undefined;
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/**
 * Validates the event and decides whose records are exported: the JWT subject when an authorizer ran,
 * else the `userId` path parameter. A JWT user asking for another user's path gets 403, never the data.
 */
export function parseExportEvent(event: unknown): ExportEvent {
  const parsedEvent = httpApiEventSchema.safeParse(event);
  if (!parsedEvent.success) {
    throw new HandlerError("BAD_REQUEST", `Not an HTTP API 2.0 event: ${describe(parsedEvent.error)}`, {
      userMessage: "The request is not an API Gateway HTTP API (payload 2.0) request.",
    });
  }
  const { pathParameters, queryStringParameters, requestContext } = parsedEvent.data;

  const subject = requestContext.authorizer?.jwt?.claims.sub;
  const pathUserId = pathParameters?.userId;
  const candidate = subject ?? pathUserId;
  if (candidate === undefined) {
    throw new HandlerError("BAD_REQUEST", "No user id in JWT claims or path", {
      userMessage: "No user given: expected a signed-in user (JWT 'sub' claim) or a userId path parameter.",
    });
  }
  const userId = userIdSchema.safeParse(candidate);
  if (!userId.success) {
    throw new HandlerError("BAD_REQUEST", "Malformed user id", {
      userMessage: `Invalid user id: ${describe(userId.error)}.`,
    });
  }
  if (subject !== undefined && pathUserId !== undefined && pathUserId !== subject) {
    throw new HandlerError("FORBIDDEN", "JWT subject differs from the userId path parameter");
  }

  const query = querySchema.safeParse(queryStringParameters ?? {});
  if (!query.success) {
    throw new HandlerError("BAD_REQUEST", "Invalid query string", {
      userMessage: `Invalid query: ${describe(query.error)}.`,
    });
  }
  return { userId: userId.data, days: query.data.days };
}
