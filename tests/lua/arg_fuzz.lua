-- Calls every function of the textmill module, and every method of what
-- it makes, with arguments drawn at random from a pool of awkward values
-- (wrong types, huge and negative numbers, NaN, invalid UTF-8, spans
-- out of the text, tables whose metamethods raise, objects of another
-- kind), each call under pcall. An error is a fine answer; a crash, a
-- sanitizer's report or a hang is not. Each document sets the seed from
-- its text, so a failure replays: plugins/lua/tests/arg_fuzz.sh. Then
-- packs from rules with a field or two set so, and engines from compiled
-- rules changed so, each made, begun and found with under pcall.
-- (options.calls: calls per document)
local rules = require("rules")
local methods_of = require("methods_of")
local CALLS = 3000
function init(options) CALLS = options.calls or CALLS end

local function raising() error("raised by a metamethod", 0) end
local HOSTILE = setmetatable({}, { __index = raising, __newindex = raising, __len = raising,
                                   __tostring = raising, __eq = raising, __lt = raising })

-- value() of the base rules calls this: one random call of the round's
-- (set in process), made while the engine is finding, one deep at most.
local reenter = function() end
local depth, reentered = 0, 0
local function inside_find()
  if depth == 0 then
    depth, reentered = 1, reentered + 1
    pcall(reenter)
    depth = 0
  end
end

-- A small pack's rules, made afresh for each use (a round changes them).
local function base_rules()
  return {
    { type = "PLACE", layer = "P", name = "place", on = "PLACE" },
    { type = "PERSON", layer = "P", name = "person", on = "HON", regex = [[ (\p{Lu}\p{Ll}+)]], group = 1,
      not_before = { "đường" }, reach = 24, value = function(_, m) inside_find(); return m.text end },
    { type = "NUM", layer = "N", name = "num", on = "NUMBER", shape = "^[0-9]+$", priority = 2 },
    { type = "ORG", layer = "P", name = "org", gazetteer = { "Bộ Quốc phòng" }, args = { "start", "stop" },
      value = function(_, _, _, s, e) inside_find(); return s <= e end },
  }
end
local BASE_OPTIONS = { lexicon = { ["Hà Nội"] = "PLACE", ["Điện Biên"] = "PLACE", ["ông"] = "HON" },
                       tokens = { NUMBER = "[0-9]+" } }
-- The fields a rule may have: a round sets one or two to a value of the pool.
local RULE_FIELDS = { "type", "layer", "name", "on", "regex", "group", "gazetteer", "shape", "args", "defer",
                      "needs", "before", "not_before", "after", "not_after", "reach", "priority", "cased",
                      "value", "attrs", "follows", "check", "entry", "kinds" }

