-- wrk reporter: one machine-readable line with counts, errors and latency percentiles (microseconds).
-- The human-readable `--latency` output stays as it is; bench/run greps the WRK_JSON line.
done = function(summary, latency, requests)
  local e = summary.errors
  local parts = {}
  for _, p in ipairs({50, 75, 90, 95, 99, 99.9, 99.99}) do
    parts[#parts + 1] = string.format('"p%s":%d', tostring(p), latency:percentile(p))
  end
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latency_us":{"min":%d,"mean":%.1f,"max":%d,"stdev":%.1f,%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max, latency.stdev, table.concat(parts, ",")))
end
