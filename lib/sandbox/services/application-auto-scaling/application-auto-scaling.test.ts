import {
  type ApplicationAutoScalingClient,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScheduledActionsCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { GetProvisionedConcurrencyConfigCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureError, createHarness, type SandboxHarness, TRANSPORTS } from "../../testing";
import { nextFiring, parseSchedule } from "./schedule";

const DIMENSION = "lambda:function:ProvisionedConcurrency";
const LIVE = "function:process-user-request:live";
const common = {
  ServiceNamespace: "lambda" as const,
  ScalableDimension: DIMENSION as "lambda:function:ProvisionedConcurrency",
};

const NEGATIVE_CASES: {
  title: string;
  call: (client: ApplicationAutoScalingClient) => Promise<unknown>;
  name: string;
  status: number;
  message?: string;
}[] = [
  {
    title: "PutScheduledAction on an unregistered target",
    call: (client) =>
      client.send(
        new PutScheduledActionCommand({
          ...common,
          ResourceId: "function:update-user-settings:nope",
          ScheduledActionName: "x",
          Schedule: "rate(1 hour)",
          ScalableTargetAction: { MinCapacity: 1 },
        }),
      ),
    name: "ObjectNotFoundException",
    status: 400,
  },
  {
    title: "DeleteScheduledAction of an unknown action",
    call: (client) =>
      client.send(new DeleteScheduledActionCommand({ ...common, ResourceId: LIVE, ScheduledActionName: "nope" })),
    name: "ObjectNotFoundException",
    status: 400,
  },
  {
    title: "DeregisterScalableTarget of an unknown target",
    call: (client) =>
      client.send(new DeregisterScalableTargetCommand({ ...common, ResourceId: "function:get-user-profile:live" })),
    name: "ObjectNotFoundException",
    status: 400,
  },
  {
    title: "RegisterScalableTarget with max below min",
    call: (client) =>
      client.send(new RegisterScalableTargetCommand({ ...common, ResourceId: LIVE, MinCapacity: 10, MaxCapacity: 5 })),
    name: "ValidationException",
    status: 400,
    message: "Maximum capacity cannot be less than minimum capacity",
  },
  {
    title: "RegisterScalableTarget of a missing alias",
    call: (client) =>
      client.send(
        new RegisterScalableTargetCommand({
          ...common,
          ResourceId: "function:process-user-request:nope",
          MinCapacity: 0,
          MaxCapacity: 5,
        }),
      ),
    name: "ValidationException",
    status: 400,
  },
  {
    title: "PutScheduledAction with a five-field cron",
    call: (client) =>
      client.send(
        new PutScheduledActionCommand({
          ...common,
          ResourceId: LIVE,
          ScheduledActionName: "bad-cron",
          Schedule: "cron(0 7 * * MON-FRI)",
          ScalableTargetAction: { MinCapacity: 1 },
        }),
      ),
    name: "ValidationException",
    status: 400,
  },
  {
    title: "PutScheduledAction with an unknown time zone",
    call: (client) =>
      client.send(
        new PutScheduledActionCommand({
          ...common,
          ResourceId: LIVE,
          ScheduledActionName: "bad-zone",
          Schedule: "cron(0 7 ? * MON-FRI *)",
          Timezone: "Mars/Olympus",
          ScalableTargetAction: { MinCapacity: 1 },
        }),
      ),
    name: "ValidationException",
    status: 400,
  },
  {
    title: "PutScheduledAction without capacities",
    call: (client) =>
      client.send(
        new PutScheduledActionCommand({
          ...common,
          ResourceId: LIVE,
          ScheduledActionName: "empty",
          Schedule: "rate(1 hour)",
          ScalableTargetAction: {},
        }),
      ),
    name: "ValidationException",
    status: 400,
    message: "At least one of minimum capacity and maximum capacity should be provided",
  },
  {
    title: "DescribeScalableTargets with MaxResults 51",
    call: (client) => client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "lambda", MaxResults: 51 })),
    name: "ValidationException",
    status: 400,
  },
  {
    title: "DescribeScheduledActions with an invalid NextToken",
    call: (client) =>
      client.send(new DescribeScheduledActionsCommand({ ServiceNamespace: "lambda", NextToken: "bogus" })),
    name: "InvalidNextTokenException",
    status: 400,
  },
];

