#!/usr/bin/env bash
# buf breaking against the previous commit; says so plainly when there is none to compare with.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! git rev-parse --verify --quiet HEAD~1 >/dev/null; then
  echo "buf breaking: skipped — no previous commit to compare against (first commit or shallow clone)."
  exit 0
fi
npx --no-install buf breaking --against '.git#ref=HEAD~1,subdir=proto' --path proto
echo "buf breaking: no breaking change against HEAD~1"
