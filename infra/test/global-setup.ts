/**
 * Synthesizes the real app (both stages, every stack) once per test run into a temporary cloud
 * assembly, runs cdk-nag's AwsSolutions pack over the same construct tree, and hands the
 * directory to the test files through vitest's provide/inject.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { buildPhoenixApp } from "../lib/app/phoenix-app.js";
import {
  collectAcknowledgements,
  lambdaBundleForTests,
  NAG_REPORT_FILE,
  runAwsSolutionsChecks,
} from "./helpers/synthesis.js";

declare module "vitest" {
  export interface ProvidedContext {
    assemblyDir: string;
    lambdaBundlePath: string;
  }
}

export default function setup(project: TestProject): () => void {
  const assemblyDir = mkdtempSync(join(tmpdir(), "phoenix-infra-test-"));
  const lambdaBundlePath = lambdaBundleForTests();
  // nagPlugin off: the pack runs below so a finding becomes a readable test failure instead of
  // an exception that stops the whole run.
  const { app } = buildPhoenixApp({ lambdaBundlePath, outdir: assemblyDir, nagPlugin: false });
  app.synth();
  const report = runAwsSolutionsChecks(app);
  writeFileSync(
    join(assemblyDir, NAG_REPORT_FILE),
    JSON.stringify({ violations: report.violations, acknowledgements: collectAcknowledgements(app) }, null, 2),
  );

  project.provide("assemblyDir", assemblyDir);
  project.provide("lambdaBundlePath", lambdaBundlePath);
  return () => rmSync(assemblyDir, { recursive: true, force: true });
}
