#!/usr/bin/env bash
# buf breaking: the contracts against what they are changing.
# - On a branch: against the merge base with the main branch (origin/main, else main), so every
#   commit of the branch is checked together, however many there are.
# - On main itself (the merge base is HEAD; CI on a clean clone of main), or when no main branch
#   is known: against HEAD~1.
# - In a clone too shallow for either (fetch-depth 1): says so plainly and skips.
set -euo pipefail
cd "$(dirname "$0")/../.."

against=""
label=""
main_ref=""
for candidate in origin/main main; do
  if git rev-parse --verify --quiet "${candidate}^{commit}" >/dev/null; then
    main_ref="$candidate"
    break
  fi
done
if [[ -n "$main_ref" ]]; then
  # No merge base in a shallow clone that stops before it: fall back to HEAD~1 below.
  merge_base="$(git merge-base HEAD "$main_ref" 2>/dev/null || true)"
  if [[ -n "$merge_base" && "$merge_base" != "$(git rev-parse HEAD)" ]]; then
    against="$merge_base"
    label="the merge base with ${main_ref} (${merge_base:0:12})"
  fi
fi
if [[ -z "$against" ]]; then
  if ! git rev-parse --verify --quiet HEAD~1 >/dev/null; then
    echo "buf breaking: skipped — no previous commit to compare against (first commit or shallow clone)."
    exit 0
  fi
  against="$(git rev-parse HEAD~1)"
  label="HEAD~1"
fi

# The whole workspace (buf.yaml): each module is checked with its own rules (proto: FILE;
# vendored third_party: ignored). `--path proto` is rejected for a v2 workspace module.
npx --no-install buf breaking --against ".git#ref=${against}"
echo "buf breaking: no breaking change against ${label}"
