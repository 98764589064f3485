-- doc:add_entities(list, { sort = true }) adds the list in text order, the
-- order textmill.sort_spans gives it, and leaves the list as it was. Run by
-- plugins/lua/tests/stage.sh through `textmill try`; a failed assert
-- rejects the document.
local seed = 7
local function rand(n) -- a fixed sequence: the same lists on every run
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end

local TYPES = { "PERSON", "ORG", "LOCATION", "DATE" }

-- Starts and stops of whole characters of the text.
local function bounds(text)
  local starts, stops = {}, {}
  for p, c in utf8.codes(text) do
    starts[#starts + 1] = p
    stops[#stops + 1] = p + #utf8.char(c) - 1
  end
  return starts, stops
end

-- n entities over the text, many on the same spans (few places, few types),
-- some with notes in their attrs, one of a kind made by an __index function.
local function list_of(text, n)
  local starts, stops = bounds(text)
  local list = {}
  for i = 1, n do
    local a = rand(#starts > 6 and 6 or #starts)
    local s = starts[a]
    local e = stops[math.min(#stops, a + rand(3) - 1)]
    local t = { type = TYPES[rand(#TYPES)], start = s, stop = e, value = "v" .. i, rule = "r" .. rand(3),
                attrs = rand(2) == 1 and { k = i, _note = true } or nil }
    if i % 17 == 0 then
      local made = { type = "MADE" .. "X", rule = "made" .. "-rule" }
      t.type, t.rule = nil, nil
      setmetatable(t, { __index = function(_, key) return made[key] and (made[key] .. "") end })
    end
    list[i] = t
  end
  return list
end

local function check(doc, list)
  local before = #doc:entities()
  local copy = {}
  for i, t in ipairs(list) do copy[i] = t end
  doc:add_entities(list, { sort = true })
  for i, t in ipairs(list) do assert(copy[i] == t, "the list was changed at " .. i) end
  local want = textmill.sort_spans(copy)
  local got = doc:entities()
  assert(#got == before + #want, ("%d entities added, not %d"):format(#got - before, #want))
  for i, w in ipairs(want) do
    local g = got[before + i]
    assert(g.start == w.start and g.stop == w.stop and g.type == w.type and g.rule == w.rule
           and g.value == w.value, ("entity %d: %s %d..%d %s, not %s %d..%d %s"):format(
             i, g.type, g.start, g.stop, g.value, w.type, w.start, w.stop, w.value))
    if w.attrs then assert(g.attrs.k == w.attrs.k and g.attrs._note == nil, "attrs of " .. i) end
  end
end

function process(doc)
  check(doc, list_of(doc.text, 5))   -- few: sorted on the C stack
  check(doc, list_of(doc.text, 300)) -- many: the radix sort
  -- a bad item anywhere stops the call before any entity is added
  local n = #doc:entities()
  local list = list_of(doc.text, 40)
  list[30].stop = #doc.text + 1
  local ok, err = pcall(doc.add_entities, doc, list, { sort = true })
  assert(not ok and err:find("outside the text", 1, true), tostring(err))
  assert(#doc:entities() == n, "entities were added before the bad item")
  doc:set_field("add_in_order", "ok")
end
