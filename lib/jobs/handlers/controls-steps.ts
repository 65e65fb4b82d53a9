import { getProvisionedConcurrency, type PcState, type UpdateWait } from "@/lib/aws/lambda-changes";
import type { ControlsDeps } from "@/lib/data/controls-deps";
import { AppError } from "@/lib/errors";

/**
 * The waits of the controls' jobs: LastUpdateStatus until Successful (`waitForUpdate` in
 * lambda-changes.ts, with the controls' clock) and provisioned concurrency until READY. Each poll
 * reports progress; each gives up after its limit with a message that says what is still going on,
 * never a silent success.
 */

/** The controls' update wait: their clock, poll interval and limit. */
export function updateWaitOf(deps: ControlsDeps): UpdateWait {
  return { nowMs: deps.nowMs, sleep: deps.sleep, pollMs: deps.pollMs, timeoutMs: deps.updateTimeoutMs };
}

/** Polls the qualifier's PC until READY or FAILED; null when there is no PC to follow. */
export async function followProvisionedConcurrency(
  deps: ControlsDeps,
  functionName: string,
  qualifier: string,
  onPoll: (pc: PcState, waitedMs: number) => Promise<void>,
): Promise<PcState | null> {
  const startedMs = deps.nowMs();
  // Allocation takes minutes: start with the configured interval and back off (×1.5, at most 10 s),
  // so following a slow ramp costs a handful of calls instead of one every 2 s.
  let delayMs = deps.pollMs;
  for (;;) {
    const pc = await getProvisionedConcurrency(deps.lambda, functionName, qualifier);
    if (!pc) return null;
    const waitedMs = deps.nowMs() - startedMs;
    await onPoll(pc, waitedMs);
    if (pc.status === "READY") return pc;
    if (pc.status === "FAILED") {
      throw new AppError("AWS_ERROR", {
        userMessage: `Provisioned concurrency on ${functionName}:${qualifier} FAILED: ${pc.statusReason ?? "no reason given"}. Invocations are served on demand meanwhile.`,
      });
    }
    if (waitedMs >= deps.pcTimeoutMs) {
      throw new AppError("AWS_ERROR", {
        userMessage: `Provisioned concurrency on ${functionName}:${qualifier} was still IN_PROGRESS (${pc.allocated} of ${pc.requested} allocated) after ${Math.round(waitedMs / 60_000)} min. Phoenix stopped following it; AWS keeps allocating.`,
      });
    }
    await deps.sleep(delayMs);
    delayMs = Math.min(Math.max(deps.pollMs, 10_000), Math.round(delayMs * 1.5));
  }
}

/** Prefixes a step's failure with what was and was not changed, keeping its code. */
export function stepFailure(error: unknown, step: string, changed: string[], unchanged: string[]): AppError {
  const original = AppError.from(error);
  const parts = [
    `${step} failed: ${original.userMessage}`,
    changed.length > 0 ? `Already changed: ${changed.join("; ")}.` : "Nothing was changed.",
    unchanged.length > 0 ? `Not changed: ${unchanged.join("; ")}.` : "",
  ];
  return new AppError(original.code, {
    message: original.message,
    userMessage: parts.filter(Boolean).join(" "),
    cause: error,
  });
}
