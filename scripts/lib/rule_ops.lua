-- rule_ops.lua -- what a pack does after its rules: phases that read and
-- write entities by type, the operations packs write again and again, and
-- span helpers that respect UTF-8. rules.lua re-exports all of it
-- (rules.phases, rules.again ...); docs/rules.md has examples.
--
-- The entities between phases: E, a table from type to the list of that
-- type's entities (tables with type, start, stop, value, attrs, rule), each
-- list in text order. Positions are Lua's (1-based, stop inclusive).
local textmill = require("textmill")

local ops = {}

-- ---- span helpers ----------------------------------------------------------

ops.span = {}

-- Do a and b share a byte?
function ops.span.overlaps(a, b) return a.start <= b.stop and b.start <= a.stop end

-- Does a lie inside b?
function ops.span.inside(a, b) return b.start <= a.start and a.stop <= b.stop end

-- Is b right after a, with exactly one of seps (strings) between? seps
-- defaults to one space. Returns the separator.
function ops.span.adjacent(text, a, b, seps)
  local gap = b.start - a.stop - 1
  if gap < 0 then return nil end
  local between = text:sub(a.stop + 1, b.start - 1)
  for _, sep in ipairs(seps or { " " }) do
    if between == sep then return sep end
  end
  return nil
end

-- The first span of list (in list order) that shares a byte with s..e, or
-- nil (a walk: for a few questions of a list, or a short one).
function ops.span.first_overlapping(list, s, e)
  for i = 1, #list do
    local x = list[i]
    if x.start <= e and s <= x.stop then return x end
  end
  return nil
end

-- span.cover(list) -> covers(s, e): whether a span of list shares a byte
-- with s..e. The spans appended to the list since the last question are
-- read at the next, in C, into a sorted set of the bytes covered, so that
-- a step adding many entities, each tested against those before it,
-- neither walks the list for each nor grows with the square of a long
-- document's. Spans changed or removed in place are not followed (a
-- shorter list is read again): test a new list with a new cover.
ops.span.cover = textmill.span_cover

-- Is text[s..e] a whole word: no letter, digit or byte of a character of
-- several bytes right before or after it (a short name is found inside
-- many longer words)?
local function word_byte(b) return b and (b >= 128 or (b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= 122)) end
function ops.span.whole_word(text, s, e) return not word_byte(text:byte(s - 1)) and not word_byte(text:byte(e + 1)) end

