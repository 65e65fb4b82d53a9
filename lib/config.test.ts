import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

const secret = "s".repeat(40);

describe("parseConfig", () => {
  it("defaults to the sandbox with a SQLite store", () => {
    const config = parseConfig({ NEXTAUTH_SECRET: secret });
    expect(config.awsMode).toBe("sandbox");
    expect(config.database).toMatchObject({ kind: "sqlite" });
    expect(config.database.kind === "sqlite" && config.database.file.endsWith("data/phoenix.sqlite")).toBe(true);
    expect(config.awsRegion).toBe("us-east-1");
  });

  it("switches to PostgreSQL for a postgres:// DATABASE_URL", () => {
    const config = parseConfig({ NEXTAUTH_SECRET: secret, DATABASE_URL: "postgres://u@db:5432/phoenix" });
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://u@db:5432/phoenix" });
  });

  it.each([
    [{ PHOENIX_AWS: "real" }, "NEXTAUTH_SECRET: is required outside sandbox mode"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL: must be a postgres:// URL"],
    [{ NEXTAUTH_SECRET: "short" }, "NEXTAUTH_SECRET: must be at least 32 characters"],
    [
      { OIDC_ISSUER: "https://id.example.com" },
      "OIDC needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together",
    ],
    [{ AWS_REGION: "mars" }, "AWS_REGION: must look like us-east-1"],
    [{ PORT: "99999" }, "PORT"],
  ])("refuses %j", (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it("maps OIDC groups per role", () => {
    const config = parseConfig({
      NEXTAUTH_SECRET: secret,
      OIDC_ISSUER: "https://id.example.com/realms/x",
      OIDC_CLIENT_ID: "phoenix",
      OIDC_CLIENT_SECRET: "shh",
      OIDC_ADMIN_GROUPS: "phx-admins, platform",
      OIDC_OPERATOR_GROUPS: "devops",
    });
    expect(config.oidc?.groupsByRole).toEqual({ admin: ["phx-admins", "platform"], operator: ["devops"], viewer: [] });
  });
});
