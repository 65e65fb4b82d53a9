import { GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { type FunctionConfiguration, paginateListFunctions } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "./clock";
import { InMemoryPersistence } from "./persistence";
import { createSandbox } from "./sandbox";
import { generatedFunctions, SEEDED_FUNCTIONS } from "./simulator/world";
import { createHarness, MEETING_TIME, type SandboxHarness } from "./testing";

const DAY = 86_400_000;

function query(id: string, functionName: string, metricName: string, stat: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: "AWS/Lambda",
        MetricName: metricName,
        Dimensions: [{ Name: "FunctionName", Value: functionName }],
      },
      Period: 7 * 86_400,
      Stat: stat,
    },
  };
}

describe("a sandbox of 50 functions (SANDBOX_FLEET_SIZE=50)", () => {
  let small: SandboxHarness;
  let large: SandboxHarness;
  beforeAll(async () => {
    [small, large] = await Promise.all([createHarness("in-process"), createHarness("in-process", { fleetSize: 50 })]);
  });
  afterAll(async () => {
    await Promise.all([small.close(), large.close()]);
  });

  async function listAll(harness: SandboxHarness): Promise<FunctionConfiguration[]> {
    const functions: FunctionConfiguration[] = [];
    for await (const page of paginateListFunctions({ client: harness.lambda }, {}))
      functions.push(...(page.Functions ?? []));
    return functions;
  }

  it("seeds the six story functions and 44 plausible others, the same for the same seed", async () => {
    const functions = await listAll(large);
    expect(functions).toHaveLength(50);
    const names = functions.map((fn) => fn.FunctionName);
    expect(new Set(names).size).toBe(50);
    for (const story of SEEDED_FUNCTIONS) expect(names).toContain(story.name);
    expect(new Set(functions.map((fn) => fn.Runtime)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(functions.map((fn) => fn.MemorySize)).size).toBeGreaterThanOrEqual(4);
    expect(generatedFunctions("phoenix", 44)).toEqual(generatedFunctions("phoenix", 44));
    expect(generatedFunctions("other", 44)).not.toEqual(generatedFunctions("phoenix", 44));
  });

  it("has varied traffic, some functions idle, and leaves the story's numbers unchanged", async () => {
    const endMs = Math.floor(Date.parse(MEETING_TIME) / DAY) * DAY;
    const startMs = endMs - 7 * DAY;
    const generated = generatedFunctions("phoenix", 44);
    const output = await large.cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: generated.map((fn, index) => query(`g${index}`, fn.name, "Invocations", "Sum")),
        StartTime: new Date(startMs),
        EndTime: new Date(endMs),
      }),
    );
    const invocations = generated.map((_, index) => output.MetricDataResults?.[index]?.Values?.[0] ?? 0);
    expect(invocations.filter((count) => count === 0).length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...invocations)).toBeGreaterThan(100 * Math.min(...invocations.filter((count) => count > 0)));
    const story = [
      query("p90", "process-user-request", "Duration", "p90"),
      query("inv", "process-user-request", "Invocations", "Sum"),
    ];
    const read = async (harness: SandboxHarness) =>
      (
        await harness.cloudWatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: story,
            StartTime: new Date(startMs),
            EndTime: new Date(endMs),
          }),
        )
      ).MetricDataResults?.map((result) => result.Values);
    expect(await read(large)).toEqual(await read(small));
  });

  it("seeds a stored world again when the fleet size changed, and keeps it when it did not", async () => {
    const persistence = new InMemoryPersistence();
    const clock = new ManualClock(MEETING_TIME);
    const count = async (fleetSize: number) =>
      Object.keys((await createSandbox({ clock, persistence, fleetSize }).region()).state.lambda.functions).length;
    expect(await count(6)).toBe(6);
    expect(await count(50)).toBe(50);
    expect((await persistence.load("123456789012/us-east-1"))?.world.fleetSize).toBe(50);
    expect(await count(50)).toBe(50);
    expect(await count(6)).toBe(6);
  });

  it("refuses a fleet size it cannot seed", () => {
    expect(() => createSandbox({ fleetSize: 5 })).toThrow(/fleet size/);
    expect(() => createSandbox({ fleetSize: 101 })).toThrow(/fleet size/);
  });
});
