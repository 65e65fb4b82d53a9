import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
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
    const p90s = await table
      .getByTestId("fleet-p90")
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute("data-ms"))));
    expect(p90s).toEqual([...p90s].sort((a, b) => b - a));
    await page.screenshot({ path: path.join(screenshots, "overview.png"), fullPage: true });
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
