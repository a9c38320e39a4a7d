-- wrk -s pipeline.lua: sends DEPTH requests (default 16) for the URL's path back to back on each
-- connection, as TechEmpower's plaintext test does.
local depth = tonumber(os.getenv("DEPTH") or "16")
init = function(args)
    local r = {}
    for i = 1, depth do r[i] = wrk.format(nil) end
    req = table.concat(r)
end
request = function() return req end
