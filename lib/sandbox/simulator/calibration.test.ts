import { GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS } from "../clock";
import { queryResultsWhenEnded } from "../services/logs/testing";
import { createHarness, MEETING_TIME, type SandboxHarness } from "../testing";

/**
 * The seeded `meeting` world against the story (DESIGN.md §1, the meeting transcript): over the two
 * weeks of history p90 of `process-user-request` crept from ~800 ms to over 2.5 s, p99 sometimes hit
 * the 5 s timeout, and timeouts rose ~15 %. Bounds encode the story's words with room for noise, not
 * the model's current output. Everything is read the way Phoenix reads it: GetMetricData and Logs
 * Insights through the real SDK clients.
 */

const ANCHOR = Date.parse(MEETING_TIME);
// History starts at UTC midnight 15 days before the anchor: Monday 7 July 2025.
const HISTORY_START = Date.parse("2025-07-07T00:00:00Z");
const FUNCTION = "process-user-request";
// New York business hours (09:00–17:00 EDT) of a UTC day.
const BUSINESS_START = 13 * HOUR_MS;
const BUSINESS_END = 21 * HOUR_MS;

function durationQuery(stat: string, period: number): MetricDataQuery {
  return {
    Id: `d_${stat.replace(".", "_")}`,
    MetricStat: {
      Metric: {
        Namespace: "AWS/Lambda",
        MetricName: "Duration",
        Dimensions: [{ Name: "FunctionName", Value: FUNCTION }],
      },
      Period: period,
      Stat: stat,
    },
  };
}

