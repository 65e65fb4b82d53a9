import { describe, expect, it } from "vitest";
import { demoPassword, newContext, sharedBrowser, signIn, textOf } from "./support/browser";

const browser = sharedBrowser();

describe("sandbox controls", () => {
  it("let an admin apply a code-level fix, recorded in the audit log against the function", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "admin", demoPassword("admin"));
    await page.getByRole("link", { name: "Sandbox" }).click();
    const form = page.getByRole("form", { name: "Apply: Cache the user configuration in Redis" });
    await form.getByRole("combobox").selectOption("process-user-request");
    await form.getByRole("button", { name: "Apply now" }).click();
    expect(await textOf(form.getByRole("status"))).toContain("Applied to process-user-request");

    await page.goto("/audit?action=sandbox.apply-scenario-event");
    const row = page.getByTestId("audit-table").locator("tbody tr").first();
    expect(await textOf(row)).toContain("function:process-user-request");
    expect(await row.textContent()).toContain("Success");
    await context.close();
  });

  it("refuse out-of-range faults field by field and keep the current ones", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "admin", demoPassword("admin"));
    await page.goto("/admin/sandbox");
    const form = page.getByRole("form", { name: "Sandbox faults" });
    await form.getByLabel("Throttled share (0–1)").fill("1.5");
    await form.getByLabel("Added latency (ms)").fill("-3");
    await form.getByRole("button", { name: "Save faults" }).click();
    expect(await textOf(form.locator("#throttleRate-error"))).toBe("Must be between 0 and 1");
    expect(await textOf(form.locator("#addedLatencyMs-error"))).toBe("Cannot be negative");
    await page.reload();
    expect(
      await page.getByRole("form", { name: "Sandbox faults" }).getByLabel("Throttled share (0–1)").inputValue(),
    ).toBe("0");
    await context.close();
  });

  it("are not offered to operators, and their crafted request is refused", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "operator", demoPassword("operator"));
    expect(await page.getByRole("link", { name: "Sandbox" }).count()).toBe(0);
    const response = await page.request.post("/api/actions/sandbox.set-faults", {
      data: { throttleRate: 1, errorRate: 1, addedLatencyMs: 0 },
    });
    expect(response.status()).toBe(403);
    await context.close();
  });
});
