import { describe, expect, it } from "vitest";
import {
  countedTuningRun,
  evaluateMemoryTuned,
  type MemoryObservation,
  type TuningRunObservation,
  type Verification,
} from "./verification";

// Check 3 (power tuning): memory changed after item 1 was done and, once a completed run exists that
// started after that, the memory on the alias the run tuned equals the run's recommendation.

const check: Extract<Verification, { kind: "memory-tuned" }> = {
  kind: "memory-tuned",
  functionName: "process-user-request",
  qualifier: "live",
};
const checkedAt = "2025-07-25T12:00:00.000Z";
const at = (iso: string) => Date.parse(iso);
const DONE = at("2025-07-23T15:30:00Z");
const prerequisite = { title: "Refactor process-user-request", doneAtMs: DONE };

/** Versions: 1 (512 MB) before the refactor was done, 2 (1024 MB) and 3 (1536 MB) after. */
const versions = [
  { version: "1", memoryMb: 512, lastModifiedMs: at("2025-07-01T00:00:00Z") },
  { version: "2", memoryMb: 1024, lastModifiedMs: at("2025-07-24T10:00:00Z") },
  { version: "3", memoryMb: 1536, lastModifiedMs: at("2025-07-24T11:00:00Z") },
  { version: "$LATEST", memoryMb: 1536, lastModifiedMs: at("2025-07-24T11:00:00Z") },
];
const onLive = (version: string, memoryMb: number) => ({ qualifier: "live", version, memoryMb });

function run(id: string, overrides: Partial<TuningRunObservation> = {}): TuningRunObservation {
  return {
    runId: `${id}0000000-0000-4000-8000-000000000000`,
    href: `/functions/process-user-request/power-tuning?run=${id}`,
    qualifier: "live",
    status: "succeeded",
    strategy: "cost",
    balancedWeight: 0.5,
    recommendedMb: 1024,
    recommendationWords: "1,024 MB: 41 % faster and 9 % cheaper than today's 512 MB",
    startedAtMs: at("2025-07-24T09:00:00Z"),
    finishedAtMs: at("2025-07-24T09:05:00Z"),
    ...overrides,
  };
}

const before = run("b", { startedAtMs: at("2025-07-23T09:00:00Z"), finishedAtMs: at("2025-07-23T09:04:00Z") });
const after = run("a");

function evaluate(observed: Partial<MemoryObservation>) {
  return evaluateMemoryTuned(
    check,
    { prerequisite, versions, traffic: onLive("2", 1024), tuningRuns: [], ...observed },
    checkedAt,
  );
}

