import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit, queryAudit } from "@/lib/audit";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { createUser, findUserByUsername, listUsers, resetUserPassword, setUserRole } from "@/lib/auth/users";
import { migrateToLatest } from "@/lib/db/migrations";
import { storeKinds, type TestStore } from "@/tests/support/stores";

const limits = { maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, windowSeconds: 600 };
const goodPassword = "Correct-Horse-42";

describe.each(storeKinds)("store on %s", (dialect, open) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  describe("migrations", () => {
    it("can run again at every start without changing anything", async () => {
      // Prepare
      await createUser(store.db, { username: "migrate-check", role: "viewer", password: goodPassword });
      // Act
      await migrateToLatest(store.db as never, dialect);
      await migrateToLatest(store.db as never, dialect);
      // Assess
      expect(await findUserByUsername(store.db, "migrate-check")).toBeDefined();
    });
  });

  describe("users", () => {
    it("stores a scrypt hash, never the password, and normalizes the username", async () => {
      await createUser(store.db, { username: "Alice", role: "operator", password: goodPassword });
      const row = await findUserByUsername(store.db, "alice");
      expect(row?.username).toBe("alice");
      expect(row?.password_hash).toMatch(/^scrypt\$/);
      expect(row?.password_hash).not.toContain(goodPassword);
    });

    it("refuses a second user with the same name, whatever the case", async () => {
      await expect(createUser(store.db, { username: "ALICE", role: "viewer", password: goodPassword })).rejects.toThrow(
        /already exists/,
      );
    });

    it("rejects weak passwords and unknown roles without writing", async () => {
      const before = (await listUsers(store.db)).length;
      await expect(createUser(store.db, { username: "weak", role: "viewer", password: "password" })).rejects.toThrow(
        /at least 12/,
      );
      await expect(
        createUser(store.db, { username: "weak2", role: "viewer", password: "passwordpassword" }),
      ).rejects.toThrow(/three of/);
      await expect(
        createUser(store.db, { username: "weak3", role: "superuser" as never, password: goodPassword }),
      ).rejects.toThrow(/Role must be one of/);
      expect((await listUsers(store.db)).length).toBe(before);
    });

    it("changes roles and passwords", async () => {
      await setUserRole(store.db, "alice", "admin");
      await resetUserPassword(store.db, "alice", "Another-Secret-77");
      const user = await findUserByUsername(store.db, "alice");
      expect(user?.role).toBe("admin");
      const oldWorks = await signInWithPassword(store.db, limits, {
        username: "alice",
        password: goodPassword,
        address: "a1",
      });
      const newWorks = await signInWithPassword(store.db, limits, {
        username: "alice",
        password: "Another-Secret-77",
        address: "a1",
      });
      expect(oldWorks.ok).toBe(false);
      expect(newWorks.ok).toBe(true);
    });
  });

  describe("sign-in", () => {
    it("accepts the right password and answers the same message for a wrong password or unknown user", async () => {
      await createUser(store.db, { username: "bob", role: "viewer", password: goodPassword });
      const good = await signInWithPassword(store.db, limits, {
        username: "bob",
        password: goodPassword,
        address: "b1",
      });
      const wrong = await signInWithPassword(store.db, limits, {
        username: "bob",
        password: "nope-nope",
        address: "b1",
      });
      const unknown = await signInWithPassword(store.db, limits, { username: "nobody", password: "x", address: "b1" });
      expect(good).toMatchObject({ ok: true, user: { username: "bob", role: "viewer" } });
      expect(wrong).toEqual({ ok: false, message: "Wrong username or password." });
      expect(unknown).toEqual(wrong);
    });

    it("locks an account after its failure limit, even for the right password, until the window passes", async () => {
      await createUser(store.db, { username: "carol", role: "viewer", password: goodPassword });
      const now = new Date("2026-12-01T10:00:00Z");
      for (let attempt = 0; attempt < limits.maxFailuresPerAccount; attempt += 1) {
        // Different addresses: only the account counter reaches its limit.
        await signInWithPassword(
          store.db,
          limits,
          { username: "carol", password: "wrong", address: `c${attempt}` },
          now,
        );
      }
      const locked = await signInWithPassword(
        store.db,
        limits,
        { username: "carol", password: goodPassword, address: "c9" },
        now,
      );
      expect(locked).toEqual({
        ok: false,
        message: "Too many failed sign-ins for this account. Try again in 10 minutes.",
      });
      const later = new Date(now.getTime() + 601_000);
      const after = await signInWithPassword(
        store.db,
        limits,
        { username: "carol", password: goodPassword, address: "c9" },
        later,
      );
      expect(after.ok).toBe(true);
    });

    it("limits failures per address across accounts", async () => {
      const now = new Date("2026-12-01T11:00:00Z");
      for (let attempt = 0; attempt < limits.maxFailuresPerAddress; attempt += 1) {
        await signInWithPassword(
          store.db,
          limits,
          { username: `ghost${attempt}`, password: "x", address: "10.0.0.9" },
          now,
        );
      }
      const blocked = await signInWithPassword(
        store.db,
        limits,
        { username: "bob", password: goodPassword, address: "10.0.0.9" },
        now,
      );
      expect(blocked).toMatchObject({ ok: false, message: expect.stringMatching(/your network address/) });
    });

    it.each([
      ["empty", "", "", "Enter your username"],
      ["huge (1 MB)", "u".repeat(1_000_000), "p", "That username is too long (at most 200 characters)"],
      ["huge password", "bob", "p".repeat(1_000_000), "That password is too long (at most 1024 characters)"],
      ["unicode", "ユーザー🔥", "пароль", "Wrong username or password."],
      ["SQL-looking", "' OR 1=1; DROP TABLE users; --", "' OR '1'='1", "Wrong username or password."],
    ])(
      "answers %s input with a clear message and writes only failure counters",
      async (_case, username, password, message) => {
        const usersBefore = await listUsers(store.db);
        const result = await signInWithPassword(store.db, limits, { username, password, address: "203.0.113.7" });
        expect(result).toEqual({ ok: false, message });
        expect(await listUsers(store.db)).toEqual(usersBefore);
        const keys = await store.db.selectFrom("sign_in_failures").select("key").execute();
        // Keys are hashes or addresses: the typed text is never stored.
        for (const { key } of keys) expect(key).toMatch(/^(account:[0-9a-f]{64}|address:.{1,100})$/);
      },
    );
  });

  describe("audit log", () => {
    const base = { requestId: "req-1", actor: "alice", role: "operator", action: "lambda.update-memory" };

    it("merges an intent with its outcome and shows an intent without outcome as unknown", async () => {
      const done = await appendAudit(store.db, {
        ...base,
        target: "function:a",
        before: { memory: 512 },
        result: "intent",
      });
      await appendAudit(store.db, {
        ...base,
        target: "function:a",
        after: { memory: 1024 },
        result: "success",
        intentId: done,
      });
      await appendAudit(store.db, { ...base, target: "function:b", before: { memory: 512 }, result: "intent" });
      const entries = await queryAudit(store.db, { action: "lambda.update-memory" }, 10);
      expect(entries.map((entry) => [entry.target, entry.outcome, entry.before, entry.after])).toEqual([
        ["function:b", "unknown", '{"memory":512}', null],
        ["function:a", "success", '{"memory":512}', '{"memory":1024}'],
      ]);
    });

    it("redacts secrets in inputs", async () => {
      await appendAudit(store.db, {
        ...base,
        action: "users.reset-password",
        input: { username: "x", password: "hunter2hunter2" },
        result: "success",
      });
      const [entry] = await queryAudit(store.db, { action: "users.reset-password" }, 1);
      expect(entry?.input).toBe('{"username":"x","password":"[redacted]"}');
    });

    it("filters by actor, target text and time", async () => {
      await appendAudit(
        store.db,
        { ...base, actor: "dana", target: "function:100%_special", result: "denied" },
        new Date("2026-01-02T00:00:00Z"),
      );
      expect((await queryAudit(store.db, { actor: "dana" }, 10)).length).toBe(1);
      expect((await queryAudit(store.db, { target: "100%_s" }, 10)).length).toBe(1);
      expect((await queryAudit(store.db, { target: "100%_x" }, 10)).length).toBe(0);
      expect((await queryAudit(store.db, { actor: "dana", from: "2026-01-03" }, 10)).length).toBe(0);
      expect((await queryAudit(store.db, { actor: "dana", to: "2026-01-02" }, 10)).length).toBe(1);
    });

    it("is append-only: the database refuses updates and deletes", async () => {
      await expect(sql`update audit_log set actor = 'mallory'`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
    });
  });
});
