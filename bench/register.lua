-- wrk script: a sign-up storm, each request a new account. PACE_MS (default 200) is each connection's
-- pause between requests. Counts answers by status for the summary (printed at the end).
local counter = 0
local threads = {}
local pace = tonumber(os.getenv("PACE_MS") or "200")
local run = os.getenv("RUN_ID") or "r"

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function delay()
  return pace
end

function request()
  counter = counter + 1
  local name = string.format("s%s%d%d", run, thread_id, counter)
  local body = '{"email":"' .. name .. '@storm.test","username":"' .. name .. '","password":"storm-password-123"}'
  return wrk.format("POST", "/api/auth/register", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do totals[k] = (totals[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(totals) do table.insert(parts, k .. "=" .. v) end
  table.sort(parts)
  io.write("storm statuses: " .. table.concat(parts, " ") .. "\n")
  io.write(string.format("storm timeouts: %d\n", summary.errors.timeout))
  io.write(string.format("storm p99 (ms): %.1f\n", latency:percentile(99) / 1000))
end
