-- wrk script: random transfers of 1 minor unit between seeded users, each with a fresh Idempotency-Key.
local users = {}
local counter = 0
local threads = {}

-- thread_id is a global each thread gets from setup(); a local of that name would hide it and make
-- both threads send identical key sequences.
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

function request()
  counter = counter + 1
  local from = users[math.random(#users)]
  local to = users[math.random(#users)]
  while to == from do to = users[math.random(#users)] end
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. from.token,
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", thread_id, counter, math.random(1e9)),
  }
  return wrk.format("POST", "/api/wallet/transfer", headers, '{"toUserId":"' .. to.id .. '","amount":1}')
end

local shown = 0
function response(status, headers, body)
  if status >= 300 and shown < 3 and os.getenv("SHOW_ERRORS") then
    shown = shown + 1
    io.stderr:write(status .. " " .. body .. "\n")
  end
end
