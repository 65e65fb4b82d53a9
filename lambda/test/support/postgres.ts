import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../db/migrate.js";

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432, trust auth) for one test file:
 * created, migrated, and dropped afterwards, so test files never see each other's rows.
 */

export const machinePostgres = {
  host: process.env.PGHOST ?? "127.0.0.1",
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? "postgres",
};

export interface TestDatabase {
  name: string;
  /** An admin connection to the test database, for seeding and checks. */
  client: pg.Client;
  drop(): Promise<void>;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `phoenix_${label.replace(/[^a-z0-9_]/g, "_")}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ ...machinePostgres, database: "postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await admin.end();

  const client = new pg.Client({ ...machinePostgres, database: name });
  await client.connect();
  await migrate(client);
  return {
    name,
    client,
    async drop() {
      await client.end();
      const dropper = new pg.Client({ ...machinePostgres, database: "postgres" });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
