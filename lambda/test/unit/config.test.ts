import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { HandlerError } from "../../src/errors.js";

const minimal = { DB_HOST: "proxy.example", DB_NAME: "app", DB_USER: "lambda", EXPORT_BUCKET: "exports-bucket" };

function failureOf(env: Record<string, string>): HandlerError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof HandlerError) return error;
    throw error;
  }
  throw new Error("expected loadConfig to throw");
}

describe("Function: loadConfig", () => {
  it("applies the documented defaults: IAM auth, verified TLS, bounded timeouts", () => {
    const config = loadConfig(minimal);
    expect(config.db).toMatchObject({ auth: "iam", tls: "verify-full", port: 5432, statementTimeoutMs: 5000 });
    expect(config.cache.redisUrl).toBeUndefined();
    expect(config.exports.presignExpiresSeconds).toBe(900);
  });

  it("names every missing variable", () => {
    const error = failureOf({});
    expect(error.code).toBe("CONFIGURATION_INVALID");
    for (const name of ["DB_HOST", "DB_NAME", "DB_USER", "EXPORT_BUCKET"]) expect(error.message).toContain(name);
  });

  it("requires the secret id for Secrets Manager auth and a password for password auth", () => {
    expect(failureOf({ ...minimal, DB_AUTH: "secret" }).message).toContain("DB_SECRET_ID");
    expect(failureOf({ ...minimal, DB_AUTH: "password" }).message).toContain("DB_PASSWORD");
  });

  it("rejects bad values without echoing them", () => {
    const error = failureOf({ ...minimal, REDIS_URL: "http://user:hunter2@cache:6379", DB_PORT: "seventy" });
    expect(error.message).toContain("REDIS_URL");
    expect(error.message).toContain("DB_PORT");
    expect(error.message).not.toContain("hunter2");
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ ...minimal, REDIS_URL: "", S3_ENDPOINT: "" }).cache.redisUrl).toBeUndefined();
  });
});