-- Up to n bytes of text before pos (n < 0) or from pos on (n > 0), cut at
-- character boundaries; and where the window starts.
function ops.span.window(text, pos, n)
  local s, e
  if n < 0 then s, e = math.max(1, pos + n), pos - 1 else s, e = pos, math.min(#text, pos + n - 1) end
  while s <= e and (text:byte(s) & 0xC0) == 0x80 do s = s + 1 end
  while e >= s and e < #text and (text:byte(e + 1) & 0xC0) == 0x80 do e = e - 1 end
  return text:sub(s, e), s
end

-- ---- phases ------------------------------------------------------------------

local function set_of(list)
  local s = {}
  for _, t in ipairs(list or {}) do s[t] = true end
  return s
end

local Phases = {}
Phases.__index = Phases

-- Is l already in the order textmill.sort_spans gives (by start, the
-- longer first, then by type; ties as they are)? Most lists a phase
-- changes are (it kept or extended entities in place): reading them here
-- costs a tenth of what the sort does. An odd list (two types at one
-- span, a start that is no number) goes to the sort, which also says
-- what is wrong with it.
local function in_text_order(l)
  local p = l[1]
  for i = 2, #l do
    local x = l[i]
    local ps, xs = p.start, x.start
    if ps > xs then return false end
    if ps == xs then
      local pe, xe = p.stop, x.stop
      if pe < xe or (pe == xe and p.type ~= x.type) then return false end
    end
    p = x
  end
  return true
end

-- Put a list a phase changed back in text order (sorted only when it is not).
local function put_in_order(l)
  local ok, sorted = pcall(in_text_order, l)
  if not (ok and sorted) then textmill.sort_spans(l) end
end

local CHANGED = "phase %s changed %s entities, which it does not declare in writes"
local REMOVED = "phase %s removed the %s entities, which it does not declare in writes"
local function declared(ph, t, message)
  if not ph.writes[t] then error(message:format(ph.name, t), 0) end
end

-- A type phase ph added to E: checked, put in order and taken into the
-- lists of what E holds; the new count of types.
local function take_added(ph, t, l, types, ntypes, list, size)
  declared(ph, t, CHANGED)
  put_in_order(l)
  ntypes = ntypes + 1
  types[ntypes], list[t], size[t] = t, l, #l
  return ntypes
end

-- rules.phases(list [, opts]): the steps after the rules, in order. Each is
-- { name = "...", reads = { TYPE ... }, writes = { TYPE ... }, run = function(E, cx) }
-- and moves = true if it changes the start or stop of entities in place.
-- With opts.from (the types the rules make), a phase that reads a type no
-- rule and no earlier phase makes is an error here, once; and every run
-- checks that a phase changed only the types it declares in writes (a
-- step that quietly rewrites another family's entities is the bug this
-- catches). After each phase the lists it replaced or resized are put back
-- in text order (read, and sorted only when they are not); so are all the
-- lists it writes when it says moves = true: it moves spans in place
-- (rules.extend, rules.trim). Reading every written list after every
-- phase cost the entity pack 1 % for steps that move none.
function ops.phases(list, opts)
  opts = opts or {}
  local made = opts.from and set_of(opts.from) or nil
  local p = setmetatable({ list = {}, fresh = {} }, Phases)
  -- set on E while the phases run: records each type a phase adds
  local fresh = p.fresh
  p.watch = { __newindex = function(e, t, l)
    fresh[#fresh + 1] = t
    rawset(e, t, l)
  end }
  for i, ph in ipairs(list) do
    local name = ph.name or ("phase " .. i)
    if type(ph.run) ~= "function" then error(("phase %s: run must be a function(E, cx)"):format(name), 2) end
    if made then
      for _, t in ipairs(ph.reads or {}) do
        if not made[t] then
          error(("phase %s reads %s, which no rule and no earlier phase makes"):format(name, t), 2)
        end
      end
    end
    for _, t in ipairs(ph.writes or {}) do
      if made then made[t] = true end
    end
    p.list[i] = { name = name, run = ph.run, writes = set_of(ph.writes), moves = ph.moves }
  end
  return p
end

-- Run every phase on E with the document's context cx. timer, if given,
-- is called with each phase's name after it ran (a profile).
--
-- What E held is kept as each type's list and its length (in tables kept
-- for the run's life), taken once before the first phase and brought up
-- to date with what each phase changed. The types E holds are kept as a
-- list too, read with a numeric loop after each phase, and a type a
-- phase adds is caught as it is set (a __newindex on E for the run,
-- when E has no metatable of its own): a pass over E with `pairs` after
-- each phase called `next` for every type, most of the cost of the
-- phases that change nothing.
function Phases:run(E, cx, timer)
  local list, size, types = self.before_list, self.before_size, self.types
  if not list then
    list, size, types = {}, {}, {}
    self.before_list, self.before_size, self.types = list, size, types
  end
  for t in pairs(list) do list[t], size[t] = nil, nil end   -- another document's, or a run an error stopped
  local ntypes = 0
  for t, l in pairs(E) do
    ntypes = ntypes + 1
    types[ntypes], list[t], size[t] = t, l, #l
  end
  for i = #types, ntypes + 1, -1 do types[i] = nil end
  local fresh = self.fresh
  local mt = getmetatable(E)
  local watched = mt == nil or mt == self.watch
  if watched then
    for i = #fresh, 1, -1 do fresh[i] = nil end
    setmetatable(E, self.watch)
  end
  for _, ph in ipairs(self.list) do
    ph.run(E, cx)
    if watched then
      -- the types this phase added (a key set where E had none)
      for j = 1, #fresh do
        local t = fresh[j]
        local l = E[t]
        if l ~= nil and list[t] == nil then ntypes = take_added(ph, t, l, types, ntypes, list, size) end
        fresh[j] = nil
      end
    else
      for t, l in pairs(E) do
        if list[t] == nil then ntypes = take_added(ph, t, l, types, ntypes, list, size) end
      end
    end
    -- backwards, so a type gone can take the last one's place
    for i = ntypes, 1, -1 do
      local t = types[i]
      local l = E[t]
      if l == nil then
        declared(ph, t, REMOVED)
        types[i], types[ntypes] = types[ntypes], nil
        list[t], size[t], ntypes = nil, nil, ntypes - 1
      elseif l ~= list[t] or size[t] ~= #l then
        declared(ph, t, CHANGED)
        put_in_order(l)   -- what a phase added goes back in text order
        list[t], size[t] = l, #l
      elseif ph.moves and ph.writes[t] then
        put_in_order(l)   -- and what it moved in place (rules.extend, rules.trim)
      end
    end
    if timer then timer(ph.name) end
  end
  if watched then setmetatable(E, nil) end
end

-- ---- built-in operations ---------------------------------------------------
-- Each returns a phase: give it to rules.phases with the reads and writes
-- it states (op.reads, op.writes).

-- What an operation is given, checked where its phase is made, so that a
-- mistake is named there and not as a Lua error at the first document:
-- o a table, each field of names a type's name, each of lists a list of
-- them (or nil).
local function check_options(op, o, names, lists)
  if type(o) ~= "table" then error(("rules.%s: give it a table of options"):format(op), 3) end
  for _, k in ipairs(names) do
    if type(o[k]) ~= "string" or o[k] == "" then
      error(("rules.%s: %s must be a type's name, not %s"):format(op, k, tostring(o[k])), 3)
    end
  end
  for _, k in ipairs(lists or {}) do
    local l = o[k]
    local ok = l == nil or type(l) == "table"
    for _, t in ipairs(ok and l or {}) do ok = ok and type(t) == "string" end
    if not ok then error(("rules.%s: %s must be a list of types' names"):format(op, k), 3) end
  end
end

local function copy(t)
  if not t then return nil end
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- again { type = T, rule = "name", min_words = 2, skip = { TYPE ... } }:
-- every later (and earlier) mention of the text of an entity of type T
-- found once becomes an entity too, with the same value and a copy of its
-- attrs. Mentions are taken in text order, the longer first where two
-- start together, so of two overlapping names the same one wins on every
-- run; a mention inside a word, overlapping an entity of T or of a skip
-- type, is passed over. min_words: texts with fewer words are not sought.
function ops.again(o)
  check_options("again", o, { "type" }, { "skip" })
  local T, rule, min_words = o.type, o.rule or (o.type .. "-again"), o.min_words or 1
  local skip = o.skip or {}
  local phase = { name = "again " .. T, reads = { T }, writes = { T } }
  for _, s in ipairs(skip) do phase.reads[#phase.reads + 1] = s end
  phase.run = function(E, cx)
    local list = E[T]
    if not list or #list == 0 then return end
    local text = cx.text
    local first, names = {}, {}
    for _, x in ipairs(list) do
      local name = text:sub(x.start, x.stop)
      local _, spaces = name:gsub(" ", "")
      if spaces + 1 >= min_words and not first[name] then
        first[name] = x
        names[#names + 1] = name
      end
    end
    if #names == 0 then return end
    -- whole words, in text order, none over an entity of T or a skip type
    local lists = { list }
    for _, st in ipairs(skip) do lists[#lists + 1] = E[st] or {} end
    local starts, stops, which = textmill.occurrences(text, names, { skip = lists })
    local added = {}
    for i = 1, #starts do
      local s, last = starts[i], added[#added]
      if not (last and last.stop >= s) then      -- (added in text order: the last reaches furthest)
        local f = first[names[which[i]]]
        added[#added + 1] = { type = T, start = s, stop = stops[i], value = f.value,
                              attrs = copy(f.attrs), rule = rule }
      end
    end
    for _, x in ipairs(added) do list[#list + 1] = x end
  end
  return phase
end

-- drop { type = T, inside = { TYPE ... } } (or overlapping = { ... }):
-- entities of T that lie inside (or overlap) one of those types go.
-- The lists are in text order (as rules.phases keeps them), so one walk
-- along each of the other lists serves all of T's entities: those that
-- end before an entity starts reach none of the entities after it.
function ops.drop(o)
  check_options("drop", o, { "type" }, { "inside", "overlapping" })
  if (o.inside == nil) == (o.overlapping == nil) then error("rules.drop: give inside or overlapping, one of them", 2) end
  local T = o.type
  local others, inside = o.inside or o.overlapping, o.inside ~= nil
  local phase = { name = "drop " .. T, reads = { T }, writes = { T } }
  for _, s in ipairs(others) do phase.reads[#phase.reads + 1] = s end
  phase.run = function(E)
    local list = E[T]
    if not list then return end
    local kept, from = {}, {}
    for j = 1, #list do
      local x = list[j]
      local xs, xe, gone = x.start, x.stop, false
      for k = 1, #others do
        local l = E[others[k]]
        if l then
          local i = from[k] or 1
          while l[i] and l[i].stop < xs do i = i + 1 end
          from[k] = i
          local y = l[i]
          while y and y.start <= xe do
            if not inside or (y.start <= xs and xe <= y.stop) then gone = true; break end
            i = i + 1
            y = l[i]
          end
          if gone then break end
        end
      end
      if not gone then kept[#kept + 1] = x end
    end
    if #kept ~= #list then E[T] = kept end
  end
  return phase
end

-- The index in list of the first entity (in list order) at each value of
-- field (start or stop).
local function first_at(list, field)
  local at = {}
  for i, x in ipairs(list) do
    local p = x[field]
    if at[p] == nil then at[p] = i end
  end
  return at
end

-- The first entity of list (in list order) right after x, one of seps
-- between (right before x when before; at: first_at(list, "stop") then,
-- else first_at(list, "start")): found by position, where a walk of the
-- whole list for each entity made attach and extend quadratic.
local function next_to(text, list, at, x, seps, before)
  local best
  for _, sep in ipairs(seps) do
    local gap = before and x.start - #sep or x.stop + 1   -- where sep would be
    local i = at[before and gap - 1 or gap + #sep]
    if i and (best == nil or i < best) and text:sub(gap, gap + #sep - 1) == sep then best = i end
  end
  return best and list[best]
end

-- attach { type = T, from = F, key = "titles", seps = { ", ", " – " }, side = "after" }:
-- the entities of F right before (side = "before") or after T, one of seps
-- between each (a chain: "Name, title, title"), go into T's attrs[key] as
-- a list of their texts, in text order. The entities of F stay.
function ops.attach(o)
  check_options("attach", o, { "type", "from" })
  local T, F, key = o.type, o.from, o.key or (o.from:lower() .. "s")
  local seps, before = o.seps or { " " }, o.side == "before"
  local phase = { name = "attach " .. F .. " to " .. T, reads = { T, F }, writes = { T } }
  phase.run = function(E, cx)
    local list, from = E[T], E[F]
    if not list or not from or #from == 0 then return end
    local text, at = cx.text, first_at(from, before and "stop" or "start")
    for _, x in ipairs(list) do
      local got = {}
      local f = next_to(text, from, at, x, seps, before)
      while f do
        got[#got + 1] = text:sub(f.start, f.stop)
        f = next_to(text, from, at, f, seps, before)
      end
      if #got > 0 then
        if before then
          for i = 1, #got // 2 do got[i], got[#got + 1 - i] = got[#got + 1 - i], got[i] end
        end
        x.attrs = x.attrs or {}
        x.attrs[key] = got
      end
    end
  end
  return phase
end

-- extend { type = T, with = W, seps = { " " }, value = function(t, w, text) } :
-- an entity of T followed by one of W (one of seps between) grows to
-- cover it; value() gives the joined entity's value (default: its text).
-- The W entity stays, in its own type (rules.phases puts T's list back in
-- text order).
function ops.extend(o)
  check_options("extend", o, { "type", "with" })
  local T, W = o.type, o.with
  local seps = o.seps or { " " }
  local phase = { name = "extend " .. T .. " with " .. W, reads = { T, W }, writes = { T }, moves = true }
  phase.run = function(E, cx)
    local list, with = E[T], E[W]
    if not list or not with then return end
    local text, at = cx.text, first_at(with, "start")
    for _, x in ipairs(list) do
      local w = next_to(text, with, at, x, seps, false)
      if w then
        x.stop = w.stop
        x.value = o.value and o.value(x, w, text) or text:sub(x.start, x.stop)
      end
    end
  end
  return phase
end

-- For trim (below).
local SIDES = { ["end"] = true, start = true, both = true }

-- The first index of ws (sorted by start) whose start is p or after.
local function first_from(ws, p)
  local lo, hi = 1, #ws + 1
  while lo < hi do
    local mid = (lo + hi) // 2
    if ws[mid].start < p then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- Where one of seps starts that ends right before position at, leaving
-- text from s before it; or nil.
local function sep_before(text, at, s, seps)
  for _, sep in ipairs(seps) do
    local b = at - #sep
    if b > s and text:sub(b, at - 1) == sep then return b end
  end
  return nil
end

-- Where one of seps ends that starts right after position at, leaving text
-- up to e after it; or nil.
local function sep_after(text, at, e, seps)
  for _, sep in ipairs(seps) do
    local a = at + #sep
    if a < e and text:sub(at + 1, a) == sep then return a end
  end
  return nil
end

-- s..e's new stop after one cut at its end: before the first of ws that
-- starts inside it and reaches e, else before a word ending at e.
local function cut_end(text, ws, s, e, words, seps)
  for i = first_from(ws, s + 1), #ws do
    local w = ws[i]
    if w.start > e then break end
    local b = w.stop >= e and sep_before(text, w.start, s, seps)
    if b then return b - 1 end
  end
  for _, word in ipairs(words) do
    local a = e - #word + 1
    local b = a > s and text:sub(a, e) == word and sep_before(text, a, s, seps)
    if b then return b - 1 end
  end
  return e
end

-- s..e's new start after one cut at its start: past the one of ws (width:
-- the longest stop - start) that reaches s from it or before and ends
-- furthest inside, else past a word starting at s.
local function cut_start(text, ws, width, s, e, words, seps)
  local past, after   -- the furthest such stop, and where its separator ends
  for i = first_from(ws, s - width), #ws do
    local w = ws[i]
    if w.start > s then break end
    local a = w.stop >= s and w.stop < e and (not past or w.stop > past) and sep_after(text, w.stop, e, seps)
    if a then past, after = w.stop, a end
  end
  if past then return after + 1 end
  for _, word in ipairs(words) do
    local z = s + #word - 1
    local a = z < e and text:sub(s, z) == word and sep_after(text, z, e, seps)
    if a then return a + 1 end
  end
  return s
end

-- trim { type = T, with = { TYPE ... }, words = { ... }, seps = { " " }, side = "end", value = function(t, text) }:
-- an entity of T gives up, at its end (side = "start": its start; "both":
-- either), an entity of a with type that runs from inside it to that end
-- or past it (to that start or before it), and a word of words written
-- there, one of seps between it and the rest, again while one is there
-- and as long as some of the entity is left: a name that ran into the
-- place after it ("ông Lò Văn Mừng Điện Biên") ends before it. Words are
-- compared as written (list each spelling). value() gives the trimmed
-- entity's value (default: its text). The with entities stay, in their
-- own types (rules.phases puts T's list back in text order).
function ops.trim(o)
  check_options("trim", o, { "type" }, { "with" })
  local T, seps, side = o.type, o.seps or { " " }, o.side or "end"
  local with, words = o.with or {}, o.words or {}
  if not SIDES[side] then
    error(("rules.trim: side must be \"end\", \"start\" or \"both\", not %s"):format(tostring(side)), 2)
  end
  local phase = { name = "trim " .. T, reads = { T }, writes = { T }, moves = true }
  for _, w in ipairs(with) do
    if w == T then error(("rules.trim: with must not hold the type it trims (%s)"):format(T), 2) end
    phase.reads[#phase.reads + 1] = w
  end
  local at_end, at_start = side ~= "start", side ~= "end"
  phase.run = function(E, cx)
    local list = E[T]
    if not list or #list == 0 then return end
    local text = cx.text
    local ws, width = {}, 0
    for _, W in ipairs(with) do
      local l = E[W] or {}
      for i = 1, #l do
        local w = l[i]
        ws[#ws + 1] = w
        if w.stop - w.start > width then width = w.stop - w.start end
      end
    end
    textmill.sort_spans(ws)
    for i = 1, #list do
      local x = list[i]
      local s, e = x.start, x.stop
      repeat
        local s0, e0 = s, e
        if at_end then e = cut_end(text, ws, s, e, words, seps) end
        if at_start then s = cut_start(text, ws, width, s, e, words, seps) end
      until s == s0 and e == e0
      if s ~= x.start or e ~= x.stop then
        x.start, x.stop = s, e
        x.value = o.value and o.value(x, text) or text:sub(s, e)
      end
    end
  end
  return phase
end

return ops
