import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { demoPassword, newContext, sharedBrowser, signIn, textOf } from "./support/browser";

const browser = sharedBrowser();
const concurrencyPage = "/functions/process-user-request/concurrency";
const configurationPage = "/functions/process-user-request/configuration";

/** Reloads `url` until `check` passes (the in-app sandbox fires due actions every 15 s); bounded. */
async function eventually(page: Page, url: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(url);
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met on ${url} within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(5_000);
  }
}

/** Screenshots for a person to look at, only when PHOENIX_E2E_SCREENSHOTS names a folder. */
async function snapshot(page: Page, name: string): Promise<void> {
  const folder = process.env.PHOENIX_E2E_SCREENSHOTS;
  if (folder) await page.screenshot({ path: `${folder}/${name}.png`, fullPage: true });
}

/** `at(...)` in UTC about two and a half minutes ahead, on a whole minute. */
function atTwoMinutesAhead(): string {
  const at = Math.ceil((Date.now() + 150_000) / 60_000) * 60_000;
  return `at(${new Date(at).toISOString().slice(0, 19)})`;
}

describe("controls as an operator", () => {
  it("apply the meeting's schedule, see it everywhere, fire an action, and move memory to 1024 MB with PC READY", {
    timeout: 480_000,
  }, async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "operator", demoPassword("operator"));

    // The template: preview (diff, calls, cost), then confirm.
    await page.goto(concurrencyPage);
    const template = page.getByRole("form", { name: "Apply the meeting's schedule" });
    await template.getByRole("button", { name: "Preview the template" }).click();
    const preview = template.getByTestId("preview");
    expect(await textOf(preview)).toContain("RegisterScalableTarget function:process-user-request:live");
    expect(await preview.textContent()).toContain("cron(45 7 ? * MON-FRI *)");
    expect(await textOf(template.getByTestId("preview-cost"))).toMatch(/\$[\d,.]+ → \$[\d,.]+ a month/);
    await template.getByRole("button", { name: "Apply the template" }).click();
    expect(await textOf(template.getByRole("status"))).toContain("The meeting's schedule is applied.");

    // In DescribeScheduledActions (the table), in the heat-map, and in the audit log.
    await page.goto(concurrencyPage);
    const table = page.getByTestId("scheduled-actions");
    expect(await textOf(table.locator('tr[data-action="weekday-business-hours"]'))).toContain(
      "cron(45 7 ? * MON-FRI *)",
    );
    expect(await table.locator('tr[data-action="weeknight"]').count()).toBe(1);
    expect(await table.locator('tr[data-action="weekend"]').count()).toBe(1);
    expect(await page.getByTestId("pc-heatmap").locator('td[data-pc="50"]').count()).toBeGreaterThan(40);
    expect(await page.getByTestId("target-bounds").textContent()).toContain("min 5, max 50");
    await snapshot(page, "concurrency");
    await page.goto("/audit?action=controls.apply-schedule-template");
    expect(await textOf(page.getByTestId("audit-table").locator("tbody tr").first())).toContain("Success");

    // A scheduled action two minutes ahead (raw mode).
    await page.goto(concurrencyPage);
    const create = page.getByRole("form", { name: "New scheduled action" });
    await create.getByLabel("Name").fill("e2e-minute-ahead");
    await create.getByLabel("Time zone").fill("UTC");
    await create.getByLabel("Min capacity").fill("8");
    await create.getByLabel("Max capacity").fill("8");
    await create.getByLabel("Raw expression").check();
    await create.getByLabel("cron(…) with six fields, rate(…) or at(…)").fill(atTwoMinutesAhead());
    await create.getByRole("button", { name: "Preview" }).click();
    expect(await textOf(create.getByTestId("preview"))).toContain("PutScheduledAction e2e-minute-ahead");
    await create.getByRole("button", { name: "Confirm and apply" }).click();
    expect(await textOf(create.getByRole("status"))).toContain("Scheduled action e2e-minute-ahead saved.");

    // Memory 1024 MB: update, publish, move live, follow PC to READY — while the action waits to fire.
    await page.goto(configurationPage);
    const versionBefore = Number(await textOf(page.getByTestId("alias-live-version")));
    const form = page.getByRole("form", { name: "Change memory and runtime" });
    await form.getByLabel("Memory (MB, 128–10,240)").fill("1024");
    await form.getByRole("button", { name: "Preview" }).click();
    expect(await textOf(form.getByTestId("preview"))).toContain("Lambda.UpdateAlias live");
    await snapshot(page, "configuration-preview");
    await form.getByRole("button", { name: "Confirm and apply" }).click();
    const progress = form.getByTestId("job-progress");
    await progress.filter({ hasText: /Done|Failed/ }).waitFor({ timeout: 180_000 });
    expect(await progress.textContent()).toMatch(/Done.*provisioned concurrency READY/);
    await page.goto(configurationPage);
    expect(Number(await textOf(page.getByTestId("alias-live-version")))).toBeGreaterThan(versionBefore);
    expect(await page.getByTestId("current-memory").textContent()).toContain("1024 MB");
    expect(await page.getByTestId("aliases").textContent()).toContain("READY");

    // One-click rollback: $LATEST back to 512 MB and live back to its version (this also hands the
    // shared sandbox back to the other browser tests in the state they expect).
    await page.getByRole("button", { name: "Roll back" }).first().click();
    expect(await textOf(page.getByRole("status").filter({ hasText: "Rollback started." }))).toContain(
      "Rollback started.",
    );
    await page.goto(configurationPage);
    expect(await textOf(page.getByTestId("current-memory"))).toContain("512 MB");

    // The sandbox fires the action: PC requested becomes 8, with a scaling activity.
    await eventually(
      page,
      concurrencyPage,
      async () => (await page.getByTestId("pc-requested").textContent())?.trim() === "8",
      180_000,
    );
    expect(await page.getByTestId("activities").textContent()).toContain("Setting desired concurrency to 8");
    await context.close();
  });

  it("gives field errors for bad input and keeps what was typed", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "operator", demoPassword("operator"));
    await page.goto(concurrencyPage);
    const create = page.getByRole("form", { name: "New scheduled action" });
    await create.getByLabel("Name").fill("bad|name");
    await create.getByLabel("Time zone").fill("Mars/Olympus");
    await create.getByLabel("Min capacity").fill("10");
    await create.getByLabel("Max capacity").fill("5");
    await create.getByLabel("Raw expression").check();
    await create.getByLabel("cron(…) with six fields, rate(…) or at(…)").fill("cron(0 7 * * ?)");
    await create.getByRole("button", { name: "Preview" }).click();
    expect(await textOf(create.locator("#name-error"))).toContain("Names cannot contain : / or |");
    expect(await textOf(create.locator("#timeZone-error"))).toContain("Not an IANA time zone");
    expect(await textOf(create.locator("#maxCapacity-error"))).toContain("at least the minimum");
    expect(await textOf(create.locator("#expression-error"))).toContain("six fields");
    expect(await create.getByLabel("Name").inputValue()).toBe("bad|name");
    expect(await create.getByTestId("preview").count()).toBe(0);
    await snapshot(page, "field-errors");
    await page.goto("/runtime-upgrade");
    await snapshot(page, "runtime-upgrade");
    await context.close();
  });
});

