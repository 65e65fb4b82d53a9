import { describe, expect, it } from "vitest";
import {
  findCronProblems,
  isIanaTimeZone,
  loadPcSchedule,
  type PcSchedule,
  parsePcSchedule,
} from "../lib/config/pc-schedule.js";

/** A deep copy of the real schedule to break in one place per test. */
function realScheduleCopy(): PcSchedule {
  return structuredClone(loadPcSchedule());
}

describe("infra/config/pc-schedule.json", () => {
  it("is valid and encodes the meeting's production levels: 50 on weekday business hours, 5 at night", () => {
    // Act
    const schedule = loadPcSchedule();

    // Assess
    const production = schedule.stages.production.scheduledActions;
    const businessHours = production.find((action) => action.name === "weekday-business-hours");
    const weeknight = production.find((action) => action.name === "weeknight");
    const weekend = production.find((action) => action.name === "weekend");
    expect(businessHours).toMatchObject({ schedule: "cron(45 7 ? * MON-FRI *)", minCapacity: 50, maxCapacity: 50 });
    expect(weeknight).toMatchObject({ schedule: "cron(0 19 ? * MON-THU *)", minCapacity: 5, maxCapacity: 5 });
    // "5 or even 0": either is allowed, nothing else.
    expect([0, 5]).toContain(weekend?.minCapacity);
    expect(schedule.aliasName).toBe("live");
    expect(isIanaTimeZone(schedule.timeZone)).toBe(true);
  });

  it("pins every action exactly (min = max), so a lower level actually scales PC in", () => {
    // Act
    const { stages } = loadPcSchedule();

    // Assess
    for (const stage of [stages.staging, stages.production]) {
      for (const action of stage.scheduledActions) {
        expect(action.minCapacity, action.name).toBe(action.maxCapacity);
      }
    }
  });
});

describe("findCronProblems", () => {
  it.each([
    "cron(45 7 ? * MON-FRI *)",
    "cron(0 19 ? * MON-THU *)",
    "cron(0/15 8-18 ? * 2-6 *)",
    "cron(0 0 1 * ? *)",
    "cron(30 6 ? JAN-DEC MON#1 2027)",
  ])("accepts %s", (expression) => {
    expect(findCronProblems(expression)).toEqual([]);
  });

  it.each([
    // The public PC-autoscaling example's typo: an extra closing parenthesis.
    ["cron(0 11 ? * MON-FRI *))", /parenthes/],
    ["cron(0 11 ? * MON-FRI)", /five fields|has 5 fields/],
    ["0 11 ? * MON-FRI *", /must look like cron/],
    ["cron(0 11 * * MON-FRI *)", /exactly one of day-of-month and day-of-week/],
    ["cron(0 11 ? * ? *)", /exactly one of day-of-month and day-of-week/],
    ["cron(0 24 ? * MON-FRI *)", /hours value 24/],
    ["cron(60 7 ? * MON-FRI *)", /minutes value 60/],
    ["cron(0 7 ? * FUNDAY *)", /day-of-week/],
  ])("rejects %s", (expression, problem) => {
    expect(findCronProblems(expression).join("; ")).toMatch(problem);
  });
});

describe("parsePcSchedule", () => {
  it("rejects a time zone that is not an IANA name", () => {
    // Prepare
    const schedule = { ...realScheduleCopy(), timeZone: "EST5EDT-ish" };

    // Act / Assess
    expect(() => parsePcSchedule(schedule)).toThrow(/IANA time zone/);
  });

  it("rejects PC on $LATEST", () => {
    const schedule = { ...realScheduleCopy(), aliasName: "$LATEST" };
    expect(() => parsePcSchedule(schedule)).toThrow(/never \$LATEST/);
  });

  it("rejects duplicate action names within a stage", () => {
    // Prepare
    const schedule = realScheduleCopy();
    const [first] = schedule.stages.staging.scheduledActions;
    if (!first) throw new Error("fixture needs at least one action");
    schedule.stages.staging.scheduledActions.push({ ...first });

    // Act / Assess
    expect(() => parsePcSchedule(schedule)).toThrow(/duplicate scheduled action name "weekday-business-hours"/);
  });

  it("rejects min above max and names AAS would refuse", () => {
    // Prepare
    const inverted = realScheduleCopy();
    inverted.stages.production.scheduledActions[0] = {
      name: "inverted",
      schedule: "cron(0 8 ? * MON-FRI *)",
      minCapacity: 10,
      maxCapacity: 5,
    };
    const badName = realScheduleCopy();
    badName.stages.production.scheduledActions[0] = {
      name: "weekday:peak",
      schedule: "cron(0 8 ? * MON-FRI *)",
      minCapacity: 5,
      maxCapacity: 5,
    };

    // Act / Assess
    expect(() => parsePcSchedule(inverted)).toThrow(/minCapacity must not exceed maxCapacity/);
    expect(() => parsePcSchedule(badName)).toThrow(/must not contain ':'/);
  });

  it("reports a malformed cron with the action it belongs to", () => {
    const schedule = realScheduleCopy();
    schedule.stages.production.scheduledActions[1] = {
      name: "weeknight",
      schedule: "cron(0 19 ? * MON-THU *))",
      minCapacity: 5,
      maxCapacity: 5,
    };
    expect(() => parsePcSchedule(schedule)).toThrow(/stages\.production\.scheduledActions\[1\]\.schedule/);
  });
});