describe("check 3: memory tuned after the refactor, against power-tuning runs", () => {
  it.each<[string, Partial<MemoryObservation>, string, RegExp]>([
    ["no run at all: memory changed is enough", { tuningRuns: [] }, "pass", /^memory changed 512 → 1024 MB after/],
    [
      "only a run made before item 1 was done",
      { tuningRuns: [before] },
      "pass",
      /^memory changed 512 → 1024 MB after “Refactor process-user-request” was done$/,
    ],
    [
      "a run after item 1 recommends what live runs",
      { tuningRuns: [after, before] },
      "pass",
      /^memory changed 512 → 1024 MB .*, as power-tuning run a0000000 \(cost strategy\) recommends$/,
    ],
    [
      "a run after item 1 recommends something else",
      { tuningRuns: [run("a", { recommendedMb: 1536, strategy: "speed" })] },
      "fail",
      /^process-user-request:live runs 1024 MB, but power-tuning run a0000000 \(after “Refactor process-user-request”, speed strategy\) recommends 1536 MB$/,
    ],
    [
      "the newest counted run wins over an older one",
      {
        tuningRuns: [
          run("n", { recommendedMb: 1536, startedAtMs: at("2025-07-24T12:00:00Z") }),
          run("o", { recommendedMb: 1024 }),
        ],
      },
      "fail",
      /recommends 1536 MB$/,
    ],
    [
      "a newer run that failed or is still running does not count",
      {
        tuningRuns: [
          run("r", { status: "running", recommendedMb: null, startedAtMs: at("2025-07-25T09:00:00Z") }),
          run("f", { status: "failed", recommendedMb: 1536, startedAtMs: at("2025-07-24T20:00:00Z") }),
          after,
        ],
      },
      "pass",
      /as power-tuning run a0000000/,
    ],
    [
      "a run that recommends nothing does not count",
      { tuningRuns: [run("x", { recommendedMb: null, recommendationWords: null })] },
      "pass",
      /^memory changed 512 → 1024 MB after “Refactor process-user-request” was done$/,
    ],
    [
      "memory unchanged since item 1, even with a run after it",
      { versions: versions.slice(0, 1), traffic: onLive("1", 512), tuningRuns: [after] },
      "fail",
      /^process-user-request:live runs 512 MB, but power-tuning run a0000000 \(after “Refactor process-user-request”, cost strategy\) recommends 1024 MB$/,
    ],
    [
      "memory unchanged and no run after item 1",
      { versions: versions.slice(0, 1), traffic: onLive("1", 512), tuningRuns: [before] },
      "fail",
      /^memory is still 512 MB: not changed since “Refactor process-user-request” was done, and no power-tuning run after it says that is right$/,
    ],
    [
      "memory unchanged, and a run after item 1 recommends keeping it",
      { versions: versions.slice(0, 1), traffic: onLive("1", 512), tuningRuns: [run("k", { recommendedMb: 512 })] },
      "pass",
      /^memory stays 512 MB, as power-tuning run k0000000 \(after “Refactor process-user-request”, cost strategy\) recommends: tuned, nothing to change$/,
    ],
    [
      "a changed version exists but live still runs the old memory",
      { traffic: onLive("1", 512), tuningRuns: [] },
      "fail",
      /^a version with 1536 MB exists, but live still runs 512 MB$/,
    ],
    [
      "the run tuned another alias: compare there (it matches)",
      {
        traffic: onLive("3", 1536),
        tuningRuns: [run("s", { qualifier: "staging", recommendedMb: 1024 })],
        tunedAlias: { qualifier: "staging", version: "2", memoryMb: 1024 },
      },
      "pass",
      /as power-tuning run s0000000/,
    ],
    [
      "the run tuned another alias: compare there (it does not match)",
      {
        tuningRuns: [run("s", { qualifier: "staging", recommendedMb: 1536 })],
        tunedAlias: { qualifier: "staging", version: "2", memoryMb: 1024 },
      },
      "fail",
      /^process-user-request:staging runs 1024 MB, but power-tuning run s0000000 .* recommends 1536 MB$/,
    ],
    [
      "the run tuned an alias that is gone",
      { tuningRuns: [run("s", { qualifier: "blue" })], tunedAlias: null },
      "fail",
      /tuned process-user-request:blue, which no longer exists/,
    ],
    [
      "the run tuned $LATEST while live carries traffic",
      {
        tuningRuns: [run("l", { qualifier: "", recommendedMb: 1536 })],
        tunedAlias: { qualifier: "", version: "$LATEST", memoryMb: 1536 },
      },
      "pass",
      /as power-tuning run l0000000/,
    ],
  ])("%s → %s", (_name, observed, outcome, summary) => {
    const result = evaluate(observed);
    expect(result.outcome).toBe(outcome);
    expect(result.summary).toMatch(summary);
  });

  it("names the counted run in the evidence with its strategy, recommendation and a link to it", () => {
    const result = evaluate({ tuningRuns: [run("a", { strategy: "balanced", balancedWeight: 0.3 }), before] });
    expect(result.evidence).toContain(
      "power-tuning run a0000000 (started 2025-07-24T09:00:00.000Z, finished 2025-07-24T09:05:00.000Z, balanced strategy (weight 0.3), alias live) counts: recommends 1024 MB — “1,024 MB: 41 % faster and 9 % cheaper than today's 512 MB”",
    );
    expect(result.links).toEqual([
      { label: "power-tuning run a0000000", href: "/functions/process-user-request/power-tuning?run=a" },
      { label: "power-tuning run b0000000", href: "/functions/process-user-request/power-tuning?run=b" },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it("explains that a run made before item 1 was done does not count", () => {
    const result = evaluate({ tuningRuns: [before] });
    expect(result.evidence).toContain(
      "power-tuning run b0000000 (started 2025-07-23T09:00:00.000Z, finished 2025-07-23T09:04:00.000Z, cost strategy, alias live) does not count: it was made before “Refactor process-user-request” was done, so it measured the old package",
    );
    expect(result.warnings).toEqual([
      "No completed power-tuning run of process-user-request started after “Refactor process-user-request” was done: the memory is not compared with a recommendation yet.",
    ]);
  });

  it("says so when the runs could not be read", () => {
    const result = evaluate({ tuningRuns: undefined });
    expect(result.outcome).toBe("pass");
    expect(result.warnings).toEqual([
      "Power-tuning runs could not be read: the memory is not compared with a recommendation.",
    ]);
    expect(result.links).toBeUndefined();
  });

  it.each<[string, number | null, string]>([
    ["waits for item 1", null, "pending"],
    ["item 1 done", DONE, "pass"],
  ])("%s", (_name, doneAtMs, outcome) => {
    expect(evaluate({ prerequisite: { ...prerequisite, doneAtMs }, tuningRuns: [after] }).outcome).toBe(outcome);
  });

  it.each<[string, TuningRunObservation[], string | undefined]>([
    ["none", [], undefined],
    ["started exactly when item 1 was done: not after", [run("e", { startedAtMs: DONE })], undefined],
    ["one millisecond after", [run("e", { startedAtMs: DONE + 1 })], "e"],
    ["cancelled", [run("c", { status: "cancelled" })], undefined],
    ["newest of two, whatever the order given", [run("o"), run("n", { startedAtMs: at("2025-07-24T18:00:00Z") })], "n"],
  ])("counted run: %s", (_name, runs, expected) => {
    expect(countedTuningRun(runs, DONE)?.runId.slice(0, 1)).toBe(expected);
  });
});
