#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks run for real, when any is missing.
set -euo pipefail
need=()
check() { command -v "$1" >/dev/null 2>&1 || need+=("$2"); }
check named bind9
check named-checkzone bind9-utils
check dig bind9-dnsutils
check knotd knot
check kdig knot-dnsutils
check dnsperf dnsperf
check promtool prometheus
check unbound unbound
check ldns-read-zone ldnsutils
check sqlite3 sqlite3
# A C compiler and libc's headers for the batched UDP module (scripts/build-native.mjs).
check cc gcc
[ -f /usr/include/stdio.h ] || need+=(libc6-dev)
# An independent gRPC client (C core) for the gRPC interop test; grpcurl is not in Debian 12.
python3 -c 'import grpc' >/dev/null 2>&1 || need+=(python3-grpcio)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The packages start their daemons on install; our tests start their own on loopback ports.
for svc in named bind9 knot unbound; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    ${SUDO:-} systemctl stop "$svc" || true
  fi
done
