"""Turns the first C seeded users into creators (through the admin API) and gives each K published
pieces of content at the lowest price. Reads "id token" lines; writes creators.txt, buyers.txt and
contents.txt into OUT_DIR. Usage: purchase_seed.py BASE_URL USERS_FILE C K ADMIN_EMAIL ADMIN_PASSWORD OUT_DIR"""
import json, sys, urllib.request, uuid
from concurrent.futures import ThreadPoolExecutor

base, users_file, creators, per_creator, email, password, out = sys.argv[1:8]
creators, per_creator = int(creators), int(per_creator)

def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    req.add_header("Idempotency-Key", uuid.uuid4().hex)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.load(r)

admin = call("POST", "/api/auth/login", {"login": email, "password": password})["accessToken"]
users = [line.split() for line in open(users_file) if line.strip()]
makers, buyers = users[:creators], users[creators:]

def make_creator(user):
    uid, token = user
    call("PATCH", f"/api/admin/users/{uid}", {"role": "creator"}, admin)
    ids = []
    for i in range(per_creator):
        body = {"title": f"Bench piece {i}", "category": "other", "price": 500, "subscriberOnly": False}
        content = call("POST", "/api/premium", body, token)
        call("POST", f"/api/premium/{content['id']}/publish", None, token)
        ids.append(content["id"])
    return ids

with ThreadPoolExecutor(8) as pool:
    contents = [i for ids in pool.map(make_creator, makers) for i in ids]

open(f"{out}/creators.txt", "w").writelines(f"{u} {t}\n" for u, t in makers)
open(f"{out}/buyers.txt", "w").writelines(f"{u} {t}\n" for u, t in buyers)
open(f"{out}/contents.txt", "w").writelines(f"{c}\n" for c in contents)
