import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Synthesizes both stages once (templates + cdk-nag report) and shares them with every file.
    globalSetup: ["test/global-setup.ts"],
    // A few tests build a small extra app of their own; CDK synthesis of a stack takes seconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