-- A pack from the base rules with a field or two of one rule set from
-- the pool, then (when it is made) the document found with it; and the
-- compiled rules so changed, given to textmill.engine itself.
local function spec_round(text, values, nvalues, doc)
  local list = base_rules()
  local r = list[math.random(#list)]
  for _ = 1, math.random(2) do r[RULE_FIELDS[math.random(#RULE_FIELDS)]] = values[math.random(nvalues)] end
  local ok, pack = pcall(rules.pack, list, BASE_OPTIONS)
  if ok then
    pcall(function()
      pack.engine:begin(text)
      pack.engine:find_by_type(doc, {})
    end)
  end
  local made = rules.pack(base_rules(), BASE_OPTIONS)
  local compiled = made.rules[math.random(#made.rules)]
  compiled[RULE_FIELDS[math.random(#RULE_FIELDS)]] = values[math.random(nvalues)]
  local ok2, e = pcall(textmill.engine, { rules = made.rules, lexicon = made.lexicon })
  if ok2 then
    pcall(function()
      e:begin(text)
      e:find(doc, {})
    end)
  end
  return ok, ok2
end

-- Objects made with valid arguments, whose methods the rounds call.
local function make_objects(text)
  local o = {}
  o.regex = textmill.regex([[(\p{Lu}[\p{Ll}\p{M}]*)(?: (\p{Lu}[\p{Ll}\p{M}]*))?]])
  o.gazetteer = textmill.gazetteer({ "Hà Nội", "Điện Biên", "Bộ Quốc phòng", "ông" },
                                   { type = "X", whole_words = true })
  local pack = rules.pack(base_rules(), BASE_OPTIONS)
  o.engine = pack.engine
  o.engine:begin(text)
  o.lookups = o.engine:lookups()
  local spans = { { start = 1, stop = 3, type = "A", layer = "A" }, { start = 2, stop = 5, type = "B", layer = "A" },
                  { start = 7, stop = 7, type = "A" } }
  o.spans = spans
  o.index = textmill.span_index(spans)
  o.cover = textmill.span_cover(spans)
  -- the closures of the pack's steps in C, each from a spec that fits
  local re, set = o.regex, { ["ông"] = true, ["đường"] = true }
  o.made = {
    list_before = textmill.list_before({ ends = set, start = re, list = re, reach = 40 }),
    thing_before = textmill.thing_before({ words = set, heads = set, head = re, reach = 40, unless = { PLACE = true } }),
    name_cutter = textmill.name_cutter({ lead = set, not_in_name = { PLACE = true }, suspect_set = set,
                                         suspect_bytes = "-", suspect_word = re, date_ahead = re,
                                         check_words = function(_, _, e) return e end }),
    foreign_names = textmill.foreign_names({ run = textmill.regex([[\G\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){1,2}]]),
                                             not_after = re, sentence_before = re, plain_first = set,
                                             thing_before = set, thing_words = set, product_before = set }),
    title_chains = textmill.title_chains({ rank_kind = "rank" }),
  }
  return o
end

local function pool(text, o, doc)
  local long = string.rep("Nguyễn Văn A, ", 700)
  return {
    nil, true, false, 0, 1, -1, 2, 3, 7, 40, 100, -100, math.maxinteger, math.mininteger,
    math.maxinteger - 1, 2 ^ 53, 1.5, -0.0, 0 / 0, math.huge, -math.huge, #text, #text + 1,
    "", "a", " ", "Hà Nội", "ông Nguyễn Văn An", "\255\254", "\225\186", "a\0b", "(", "[", "\\", "%",
    long, text, "PLACE", "PERSON", "level", "X", "start",
    {}, { 1, 2, 3 }, { "a", "b" }, { a = 1 }, { {} }, { { start = 1, stop = 2, type = "X" } },
    { { start = 2, stop = 1 } }, { { start = math.maxinteger, stop = math.mininteger, type = "X" } },
    { { start = -5, stop = 0 } }, { start = 1, stop = 3 }, { PLACE = true }, { 0 / 0 }, o.spans,
    { type = "X", start = 1, stop = 2, value = "v", attrs = { k = "v" } }, HOSTILE, { HOSTILE },
    function() end, raising, tostring, o.regex, o.gazetteer, o.engine, o.index, o.cover, doc,
    { engine = o.engine, text = text }, { engine = o.regex },
    coroutine.create(function() end), textmill,
  }
end

-- The functions to call, each with a name: the module's, the methods of
-- each object (called with that object first, or another value), the
-- lookups bound to the engine, and the closures the makers return.
local function targets(o, doc)
  local t = {}
  for name, f in pairs(textmill) do
    if type(f) == "function" then t[#t + 1] = { name = "textmill." .. name, f = f } end
  end
  for kind, obj in pairs({ regex = o.regex, gazetteer = o.gazetteer, engine = o.engine, index = o.index, doc = doc }) do
    for name, f in pairs(methods_of(obj)) do
      if type(f) == "function" and name ~= "drop" then     -- (a dropped document writes no result)
        t[#t + 1] = { name = kind .. ":" .. name, f = f, self = obj }
      end
    end
  end
  for name, f in pairs(o.lookups) do t[#t + 1] = { name = "lookup " .. name, f = f } end
  t[#t + 1] = { name = "span_cover's", f = o.cover }
  for maker, f in pairs(o.made) do t[#t + 1] = { name = maker .. "'s", f = f } end
  table.sort(t, function(a, b) return a.name < b.name end)   -- (pairs' order changes from run to run)
  return t
end

local function pick(list, n) return list[math.random(n or #list)] end

function process(doc)
  local text = doc.text
  local seed = 0
  for i = 1, #text do seed = (seed * 31 + text:byte(i)) % 2147483647 end
  math.randomseed(seed)
  local o = make_objects(text)
  local values = pool(text, o, doc)
  local nvalues = 0
  for k in pairs(values) do if k > nvalues then nvalues = k end end
  local fns = targets(o, doc)
  local failed, called = 0, 0
  -- a call of a random target with random arguments (its self first, most times)
  local function one_call()
    local t = pick(fns)
    local args, n = {}, math.random(0, 4)
    for i = 1, n do args[i] = values[math.random(nvalues)] end
    if t.self and math.random(4) > 1 then
      table.insert(args, 1, t.self)
      n = n + 1
    end
    return pcall(t.f, table.unpack(args, 1, n))
  end
  reenter, reentered = one_call, 0
  for _ = 1, CALLS do
    if math.random(30) == 1 then   -- a text where value() runs, and calls one_call inside
      pcall(function()
        o.engine:begin("Hôm qua ông Nam và ông Bình đến Bộ Quốc phòng ở Hà Nội lúc 12 giờ.")
        o.engine:find(doc, {})
      end)
    end
    local ok = one_call()
    called = called + 1
    if not ok then failed = failed + 1 end
    if math.random(50) == 1 then pcall(o.engine.begin, o.engine, text) end   -- (a random begin may have taken another text)
  end
  local packs = 0
  for _ = 1, CALLS // 20 do
    local a, b = spec_round(text, values, nvalues, doc)
    packs = packs + (a and 1 or 0) + (b and 1 or 0)
  end
  doc:set_field("arg_fuzz", { calls = called, errors = failed, functions = #fns, specs = CALLS // 20, packs = packs,
                                   reentered = reentered })
end
