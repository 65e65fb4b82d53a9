import { mkdirSync } from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import type { PhoenixConfig } from "@/lib/config";
import { migrateToLatest } from "./migrations";
import type { Database } from "./schema";

export type Store = { db: Kysely<Database>; dialect: "sqlite" | "postgres"; ready: Promise<void> };

/**
 * Opens the store described by the configuration and starts migrating it. Opening is lazy (never at
 * module scope) because `next build` evaluates modules without a database.
 */
export async function openStore(database: PhoenixConfig["database"]): Promise<Store> {
  if (database.kind === "postgres") {
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: "postgres", ready: migrateToLatest(db as Kysely<unknown>, "postgres") };
  }
  const { default: BetterSqlite3 } = await import("better-sqlite3");
  mkdirSync(path.dirname(database.file), { recursive: true });
  const sqlite = new BetterSqlite3(database.file);
  // WAL keeps readers off the writer's back; synchronous=FULL makes every commit durable even
  // against power loss, which the audit log deserves. busy_timeout lets the CLI and server share it.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", ready: migrateToLatest(db as Kysely<unknown>, "sqlite") };
}

const globalStore = globalThis as typeof globalThis & { phoenixStore?: Promise<Store> };

/** The process-wide store, migrated. Kept on globalThis so dev-mode reloads reuse one connection. */
export async function getStore(): Promise<Store> {
  if (!globalStore.phoenixStore) {
    const { getConfig } = await import("@/lib/config");
    globalStore.phoenixStore = openStore(getConfig().database);
  }
  const store = await globalStore.phoenixStore;
  await store.ready;
  return store;
}

export async function getDb(): Promise<Kysely<Database>> {
  return (await getStore()).db;
}
