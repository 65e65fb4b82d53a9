import { execFile, execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { migrate } from "../../db/migrate.js";
import { freePort } from "./network.js";

const run = promisify(execFile);

/**
 * A PostgreSQL server of our own with TLS on, for the tests and the benchmark that need the TLS
 * handshake the story blames (the machine's server has TLS off). initdb in a temporary folder, a CA
 * and a server certificate generated with openssl (for 127.0.0.1 only), password authentication
 * (scram-sha-256) over TLS only, and connection/statement logging on demand so the server itself
 * can count what clients did.
 */

export interface ThrowawayPostgres {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** The CA that signed the server certificate: what a verifying client must trust. */
  caPath: string;
  /** A second CA that signed nothing here: a client trusting only it must refuse the server. */
  otherCaPath: string;
  logPath: string;
  /** Server log lines for new authenticated connections since the log began. */
  countConnections(applicationName?: string): number;
  /** Statements the server executed since the log began (needs `logStatements`). */
  countStatements(): number;
  admin(): Promise<pg.Client>;
  setStatementLogging(enabled: boolean): Promise<void>;
  stop(): Promise<void>;
}

function postgresBinDirectory(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = path.join(base, version, "bin");
    if (existsSync(path.join(candidate, "initdb"))) return candidate;
  }
  throw new Error("initdb not found under /usr/lib/postgresql/*/bin (Debian's postgresql package)");
}

function openssl(args: string[], cwd: string) {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

function makeCertificates(directory: string) {
  const subjectOf = (cn: string) => `/CN=${cn}`;
  for (const ca of ["ca", "other-ca"]) {
    openssl(
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        `${ca}.key`,
        "-out",
        `${ca}.crt`,
        "-subj",
        subjectOf(`Phoenix test ${ca}`),
      ],
      directory,
    );
  }
  openssl(
    [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
      "-subj",
      subjectOf("127.0.0.1"),
    ],
    directory,
  );
  writeFileSync(
    path.join(directory, "server.ext"),
    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-out",
      "server.crt",
      "-extfile",
      "server.ext",
    ],
    directory,
  );
}

export interface ThrowawayPostgresOptions {
  logStatements?: boolean;
}

export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const bin = postgresBinDirectory();
  const root = mkdtempSync(path.join(tmpdir(), "phoenix-pg-"));
  const dataDirectory = path.join(root, "data");
  const logPath = path.join(root, "server.log");
  const user = "phoenix";
  const password = `test-${Math.random().toString(36).slice(2)}`;
  const port = await freePort();

  makeCertificates(root);
  writeFileSync(path.join(root, "password"), `${password}\n`);
  // PostgreSQL refuses to run as root; on CI (root) it runs as the postgres account instead.
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? ["runuser", "-u", "postgres", "--"] : [];
  if (asRoot) {
    const postgresUid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const postgresGid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chmodSync(root, 0o755);
    for (const file of [root, ...readdirSync(root).map((name) => path.join(root, name))])
      chownSync(file, postgresUid, postgresGid);
  }
  chmodSync(path.join(root, "server.key"), 0o600);

  const exec = (command: string, args: string[]) => {
    const [program, ...rest] = [...prefix, path.join(bin, command), ...args];
    return run(program as string, rest, { cwd: root });
  };
  await exec("initdb", [
    "-D",
    dataDirectory,
    "-U",
    user,
    "--pwfile",
    path.join(root, "password"),
    "-A",
    "scram-sha-256",
    "--no-sync",
    "-E",
    "UTF8",
    "--locale",
    "C",
  ]);
  // TLS only: a client that does not negotiate TLS is turned away, so a passing test proves TLS was used.
  writeFileSync(
    path.join(dataDirectory, "pg_hba.conf"),
    "local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n",
  );
  const settings = [
    `port=${port}`,
    "listen_addresses='127.0.0.1'",
    `unix_socket_directories='${root}'`,
    "ssl=on",
    `ssl_cert_file='${path.join(root, "server.crt")}'`,
    `ssl_key_file='${path.join(root, "server.key")}'`,
    "log_connections=on",
    `log_statement='${options.logStatements === true ? "all" : "none"}'`,
    "log_line_prefix='[%a] '",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
  ];
  writeFileSync(path.join(dataDirectory, "postgresql.auto.conf"), `${settings.join("\n")}\n`);
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", root]);
  await exec("pg_ctl", ["-D", dataDirectory, "-l", logPath, "-w", "-t", "30", "start"]);

  const connection = {
    host: "127.0.0.1",
    port,
    user,
    password,
    ssl: { ca: readFileSync(path.join(root, "ca.crt"), "utf8") },
  };
  const setup = new pg.Client({ ...connection, database: "postgres" });
  await setup.connect();
  await setup.query("CREATE DATABASE phoenix");
  await setup.end();
  const migrator = new pg.Client({ ...connection, database: "phoenix" });
  await migrator.connect();
  await migrate(migrator);
  await migrator.end();

  const logLines = () => (existsSync(logPath) ? readFileSync(logPath, "utf8").split("\n") : []);
  return {
    host: "127.0.0.1",
    port,
    database: "phoenix",
    user,
    password,
    caPath: path.join(root, "ca.crt"),
    otherCaPath: path.join(root, "other-ca.crt"),
    logPath,
    countConnections(applicationName) {
      return logLines().filter(
        (line) =>
          line.includes("connection authorized") &&
          (applicationName === undefined || line.includes(`application_name=${applicationName}`)),
      ).length;
    },
    countStatements() {
      return logLines().filter((line) => /LOG:\s+(statement|execute [^:]*):/.test(line)).length;
    },
    async admin() {
      const client = new pg.Client({ ...connection, database: "phoenix", application_name: "phoenix-test-admin" });
      await client.connect();
      return client;
    },
    async setStatementLogging(enabled) {
      const client = new pg.Client({ ...connection, database: "postgres", application_name: "phoenix-test-admin" });
      await client.connect();
      await client.query(`ALTER SYSTEM SET log_statement = '${enabled ? "all" : "none"}'`);
      await client.query("SELECT pg_reload_conf()");
      await client.end();
    },
    async stop() {
      await exec("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}
