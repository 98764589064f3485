-- doc:add_entities(list, { sort = true }) adds the list in text order, the
-- order textmill.sort_spans gives it, and leaves the list as it was; with
-- disjoint = true, less each entity that shares a byte with one of its type
-- kept before it. Run by
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
-- some with notes in their attrs, one of a kind made by an __index function
-- (its type, rule, value and attrs: read through the metatable, not raw).
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
      local made = { type = "MADE" .. "X", rule = "made" .. "-rule", value = "made" .. i }
      local attrs = { k = i, _note = true }
      t.type, t.rule, t.value, t.attrs = nil, nil, nil, nil
      setmetatable(t, { __index = function(_, key)
        if key == "attrs" then return attrs end
        return made[key] and (made[key] .. "")
      end })
    end
    list[i] = t
  end
  return list
end

-- Those of the sorted list that share no byte with one of their type kept
-- before them, each tested against all those kept.
local function apart(sorted)
  local kept = {}
  for _, x in ipairs(sorted) do
    local free = true
    for _, y in ipairs(kept) do
      if y.type == x.type and x.start <= y.stop and y.start <= x.stop then free = false end
    end
    if free then kept[#kept + 1] = x end
  end
  return kept
end

local function check(doc, list, disjoint)
  local before = #doc:entities()
  local copy = {}
  for i, t in ipairs(list) do copy[i] = t end
  doc:add_entities(list, disjoint and { disjoint = true } or { sort = true })
  for i, t in ipairs(list) do assert(copy[i] == t, "the list was changed at " .. i) end
  local want = textmill.sort_spans(copy)
  if disjoint then
    local n = #want
    want = apart(want)
    assert(#want < n, "no overlap in the list: nothing tested")
  end
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

-- A table is read through its metatable if it has one when its fields are
-- read: here one item's __index gives the other a metatable while the list
-- is added, after both heads were read.
local function late_metatable(doc)
  local before = #doc:entities()
  local b = { type = "LATE", start = 3, stop = 3, rule = "late" }
  local a = setmetatable({ type = "EARLY", start = 1, stop = 2, rule = "early" }, {
    __index = function(_, key)
      if key == "value" then setmetatable(b, { __index = { value = "late", attrs = { k = 1 } } }) end
    end })
  doc:add_entities({ b, a }, { sort = true })
  local got = doc:entities()
  assert(got[before + 1].type == "EARLY" and got[before + 1].value == nil, "the early entity")
  assert(got[before + 2].value == "late" and got[before + 2].attrs.k == 1, "the late metatable was not read")
  -- add_entity and add_entities without sort read through a metatable too
  local made = setmetatable({ start = 1, stop = 2 }, { __index = { type = "MADE", value = "m", attrs = { k = 2 } } })
  doc:add_entity(made)
  doc:add_entities({ made })
  for i = before + 3, before + 4 do
    local e = doc:entities()[i]
    assert(e.type == "MADE" and e.value == "m" and e.attrs.k == 2, "entity " .. i .. " not read through __index")
  end
end

-- With by_type the lists of a table by type are added as their items in
-- one list would be; the lists are left as they were. Without sort, the
-- types come in the order of their names, each list in its order.
local function by_type(list)
  local E = {}
  for _, t in ipairs(list) do
    local k = t.type
    E[k] = E[k] or {}
    E[k][#E[k] + 1] = t
  end
  return E
end

local function same_entities(doc, from, want)
  local got = doc:entities()
  assert(#got == from + #want, ("%d entities added, not %d"):format(#got - from, #want))
  for i, w in ipairs(want) do
    local g = got[from + i]
    assert(g.start == w.start and g.stop == w.stop and g.type == w.type and g.value == w.value,
           ("by_type: entity %d is %s %s, not %s %s"):format(i, g.type, g.value, w.type, w.value))
  end
end

local function check_by_type(doc, n, opts)
  local list = list_of(doc.text, n)
  for i = #list, 1, -1 do if getmetatable(list[i]) then table.remove(list, i) end end
  local E = by_type(list)
  local sizes = {}
  for k, l in pairs(E) do sizes[k] = #l end
  local before = #doc:entities()
  local want
  if opts.sort or opts.disjoint then
    want = textmill.sort_spans(list)
    if opts.disjoint then want = apart(want) end
  else
    local names = {}
    for k in pairs(E) do names[#names + 1] = k end
    table.sort(names)
    want = {}
    for _, k in ipairs(names) do
      for _, t in ipairs(E[k]) do want[#want + 1] = t end
    end
  end
  opts.by_type = true
  doc:add_entities(E, opts)
  for k, l in pairs(E) do assert(#l == sizes[k], "the list of " .. k .. " was changed") end
  same_entities(doc, before, want)
end

local function by_type_errors(doc)
  local n = #doc:entities()
  for _, case in ipairs({
    { { [1] = { { type = "X", start = 1, stop = 1 } } }, "a key is not a type's name" },
    { { PERSON = "Lan" }, "PERSON is not a list" },
    { { DATE = { { type = "DATE", start = 1, stop = 1 }, "2/9" } }, "item 2 of DATE is not a table" },
    { { PERSON = { { type = "PERSON", start = 1, stop = #doc.text + 1 } } }, "outside the text" },
  }) do
    local ok, err = pcall(doc.add_entities, doc, case[1], { by_type = true, sort = true })
    assert(not ok and err:find(case[2], 1, true), tostring(err))
  end
  assert(#doc:entities() == n, "entities were added by a call that failed")
end

function process(doc)
  late_metatable(doc)
  check(doc, list_of(doc.text, 5))   -- few: sorted on the C stack
  check(doc, list_of(doc.text, 300)) -- many: the radix sort
  check(doc, list_of(doc.text, 5), true)
  check(doc, list_of(doc.text, 300), true)
  -- a bad item anywhere stops the call before any entity is added
  local n = #doc:entities()
  local list = list_of(doc.text, 40)
  list[30].stop = #doc.text + 1
  for _, opts in ipairs({ { sort = true }, { disjoint = true } }) do
    local ok, err = pcall(doc.add_entities, doc, list, opts)
    assert(not ok and err:find("outside the text", 1, true), tostring(err))
    assert(#doc:entities() == n, "entities were added before the bad item")
  end
  check_by_type(doc, 300, { sort = true })
  check_by_type(doc, 300, { disjoint = true })
  check_by_type(doc, 40, {})
  by_type_errors(doc)
  doc:set_field("add_in_order", "ok")
end
