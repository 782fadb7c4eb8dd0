#!/usr/bin/env bash
# Rate-limiter overhead: requests/s of GET /api/wallet/balance with the limiter off, on with the
# in-process store, and on with the Redis store, in one run on the same data. Limits are set high
# enough that nothing is refused, so every request pays for a full limiter decision.
#   bench/ratelimit.sh [seconds=15] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15} conns=${2:-32}
pg_port=56433 app_port=5081 redis_port=56380
. bench/lib.sh
bench_setup
start_redis "$work" "$redis_port"

start_app RATE_LIMIT_ENABLED=false LOG_LEVEL=warn
seed_users 200 0

run() {
  start_app LOG_LEVEL=warn RateLimiting__Tiers__free=1000000000 "$@"
  wrk -t2 -c"$conns" -d3s -s bench/balance.lua "http://127.0.0.1:$app_port" -- "$work/users.txt" >/dev/null # warm-up
  wrk -t2 -c"$conns" -d"${seconds}s" --latency -s bench/balance.lua "http://127.0.0.1:$app_port" -- "$work/users.txt" >"$work/wrk.txt"
  wrk_summary "$work/wrk.txt"
}
read -r off_rps off_p50 off_p99 off_err <<<"$(run RATE_LIMIT_ENABLED=false)"
read -r mem_rps mem_p50 mem_p99 mem_err <<<"$(run RATE_LIMIT_ENABLED=true)"
read -r red_rps red_p50 red_p99 red_err <<<"$(run RATE_LIMIT_ENABLED=true REDIS_URL="127.0.0.1:$redis_port")"

printf '\n%-22s %10s %10s %10s %8s %12s\n' "GET /api/wallet/balance" "req/s" "p50 ms" "p99 ms" "non-2xx" "vs off"
for row in "limiter off:$off_rps:$off_p50:$off_p99:$off_err" "in-process store:$mem_rps:$mem_p50:$mem_p99:$mem_err" "redis store:$red_rps:$red_p50:$red_p99:$red_err"; do
  IFS=: read -r name rps p50 p99 err <<<"$row"
  printf '%-22s %10s %10s %10s %8s %12s\n' "$name" "$rps" "$p50" "$p99" "$err" "$(python3 -c "print(f'{$rps / $off_rps:.2f}x')")"
done
