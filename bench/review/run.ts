/**
 * Review report benchmark: `npm run bench:review` (or `npx tsx bench/review/run.ts [6|50 ...]`)
 *
 * Builds the seeded follow-up review's report (two windows of CloudWatch metrics and Logs Insights,
 * the six action items' checks and effects, the audited changes, the overlay charts) with the real
 * SDK clients against an in-process sandbox in the `followup` scenario, for 6 functions (the seeded
 * world) and 50 functions (the sandbox's fleet seed, as SANDBOX_FLEET_SIZE=50: the story's six plus
 * 44 deterministic others with their own traffic, runtimes and memory, some idle). Cold = a fresh sandbox (nothing simulated yet); warm = the same
 * report built again (the sandbox's simulated days are cached; Phoenix itself keeps nothing between
 * builds but the saved snapshot, whose read time is printed too). Then the first open of the
 * follow-up's page: it builds the follow-up and the meeting review at once, sharing one build's
 * reads. Prints wall time and the AWS calls per operation for every build, and a summary table.
 */
import { createRequire } from "node:module";

// The data layer is marked `server-only` (it throws outside React's server build); this plain Node
// process is a server, so the marker is satisfied before the modules load.
const require = createRequire(import.meta.url);
require.cache[require.resolve("server-only")] = { exports: {} } as NodeJS.Module;

const { awsCallCounts, resetAwsCallCounts } = await import("@/lib/aws/errors");
const { buildReviewReport, insertReview, listReviewRows, findReviewRow, seedContextFor, seedReviewData } = await import(
  "@/lib/data/reviews"
);
const { BuildReads } = await import("@/lib/data/action-items");
const { readTuningRunsForCheck } = await import("@/lib/data/power-tuning");
const { createHarness } = await import("@/lib/sandbox/testing");
const { SEEDED_FUNCTIONS } = await import("@/lib/sandbox");
const { freshSqliteStore } = await import("../../tests/support/stores");

type Harness = Awaited<ReturnType<typeof createHarness>>;

function callCounts(): { total: number; text: string } {
  const counts = awsCallCounts();
  const total = Object.values(counts).reduce((sum, value) => sum + value, 0);
  const parts = Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, count]) => `${operation.replace(/^[A-Za-z]+\./, "")} ${count}`);
  return { total, text: `${total} AWS calls (${parts.join(", ")})` };
}

/**
 * `--profile`: time spent inside the in-process sandbox per operation (summed over concurrent calls,
 * so it can exceed the wall time), to tell Phoenix's own work from the emulator's.
 */
const profile = process.argv.includes("--profile");
const sandboxMs = new Map<string, { calls: number; ms: number }>();

function profileSandbox(harness: Harness): void {
  const handler = harness.sandbox.requestHandler;
  const handle = handler.handle.bind(handler);
  handler.handle = async (request, options) => {
    const target = request.headers["x-amz-target"] ?? request.headers["X-Amz-Target"];
    const operation = target
      ? (target.split(".").at(-1) ?? target)
      : `Lambda ${request.method} ${request.path.replace(/^\/[\d-]+\/functions\/[^/]+/, "").split("/")[1] ?? ""}`;
    const started = performance.now();
    try {
      return await handle(request, options);
    } finally {
      const entry = sandboxMs.get(operation) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - started;
      sandboxMs.set(operation, entry);
    }
  };
}

function printProfile(label: string): void {
  if (!profile) return;
  const entries = [...sandboxMs.entries()].sort(([, a], [, b]) => b.ms - a.ms);
  console.log(
    `   ${label} — time in the sandbox: ${entries.map(([operation, entry]) => `${operation} ${entry.calls}× ${(entry.ms / 1000).toFixed(2)} s`).join(", ")}`,
  );
  sandboxMs.clear();
}

interface Row {
  functions: number;
  build: string;
  seconds: number;
  calls: number;
  getMetricData: number;
  logsQueries: number;
}
const summary: Row[] = [];

function record(functionCount: number, build: string, ms: number): { text: string } {
  const counts = awsCallCounts();
  const { total, text } = callCounts();
  summary.push({
    functions: functionCount,
    build,
    seconds: ms / 1000,
    calls: total,
    getMetricData: counts["CloudWatch.GetMetricData"] ?? 0,
    logsQueries: counts["CloudWatchLogs.StartQuery"] ?? 0,
  });
  return { text };
}

