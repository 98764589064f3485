-- A tour of the rule engine: one pack that scans a small lexicon and the
-- numbers of a text once, rules that start from those matches, and the
-- phases after the rules. docs/rules.md ("The rule engine") walks through it;
-- engine_tour.test.yaml is its test.
local textmill = require("textmill")
local rules = require("rules")

-- The dictionary every rule below reads from, scanned once per document.
local lexicon = textmill.gazetteer({
  { "ông", type = "HONORIFIC", value = "ông" },
  { "bà", type = "HONORIFIC", value = "bà" },
  { "Chủ tịch", type = "TITLE", sector = "government" },
  { "Phó Chủ tịch", type = "TITLE", sector = "government", deputy = "1" },
  { "Đại tá", type = "TITLE", sector = "military" },
  { "Hòa Bình", type = "PROVINCE", level = "province" },
  { "Điện Biên", type = "PROVINCE", level = "province" },
  { "Mường Chà", type = "DISTRICT" },
  { "tỉnh", type = "LEVEL", rank = "province" },
  { "huyện", type = "LEVEL", rank = "district" },
  { "xã", type = "LEVEL", rank = "commune" },
  { "bản", type = "LEVEL", rank = "village" },
  { "Bộ", type = "ORG_WORD", defer = "1" },
  { "Bộ luật Hình sự", type = "LAW" },
}, { overlaps = true })
local LEVEL = { LEVEL = true }

