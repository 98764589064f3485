-- Runs a script (options.script, a path) with every C
-- function it reaches called with three nils after its own arguments:
-- the textmill.* functions, the methods of what they make (regexes,
-- gazetteers, engines, span indexes), the functions they return (a
-- name cutter, an engine's bound lookups) and the document's methods.
-- Lua passes what a caller gives: a C function that counts its stack
-- from the top, or pushes at a fixed index, reads or writes the wrong
-- slot then (textmill.sort_spans wrote into the third argument's slot,
-- a crash). The output must be the one the script gives unwrapped:
-- plugins/lua/tests/extra_args.sh. Needs `trusted: true` (debug).
local getmetatable, pack, unpack, select = debug.getmetatable, table.pack, table.unpack, select
local methods_of = require("methods_of")
local wrapped = setmetatable({}, { __mode = "k" })   -- function -> its wrapper
local done_mt = setmetatable({}, { __mode = "k" })   -- metatables whose methods are wrapped

local wrap
local function wrap_results(...)
  local r = pack(...)
  for i = 1, r.n do r[i] = wrap(r[i]) end
  return unpack(r, 1, r.n)
end

local function wrap_methods(u)
  local mt = getmetatable(u)
  if not mt or done_mt[mt] then return end
  done_mt[mt] = true
  local methods = methods_of(u)
  if not methods then return end
  for k, f in pairs(methods) do
    if type(f) == "function" then methods[k] = wrap(f) end
  end
end

-- v, or for a C function one that calls it with three more nils; a
-- userdata's methods wrapped in place; a table of functions (e:lookups())
-- wrapped in place.
function wrap(v)
  local t = type(v)
  if t == "function" then
    if wrapped[v] or debug.getinfo(v, "S").what ~= "C" then return v end
    local function with_nils(...)
      local n = select("#", ...)
      local a = pack(...)
      return wrap_results(v(unpack(a, 1, n + 3)))
    end
    wrapped[v], wrapped[with_nils] = with_nils, with_nils
    return with_nils
  elseif t == "userdata" then
    wrap_methods(v)
  elseif t == "table" and getmetatable(v) == nil then
    for k, f in pairs(v) do
      if type(f) == "function" and debug.getinfo(f, "S").what == "C" then v[k] = wrap(f) end
    end
  end
  return v
end

for k, f in pairs(textmill) do
  if type(f) == "function" then textmill[k] = wrap(f) end
end

-- The stage takes process() when the script loads, before init: this one
-- stands in for the script's, which init loads.
local script_process
function init(options)
  local script = assert(options.script, "extra_args.lua: options.script: the script to run")
  options.script = nil
  package.path = script:match("^(.*/)") .. "?.lua;" .. package.path   -- its modules beside it
  local entry = init
  dofile(script)
  script_process = process
  if init ~= entry then return init(options) end
end
function process(doc)
  wrap_methods(doc)
  return script_process(doc)
end
