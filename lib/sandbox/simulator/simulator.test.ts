import {
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import {
  GetAliasCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { DAY_MS, MINUTE_MS } from "../clock";
import { createHarness, MEETING_TIME } from "../testing";
import { type DayChunk, SAMPLE_TIMEOUT, simulateDay } from "./engine";
import type { CodeProfile } from "./parameters";
import type { FunctionTimeline } from "./timeline";
import { SANDBOX_TIME_ZONE, SEEDED_FUNCTIONS } from "./world";

const ANCHOR = Date.parse(MEETING_TIME);
const HISTORY_START = Math.floor((ANCHOR - 15 * DAY_MS) / DAY_MS) * DAY_MS;
// Monday 21 July 2025 (UTC day), a business day at the end of the history.
const MONDAY = Date.parse("2025-07-21T00:00:00Z");
const MAIN = SEEDED_FUNCTIONS.find((fn) => fn.name === "process-user-request") as (typeof SEEDED_FUNCTIONS)[number];

function timeline(
  overrides: {
    memoryMb?: number;
    runtime?: string;
    timeoutSeconds?: number;
    code?: Partial<CodeProfile>;
    provisioned?: number;
  } = {},
): FunctionTimeline {
  return {
    functionName: MAIN.name,
    trafficAlias: "live",
    workload: MAIN.workload,
    configurations: [
      {
        fromMs: HISTORY_START,
        memoryMb: overrides.memoryMb ?? MAIN.memoryMb,
        runtime: overrides.runtime ?? MAIN.runtime,
        timeoutSeconds: overrides.timeoutSeconds ?? MAIN.timeoutSeconds,
        code: { ...MAIN.code, ...overrides.code },
        executedVersion: "14",
      },
    ],
    provisioned: overrides.provisioned
      ? [{ fromMs: HISTORY_START, startAllocated: overrides.provisioned, target: overrides.provisioned, rampMs: 0 }]
      : [],
  };
}

function day(line: FunctionTimeline, dayStartMs = MONDAY): DayChunk {
  return simulateDay(
    { seedKey: 42, timeZone: SANDBOX_TIME_ZONE, historyStartMs: HISTORY_START, anchorMs: ANCHOR },
    line,
    dayStartMs,
  );
}

/** Weighted mean of the sampled durations, and the mean INIT of cold samples. */
function summarize(chunk: DayChunk): {
  meanDuration: number;
  meanInit: number;
  coldStarts: number;
  invocations: number;
} {
  let weight = 0;
  let sum = 0;
  let initSum = 0;
  let initCount = 0;
  for (let sample = 0; sample < chunk.sampleDuration.length; sample++) {
    const w = chunk.sampleWeight[sample] as number;
    weight += w;
    sum += (chunk.sampleDuration[sample] as number) * w;
    const init = chunk.sampleInit[sample] as number;
    if (init > 0) {
      initSum += init;
      initCount++;
    }
  }
  return {
    meanDuration: sum / weight,
    meanInit: initCount > 0 ? initSum / initCount : Number.NaN,
    coldStarts: chunk.coldStarts.reduce((total, value) => total + value, 0),
    invocations: chunk.invocations.reduce((total, value) => total + value, 0),
  };
}

describe("the traffic model", () => {
  it("is deterministic: the same seed, history and day give identical samples", () => {
    const first = day(timeline());
    const second = day(timeline());
    expect(Buffer.from(first.sampleDuration.buffer)).toEqual(Buffer.from(second.sampleDuration.buffer));
    expect(first.invocations).toEqual(second.invocations);
  });

  it("more memory shortens INIT and compute", () => {
    const small = summarize(day(timeline({ memoryMb: 512 })));
    const large = summarize(day(timeline({ memoryMb: 1536 })));
    expect(large.meanInit).toBeLessThan(small.meanInit * 0.5);
    expect(large.meanDuration).toBeLessThan(small.meanDuration);
  });

  it("python3.11 initialises faster than python3.9", () => {
    const old = summarize(day(timeline({ runtime: "python3.9" })));
    const newer = summarize(day(timeline({ runtime: "python3.11" })));
    expect(newer.meanInit).toBeLessThan(old.meanInit);
  });

  it("dropping the dataframe library shrinks INIT (package 105 MB → 14 MB)", () => {
    const heavy = summarize(day(timeline()));
    const light = summarize(day(timeline({ code: { transform: "native", packageMb: 14 } })));
    expect(light.meanInit).toBeLessThan(heavy.meanInit / 3);
    expect(light.meanDuration).toBeLessThan(heavy.meanDuration);
  });

  it("has cold starts without provisioned concurrency, and none with PC at or above the peak (spill-over 0)", () => {
    const onDemand = day(timeline());
    expect(summarize(onDemand).coldStarts).toBeGreaterThan(0);
    const peak = Math.max(...onDemand.concurrencyPeak);
    const covered = day(timeline({ provisioned: peak + 50 }));
    let busyMinutes = 0;
    for (let minute = 0; minute < covered.invocations.length; minute++) {
      if ((covered.invocations[minute] as number) === 0) continue;
      busyMinutes++;
      expect(covered.concurrencyPeak[minute] as number).toBeLessThanOrEqual(
        covered.provisionedAllocated[minute] as number,
      );
      expect(covered.coldStarts[minute]).toBe(0);
      expect(covered.spilloverInvocations[minute]).toBe(0);
      expect(covered.provisionedInvocations[minute]).toBe(covered.invocations[minute]);
    }
    expect(busyMinutes).toBeGreaterThan(1000);
  });

  it("a timeout counts in Errors with Duration equal to the timeout", () => {
    const chunk = day(timeline({ timeoutSeconds: 1 }));
    let timeoutSamples = 0;
    for (let sample = 0; sample < chunk.sampleDuration.length; sample++) {
      if (((chunk.sampleFlags[sample] as number) & SAMPLE_TIMEOUT) !== 0) {
        timeoutSamples++;
        expect(chunk.sampleDuration[sample]).toBe(1000);
      } else {
        expect(chunk.sampleDuration[sample] as number).toBeLessThan(1000);
      }
    }
    expect(timeoutSamples).toBeGreaterThan(0);
    for (let minute = 0; minute < chunk.errors.length; minute++) {
      expect(chunk.errors[minute] as number).toBeGreaterThanOrEqual(chunk.timeouts[minute] as number);
      expect(chunk.durationMax[minute] as number).toBeLessThanOrEqual(1000);
    }
    expect(chunk.timeouts.reduce((total, value) => total + value, 0)).toBeGreaterThan(0);
  });

  it("weekday business hours are busy and nights quiet, in New York time", () => {
    const chunk = day(timeline());
    const at = (utcHour: number) =>
      chunk.invocations.slice(utcHour * 60, utcHour * 60 + 60).reduce((total, value) => total + value, 0);
    // 15:00 UTC = 11:00 EDT (peak); 08:00 UTC = 04:00 EDT (night).
    expect(at(15)).toBeGreaterThan(20 * at(8));
  });
});

function p90Query(id: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: "AWS/Lambda",
        MetricName: "Duration",
        Dimensions: [{ Name: "FunctionName", Value: "process-user-request" }],
      },
      Period: 3600,
      Stat: "p90",
    },
  };
}

