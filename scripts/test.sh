#!/usr/bin/env bash
# Runs the compiled tests (unit tests beside the code, then end-to-end and interop
# tests in test/). Node 20's runner does not expand globs, so the list is made here.
# Usage: scripts/test.sh [substring ...]  (only files whose path contains one of them)
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find dist/src dist/test -name '*.test.js' 2>/dev/null | sort)
if [ $# -gt 0 ]; then
  sel=()
  for f in "${files[@]}"; do for p in "$@"; do [[ "$f" == *"$p"* ]] && { sel+=("$f"); break; }; done; done
  files=("${sel[@]}")
fi
[ ${#files[@]} -gt 0 ] || { echo "no test files found (did the build run?)" >&2; exit 1; }
exec node --test --test-reporter=tap --test-concurrency=2 "${files[@]}"
