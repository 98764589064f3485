#!/usr/bin/env bash
# What each part of the entity pack costs, in instructions counted by
# callgrind with all it calls (C helpers, regexes, allocation): each
# family's post step, and each family's rules' value() functions, over
# every tenth cleaned dev article. Where lua_ipb.sh gives the pack's one
# figure and lua_lines.sh how often its lines run, this says where the
# instructions go by part (docs/performance-rounds.md, fifteenth round).
# Not part of ctest: it takes a few minutes.
#
#   bash bench/lua_parts.sh
#   bash bench/lua_parts.sh rule:person-honorific rule:byline post:persons
#   TEXTMILL=build-x/textmill bash bench/lua_parts.sh
#
# With arguments it counts those parts instead: post:FAMILY, rules:FAMILY
# (all of a family's value() functions), rule:NAME (the value() of the
# rules of that name, in whichever family), fn:MODULE.NAME (a function of
# a module's table, counted where it is called through the table:
# names.thing_before, not a local copy made when the module loaded).
#
# Callgrind names C functions, not Lua ones. Each part is run through a C
# function of the Lua library that nothing else in the pack calls, whose
# count with all it calls callgrind then gives: xpcall (the stage's
# guarded_xpcall), a coroutine (lua_resume), load with the part in its
# reader (lua_load) and tostring of a table whose __tostring runs it
# (luaL_tolstring): four parts a run. The pack runs unchanged, as a
# trusted script, from a copy beside a small entry script that wraps the
# parts before the pack's init. What the wrapping itself costs a call is
# measured by a run that wraps an empty function 20,000 times, and taken
# off. The seed of Lua's hashes is fixed, as in lua_ipb.sh.
# Needs valgrind and a C compiler.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lua_counted.sh"
counted_setup lua_parts

pack_copy
cat >"$work/pack/parts.lua" <<'LUA'
-- Runs defence_vi.lua (beside this file) with up to four of its parts
-- (options.parts: "post:FAMILY", "rules:FAMILY", "rule:NAME" or
-- "fn:MODULE.NAME") each run through its own C function of the Lua
-- library; options.empty: that many calls of each on an empty function,
-- at init, to measure the wrapping itself.
local here = debug.getinfo(1, "S").source:match("^@(.*/)")
dofile(here .. "defence_vi.lua")
local pack_init = init
local pack, unpack = table.pack, table.unpack

local function rethrow(ok, ...)
  if not ok then error((...), 0) end
  return ...
end
local FAMILIES = { "locations", "orgs", "titles", "persons", "dates", "quantities", "abbreviations", "events", "legal" }
-- A part's results are kept in locals, not a table: an allocation inside
-- a mark's C function would run collector steps there, whose cost the
-- calibration sees in another state of the heap. (value() returns at
-- most four values; a post step none.)
local n, r1, r2, r3, r4
local function keep(...)
  n, r1, r2, r3, r4 = select("#", ...), ...
  if n > 4 then error("lua_parts: a part returned more than four values", 0) end
end
local function results() return r1, r2, r3, r4 end
local MARKS = {
  function(f, ...) return rethrow(xpcall(f, debug.traceback, ...)) end,
  function(f, ...) return coroutine.wrap(f)(...) end,
  function(f, ...)
    n = nil
    local a, b, c, d, e, g, h, k = ...
    local ok, err = load(function()
      if not n then keep(f(a, b, c, d, e, g, h, k)) end
      return nil
    end)
    if not n then error(err, 0) end
    return results()
  end,
  function(f, ...)
    local a, b, c, d, e, g, h, k = ...
    tostring(setmetatable({}, { __tostring = function() keep(f(a, b, c, d, e, g, h, k)); return "" end }))
    return results()
  end,
}

