#!/usr/bin/env bash
# Purchases per second through the whole service against transfers in the same run, on PostgreSQL
# with fsync on: gifts to 100 creators, gifts all to one creator (a live stream), and unlocks of
# distinct buyer/content pairs, each as a ratio of the transfer rate. Not a test: prints figures.
# Transfers run first and again last; the reference rate is their mean, so the growth of the tables over the run
# and the machine's drift weigh on both sides. Each phase starts after a CHECKPOINT, and the ckpt column counts the
# checkpoints PostgreSQL made while it was measured.
#   bench/purchase.sh [buyers=1000] [seconds=20] [connections=32]
# WARMUP=seconds of unmeasured load before each phase (default 10; the first phase gets 30).
# MODES=purchase phases to run between the two transfer runs (default "gift-many gift-one unlock").
set -euo pipefail
cd "$(dirname "$0")/.."
buyers=${1:-1000} seconds=${2:-20} conns=${3:-32} warmup=${WARMUP:-10}
creators=100 per_creator=2
pg_port=56432 app_port=5080
. bench/lib.sh
bench_setup

dotnet "$app_dll" admin create --email admin@bench.test --password bench-admin-password >/dev/null
# Limits would turn a load test into a refusal test: rate limits, purchase velocity and the daily cap are off here.
start_app RATE_LIMIT_ENABLED=false LOG_LEVEL=${LOG_LEVEL:-warn} Fraud__Velocity__unlock__PerMinute=0 \
  Fraud__Velocity__unlock__PerHour=0 Fraud__DailySpendLimit__free=0
echo "seeding $((buyers + creators)) users, $((creators * per_creator)) pieces of content..."
seed_users $((buyers + creators)) 100000000
python3 bench/purchase_seed.py "http://127.0.0.1:$app_port" "$work/users.txt" "$creators" "$per_creator" \
  admin@bench.test bench-admin-password "$work"

# CPU seconds used so far by the service and by this run's PostgreSQL (its postmaster and children; another
# cluster on the machine, a test run's, is not counted) (utime + stime).
cpu() {
  local tick; tick=$(getconf CLK_TCK)
  local app; app=$(awk '{print $14 + $15}' "/proc/$app_pid/stat")
  local pm; pm=$(head -n 1 "$work/pg/postmaster.pid")
  local pg=0 p; for p in "$pm" $(pgrep -P "$pm"); do pg=$((pg + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$app $pg $tick"
}

# sql STATEMENT: runs one statement on the service's database, printing bare values.
sql() { run_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d superapp -qAt -c "$1"; }
# PostgreSQL 17 moved the counts from pg_stat_bgwriter to pg_stat_checkpointer.
checkpoints() {
  if [ "$(sql "SHOW server_version_num")" -ge 170000 ]; then sql "SELECT num_timed + num_requested FROM pg_stat_checkpointer"
  else sql "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter"; fi
}

# run NAME SCRIPT ARGS...: a CHECKPOINT, warm-up, then the measured run; appends
# "name rps p50 p99 errors app_cpu pg_cpu tick checkpoints" to results.
run() {
  local name=$1 script=$2; shift 2
  sql CHECKPOINT
  wrk -t2 -c"$conns" -d"${first_warmup:-$warmup}s" -s "$script" "http://127.0.0.1:$app_port" -- "$@" 0 >/dev/null 2>&1 || true
  first_warmup=
  echo "wrk: $conns connections, ${seconds}s of $name"
  local before ckpt; before=$(cpu); ckpt=$(checkpoints)
  wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$script" "http://127.0.0.1:$app_port" -- "$@" 100000 \
    >"$work/wrk-$name.txt" 2>"$work/wrk-$name.err" || true
  head -c 1000 "$work/wrk-$name.err"
  read -r a0 p0 tick <<<"$before"; read -r a1 p1 _ <<<"$(cpu)"
  echo "$name $(wrk_summary "$work/wrk-$name.txt") $((a1 - a0)) $((p1 - p0)) $tick $(($(checkpoints) - ckpt))" >>"$work/results.txt"
}

first_warmup=${WARMUP:-30}
run transfers bench/transfer.lua "$work/buyers.txt"
for mode in ${MODES:-gift-many gift-one unlock}; do
  run "$mode" bench/purchase.lua "$mode" "$work/buyers.txt" "$work/creators.txt" "$work/contents.txt"
done
run transfers-end bench/transfer.lua "$work/buyers.txt"
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=

verify=$(dotnet "$app_dll" ledger verify 2>/dev/null | tail -n 1)
echo
python3 - "$work/results.txt" "$verify" "$seconds" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
base = (float(rows[0][1]) + float(rows[-1][1])) / 2  # transfers, first and last
targets = {"gift-many": 0.7, "gift-one": 0.5, "unlock": 0.7}
# CPU per request: where a route's cost goes (the service's process vs all of PostgreSQL's).
print(f"{'route':<13} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>8} {'ratio':>6} {'app ms/req':>10} {'pg ms/req':>9}"
      f" {'ckpt':>4}  target")
for name, rps, p50, p99, errors, app, pg, tick, ckpt in rows:
    ratio = float(rps) / base
    requests = float(rps) * int(sys.argv[3])
    app_ms, pg_ms = (1000 * int(x) / int(tick) / requests for x in (app, pg))
    target = f">= {targets[name]}" if name in targets else ""
    print(f"{name:<13} {rps:>7} {p50:>7} {p99:>7} {errors:>8} {ratio:>6.2f} {app_ms:>10.2f} {pg_ms:>9.2f} {ckpt:>4}  {target}")
print(f"ledger after run: {sys.argv[2]}")
PY
