/**
 * Where the handler bundle built by lambda/ lives. The agreed location is lambda/dist/bundle
 * (`npm --prefix lambda run build`); lambda/'s build currently writes lambda/dist/lambda
 * (`npm --prefix lambda run build:lambda`), so both are accepted, the agreed one first.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const LAMBDA_PACKAGE_DIR = fileURLToPath(new URL("../../lambda", import.meta.url));

export const LAMBDA_BUNDLE_CANDIDATES = [
  fileURLToPath(new URL("../../lambda/dist/bundle", import.meta.url)),
  fileURLToPath(new URL("../../lambda/dist/lambda", import.meta.url)),
] as const;

const HANDLER_FILE = /^index\.(mjs|cjs|js)$/;

/** True when the directory holds the `index` module that `index.handler` names. */
export function holdsHandler(directory: string): boolean {
  if (!existsSync(directory)) return false;
  try {
    return readdirSync(directory).some((file) => HANDLER_FILE.test(file));
  } catch {
    return false;
  }
}

/** The first built bundle found, or undefined when lambda/ has not been built yet. */
export function findLambdaBundle(): string | undefined {
  return LAMBDA_BUNDLE_CANDIDATES.find(holdsHandler);
}

/** The npm script that builds the bundle: `build` as agreed, else lambda's `build:lambda`. */
export function lambdaBuildScript(): string | undefined {
  const packageJsonPath = `${LAMBDA_PACKAGE_DIR}/package.json`;
  if (!existsSync(packageJsonPath)) return undefined;
  const scripts =
    (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
  return ["build", "build:lambda"].find((name) => name in scripts);
}
