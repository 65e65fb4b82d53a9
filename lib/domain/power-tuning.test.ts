import { describe, expect, it } from "vitest";
import { PRICES, USD_PER_REQUEST } from "./cost";
import { cpuShare } from "./memory";
import {
  analyzeRun,
  type Candidate,
  describeRecommendation,
  durationCostUsd,
  estimateRun,
  type InvocationResult,
  parseLogTail,
  payloadSchedule,
  percentile,
  pickMemory,
  summarizeMemory,
  toInvocationResult,
  trimmedMean,
} from "./power-tuning";
import { tuningRequestSchema } from "./power-tuning-input";

const T = "\t";
const textReport = (fields: string[]) =>
  `REPORT RequestId: 6f7f0961-0000-4000-a000-000000000001${T}${fields.join(T)}${T}`;

describe("parseLogTail", () => {
  it.each([
    [
      "text, warm",
      `START RequestId: x Version: 3\nINFO hello\nEND RequestId: x\n${textReport(["Duration: 812.34 ms", "Billed Duration: 813 ms", "Memory Size: 512 MB", "Max Memory Used: 180 MB"])}\n`,
      {
        durationMs: 812.34,
        billedDurationMs: 813,
        memorySizeMb: 512,
        maxMemoryUsedMb: 180,
        timedOut: false,
        format: "text",
      },
    ],
    [
      "text, cold (Init Duration)",
      textReport([
        "Duration: 100.00 ms",
        "Billed Duration: 2101 ms",
        "Memory Size: 128 MB",
        "Max Memory Used: 90 MB",
        "Init Duration: 2000.50 ms",
      ]),
      { durationMs: 100, billedDurationMs: 2101, initDurationMs: 2000.5, timedOut: false },
    ],
    [
      "text, timeout (2026 format)",
      textReport([
        "Duration: 31000.00 ms",
        "Billed Duration: 34440 ms",
        "Memory Size: 160 MB",
        "Max Memory Used: 150 MB",
        "Init Duration: 3439.00 ms",
        "Status: timeout",
      ]),
      { durationMs: 31000, billedDurationMs: 34440, initDurationMs: 3439, timedOut: true, status: "timeout" },
    ],
    [
      "text, SnapStart restore",
      textReport([
        "Duration: 40.00 ms",
        "Billed Duration: 41 ms",
        "Memory Size: 1024 MB",
        "Max Memory Used: 200 MB",
        "Restore Duration: 312.50 ms",
        "Billed Restore Duration: 120 ms",
      ]),
      { durationMs: 40, billedDurationMs: 41, restoreDurationMs: 312.5, billedRestoreDurationMs: 120 },
    ],
    [
      "text with single spaces (as documentation prints it)",
      "REPORT RequestId: abc Duration: 12.34 ms Billed Duration: 13 ms Memory Size: 128 MB Max Memory Used: 18 MB Init Duration: 99.10 ms",
      { durationMs: 12.34, billedDurationMs: 13, initDurationMs: 99.1, memorySizeMb: 128, maxMemoryUsedMb: 18 },
    ],
    [
      "JSON platform.report",
      `{"time":"2026-01-01T00:00:00Z","type":"platform.start","record":{"requestId":"r"}}\n{"time":"2026-01-01T00:00:01Z","type":"platform.report","record":{"requestId":"r","status":"success","metrics":{"durationMs":250.5,"billedDurationMs":251,"memorySizeMB":1024,"maxMemoryUsedMB":99,"initDurationMs":800.25}}}`,
      {
        durationMs: 250.5,
        billedDurationMs: 251,
        memorySizeMb: 1024,
        initDurationMs: 800.25,
        format: "json",
        status: "success",
      },
    ],
    [
      "JSON timeout with SnapStart restore",
      `{"type":"platform.report","record":{"requestId":"r","status":"timeout","metrics":{"durationMs":3000,"billedDurationMs":3000,"memorySizeMB":256,"maxMemoryUsedMB":200,"restoreDurationMs":150,"billedRestoreDurationMs":75}}}`,
      { durationMs: 3000, timedOut: true, restoreDurationMs: 150, billedRestoreDurationMs: 75 },
    ],
  ])("%s", (_name, tail, expected) => {
    expect(parseLogTail(tail)).toMatchObject(expected);
  });

  it("reads the REPORT of a tail cut to its last 4 KB, ignoring the fragment it starts with", () => {
    const report = textReport([
      "Duration: 5.00 ms",
      "Billed Duration: 5 ms",
      "Memory Size: 128 MB",
      "Max Memory Used: 60 MB",
    ]);
    const log = `START RequestId: x\n${"INFO a long line of application logging\n".repeat(200)}END RequestId: x\n${report}\n`;
    const bytes = Buffer.from(log, "utf8");
    const tail = bytes.subarray(bytes.length - 4096).toString("utf8");
    expect(tail.startsWith("START")).toBe(false);
    expect(parseLogTail(tail)).toMatchObject({ durationMs: 5, billedDurationMs: 5 });
  });

  it.each([
    ["empty", ""],
    ["no REPORT", "START RequestId: x\nEND RequestId: x\n"],
    [
      "a REPORT cut in the middle (only the end survived)",
      "ration: 12.00 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t",
    ],
    ["REPORT without Billed Duration", "REPORT RequestId: x\tDuration: 1.00 ms\t"],
    ["broken JSON", '{"type":"platform.report","record":{'],
  ])("answers null for %s", (_name, tail) => {
    expect(parseLogTail(tail)).toBeNull();
  });

  it("does not mistake Billed/Init Duration for Duration", () => {
    const parsed = parseLogTail(
      "REPORT RequestId: x\tBilled Duration: 900 ms\tInit Duration: 800.00 ms\tDuration: 100.00 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB",
    );
    expect(parsed).toMatchObject({ durationMs: 100, billedDurationMs: 900, initDurationMs: 800 });
  });
});

