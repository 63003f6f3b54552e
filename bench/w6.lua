-- W6 (bench/w6.py): wrk rotates through the requests of one endpoint, written by w6.py into a file
-- named after "--": one request a line, tab-separated: method, path, body (may be empty), headers.
-- Each thread starts at its own place in the list so that threads do not move in step. "{n}" in a
-- body becomes 8 digits that differ on every send (thread and count), as w6.phone_digits computes,
-- so that every write is a real change.
-- done() prints one line "W6 {json}" for w6.py to read: wrk's own summary and latency percentiles.

local counter = 0

function setup(thread)
   thread:set("start", counter)
   counter = counter + 1
end

local function split(line, sep)
   local out, from = {}, 1
   while true do
      local at = string.find(line, sep, from, true)
      if not at then
         table.insert(out, string.sub(line, from))
         return out
      end
      table.insert(out, string.sub(line, from, at - 1))
      from = at + 1
   end
end

local requests = {}
local i = 0
local sent = 0

function init(args)
   for line in io.lines(args[1]) do
      if line ~= "" then
         local f = split(line, "\t")
         local headers = {}
         for k = 4, #f do
            local colon = string.find(f[k], ": ", 1, true)
            headers[string.sub(f[k], 1, colon - 1)] = string.sub(f[k], colon + 2)
         end
         local body = f[3] ~= "" and f[3] or nil
         if body and string.find(body, "{n}", 1, true) then
            table.insert(requests, {method = f[1], path = f[2], headers = headers, body = body})
         else
            table.insert(requests, wrk.format(f[1], f[2], headers, body))
         end
      end
   end
   i = start % #requests
end

function request()
   i = i % #requests + 1
   local r = requests[i]
   if type(r) == "string" then
      return r
   end
   sent = sent + 1
   local digits = string.format("%08d", (start * 10000000 + sent) % 100000000)
   return wrk.format(r.method, r.path, r.headers, (string.gsub(r.body, "{n}", digits)))
end

function done(summary, latency, _requests)
   local e = summary.errors
   local p = {}
   for _, q in ipairs({50, 90, 95, 99, 99.9}) do
      table.insert(p, string.format('"%s": %.3f', q, latency:percentile(q) / 1000))
   end
   io.write(string.format(
      'W6 {"requests": %d, "seconds": %.3f, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
      '"status": %d, "timeout": %d, "latency_ms": {%s}, "max_ms": %.3f}\n',
      summary.requests, summary.duration / 1e6, summary.bytes, e.connect, e.read, e.write, e.status,
      e.timeout, table.concat(p, ", "), latency.max / 1000))
end
