import { mkdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { demoPassword, newContext, sharedBrowser, signIn, textOf } from "./support/browser";

// The follow-up meeting: the fixes were applied last week, and the refactored process-user-request
// publishes its own cold-start metrics (embedded metric format, CloudWatch namespace Phoenix).
const browser = sharedBrowser({ scenario: "followup" });
const screenshots = path.resolve(import.meta.dirname, "../test-results/latency");
const OWN_METRICS = "from the function's own metrics (CloudWatch Phoenix/ColdStart)";

beforeAll(() => {
  mkdirSync(screenshots, { recursive: true });
});

describe("where cold starts come from, at the follow-up", () => {
  it("says on the overview that process-user-request's cold starts come from its own metrics", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "viewer", demoPassword("viewer"));
    await page.goto("/?range=24h");
    await page.getByTestId("view-cost").waitFor({ timeout: 60_000 });
    const headline = page.getByTestId("headline-process-user-request");
    expect(await textOf(headline.getByTestId("headline-cold-starts"))).toMatch(/cold starts per hour/);
    expect(await textOf(headline.getByTestId("headline-cold-starts-source"))).toBe(OWN_METRICS);
    // The fleet table marks the same figure, and says where the others come from.
    const row = page.getByTestId("fleet-row-process-user-request");
    expect(await row.locator('td[data-source="handler-metrics"]').count()).toBe(1);
    expect(await textOf(page.getByTestId("cold-start-sources"))).toContain("the others, and every timeout");
    const region = page.getByRole("region", { name: "Fleet table" });
    const fit = await region.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    await page.screenshot({ path: path.join(screenshots, "overview-followup.png"), fullPage: true });
    await context.close();
  });

  it("says on the function page that its cold starts come from its own metrics and its timeouts from the logs", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "viewer", demoPassword("viewer"));
    await page.goto("/functions/process-user-request?range=24h");
    const totals = page.getByTestId("log-totals");
    const text = await textOf(totals);
    expect(await totals.getAttribute("data-cold-starts-source")).toBe("handler-metrics");
    expect(text).toMatch(/^[\d,]+ timeouts and [\d,]+ cold starts \([\d.]+ % of invocations\)\./);
    expect(text).toContain(`Cold starts ${OWN_METRICS}.`);
    expect(text).toContain("Phoenix counts the timeouts in the REPORT lines (Logs Insights).");
    expect(text).not.toContain("no metric for either");
    await page.getByTestId("chart-coldStarts").waitFor();
    await page.screenshot({ path: path.join(screenshots, "function-followup.png"), fullPage: true });
    await context.close();
  });
});