function weekdaysOfHistory(): number[] {
  const days: number[] = [];
  for (let day = HISTORY_START; day + BUSINESS_END <= ANCHOR; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  return days;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

describe("calibration: the meeting scenario tells the story", () => {
  let harness: SandboxHarness;
  /** Business-hours p90 and p99 of every weekday of history (one 8-hour period each), by UTC day. */
  const daily = new Map<number, { p90: number; p99: number }>();

  beforeAll(async () => {
    harness = await createHarness("in-process");
    for (const day of weekdaysOfHistory()) {
      const result = await harness.cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [durationQuery("p90", 8 * 3600), durationQuery("p99", 8 * 3600)],
          StartTime: new Date(day + BUSINESS_START),
          EndTime: new Date(day + BUSINESS_END),
        }),
      );
      const [p90, p99] = (result.MetricDataResults ?? []).map((series) => series.Values?.[0]);
      expect(p90).toBeDefined();
      expect(p99).toBeDefined();
      daily.set(day, { p90: p90 as number, p99: p99 as number });
    }
  });
  afterAll(async () => {
    await harness.close();
  });

  it("p90 starts near 800 ms on the first weekday and ends above 2.5 s on the last full one", () => {
    const days = [...daily.keys()];
    const first = daily.get(days[0] as number)?.p90 as number;
    const lastFull = daily.get(days[days.length - 1] as number)?.p90 as number;
    expect(first).toBeGreaterThanOrEqual(600);
    expect(first).toBeLessThanOrEqual(1100);
    expect(lastFull).toBeGreaterThanOrEqual(2300);
  });

  it("p90 creeps steadily: each week's median weekday p90 is above the previous week's, with no cliff", () => {
    const weeks = new Map<number, number[]>();
    for (const [day, { p90 }] of daily) {
      const week = Math.floor((day - HISTORY_START) / (7 * DAY_MS));
      weeks.set(week, [...(weeks.get(week) ?? []), p90]);
    }
    const medians = [...weeks.values()].map(median);
    expect(medians.length).toBeGreaterThanOrEqual(3);
    for (let index = 1; index < medians.length; index++)
      expect(medians[index] as number).toBeGreaterThan(medians[index - 1] as number);
    // Steady, not flat-then-cliff: the middle week is already well on its way (between the ends), and
    // no weekday more than doubles the one before it.
    const [firstWeek, secondWeek] = medians as [number, number];
    expect(secondWeek).toBeGreaterThan(firstWeek * 1.3);
    const values = [...daily.values()].map((day) => day.p90);
    for (let index = 1; index < values.length; index++)
      expect(values[index] as number).toBeLessThan((values[index - 1] as number) * 1.8);
  });

  it("p99 stays well below the timeout in the first week and reaches ~5 s on the last days", async () => {
    const days = [...daily.keys()];
    const firstWeek = days.filter((day) => day < HISTORY_START + 7 * DAY_MS);
    expect(median(firstWeek.map((day) => daily.get(day)?.p99 as number))).toBeLessThan(2500);
    const lastFull = daily.get(days[days.length - 1] as number)?.p99 as number;
    expect(lastFull).toBeGreaterThanOrEqual(4000);
    // "Sometimes hitting 5 seconds": some hour of the last two weekdays has p99 at the 5 s timeout.
    const lastTwo = days.slice(-2);
    const hourly = await harness.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [durationQuery("p99", 3600)],
        StartTime: new Date((lastTwo[0] as number) + BUSINESS_START),
        EndTime: new Date(ANCHOR),
      }),
    );
    const values = hourly.MetricDataResults?.[0]?.Values ?? [];
    expect(Math.max(...values)).toBe(5000);
  });

  it("timeouts (REPORT lines with Status: timeout) rise about 15 % from the first week to the last", async () => {
    async function timeouts(startMs: number, endMs: number): Promise<number> {
      const started = await harness.logs.send(
        new StartQueryCommand({
          logGroupName: `/aws/lambda/${FUNCTION}`,
          startTime: startMs / 1000,
          endTime: endMs / 1000 - 1,
          queryString: "filter @message like /Status: timeout/ | stats count() as timeouts",
        }),
      );
      const results = await queryResultsWhenEnded(harness, started.queryId);
      const value = results.results?.[0]?.find((field) => field.field === "timeouts")?.value;
      return Number(value);
    }
    const firstWeek = await timeouts(HISTORY_START, HISTORY_START + 7 * DAY_MS);
    const lastWeek = await timeouts(ANCHOR - 7 * DAY_MS, ANCHOR);
    expect(firstWeek).toBeGreaterThan(0);
    const ratio = lastWeek / firstWeek;
    expect(ratio).toBeGreaterThanOrEqual(1.05);
    expect(ratio).toBeLessThanOrEqual(1.5);
  });

  it("cold starts concentrate where the warm pool is empty: first users after the idle night, bursts", async () => {
    const region = await harness.sandbox.region();
    let nightCold = 0;
    let nightInvocations = 0;
    let dayCold = 0;
    let dayInvocations = 0;
    const busiestMinutes: number[] = [];
    for (const day of weekdaysOfHistory()) {
      for (let minute = day; minute < day + DAY_MS; minute += 60_000) {
        const view = region.metrics.minute(FUNCTION, minute);
        if (!view) continue;
        const cold = view.chunk.coldStarts[view.index] as number;
        const invocations = view.chunk.invocations[view.index] as number;
        const utcHour = (minute - day) / HOUR_MS;
        if (utcHour >= 4 && utcHour < 10) {
          // 00:00–06:00 EDT: the idle night and the first users of the morning.
          nightCold += cold;
          nightInvocations += invocations;
        } else if (utcHour >= 14 && utcHour < 20) {
          // 10:00–16:00 EDT: the warm plateau, where only bursts above the warm pool start cold.
          dayCold += cold;
          dayInvocations += invocations;
          busiestMinutes.push(cold);
        }
      }
    }
    expect(nightInvocations).toBeGreaterThan(0);
    expect(dayCold).toBeGreaterThan(0);
    // A night or early-morning invocation is far more likely to be cold than a mid-day one.
    expect(nightCold / nightInvocations).toBeGreaterThan((10 * dayCold) / dayInvocations);
    // Mid-day cold starts come in bursts: the 10 % of minutes with the most cold starts carry most of them.
    busiestMinutes.sort((a, b) => b - a);
    const topTenth = busiestMinutes.slice(0, Math.ceil(busiestMinutes.length / 10)).reduce((a, b) => a + b, 0);
    expect(topTenth).toBeGreaterThan(dayCold * 0.5);
  });
});
