"""Registers N users through the API and tops each up through the sandbox payment path, in parallel.
Prints "id token" lines. Usage: seed.py BASE_URL N AMOUNT"""
import json, sys, time, urllib.error, urllib.request, uuid
from concurrent.futures import ThreadPoolExecutor

base, count, amount = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
run = uuid.uuid4().hex[:6]  # lets a second run seed the same database

def call(method, path, body=None, token=None, key=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if key:
        req.add_header("Idempotency-Key", key)
    for attempt in range(500):
        try:
            with urllib.request.urlopen(req) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            # 503 AUTH_BUSY: the hashing bulkhead is full; wait as told and try again.
            if e.code != 503 or attempt == 499:
                raise
            time.sleep(float(e.headers.get("Retry-After", "1")) * 0.2)

def seed(i):
    reg = call("POST", "/api/auth/register", {"email": f"b{run}{i}@bench.test", "username": f"b{run}{i}", "password": "bench-password"})
    token, uid = reg["accessToken"], reg["user"]["id"]
    if amount > 0:
        topup = call("POST", "/api/wallet/topup", {"amount": amount, "provider": "sandbox"}, token, f"seed-{run}-{i}")
        call("POST", f"/api/payments/sandbox/{topup['topupId']}/pay", None, token)
    return f"{uid} {token}"

with ThreadPoolExecutor(8) as pool:
    for line in pool.map(seed, range(count)):
        print(line)
