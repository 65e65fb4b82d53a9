#!/usr/bin/env bash
# npm test: every suite of the repository, in the order that fails fastest.
# Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (.ci/run starts them when missing)
# and Chromium at /usr/bin/chromium (or CHROMIUM_PATH) for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n==> %s\n' "$*"; }

# The handler and the CDK app are packages of their own; install them on a fresh clone.
for package in lambda infra; do
  if [[ -f $package/package.json && ! -d $package/node_modules ]]; then
    step "installing $package dependencies"
    npm ci --prefix "$package" --no-audit --no-fund
  fi
done

step "lint (biome)"
npm run lint
step "typecheck"
npm run typecheck
step "unit and store tests (SQLite and PostgreSQL)"
npm run test:unit
if [[ -f lambda/package.json ]]; then
  step "lambda handler: typecheck and tests"
  npm --prefix lambda run typecheck
  npm --prefix lambda test
fi
if [[ -f infra/package.json ]]; then
  step "infrastructure: typecheck and tests"
  npm --prefix infra run typecheck
  npm --prefix infra test
fi
step "browser tests (Chromium)"
npm run test:e2e
