import { describe, expect, it } from "vitest";
import { HandlerError } from "../../src/errors.js";
import { parseExportEvent } from "../../src/event.js";
import { httpApiEvent } from "../support/events.js";

function rejection(event: unknown): HandlerError {
  try {
    parseExportEvent(event);
  } catch (error) {
    if (error instanceof HandlerError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("Function: parseExportEvent", () => {
  it("takes the user from the JWT subject, else from the path", () => {
    expect(parseExportEvent(httpApiEvent({ subject: "user-1" }))).toEqual({ userId: "user-1", days: undefined });
    expect(parseExportEvent(httpApiEvent({ pathUserId: "user-2", query: { days: "7" } }))).toEqual({
      userId: "user-2",
      days: 7,
    });
  });

  it("refuses a signed-in user asking for someone else's records", () => {
    const error = rejection(httpApiEvent({ subject: "user-1", pathUserId: "user-2" }));
    expect(error.statusCode).toBe(403);
  });

  it.each([
    ["a non-HTTP-API event", { hello: "world" }, "HTTP API"],
    ["no user at all", httpApiEvent(), "No user given"],
    ["a malformed user id", httpApiEvent({ pathUserId: "../../etc" }), "Invalid user id"],
    ["days that are not a number", httpApiEvent({ subject: "u", query: { days: "ten" } }), "days"],
    ["days out of range", httpApiEvent({ subject: "u", query: { days: "0" } }), "days"],
    ["an unknown query parameter", httpApiEvent({ subject: "u", query: { format: "xlsx" } }), "format"],
  ])("answers 400 with a clear message for %s", (_, event, expected) => {
    const error = rejection(event);
    expect(error.statusCode).toBe(400);
    expect(error.userMessage).toContain(expected);
  });
});
