import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(tmpdir(), "phoenix-cli-"));

/** Runs `npm run user -- …` the way an operator would (without npm's banner), password on stdin. */
function user(args: string[], stdin = "") {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/user.ts", ...args], {
    cwd: root,
    input: stdin,
    encoding: "utf8",
    env: { ...process.env, PHOENIX_DATA_DIR: dataDir, NEXTAUTH_SECRET: "c".repeat(40) },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe("npm run user", () => {
  it("adds a user with a password from stdin and lists it", () => {
    expect(user(["add", "grace", "--role", "operator", "--name", "Grace H"], "Correct-Horse-42\n")).toMatchObject({
      code: 0,
      out: "Created grace (operator).\n",
    });
    expect(user(["list"]).out).toMatch(/^grace\s+operator\s+local\s+active$/m);
  });

  it.each([
    [["add", "weak", "--role", "viewer"], "short\n", "Password must be at least 12 characters"],
    [["add", "weak", "--role", "viewer"], "alllowercaseletters\n", "Password needs three of"],
    [["add", "badrole", "--role", "superuser"], "Correct-Horse-42\n", "Role must be one of viewer, operator, admin"],
    [["add", "bad name!", "--role", "viewer"], "Correct-Horse-42\n", "Username may contain letters, digits"],
    [["set-role", "grace", "root"], "", "Role must be one of viewer, operator, admin"],
    [["set-role", "nobody", "viewer"], "", "No user named nobody"],
    [["frobnicate"], "", 'Unknown command "frobnicate"'],
  ])("rejects %j with a clear message and changes nothing", (args, stdin, message) => {
    const before = user(["list"]).out;
    const result = user(args, stdin);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain(message);
    expect(user(["list"]).out).toBe(before);
  });

  it("changes a role and resets a password with a generated one shown once", () => {
    expect(user(["set-role", "grace", "admin"])).toMatchObject({ code: 0, out: "grace is now admin.\n" });
    const reset = user(["reset-password", "grace", "--generate"]);
    expect(reset.code).toBe(0);
    expect(reset.out).toMatch(/Password \(shown once\): \S{16,}/);
    expect(user(["list"]).out).toMatch(/^grace\s+admin\s+local\s+active$/m);
  });
});
