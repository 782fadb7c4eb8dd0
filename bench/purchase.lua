-- wrk script for bench/purchase.sh. Arguments: MODE BUYERS CREATORS CONTENTS OFFSET, where MODE is
-- gift-many (a rose to one of the creators at random), gift-one (a rose, always to the first creator)
-- or unlock (buyer/content pairs that never repeat: pair OFFSET + n, spread over threads).
local mode, buyers, creators, contents, offset = nil, {}, {}, {}, 0
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

local function users(path)
  local list = {}
  for line in io.lines(path) do
    local id, token = line:match("(%S+) (%S+)")
    table.insert(list, { id = id, token = token })
  end
  return list
end

function init(args)
  mode, buyers, creators = args[1], users(args[2]), users(args[3])
  for line in io.lines(args[4]) do table.insert(contents, line) end
  offset = tonumber(args[5])
  math.randomseed(os.time() + thread_id * 7919)
end

local function post(path, token, body)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d-%d", mode, thread_id, counter, math.random(1e9)),
  }
  return wrk.format("POST", path, headers, body)
end

function request()
  counter = counter + 1
  if mode == "unlock" then
    -- Two threads: thread 1 takes the even pairs, thread 2 the odd ones.
    local pair = offset + (counter - 1) * 2 + (thread_id - 1)
    -- Consecutive pairs go to different content and to different buyers: one buyer's purchases are checked one
    -- after another (their daily_spend row), so requests in flight together must not share a buyer. Pair
    -- q * #contents + c is content c and buyer (q * (#contents + 1) + c) % #buyers: distinct pairs while
    -- #contents + 1 and #buyers share no factor (200 pieces and 1,000 buyers by default).
    local content = contents[pair % #contents + 1]
    local buyer = buyers[(pair + math.floor(pair / #contents)) % #buyers + 1]
    return post("/api/premium/" .. content .. "/unlock", buyer.token, "")
  end
  local buyer = buyers[math.random(#buyers)]
  local to = mode == "gift-one" and creators[1] or creators[math.random(#creators)]
  return post("/api/gift/send", buyer.token, '{"recipientId":"' .. to.id .. '","giftType":"rose","quantity":1}')
end

local shown = 0
function response(status, headers, body)
  if status >= 300 and shown < 3 and os.getenv("SHOW_ERRORS") then
    shown = shown + 1
    io.stderr:write(status .. " " .. body .. "\n")
  end
end
