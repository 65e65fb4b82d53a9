import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { demoPassword, newContext, sharedBrowser, signIn, textOf } from "./support/browser";

// The `followup` scenario: the six fixes were applied over the past week.
const browser = sharedBrowser({ scenario: "followup" });
const screenshots = path.resolve(import.meta.dirname, "../test-results/reviews");

beforeAll(() => {
  mkdirSync(screenshots, { recursive: true });
});

async function openReview(page: Page, title: string): Promise<void> {
  await page.goto("/reviews");
  await page.getByRole("link", { name: title, exact: true }).click();
  await page.getByTestId("review-report").waitFor({ timeout: 150_000 });
}

const milliseconds = (text: string) => {
  const match = /([\d.]+) (ms|s)/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
};

describe("reviews", () => {
  it("shows a viewer the follow-up in the followup scenario: p90 improved, six items with their checks", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "viewer", demoPassword("viewer"));
    await openReview(page, "Project Phoenix latency review — follow-up");
    const baseline = await textOf(page.getByTestId("process-user-request-p90-baseline"));
    const current = await textOf(page.getByTestId("process-user-request-p90-current"));
    expect(milliseconds(current)).toBeLessThan(milliseconds(baseline));
    expect(await textOf(page.getByTestId("process-user-request-p90-delta"))).toMatch(/^↓ \d+ %$/);
    const items = page.getByTestId("report-item");
    expect(await items.count()).toBe(6);
    const verdicts = await page.locator('[data-testid="report-item"] [data-testid="verdict-label"]').allTextContents();
    expect(verdicts).toHaveLength(6);
    // Every item carries its check's result, read from the (simulated) AWS account.
    expect(verdicts[0]).toMatch(/^Done and verified: package is 3\.4 MB/);
    expect(verdicts[1]).toMatch(/^Done and verified: DB_HOST points at the RDS Proxy /);
    expect(verdicts[2]).toMatch(/^Done and verified: memory changed 512 → 1024 MB after “Refactor/);
    expect(verdicts[3]).toMatch(/^Done and verified: cache endpoint configured and [\d,]+ cache hits observed/);
    expect(verdicts[4]).toMatch(/^Done and verified: all 4 functions in scope run python3\.11 or newer/);
    expect(verdicts[5]).toMatch(/^Done and verified: function:process-user-request:live has 2 scheduled actions/);
    const evidence = page.locator('[data-testid="report-item"] [data-testid="verdict"] summary');
    expect(await evidence.allTextContents()).toEqual(
      Array(6).fill(expect.stringMatching(/^Evidence · checked \d{4}-/)),
    );
    // No power-tuning run was made in this scenario: check 3 says its memory is not compared with one.
    await page.locator('[data-testid="report-item"]').nth(2).locator("summary").click();
    expect(await textOf(page.locator('[data-testid="report-item"]').nth(2).getByTestId("evidence"))).toMatch(
      /No completed power-tuning run of process-user-request started after “Refactor/,
    );
    // The comparison with the meeting's review is on the same page.
    expect(await textOf(page.getByTestId("report-previous"))).toMatch(/process-user-request/);
    await page.context().close();
  }, 200_000);

  it("exports the seeded meeting review as Markdown with the page's figures", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "viewer", demoPassword("viewer"));
    await openReview(page, "Project Phoenix latency review");
    const rows = page.locator('[data-testid="metrics-process-user-request"] tbody tr');
    const figures: string[] = [];
    for (const row of await rows.all()) {
      const cells = (await row.locator("th, td").allTextContents()).map((cell) => cell.trim());
      figures.push(`| ${cells.join(" | ")} |`);
    }
    expect(figures.length).toBe(10);
    const reviewPath = new URL(page.url()).pathname;
    const response = await page.request.get(`/api/reviews/${reviewPath.split("/").at(-1)}/markdown`);
    expect(response.status()).toBe(200);
    const markdown = await response.text();
    const section = markdown.split("## process-user-request")[1]?.split("\n## ")[0] ?? "";
    for (const line of figures) expect(section).toContain(line);
    await context.close();
  }, 200_000);

  it("draws the overlay charts after the first paint and prints them, or their data as a table when the chart code did not load", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "viewer", demoPassword("viewer"));
    await openReview(page, "Project Phoenix latency review");
    const charts = page.getByTestId("overlay-chart");
    expect(await charts.count()).toBeGreaterThan(0);
    const chart = charts.first();
    // The plot's box has its final height from the first paint; recharts is fetched after it and draws into it.
    expect(await chart.getByTestId("plot").evaluate((box) => box.getBoundingClientRect().height)).toBe(224);
    await chart.locator(".recharts-cartesian-grid").waitFor();
    expect(await chart.getByTestId("plot").evaluate((box) => box.getBoundingClientRect().height)).toBe(224);
    // The same data as a table, on demand: one row per hour of the windows.
    await chart.getByRole("button", { name: /^Show the data of .* as a table$/ }).click();
    const rows = chart.locator("table tbody tr");
    expect(await rows.count()).toBeGreaterThanOrEqual(24);
    expect(await textOf(rows.first().locator("th"))).toBe("day 1 00:00");

    // The print view: "Print / PDF" waits for the charts, then opens the print dialog (stubbed here).
    const printPath = `${new URL(page.url()).pathname}/print`;
    await page.goto(printPath);
    await page.evaluate(() => {
      window.print = () => {
        document.body.dataset.printedCharts = String(document.querySelectorAll(".recharts-cartesian-grid").length);
      };
    });
    await page.getByRole("button", { name: "Print / PDF" }).click();
    await page.waitForFunction(() => document.body.dataset.printedCharts !== undefined);
    expect(Number(await page.evaluate(() => document.body.dataset.printedCharts))).toBe(await charts.count());
    await page.emulateMedia({ media: "print" });
    expect(await chart.locator(".recharts-cartesian-grid").isVisible()).toBe(true);
    expect(await chart.getByRole("button", { name: /as a table$/ }).isVisible()).toBe(false);
    expect(await chart.getByTestId("overlay-print-table").count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, "review-print.png"), fullPage: true });

    // Printed while the chart code cannot load: no empty box on paper, the chart's data as a table instead.
    const html = await (await page.request.get(printPath)).text();
    // That table is rendered only when needed, not in every page's HTML.
    expect(html).not.toContain("overlay-print-table");
    const firstLoad = new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1] as string));
    // The chunks the page loads after its first paint that hold recharts: the plot module's (other
    // late chunks, e.g. the error boundary the server payload names, load as usual).
    await page.route(/\/_next\/static\/.*\.js(\?.*)?$/, async (route) => {
      const url = new URL(route.request().url());
      const response = await route.fetch();
      const body = await response.text();
      const late = !firstLoad.has(url.pathname) && !firstLoad.has(url.pathname + url.search);
      return late && body.includes("recharts") ? route.abort() : route.fulfill({ response, body });
    });
    await page.goto(printPath);
    await page.locator('[data-testid="overlay-chart"][data-plot="failed"]').first().waitFor();
    const table = chart.getByTestId("overlay-print-table");
    expect(await table.isVisible()).toBe(true);
    expect(await table.locator("tbody tr").count()).toBeGreaterThanOrEqual(24);
    expect(await chart.getByRole("button", { name: "Try again" }).isVisible()).toBe(false);
    await page.screenshot({ path: path.join(screenshots, "review-print-without-chart-code.png"), fullPage: true });
    // On screen, the same page offers to try again and keeps the table on demand.
    await page.emulateMedia({ media: "screen" });
    expect(await chart.getByRole("button", { name: "Try again" }).isVisible()).toBe(true);
    expect(await table.isVisible()).toBe(false);
    await context.close();
  }, 200_000);

  it("refuses a review with an empty title or windows that end before they start or lie in the future", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "operator", demoPassword("operator"));
    await page.goto("/reviews");
    const before = await page.getByTestId("reviews").locator("li").count();
    const form = page.getByRole("form", { name: "Create a review" });
    await form.getByLabel("Title").fill("");
    await form.getByLabel("Baseline from").fill("2025-07-20");
    await form.getByLabel("Baseline to (included)").fill("2025-07-10");
    await form.getByLabel("Current to (included)").fill("2099-01-01");
    await form.getByLabel(/^Functions/).fill("no-such-function");
    await form.getByRole("button", { name: "Create review" }).click();
    expect(await textOf(form.locator("#title-error"))).toBe("Give the review a title");
    await form.getByLabel("Title").fill("Bad windows");
    await form.getByRole("button", { name: "Create review" }).click();
    expect(await textOf(form.locator("#baselineTo-error"))).toBe("The window ends before it starts");
    expect(await textOf(form.locator("#currentTo-error"))).toMatch(/lies in the future/);
    expect(await textOf(form.locator("#functions-error"))).toBe("No such function in AWS: no-such-function");
    await page.reload();
    expect(await page.getByTestId("reviews").locator("li").count()).toBe(before);
    await context.close();
  });
});
