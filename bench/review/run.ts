/**
 * Review report benchmark: `npx tsx bench/review/run.ts`
 *
 * Builds the seeded follow-up review's report (two windows of CloudWatch metrics and Logs Insights,
 * the six action items' checks and effects, the audited changes, the overlay charts) with the real
 * SDK clients against an in-process sandbox in the `followup` scenario, for 6 functions (the seeded
 * world) and 50 functions (the seeded six plus 44 clones added to the sandbox's Lambda model, since
 * the sandbox has no CreateFunction). Cold = a fresh sandbox (nothing simulated yet); warm = the same
 * report built again (the sandbox's simulated days are cached; Phoenix itself caches nothing but the
 * saved snapshot, whose read time is printed too). Prints wall time and the AWS calls per operation.
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
const { createHarness } = await import("@/lib/sandbox/testing");
const { SEEDED_FUNCTIONS, SANDBOX_ACCOUNT_ID } = await import("@/lib/sandbox");
const { seedFunctionRecord } = await import("@/lib/sandbox/services/lambda/model");
const { freshSqliteStore } = await import("../../tests/support/stores");

type Harness = Awaited<ReturnType<typeof createHarness>>;

/** Adds `count` clones of the seeded functions (round robin) to the sandbox's default region. */
async function addFunctions(harness: Harness, count: number): Promise<void> {
  const region = await harness.sandbox.region();
  const { historyStartMs } = region.state.world;
  for (let index = 0; index < count; index++) {
    const seeded = SEEDED_FUNCTIONS[index % SEEDED_FUNCTIONS.length];
    if (!seeded) continue;
    const name = `${seeded.name}-${index + 1}`;
    const record = seedFunctionRecord({
      name,
      settings: {
        runtime: seeded.runtime,
        memoryMb: seeded.memoryMb,
        timeoutSeconds: seeded.timeoutSeconds,
        handler: seeded.handler,
        role: `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/phoenix-${name}-role`,
        description: seeded.description,
        architecture: seeded.architecture,
        environment: { ...seeded.environment },
        layers: [],
        codeSizeBytes: seeded.codeSizeBytes,
        codeSha256: `bench-${name}`,
        ephemeralStorageMb: 512,
        tracingMode: "PassThrough",
      },
      code: { ...seeded.code },
      workload: seeded.workload,
      lastModifiedMs: historyStartMs - 20 * 86_400_000,
    });
    region.state.lambda.functions[name] = record;
    region.lambda.recordTrafficChange(record, historyStartMs);
  }
  region.markDirty();
}

function calls(): string {
  const counts = awsCallCounts();
  const total = Object.values(counts).reduce((sum, value) => sum + value, 0);
  const parts = Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, count]) => `${operation.replace(/^[A-Za-z]+\./, "")} ${count}`);
  return `${total} AWS calls (${parts.join(", ")})`;
}

async function run(functionCount: number): Promise<void> {
  const harness = await createHarness("in-process", { scenario: "followup" });
  const store = await freshSqliteStore();
  try {
    if (functionCount > SEEDED_FUNCTIONS.length) await addFunctions(harness, functionCount - SEEDED_FUNCTIONS.length);
    const nowMs = harness.clock.now().getTime();
    const world = (await harness.sandbox.region()).state.world;
    await seedReviewData(store.db, seedContextFor({ anchorMs: world.anchorMs, scenario: world.scenario }, nowMs));
    const [followUp] = await listReviewRows(store.db);
    if (!followUp) throw new Error("no seeded review");
    const functions = Object.keys((await harness.sandbox.region()).state.lambda.functions).sort();
    const review = { ...followUp, functions };
    const sources = {
      clients: harness,
      nowMs,
      db: store.db,
      source: "bench",
      history: () => harness.sandbox.history(),
    };
    for (const label of ["cold", "warm"]) {
      resetAwsCallCounts();
      const started = performance.now();
      const report = await buildReviewReport(sources, review);
      const ms = performance.now() - started;
      const main = report.functions.find((row) => row.fn.name === "process-user-request");
      console.log(
        `${String(functionCount).padStart(2)} functions, ${label}: ${(ms / 1000).toFixed(2)} s · ${calls()} · ${report.cost.metricsRequested} metrics requested ($${(report.cost.metricsRequested * 0.00001).toFixed(4)}), ${report.cost.logsQueries} Logs Insights queries · process-user-request p90 ${Math.round(main?.baseline.p90 ?? 0)} → ${Math.round(main?.current.p90 ?? 0)} ms`,
      );
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
  } finally {
    await harness.close();
    await store.cleanup();
  }
}

console.log("Review report build (followup scenario, in-process sandbox, real SDK clients)");
await run(6);
await run(50);
