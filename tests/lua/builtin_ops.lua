-- rules.attach, rules.extend and rules.trim give what a walk of the whole
-- list for each entity gives, and rules.span.cover what a walk of its list
-- gives (the plain reading of their docs), on random lists over a
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

-- rules.trim: for each cut, every entity of ws looked at.
local function trim_plain(text, list, ws, words, seps, side)
  local function sep_before(at, s)
    for _, sep in ipairs(seps) do
      local b = at - #sep
      if b > s and text:sub(b, at - 1) == sep then return b end
    end
  end
  local function sep_after(at, e)
    for _, sep in ipairs(seps) do
      local a = at + #sep
      if a < e and text:sub(at + 1, a) == sep then return a end
    end
  end
  for _, x in ipairs(list) do
    local s, e = x.start, x.stop
    while true do
      local s0, e0 = s, e
      if side ~= "start" then
        local first
        for _, w in ipairs(ws) do
          if w.start > s and w.start <= e and w.stop >= e and sep_before(w.start, s)
              and (not first or w.start < first) then
            first = w.start
          end
        end
        if first then
          e = sep_before(first, s) - 1
        else
          for _, word in ipairs(words) do
            local a = e - #word + 1
            if a > s and text:sub(a, e) == word and sep_before(a, s) then e = sep_before(a, s) - 1; break end
          end
        end
      end
      if side ~= "end" then
        local last
        for _, w in ipairs(ws) do
          if w.start <= s and w.stop >= s and w.stop < e and sep_after(w.stop, e) and (not last or w.stop > last) then
            last = w.stop
          end
        end
        if last then
          s = sep_after(last, e) + 1
        else
          for _, word in ipairs(words) do
            local z = s + #word - 1
            if z < e and text:sub(s, z) == word and sep_after(z, e) then s = sep_after(z, e) + 1; break end
          end
        end
      end
      if s == s0 and e == e0 then break end
    end
    if s ~= x.start or e ~= x.stop then x.start, x.stop, x.value = s, e, text:sub(s, e) end
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
    -- trim: lists in text order, as the phases keep them
    local in_order, places = random_list(text, rand(30)), random_list(text, rand(20))
    local words = { WORDS[rand(#WORDS)], WORDS[rand(#WORDS)] }
    for _, side in ipairs({ "end", "start", "both" }) do
      want, got = copy_list(in_order), copy_list(in_order)
      trim_plain(text, want, places, words, seps, side)
      run_phase(rules.trim { type = "PERSON", with = { "LOCATION" }, words = words, seps = seps, side = side },
                { PERSON = got, LOCATION = places }, text)
      same(got, want, ("trim %s, round %d"):format(side, round))
    end
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
  -- grown past the one before it at its start: back in text order
  local long, grows = at(text, "Bộ thuộc"), at(text, "Bộ")
  local E2 = { ORG = { long, grows }, LOCATION = { place } }
  rules.phases({ rules.extend { type = "ORG", with = "LOCATION", seps = { " thuộc " } } }):run(E2, { text = text })
  assert(E2.ORG[1] == grows and E2.ORG[2] == long and grows.value == "Bộ thuộc Hà Nội", "extended, back in text order")
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

local function trim_cases()
  -- a name that ran into the place after it; the place stays
  local text = "Gặp ông Lò Văn Mừng Điện Biên hôm qua"
  local person, place = at(text, "Lò Văn Mừng Điện"), at(text, "Điện Biên")
  local E = { PERSON = { person }, LOCATION = { place } }
  run_phase(rules.trim { type = "PERSON", with = { "LOCATION" } }, E, text)
  assert(person.value == "Lò Văn Mừng" and text:sub(person.start, person.stop) == "Lò Văn Mừng", "cut before the place")
  assert(E.LOCATION[1] == place and place.value == "Điện Biên", "the place stays")
  -- a chain at the end, a separator of two bytes; never to nothing
  text = "Công ty A, Hà Nội, Việt Nam"
  local org = at(text, text)
  E = { ORG = { org }, LOCATION = { at(text, "Hà Nội"), at(text, "Việt Nam") } }
  run_phase(rules.trim { type = "ORG", with = { "LOCATION" }, seps = { ", " } }, E, text)
  assert(org.value == "Công ty A", "a chain of places cut, got " .. org.value)
  local all = at(text, "Hà Nội")
  E = { ORG = { all }, LOCATION = { at(text, "Hà Nội") } }
  run_phase(rules.trim { type = "ORG", with = { "LOCATION" }, side = "both" }, E, text)
  assert(all.value == "Hà Nội", "an entity a place covers whole keeps it")
  -- words at the start, whole words only, with value()
  text = "ông Nguyễn Văn An và BìnhAn, Bình An"
  local p1, p2, p3 = at(text, "ông Nguyễn Văn An"), at(text, "BìnhAn"), at(text, "Bình An")
  E = { PERSON = { p1, p2, p3 } }
  run_phase(rules.trim { type = "PERSON", words = { "ông", "An" }, side = "both",
                         value = function(t, s) return "<" .. s:sub(t.start, t.stop) .. ">" end }, E, text)
  assert(p1.value == "<Nguyễn Văn>" and text:sub(p1.start, p1.stop) == "Nguyễn Văn", "ông and An cut, got " .. p1.value)
  assert(p2.value == "BìnhAn" and p3.value == "<Bình>", "An cut where a word ends, and only there")
  -- one trimmed shorter than the next at its start goes after it
  text = "Ban Nga Mỹ họp"
  local a, b = at(text, "Ban Nga Mỹ"), at(text, "Ban Nga")
  E = { ORG = { a, b } }
  rules.phases({ rules.trim { type = "ORG", words = { "Nga Mỹ" } } }):run(E, { text = text })
  assert(E.ORG[1] == b and E.ORG[2] == a and a.value == "Ban", "back in text order")
  -- a step of one's own that says it moves spans in place: its written
  -- lists are put back in order too, and a list it only reads is left as it is
  text = "Ban Nga Mỹ họp"
  local p, q, r = at(text, "Ban Nga Mỹ"), at(text, "Ban"), at(text, "Nga Mỹ")
  local read = { r, q }   -- out of order, and only read
  E = { ORG = { p, q }, LOCATION = read }
  rules.phases({ { name = "shorten", reads = { "ORG", "LOCATION" }, writes = { "ORG" }, moves = true,
                   run = function(E3) E3.ORG[1].stop = E3.ORG[1].start end } }):run(E, { text = text })
  assert(E.ORG[1] == q and E.ORG[2] == p, "moved in place, back in text order")
  assert(E.LOCATION == read and read[1] == r, "a list only read is not sorted")
  -- through rules.phases: trim writes its own type only
  local phases = rules.phases({ rules.trim { type = "PERSON", with = { "LOCATION" } } }, { from = { "PERSON", "LOCATION" } })
  text = "Gặp ông Lò Văn Mừng Điện Biên hôm qua"
  E = { PERSON = { at(text, "Lò Văn Mừng Điện") }, LOCATION = { at(text, "Điện Biên") } }
  phases:run(E, { text = text })
  assert(E.PERSON[1].value == "Lò Văn Mừng", "trimmed as a phase")
  -- mistakes named
  local ok, err = pcall(rules.trim, { type = "ORG", side = "middle" })
  assert(not ok and err:find("side must be", 1, true), "a side that is none: " .. tostring(err))
  ok, err = pcall(rules.trim, { type = "ORG", with = { "ORG" } })
  assert(not ok and err:find("with must not hold", 1, true), "with holding the type: " .. tostring(err))
end

-- Each operation names a mistake in what it is given where it is made.
local function option_mistakes()
  local function refused(op, o, says)
    local ok, err = pcall(rules[op], o)
    assert(not ok and tostring(err):find(says, 1, true), ("rules.%s: %s, got %s"):format(op, says, tostring(err)))
  end
  refused("again", { min_words = 2 }, "rules.again: type must be a type's name, not nil")
  refused("again", { type = "PERSON", skip = "LOCATION" }, "rules.again: skip must be a list of types' names")
  refused("drop", { type = "LOCATION" }, "rules.drop: give inside or overlapping, one of them")
  refused("drop", { type = "LOCATION", inside = { "PERSON" }, overlapping = { "ORG" } }, "one of them")
  refused("drop", { overlapping = { "PERSON" } }, "rules.drop: type must be a type's name")
  refused("attach", { type = "PERSON" }, "rules.attach: from must be a type's name, not nil")
  refused("extend", { type = "ORG", with = { "LOCATION" } }, "rules.extend: with must be a type's name")
  refused("trim", { with = { "LOCATION" } }, "rules.trim: type must be a type's name")
  refused("trim", { type = "PERSON", with = { 1 } }, "rules.trim: with must be a list of types' names")
  refused("trim", "PERSON", "rules.trim: give it a table of options")
end

function process(doc)
  option_mistakes()
  random_cases()
  hand_cases()
  trim_cases()
  cover_cases()
  doc:set_field("builtin_ops", "ok")
end
