import type { Kysely } from "kysely";
import type { SandboxPersistence, SandboxSnapshot } from "@/lib/sandbox";
import type { Database } from "./schema";

/** The sandbox's state kept in the Phoenix store (SQLite or PostgreSQL), one JSON row per account/region. */
export function storeSandboxPersistence(db: Kysely<Database>): SandboxPersistence {
  return {
    async load(key) {
      const row = await db.selectFrom("sandbox_state").select("snapshot").where("key", "=", key).executeTakeFirst();
      return row ? (JSON.parse(row.snapshot) as SandboxSnapshot) : undefined;
    },
    async save(key, snapshot) {
      const values = { key, snapshot: JSON.stringify(snapshot), updated_at: new Date().toISOString() };
      await db
        .insertInto("sandbox_state")
        .values(values)
        .onConflict((conflict) =>
          conflict.column("key").doUpdateSet({ snapshot: values.snapshot, updated_at: values.updated_at }),
        )
        .execute();
    },
  };
}
