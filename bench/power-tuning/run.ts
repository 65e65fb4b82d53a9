/**
 * Power-tuning benchmark. Prints:
 *  1. a default run (7 memory values × 20 invocations, sequential) of process-user-request in the
 *     sandbox through the real SDK, the job runner and a SQLite store: wall time and AWS calls by
 *     operation. Twice: with configuration updates completing at once (ManualClock, updateDuration 0 —
 *     Phoenix's own overhead) and with the sandbox's default 3 s InProgress on the real clock (what
 *     `npm start` shows; AWS takes seconds too).
 *  2. the analysis of 50,000 REPORT lines (parse + summarize + strategies).
 * Run: npx tsx bench/power-tuning/run.ts
 */

import { randomUUID } from "node:crypto";
import os from "node:os";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { awsCallCounts, resetAwsCallCounts } from "@/lib/aws/errors";
import { analyzeRun, type InvocationResult, toInvocationResult } from "@/lib/domain/power-tuning";
import { DEFAULT_MEMORY_VALUES, tuningJobInputSchema } from "@/lib/domain/power-tuning-input";
import { createPowerTuningHandler, POWER_TUNING_JOB } from "@/lib/jobs/handlers/power-tuning";
import { findRun, insertRun, settingsOf } from "@/lib/jobs/handlers/power-tuning-store";
import { findJob, insertJob } from "@/lib/jobs/job-store";
import { startJobRunner } from "@/lib/jobs/runner";
import { createSandbox, ManualClock, systemClock } from "@/lib/sandbox";
import { freshSqliteStore } from "@/tests/support/stores";

const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "bench" };

async function defaultRun(label: string, options: { manual: boolean }): Promise<void> {
  const store = await freshSqliteStore();
  const sandbox = createSandbox({
    clock: options.manual ? new ManualClock("2025-07-22T14:30:00Z") : systemClock,
    ...(options.manual ? { timings: { updateDurationMs: 0 } } : {}),
  });
  const lambda = new LambdaClient({
    region: "us-east-1",
    credentials: CREDENTIALS,
    requestHandler: sandbox.requestHandler,
  });
  const input = tuningJobInputSchema.parse({
    runId: randomUUID(),
    functionName: "process-user-request",
    qualifier: "live",
    memoryValues: [...DEFAULT_MEMORY_VALUES],
    invocations: 20,
    payloads: [{ json: '{"userId":"u-1"}', weight: 1 }],
    parallel: false,
    coldStarts: false,
    strategy: "cost",
    balancedWeight: 0.5,
    trimFraction: 0.2,
  });
  await insertRun(store.db, {
    id: input.runId,
    functionName: input.functionName,
    qualifier: input.qualifier,
    requestedBy: "bench",
    settings: settingsOf(input),
  });
  const job = await insertJob(store.db, {
    kind: POWER_TUNING_JOB,
    input,
    requestedBy: "bench",
    requestedRole: "operator",
    requestId: "bench",
  });
  const handler = createPowerTuningHandler({
    lambda: async () => lambda,
    db: async () => store.db,
    wait: { pollMs: options.manual ? 1 : 250 },
  });
  resetAwsCallCounts();
  const started = performance.now();
  const runner = startJobRunner({ db: store.db, handlers: [handler], pollMs: 10 });
  await runner.drain();
  await runner.stop();
  const wallMs = performance.now() - started;
  const counts = awsCallCounts();
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const status = (await findJob(store.db, job.id))?.status;
  const run = await findRun(store.db, input.runId);
  console.log(`\n${label}`);
  console.log(`  job ${status}; wall time ${(wallMs / 1000).toFixed(2)} s; AWS calls ${total}`);
  for (const [operation, count] of Object.entries(counts).sort()) console.log(`    ${operation.padEnd(36)} ${count}`);
  console.log(`  recommendation (cost): ${run?.analysis?.chosen.words}`);
  for (const memory of run?.analysis?.memories ?? []) {
    console.log(
      `    ${String(memory.memoryMb).padStart(5)} MB  p50 ${memory.duration.p50?.toFixed(0).padStart(5)} ms  p90 ${memory.duration.p90?.toFixed(0).padStart(5)} ms  cold ${memory.coldStarts}  timeouts ${memory.timeouts}  $/1M ${(((memory.costPerInvocation.x86_64 ?? 0) + memory.requestCostPerInvocation) * 1e6).toFixed(2)}`,
    );
  }
  lambda.destroy();
  await store.cleanup();
}

function reportLines(count: number): { memoryMb: number; line: string }[] {
  const memories = [...DEFAULT_MEMORY_VALUES];
  const lines: { memoryMb: number; line: string }[] = [];
  for (let index = 0; index < count; index++) {
    const memoryMb = memories[index % memories.length] as number;
    const duration = (800 * 1769) / Math.min(memoryMb, 1769) + (index % 97);
    const cold = index % 50 === 0;
    const init = cold ? `\tInit Duration: ${(1500 + (index % 300)).toFixed(2)} ms` : "";
    lines.push({
      memoryMb,
      line: `START RequestId: r-${index} Version: 7\nEND RequestId: r-${index}\nREPORT RequestId: r-${index}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration + (cold ? 1500 : 0))} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: ${120 + (index % 30)} MB${init}\t\n`,
    });
  }
  return lines;
}

function analysisBenchmark(count: number): void {
  const lines = reportLines(count);
  const times: number[] = [];
  let words = "";
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const sequence = new Map<number, number>();
    const results: InvocationResult[] = lines.map(({ memoryMb, line }) => {
      const next = sequence.get(memoryMb) ?? 0;
      sequence.set(memoryMb, next + 1);
      return toInvocationResult({ memoryMb, sequence: next, logTail: line });
    });
    const analysis = analyzeRun({
      results,
      memoryValues: [...DEFAULT_MEMORY_VALUES],
      baselineMemoryMb: 512,
      architecture: "x86_64",
      trimFraction: 0.2,
      strategy: "balanced",
      balancedWeight: 0.5,
    });
    times.push(performance.now() - started);
    words = analysis.chosen.words;
  }
  times.sort((a, b) => a - b);
  console.log(
    `\nAnalysis of ${count.toLocaleString("en-US")} REPORT lines (parse + summarize + 3 strategies), 5 rounds`,
  );
  console.log(
    `  median ${times[2]?.toFixed(1)} ms, best ${times[0]?.toFixed(1)} ms, first ${times[4]?.toFixed(1)} ms (max)`,
  );
  console.log(`  balanced pick: ${words}`);
}

console.log(
  `power-tuning benchmark · node ${process.version} · ${os.cpus().length} cores · load ${os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")}`,
);
await defaultRun(
  "Default run, 7 values × 20 invocations, ManualClock, updates complete at once (Phoenix + SDK + emulator + SQLite):",
  { manual: true },
);
await defaultRun("Default run, same, sandbox default timings (3 s InProgress per update) on the real clock:", {
  manual: false,
});
analysisBenchmark(50_000);
