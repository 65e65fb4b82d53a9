#!/usr/bin/env node
/**
 * Entry point for the CDK CLI (`npx cdk synth|diff|deploy`, see cdk.json). The only place that
 * reads the environment and CLI context; everything below receives plain props.
 *
 * Context: `-c stage=staging|production` synthesizes one stage (both by default);
 * `-c lambdaBundlePath=...` points at another handler bundle (default: see bin/lambda-bundle.ts).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { addPhoenixStages, createPhoenixCdkApp } from "../lib/app/phoenix-app.js";
import { STAGE_NAMES, type StageName } from "../lib/config/pc-schedule.js";
import { findLambdaBundle, LAMBDA_BUNDLE_CANDIDATES } from "./lambda-bundle.js";

const app = createPhoenixCdkApp();

const bundleContext: unknown = app.node.tryGetContext("lambdaBundlePath");
const lambdaBundlePath = typeof bundleContext === "string" ? resolve(bundleContext) : findLambdaBundle();
if (lambdaBundlePath === undefined || !existsSync(lambdaBundlePath)) {
  throw new Error(
    `The handler bundle is missing (looked in ${lambdaBundlePath ?? LAMBDA_BUNDLE_CANDIDATES.join(", ")}). Build it first: npm --prefix lambda run build (npm run synth does this for you).`,
  );
}

const stageContext: unknown = app.node.tryGetContext("stage");
const isStageName = (value: unknown): value is StageName =>
  typeof value === "string" && (STAGE_NAMES as readonly string[]).includes(value);
if (stageContext !== undefined && !isStageName(stageContext)) {
  throw new Error(`Unknown stage "${String(stageContext)}"; use one of ${STAGE_NAMES.join(", ")}.`);
}

addPhoenixStages(app, {
  lambdaBundlePath,
  ...(isStageName(stageContext) ? { stages: [stageContext] } : {}),
  ...(process.env.CDK_DEFAULT_ACCOUNT ? { defaultAccount: process.env.CDK_DEFAULT_ACCOUNT } : {}),
});
