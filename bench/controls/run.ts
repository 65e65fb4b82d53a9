/**
 * bench/controls: how long an apply takes to reach provisioned concurrency READY in the sandbox, and
 * how many AWS calls each apply makes — (1) the meeting's schedule template on
 * process-user-request:live, (2) a memory change to 1024 MB with the alias move and PC follow.
 *
 * The sandbox runs on a ManualClock with its default timings (update 3 s InProgress, PC ramp 90 s);
 * every wait of Phoenix's jobs advances that clock instead of sleeping, so "simulated" times are what
 * the same flow takes against the sandbox in real time (at a 2 s poll), "wall" times are the CPU
 * cost of running it here. Run: npx tsx bench/controls/run.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// lib/data starts with `import "server-only"`: run under the react-server condition, as Next does.
if (!process.execArgv.some((arg) => arg.includes("react-server"))) {
  const child = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", fileURLToPath(import.meta.url)],
    {
      stdio: "inherit",
    },
  );
  process.exit(child.status ?? 1);
}

const dataDir = mkdtempSync(path.join(tmpdir(), "phoenix-bench-controls-"));
process.env.PHOENIX_DATA_DIR = dataDir;
process.env.NEXTAUTH_SECRET = "b".repeat(40);

const { ApplicationAutoScalingClient } = await import("@aws-sdk/client-application-auto-scaling");
const { CloudWatchClient } = await import("@aws-sdk/client-cloudwatch");
const { LambdaClient } = await import("@aws-sdk/client-lambda");
const { createSandbox, ManualClock, DEFAULT_TIMINGS } = await import("@/lib/sandbox");
const { runAction } = await import("@/lib/actions/define-action");
const { awsCallCounts, resetAwsCallCounts } = await import("@/lib/aws/errors");
const { setControlsDeps } = await import("@/lib/data/controls-deps");
const controls = await import("@/lib/data/controls");
const { controlsJobHandlers, followPcJob } = await import("@/lib/jobs/handlers/controls");
const { startJobRunner } = await import("@/lib/jobs/runner");
const { getDb } = await import("@/lib/db");
const { insertJob } = await import("@/lib/jobs/job-store");
const { getFunctionState } = await import("@/lib/aws/lambda-changes");

const POLL_MS = 2_000;
const clock = new ManualClock("2025-07-22T14:30:00Z");
const sandbox = createSandbox({ clock });
const common = {
  region: "us-east-1",
  credentials: { accessKeyId: "BENCH", secretAccessKey: "bench-not-a-secret" },
  requestHandler: sandbox.requestHandler,
  maxAttempts: 4,
  retryMode: "standard" as const,
};
const lambda = new LambdaClient(common);
const autoScaling = new ApplicationAutoScalingClient(common);
const cloudWatch = new CloudWatchClient(common);
setControlsDeps({
  lambda,
  autoScaling,
  cloudWatch,
  nowMs: () => clock.now().getTime(),
  sleep: async (ms) => {
    await sandbox.advance(ms);
  },
  pollMs: POLL_MS,
  updateTimeoutMs: 10 * 60_000,
  pcTimeoutMs: 30 * 60_000,
});
const operator = { id: "bench", username: "bench", name: "bench", role: "operator" as const };
const db = await getDb();

async function drain() {
  const runner = startJobRunner({ db, handlers: controlsJobHandlers, pollMs: 5 });
  await runner.drain();
  await runner.stop();
}

function callSummary(): { total: number; byOperation: string } {
  const counts = awsCallCounts();
  const total = Object.values(counts).reduce((sum, value) => sum + value, 0);
  const byOperation = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([operation, count]) => `${operation.replace(/^\w+\./, "")} ${count}`)
    .join(", ");
  return { total, byOperation };
}

const rows: { scenario: string; simulatedS: string; wallMs: string; calls: string; detail: string }[] = [];

// Warm the sandbox region (seeding) so it does not count as the first apply's cost.
await getFunctionState(lambda, "process-user-request");

// 1. Schedule template: RegisterScalableTarget provisions the floor of 5 at once; follow it to READY.
{
  resetAwsCallCounts();
  const simulatedStart = clock.now().getTime();
  const wallStart = performance.now();
  const result = await runAction(
    controls.applyScheduleTemplateAction,
    { functionName: "process-user-request", alias: "live" },
    operator,
  );
  if (!result.ok) throw new Error(result.message);
  const applyCalls = callSummary();
  await insertJob(db, {
    kind: followPcJob.kind,
    target: "function:process-user-request:live",
    input: { functionName: "process-user-request", qualifier: "live", requested: 5 },
    requestedBy: "bench",
    requestedRole: "operator",
    requestId: "bench",
  });
  await drain();
  const total = callSummary();
  rows.push({
    scenario: "schedule template → PC 5 READY",
    simulatedS: ((clock.now().getTime() - simulatedStart) / 1000).toFixed(0),
    wallMs: (performance.now() - wallStart).toFixed(0),
    calls: `${applyCalls.total} apply + ${total.total - applyCalls.total} follow`,
    detail: total.byOperation,
  });
}

// 2. Memory 512 → 1024 MB: update, wait Successful, publish, move live, follow PC re-provisioning to READY.
{
  const { revisionId } = await getFunctionState(lambda, "process-user-request");
  resetAwsCallCounts();
  const simulatedStart = clock.now().getTime();
  const wallStart = performance.now();
  const result = await runAction(
    controls.applyConfigurationAction,
    { functionName: "process-user-request", alias: "live", memoryMb: "1024", revisionId },
    operator,
  );
  if (!result.ok) throw new Error(result.message);
  const applyCalls = callSummary();
  await drain();
  const total = callSummary();
  rows.push({
    scenario: "memory 1024 MB + alias move → PC READY",
    simulatedS: ((clock.now().getTime() - simulatedStart) / 1000).toFixed(0),
    wallMs: (performance.now() - wallStart).toFixed(0),
    calls: `${applyCalls.total} apply + ${total.total - applyCalls.total} job`,
    detail: total.byOperation,
  });
}

console.log(
  `bench/controls — sandbox on a ManualClock, default timings (update ${DEFAULT_TIMINGS.updateDurationMs / 1000} s InProgress, PC ramp ${DEFAULT_TIMINGS.provisionedRampMs / 1000} s), poll every ${POLL_MS / 1000} s`,
);
console.log("");
console.log("| scenario | apply → READY (simulated s) | wall ms | AWS calls | by operation |");
console.log("| --- | --- | --- | --- | --- |");
for (const row of rows)
  console.log(`| ${row.scenario} | ${row.simulatedS} | ${row.wallMs} | ${row.calls} | ${row.detail} |`);

setControlsDeps(undefined);
for (const client of [lambda, autoScaling, cloudWatch]) client.destroy();
await db.destroy();
rmSync(dataDir, { recursive: true, force: true });
