import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { axisValue, type ChartKind, formatValue, hasData, plotHeight, specFor } from "@/components/latency/chart-spec";
import { timeFormatter, timeTicks } from "@/components/latency/chart-time";
import { coldStartsFrom, describeLogTotals } from "@/components/latency/count-sources";
import type { FunctionLogs } from "@/lib/data/latency";
import { emptyViewCost } from "@/lib/domain/latency";
import { zoneOffsetMs as offsetMs } from "@/lib/domain/time-zone";

const HOUR = 3_600_000;
const kinds: ChartKind[] = [
  "duration",
  "invocations",
  "errors",
  "throttles",
  "concurrency",
  "provisioned",
  "coldStarts",
  "initDuration",
];

describe("the function page's time axis", () => {
  it("knows the offset of a time zone at a moment, daylight saving included", () => {
    const winter = Date.UTC(2026, 0, 15, 12);
    const summer = Date.UTC(2026, 6, 15, 12);
    expect(offsetMs(winter, "UTC")).toBe(0);
    expect(offsetMs(winter, "Asia/Kolkata")).toBe(5.5 * HOUR);
    expect(offsetMs(winter, "America/New_York")).toBe(-5 * HOUR);
    expect(offsetMs(summer, "America/New_York")).toBe(-4 * HOUR);
  });

  it.each([
    ["UTC", 0],
    ["Asia/Kolkata", 5.5 * HOUR],
    ["America/New_York", -5 * HOUR],
  ])("puts at most ~8 ticks of a day on round local hours in %s", (zone, offset) => {
    const start = Date.UTC(2026, 0, 15, 10, 17);
    const domain: [number, number] = [start, start + 24 * HOUR];
    const ticks = timeTicks(domain, zone);
    expect(ticks.length).toBeGreaterThanOrEqual(7);
    expect(ticks.length).toBeLessThanOrEqual(9);
    for (const tick of ticks) {
      expect(tick).toBeGreaterThanOrEqual(domain[0]);
      expect(tick).toBeLessThanOrEqual(domain[1]);
      // Every three hours, on the hour, in the chosen zone.
      expect((tick + offset) % (3 * HOUR)).toBe(0);
    }
  });

  it("shortens tick labels to what the span needs and gives full times with the zone", () => {
    const at = Date.UTC(2026, 11, 3, 14, 5);
    expect(timeFormatter("UTC", 6 * HOUR).axis(at)).toBe("14:05");
    expect(timeFormatter("UTC", 24 * HOUR).axis(at)).toMatch(/^Thu,? 14:05$/);
    expect(timeFormatter("UTC", 7 * 24 * HOUR).axis(at)).toBe("3 Dec");
    expect(timeFormatter("UTC", HOUR).full(at)).toMatch(/^3 Dec,? 14:05 UTC$/);
    expect(timeFormatter("Asia/Tokyo", HOUR).full(at)).toMatch(/^3 Dec,? 23:05 GMT\+9$/);
  });
});

