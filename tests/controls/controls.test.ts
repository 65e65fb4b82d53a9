import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PhoenixAction } from "@/lib/actions/define-action";
import type { SessionUser } from "@/lib/auth/session";
import { createHarness, type SandboxHarness, TEST_CREDENTIALS } from "@/lib/sandbox/testing";
import { sandboxControlsDeps } from "@/tests/support/sandbox-controls-deps";

// The global store lives in a temp dir; AWS is a sandbox on a manual clock, reached by the real SDK.
process.env.PHOENIX_DATA_DIR = mkdtempSync(path.join(tmpdir(), "phoenix-controls-"));
process.env.NEXTAUTH_SECRET = "c".repeat(40);

const { runAction } = await import("@/lib/actions/define-action");
const { queryAudit } = await import("@/lib/audit");
const { getDb } = await import("@/lib/db");
const { awsCallCounts, resetAwsCallCounts } = await import("@/lib/aws/errors");
const { setControlsDeps } = await import("@/lib/data/controls-deps");
const controls = await import("@/lib/data/controls");
const { controlsJobHandlers } = await import("@/lib/jobs/handlers/controls");
const { startJobRunner } = await import("@/lib/jobs/runner");
const { findJob, toJobDto } = await import("@/lib/jobs/job-store");
const lambdaChanges = await import("@/lib/aws/lambda-changes");
const schedules = await import("@/lib/aws/pc-schedules");

const operator = (username = "olivia"): SessionUser => ({
  id: `id-${username}`,
  username,
  name: username,
  role: "operator",
});
const viewer: SessionUser = { id: "id-victor", username: "victor", name: "victor", role: "viewer" };
// biome-ignore lint/suspicious/noExplicitAny: tables mix actions of every input type
type AnyAction = PhoenixAction<any, unknown>;
const fn = "process-user-request";
const resource = "function:process-user-request:live";

let harness: SandboxHarness;
let lambda: LambdaClient;
let autoScaling: ApplicationAutoScalingClient;

beforeAll(async () => {
  harness = await createHarness("in-process");
  // Retrying clients, as clients.ts configures them: throttling and 5xx are retried with backoff.
  const common = {
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
    requestHandler: harness.sandbox.requestHandler,
    maxAttempts: 6,
    retryMode: "standard" as const,
  };
  lambda = new LambdaClient(common);
  autoScaling = new ApplicationAutoScalingClient(common);
  setControlsDeps(sandboxControlsDeps(harness, { lambda, autoScaling }));
});
afterAll(async () => {
  setControlsDeps(undefined);
  lambda.destroy();
  autoScaling.destroy();
  await harness.close();
});

async function runJobs() {
  const runner = startJobRunner({ db: await getDb(), handlers: controlsJobHandlers, pollMs: 20 });
  await runner.drain();
  await runner.stop();
}

async function job(id: string) {
  const row = await findJob(await getDb(), id);
  if (!row) throw new Error(`no job ${id}`);
  return toJobDto(row);
}

const mutations = [
  "Lambda.UpdateFunctionConfiguration",
  "Lambda.PublishVersion",
  "Lambda.UpdateAlias",
  "Lambda.PutProvisionedConcurrencyConfig",
  "Lambda.DeleteProvisionedConcurrencyConfig",
  "ApplicationAutoScaling.RegisterScalableTarget",
  "ApplicationAutoScaling.PutScheduledAction",
  "ApplicationAutoScaling.DeleteScheduledAction",
];
const mutatingCalls = () => mutations.reduce((sum, operation) => sum + (awsCallCounts()[operation] ?? 0), 0);

