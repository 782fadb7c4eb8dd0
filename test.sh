#!/usr/bin/env bash
# Runs the whole test suite against real PostgreSQL and Redis servers, started on loopback for this
# run only (throwaway data directory, nothing of a developer's touched), and ends with the line
# "N passed, N failed". Installs the servers with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

pg_port=${SUPERAPP_TEST_PG_PORT:-55432}
redis_port=${SUPERAPP_TEST_REDIS_PORT:-56379}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing PostgreSQL and Redis with apt-get..."
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: PostgreSQL/Redis are missing and installing them needs root (apt-get)." >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql redis-server >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

work=$(mktemp -d /tmp/superapp-tests.XXXXXX)
chmod 755 "$work"
cleanup() {
  [ -f "$work/pg/postmaster.pid" ] && run_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root; use the postgres account the package created.
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
install -d -m 700 "$work/pg" "$work/sock"
[ "$(id -u)" -eq 0 ] && chown postgres "$work/pg" "$work/sock"
run_pg "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust --no-sync >/dev/null
run_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w -o \
  "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/sock -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { echo "error: PostgreSQL did not start; see below" >&2; cat "$work/pg/server.log" >&2; echo "0 passed, 1 failed"; exit 1; }

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work"
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null || { echo "error: Redis did not start" >&2; echo "0 passed, 1 failed"; exit 1; }

export SUPERAPP_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Pooling=true;Maximum Pool Size=200"
export SUPERAPP_TEST_REDIS="127.0.0.1:$redis_port"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

results="$work/results"
status=0
dotnet test --solution SuperApp.slnx -c Release --results-directory "$results" --report-xunit-trx "$@" || status=$?

trx=$(find "$results" -name '*.trx' 2>/dev/null | head -n 1)
if [ -z "$trx" ]; then
  echo "error: no test results (did the build fail?)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
num() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(num passed); failed=$(num failed); total=$(num total); executed=$(num executed)
skipped=$((total - executed))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
