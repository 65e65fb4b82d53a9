import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/session";

// This file's global store and sandbox live in a temp dir (read once by lib/config).
process.env.PHOENIX_DATA_DIR = mkdtempSync(path.join(tmpdir(), "phoenix-tuning-actions-"));
process.env.NEXTAUTH_SECRET = "t".repeat(40);

const { runAction } = await import("@/lib/actions/define-action");
const { startPowerTuningAction, applyPowerTuningAction } = await import("@/lib/data/power-tuning");
const { getDb } = await import("@/lib/db");
const { listJobs } = await import("@/lib/jobs/job-store");
const { queryAudit } = await import("@/lib/audit");

const operator: SessionUser = { id: "id-olivia", username: "olivia", name: "Olivia", role: "operator" };
const valid = {
  functionName: "process-user-request",
  memoryValues: "256, 512, 1024",
  invocations: "5",
  payload: "{}",
  confirm: "true",
};

describe("starting a tuning run with bad input", () => {
  it.each([
    ["0 invocations", { invocations: "0" }, "invocations"],
    ["10⁶ invocations", { invocations: "1000000" }, "invocations"],
    ["memory 100", { memoryValues: "100" }, "memoryValues"],
    ["memory 20,000", { memoryValues: "128, 20000" }, "memoryValues"],
    ["invalid JSON payload", { payload: '{"user": ' }, "payload"],
    ["a 7 MB payload", { payload: JSON.stringify({ blob: "x".repeat(7 * 1_048_576) }) }, "payload"],
    ["negative weights", { weightedPayloads: "on", payload: '[{"payload":{},"weight":-2}]' }, "payload"],
    ["weights summing to 0", { weightedPayloads: "on", payload: '[{"payload":{},"weight":0}]' }, "payload"],
    ["an unknown function", { functionName: "no-such-function" }, "functionName"],
    ["an unknown alias", { qualifier: "staging-blue" }, "qualifier"],
    ["no confirmation", { confirm: undefined }, "confirm"],
  ])("%s → a field error, no job, no run", async (_name, change, field) => {
    // Act
    const result = await runAction(startPowerTuningAction, { ...valid, ...change }, operator);
    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("INVALID_INPUT");
    expect(Object.keys(result.fieldErrors ?? {})).toContain(field);
    const db = await getDb();
    expect(await listJobs(db, { kind: "power-tuning.run" })).toEqual([]);
    expect(await db.selectFrom("power_tuning_runs").selectAll().execute()).toEqual([]);
  });

  it("audits the refused input without the payload growing the log", async () => {
    const [row] = await queryAudit(await getDb(), { action: "power-tuning.start" }, 1);
    expect(row).toMatchObject({ outcome: "invalid", actor: "olivia" });
    expect((row?.input ?? "").length).toBeLessThan(25_000);
  });

  it("refuses to apply a run that does not exist", async () => {
    const result = await runAction(applyPowerTuningAction, { runId: "00000000-0000-4000-8000-000000000000" }, operator);
    expect(result).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});