function init(options)
  for i, part in ipairs(options.parts or {}) do
    local kind, name = part:match("^(%a+):([%w%-_.]+)$")
    local mark, found = MARKS[i], false
    if kind == "fn" then
      local module, field = name:match("^([%w_]+)%.([%w_]+)$")
      local m = module and require(module)
      local f = m and m[field]
      if type(f) == "function" then
        m[field] = function(...) return mark(f, ...) end
        found = true
      end
    end
    for _, family in ipairs(FAMILIES) do
      local m = require(family)
      if kind == "post" and family == name then
        local f = m.post
        m.post = function(E, cx) return mark(f, E, cx) end
        found = true
      elseif kind == "rules" and family == name or kind == "rule" then
        found = found or kind == "rules"   -- (a family may have no value() at all)
        for _, r in ipairs(m.rules) do
          local f = r.value
          if f and (kind == "rules" or r.name == name) then
            r.value = function(...) return mark(f, ...) end
            found = true
          end
        end
      end
    end
    if not found then error("lua_parts: no part " .. part, 0) end
  end
  -- (measured once the pack is loaded: the heap as the parts find it)
  local empty = options.empty or 0
  options.parts, options.empty = nil, nil
  local done = pack(pack_init(options))
  local nothing = function() end
  for _, mark in ipairs(MARKS) do
    for _ = 1, empty do mark(nothing, 1, 2, 3) end
  end
  return unpack(done, 1, done.n)
end
LUA

# run NAME PARTS EMPTY: a callgrind run of the pack with those parts marked
run() {
  pack_config "$work/$1.yaml" parts.lua "parts: [$2], empty: $3" "$work/$1.out.jsonl"
  counted_tree "$work/$1.yaml" "$1" >"$work/$1.total"
}

parts=("$@")
if [ ${#parts[@]} -eq 0 ]; then
  families=(locations orgs titles persons dates quantities abbreviations events legal)
  posts=(locations orgs titles persons abbreviations legal)   # the families with a post step
  for f in "${posts[@]}"; do parts+=("post:$f"); done
  for f in "${families[@]}"; do parts+=("rules:$f"); done
fi

run calibrate "" 20000
run plain "" 0
n=0
for ((i = 0; i < ${#parts[@]}; i += 4)); do
  n=$((n + 1))
  run "parts$n" "$(IFS=,; echo "${parts[*]:i:4}")" 0
done

python3 - "$root/bench" "$work" "$n" "${parts[@]}" <<'PY'
import functools, sys
sys.path.insert(0, sys.argv[1])
from callgrind_tree import edges
work, runs, parts = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
MARKS = ["guarded_xpcall", "lua_resume", "lua_load", "luaL_tolstring"]

@functools.lru_cache(maxsize=None)
def tree(name):
    return edges(f"{work}/{name}.tree")

def calls_into(name, mark):
    """Instructions and calls of mark's function, summed over its callers."""
    ir = calls = 0
    for (_, callee), (i, c) in tree(name).items():
        if callee == mark:
            ir, calls = ir + i, calls + c
    return ir, calls

def total(name):
    return int(open(f"{work}/{name}.total").read())

plain = total("plain")
base = {}
for mark in MARKS:
    # its calls outside the parts (loading the pack's files, tostring of a
    # string), the same in every run, and what wrapping costs a call
    ir, calls = calls_into("calibrate", mark)
    before, before_calls = calls_into("plain", mark)
    base[mark] = ((ir - before) / 20000, before, before_calls)
rows = []
for i, part in enumerate(parts):
    run, mark = f"parts{i // 4 + 1}", MARKS[i % 4]
    ir, calls = calls_into(run, mark)
    own, before, before_calls = base[mark]
    calls -= before_calls
    rows.append((ir - before - own * calls, part, calls))
print(f"the pack over the tenth set: {plain / 1e6:,.1f} M instructions in all (start-up included)")
print(f"the wrapping, a call: " + ", ".join(f"{m} {base[m][0]:,.0f}" for m in MARKS) + " (taken off)")
width = max([22] + [len(p) for p in parts])
print(f"{'part':<{width}} {'million':>9} {'share':>6} {'calls':>8} {'a call':>9}")
for ir, part, calls in sorted(rows, reverse=True):
    print(f"{part:<{width}} {ir / 1e6:9.1f} {100 * ir / plain:5.1f}% {calls:8,} {ir / max(calls, 1):9,.0f}")
PY
