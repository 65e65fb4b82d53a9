import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openStore, type Store } from "@/lib/db";

/** The PostgreSQL server every machine of this kind runs (trust auth); override with TEST_DATABASE_URL. */
export const testPostgresUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestStore extends Store {
  cleanup(): Promise<void>;
}

/** A fresh, migrated SQLite file in a temp dir. */
export async function freshSqliteStore(): Promise<TestStore & { file: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "phoenix-store-"));
  const file = path.join(dir, "phoenix.sqlite");
  const store = await openStore({ kind: "sqlite", file });
  await store.ready;
  return {
    ...store,
    file,
    async cleanup() {
      await store.db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh, migrated PostgreSQL schema (one per test file, so suites run in parallel safely). */
export async function freshPostgresStore(): Promise<TestStore> {
  const schema = `phoenix_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const store = await openStore({ kind: "postgres", url: url.toString() });
  await store.ready;
  return {
    ...store,
    async cleanup() {
      await store.db.destroy();
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

export const storeKinds = [
  ["sqlite", freshSqliteStore],
  ["postgres", freshPostgresStore],
] as const;
