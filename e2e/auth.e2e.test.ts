import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { demoPassword, newContext, phoenixServer, sharedBrowser, signIn, textOf } from "./support/browser";

const browser = sharedBrowser();

/** Reads the server's store directly (read-only) to prove what was and was not written. */
function readStore<T>(query: string): T[] {
  const db = new Database(path.join(phoenixServer().dataDir, "phoenix.sqlite"), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return db.prepare(query).all() as T[];
  } finally {
    db.close();
  }
}

describe("anonymous visitors", () => {
  it("are redirected to sign-in from any page, keeping where they wanted to go", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto("/audit?actor=admin");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe("/audit?actor=admin");
    await context.close();
  });

  it("get 401 from the API instead of data", async () => {
    const response = await fetch(`${phoenixServer().baseUrl}/api/actions/users.create`, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    const audit = await fetch(`${phoenixServer().baseUrl}/api/audit/export`, { redirect: "manual" });
    expect(audit.status).toBe(401);
  });
});

describe("signing in and out", () => {
  it("shows a readable message for a wrong password and lets the right one in", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill("operator");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await textOf(page.getByTestId("sign-in-error"))).toBe("Wrong username or password.");

    await page.getByLabel("Password").fill(demoPassword("operator"));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("current-role").waitFor();
    expect(await page.getByTestId("current-role").textContent()).toBe("Operator");
    expect(await textOf(page.getByRole("note").first())).toContain("Sandbox mode");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto("/audit");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await context.close();
  });

  it.each([
    ["empty fields", "", "", "Enter your username"],
    ["a 1 MB username", "u".repeat(1_000_000), "x", "That username is too long (at most 200 characters)"],
    ["unicode", "管理者🔥", "пароль-ü", "Wrong username or password."],
    ["SQL-looking input", "admin' --", "' OR '1'='1", "Wrong username or password."],
  ])("answers %s with a clear message and writes only failure counters", async (_name, username, password, message) => {
    const usersBefore = readStore("select id, username, role, password_hash, updated_at from users order by id");
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await textOf(page.getByTestId("sign-in-error"))).toBe(message);
    expect(readStore("select id, username, role, password_hash, updated_at from users order by id")).toEqual(
      usersBefore,
    );
    await context.close();
  });
});

describe("a viewer", () => {
  it("sees no mutating controls", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "viewer", demoPassword("viewer"));
    expect(await page.getByRole("link", { name: "Users" }).count()).toBe(0);
    await page.goto("/admin/users");
    expect(await page.getByRole("heading", { name: "Admins only" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: /Create user|Set role|Reset password|Disable/ }).count()).toBe(0);
    await context.close();
  });

  it("is refused (403) on a crafted POST to a mutating action, which changes nothing and leaves an audit row", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "viewer", demoPassword("viewer"));
    // The crafted request carries the viewer's own session cookie.
    const response = await page.request.post("/api/actions/users.set-role", {
      data: { username: "viewer", role: "admin" },
    });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(readStore<{ role: string }>("select role from users where username = 'viewer'")).toEqual([
      { role: "viewer" },
    ]);

    // The refusal is on the audit page, which viewers may read.
    await page.goto("/audit?actor=viewer&action=users.set-role");
    const table = page.getByTestId("audit-table");
    await table.waitFor();
    expect(await table.textContent()).toContain("Refused");
    const csv = await page.request.get("/api/audit/export?actor=viewer");
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toMatch(/users\.set-role,user|users\.set-role,,denied/);
    await context.close();
  });
});

describe("an admin", () => {
  it("creates a user through the form, with field errors for a weak password, and the change is audited", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "admin", demoPassword("admin"));
    await page.getByRole("link", { name: "Users" }).click();
    const form = page.getByRole("form", { name: "Create a user" });
    await form.getByLabel("Username").fill("erin");
    await form.getByLabel("Role").selectOption("operator");
    await form.getByLabel("Password").fill("short");
    await form.getByRole("button", { name: "Create user" }).click();
    expect(await textOf(form.locator("#password-error"))).toContain("at least 12 characters");
    expect(readStore("select username from users where username = 'erin'")).toEqual([]);

    await form.getByLabel("Password").fill("Correct-Horse-42");
    await form.getByRole("button", { name: "Create user" }).click();
    expect(await textOf(form.getByRole("status"))).toBe("User erin created.");
    await expect.poll(() => page.getByTestId("users-table").textContent(), { timeout: 10_000 }).toContain("erin");

    await page.goto("/audit?action=users.create&actor=admin");
    const row = page.getByTestId("audit-table").locator("tbody tr").first();
    expect(await row.textContent()).toContain("user:erin");
    expect(await row.textContent()).toContain("Success");
    expect(await row.textContent()).not.toContain("Correct-Horse-42");
    await context.close();
  });
});
