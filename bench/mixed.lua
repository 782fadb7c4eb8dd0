-- wrk script: money and read routes at a steady pace, as random seeded users: GET /api/wallet/balance
-- and POST /api/wallet/transfer (1 minor unit, fresh Idempotency-Key) in turn. PACE_MS (default 100)
-- is each connection's pause between requests, so the rate is about connections x 1000 / PACE_MS.
local users = {}
local counter = 0
local threads = {}
local pace = tonumber(os.getenv("PACE_MS") or "100")

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local id, token = line:match("(%S+) (%S+)")
    table.insert(users, { id = id, token = token })
  end
  math.randomseed(os.time() + thread_id * 7919)
end

function delay()
  return pace
end

function request()
  counter = counter + 1
  local from = users[math.random(#users)]
  if counter % 2 == 0 then
    return wrk.format("GET", "/api/wallet/balance", { ["Authorization"] = "Bearer " .. from.token })
  end
  local to = users[math.random(#users)]
  while to == from do to = users[math.random(#users)] end
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. from.token,
    ["Idempotency-Key"] = string.format("mix-%d-%d-%d", thread_id, counter, math.random(1e9)),
  }
  return wrk.format("POST", "/api/wallet/transfer", headers, '{"toUserId":"' .. to.id .. '","amount":1}')
end
