import { describe, expect, it } from "vitest";
import { functionPageQuery, parseFunctionPageParams, parseOverviewParams } from "./latency-params";

describe("the overview's URL state", () => {
  it("defaults to the last day, worst p90 first, process-user-request in focus", () => {
    expect(parseOverviewParams({})).toEqual({
      range: "24h",
      focus: ["process-user-request"],
      sort: "p90",
      dir: "desc",
      q: "",
      ignored: [],
    });
  });

  it("keeps what it understands and names what it ignored", () => {
    const parsed = parseOverviewParams({
      range: "90d",
      sort: "p99",
      dir: "sideways",
      tz: "Mars/Olympus",
      focus: "get-user-profile,<script>",
      q: ["python", "node"],
    });
    expect(parsed).toMatchObject({ range: "24h", sort: "p99", dir: "desc", focus: ["get-user-profile"], q: "python" });
    expect(parsed.ignored.sort()).toEqual(["dir", "focus", "range", "tz"]);
  });
});

describe("the function page's URL state", () => {
  it("round-trips a custom range with options", () => {
    const query = functionPageQuery({
      selection: { range: "custom", from: "2025-07-21T00:00:00.000Z", to: "2025-07-21T06:00:00.000Z" },
      averageAndMaximum: true,
      tz: "Europe/Berlin",
    });
    const parsed = parseFunctionPageParams(Object.fromEntries(new URLSearchParams(query)));
    expect(parsed).toEqual({
      selection: { range: "custom", from: "2025-07-21T00:00:00.000Z", to: "2025-07-21T06:00:00.000Z" },
      averageAndMaximum: true,
      tz: "Europe/Berlin",
      ignored: [],
    });
  });

  it("falls back to the last day for an unknown range and ignores a bad zone", () => {
    const parsed = parseFunctionPageParams({ range: "1y", tz: "Not/AZone", stats: "everything" });
    expect(parsed.selection).toEqual({ range: "24h" });
    expect(parsed.tz).toBeUndefined();
    expect(parsed.ignored).toEqual(["range", "tz", "stats"]);
  });

  it("passes an unreadable custom range on, for the window check to explain", () => {
    expect(parseFunctionPageParams({ range: "custom", from: "yesterday" }).selection).toEqual({
      range: "custom",
      from: "yesterday",
      to: "",
    });
  });
});
