#!/usr/bin/env bash
# The accessibility tests inject axe-core (from the npm registry, pinned in
# tests/browser/package.json and package-lock.json) into the pages. Install it when missing;
# without npm, say so: those tests are then skipped with the reason.
set -u
cd "$(dirname "$0")/../tests/browser"
[ -f node_modules/axe-core/axe.min.js ] && exit 0
if ! command -v npm >/dev/null; then
  echo "npm is not available: axe-core is not installed; the accessibility tests will be skipped"
  exit 1
fi
echo "Installing axe-core with npm ci (tests/browser/package-lock.json)"
npm ci --no-audit --no-fund --silent \
  || { echo "npm ci failed: the accessibility tests will be skipped"; exit 1; }
