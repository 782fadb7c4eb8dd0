#!/usr/bin/env bash
# Runs the whole test suite against real PostgreSQL and Redis servers, started on loopback for this
# run only (throwaway data directory, nothing of a developer's touched), and ends with the line
# "N passed, N failed". Installs the servers with apt-get when they are missing.
# Extra arguments go to the test runner, e.g. ./test.sh --filter-class '*Wallet*'
set -euo pipefail
cd "$(dirname "$0")"
. scripts/services.sh

fail() { echo "error: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

pg_port=${SUPERAPP_TEST_PG_PORT:-55432}
redis_port=${SUPERAPP_TEST_REDIS_PORT:-56379}
ensure_packages || fail "PostgreSQL and Redis are needed for the tests"
# promtool (alert rule tests, AlertRulesTests) and prometheus (DashboardQueryTests) come in Debian's prometheus package.
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  echo "Installing prometheus with apt-get..."
  [ "$(id -u)" -eq 0 ] || fail "promtool and prometheus are missing and installing needs root (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null \
    || fail "could not install prometheus"
fi

work=$(mktemp -d /tmp/superapp-tests.XXXXXX)
chmod 755 "$work"
trap 'stop_postgres "$work"; stop_redis "$work"; rm -rf "$work"' EXIT

# A throwaway cluster: durability settings off make the suite faster and change no behaviour under test.
start_postgres "$work" "$pg_port" -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
  || fail "PostgreSQL did not start"
start_redis "$work" "$redis_port" || fail "Redis did not start"

export SUPERAPP_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Pooling=true;Maximum Pool Size=200"
export SUPERAPP_TEST_REDIS="127.0.0.1:$redis_port"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The JavaScript client test drives the hub with the official SignalR package under tests/js.
(cd tests/js && npm ci --ignore-scripts --no-audit --no-fund --silent) || fail "npm ci in tests/js failed (Node.js and npm are needed)"

results="$work/results"
status=0
dotnet test --solution SuperApp.slnx -c Release --results-directory "$results" --report-xunit-trx "$@" || status=$?

trx=$(find "$results" -name '*.trx' 2>/dev/null | head -n 1)
[ -n "$trx" ] || fail "no test results (did the build fail?)"
counters=$(grep -o '<Counters [^>]*>' "$trx")
num() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(num passed); failed=$(num failed); total=$(num total); executed=$(num executed)
echo "$passed passed, $failed failed, $((total - executed)) skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
