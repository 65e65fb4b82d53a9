import { describe, expect, it } from "vitest";
import { hasRole, roleFromGroups } from "./roles";

describe("hasRole", () => {
  it.each([
    ["viewer", "viewer", true],
    ["viewer", "operator", false],
    ["viewer", "admin", false],
    ["operator", "viewer", true],
    ["operator", "operator", true],
    ["operator", "admin", false],
    ["admin", "operator", true],
    ["admin", "admin", true],
  ] as const)("%s holding a %s requirement → %s", (actual, required, expected) => {
    expect(hasRole(actual, required)).toBe(expected);
  });
});

describe("roleFromGroups", () => {
  const mapping = { admin: ["phx-admins"], operator: ["devops", "sre"], viewer: ["managers"] };
  it.each([
    [["managers"], "viewer"],
    [["managers", "sre"], "operator"],
    [["devops", "phx-admins"], "admin"],
    [["everyone"], undefined],
    [[], undefined],
  ] as const)("groups %j map to %s (highest wins, none means no access)", (groups, expected) => {
    expect(roleFromGroups(groups, mapping)).toBe(expected);
  });
});
