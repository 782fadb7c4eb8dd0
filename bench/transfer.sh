#!/usr/bin/env bash
# Transfers per second through the whole service (HTTP, auth, idempotency, ledger posting, audit) on
# PostgreSQL, against pgbench TPC-B on the same server in the same run. Not a test: prints figures.
#   bench/transfer.sh [users=1000] [seconds=20] [connections=32]
# WARMUP=seconds of unmeasured load first (default 30). SHOW_ERRORS=1 prints the first non-2xx bodies wrk saw; LOG_LEVEL=info keeps request logs on.
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-1000} seconds=${2:-20} conns=${3:-32} warmup=${WARMUP:-30}
pg_port=56432 app_port=5080
. bench/lib.sh
bench_setup

# Limits would turn a load test into a 429 test; they are measured separately (bench/ratelimit.sh).
start_app RATE_LIMIT_ENABLED=false LOG_LEVEL=${LOG_LEVEL:-warn}
echo "seeding $users users..."
seed_users "$users" 100000000

# Tiered JIT recompiles hot code for about half a minute after start; measure the steady state after.
echo "warm-up: ${warmup}s (not measured)"
wrk -t2 -c"$conns" -d"${warmup}s" -s bench/transfer.lua "http://127.0.0.1:$app_port" -- "$work/users.txt" >/dev/null 2>&1 || true
echo "wrk: $conns connections, ${seconds}s of POST /api/wallet/transfer"
wrk -t2 -c"$conns" -d"${seconds}s" --latency -s bench/transfer.lua "http://127.0.0.1:$app_port" -- "$work/users.txt" >"$work/wrk.txt" 2>"$work/wrk.err" || true
head -c 2000 "$work/wrk.err"
read -r rps p50 p99 errors <<<"$(wrk_summary "$work/wrk.txt")"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=

echo "pgbench: TPC-B, $conns clients, ${seconds}s"
run_pg "$pg_bin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -i -s 10 -q pgbench >/dev/null 2>&1
tps=$(run_pg "$pg_bin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -M prepared -c "$conns" -j 2 -T "$seconds" pgbench 2>/dev/null \
  | grep -oP 'tps = \K[\d.]+' | head -n 1)

verify=$(dotnet "$app_dll" ledger verify 2>/dev/null | tail -n 1)
echo
printf '%-28s %s\n' "transfers/s" "$rps" "p50 latency (ms)" "$p50" "p99 latency (ms)" "$p99" "non-2xx responses" "$errors" \
  "pgbench TPC-B tps" "$tps" "ledger after run" "$verify"
python3 -c "print(f'{\"ratio transfers/pgbench\":<28} {$rps / $tps:.2f}  (target >= 0.5)')"