async function run(functionCount: number): Promise<void> {
  // The sandbox's own fleet seed: the story's six plus deterministic others (varied traffic, some idle).
  const harness = await createHarness("in-process", { scenario: "followup", fleetSize: functionCount });
  const store = await freshSqliteStore();
  if (profile) profileSandbox(harness);
  try {
    const nowMs = harness.clock.now().getTime();
    const world = (await harness.sandbox.region()).state.world;
    await seedReviewData(store.db, seedContextFor({ anchorMs: world.anchorMs, scenario: world.scenario }, nowMs));
    const [followUp, meeting] = await listReviewRows(store.db);
    if (!followUp || !meeting) throw new Error("no seeded reviews");
    const functions = Object.keys((await harness.sandbox.region()).state.lambda.functions).sort();
    const review = { ...followUp, functions };
    const sources = {
      clients: harness,
      nowMs,
      db: store.db,
      source: "bench",
      history: () => harness.sandbox.history(),
      powerTuningRuns: (name: string) => readTuningRunsForCheck(store.db, name),
    };
    for (const label of ["cold", "warm"]) {
      resetAwsCallCounts();
      sandboxMs.clear();
      const started = performance.now();
      const report = await buildReviewReport(sources, review);
      const ms = performance.now() - started;
      const main = report.functions.find((row) => row.fn.name === "process-user-request");
      console.log(
        `${String(functionCount).padStart(2)} functions, ${label}: ${(ms / 1000).toFixed(2)} s · ${record(functionCount, label, ms).text} · ${report.cost.metricsRequested} metrics requested ($${(report.cost.metricsRequested * 0.00001).toFixed(4)}), ${report.cost.logsQueries} Logs Insights queries · process-user-request p90 ${Math.round(main?.baseline.p90 ?? 0)} → ${Math.round(main?.current.p90 ?? 0)} ms`,
      );
      printProfile(label);
      if (label === "warm") {
        const saved = await insertReview(store.db, { ...review, createdBy: "bench", snapshot: report });
        const readStarted = performance.now();
        const row = await findReviewRow(store.db, saved.id);
        JSON.parse(row?.snapshot ?? "{}");
        console.log(
          `${String(functionCount).padStart(2)} functions, saved snapshot: ${((row?.snapshot?.length ?? 0) / 1024).toFixed(0)} KB, read + parse ${(performance.now() - readStarted).toFixed(1)} ms, 0 AWS calls`,
        );
      }
    }
    // The follow-up's page opened for the first time: it and the meeting review are built together
    // (getReview), sharing one build's reads — the common baseline and the items' effects once. For
    // the seeded six, the same two reports with a build each, for comparison (as before the sharing).
    // Warm first (unmeasured): the meeting review's own windows are simulated once, so both
    // measurements below read a warm sandbox and differ only in what Phoenix asks for.
    await buildReviewReport(sources, { ...meeting, functions });
    if (functionCount <= SEEDED_FUNCTIONS.length) {
      resetAwsCallCounts();
      sandboxMs.clear();
      const started = performance.now();
      await Promise.all([buildReviewReport(sources, review), buildReviewReport(sources, { ...meeting, functions })]);
      const ms = performance.now() - started;
      console.log(
        `${String(functionCount).padStart(2)} functions, follow-up + meeting review, each its own reads (warm): ${(ms / 1000).toFixed(2)} s · ${record(functionCount, "follow-up + meeting, not shared", ms).text}`,
      );
      printProfile("follow-up + meeting, not shared");
    }
    // The follow-up's page opened for the first time: it and the meeting review are built together
    // (getReview), sharing one build's reads — the common baseline and the items' effects once.
    resetAwsCallCounts();
    sandboxMs.clear();
    const started = performance.now();
    const reads = new BuildReads(sources);
    await Promise.all([
      buildReviewReport({ ...sources, reads }, review),
      buildReviewReport({ ...sources, reads }, { ...meeting, functions }),
    ]);
    const ms = performance.now() - started;
    console.log(
      `${String(functionCount).padStart(2)} functions, follow-up + meeting review, shared reads (first page open, warm): ${(ms / 1000).toFixed(2)} s · ${record(functionCount, "follow-up + meeting, shared", ms).text}`,
    );
    printProfile("follow-up + meeting, shared");
  } finally {
    await harness.close();
    await store.cleanup();
  }
}

const counts = process.argv
  .slice(2)
  .map(Number)
  .filter((count) => count > 0);
console.log("Review report build (followup scenario, in-process sandbox, real SDK clients)");
for (const count of counts.length > 0 ? counts : [6, 50]) await run(count);
console.log("");
console.log("| functions | build | wall time | AWS calls | GetMetricData | Logs Insights queries |");
console.log("| ---: | --- | ---: | ---: | ---: | ---: |");
for (const row of summary) {
  console.log(
    `| ${row.functions} | ${row.build} | ${row.seconds.toFixed(2)} s | ${row.calls} | ${row.getMetricData} | ${row.logsQueries} |`,
  );
}
