import type { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { ControlsDeps } from "@/lib/data/controls-deps";
import type { SandboxHarness } from "@/lib/sandbox/testing";

/**
 * The controls' dependencies on a sandbox harness: waiting moves the sandbox's ManualClock (and fires
 * what comes due) instead of sleeping, so minutes of provisioning cost no wall time.
 */
export function sandboxControlsDeps(
  harness: SandboxHarness,
  clients: { lambda?: LambdaClient; autoScaling?: ApplicationAutoScalingClient } = {},
): ControlsDeps {
  return {
    lambda: clients.lambda ?? harness.lambda,
    autoScaling: clients.autoScaling ?? harness.autoScaling,
    cloudWatch: harness.cloudWatch,
    nowMs: () => harness.clock.now().getTime(),
    sleep: async (ms) => {
      await harness.sandbox.advance(ms);
    },
    pollMs: 5_000,
    updateTimeoutMs: 10 * 60_000,
    pcTimeoutMs: 30 * 60_000,
  };
}
