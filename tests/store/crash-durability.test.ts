import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSqliteStore, type TestStore } from "@/tests/support/stores";

const root = path.resolve(import.meta.dirname, "../..");

describe("SQLite store under kill -9", () => {
  let store: TestStore & { file: string };
  beforeAll(async () => {
    store = await freshSqliteStore();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it("loses no committed row when the writing process is killed mid-loop", async () => {
    // Prepare: a separate process (node itself, no wrapper that would survive the kill) writes in a tight loop and reports each committed id.
    const child = spawn(process.execPath, ["--import", "tsx", "tests/support/write-loop.ts", store.file], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const committed: number[] = [];
    let buffer = "";
    // Act: SIGKILL once a few hundred rows are acknowledged, while it keeps writing.
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.stdout.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) committed.push(Number(line));
        if (committed.length >= 300 && !child.killed) child.kill("SIGKILL");
      });
      child.on("exit", () => resolve());
    });
    // Assess: reopen and find every acknowledged row.
    const rows = await store.db.selectFrom("audit_log").select("id").where("actor", "=", "crash-test").execute();
    const stored = new Set(rows.map((row) => Number(row.id)));
    const missing = committed.filter((id) => !stored.has(id));
    expect(committed.length).toBeGreaterThanOrEqual(300);
    expect(missing).toEqual([]);
    const journal = await sql<{ mode: string }>`select journal_mode as mode from pragma_journal_mode`.execute(store.db);
    expect(journal.rows[0]?.mode).toBe("wal");
  }, 60_000);
});
