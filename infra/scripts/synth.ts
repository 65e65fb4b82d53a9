/**
 * `npm run synth`: synthesizes every stack of both stages into infra/cdk.out, offline.
 *
 * Builds the handler bundle first when it is missing (esbuild in lambda/, no Docker), and fails
 * on any cdk-nag finding that is not acknowledged with a reason.
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  findLambdaBundle,
  LAMBDA_BUNDLE_CANDIDATES,
  LAMBDA_PACKAGE_DIR,
  lambdaBuildScript,
} from "../bin/lambda-bundle.js";
import { buildPhoenixApp } from "../lib/app/phoenix-app.js";

const outdir = fileURLToPath(new URL("../cdk.out", import.meta.url));

function npm(args: string[]): void {
  const result = spawnSync("npm", args, { stdio: "inherit" });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(" ")} failed with exit code ${String(result.status)}`);
  }
}

function ensureBundle(): string {
  const existing = findLambdaBundle();
  if (existing) return existing;
  const script = lambdaBuildScript();
  if (!script) {
    throw new Error(`No handler bundle in ${LAMBDA_BUNDLE_CANDIDATES.join(" or ")}, and lambda/ has no build script.`);
  }
  console.log(`Handler bundle missing; building it: npm --prefix ${LAMBDA_PACKAGE_DIR} run ${script}`);
  if (!existsSync(`${LAMBDA_PACKAGE_DIR}/node_modules`)) {
    npm(["--prefix", LAMBDA_PACKAGE_DIR, existsSync(`${LAMBDA_PACKAGE_DIR}/package-lock.json`) ? "ci" : "install"]);
  }
  npm(["--prefix", LAMBDA_PACKAGE_DIR, "run", script]);
  const built = findLambdaBundle();
  if (!built) {
    throw new Error(
      `lambda's ${script} finished but left no index module in ${LAMBDA_BUNDLE_CANDIDATES.join(" or ")}.`,
    );
  }
  return built;
}

const lambdaBundlePath = ensureBundle();
// A clean directory, so templates of renamed or removed stacks never linger.
rmSync(outdir, { recursive: true, force: true });
const { app } = buildPhoenixApp({
  lambdaBundlePath,
  outdir,
  ...(process.env.CDK_DEFAULT_ACCOUNT ? { defaultAccount: process.env.CDK_DEFAULT_ACCOUNT } : {}),
});
const assembly = app.synth();
for (const stack of assembly.stacks) {
  const resourceCount = Object.keys((stack.template as { Resources?: object }).Resources ?? {}).length;
  console.log(`${stack.stackName}: ${resourceCount} resources → cdk.out/${stack.templateFile}`);
}
console.log(`Handler bundle: ${lambdaBundlePath}`);
console.log(
  `Synthesized ${assembly.stacks.length} stacks into ${outdir}; cdk-nag AwsSolutions: no unacknowledged findings.`,
);