describe("bad input: field errors, no AWS call, no audit success row", () => {
  const schedule = {
    functionName: fn,
    alias: "live",
    name: "bad",
    mode: "raw",
    expression: "cron(0 7 ? * MON-FRI *)",
    timeZone: "America/New_York",
    minCapacity: "5",
    maxCapacity: "5",
  };
  const cases: [string, AnyAction, Record<string, unknown>, string][] = [
    [
      "cron with five fields",
      controls.putScheduledActionAction,
      { ...schedule, expression: "cron(0 7 * * ?)" },
      "expression",
    ],
    ["hour 25", controls.putScheduledActionAction, { ...schedule, expression: "cron(0 25 ? * MON *)" }, "expression"],
    [
      "rate(0 minutes)",
      controls.putScheduledActionAction,
      { ...schedule, expression: "rate(0 minutes)" },
      "expression",
    ],
    [
      "time zone Mars/Olympus",
      controls.putScheduledActionAction,
      { ...schedule, timeZone: "Mars/Olympus" },
      "timeZone",
    ],
    [
      "min > max",
      controls.putScheduledActionAction,
      { ...schedule, minCapacity: "10", maxCapacity: "5" },
      "maxCapacity",
    ],
    ["capacity −1", controls.putScheduledActionAction, { ...schedule, minCapacity: "-1" }, "minCapacity"],
    ["capacity 10⁹", controls.putScheduledActionAction, { ...schedule, maxCapacity: "1000000000" }, "maxCapacity"],
    ["capacity 1.5", controls.putScheduledActionAction, { ...schedule, minCapacity: "1.5" }, "minCapacity"],
    ["name with :", controls.putScheduledActionAction, { ...schedule, name: "a:b" }, "name"],
    ["name with /", controls.putScheduledActionAction, { ...schedule, name: "a/b" }, "name"],
    ["name with |", controls.putScheduledActionAction, { ...schedule, name: "a|b" }, "name"],
    ["name of 300 characters", controls.putScheduledActionAction, { ...schedule, name: "n".repeat(300) }, "name"],
    ["static PC 0", controls.setProvisionedConcurrencyAction, { functionName: fn, alias: "live", level: "0" }, "level"],
    [
      "memory 127",
      controls.applyConfigurationAction,
      { functionName: fn, revisionId: "r", alias: "live", memoryMb: "127" },
      "memoryMb",
    ],
    [
      "memory 10,241",
      controls.applyConfigurationAction,
      { functionName: fn, revisionId: "r", alias: "live", memoryMb: "10241" },
      "memoryMb",
    ],
    [
      "memory 512.5",
      controls.applyConfigurationAction,
      { functionName: fn, revisionId: "r", alias: "live", memoryMb: "512.5" },
      "memoryMb",
    ],
    [
      "unknown runtime",
      controls.applyConfigurationAction,
      { functionName: fn, revisionId: "r", alias: "live", runtime: "python2.9" },
      "runtime",
    ],
  ];
  it.each(cases)("%s", async (_label, action, input, field) => {
    // Prepare
    resetAwsCallCounts();
    const who = operator(`bad-${cases.findIndex((entry) => entry[0] === _label)}`);
    // Act
    const result = await runAction(action, input, who);
    // Assess
    expect(result).toMatchObject({ ok: false, code: "INVALID_INPUT" });
    expect(result.ok ? {} : result.fieldErrors).toHaveProperty(field);
    expect(awsCallCounts()).toEqual({});
    const rows = await queryAudit(await getDb(), { actor: who.username }, 5);
    expect(rows.map((row) => row.outcome)).toEqual(["invalid"]);
  });

  it("an alias that does not exist: a field error and no change", async () => {
    resetAwsCallCounts();
    const who = operator("bad-alias");
    const result = await runAction(controls.putScheduledActionAction, { ...schedule, alias: "nope" }, who);
    expect(result).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      fieldErrors: { alias: [expect.stringMatching(/no alias called nope/)] },
    });
    expect(mutatingCalls()).toBe(0);
    const rows = await queryAudit(await getDb(), { actor: who.username }, 5);
    expect(rows.some((row) => row.outcome === "success")).toBe(false);
  });
});

describe("viewers", () => {
  it.each(controls.controlsActions.map((action) => [action.name, action as AnyAction] as const))(
    "are refused %s and audited",
    async (_name, action) => {
      resetAwsCallCounts();
      const result = await runAction(
        action,
        { functionName: fn, alias: "live", level: 5, jobId: crypto.randomUUID() },
        viewer,
      );
      expect(result).toMatchObject({ ok: false, code: "FORBIDDEN" });
      expect(awsCallCounts()).toEqual({});
    },
  );
});

