# Shared by the benchmarks (sourced): a Release build of the service on a throwaway PostgreSQL,
# seeded users, and wrk/pgbench output parsing. Everything listens on 127.0.0.1 only.
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/services.sh"

bench_setup() {
  ensure_packages wrk || exit 1
  command -v pgbench >/dev/null || { echo "error: pgbench missing (postgresql-contrib)" >&2; exit 1; }
  work=$(mktemp -d /tmp/superapp-bench.XXXXXX); chmod 755 "$work"
  trap 'bench_teardown' EXIT
  # A large WAL allowance keeps checkpoints out of the measured phases: otherwise one lands at a random point and
  # its write burst decides which route looks slow.
  start_postgres "$work" "$pg_port" -c max_connections=300 -c shared_buffers=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min
  run_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE superapp" -c "CREATE DATABASE pgbench"
  export DATABASE_URI="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=superapp;Maximum Pool Size=100"
  export ASPNETCORE_ENVIRONMENT=Production JWT_SECRET=bench-secret-bench-secret-bench-secret-0123 PORT=$app_port
  export SOCKET_IO_SECRET=bench-socket-secret-bench-socket-secret-0123
  export Auth__PasswordHashIterations=100000 Payments__SandboxEnabled=true Payments__SandboxSecret=bench-sandbox-secret-0123456789 Payments__SandboxPayEndpoint=true Logging__File__Directory="$work/logs"
  # Published the way the README deploys it (ReadyToRun), so start-up JIT does not skew the figures.
  dotnet publish src/SuperApp -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/app" -v q -nologo >/dev/null
  app_dll=$work/app/superapp.dll
  dotnet "$app_dll" migrate >/dev/null
}

bench_teardown() {
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  stop_postgres "$work"; stop_redis "$work"; rm -rf "$work"
}

# start_app [ENV=VALUE...]: runs the service with extra environment and waits until it is ready.
start_app() {
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  env "$@" dotnet "$app_dll" >"$work/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$app_port/api/health/ready" >/dev/null && return 0; sleep 0.2; done
  echo "error: service did not become ready" >&2; tail -20 "$work/app.log" >&2; exit 1
}

# seed_users N AMOUNT: registers N users and tops each up through the sandbox payment path.
# Writes "id token" lines to $work/users.txt.
seed_users() { python3 bench/seed.py "http://127.0.0.1:$app_port" "$1" "$2" >"$work/users.txt"; }

# Prints "rps p50 p99" from wrk --latency output (latencies in ms).
wrk_summary() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {non2xx.group(1) if non2xx else 0}")
PY
}
