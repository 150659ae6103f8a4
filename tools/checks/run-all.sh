#!/usr/bin/env bash
# `npm test`: every check, in the order a reviewer would run them. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

step() { printf '\n==> %s\n' "$*"; }

# SWITCHYARD_TESTS_ONLY=1 skips the static checks (buf, tsc, biome): their verdict does not depend
# on the Node version, so CI's second run (Node 24, .ci/run) takes them from the first.
if [[ ${SWITCHYARD_TESTS_ONLY:-} == 1 ]]; then
  step "static checks skipped (SWITCHYARD_TESTS_ONLY=1): buf lint, buf breaking, typecheck, biome"
else
  step "buf lint"
  npx --no-install buf lint
  step "buf breaking (against the merge base with main, or the previous commit on main)"
  bash tools/checks/buf-breaking.sh
  step "generate + typecheck"
  npx --no-install turbo run typecheck --output-logs=errors-only
  step "lint (biome)"
  npx --no-install biome check --error-on-warnings .
fi
step "unit and integration tests"
test_log="$(mktemp)"
trap 'rm -f "$test_log"' EXIT
status=0
npx --no-install turbo run test --concurrency=1 --continue --output-logs=full 2>&1 | tee "$test_log" || status=$?
# One closing line for the whole run, summed over every package's vitest summary.
node tools/checks/sum-test-results.mjs "$test_log"
exit "$status"
