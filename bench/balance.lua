-- wrk script: GET /api/wallet/balance as random seeded users.
local users = {}

function init(args)
  for line in io.lines(args[1]) do
    local id, token = line:match("(%S+) (%S+)")
    table.insert(users, { id = id, token = token })
  end
end

function request()
  local u = users[math.random(#users)]
  return wrk.format("GET", "/api/wallet/balance", { ["Authorization"] = "Bearer " .. u.token })
end
