#!/usr/bin/env bash
# The one command that sets up and runs every test (README "Quick start"; .ci/run runs exactly this).
# Installs the real peers the tests start (BIND, Knot, dig, kdig, ...), the npm packages,
# builds, and runs every test file with node's test runner (TAP summary: "# pass N", "# fail N").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-peers.sh
# The batched UDP module must build here: a missing compiler fails CI instead of quietly testing dgram only.
export MCNS_REQUIRE_NATIVE=1
# `npm install` rather than `npm ci`: the lock cannot list every platform's copy of
# buf's optional binary (the registry here serves only some), and `npm ci` refuses a
# lock without them; `npm install` installs the same locked versions.
if [ ! -d node_modules/better-sqlite3/build ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
npm run --silent build
exec bash scripts/test.sh "$@"
