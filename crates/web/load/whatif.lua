-- wrk script: what-if recomputations on an imported election, each request a different
-- question (moves 1..N votes from one list to another), so nothing can be served from a cache.
--
--   WEB_ELECTION=tk2021 wrk -t1 -c1 -d10s --latency -s whatif.lua http://127.0.0.1:8080
local id = os.getenv("WEB_ELECTION") or "tk2021"
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", "/verkiezingen/" .. id .. "/wat-als?van=4&naar=6&aantal=" .. (100 + n % 50000))
end