local pack = rules.pack({
  -- A province: its match in the dictionary, kept only when written with
  -- its capitals ("hòa bình" is peace). No value(): the entry's value and
  -- attrs are the entity's, and Lua is never called.
  { type = "LOCATION", name = "province", on = "PROVINCE", cased = true },

  -- A district: a name that is also a person's ("ông Mường Chà") counts
  -- only after a level word, spaces between (`follows`, in C), and only
  -- after a district's (huyện, not xã): value() reads the level word's
  -- rank with cx:just_before_start, which makes no table for the word.
  { type = "LOCATION", name = "district", on = "DISTRICT", follows = LEVEL,
    value = function(m, _, cx)
      local _, rank = cx:just_before_start(m.start, LEVEL, "rank")
      if rank ~= "district" then return false end
      return m.value
    end },

  -- A commune or a village no dictionary knows: the capitalised name after
  -- "xã" or "bản", but not after "tỉnh" or "huyện" (`entry`: the level
  -- word's rank is one of the list, decided once per entry). No value().
  { type = "LOCATION", name = "commune", on = "LEVEL", entry = { rank = { "commune", "village" } },
    shape = rules.shape.capital_after, regex = [[ (\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*){0,2})]], group = 1 },

  -- A title: the dictionary match, its attrs made from the entry's by
  -- entry_attrs, once per entry (not per match), merged over the entry's.
  { type = "TITLE", name = "title", on = "TITLE",
    entry_attrs = function(a) return { kind = "position", deputy = a.deputy and true or nil } end },

  -- A law, listed; and a body: a word such as "Bộ", a capitalised word
  -- and maybe one more (Bộ Quốc phòng), in a layer of its own, so that a
  -- law does not settle it by overlapping. A word marked defer gives way
  -- to a longer law starting with it (`defer`, in C: Bộ Luật Hình sự is no
  -- body), before any Lua would run.
  { type = "LAW", name = "law", on = "LAW" },
  { type = "ORG", name = "body", layer = "ORG", on = "ORG_WORD", shape = rules.shape.capital_after,
    regex = [[ \p{Lu}[\p{Ll}\p{M}]*(?: [\p{Ll}\p{M}]+)?]], defer = { kinds = { LAW = true }, entry = { defer = true } } },

  -- A name after an honorific: the regex runs anchored right after the
  -- honorific, in C; value() sees the capture and the honorific (m.trigger).
  -- In a layer of its own, so that a place it runs into stays for the
  -- phases to settle (rules.trim, below).
  { type = "PERSON", name = "person", layer = "PERSON", on = "HONORIFIC", shape = rules.shape.capital_after,
    regex = [[ (\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*){0,3})]], group = 1,
    value = function(m) return m.text, { honorific = m.trigger.value } end },

  -- Initials followed by an age (N.V.H. (SN 1991)): the scan for the
  -- initials would try every capital of every text; `needs` has the
  -- engine search for the age first, once per document, and the rule
  -- runs only where there is one.
  { type = "PERSON", name = "initials-age", regex = [[\p{Lu}(?:\.\p{Lu}){1,3}\.?(?= \((?:SN \d{4}|\d{1,3} tuổi)\))]],
    needs = [[\((?:SN \d{4}|\d{1,3} tuổi)\)]] },

  -- A day and month after "ngày": the number's shape and the word before
  -- it are tested in C; value() only builds the ISO value.
  { type = "DATE", name = "day-month", on = "NUM_DM", before = [[[Nn]gày +]],
    value = function(m, doc)
      local d, mo = m.text:match("^(%d+)/(%d+)$")
      local y = (doc:field("published") or ""):match("^(%d%d%d%d)")
      if not y then return nil, { year = "unknown" } end
      return string.format("%s-%02d-%02d", y, tonumber(mo), tonumber(d))
    end },

  -- A count of people: a number with "người" after it; "khoảng" (about)
  -- before it makes it rough (cx:word_before: the engine's, in C). `args`
  -- hands value() the number's text, start and stop after (m, doc, cx), read
  -- in C (each read of m.text is a call through the match's metatable);
  -- such a value() returns the span after the value and attrs (nil: as
  -- matched), here the stop past the word.
  { type = "QUANTITY", name = "people", on = "NUM_INT", after = [[ người\b]],
    args = { "text", "start", "stop" },
    value = function(_, _, cx, text, start, stop)
      local rough = cx:word_before(start) == "khoảng" and { approx = true } or nil
      return tonumber(text), rough, nil, stop + #" người"
    end },
}, {
  lexicon = lexicon,
  tokens = { NUMBER = [[(?<![0-9/])[0-9]+(?:/[0-9]+)?(?![0-9/])]] },
  -- numbers by shape, so that each rule meets only the numbers it reads
  retype = { { "NUMBER", "[0-9]{1,2}/[0-9]{1,2}", "NUM_DM" }, { "NUMBER", "[0-9]+", "NUM_INT" } },
})

-- After the rules: a name that ran into the place after it ends before
-- it, a person's titles (the ones after the name), later mentions of a
-- full name, and no place inside a person's name. Each phase says what it
-- reads and writes; the library checks it.
local phases = rules.phases({
  rules.trim { type = "PERSON", with = { "LOCATION" } },
  rules.attach { type = "PERSON", from = "TITLE", key = "titles", seps = { ", " } },
  rules.again { type = "PERSON", min_words = 2, skip = { "LOCATION" } },
  rules.drop { type = "LOCATION", overlapping = { "PERSON" } },
  { name = "byline", reads = { "PERSON" }, writes = { "PERSON" },
    run = function(E, cx)
      -- a custom step: a name alone on the last line signs the article
      for _, p in ipairs(E.PERSON or {}) do
        if p.stop == #cx.text and cx.text:sub(p.start - 1, p.start - 1) == "\n" then
          p.attrs = p.attrs or {}
          p.attrs.role = "byline"
        end
      end
    end },
}, { from = { "LOCATION", "TITLE", "PERSON", "DATE", "QUANTITY", "LAW", "ORG" } })

local lookups   -- the engine's lookups bound to it (made once)

function process(doc)
  pack:begin(doc)
  -- the document's context; the bound lookups take it as self, so
  -- cx:word_before(pos) is one call into C (the engine's own methods,
  -- pack.engine.word_before, would read cx.engine at each call)
  lookups = lookups or pack.engine:lookups()
  local cx = { text = doc.text, engine = pack.engine, word_before = lookups.word_before,
               just_before_start = lookups.just_before_start }
  -- the resolved candidates by type, each list in text order: what the
  -- phases take (pack:find(doc, cx) gives them as one list)
  local E = pack:find_by_type(doc, cx)
  phases:run(E, cx)
  -- every list's entities in one call, added in text order, no two of
  -- one type sharing a byte
  doc:add_entities(E, { by_type = true, sort = true, disjoint = true })
end
