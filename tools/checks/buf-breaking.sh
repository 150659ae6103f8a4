#!/usr/bin/env bash
# buf breaking against the previous commit; says so plainly when there is none to compare with.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! git rev-parse --verify --quiet HEAD~1 >/dev/null; then
  echo "buf breaking: skipped — no previous commit to compare against (first commit or shallow clone)."
  exit 0
fi
# The whole workspace (buf.yaml): each module is checked with its own rules (proto: FILE;
# vendored third_party: ignored). `--path proto` is rejected for a v2 workspace module.
npx --no-install buf breaking --against '.git#ref=HEAD~1'
echo "buf breaking: no breaking change against HEAD~1"
