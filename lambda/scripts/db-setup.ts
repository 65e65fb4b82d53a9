/**
 * `npm run db:migrate` and `npm run db:seed`: schema and demo data for a local PostgreSQL.
 * Connection from PG* variables (defaults: 127.0.0.1:5432, user postgres, database phoenix_lambda).
 */
import pg from "pg";
import { migrate } from "../db/migrate.js";
import { demoUsers, seed } from "../db/seed-data.js";

const action = process.argv[2];
if (action !== "migrate" && action !== "seed") {
  console.error("usage: db-setup.ts migrate|seed");
  process.exit(2);
}

const database = process.env.PGDATABASE ?? "phoenix_lambda";
const connection = {
  host: process.env.PGHOST ?? "127.0.0.1",
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? "postgres",
};

const admin = new pg.Client({ ...connection, database: "postgres" });
await admin.connect();
const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
await admin.end();

const client = new pg.Client({ ...connection, database });
await client.connect();
try {
  const applied = await migrate(client);
  console.log(applied.length > 0 ? `applied ${applied.join(", ")}` : "schema up to date");
  if (action === "seed") {
    await client.query("TRUNCATE user_records, user_configs, users");
    await seed(client, { users: demoUsers, now: new Date(), spanDays: 30 });
    console.log(`seeded ${demoUsers.length} users into ${database}`);
  }
} finally {
  await client.end();
}
