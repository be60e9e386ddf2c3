-- wrk script for the harness's verification windows (never the measured ones: a response()
-- callback makes wrk hand every response to Lua, which costs it throughput). It counts
-- responses whose status is not 2xx, and those whose body is shorter than expected, in every
-- thread, and prints the totals: "status-check responses N non2xx K short S".
-- Usage: wrk ... -s status.lua URL -- EXPECTED_BODY_BYTES
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1]) or 0
  responses, non2xx, short = 0, 0, 0
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if body == nil or #body < expected then
    short = short + 1
  end
end

function done(summary, latency, requests)
  local total, bad, cut = 0, 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("responses")
    bad = bad + thread:get("non2xx")
    cut = cut + thread:get("short")
  end
  io.write(string.format("status-check responses %d non2xx %d short %d\n", total, bad, cut))
end