describe.each(TRANSPORTS)("Application Auto Scaling over the real SDK (%s)", (transport) => {
  let harness: SandboxHarness;
  beforeAll(async () => {
    harness = await createHarness(transport);
    await harness.autoScaling.send(
      new RegisterScalableTargetCommand({ ...common, ResourceId: LIVE, MinCapacity: 0, MaxCapacity: 60 }),
    );
  });
  afterAll(async () => {
    await harness.close();
  });

  it.each(NEGATIVE_CASES)("refuses $title", async ({ call, name, status, message }) => {
    const failure = await captureError(() => call(harness.autoScaling));
    expect(failure.name).toBe(name);
    expect(failure.status).toBe(status);
    if (message) expect(failure.message).toBe(message);
  });

  it("registers and describes the scalable target", async () => {
    const described = await harness.autoScaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: "lambda", ResourceIds: [LIVE] }),
    );
    expect(described.ScalableTargets).toHaveLength(1);
    expect(described.ScalableTargets?.[0]).toMatchObject({
      ResourceId: LIVE,
      MinCapacity: 0,
      MaxCapacity: 60,
      ScalableDimension: DIMENSION,
    });
    expect(described.ScalableTargets?.[0]?.CreationTime).toBeInstanceOf(Date);
    expect(described.ScalableTargets?.[0]?.ScalableTargetARN).toMatch(
      /^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\//,
    );
  });

  it("fires a weekday cron in its time zone: sets Min/Max and the alias's provisioned concurrency", async () => {
    // Now is Tuesday 10:30 in New York; 11:00 New York is 15:00 UTC.
    await harness.autoScaling.send(
      new PutScheduledActionCommand({
        ...common,
        ResourceId: LIVE,
        ScheduledActionName: "peak",
        Schedule: "cron(0 11 ? * MON-FRI *)",
        Timezone: "America/New_York",
        ScalableTargetAction: { MinCapacity: 50, MaxCapacity: 50 },
      }),
    );
    const scheduled = await harness.autoScaling.send(
      new DescribeScheduledActionsCommand({ ServiceNamespace: "lambda", ResourceId: LIVE }),
    );
    expect(scheduled.ScheduledActions?.map((action) => action.ScheduledActionName)).toEqual(["peak"]);
    expect(scheduled.ScheduledActions?.[0]).toMatchObject({
      Schedule: "cron(0 11 ? * MON-FRI *)",
      Timezone: "America/New_York",
      ScalableTargetAction: { MinCapacity: 50, MaxCapacity: 50 },
    });

    await harness.sandbox.advance(29 * 60_000); // 10:59: not yet
    const early = await captureError(() =>
      harness.lambda.send(
        new GetProvisionedConcurrencyConfigCommand({ FunctionName: "process-user-request", Qualifier: "live" }),
      ),
    );
    expect(early.name).toBe("ProvisionedConcurrencyConfigNotFoundException");

    await harness.sandbox.advance(60_000); // 11:00 New York
    const provisioned = await harness.lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: "process-user-request", Qualifier: "live" }),
    );
    expect(provisioned.RequestedProvisionedConcurrentExecutions).toBe(50);
    expect(provisioned.Status).toBe("IN_PROGRESS");
    const target = await harness.autoScaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: "lambda", ResourceIds: [LIVE] }),
    );
    expect(target.ScalableTargets?.[0]).toMatchObject({ MinCapacity: 50, MaxCapacity: 50 });
    const activities = await harness.autoScaling.send(
      new DescribeScalingActivitiesCommand({ ServiceNamespace: "lambda", ResourceId: LIVE }),
    );
    expect(activities.ScalingActivities?.[0]).toMatchObject({
      Description: "Setting desired concurrency to 50.",
      StatusCode: "Successful",
    });
    expect(activities.ScalingActivities?.[0]?.StartTime?.toISOString()).toBe("2025-07-22T15:00:00.000Z");
  });

  it("a one-time at() action scales to zero (the config is removed) and an update replaces the action", async () => {
    await harness.autoScaling.send(
      new PutScheduledActionCommand({
        ...common,
        ResourceId: LIVE,
        ScheduledActionName: "night",
        Schedule: "at(2025-07-22T19:00:00)",
        Timezone: "America/New_York",
        ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 0 },
      }),
    );
    await harness.sandbox.advance(8 * 3_600_000);
    const gone = await captureError(() =>
      harness.lambda.send(
        new GetProvisionedConcurrencyConfigCommand({ FunctionName: "process-user-request", Qualifier: "live" }),
      ),
    );
    expect(gone.name).toBe("ProvisionedConcurrencyConfigNotFoundException");
    await harness.autoScaling.send(
      new DeleteScheduledActionCommand({ ...common, ResourceId: LIVE, ScheduledActionName: "night" }),
    );
    const left = await harness.autoScaling.send(
      new DescribeScheduledActionsCommand({ ServiceNamespace: "lambda", ScheduledActionNames: ["night"] }),
    );
    expect(left.ScheduledActions).toEqual([]);
  });

  it("deregistering a target deletes its scheduled actions", async () => {
    await harness.autoScaling.send(new DeregisterScalableTargetCommand({ ...common, ResourceId: LIVE }));
    const actions = await harness.autoScaling.send(
      new DescribeScheduledActionsCommand({ ServiceNamespace: "lambda", ResourceId: LIVE }),
    );
    expect(actions.ScheduledActions).toEqual([]);
  });
});

