-- wrk script: complete Quick Scan submissions through the public link, on the real path.
--
-- Every connection plays respondents one after the other:
--   1. POST /vragenlijst/p/CODE                 start (new anonymous session; rate-limited)
--   2. POST /vragenlijst/d/RESUME/stap/1        answers on step 1 (saved as draft)
--   3. POST /vragenlijst/d/RESUME/stap/7        open answer on step 7 (saved as draft)
--   4. POST /vragenlijst/d/RESUME/versturen     the submission (one transaction)
-- Run with one connection per thread (-t N -c N): the state below is per thread.
--
--   QS_PUBLIC=/vragenlijst/p/CODE wrk -t8 -c8 -d20s --latency -s submit.lua http://127.0.0.1:8080
--
-- The CSRF check is the double-submit cookie: any 64-hex token in cookie and form field.

local csrf = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
local public = os.getenv("QS_PUBLIC") or error("set QS_PUBLIC=/vragenlijst/p/CODE")
local headers = {
  ["Cookie"] = "stembus_csrf=" .. csrf,
  ["Content-Type"] = "application/x-www-form-urlencoded",
}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  state = 0
  base = nil
  submitted = 0
  failed = 0
  n = 0
end

function request()
  if state == 0 or base == nil then
    state = 0
    return wrk.format("POST", public, headers, "_csrf=" .. csrf)
  elseif state == 1 then
    return wrk.format("POST", base .. "/stap/1", headers,
      "_csrf=" .. csrf .. "&part_weten=4&part_meedenken=3&part_meebeslissen=2&ga=volgende")
  elseif state == 2 then
    n = n + 1
    return wrk.format("POST", base .. "/stap/7", headers,
      "_csrf=" .. csrf .. "&prio_tip=Meer+buurtavonden+" .. n .. "&ga=volgende")
  else
    return wrk.format("POST", base .. "/versturen", headers, "_csrf=" .. csrf)
  end
end

function response(status, hdrs, body)
  local loc = hdrs["location"] or hdrs["Location"]
  if state == 0 then
    if status == 303 and loc then
      base = string.gsub(loc, "/stap/1$", "")
      state = 1
    else
      failed = failed + 1
    end
  elseif state == 1 or state == 2 then
    if status == 303 then state = state + 1 else failed = failed + 1; state = 0 end
  else
    if status == 303 and loc and loc:sub(1, 20) == "/vragenlijst/bedankt" then
      submitted = submitted + 1
    else
      failed = failed + 1
    end
    state = 0
  end
end

function done(summary, latency, requests)
  local subs, fails = 0, 0
  for _, t in ipairs(threads) do
    subs = subs + t:get("submitted")
    fails = fails + t:get("failed")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("submissions: %d in %.1f s = %.0f submissions/s; failed steps: %d\n",
    subs, secs, subs / secs, fails))
  io.write(string.format("requests: %d = %.0f/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