describe("the function page's chart specifications", () => {
  it("gives every chart a title, an empty-state sentence and labelled, coloured series", () => {
    for (const kind of kinds) {
      const spec = specFor(kind, false);
      expect(spec.title).not.toBe("");
      expect(spec.empty).toMatch(/\.$/);
      expect(spec.series.length).toBeGreaterThan(0);
      for (const series of spec.series) expect(series.color).toMatch(/^var\(--(series|annotation)/);
    }
  });

  it("adds average and maximum to the duration chart only when asked", () => {
    expect(specFor("duration", false).series.map((series) => series.key)).toEqual(["p50", "p90", "p99"]);
    expect(specFor("duration", true).series.map((series) => series.key)).toEqual(["p50", "p90", "p99", "avg", "max"]);
  });

  it("separates timeouts from the other errors, stacked", () => {
    const errors = specFor("errors", false);
    expect(errors.stacked).toBe(true);
    expect(errors.series.map((series) => series.key)).toEqual(["timeouts", "otherErrors"]);
  });

  it("has something to draw only when a series has a number other than zero", () => {
    const spec = specFor("throttles", false);
    expect(hasData(spec, [])).toBe(false);
    expect(
      hasData(spec, [
        { t: 0, throttles: null },
        { t: 1, throttles: 0 },
      ]),
    ).toBe(false);
    expect(hasData(spec, [{ t: 0, throttles: null, invocations: 5 }])).toBe(false);
    expect(hasData(spec, [{ t: 0, throttles: 2 }])).toBe(true);
  });

  it("formats values with their units, for the tooltip, the table and the value axis", () => {
    expect(formatValue(2_600, "ms")).toBe("2.6 s");
    expect(formatValue(12_345, "count")).toBe("12,345");
    expect(formatValue(0.024, "ratio")).toBe("2.4 %");
    expect(formatValue(null, "ms")).toBe("—");
    expect(axisValue(850, "ms")).toBe("850 ms");
    expect(axisValue(1_500, "ms")).toBe("1.5 s");
    expect(axisValue(12_000, "count")).toBe("12k");
    expect(axisValue(1_200_000, "count")).toBe("1.2M");
  });

  it("keeps the box of a plot the same height before and after it is drawn", () => {
    expect(plotHeight(false)).toBe(190);
    expect(plotHeight(true)).toBe(250);
  });
});

describe("the chart pages' first-load JavaScript", () => {
  // recharts is most of a chart page's JavaScript: only the plot modules may import it, and each chart
  // frame loads its plot module with a dynamic import() (components/latency/lazy-plot.tsx) so it stays
  // out of the page's first load.
  const root = path.resolve(import.meta.dirname, "../..");
  const source = (file: string) => readFileSync(path.join(root, file), "utf8");
  const plots = {
    "components/latency/latency-plot.tsx": { frame: "components/latency/latency-charts.tsx", as: "./latency-plot" },
    "components/power-tuning/tuning-plot.tsx": {
      frame: "components/power-tuning/tuning-chart.tsx",
      as: "./tuning-plot",
    },
    "components/reviews/overlay-plot.tsx": { frame: "components/reviews/overlay-chart.tsx", as: "./overlay-plot" },
  };
  const sourcesUnder = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => /\.(ts|tsx|js|jsx|mjs)$/.test(file))
      .map((file) => path.join(dir, file).split(path.sep).join("/"));
  // The chart pages' components and routes: function page, power tuning, reviews (and their print view).
  const files = [
    ...sourcesUnder("components/latency"),
    ...sourcesUnder("components/power-tuning"),
    ...sourcesUnder("components/reviews"),
    ...sourcesUnder("app/(app)/functions"),
    ...sourcesUnder("app/(app)/reviews"),
  ];

  it("imports recharts only in the plot modules", () => {
    const importers = files.filter((file) => /from "recharts"|import\("recharts"\)/.test(source(file)));
    expect(importers.sort()).toEqual(Object.keys(plots).sort());
  });

  it.each(Object.entries(plots))("loads %s dynamically, never with a static import", (plot, { frame, as }) => {
    const escaped = as.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    expect(source(frame)).toMatch(new RegExp(`lazyPlot\\(\\(\\) => import\\("${escaped}"\\)\\)`));
    const name = path.basename(plot).replace(/\.tsx$/, "");
    for (const file of files) {
      if (file === plot) continue;
      // A type-only import is erased from the bundle; any other import of the plot module would pull recharts in.
      expect(source(file), file).not.toMatch(new RegExp(`^import (?!type )[^;]*from "[^"]*/${name}"`, "m"));
      expect(source(file), file).not.toMatch(new RegExp(`^export [^;]*from "[^"]*/${name}"`, "m"));
    }
  });
});

describe("where the function page's cold starts and timeouts come from", () => {
  const logs = (
    coldStartsSource: FunctionLogs["coldStartsSource"],
    timeoutsSource: FunctionLogs["timeoutsSource"],
  ): FunctionLogs => ({
    rows: [],
    coveredStartMs: 0,
    totals: { coldStarts: 12, timeouts: 3_400, reports: 4_000 },
    coldStartsSource,
    timeoutsSource,
    partial: false,
    notes: [],
    cost: emptyViewCost,
  });

  it("names the REPORT lines for both when Logs Insights counted both", () => {
    expect(describeLogTotals(logs("logs-insights", "logs-insights"))).toBe(
      "3,400 timeouts and 12 cold starts (0.3 % of invocations). AWS publishes no metric for either: Phoenix counts the REPORT lines (Logs Insights).",
    );
  });

  it("names the function's own metrics for cold starts and the REPORT lines for timeouts", () => {
    const text = describeLogTotals(logs("handler-metrics", "logs-insights"));
    expect(text).toContain("Cold starts from the function's own metrics (CloudWatch Phoenix/ColdStart).");
    expect(text).toContain("Phoenix counts the timeouts in the REPORT lines (Logs Insights).");
    expect(text).not.toContain("either");
  });

  it("says which figure could not be read instead of showing it as zero", () => {
    const text = describeLogTotals(logs(null, "logs-insights"));
    expect(text).toMatch(/^3,400 timeouts\. /);
    expect(text).toContain("Cold starts could not be read.");
    expect(describeLogTotals(logs(null, null))).toBe("Cold starts and timeouts could not be read.");
    expect(coldStartsFrom("no-invocations")).toBeNull();
    expect(coldStartsFrom("handler-metrics")).toBe("from the function's own metrics (CloudWatch Phoenix/ColdStart)");
  });
});
