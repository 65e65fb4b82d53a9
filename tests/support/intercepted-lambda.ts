import { LambdaClient } from "@aws-sdk/client-lambda";
import { type SandboxHarness, TEST_CREDENTIALS } from "@/lib/sandbox/testing";

/**
 * A Lambda client on the sandbox that runs `before` ahead of every request: tests use it to hold a
 * call at a gate, or to make it hang forever the way a killed process never answers.
 */
export function interceptedLambdaClient(
  harness: SandboxHarness,
  before: (request: { method: string; path: string }) => Promise<void>,
): LambdaClient {
  const handler = harness.sandbox.requestHandler;
  return new LambdaClient({
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: {
      metadata: handler.metadata,
      updateHttpClientConfig: (key: string, value: unknown) => handler.updateHttpClientConfig(key, value),
      httpHandlerConfigs: () => handler.httpHandlerConfigs(),
      destroy: () => undefined,
      async handle(request: Parameters<typeof handler.handle>[0], options?: Parameters<typeof handler.handle>[1]) {
        await before(request);
        return handler.handle(request, options);
      },
    },
  });
}
