import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/session";

// The global store of this test file lives in a temp dir (read once by lib/config).
process.env.PHOENIX_DATA_DIR = mkdtempSync(path.join(tmpdir(), "phoenix-actions-"));
process.env.NEXTAUTH_SECRET = "t".repeat(40);

const { allActions, findAction } = await import("@/lib/actions/all");
const { runAction } = await import("@/lib/actions/define-action");
const { queryAudit } = await import("@/lib/audit");
const { getDb } = await import("@/lib/db");
const { createUser, findUserByUsername } = await import("@/lib/auth/users");
const { hasRole, roles } = await import("@/lib/auth/roles");

const actor = (role: SessionUser["role"], username = `${role}-user`): SessionUser => ({
  id: `id-${username}`,
  username,
  name: username,
  role,
});

describe("the action registry", () => {
  it("has unique names and a role and schema for every action", () => {
    const names = allActions.map((action) => action.name);
    expect(new Set(names).size).toBe(names.length);
    for (const action of allActions) {
      expect(roles).toContain(action.role);
      expect(typeof action.input.safeParse).toBe("function");
      expect(findAction(action.name)).toBe(action);
    }
  });

  // Every registered action, for every role below the one it needs: refused, audited, nothing run.
  const refusals = allActions.flatMap((action) =>
    roles.filter((role) => !hasRole(role, action.role)).map((role) => [action.name, role] as const),
  );
  it.each(refusals)("refuses %s for a %s and audits the refusal", async (name, role) => {
    // Prepare
    const action = findAction(name);
    if (!action) throw new Error(`no action ${name}`);
    const who = actor(role, `${role}-${name}`);
    // Act
    const result = await runAction(action, { username: "someone", role: "admin", password: "Correct-Horse-42" }, who);
    // Assess
    expect(result).toMatchObject({ ok: false, code: "FORBIDDEN", status: 403 });
    const [row] = await queryAudit(await getDb(), { actor: who.username }, 5);
    expect(row).toMatchObject({ action: name, outcome: "denied", role });
    expect(row?.input).not.toContain("Correct-Horse-42");
  });

  it("refuses anonymous callers without running anything", async () => {
    const action = findAction("users.create");
    if (!action) throw new Error("users.create missing");
    const result = await runAction(
      action,
      { username: "anon-made", role: "admin", password: "Correct-Horse-42" },
      null,
    );
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(await findUserByUsername(await getDb(), "anon-made")).toBeUndefined();
  });
});

describe("running an allowed action", () => {
  const admin = actor("admin", "root-admin");
  beforeAll(async () => {
    await createUser(await getDb(), { username: "target-user", role: "viewer", password: "Correct-Horse-42" });
  });

  it("validates input, returns field errors, changes nothing and audits the attempt", async () => {
    const action = findAction("users.set-role");
    if (!action) throw new Error("users.set-role missing");
    const result = await runAction(action, { username: "target-user", role: "superuser" }, admin);
    expect(result).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      fieldErrors: { role: [expect.stringMatching(/Role must be one of/)] },
    });
    expect((await findUserByUsername(await getDb(), "target-user"))?.role).toBe("viewer");
    const [row] = await queryAudit(await getDb(), { actor: "root-admin", action: "users.set-role" }, 1);
    expect(row?.outcome).toBe("invalid");
  });

  it("records intent and outcome with before and after", async () => {
    const action = findAction("users.set-role");
    if (!action) throw new Error("users.set-role missing");
    const result = await runAction(action, { username: "target-user", role: "operator" }, admin);
    expect(result).toEqual({ ok: true, data: { role: "operator" } });
    const [row] = await queryAudit(await getDb(), { actor: "root-admin", action: "users.set-role" }, 1);
    expect(row).toMatchObject({
      target: "user:target-user",
      outcome: "success",
      before: '{"role":"viewer"}',
      after: '{"role":"operator"}',
    });
  });

  it("records a failed change as a failure with a readable reason", async () => {
    const action = findAction("users.create");
    if (!action) throw new Error("users.create missing");
    const result = await runAction(
      action,
      { username: "target-user", role: "viewer", password: "Correct-Horse-42" },
      admin,
    );
    expect(result).toMatchObject({ ok: false, code: "CONFLICT", message: "A user named target-user already exists" });
    const [row] = await queryAudit(await getDb(), { actor: "root-admin", action: "users.create" }, 1);
    expect(row).toMatchObject({ outcome: "failure", error: "A user named target-user already exists" });
  });
});
