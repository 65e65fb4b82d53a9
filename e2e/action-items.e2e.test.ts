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
});
