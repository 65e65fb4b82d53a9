import { mkdirSync } from "node:fs";
import path from "node:path";
import type { APIResponse, Locator, Page, Route } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { demoPassword, newContext, phoenixServer, sharedBrowser, signIn, textOf } from "./support/browser";

const browser = sharedBrowser();
const screenshots = path.resolve(import.meta.dirname, "../test-results/latency");

beforeAll(() => {
  mkdirSync(screenshots, { recursive: true });
});

async function viewerPage(): Promise<Page> {
  const context = await newContext(browser());
  const page = await context.newPage();
  await signIn(page, "viewer", demoPassword("viewer"));
  return page;
}

/** The scripts a page's HTML loads (its first-load JavaScript), as bench/dashboard counts them. */
async function firstLoadScripts(page: Page, url: string): Promise<string[]> {
  const html = await (await page.request.get(url)).text();
  return [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1] as string))];
}

const scripts = /\/_next\/static\/chunks\/[^?]*\.js(\?.*)?$/;

/** Serves the page's scripts, handing those with the charting library to `chartCode` instead. */
async function interceptChartCode(page: Page, chartCode: (route: Route, response: APIResponse) => Promise<void>) {
  await page.route(scripts, async (route) => {
    const response = await route.fetch();
    if ((await response.text()).includes("recharts-")) await chartCode(route, response);
    else await route.fulfill({ response });
  });
}

/** Opens a chart's table view (clicking again until the page has hydrated and the button answers). */
async function showTable(chart: Locator, title: string): Promise<void> {
  const toggle = chart.getByRole("button", { name: `Show the data of “${title}” as a table` });
  await toggle.waitFor({ timeout: 30_000 });
  await expect
    .poll(
      async () => {
        if ((await chart.getByRole("table").count()) === 0) await toggle.click({ timeout: 1_000 }).catch(() => {});
        return chart.getByRole("table").count();
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(1);
}

describe("the overview", () => {
  it("shows the seeded fleet, worst p90 first, with process-user-request's p90 in the story's range", async () => {
    const page = await viewerPage();
    await page.goto("/");
    const table = page.getByTestId("fleet-table");
    await table.waitFor({ timeout: 30_000 });
    expect(await table.locator("tbody tr").count()).toBe(6);
    const p90Cell = page.getByTestId("fleet-row-process-user-request").getByTestId("fleet-p90");
    const p90 = Number(await p90Cell.getAttribute("data-ms"));
    // The simulated creep: p90 well above the ~800 ms of two weeks ago, below the 5 s timeout.
    expect(p90).toBeGreaterThan(800);
    expect(p90).toBeLessThan(5_000);
    expect(await textOf(page.getByTestId("headline-p90"))).toMatch(/^p90 \d.*(×|higher|lower|same).*two weeks ago$/);
    // The logs columns stream in after the metrics; the cost note comes with them.
    expect(await textOf(page.getByTestId("view-cost"))).toMatch(/metrics in 2 GetMetricData calls/);
    expect(await textOf(page.getByTestId("headline-cold-starts"))).toMatch(/cold starts per hour/);
    // Just after the review no function publishes its own cold-start metric: the REPORT lines count them.
    expect(await textOf(page.getByTestId("headline-cold-starts-source"))).toBe(
      "counted in the REPORT lines through Logs Insights",
    );
    expect(await page.getByTestId("cold-start-sources").count()).toBe(0);
    const p90s = await table
      .getByTestId("fleet-p90")
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute("data-ms"))));
    expect(p90s).toEqual([...p90s].sort((a, b) => b - a));
    // Every column fits the card at 1280 px.
    const region = page.getByRole("region", { name: "Fleet table" });
    const fit = await region.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    await page.screenshot({ path: path.join(screenshots, "overview.png"), fullPage: true });
    await page.context().close();
  });

  it("scrolls the fleet table inside its card at tablet width, the function names staying in place", async () => {
    const page = await viewerPage();
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto("/");
    await page.getByTestId("view-cost").waitFor({ timeout: 30_000 });
    const region = page.getByRole("region", { name: "Fleet table" });
    const card = page.getByRole("region", { name: /^Fleet ·/ });
    const name = page.getByTestId("fleet-row-process-user-request").locator("td").first();
    const timeouts = page.getByRole("columnheader", { name: "Timeouts" });
    const box = async (locator: Locator) =>
      (await locator.boundingBox()) ?? { x: Number.NaN, y: 0, width: 0, height: 0 };
    // The page itself does not scroll sideways: the table does, inside the card.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    const regionBox = await box(region);
    const cardBox = await box(card);
    expect(regionBox.x + regionBox.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
    expect((await box(timeouts)).x).toBeGreaterThan(regionBox.x + regionBox.width - 10);
    await page.screenshot({ path: path.join(screenshots, "overview-tablet.png"), fullPage: true });
    const nameX = (await box(name)).x;
    await region.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
    await expect.poll(async () => (await box(timeouts)).x).toBeLessThan(regionBox.x + regionBox.width);
    expect((await box(name)).x).toBe(nameX);
    expect(await textOf(name)).toBe("process-user-request");
    await page.screenshot({ path: path.join(screenshots, "overview-tablet-scrolled.png"), fullPage: true });
    await page.context().close();
  });

  it("filters and sorts through the URL and ignores settings it does not understand", async () => {
    const page = await viewerPage();
    await page.goto("/?range=bogus&sort=nonsense&q=python");
    expect(await textOf(page.getByRole("status"))).toContain("range, sort");
    const rows = page.getByTestId("fleet-table").locator("tbody tr");
    await rows.first().waitFor({ timeout: 30_000 });
    const names = await rows.locator("td:first-child").allTextContents();
    expect(names.sort()).toEqual([
      "nightly-report-export",
      "process-user-request",
      "send-notification",
      "update-user-settings",
    ]);
    await page.getByRole("link", { name: "Function", exact: true }).click();
    await page.waitForURL(/sort=name/);
    expect(new URL(page.url()).searchParams.get("q")).toBe("python");
    await page.context().close();
  });
});

