import { describe, expect, it } from "vitest";
import { redactSecrets } from "./audit";

describe("redactSecrets", () => {
  it("replaces secret-looking keys at any depth and keeps the rest", () => {
    expect(
      redactSecrets({ username: "a", password: "p", nested: [{ clientSecret: "s", apiToken: "t", memory: 512 }] }),
    ).toEqual({
      username: "a",
      password: "[redacted]",
      nested: [{ clientSecret: "[redacted]", apiToken: "[redacted]", memory: 512 }],
    });
  });
});
