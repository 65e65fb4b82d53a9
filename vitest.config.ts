import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React's server build; unit tests run the server code in plain Node.
      "server-only": path.resolve(import.meta.dirname, "tests/support/empty-module.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "tests/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["node_modules", "lambda", "infra", "e2e", ".next"],
    environment: "node",
    // Two cores: bounded parallelism keeps the store suites (SQLite + PostgreSQL) from starving each other.
    maxWorkers: 2,
    // A limit, not a measure: the sandbox-backed suites take 15–25 s on a busy 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
