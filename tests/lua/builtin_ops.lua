-- rules.attach and rules.extend give what a walk of the whole list for each
-- entity gives, and rules.span.cover what a walk of its list gives (the plain reading of their docs), on random lists over a
-- text of short words and separators, sorted as the phases keep them and
-- shuffled; and on hand-made cases: chains after and before, a separator
-- of several bytes, two candidates at one place. Run by
-- plugins/lua/tests/stage.sh through `textmill try`; a failed assert
-- rejects the document.
local rules = require("rules")
local span = rules.span

local seed = 11
local function rand(n) -- a fixed sequence: the same lists on every run
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end

-- ---- the plain readings -------------------------------------------------------

local function first_adjacent(text, list, x, seps, before)
  for _, f in ipairs(list) do
    if (before and span.adjacent(text, f, x, seps)) or (not before and span.adjacent(text, x, f, seps)) then
      return f
    end
  end
end

local function attach_plain(text, list, from, key, seps, before)
  for _, x in ipairs(list) do
    local got, f = {}, first_adjacent(text, from, x, seps, before)
    while f do
      if before then table.insert(got, 1, text:sub(f.start, f.stop)) else got[#got + 1] = text:sub(f.start, f.stop) end
      f = first_adjacent(text, from, f, seps, before)
    end
    if #got > 0 then
      x.attrs = x.attrs or {}
      x.attrs[key] = got
    end
  end
end

local function extend_plain(text, list, with, seps)
  for _, x in ipairs(list) do
    local w = first_adjacent(text, with, x, seps, false)
    if w then
      x.stop = w.stop
      x.value = text:sub(x.start, x.stop)
    end
  end
end

-- ---- random lists ----------------------------------------------------------------

local WORDS = { "Lê", "An", "ủy", "Bộ", "x", "Hà Nội", ",", ", ", " – ", " thuộc ", " " }

local function random_text(n)
  local parts = {}
  for i = 1, n do parts[i] = WORDS[rand(#WORDS)] end
  return table.concat(parts)
end

-- Spans on character boundaries, many starting or ending at the same
-- places; in text order (start, the longer first) unless shuffled.
local function random_list(text, n, shuffled)
  local starts = {}
  for p in utf8.codes(text) do starts[#starts + 1] = p end
  local list = {}
  for i = 1, n do
    local a = rand(#starts)
    local b = math.min(#starts, a + rand(4) - 1)
    local stop = b < #starts and starts[b + 1] - 1 or #text
    list[i] = { start = starts[a], stop = stop, value = "v" .. i }
  end
  table.sort(list, function(p, q)
    if p.start ~= q.start then return p.start < q.start end
    if p.stop ~= q.stop then return p.stop > q.stop end
    return p.value < q.value
  end)
  if shuffled then
    for i = #list, 2, -1 do
      local j = rand(i)
      list[i], list[j] = list[j], list[i]
    end
  end
  return list
end

local function copy_list(list)
  local c = {}
  for i, x in ipairs(list) do c[i] = { start = x.start, stop = x.stop, value = x.value } end
  return c
end

local function same(got, want, what)
  assert(#got == #want, what .. ": lengths")
  for i = 1, #want do
    local g, w = got[i], want[i]
    assert(g.start == w.start and g.stop == w.stop and g.value == w.value, what .. ": entity " .. i)
    local ga, wa = g.attrs and g.attrs.titles, w.attrs and w.attrs.titles
    assert((ga == nil) == (wa == nil), what .. ": titles of entity " .. i)
    if wa then assert(table.concat(ga, "|") == table.concat(wa, "|"), what .. ": titles of entity " .. i) end
  end
end

local function run_phase(phase, E, text) phase.run(E, { text = text }) end

local SEPS = { { ", " }, { ", ", " – " }, { " thuộc ", " " }, { "" }, { ", ", "," }, { " ", "" } }

local function random_cases()
  for round = 1, 60 do
    local text = random_text(40 + rand(80))
    local shuffled = round % 3 == 0
    local persons, titles = random_list(text, rand(30), shuffled), random_list(text, rand(60), shuffled)
    local seps = SEPS[rand(#SEPS)]
    for _, side in ipairs({ "after", "before" }) do
      local want, got = copy_list(persons), copy_list(persons)
      attach_plain(text, want, titles, "titles", seps, side == "before")
      run_phase(rules.attach { type = "PERSON", from = "TITLE", key = "titles", seps = seps, side = side },
                { PERSON = got, TITLE = titles }, text)
      same(got, want, ("attach %s, round %d"):format(side, round))
    end
    local want, got = copy_list(persons), copy_list(persons)
    extend_plain(text, want, titles, seps)
    run_phase(rules.extend { type = "PERSON", with = "TITLE", seps = seps }, { PERSON = got, TITLE = titles }, text)
    same(got, want, ("extend, round %d"):format(round))
  end
end

-- ---- by hand ---------------------------------------------------------------------

local function at(text, word, init)
  local s, e = text:find(word, init or 1, true)
  return { start = s, stop = e, value = word }
end

local function hand_cases()
  local text = "Đại tá Lê An, Chính ủy, Bí thư – Ủy viên của Bộ thuộc Hà Nội"
  local person = at(text, "Lê An")
  local titles = { at(text, "Đại tá"), at(text, "Chính ủy"), at(text, "Bí thư"), at(text, "Ủy viên") }
  local E = { PERSON = { person }, TITLE = titles }
  run_phase(rules.attach { type = "PERSON", from = "TITLE", key = "titles", seps = { ", ", " – " } }, E, text)
  assert(table.concat(person.attrs.titles, "|") == "Chính ủy|Bí thư|Ủy viên", "a chain after the name")
  run_phase(rules.attach { type = "PERSON", from = "TITLE", key = "rank", seps = { " " }, side = "before" }, E, text)
  assert(table.concat(person.attrs.rank, "|") == "Đại tá", "a title before the name")
  -- a separator of several bytes, longer than eight
  local org, place = at(text, "Bộ"), at(text, "Hà Nội")
  run_phase(rules.extend { type = "ORG", with = "LOCATION", seps = { " thuộc " } }, { ORG = { org }, LOCATION = { place } }, text)
  assert(org.stop == place.stop and org.value == "Bộ thuộc Hà Nội", "extended over ' thuộc '")
  -- two titles start right after the name: the first in the list's order
  local long, short = at(text, "Chính ủy, Bí thư"), at(text, "Chính ủy")
  local p = at(text, "Lê An")
  run_phase(rules.attach { type = "PERSON", from = "TITLE", key = "titles", seps = { ", " } },
            { PERSON = { p }, TITLE = { long, short } }, text)
  assert(p.attrs.titles[1] == "Chính ủy, Bí thư", "the first of two at one start")
end

-- rules.span.cover against a walk of the list, as spans are appended (a
-- long list is answered from its marked bytes) and after the list shrinks.
local function cover_cases()
  local text = random_text(400)
  local list = {}
  local covers = span.cover(list)
  local function walk(s, e)
    for _, x in ipairs(list) do
      if x.start <= e and s <= x.stop then return true end
    end
    return false
  end
  local pool = random_list(text, 300, true)
  for k = 1, #pool do
    if k % 3 == 0 then list[#list + 1] = pool[k] end
    if k == 240 then                          -- shorter, still long: marked again
      for _ = 1, 10 do table.remove(list) end
      assert(#list > 64, "the list is long after the removal")
    end
    for _ = 1, 5 do
      local a = rand(#text)
      local b = math.min(#text, a + rand(6) - 1)
      assert(covers(a, b) == walk(a, b), ("cover of %d spans at %d..%d"):format(#list, a, b))
    end
  end
  -- and a short list again, walked
  for _ = 1, #list - 10 do table.remove(list) end
  for a = 1, #text, 7 do assert(covers(a, a + 3) == walk(a, a + 3), "cover of a short list again") end
end

function process(doc)
  random_cases()
  hand_cases()
  cover_cases()
  doc:set_field("builtin_ops", "ok")
end