describe("the function page", () => {
  it("marks a change made through the API on the time axis, with who made it", async () => {
    const context = await newContext(browser());
    const admin = await context.newPage();
    await signIn(admin, "admin", demoPassword("admin"));
    const response = await admin.request.post("/api/actions/sandbox.apply-scenario-event", {
      data: { event: "rds-proxy", functionName: "update-user-settings" },
    });
    expect(response.status()).toBe(200);

    await admin.goto("/functions/update-user-settings?range=1h");
    const annotation = admin.getByTestId("annotation").filter({ hasText: "RDS Proxy in front of Aurora" });
    expect(await textOf(annotation)).toContain("by admin");
    // The same change is a numbered flag on the charts, its tooltip naming what and who.
    const flag = admin.getByTestId("chart-duration").locator("svg title", { hasText: "RDS Proxy in front of Aurora" });
    await flag.first().waitFor({ state: "attached", timeout: 30_000 });
    expect(await flag.first().textContent()).toContain("(admin)");
    await admin.screenshot({ path: path.join(screenshots, "function-annotated.png"), fullPage: true });
    await context.close();
  });

  it("reproduces the view from its URL and keeps the state when the range changes", async () => {
    const page = await viewerPage();
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000);
    const from = new Date(to.getTime() - 6 * 3_600_000);
    const url = `/functions/process-user-request?range=custom&from=${from.toISOString()}&to=${to.toISOString()}&stats=all&tz=America/New_York`;
    await page.goto(url);
    await page.getByTestId("chart-duration").locator("svg").first().waitFor({ timeout: 30_000 });
    const check = async () => {
      expect(await page.getByRole("link", { name: "custom" }).getAttribute("aria-current")).toBe("true");
      expect(await page.getByLabel("Time zone").inputValue()).toBe("America/New_York");
      expect(await textOf(page.getByTestId("chart-duration"))).toContain("average");
      expect(await page.getByRole("link", { name: "Hide average and maximum" }).count()).toBe(1);
    };
    await check();
    await page.reload();
    await page.getByTestId("chart-duration").locator("svg").first().waitFor({ timeout: 30_000 });
    await check();
    await page.getByRole("link", { name: "7d", exact: true }).click();
    await page.waitForURL(/range=7d/);
    const params = new URL(page.url()).searchParams;
    expect(params.get("stats")).toBe("all");
    expect(params.get("tz")).toBe("America/New_York");
    await page.getByTestId("chart-duration").locator("svg").first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(screenshots, "function-7d.png"), fullPage: true });
    await page.context().close();
  });

  it("keeps the charting library out of the first load, holding each chart's place and its table view meanwhile", async () => {
    const page = await viewerPage();
    const url = "/functions/process-user-request?range=3h";
    for (const route of [url, "/functions/process-user-request/power-tuning"]) {
      const firstLoad = await firstLoadScripts(page, route);
      for (const src of firstLoad) expect(await (await page.request.get(src)).text(), src).not.toContain("recharts-");
    }
    // Hold every script loaded later (the chart code) until the page without it has been looked at.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await interceptChartCode(page, async (route, response) => {
      await released;
      await route.fulfill({ response });
    });
    // The held chart code would hold the load event too.
    await page.goto(url, { waitUntil: "domcontentloaded" });
    const charts = page.locator("figure[data-testid^='chart-']");
    const plots = page.getByTestId("plot");
    await plots.first().waitFor({ timeout: 30_000 });
    await page.getByTestId("chart-initDuration").waitFor({ timeout: 30_000 });
    expect(await charts.locator("svg").count()).toBe(0);
    const boxes = await plots.evaluateAll((elements) =>
      elements.map((element) => element.getBoundingClientRect().height),
    );
    // The first plot carries the brush.
    expect(boxes[0]).toBe(250);
    expect(boxes.slice(1).every((height) => height === 190)).toBe(true);
    // The numbers are there without the chart code: the table view of the same data.
    const duration = page.getByTestId("chart-duration");
    await showTable(duration, "Duration");
    const table = duration.getByRole("table");
    expect(await table.locator("thead th").allTextContents()).toEqual(["Period start", "p50", "p90", "p99"]);
    expect(await table.locator("tbody tr").count()).toBeGreaterThanOrEqual(150);
    expect(await textOf(table.locator("tbody td").first())).toMatch(/^(\d[\d.,]* (ms|s)|—)$/);
    await page.screenshot({ path: path.join(screenshots, "function-before-charts.png"), fullPage: true });
    const places = () =>
      charts.evaluateAll((figures) =>
        figures.map((figure) => {
          const rect = figure.getBoundingClientRect();
          return { top: rect.top + window.scrollY, height: rect.height };
        }),
      );
    const before = await places();

    release();
    await expect.poll(() => page.locator(".recharts-wrapper").count(), { timeout: 30_000 }).toBe(boxes.length);
    // Every plot is drawn into the box that held its place, filling it: nothing on the page moved.
    expect(await places()).toEqual(before);
    const filled = await plots.evaluateAll((elements) =>
      elements.map((element) => element.firstElementChild?.getBoundingClientRect().height),
    );
    expect(filled).toEqual(boxes);
    // Cold starts and timeouts both come from the REPORT lines just after the review.
    expect(await textOf(page.getByTestId("log-totals"))).toContain(
      "AWS publishes no metric for either: Phoenix counts the REPORT lines (Logs Insights).",
    );
    await page.screenshot({ path: path.join(screenshots, "function-3h.png"), fullPage: true });
    await page.context().close();
  });

  it("says so when the chart code cannot load, keeps the table view, and draws the charts on retry", async () => {
    const page = await viewerPage();
    const url = "/functions/process-user-request?range=1h";
    await interceptChartCode(page, (route) => route.abort("internetdisconnected"));
    await page.goto(url, { waitUntil: "domcontentloaded" });
    const duration = page.getByTestId("chart-duration");
    await duration.getByText("The chart could not be drawn").waitFor({ timeout: 30_000 });
    await duration.screenshot({ path: path.join(screenshots, "function-chart-code-failed.png") });
    await showTable(duration, "Duration");
    expect(await duration.getByRole("table").locator("tbody tr").count()).toBeGreaterThanOrEqual(50);
    await page.unroute(scripts);
    await duration.getByRole("button", { name: "Try again" }).click();
    await duration.locator("svg.recharts-surface").first().waitFor({ timeout: 30_000 });
    await page.getByTestId("chart-invocations").locator("svg.recharts-surface").first().waitFor({ timeout: 30_000 });
    expect(await page.getByText("The chart could not be drawn").count()).toBe(0);
    await page.context().close();
  });

  it("explains a reversed custom range and shows the last day instead", async () => {
    const page = await viewerPage();
    await page.goto("/functions/process-user-request?range=custom&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z");
    expect(await textOf(page.getByTestId("range-error"))).toContain(
      "The start of the custom range must be before its end.",
    );
    await page.getByTestId("chart-duration").waitFor({ timeout: 30_000 });
    await page.context().close();
  });

  it("answers an unknown or malformed function name with the not-found page", async () => {
    const page = await viewerPage();
    // The shell streams first (loading.tsx), so the status stays 200; the page is Next's not-found page.
    for (const name of ["no-such-function", encodeURIComponent("../../etc/passwd"), "x".repeat(300)]) {
      await page.goto(`/functions/${name}`);
      expect(await textOf(page.getByRole("heading", { name: "Not found" }))).toBe("Not found");
    }
    await page.context().close();
  });

  it("exports the chart data as CSV for signed-in users only", async () => {
    const page = await viewerPage();
    const response = await page.request.get("/api/functions/process-user-request/export?range=1h");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/csv");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^period start \(UTC\),p50 duration \(ms\),p90 duration \(ms\)/);
    expect(lines.length).toBeGreaterThanOrEqual(60);
    const anonymous = await fetch(`${phoenixServer().baseUrl}/api/functions/process-user-request/export?range=1h`, {
      redirect: "manual",
    });
    expect(anonymous.status).toBe(401);
    await page.context().close();
  });
});
