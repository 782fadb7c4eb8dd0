#!/usr/bin/env bash
# A sign-up storm against money and read routes, in one run: the money routes' p50/p99 alone, then
# during a storm of registrations at about twice the hashing capacity, with the hashing bulkhead as
# configured (Auth:MaxConcurrentHashes, default cores - 1) and then with it opened wide (as before it
# existed). Not a test: prints figures.
#   bench/auth-storm.sh [seconds=20]
# Money load: 10 connections x 1 request / 100 ms ≈ 100 req/s (balance and transfer in turn).
# Storm: STORM_CONNS (default 10) x 1 request / 200 ms ≈ 50 registrations/s requested; PBKDF2 at the
# benchmark's 100,000 iterations costs ≈ 40 ms of CPU here, so one hashing slot serves ≈ 25/s.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20} storm_conns=${STORM_CONNS:-10}
pg_port=56442 app_port=5081
. bench/lib.sh
bench_setup

money() { # label
  PACE_MS=100 wrk -t1 -c10 -d"${seconds}s" --latency --timeout 30s -s bench/mixed.lua "http://127.0.0.1:$app_port" -- "$work/users.txt" \
    >"$work/money-$1.txt" 2>&1 || true
}
storm() { # label
  RUN_ID="$1$RANDOM" PACE_MS=200 wrk -t1 -c"$storm_conns" -d"${seconds}s" --timeout 10s -s bench/register.lua "http://127.0.0.1:$app_port" \
    >"$work/storm-$1.txt" 2>&1 || true
}
report() { # label title
  read -r rps p50 p99 errors <<<"$(wrk_summary "$work/money-$1.txt")"
  printf '%-34s money %5s req/s  p50 %7s ms  p99 %8s ms  non-2xx %s\n' "$2" "$rps" "$p50" "$p99" "$errors"
  if [ -f "$work/storm-$1.txt" ]; then
    grep -E '^storm ' "$work/storm-$1.txt" | sed 's/^/                                     /'
  fi
}

run_phase() { # label [ENV...]
  local label=$1; shift
  start_app RATE_LIMIT_ENABLED=false LOG_LEVEL=warn "$@"
  # Warm the money routes so the first phase does not measure JIT.
  PACE_MS=0 wrk -t1 -c4 -d10s -s bench/mixed.lua "http://127.0.0.1:$app_port" -- "$work/users.txt" >/dev/null 2>&1 || true
  money "$label-alone"
  storm "$label" & local storm_pid=$!
  sleep 1 # the storm is under way before the measured money load starts
  money "$label"
  wait "$storm_pid" || true
}

start_app RATE_LIMIT_ENABLED=false LOG_LEVEL=warn
echo "seeding 200 users..."
seed_users 200 100000000

run_phase bulkhead
run_phase open Auth__MaxConcurrentHashes=1024 Auth__HashQueueLimit=10000

echo
report bulkhead-alone "alone"
report bulkhead "storm, bulkhead as configured"
report open-alone "alone (second start)"
report open "storm, bulkhead opened wide"