describe("controls as a viewer", () => {
  const actions = [
    "controls.put-scheduled-action",
    "controls.delete-scheduled-action",
    "controls.apply-schedule-template",
    "controls.set-provisioned-concurrency",
    "controls.remove-provisioned-concurrency",
    "controls.publish-and-repoint",
    "controls.apply-configuration",
    "controls.retry-job",
    "controls.rollback-configuration",
    "controls.start-runtime-upgrade",
    "controls.rollback-runtime-upgrade",
  ];

  it("shows no controls, and refuses and audits crafted requests to every mutation", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "viewer", demoPassword("viewer"));
    for (const url of [concurrencyPage, configurationPage, "/runtime-upgrade"]) {
      await page.goto(url);
      expect(await textOf(page.getByTestId("read-only-note"))).toContain("Read-only");
      expect(
        await page
          .locator("form")
          .filter({ has: page.getByRole("button", { name: /Preview/ }) })
          .count(),
      ).toBe(0);
    }
    expect(await page.getByTestId("scheduled-actions").count()).toBe(0); // last page is the upgrade page
    for (const name of actions) {
      const response = await page.request.post(`/api/actions/${name}`, {
        data: { functionName: "process-user-request", alias: "live", level: 5, memoryMb: 1024, revisionId: "x" },
      });
      expect(response.status(), name).toBe(403);
    }
    await page.goto("/audit?action=controls.apply-configuration");
    expect(await textOf(page.getByTestId("audit-table").locator("tbody tr").first())).toContain("Refused");
    await context.close();
  });
});
