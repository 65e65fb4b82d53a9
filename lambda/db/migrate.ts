import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type pg from "pg";

/** Applies `db/migrations/*.sql` in name order, each once, each in its own transaction. */

const migrationsDirectory = fileURLToPath(new URL("./migrations/", import.meta.url));

export async function migrate(client: pg.ClientBase): Promise<string[]> {
  await client.query(
    "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  const applied = new Set(
    (await client.query<{ name: string }>("SELECT name FROM schema_migrations")).rows.map((row) => row.name),
  );
  const files = (await readdir(migrationsDirectory)).filter((name) => name.endsWith(".sql")).sort();
  const newlyApplied: string[] = [];
  for (const name of files) {
    if (applied.has(name)) continue;
    const sql = await readFile(new URL(name, `file://${migrationsDirectory}`), "utf8");
    await client.query("BEGIN");
    try {
      await client.query(sql);
      await client.query("INSERT INTO schema_migrations (name) VALUES ($1)", [name]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
    newlyApplied.push(name);
  }
  return newlyApplied;
}
