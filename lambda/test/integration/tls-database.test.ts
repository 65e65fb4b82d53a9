import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed } from "../../db/seed-data.js";
import { httpApiEvent, invocationContext } from "../support/events.js";
import { startS3Server, type TestS3 } from "../support/s3-server.js";
import { startSecretsManagerEndpoint } from "../support/secrets-manager-endpoint.js";
import { createTestEnvironment, type TestEnvironment } from "../support/test-environment.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../support/throwaway-postgres.js";

// A PostgreSQL of our own with TLS required and scram-sha-256 passwords, so the handshake is real.
let server: ThrowawayPostgres;
let s3: TestS3;

beforeAll(async () => {
  [server, s3] = await Promise.all([startThrowawayPostgres(), startS3Server()]);
  const admin = await server.admin();
  await seed(admin, { now: new Date(), spanDays: 5, users: [{ id: "alice", email: "a@example.com", records: 10 }] });
  await admin.end();
});

afterAll(async () => {
  await Promise.all([server?.stop(), s3?.stop()]);
});

function tlsEnvironment(variables: Record<string, string>): TestEnvironment {
  return createTestEnvironment({
    DB_HOST: server.host,
    DB_PORT: String(server.port),
    DB_NAME: server.database,
    DB_USER: server.user,
    DB_AUTH: "password",
    DB_PASSWORD: server.password,
    DB_TLS: "verify-full",
    DB_CA_BUNDLE_PATH: server.caPath,
    DB_CONNECT_TIMEOUT_MS: "2000",
    EXPORT_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    ...variables,
  });
}

async function invoke(environment: TestEnvironment) {
  return environment.handler(httpApiEvent({ subject: "alice" }), invocationContext());
}

function lastErrorMessage(environment: TestEnvironment): string {
  return String((environment.lines.at(-1)?.error as { message?: string } | undefined)?.message);
}

describe("Database TLS: verified, encrypted, once per environment", () => {
  it("connects over TLS with the certificate verified against the configured CA", async () => {
    const environment = tlsEnvironment({ DB_APPLICATION_NAME: "tls-ok" });
    try {
      expect((await invoke(environment)).statusCode).toBe(200);
      expect((await invoke(environment)).statusCode).toBe(200);
      const admin = await server.admin();
      const ssl = await admin.query(
        "SELECT s.ssl, s.version FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'tls-ok'",
      );
      await admin.end();
      expect(ssl.rows).toEqual([{ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) }]);
      expect(server.countConnections("tls-ok")).toBe(1);
    } finally {
      await environment.close();
    }
  });

  it("refuses a server whose certificate another CA signed (503, nothing leaked)", async () => {
    const environment = tlsEnvironment({ DB_CA_BUNDLE_PATH: server.otherCaPath });
    try {
      const response = await invoke(environment);
      expect(response.statusCode).toBe(503);
      expect(lastErrorMessage(environment)).toMatch(/self[- ]signed|unable to verify|certificate/i);
      expect(response.body).not.toMatch(/certificate/i);
    } finally {
      await environment.close();
    }
  });

  it("refuses a certificate issued for another host name", async () => {
    // The certificate names 127.0.0.1 only; "localhost" reaches the same server under another name.
    const environment = tlsEnvironment({ DB_HOST: "localhost" });
    try {
      expect((await invoke(environment)).statusCode).toBe(503);
      expect(lastErrorMessage(environment)).toMatch(/Hostname\/IP does not match|altnames/i);
    } finally {
      await environment.close();
    }
  });

  it("trusts only the shipped RDS / RDS Proxy CA bundle by default", async () => {
    const environment = tlsEnvironment({ DB_CA_BUNDLE_PATH: "" });
    try {
      expect((await invoke(environment)).statusCode).toBe(503);
      expect(lastErrorMessage(environment)).toMatch(/self[- ]signed|unable to verify|certificate/i);
    } finally {
      await environment.close();
    }
  });

  it("fails cleanly with a wrong password", async () => {
    const environment = tlsEnvironment({ DB_PASSWORD: "wrong" });
    try {
      const response = await invoke(environment);
      expect(response.statusCode).toBe(503);
      expect(lastErrorMessage(environment)).toMatch(/password authentication failed/);
      expect(JSON.stringify(environment.lines)).not.toContain(server.password);
    } finally {
      await environment.close();
    }
  });

  it("takes the password from Secrets Manager once, and again after the server rejects it (rotation)", async () => {
    const secrets = await startSecretsManagerEndpoint(
      "phoenix/db",
      JSON.stringify({ username: server.user, password: "stale-password" }),
    );
    const previousEndpoint = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.url;
    const environment = tlsEnvironment({ DB_AUTH: "secret", DB_SECRET_ID: "phoenix/db", DB_PASSWORD: "" });
    try {
      expect((await invoke(environment)).statusCode).toBe(503);
      secrets.secretString = JSON.stringify({ username: server.user, password: server.password });
      expect((await invoke(environment)).statusCode).toBe(200);
      expect((await invoke(environment)).statusCode).toBe(200);
      expect(secrets.calls).toBe(2);
    } finally {
      await environment.close();
      await secrets.close();
      if (previousEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
      else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = previousEndpoint;
    }
  });

  it("signs an RDS IAM token as the password in IAM mode (the server here cannot check it, so it refuses)", async () => {
    const environment = tlsEnvironment({ DB_AUTH: "iam", DB_PASSWORD: "", DB_APPLICATION_NAME: "tls-iam" });
    process.env.AWS_SESSION_TOKEN = "test-session-token";
    try {
      expect((await invoke(environment)).statusCode).toBe(503);
      // The token reached the server as a password over TLS: authentication, not transport, failed.
      expect(lastErrorMessage(environment)).toMatch(/password authentication failed/);
    } finally {
      delete process.env.AWS_SESSION_TOKEN;
      await environment.close();
    }
  });
});