describe("schedule expressions", () => {
  const zone = "America/New_York";
  it.each([
    // Tuesday 22 July 2025 10:30 EDT → next weekday 07:00 is Wednesday 11:00 UTC.
    { expression: "cron(0 7 ? * MON-FRI *)", after: "2025-07-22T14:30:00Z", next: "2025-07-23T11:00:00.000Z" },
    // Friday 19:00 → the next weekday 07:00 is Monday.
    { expression: "cron(0 7 ? * MON-FRI *)", after: "2025-07-25T23:00:00Z", next: "2025-07-28T11:00:00.000Z" },
    // Daylight saving ends on 2 November 2025: 07:00 EST is 12:00 UTC.
    { expression: "cron(0 7 * * ? *)", after: "2025-11-02T11:30:00Z", next: "2025-11-02T12:00:00.000Z" },
    { expression: "cron(0/15 * * * ? *)", after: "2025-07-22T14:31:00Z", next: "2025-07-22T14:45:00.000Z" },
    { expression: "cron(0 0 1 JAN ? 2026)", after: "2025-07-22T14:30:00Z", next: "2026-01-01T05:00:00.000Z" },
    { expression: "at(2025-07-22T19:00:00)", after: "2025-07-22T14:30:00Z", next: "2025-07-22T23:00:00.000Z" },
  ])("$expression after $after fires at $next", ({ expression, after, next }) => {
    expect(
      new Date(nextFiring(parseSchedule(expression), zone, Date.parse(after), Date.parse(after)) ?? 0).toISOString(),
    ).toBe(next);
  });

  it("rate() counts from its anchor", () => {
    const anchor = Date.parse("2025-07-22T14:00:00Z");
    expect(nextFiring(parseSchedule("rate(2 hours)"), "UTC", anchor + 1, anchor)).toBe(anchor + 2 * 3_600_000);
    expect(() => parseSchedule("rate(1 hours)")).toThrow();
    expect(() => parseSchedule("rate(0 minutes)")).toThrow();
    expect(() => parseSchedule("cron(61 * * * ? *)")).toThrow();
  });
});
