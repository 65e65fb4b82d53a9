import { afterEach, describe, expect, it } from "vitest";
import {
  getFunctionState,
  type UpdateWait,
  updateFunctionConfiguration,
  waitForUpdate,
} from "@/lib/aws/lambda-changes";
import { AppError } from "@/lib/errors";
import { createHarness, type SandboxHarness } from "@/lib/sandbox/testing";

/**
 * The one wait for a Lambda configuration update, shared by the controls and power tuning: against
 * the sandbox on a ManualClock whose "sleep" moves time, so waiting minutes costs no wall time.
 */

const FUNCTION = "send-notification";
let harness: SandboxHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function manualWait(h: SandboxHarness, timeoutMs: number): UpdateWait & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    nowMs: () => h.clock.now().getTime(),
    sleep: async (ms) => {
      slept.push(ms);
      h.clock.advance(ms);
    },
    pollMs: 2_000,
    timeoutMs,
  };
}

describe("waitForUpdate", () => {
  it("polls until the update is Successful and returns the settled state", async () => {
    harness = await createHarness("in-process", { timings: { updateDurationMs: 5_000 } });
    const before = await getFunctionState(harness.lambda, FUNCTION);
    const target = before.memoryMb === 1024 ? 512 : 1024;
    await updateFunctionConfiguration(harness.lambda, FUNCTION, {
      memoryMb: target,
      description: "changed by the wait test",
      revisionId: before.revisionId,
    });
    const wait = manualWait(harness, 60_000);
    const seen: string[] = [];
    const settled = await waitForUpdate(harness.lambda, FUNCTION, wait, async (state) => {
      seen.push(state.lastUpdateStatus);
    });
    expect(settled.lastUpdateStatus).toBe("Successful");
    expect(settled.memoryMb).toBe(target);
    expect(settled.description).toBe("changed by the wait test");
    // 5 s of update at a 2 s poll: InProgress three times (0, 2, 4 s), then Successful at 6 s.
    expect(seen).toEqual(["InProgress", "InProgress", "InProgress", "Successful"]);
    expect(wait.slept).toEqual([2_000, 2_000, 2_000]);
  });

  it("gives up after its limit with a message that says the update may still finish", async () => {
    harness = await createHarness("in-process", { faults: { stuckUpdates: true } });
    const before = await getFunctionState(harness.lambda, FUNCTION);
    await updateFunctionConfiguration(harness.lambda, FUNCTION, {
      memoryMb: before.memoryMb + 128,
      revisionId: before.revisionId,
    });
    const wait = manualWait(harness, 10_000);
    const error = await waitForUpdate(harness.lambda, FUNCTION, wait).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("AWS_ERROR");
    expect((error as AppError).userMessage).toMatch(/still applying the change .* after 10 s.*may still finish/);
    expect(wait.slept.length).toBe(5);
  });
});