/** Business-hours (13:00–21:00 UTC = 09:00–17:00 EDT) p90 of a UTC day. */
async function businessHoursP90(
  harness: Awaited<ReturnType<typeof createHarness>>,
  dayStartMs: number,
): Promise<number> {
  const result = await harness.cloudWatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: [p90Query("p")],
      StartTime: new Date(dayStartMs + 13 * 3_600_000),
      EndTime: new Date(dayStartMs + 21 * 3_600_000),
    }),
  );
  const values = result.MetricDataResults?.[0]?.Values ?? [];
  expect(values.length).toBeGreaterThan(0);
  return values.reduce((total, value) => total + value, 0) / values.length;
}

describe("the seeded story", () => {
  it("p90 creeps from ~800 ms to over 2.5 s across the two weeks and p99 reaches the 5 s timeout", async () => {
    const harness = await createHarness("in-process");
    try {
      const firstMonday = await businessHoursP90(harness, Date.parse("2025-07-07T00:00:00Z"));
      const lastMonday = await businessHoursP90(harness, MONDAY);
      expect(firstMonday).toBeGreaterThan(600);
      expect(firstMonday).toBeLessThan(1000);
      expect(lastMonday).toBeGreaterThan(2500);
      const p99 = await harness.cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [
            {
              ...p90Query("p"),
              MetricStat: { ...p90Query("p").MetricStat, Stat: "p99" } as MetricDataQuery["MetricStat"],
            },
          ],
          StartTime: new Date(MONDAY),
          EndTime: new Date(MONDAY + DAY_MS),
        }),
      );
      expect(Math.max(...(p99.MetricDataResults?.[0]?.Values ?? []))).toBe(5000);
    } finally {
      await harness.close();
    }
  });

  it("the followup scenario's p90 is well below the meeting scenario's", async () => {
    const meeting = await createHarness("in-process", { scenario: "meeting" });
    const followup = await createHarness("in-process", { scenario: "followup" });
    try {
      const before = await businessHoursP90(meeting, MONDAY);
      const after = await businessHoursP90(followup, MONDAY);
      expect(after).toBeLessThan(before / 4);
    } finally {
      await meeting.close();
      await followup.close();
    }
  });

  it("a configuration change through the APIs changes the simulated future from the minute it takes effect", async () => {
    const baseline = await createHarness("in-process");
    const changed = await createHarness("in-process");
    try {
      const query = (stat: string): MetricDataQuery => ({
        ...p90Query(stat),
        MetricStat: { ...p90Query(stat).MetricStat, Period: 60, Stat: "Average" } as MetricDataQuery["MetricStat"],
      });
      // Memory up on $LATEST, published, and the `live` alias moved: the traffic runs it from then on.
      await changed.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: "process-user-request", MemorySize: 1769 }),
      );
      await changed.sandbox.advance(10_000);
      const version = await changed.lambda.send(new PublishVersionCommand({ FunctionName: "process-user-request" }));
      const alias = await changed.lambda.send(
        new GetAliasCommand({ FunctionName: "process-user-request", Name: "live" }),
      );
      await changed.lambda.send(
        new UpdateAliasCommand({
          FunctionName: "process-user-request",
          Name: "live",
          FunctionVersion: version.Version,
          RevisionId: alias.RevisionId,
        }),
      );
      const changeMinute = Math.ceil((ANCHOR + 10_000) / MINUTE_MS) * MINUTE_MS;
      for (const harness of [baseline, changed])
        await harness.sandbox.advance(changeMinute + 30 * MINUTE_MS - harness.clock.now().getTime());
      const window = { StartTime: new Date(ANCHOR - 30 * MINUTE_MS), EndTime: new Date(changeMinute + 30 * MINUTE_MS) };
      const [before, after] = await Promise.all(
        [baseline, changed].map((harness) =>
          harness.cloudWatch.send(
            new GetMetricDataCommand({ MetricDataQueries: [query("a")], ScanBy: "TimestampAscending", ...window }),
          ),
        ),
      );
      const series = (result: GetMetricDataCommandOutput | undefined) => {
        const out = new Map<number, number>();
        if (!result) return out;
        result.MetricDataResults?.[0]?.Timestamps?.forEach((timestamp, index) => {
          out.set(timestamp.getTime(), result.MetricDataResults?.[0]?.Values?.[index] as number);
        });
        return out;
      };
      const baselineSeries = series(before);
      const changedSeries = series(after);
      let earlierMinutes = 0;
      let laterFaster = 0;
      let laterMinutes = 0;
      for (const [timestamp, value] of baselineSeries) {
        const other = changedSeries.get(timestamp);
        expect(other).toBeDefined();
        if (timestamp < changeMinute) {
          earlierMinutes++;
          expect(other).toBe(value);
        } else if (timestamp > changeMinute) {
          laterMinutes++;
          if ((other as number) < value) laterFaster++;
        }
      }
      expect(earlierMinutes).toBeGreaterThan(25);
      expect(laterMinutes).toBeGreaterThan(25);
      expect(laterFaster).toBeGreaterThan(laterMinutes * 0.9);
    } finally {
      await baseline.close();
      await changed.close();
    }
  });
});
