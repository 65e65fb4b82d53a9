import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { demoPassword, newContext, sharedBrowser, signIn, textOf } from "./support/browser";

// The seeded `meeting` scenario: just after the review, nothing fixed yet.
const browser = sharedBrowser();

async function signedIn(role: "viewer" | "operator"): Promise<Page> {
  const context = await newContext(browser());
  const page = await context.newPage();
  await signIn(page, role, demoPassword(role));
  return page;
}

function item(page: Page, position: number) {
  return page.locator(`[data-testid="action-item"][data-position="${position}"]`);
}

/** Screenshots for a person to look at, only when PHOENIX_E2E_SCREENSHOTS names a folder. */
async function snapshot(page: Page, name: string): Promise<void> {
  const folder = process.env.PHOENIX_E2E_SCREENSHOTS;
  if (folder) await page.screenshot({ path: `${folder}/${name}.png`, fullPage: true });
}

/** Marks item `position` done through its status form (a no-op change when it already is). */
async function markDone(page: Page, position: number): Promise<void> {
  await page.goto("/action-items");
  const row = item(page, position);
  await row.getByLabel("Status", { exact: true }).selectOption("done");
  await row.getByRole("button", { name: "Set" }).click();
  await row.getByRole("status").waitFor();
}

describe("action items", () => {
  it("shows a viewer the six items of the meeting in order, with their checks and no controls", async () => {
    const page = await signedIn("viewer");
    await page.goto("/action-items");
    await page.getByTestId("action-items").waitFor();
    const titles = await page.locator('[data-testid="action-item"] h2').allTextContents();
    expect(titles).toHaveLength(6);
    expect(titles[0]).toMatch(/^1\. Refactor process-user-request: drop pandas/);
    expect(titles[2]).toMatch(/^3\. Power-tune/);
    expect(titles[4]).toMatch(/^5\. Upgrade all Python functions/);
    expect(await textOf(item(page, 1).getByTestId("verdict-label"))).toMatch(/over the 10 MB threshold/);
    expect(await textOf(item(page, 3).getByTestId("verdict-label"))).toMatch(/^Check waiting: waiting for “Refactor/);
    expect(await page.getByRole("button", { name: "Set" }).count()).toBe(0);
    await page.context().close();
  });

  it("lets an operator mark item 5 done while python3.9 remains: “marked done, check fails”", async () => {
    const page = await signedIn("operator");
    await page.goto("/action-items");
    const five = item(page, 5);
    await five.getByLabel("Status", { exact: true }).selectOption("done");
    await five.getByRole("button", { name: "Set" }).click();
    await five.getByRole("status").waitFor();
    expect(await textOf(item(page, 5).getByTestId("item-status"))).toBe("Done");
    expect(await textOf(item(page, 5).getByTestId("verdict-label"))).toMatch(
      /^Marked done, check fails: 3 of 4 functions still run python3\.9/,
    );
    await page.context().close();
  });

  it("after the bulk runtime upgrade through the UI, item 5's check passes", { timeout: 300_000 }, async () => {
    const page = await signedIn("operator");
    // Item 5 marked done while three functions still run python3.9: the check says so.
    await markDone(page, 5);
    expect(await textOf(item(page, 5).getByTestId("verdict-label"))).toMatch(
      /^Marked done, check fails: 3 of 4 functions still run python3\.9: process-user-request, send-notification, update-user-settings/,
    );

    // The bulk upgrade: the python3.9 functions, previewed, confirmed, followed to the end.
    await page.goto("/runtime-upgrade");
    const form = page.getByRole("form", { name: "Bulk runtime upgrade" });
    expect(await form.getByLabel("Functions on").inputValue()).toBe("python3.9");
    await form.getByLabel("Upgrade to").selectOption("python3.12");
    const candidates = form.getByTestId("upgrade-candidates").locator("tbody tr td:nth-child(2)");
    expect((await candidates.allTextContents()).sort()).toEqual([
      "process-user-request",
      "send-notification",
      "update-user-settings",
    ]);
    await form.getByRole("button", { name: "Preview the upgrade" }).click();
    expect(await textOf(form.getByTestId("preview"))).toMatch(/python3\.9/);
    await form.getByRole("button", { name: "Start the upgrade" }).click();
    const job = form.getByTestId("job-progress");
    await job.getByText(/^(Done|Failed|Cancelled)$/).waitFor({ timeout: 240_000 });
    const ended = await textOf(job);
    expect(ended).toMatch(/^Done/);
    expect(await job.getByRole("progressbar", { name: "Overall" }).getAttribute("aria-valuenow")).toBe(
      await job.getByRole("progressbar", { name: "Overall" }).getAttribute("aria-valuemax"),
    );
    await snapshot(page, "runtime-upgrade-done");
    await page.goto("/runtime-upgrade");
    expect(await textOf(page.getByTestId("outdated"))).not.toMatch(/python3\.9/);

    // The checks are re-read at most once a minute unless someone presses “Check now”.
    await page.goto("/action-items");
    await page.getByRole("link", { name: "Check now" }).click();
    await page.waitForURL(/fresh=1/);
    expect(await textOf(item(page, 5).getByTestId("item-status"))).toBe("Done");
    expect(await textOf(item(page, 5).getByTestId("verdict-label"))).toMatch(
      /^Done and verified: all 4 functions in scope run python3\.11 or newer/,
    );
    await item(page, 5).locator("details summary").click();
    expect(await textOf(item(page, 5).getByTestId("evidence"))).toMatch(/process-user-request: python3\.12/);
    await snapshot(page, "action-item-5-verified");
    await page.context().close();
  });

  it("warns when item 3 starts before item 1 is done, and says why", async () => {
    const page = await signedIn("operator");
    await page.goto("/action-items");
    const three = item(page, 3);
    await three.getByLabel("Status", { exact: true }).selectOption("in_progress");
    await three.getByRole("button", { name: "Set" }).click();
    const message = await textOf(three.getByRole("status"));
    expect(message).toMatch(/Warning: Started before item 1 “Refactor .*” is done: the refactor changes the package/);
    expect(await textOf(item(page, 3).getByTestId("dependency-warning"))).toMatch(/Started before item 1/);
    await page.context().close();
  });

  it("refuses bad input field by field and saves nothing", async () => {
    const page = await signedIn("operator");
    await page.goto("/action-items");
    const form = page.getByRole("form", { name: "Create an action item" });
    await form.getByLabel("Title").fill("   ");
    await form.getByLabel("Owner (a Phoenix user or a name)").fill("Maria");
    await form.getByLabel("Linked functions (comma-separated)").fill("process-user-request, no-such-function");
    await form.getByLabel(/^Notes/).fill("x".repeat(10_000));
    await form.getByRole("button", { name: "Create item" }).click();
    expect(await textOf(form.locator("#title-error"))).toBe("Give the item a title");
    expect(await textOf(form.locator("#notes-error"))).toBe("Notes are at most 5,000 characters");
    // The values typed stay.
    expect(await form.getByLabel("Owner (a Phoenix user or a name)").inputValue()).toBe("Maria");
    await form.getByLabel("Title").fill("Alarm on p99");
    await form.getByLabel(/^Notes/).fill("");
    await form.getByRole("button", { name: "Create item" }).click();
    expect(await textOf(form.locator("#functions-error"))).toBe("No such function in AWS: no-such-function");
    await page.reload();
    expect(await page.locator('[data-testid="action-item"]').count()).toBe(6);
    await page.context().close();
  });

  it("compares item 3's memory with a power-tuning run made after item 1 was done, and links to it", {
    timeout: 300_000,
  }, async () => {
    const page = await signedIn("operator");
    // Item 1 done (its own check still fails here: the sandbox's package is unchanged), so item 3 may start.
    await markDone(page, 1);

    // A tuning run after that, through the function's power-tuning page; then its result applied.
    await page.goto("/functions/process-user-request/power-tuning");
    const form = page.getByRole("form", { name: "Power tuning run" });
    await form.getByLabel("Memory values (MB)").fill("1024, 1536, 2048");
    await form.getByLabel("Invocations per value").fill("5");
    await form.getByLabel(/^Payload/).fill('{"userId": "u-42"}');
    await form.getByRole("button", { name: "Review run" }).click();
    await form.getByRole("region", { name: "Confirm the run" }).getByRole("button", { name: "Start tuning" }).click();
    const recommendation = await textOf(page.getByTestId("recommendation"));
    const recommended = Number(/^Cost: ([\d,]+) MB/.exec(recommendation)?.[1]?.replace(/,/g, ""));
    expect([1024, 1536, 2048]).toContain(recommended);
    const runId = new URL(
      (await page.getByTestId("tuning-history").getByRole("link").first().getAttribute("href")) ?? "",
      "http://x",
    ).searchParams.get("run");
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    const apply = page.getByRole("form", { name: "Apply the result" });
    expect(Number(await apply.getByLabel("Memory to apply").inputValue())).toBe(recommended);
    await apply.getByRole("button", { name: "Apply" }).click();
    await page.getByTestId("applied").waitFor({ timeout: 30_000 });

    // The apply job publishes a version and moves `live`: press “Check now” until the check sees it (bounded).
    const three = item(page, 3);
    const deadline = Date.now() + 120_000;
    let verdict = "";
    do {
      await page.goto("/action-items?fresh=1");
      verdict = await textOf(three.getByTestId("verdict-label"));
      if (verdict.startsWith("Check passes")) break;
      await page.waitForTimeout(2_000);
    } while (Date.now() < deadline);
    expect(verdict).toBe(
      `Check passes — close it? memory changed 512 → ${recommended} MB after “${await textOf(item(page, 1).locator("h2 a"))}” was done, as power-tuning run ${runId?.slice(0, 8)} (cost strategy) recommends`,
    );
    await three.locator("details summary").click();
    expect(await textOf(three.getByTestId("evidence"))).toMatch(
      new RegExp(
        `power-tuning run ${runId?.slice(0, 8)} \\(started .*, cost strategy, alias live\\) counts: recommends ${recommended} MB`,
      ),
    );
    const link = three
      .getByTestId("evidence-links")
      .getByRole("link", { name: `power-tuning run ${runId?.slice(0, 8)}` });
    await snapshot(page, "action-item-3-power-tuning");
    await link.click();
    await page.waitForURL(new RegExp(`/functions/process-user-request/power-tuning\\?run=${runId}`));
    expect(await textOf(page.getByTestId("recommendation"))).toBe(recommendation);
    await page.context().close();
  });
});
