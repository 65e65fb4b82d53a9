import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { demoPassword, newContext, phoenixServer, sharedBrowser, signIn, textOf } from "./support/browser";

const browser = sharedBrowser();

/** Saves a full-page screenshot when PHOENIX_SCREENSHOTS names a folder (for reviewing the pages). */
async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.PHOENIX_SCREENSHOTS;
  if (folder) await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
}
const FUNCTION = "process-user-request";

/** Aliases and versions of the function as the server's sandbox persisted them (its SQLite store). */
function sandboxFunction(): { aliases: string[]; versions: string[]; memoryMb: number } {
  const db = new Database(path.join(phoenixServer().dataDir, "phoenix.sqlite"), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const row = db.prepare("SELECT snapshot FROM sandbox_state WHERE key = ?").get("123456789012/us-east-1") as
      | { snapshot: string }
      | undefined;
    if (!row) throw new Error("the sandbox state is not in the store");
    const snapshot = JSON.parse(row.snapshot) as {
      lambda: {
        functions: Record<
          string,
          { aliases: Record<string, unknown>; versions: Record<string, unknown>; settings: { memoryMb: number } }
        >;
      };
    };
    const fn = snapshot.lambda.functions[FUNCTION];
    if (!fn) throw new Error(`${FUNCTION} is not in the sandbox`);
    return {
      aliases: Object.keys(fn.aliases).sort(),
      versions: Object.keys(fn.versions).sort((a, b) => Number(a) - Number(b)),
      memoryMb: fn.settings.memoryMb,
    };
  } finally {
    db.close();
  }
}

describe("power tuning", () => {
  it("refuses bad input field by field and starts nothing", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "operator", demoPassword("operator"));
    await page.goto(`/functions/${FUNCTION}/power-tuning`);
    const form = page.getByRole("form", { name: "Power tuning run" });
    await form.getByLabel("Memory values (MB)").fill("100, 512");
    await form.getByLabel("Invocations per value").fill("0");
    await form.getByRole("button", { name: "Review run" }).click();
    expect(await textOf(form.locator("#memoryValues-error"))).toContain("100 MB is outside 128–10,240 MB");
    await form.getByLabel("Memory values (MB)").fill("512");
    await form.getByLabel("Invocations per value").fill("5");
    await form.getByLabel(/^Payload/).fill('{"user": ');
    await form.getByRole("button", { name: "Review run" }).click();
    expect(await textOf(form.locator("#payload-error"))).toContain("Not valid JSON");
    // Above Lambda's 6 MB but within the server's 8 MB body limit: Phoenix itself answers, in words.
    // Built in the page (typing 6.5 MB through the driver takes half a minute); the native setter plus
    // an input event is how React's controlled textarea learns of a value set from outside.
    await form.getByLabel(/^Payload/).evaluate((element, bytes) => {
      const textarea = element as HTMLTextAreaElement;
      const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")?.set;
      setValue?.call(textarea, JSON.stringify({ blob: "x".repeat(bytes) }));
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }, 6.5 * 1_048_576);
    await form.getByRole("button", { name: "Review run" }).click();
    expect(await textOf(form.locator("#payload-error"))).toContain("6.5 MB; Lambda accepts at most 6 MB");
    expect(await form.getByRole("region", { name: "Confirm the run" }).count()).toBe(0);
    expect(await page.getByTestId("tuning-history").count()).toBe(0);
    await context.close();
  });

  it("lets an operator run, watch, read and apply a tuning; nothing temporary is left and the audit tells it", async () => {
    // Prepare
    const before = sandboxFunction();
    expect(before.memoryMb).toBe(512);
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "operator", demoPassword("operator"));
    await page.goto(`/functions/${FUNCTION}/power-tuning`);
    const form = page.getByRole("form", { name: "Power tuning run" });

    // Act: 3 values × 5 invocations, reviewed then confirmed.
    await form.getByLabel("Memory values (MB)").fill("256, 512, 1024");
    await form.getByLabel("Invocations per value").fill("5");
    await form.getByLabel(/^Payload/).fill('{"userId": "u-42"}');
    await form.getByRole("button", { name: "Review run" }).click();
    const confirm = form.getByRole("region", { name: "Confirm the run" });
    const confirmation = await textOf(confirm);
    await screenshot(page, "power-tuning-confirm");
    expect(confirmation).toContain("15 invocations of process-user-request");
    expect(confirmation).toMatch(/at most \$[\d.]+ if every invocation runs to the 5 s timeout/);
    expect(confirmation).toContain("side effect");
    await confirm.getByRole("button", { name: "Start tuning" }).click();

    // Watch: one bar per memory value, then the results replace the progress.
    const progress = page.getByTestId("job-progress");
    await progress.waitFor({ timeout: 30_000 });
    expect(await progress.getByRole("progressbar").count()).toBe(4);
    await progress.getByRole("progressbar", { name: "1,024 MB" }).waitFor();
    const recommendation = page.getByTestId("recommendation");
    await recommendation.waitFor({ timeout: 60_000 });
    expect(await recommendation.textContent()).toMatch(/^Cost: [\d,]+ MB/);
    await page.getByTestId("tuning-chart").locator("svg.recharts-surface").first().waitFor();
    expect(await page.getByTestId("tuning-table").locator("tbody tr").count()).toBe(3);
    expect(await textOf(page.getByTestId("tuning-table"))).toContain("512 MB (today)");
    await screenshot(page, "power-tuning-results");

    // Nothing temporary is left, and $LATEST has its memory back.
    const after = sandboxFunction();
    expect(after.aliases.filter((alias) => alias.startsWith("phoenix-tune-"))).toEqual([]);
    expect(after.aliases).toEqual(before.aliases);
    expect(after.versions).toEqual(before.versions);
    expect(after.memoryMb).toBe(512);

    // Apply the recommendation through the controls flow.
    const apply = page.getByRole("form", { name: "Apply the result" });
    const chosen = await apply.getByLabel("Memory to apply").inputValue();
    await apply.getByRole("button", { name: "Apply" }).click();
    await page.getByTestId("applied").waitFor({ timeout: 30_000 });
    await screenshot(page, "power-tuning-applied");
    await expect.poll(() => sandboxFunction().memoryMb, { timeout: 30_000, interval: 500 }).toBe(Number(chosen));
    // The apply published one version for `live` (a real one, not a temporary): still no tuning leftovers.
    await expect
      .poll(() => sandboxFunction().versions.length, { timeout: 30_000, interval: 500 })
      .toBe(before.versions.length + (Number(chosen) === 512 ? 0 : 1));
    expect(sandboxFunction().aliases).toEqual(before.aliases);

    // The audit log tells the story: memory set, versions published, temporary aliases made and removed.
    await page.goto("/audit?action=job.power-tuning.run");
    const audit = await textOf(page.getByTestId("audit-table"));
    expect(audit).toContain("function:process-user-request:phoenix-tune-1024");
    expect(audit).toContain("function:process-user-request");
    await page.goto("/audit?action=power-tuning.apply");
    expect(await textOf(page.getByTestId("audit-table").locator("tbody tr").first())).toContain("Success");
    await context.close();
  });
});
