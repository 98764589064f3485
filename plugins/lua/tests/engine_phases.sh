# The rule library on the engine, through the CLI: a shape written as a Lua
# pattern runs as a regex, a pattern it cannot translate is an error naming
# the rule, and rules.phases refuses a step that reads what nothing makes
# (when the pack starts) or changes a type it did not declare (per document).
. "$TM_SOURCE_DIR/tests/integration/lib.bash"

cat >"$WORK/shapes.lua" <<'LUA'
local rules = require("rules")
local pack = rules.pack({
  { type = "TWO", name = "two-digits", on = "N", shape = "^%d%d$" },
  { type = "PCT", name = "percent", on = "N", shape = "^[%d.,]+$", after = [[ ?%]] },
}, { tokens = { N = [[[0-9][0-9.,]*]] } })
process = rules.process(pack)
LUA
run_tm 0 try "$WORK/shapes.lua" --json --text "Năm 2024 có 42 xã, 3,5 % và 7."
python3 - "$WORK/out" <<'PY'
import json, sys
ents = json.load(open(sys.argv[1]))["entities"]
got = sorted((e["type"], e["text"]) for e in ents)
assert got == [("PCT", "3,5"), ("TWO", "42")], got
PY

cat >"$WORK/bad_shape.lua" <<'LUA'
local rules = require("rules")
rules.pack({ { type = "X", name = "balanced", on = "N", shape = "%b()" } }, { tokens = { N = "[0-9]+" } })
function process() end
LUA
run_tm 2 try "$WORK/bad_shape.lua" --text "1"
expect_err 'rule balanced: shape "%b()": %b; write the shape as a textmill.regex'

cat >"$WORK/early.lua" <<'LUA'
local rules = require("rules")
rules.phases({ { name = "titles-first", reads = { "TITLE" }, writes = { "PERSON" }, run = function() end } },
             { from = { "PERSON" } })
function process() end
LUA
run_tm 2 try "$WORK/early.lua" --text "1"
expect_err 'phase titles-first reads TITLE, which no rule and no earlier phase makes'

cat >"$WORK/sneaky.lua" <<'LUA'
local rules = require("rules")
local ph = rules.phases({ { name = "sneaky", reads = { "PERSON" }, writes = { "PERSON" },
                            run = function(E) E.LOCATION = {} end } })
function process(doc) ph:run({ PERSON = {} }, { text = doc.text }) end
LUA
run_tm 3 try "$WORK/sneaky.lua" --text "abc"
expect_err 'phase sneaky changed LOCATION entities, which it does not declare in writes'
# A type a phase adds is caught as it is set on E (a metatable on E for
# the run, taken off after); an E with a metatable of its own keeps it and
# is read with a pass over its keys instead: both catch the same step.
cat >"$WORK/adds.lua" <<'LUA'
local rules = require("rules")
local ph = rules.phases({
  { name = "adds", reads = { "A" }, writes = { "A", "B" }, run = function(E) E.B = { { type = "B", start = 3, stop = 4 } } end },
  { name = "then-sneaks", reads = { "A" }, writes = { "A" }, run = function(E) if E.A.sneak then E.C = {} end end } })
function process(doc)
  local E = { A = {} }
  ph:run(E, {})
  assert(getmetatable(E) == nil and E.B[1].start == 3)
  local own = {}
  local F = setmetatable({ A = {} }, own)
  ph:run(F, {})
  assert(getmetatable(F) == own and F.B[1].start == 3)
  ph:run(setmetatable({ A = { sneak = true } }, own), {})
end
LUA
run_tm 3 try "$WORK/adds.lua" --text "abc"
expect_err 'phase then-sneaks changed C entities, which it does not declare in writes'
# The tables that hold what E had before each phase live as long as the
# phases: a run that stopped on an error leaves no type behind for the next
# (B here), and the next run still catches a phase that removes one.
cat >"$WORK/reused.lua" <<'LUA'
local rules = require("rules")
local ph = rules.phases({
  { name = "fails", reads = { "A" }, writes = { "A" }, run = function(E) if E.A.fail then error("boom", 0) end end },
  { name = "drops", reads = { "A" }, writes = { "A" }, run = function(E) if E.A.drop then E.C = nil end end } })
