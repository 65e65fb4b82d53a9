import { describe, expect, it } from "vitest";
import { oidcProfileToUser } from "./options";

const oidc = {
  groupsClaim: "groups",
  groupsByRole: { admin: ["phx-admins"], operator: ["devops"], viewer: ["managers"] },
};

describe("oidcProfileToUser", () => {
  it.each([
    [{ sub: "1", groups: ["managers"] }, "viewer"],
    [{ sub: "2", groups: ["managers", "devops"] }, "operator"],
    [{ sub: "3", groups: "devops, phx-admins" }, "admin"],
    [{ sub: "4", groups: ["everyone"] }, "none"],
    [{ sub: "5" }, "none"],
  ])("maps %j to role %s", (profile, role) => {
    expect(oidcProfileToUser(profile, oidc).role).toBe(role);
  });

  it("names the user from preferred_username, then email, then subject", () => {
    expect(oidcProfileToUser({ sub: "s", preferred_username: "ana", email: "a@x", name: "Ana M" }, oidc)).toEqual({
      id: "s",
      username: "ana",
      name: "Ana M",
      role: "none",
    });
    expect(oidcProfileToUser({ sub: "s", email: "a@x" }, oidc).username).toBe("a@x");
    expect(oidcProfileToUser({ sub: "s" }, oidc).username).toBe("s");
  });

  it("reads a custom groups claim", () => {
    expect(oidcProfileToUser({ sub: "s", roles: ["devops"] }, { ...oidc, groupsClaim: "roles" }).role).toBe("operator");
  });
});