describe("toInvocationResult", () => {
  const report = textReport([
    "Duration: 5000.00 ms",
    "Billed Duration: 5000 ms",
    "Memory Size: 128 MB",
    "Max Memory Used: 128 MB",
    "Status: timeout",
  ]);
  it.each([
    [
      "success",
      {
        logTail: textReport([
          "Duration: 1.00 ms",
          "Billed Duration: 1 ms",
          "Memory Size: 128 MB",
          "Max Memory Used: 1 MB",
        ]),
      },
      { status: "success" },
    ],
    [
      "function error header",
      {
        logTail: report.replace("\tStatus: timeout", ""),
        functionError: "Unhandled",
        responsePayload: '{"errorType":"KeyError"}',
      },
      { status: "error", errorType: "KeyError" },
    ],
    ["timeout from the REPORT", { logTail: report, functionError: "Unhandled" }, { status: "timeout" }],
    [
      "timeout from the payload only",
      {
        logTail: report.replace("\tStatus: timeout", ""),
        functionError: "Unhandled",
        responsePayload: '{"errorType":"Sandbox.Timedout"}',
      },
      { status: "timeout", errorType: "Sandbox.Timedout" },
    ],
    ["no REPORT in the tail", { logTail: "nothing here" }, { status: "error", errorType: "NoReport", report: null }],
  ])("%s", (_name, input, expected) => {
    expect(toInvocationResult({ memoryMb: 128, sequence: 0, ...input })).toMatchObject(expected);
  });
});