describe("schedules on process-user-request:live", () => {
  it("applies the meeting's template: target, three actions, audit rows, PC at the floor", async () => {
    const who = operator("template-op");
    const previewed = await runAction(controls.applyScheduleTemplateAction, { functionName: fn, alias: "live" }, who);
    expect(previewed).toMatchObject({ ok: true });
    const actions = await schedules.describeScheduledActions(autoScaling, resource);
    expect(actions.map((action) => action.name).sort()).toEqual(["weekday-business-hours", "weekend", "weeknight"]);
    expect(actions.find((action) => action.name === "weekday-business-hours")).toMatchObject({
      schedule: "cron(45 7 ? * MON-FRI *)",
      timeZone: "America/New_York",
      minCapacity: 50,
      maxCapacity: 50,
    });
    expect(await schedules.describeScalableTarget(autoScaling, resource)).toMatchObject({
      minCapacity: 5,
      maxCapacity: 50,
    });
    // Registering with a floor of 5 provisions 5 at once.
    expect((await lambdaChanges.getProvisionedConcurrency(lambda, fn, "live"))?.requested).toBe(5);
    const rows = await queryAudit(await getDb(), { actor: who.username }, 10);
    expect(
      rows
        .filter((row) => row.outcome === "success")
        .map((row) => row.target)
        .sort(),
    ).toEqual([
      resource,
      `${resource}:scheduled-action/weekday-business-hours`,
      `${resource}:scheduled-action/weekend`,
      `${resource}:scheduled-action/weeknight`,
    ]);
  });

  it("shows the schedule in the view: heat-map at 50 on weekday mornings, 5 at night", async () => {
    const view = await (await import("@/lib/data/controls-fetchers")).fetchConcurrencyView(
      {
        lambda,
        autoScaling,
        cloudWatch: harness.cloudWatch,
        nowMs: () => harness.clock.now().getTime(),
        sleep: async () => undefined,
        pollMs: 1,
        updateTimeoutMs: 1,
        pcTimeoutMs: 1,
      },
      fn,
      "live",
    );
    expect(view.heatmap?.timeZone).toBe("America/New_York");
    const cell = (day: number, hour: number) =>
      view.heatmap?.cells.find((candidate) => candidate.day === day && candidate.hour === hour);
    expect(cell(3, 10)?.pcPeak).toBe(50);
    expect(cell(3, 3)?.pcPeak).toBe(5);
    expect(cell(3, 10)?.observedP95).toBeGreaterThan(0);
    expect(view.heatmap?.monthlyWithPc).toBeGreaterThan(0);
    expect(view.upcoming).toHaveLength(5);
    expect(view.actions[0]?.nextFirings).toHaveLength(5);
  });

  it("an action a minute ahead fires on the sandbox's clock and changes the PC level", async () => {
    const at = new Date(harness.clock.now().getTime() + 60_000).toISOString().slice(0, 19);
    const result = await runAction(
      controls.putScheduledActionAction,
      {
        functionName: fn,
        alias: "live",
        name: "minute-ahead",
        mode: "raw",
        expression: `at(${at})`,
        timeZone: "UTC",
        minCapacity: "12",
        maxCapacity: "12",
      },
      operator(),
    );
    expect(result).toMatchObject({ ok: true });
    await harness.sandbox.advance(120_000);
    expect((await lambdaChanges.getProvisionedConcurrency(lambda, fn, "live"))?.requested).toBe(12);
  });

  it("refuses to create an action that exists and to edit one changed since it was loaded", async () => {
    const base = {
      functionName: fn,
      alias: "live",
      name: "weeknight",
      mode: "raw",
      expression: "cron(0 20 ? * MON-THU *)",
      timeZone: "America/New_York",
      minCapacity: "5",
      maxCapacity: "5",
    };
    expect(await runAction(controls.putScheduledActionAction, base, operator())).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
    expect(
      await runAction(
        controls.putScheduledActionAction,
        { ...base, operation: "edit", expectedFingerprint: "stale" },
        operator(),
      ),
    ).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: expect.stringMatching(/changed the scheduled action weeknight/),
    });
    const edited = await runAction(
      controls.putScheduledActionAction,
      { ...base, operation: "edit", expectedFingerprint: "cron(0 19 ? * MON-THU *)|America/New_York|5|5||" },
      operator(),
    );
    expect(edited).toMatchObject({ ok: true });
  });
});

