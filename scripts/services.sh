# Shared by test.sh and bench/*.sh (sourced, not run): installs PostgreSQL and Redis when missing and
# starts throwaway servers on loopback under a work directory that the caller removes.

# Installs PostgreSQL, Redis and any extra Debian packages named, if their commands are missing.
ensure_packages() {
  local missing=()
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$pg_bin" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  for pkg in "$@"; do command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "Installing ${missing[*]} with apt-get..."
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: ${missing[*]} missing and installing needs root (apt-get)." >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
}

# PostgreSQL refuses to run as root; use the postgres account the package created.
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# start_postgres WORKDIR PORT [server options...]: a fresh cluster in WORKDIR/pg, trust auth on 127.0.0.1.
start_postgres() {
  local work=$1 port=$2; shift 2
  install -d -m 700 "$work/pg" "$work/sock"
  [ "$(id -u)" -eq 0 ] && chown postgres "$work/pg" "$work/sock"
  run_pg "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust --no-sync >/dev/null
  run_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w -o \
    "-p $port -c listen_addresses=127.0.0.1 -k $work/sock $*" start >/dev/null || {
      echo "error: PostgreSQL did not start:" >&2; cat "$work/pg/server.log" >&2; return 1; }
}

stop_postgres() { [ -f "$1/pg/postmaster.pid" ] && run_pg "$pg_bin/pg_ctl" -D "$1/pg" -m fast stop >/dev/null 2>&1 || true; }

# start_redis WORKDIR PORT: an in-memory Redis (no persistence) on 127.0.0.1.
start_redis() {
  local work=$1 port=$2
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work"
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "error: Redis did not start" >&2; return 1
}

stop_redis() { [ -f "$1/redis.pid" ] && kill "$(cat "$1/redis.pid")" 2>/dev/null || true; }