describe("percentile (nearest rank) and trimmed mean", () => {
  const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
  it.each([
    [ten, 50, 5],
    [ten, 90, 9],
    [ten, 99, 10],
    [ten, 100, 10],
    [ten, 0, 1],
    [[42], 99, 42],
    [[], 50, null],
  ])("p of %j at %d → %j", (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it.each([
    [ten, 0.2, 5.5],
    [[1, 2, 3, 4, 1000], 0.2, 3],
    [[1, 2, 3, 4, 1000], 0, 202],
    [[1, 2, 3, 4], 0.2, 2.5],
    [[7], 0.4, 7],
    [[1, 100], 0.5, 50.5],
    [[], 0.2, null],
  ])("trimmed mean of %j dropping %d each side → %j", (values, fraction, expected) => {
    expect(trimmedMean(values, fraction)).toBe(expected);
  });
});

describe("cost", () => {
  it.each([
    // 1 GB for 1 s costs exactly the published per-GB-second price.
    [1000, 1024, "x86_64", 0.0000166667],
    [1000, 1024, "arm64", 0.0000133334],
    // 128 MB for 1 ms: the reference tool's baseCost (2.1e-9 x86, 1.7e-9 arm64), to 2 digits.
    [1, 128, "x86_64", 2.0833375e-9],
    [1, 128, "arm64", 1.666675e-9],
    // 512 MB for 812.2 ms bills 813 ms.
    [812.2, 512, "x86_64", 0.813 * 0.5 * 0.0000166667],
    [0, 3008, "x86_64", 0],
  ] as const)("%d ms at %d MB on %s", (billedMs, memoryMb, architecture, expected) => {
    expect(durationCostUsd(billedMs, memoryMb, architecture)).toBeCloseTo(expected, 15);
  });

  it("matches the reference tool's base cost per 128 MB-ms within rounding", () => {
    expect(durationCostUsd(1, 128, "x86_64")).toBeCloseTo(2.1e-9, 10);
    expect(durationCostUsd(1, 128, "arm64")).toBeCloseTo(1.7e-9, 10);
  });

  it("keeps requests separate: $0.20 per million", () => {
    expect(USD_PER_REQUEST * 1_000_000).toBeCloseTo(0.2, 12);
    expect(PRICES.x86_64.onDemandGbSecond).toBe(0.0000166667);
  });

  it("gives one vCPU at 1,769 MB", () => {
    expect(cpuShare(1769)).toBe(1);
    expect(cpuShare(512)).toBeCloseTo(0.2894, 4);
  });
});

describe("pickMemory", () => {
  const c = (memoryMb: number, cost: number, duration: number): Candidate => ({ memoryMb, cost, duration });
  const curve = [c(128, 10, 1000), c(256, 8, 400), c(512, 9, 200), c(1024, 14, 110), c(2048, 28, 100)];

  it.each([
    ["cost: cheapest", curve, "cost", 0.5, 256],
    ["speed: fastest", curve, "speed", 0.5, 2048],
    ["balanced w = 1 is cost", curve, "balanced", 1, 256],
    ["balanced w = 0 is speed", curve, "balanced", 0, 2048],
    ["balanced w = 0.5", curve, "balanced", 0.5, 512],
    ["cost tie → the faster", [c(256, 8, 400), c(512, 8, 200)], "cost", 0.5, 512],
    ["cost tie (float noise) → the faster", [c(256, 0.1 + 0.2, 400), c(512, 0.3, 200)], "cost", 0.5, 512],
    ["speed tie → the cheaper", [c(1024, 14, 100), c(2048, 28, 100)], "speed", 0.5, 1024],
    ["balanced tie → the cheaper", [c(256, 2, 4), c(512, 4, 2)], "balanced", 0.5, 256],
    ["all equal → the smaller memory", [c(512, 1, 1), c(256, 1, 1)], "cost", 0.5, 256],
  ] as const)("%s", (_name, candidates, strategy, weight, expected) => {
    expect(pickMemory(candidates, strategy, weight)?.memoryMb).toBe(expected);
  });

  it("has nothing to pick from nothing", () => {
    expect(pickMemory([], "cost")).toBeNull();
  });
});

describe("describeRecommendation", () => {
  const base = { memoryMb: 512, cost: 1.1, duration: 1000 };
  it.each([
    [
      { memoryMb: 1024, cost: 1.0, duration: 590 },
      base,
      512,
      "1,024 MB: 41 % faster and 9 % cheaper than today's 512 MB",
    ],
    [
      { memoryMb: 2048, cost: 2.2, duration: 500 },
      base,
      512,
      "2,048 MB: 50 % faster and 100 % more expensive than today's 512 MB",
    ],
    [
      { memoryMb: 256, cost: 1.0, duration: 1500 },
      base,
      512,
      "256 MB: 50 % slower and 9 % cheaper than today's 512 MB",
    ],
    [{ memoryMb: 512, cost: 1.1, duration: 1000 }, base, 512, "512 MB: keep today's setting."],
    [
      { memoryMb: 1024, cost: 1.1, duration: 900 },
      base,
      512,
      "1,024 MB: 10 % faster than today's 512 MB, at the same cost",
    ],
    [
      { memoryMb: 1024, cost: 1, duration: 1 },
      undefined,
      512,
      "1,024 MB (today's 512 MB was not measured in this run).",
    ],
    [null, base, 512, "No recommendation: every memory value had errors or timeouts."],
  ] as const)("%j vs %j", (pick, baseline, today, expected) => {
    expect(describeRecommendation(pick, baseline, today)).toBe(expected);
  });

  it("says why today's memory could not be compared when it failed", () => {
    expect(describeRecommendation({ memoryMb: 128, cost: 1, duration: 1 }, undefined, 512, "1 timeout")).toBe(
      "128 MB (today's 512 MB had 1 timeout, so no comparison).",
    );
  });
});

function results(memoryMb: number, durations: number[], overrides: Partial<InvocationResult> = {}): InvocationResult[] {
  return durations.map((durationMs, sequence) => ({
    memoryMb,
    sequence,
    status: "success",
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    initDurationMs: 0,
    restoreDurationMs: 0,
    billedRestoreDurationMs: 0,
    maxMemoryUsedMb: 100,
    report: "REPORT …",
    ...overrides,
  }));
}

describe("summarizeMemory and analyzeRun", () => {
  it("summarizes percentiles with and without init, cold starts, cost by architecture", () => {
    const rows = [
      ...results(512, [100, 110, 120, 130, 140]),
      { ...results(512, [100])[0], sequence: 5, initDurationMs: 900, billedDurationMs: 1000 } as InvocationResult,
    ];
    const summary = summarizeMemory(512, rows, 0.2);
    expect(summary).toMatchObject({
      invocations: 6,
      coldStarts: 1,
      errors: 0,
      timeouts: 0,
      initMean: 900,
      maxMemoryUsedMb: 100,
    });
    expect(summary.duration.p50).toBe(110);
    expect(summary.totalDuration.p99).toBe(1000);
    expect(summary.costPerInvocation.x86_64).toBeCloseTo(durationCostUsd(summary.billedMean ?? 0, 512, "x86_64"), 15);
    expect(summary.costPerInvocation.arm64).toBeLessThan(summary.costPerInvocation.x86_64 ?? 0);
  });

  it("leaves out memory values with timeouts and words the pick against today's memory", () => {
    const analysis = analyzeRun({
      results: [
        ...results(128, [5000, 5000, 5000, 5000, 5000], { status: "timeout" }),
        ...results(512, [1000, 1000, 1000, 1000, 1000]),
        ...results(1024, [400, 400, 400, 400, 400]),
      ],
      memoryValues: [128, 512, 1024],
      baselineMemoryMb: 512,
      architecture: "x86_64",
      trimFraction: 0.2,
      strategy: "cost",
      balancedWeight: 0.5,
    });
    expect(analysis.excluded).toEqual([{ memoryMb: 128, reason: "5 timeouts" }]);
    expect(analysis.chosen.memoryMb).toBe(1024);
    expect(analysis.chosen.words).toBe("1,024 MB: 60 % faster and 20 % cheaper than today's 512 MB");
    expect(analysis.recommendations.map((r) => r.strategy)).toEqual(["cost", "speed", "balanced"]);
  });
});

describe("payloadSchedule", () => {
  it.each([
    [[1], 3, [0, 0, 0]],
    [[1, 1], 4, [0, 1, 0, 1]],
    [[3, 1], 8, [0, 0, 1, 0, 0, 0, 1, 0]],
    [[0, 2], 3, [1, 1, 1]],
    [[0, 0], 3, []],
  ])("weights %j over %d → %j", (weights, count, expected) => {
    expect(payloadSchedule(weights, count)).toEqual(expected);
  });
});

describe("estimateRun", () => {
  it("counts invocations, bounds the cost by the timeout and keeps requests separate", () => {
    const estimate = estimateRun({
      memoryValues: [512, 1024],
      invocationsPerValue: 10,
      timeoutSeconds: 5,
      architecture: "x86_64",
    });
    expect(estimate.invocations).toBe(20);
    expect(estimate.requestsUsd).toBeCloseTo(20 * 0.2e-6, 15);
    expect(estimate.maxUsd).toBeCloseTo(20 * 0.2e-6 + 10 * (5 * 0.5 + 5 * 1) * 0.0000166667, 15);
    expect(estimate.typicalUsd).toBeNull();
  });
});

describe("tuningRequestSchema", () => {
  const valid = {
    functionName: "process-user-request",
    memoryValues: "512, 1024 128",
    invocations: "5",
    payload: '{"user":1}',
  };
  const fieldErrors = (input: Record<string, unknown>) => {
    const parsed = tuningRequestSchema.safeParse({ ...valid, ...input });
    if (parsed.success) return {};
    return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]));
  };

  it("normalizes a form", () => {
    expect(tuningRequestSchema.parse(valid)).toMatchObject({
      memoryValues: [128, 512, 1024],
      invocations: 5,
      payloads: [{ json: '{"user":1}', weight: 1 }],
      strategy: "cost",
      balancedWeight: 0.5,
      trimFraction: 0.2,
      parallel: false,
    });
  });

  it.each([
    ["0 invocations", { invocations: "0" }, "invocations", "At least 5 per memory value"],
    ["10⁶ invocations", { invocations: "1000000" }, "invocations", "At most 1,000 per memory value"],
    ["memory 100", { memoryValues: "100, 512" }, "memoryValues", "100 MB is outside 128–10,240 MB"],
    ["memory 20,000", { memoryValues: "20000" }, "memoryValues", "20,000 MB is outside 128–10,240 MB"],
    ["no memory", { memoryValues: " " }, "memoryValues", "Enter at least one memory value"],
    ["invalid JSON", { payload: "{user:" }, "payload", "Not valid JSON"],
    [
      "7 MB payload",
      { payload: JSON.stringify({ blob: "x".repeat(7 * 1_048_576) }) },
      "payload",
      "Lambda accepts at most 6 MB",
    ],
    [
      "negative weight",
      { weightedPayloads: "on", payload: '[{"payload":{},"weight":-1}]' },
      "payload",
      "negative weight",
    ],
    [
      "weights summing to 0",
      { weightedPayloads: "on", payload: '[{"payload":{},"weight":0},{"payload":1,"weight":0}]' },
      "payload",
      "add up to 0",
    ],
    ["balanced weight 2", { balancedWeight: "2" }, "balancedWeight", "Between 0 and 1"],
    ["a bad function name", { functionName: "no such/function" }, "functionName", "Letters, digits"],
    ["a temporary alias as qualifier", { qualifier: "phoenix-tune-512" }, "qualifier", "temporary aliases"],
  ])("%s → a field error", (_name, input, field, message) => {
    expect(fieldErrors(input)[field]).toContain(message);
  });

  it("accepts weighted payloads", () => {
    const parsed = tuningRequestSchema.parse({
      ...valid,
      weightedPayloads: "on",
      payload: '[{"payload":{"a":1},"weight":3},{"payload":"b","weight":1}]',
    });
    expect(parsed.payloads).toEqual([
      { json: '{"a":1}', weight: 3 },
      { json: '"b"', weight: 1 },
    ]);
  });
});
