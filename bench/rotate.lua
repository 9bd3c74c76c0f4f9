-- wrk script for Zhurnal's benchmark harness (bench/run.py writes the request list).
--
-- Each line of the list file is one request: METHOD <TAB> PATH <TAB> HEADER <TAB> BODY,
-- where HEADER is "Cookie: …", "Authorization: Bearer …" or empty, and BODY may hold
-- {v}, replaced by a mark value that changes on every use (so every write is a change).
-- Every wrk thread walks the list from its own offset, so many different users are served
-- at once and no single user's data stays hot. At the end one JSON line reports the run.

local list_file = os.getenv("ZHURNAL_BENCH_LIST")
local requests = {}
local counter = 0
local thread_no = 0
local threads = {}

local function split(line)
  local out = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    out[#out + 1] = field
  end
  return out
end

function setup(thread)
  thread:set("offset", thread_no * 7919)
  thread_no = thread_no + 1
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(list_file) do
    if line ~= "" then
      local f = split(line)
      local headers = {}
      if f[3] ~= nil and f[3] ~= "" then
        local name, value = f[3]:match("^([^:]+):%s*(.*)$")
        headers[name] = value
      end
      if f[4] ~= nil and f[4] ~= "" then
        headers["Content-Type"] = "application/json"
      end
      requests[#requests + 1] = { method = f[1], path = f[2], headers = headers, body = f[4] or "" }
    end
  end
  counter = offset or 0
end

local values = { "5", "4", "3", "4" }

function request()
  counter = counter + 1
  local r = requests[(counter % #requests) + 1]
  local body = nil
  if r.body ~= "" then
    body = r.body:gsub("{v}", values[(counter % #values) + 1])
  end
  return wrk.format(r.method, r.path, r.headers, body)
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