describe("memory change through a job: update → publish → move the alias → PC READY", () => {
  let jobId = "";
  let versionBefore = "";

  it("applies 1024 MB, moves live to a new version and follows PC to READY", async () => {
    const before = await lambdaChanges.getFunctionState(lambda, fn);
    versionBefore = (await lambdaChanges.getAlias(lambda, fn, "live")).functionVersion;
    const result = await runAction(
      controls.applyConfigurationAction,
      { functionName: fn, alias: "live", memoryMb: "1024", revisionId: before.revisionId },
      operator(),
    );
    expect(result).toMatchObject({ ok: true, data: { memoryMb: 1024 } });
    jobId = result.ok ? (result.data as { jobId: string }).jobId : "";
    await runJobs();
    const done = await job(jobId);
    expect(done).toMatchObject({ status: "succeeded" });
    const alias = await lambdaChanges.getAlias(lambda, fn, "live");
    expect(Number(alias.functionVersion)).toBeGreaterThan(Number(versionBefore));
    expect((await lambdaChanges.getVersionState(lambda, fn, alias.functionVersion)).memoryMb).toBe(1024);
    expect(await lambdaChanges.getProvisionedConcurrency(lambda, fn, "live")).toMatchObject({ status: "READY" });
    const rows = await queryAudit(await getDb(), { target: `function:${fn}:live` }, 5);
    expect(rows[0]).toMatchObject({ outcome: "success", before: JSON.stringify({ functionVersion: versionBefore }) });
  });

  it("rolls back in one click: $LATEST to 512 MB and live back to the old version", async () => {
    const result = await runAction(controls.rollbackConfigurationAction, { jobId }, operator());
    expect(result).toMatchObject({ ok: true });
    await runJobs();
    expect((await lambdaChanges.getAlias(lambda, fn, "live")).functionVersion).toBe(versionBefore);
    expect((await lambdaChanges.getFunctionState(lambda, fn)).memoryMb).toBe(512);
  });
});

describe("two operators updating the same function at once", () => {
  it("one succeeds, the other gets the conflict in words; the function has exactly one configuration", async () => {
    const name = "update-user-settings";
    const { revisionId } = await lambdaChanges.getFunctionState(lambda, name);
    const [first, second] = await Promise.all([
      runAction(
        controls.applyConfigurationAction,
        { functionName: name, memoryMb: "384", revisionId, publishAndMove: "false" },
        operator("ann"),
      ),
      runAction(
        controls.applyConfigurationAction,
        { functionName: name, memoryMb: "768", revisionId, publishAndMove: "false" },
        operator("bob"),
      ),
    ]);
    const outcomes = [first, second];
    const winners = outcomes.filter((outcome) => outcome.ok);
    const losers = outcomes.filter((outcome) => !outcome.ok);
    expect(winners).toHaveLength(1);
    expect(losers[0]).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/Someone else changed update-user-settings|still applying/),
    });
    const memory = (await lambdaChanges.getFunctionState(lambda, name)).memoryMb;
    expect(memory).toBe(winners[0]?.ok ? (winners[0].data as { memoryMb: number }).memoryMb : -1);
    // While that update is still in progress, a fresh revision meets "update in progress".
    const fresh = await lambdaChanges.getFunctionState(lambda, name);
    expect(fresh.lastUpdateStatus).toBe("InProgress");
    const third = await runAction(
      controls.applyConfigurationAction,
      { functionName: name, memoryMb: "256", revisionId: fresh.revisionId, publishAndMove: "false" },
      operator("cy"),
    );
    expect(third).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: expect.stringMatching(/still applying another update/),
    });
    await runJobs();
  });
});