function process(doc)
  local ok, err = pcall(ph.run, ph, { A = { fail = true }, B = {} }, {})
  assert(not ok and err == "boom", tostring(err))
  ph:run({ A = {} }, {})
  ph:run({ A = { drop = true }, C = {} }, {})
end
LUA
run_tm 3 try "$WORK/reused.lua" --text "abc"
expect_err 'phase drops removed the C entities, which it does not declare in writes'
# A list a phase changed comes back in text order (by start, the longer
# first, then by type), also where only the tie-breaks are out of order;
# one already in order is left as it is.
cat >"$WORK/order.lua" <<'LUA'
local rules = require("rules")
local function spans(l)
  local t = {}
  for i, x in ipairs(l) do t[i] = x.type .. x.start .. "-" .. x.stop end
  return table.concat(t, " ")
end
local ph = rules.phases({ { name = "reorders", reads = { "A", "B", "C" }, writes = { "A", "B", "C", "D" },
  run = function(E)
    E.A = { { type = "A", start = 1, stop = 3 }, { type = "A", start = 1, stop = 9 } }
    E.D = { { type = "D", start = 5, stop = 6 }, { type = "D", start = 1, stop = 2 } }   -- a type of its own
    E.B = { { type = "Y", start = 4, stop = 6 }, { type = "X", start = 4, stop = 6 } }
    E.C[#E.C + 1] = { type = "C", start = 20, stop = 22 }
    E.C[#E.C + 1] = { type = "C", start = 2, stop = 5 }
  end } })
function process(doc)
  local E = { A = {}, B = {}, C = { { type = "C", start = 8, stop = 9 } } }
  ph:run(E, {})
  assert(spans(E.A) == "A1-9 A1-3", spans(E.A))
  assert(spans(E.B) == "X4-6 Y4-6", spans(E.B))
  assert(spans(E.C) == "C2-5 C8-9 C20-22", spans(E.C))
  assert(spans(E.D) == "D1-2 D5-6", spans(E.D))
  doc:add_entity { type = "OK", start = 1, stop = 1 }
end
LUA
run_tm 0 try "$WORK/order.lua" --text "abc"
# rules.drop walks each other list once (all in text order); it drops the
# same entities as testing each one against every entity of the others,
# on random lists with nested, touching and equal spans.
cat >"$WORK/drop.lua" <<'LUA'
local rules = require("rules")
local textmill = require("textmill")
local function random_list(type, n)
  local l = {}
  for i = 1, n do
    local s = math.random(1, 60)
    l[i] = { type = type, start = s, stop = s + math.random(0, 12) }
  end
  return textmill.sort_spans(l)
end
local function naive(list, others, inside)
  local kept = {}
  for _, x in ipairs(list) do
    local gone = false
    for _, l in ipairs(others) do
      for _, y in ipairs(l) do
        if inside and (y.start <= x.start and x.stop <= y.stop)
           or not inside and (x.start <= y.stop and y.start <= x.stop) then gone = true end
      end
    end
    if not gone then kept[#kept + 1] = x end
  end
  return kept
end
local function same(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do if a[i] ~= b[i] then return false end end
  return true
end
function process(doc)
  math.randomseed(7)
  for round = 1, 400 do
    local inside = round % 2 == 0
    local E = { Q = random_list("Q", math.random(0, 8)), D = random_list("D", math.random(0, 6)),
                T = random_list("T", math.random(0, 3)) }
    local want = naive(E.Q, { E.D, E.T }, inside)
    local op = rules.drop(inside and { type = "Q", inside = { "D", "T" } } or { type = "Q", overlapping = { "D", "T" } })
    op.run(E)
    assert(same(E.Q, want), "round " .. round)
  end
  doc:add_entity { type = "OK", start = 1, stop = 1 }
end
LUA
run_tm 0 try "$WORK/drop.lua" --text "abc"
echo ok
