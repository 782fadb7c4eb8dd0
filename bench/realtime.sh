#!/usr/bin/env bash
# Real-time delivery at scale, not a test: N WebSocket connections (the official JavaScript client)
# receiving chat messages in one group conversation and a gift storm's leaderboard.changed. Prints
# delivery latency p50/p99 (receipt time minus the event's server time, same machine clock),
# deliveries per second and the service's memory per connection.
#   bench/realtime.sh [connections=2000] [messages=20]
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${1:-2000} messages=${2:-20}
pg_port=56452 app_port=5082
. bench/lib.sh
bench_setup
(cd tests/js && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
# ES modules resolve packages beside the script: run a copy next to the test client's node_modules.
mkdir -p "$work/js" && cp bench/realtime.mjs "$work/js/" && ln -s "$PWD/tests/js/node_modules" "$work/js/node_modules"

start_app RATE_LIMIT_ENABLED=false LOG_LEVEL=warn Chat__MaxMembers=$((conns + 1)) Chat__MessagesPerMinute=100000
echo "seeding $conns users..."
seed_users "$conns" 10000000
base="http://127.0.0.1:$app_port"
first_token=$(head -n 1 "$work/users.txt" | cut -d' ' -f2)
members=$(tail -n +2 "$work/users.txt" | cut -d' ' -f1 | python3 -c 'import json,sys; print(json.dumps([l.strip() for l in sys.stdin if l.strip()]))')
conversation=$(curl -sf "$base/api/chat/conversations" -H "authorization: Bearer $first_token" -H 'content-type: application/json' \
  -d "{\"memberIds\":$members,\"title\":\"bench\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
# A creator to gift, and a token per sender for the storm.
creator=$(python3 bench/seed.py "$base" 1 0 | cut -d' ' -f1)
run_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d superapp -qc \
  "UPDATE users SET role = 'creator', tier = 'creator' WHERE id = '$creator'" >/dev/null

rss_before=$(ps -o rss= -p "$app_pid")
echo "connecting $conns clients..."
BASE_URL=$base USERS_FILE=$work/users.txt CONVERSATION_ID=$conversation MESSAGES=$messages CONNECTED_FILE=$work/connected \
  node "$work/js/realtime.mjs" >"$work/realtime.json" 2>"$work/realtime.err" &
node_pid=$!
for _ in $(seq 600); do [ -f "$work/connected" ] && break; sleep 0.2; done
rss_connected=$(ps -o rss= -p "$app_pid")
# The gift storm, while messages flow: 200 gifts to one creator from the seeded users.
python3 - "$base" "$work/users.txt" "$creator" <<'PY' &
import json, sys, urllib.request, uuid
from concurrent.futures import ThreadPoolExecutor
base, users, creator = sys.argv[1], [l.split() for l in open(sys.argv[2])][:200], sys.argv[3]
def gift(u):
    req = urllib.request.Request(base + "/api/gift/send", method="POST",
        data=json.dumps({"recipientId": creator, "giftType": "rose"}).encode())
    req.add_header("Content-Type", "application/json"); req.add_header("Authorization", "Bearer " + u[1])
    req.add_header("Idempotency-Key", str(uuid.uuid4()))
    try: urllib.request.urlopen(req).read()
    except Exception: pass
with ThreadPoolExecutor(8) as pool: list(pool.map(gift, users))
PY
storm_pid=$!
wait "$node_pid" || true
wait "$storm_pid" || true
cat "$work/realtime.err" | tail -3 >&2
python3 - "$work/realtime.json" "$rss_before" "$rss_connected" "$conns" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
before, after, n = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for k in ["connections", "messages", "delivered", "expected", "deliveredPerSecond", "messageP50", "messageP99", "messageMax",
          "leaderboardUpdates", "leaderboardP50", "leaderboardP99"]:
    print(f"{k:<28} {r[k]}")
print(f"{'memory per connection (KB)':<28} {(after - before) / max(n, 1):.1f}  (RSS {before} KB -> {after} KB)")
print(f"{'target':<28} message p99 < 50 ms at 2,000 connections")
PY
