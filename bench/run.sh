#!/usr/bin/env bash
# Builds and runs the mcns-vs-Knot benchmark (not part of the test suite).
# Usage: bench/run.sh [--names 10000] [--names 1000000] [--duration 10] [...]
set -euo pipefail
cd "$(dirname "$0")/.."
# The batched UDP module must be there: `mcns` in the comparison runs with udp_io = "batched".
MCNS_REQUIRE_NATIVE=1 node scripts/build-native.mjs
npx tsc -p tsconfig.json >/dev/null || true   # emits even when unrelated files have type errors
exec node dist/bench/run-knot-comparison.js "$@"
