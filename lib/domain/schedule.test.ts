import { describe, expect, it } from "vitest";
import {
  buildCron,
  cronToBuilder,
  describeSchedule,
  isIanaTimeZone,
  nextFirings,
  parseSchedule,
  zonedTimeToUtc,
} from "./schedule";

describe("parseSchedule validates as AWS does", () => {
  it.each([
    ["cron(0 7 ? * MON-FRI *)", true],
    ["cron(45 7 ? * MON-FRI *)", true],
    ["cron(0 0 7 ? * MON-FRI *)", true], // seven fields: leading seconds
    ["cron(0/15 * ? * * *)", true],
    ["cron(0 18 1 * ? 2026)", true],
    ["cron(0 7 * * MON *)", false], // neither day field is ?
    ["cron(0 7 ? * ? *)", false], // both are ?
    ["cron(0 7 * * ?)", false], // five fields
    ["cron(0 25 ? * MON *)", false], // hour 25
    ["cron(60 7 ? * MON *)", false],
    ["cron(0 7 ? 13 MON *)", false],
    ["cron(0 7 ? * FUN *)", false],
    ["cron(0 7 ? * FRI-MON *)", false], // backwards range
    ["cron(0 7 ? * 2#1 *)", false],
    ["rate(5 minutes)", true],
    ["rate(1 hour)", true],
    ["rate(0 minutes)", false],
    ["rate(1 minutes)", false],
    ["rate(5 minute)", false],
    ["rate(-1 days)", false],
    ["at(2025-07-25T18:00:00)", true],
    ["at(2025-02-30T18:00:00)", false],
    ["at(2025-07-25 18:00)", false],
    [" cron(0 7 ? * MON *)", false],
    ["every day", false],
  ])("%s → %s", (expression, ok) => {
    const result = parseSchedule(expression);
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
  });

  it("explains a five-field cron in words", () => {
    expect(parseSchedule("cron(0 7 * * ?)")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/six fields.*has 5/),
    });
    expect(parseSchedule("cron(0 25 ? * MON *)")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/25 is not a valid hour/),
    });
  });
});

describe("next firings in an IANA time zone", () => {
  const weekdays = parseSchedule("cron(45 7 ? * MON-FRI *)");
  if (!weekdays.ok) throw new Error("template cron must parse");

  it("fires at 07:45 New York on weekdays, following daylight saving", () => {
    // Friday 2025-10-31 12:00 UTC: next are Mon 3 Nov (EST after the 2 Nov change) …
    const after = Date.parse("2025-10-31T12:00:00Z");
    const firings = nextFirings(weekdays.schedule, { timeZone: "America/New_York" }, after, 3).map((ms) =>
      new Date(ms).toISOString(),
    );
    expect(firings).toEqual(["2025-11-03T12:45:00.000Z", "2025-11-04T12:45:00.000Z", "2025-11-05T12:45:00.000Z"]);
    const summer = nextFirings(
      weekdays.schedule,
      { timeZone: "America/New_York" },
      Date.parse("2025-07-22T14:30:00Z"),
      1,
    );
    expect(new Date(summer[0] as number).toISOString()).toBe("2025-07-23T11:45:00.000Z");
  });

  it("maps a skipped local time an hour later and a repeated one to its first occurrence", () => {
    expect(
      new Date(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, "America/New_York")).toISOString(),
    ).toBe("2026-03-08T07:30:00.000Z");
    expect(
      new Date(
        zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, "America/New_York"),
      ).toISOString(),
    ).toBe("2026-11-01T05:30:00.000Z");
  });

  it("respects start and end times and one-time schedules", () => {
    const at = parseSchedule("at(2025-07-25T18:00:00)");
    if (!at.ok) throw new Error("at must parse");
    const now = Date.parse("2025-07-22T14:30:00Z");
    expect(nextFirings(at.schedule, { timeZone: "Europe/Berlin" }, now, 5)).toEqual([
      Date.parse("2025-07-25T16:00:00Z"),
    ]);
    const end = Date.parse("2025-07-24T00:00:00Z");
    expect(nextFirings(weekdays.schedule, { timeZone: "America/New_York", endTimeMs: end }, now, 5)).toHaveLength(1);
    const rate = parseSchedule("rate(2 hours)");
    if (!rate.ok) throw new Error("rate must parse");
    expect(nextFirings(rate.schedule, { createdMs: now }, now, 2)).toEqual([now + 2 * 3_600_000, now + 4 * 3_600_000]);
  });
});

describe("words, builder and zones", () => {
  it("describes schedules in words", () => {
    expect(describeSchedule(weekdaysSchedule(), "America/New_York")).toBe(
      "at 07:45 on Monday–Friday (America/New_York)",
    );
  });
  it("builds crons from days and a time, and reads them back", () => {
    expect(buildCron(["MON", "TUE", "WED", "THU", "FRI"], "07:45")).toMatchObject({
      ok: true,
      expression: "cron(45 7 ? * MON-FRI *)",
    });
    expect(buildCron(["SAT", "SUN"], "19:00")).toMatchObject({ expression: "cron(0 19 ? * SUN,SAT *)" });
    expect(buildCron([], "19:00").ok).toBe(false);
    expect(cronToBuilder("cron(0 19 ? * MON-THU *)")).toEqual({ days: ["MON", "TUE", "WED", "THU"], time: "19:00" });
    expect(cronToBuilder("rate(5 minutes)")).toBeUndefined();
  });
  it.each([
    ["America/New_York", true],
    ["UTC", true],
    ["Etc/GMT+9", true],
    ["Mars/Olympus", false],
    ["america/new_york", false],
    ["", false],
  ])("time zone %s → %s", (zone, ok) => {
    expect(isIanaTimeZone(zone)).toBe(ok);
  });
});

function weekdaysSchedule() {
  const parsed = parseSchedule("cron(45 7 ? * MON-FRI *)");
  if (!parsed.ok) throw new Error("must parse");
  return parsed.schedule;
}