describe("bulk runtime upgrade", () => {
  it("upgrades the python3.9 functions with per-function results, continues past a conflict, and rolls back", async () => {
    const names = ["process-user-request", "update-user-settings", "send-notification"];
    const states = await Promise.all(names.map((name) => lambdaChanges.getFunctionState(lambda, name)));
    const functions = states.map((state) => ({
      name: state.name,
      revisionId: state.name === "send-notification" ? "stale-revision" : state.revisionId,
    }));
    const started = await runAction(
      controls.startRuntimeUpgradeAction,
      { fromRuntime: "python3.9", targetRuntime: "python3.12", functions, onFailure: "continue" },
      operator(),
    );
    expect(started).toMatchObject({ ok: true });
    const jobId = started.ok ? (started.data as { jobId: string }).jobId : "";
    await runJobs();
    const done = await job(jobId);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/2 done, 0 skipped, 1 failed/);
    expect(done.error).toMatch(/send-notification: Someone else changed send-notification/);
    expect((await lambdaChanges.getFunctionState(lambda, "update-user-settings")).runtime).toBe("python3.12");
    expect((await lambdaChanges.getFunctionState(lambda, "send-notification")).runtime).toBe("python3.9");
    const main = await lambdaChanges.getAlias(lambda, fn, "live");
    expect((await lambdaChanges.getVersionState(lambda, fn, main.functionVersion)).runtime).toBe("python3.12");

    const rollback = await runAction(controls.rollbackRuntimeUpgradeAction, { jobId }, operator());
    expect(rollback).toMatchObject({ ok: true });
    await runJobs();
    expect((await lambdaChanges.getFunctionState(lambda, "update-user-settings")).runtime).toBe("python3.9");
    expect((await lambdaChanges.getFunctionState(lambda, fn)).runtime).toBe("python3.9");
  });
});

describe("with sandbox faults (30 % throttling, 10 % 5xx)", () => {
  // The SDK's retries back off on the wall clock (standard mode): on a busy machine this takes a while.
  it("every mutation completes or reports failure truthfully, and the audit log agrees with AWS", async () => {
    const who = operator("faulty");
    harness.sandbox.setFaults({ throttleRate: 0.3, errorRate: 0.1 });
    const attempts: { name: string; ok: boolean }[] = [];
    for (let index = 0; index < 4; index++) {
      const name = `faulty-${index}`;
      const result = await runAction(
        controls.putScheduledActionAction,
        {
          functionName: fn,
          alias: "live",
          name,
          mode: "builder",
          days: "SAT,SUN",
          time: `0${index}:00`,
          timeZone: "UTC",
          minCapacity: "1",
          maxCapacity: "1",
        },
        who,
      );
      if (!result.ok) expect(result.message).toMatch(/throttling|internal error|Try again/i);
      attempts.push({ name, ok: result.ok });
    }
    harness.sandbox.setFaults({ throttleRate: 0, errorRate: 0 });
    const existing = new Set(
      (await schedules.describeScheduledActions(autoScaling, resource)).map((action) => action.name),
    );
    const rows = await queryAudit(await getDb(), { actor: who.username }, 50);
    for (const attempt of attempts) {
      const target = `${resource}:scheduled-action/${attempt.name}`;
      const row = rows.find((candidate) => candidate.target === target);
      expect(existing.has(attempt.name)).toBe(attempt.ok);
      if (attempt.ok) expect(row?.outcome).toBe("success");
      else expect(row === undefined || row.outcome === "failure").toBe(true);
    }
  }, 120_000);
});

describe("the $LATEST guard rail's way out", () => {
  it("publishes $LATEST and points the alias at the new version, audited step by step", async () => {
    // Prepare: an alias on $LATEST, which can never carry provisioned concurrency.
    const { CreateAliasCommand, GetAliasCommand, GetFunctionConfigurationCommand } = await import(
      "@aws-sdk/client-lambda"
    );
    const target = "send-notification";
    await lambda.send(new CreateAliasCommand({ FunctionName: target, Name: "canary", FunctionVersion: "$LATEST" }));
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: target }));
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: target, Name: "canary" }));
    const input = {
      functionName: target,
      alias: "canary",
      revisionId: latest.RevisionId,
      aliasRevisionId: alias.RevisionId,
    };
    // Act
    const refused = await runAction(controls.publishAndRepointAction as AnyAction, input, viewer);
    const result = await runAction(controls.publishAndRepointAction as AnyAction, input, operator("paula"));
    // Assess
    expect(refused).toMatchObject({ ok: false, status: 403 });
    expect(result.ok).toBe(true);
    const moved = await lambda.send(new GetAliasCommand({ FunctionName: target, Name: "canary" }));
    expect(moved.FunctionVersion).toMatch(/^\d+$/);
    const audit = await queryAudit(await getDb(), { actor: "paula", action: "controls.publish-and-repoint" }, 5);
    expect(audit.map((entry) => [entry.target, entry.outcome])).toEqual([
      ["function:send-notification:canary", "success"],
      ["function:send-notification", "success"],
    ]);
  });
});
