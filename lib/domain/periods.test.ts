import { describe, expect, it } from "vitest";
import {
  choosePeriodSeconds,
  DAY_MS,
  finestPeriodForAge,
  HOUR_MS,
  RANGE_PRESETS,
  rangePresetNames,
  resolveWindow,
  utcToZonedWallTime,
  zonedWallTimeToUtc,
} from "./periods";

const now = Date.parse("2025-07-22T14:30:27Z");

describe("choosePeriodSeconds", () => {
  it.each([
    ["1h", 60],
    ["3h", 60],
    ["12h", 60],
    ["24h", 60],
    ["7d", 600],
    ["14d", 900],
    ["30d", 1_800],
    ["90d", 7_200],
  ] as const)("picks %s → %i s", (range, period) => {
    expect(choosePeriodSeconds(now - RANGE_PRESETS[range], now, now)).toBe(period);
  });

  it("keeps every preset under 1,500 points and respects the data's age", () => {
    for (const range of rangePresetNames) {
      const start = now - RANGE_PRESETS[range];
      const period = choosePeriodSeconds(start, now, now);
      expect(RANGE_PRESETS[range] / 1000 / period).toBeLessThanOrEqual(1_440);
      expect(period % finestPeriodForAge(now - start)).toBe(0);
    }
  });

  it.each([
    [HOUR_MS, 60],
    [15 * DAY_MS, 60],
    [15 * DAY_MS + 1, 300],
    [63 * DAY_MS + 1, 3_600],
  ])("data %i ms old has periods in multiples of %i s", (age, finest) => {
    expect(finestPeriodForAge(age)).toBe(finest);
  });

  it("uses a 5-minute multiple for an hour of data 20 days old, where 1-minute data is gone", () => {
    const start = now - 20 * DAY_MS;
    expect(choosePeriodSeconds(start, start + HOUR_MS, now)).toBe(300);
  });
});

describe("resolveWindow", () => {
  it("ends presets at the last whole minute and starts them on a period boundary", () => {
    const result = resolveWindow({ range: "7d" }, now);
    if (!result.ok) throw new Error(result.message);
    expect(result.window.endMs).toBe(Date.parse("2025-07-22T14:30:00Z"));
    expect(result.window.startMs % (result.window.periodSeconds * 1000)).toBe(0);
    expect(result.window.endMs - result.window.startMs).toBeGreaterThanOrEqual(RANGE_PRESETS["7d"]);
  });

  it.each([
    ["reversed", "2025-07-21T10:00:00Z", "2025-07-20T10:00:00Z", "must be before its end"],
    ["equal", "2025-07-21T10:00:00Z", "2025-07-21T10:00:00Z", "must be before its end"],
    ["too short", "2025-07-21T10:00:00Z", "2025-07-21T10:02:00Z", "at least 5 minutes"],
    ["too long", "2025-01-01T00:00:00Z", "2025-07-01T00:00:00Z", "at most 90 days"],
    ["beyond retention", "2023-01-01T00:00:00Z", "2023-01-02T00:00:00Z", "455 days"],
    ["in the future", "2025-08-01T00:00:00Z", "2025-08-02T00:00:00Z", "in the future"],
    ["unreadable", "yesterday", "today", "needs a start and an end"],
  ])("refuses a %s custom range with a message", (_name, from, to, message) => {
    const result = resolveWindow({ range: "custom", from, to }, now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it("clamps a custom range that ends in the future to now", () => {
    const result = resolveWindow({ range: "custom", from: "2025-07-22T10:00:00Z", to: "2025-07-23T10:00:00Z" }, now);
    if (!result.ok) throw new Error(result.message);
    expect(result.window.endMs).toBe(Date.parse("2025-07-22T14:30:00Z"));
  });
});

describe("wall-clock times in a time zone", () => {
  it.each([
    ["2025-07-22T10:30", "America/New_York", "2025-07-22T14:30:00.000Z"],
    ["2025-01-22T10:30", "America/New_York", "2025-01-22T15:30:00.000Z"],
    ["2025-03-30T03:30", "Europe/Berlin", "2025-03-30T01:30:00.000Z"],
    ["2025-07-22T10:30", "UTC", "2025-07-22T10:30:00.000Z"],
  ])("%s in %s is %s, and back", (wall, zone, iso) => {
    const utc = zonedWallTimeToUtc(wall, zone);
    expect(new Date(utc ?? 0).toISOString()).toBe(iso);
    expect(utcToZonedWallTime(Date.parse(iso), zone)).toBe(wall);
  });

  it("refuses what a datetime-local input cannot produce", () => {
    expect(zonedWallTimeToUtc("22/07/2025 10:30", "UTC")).toBeUndefined();
  });
});
