-- context.lua -- what the rules of the pack know about the document at hand.
--
-- C.begin(doc, pack, settings) makes a fresh context for one document:
-- its text, lookups of the pack's scanned matches, the publication
-- date, the article's province and what the article itself teaches (the
-- abbreviations it spells out). Rules get it as the third argument of
-- value(m, doc, cx) and shape(m, doc, cx); post steps as post(E, cx).
-- Nothing is carried from one document to the next but the bounded
-- caches below, which hold answers that depend on their key alone.
local textmill = require("textmill")
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local byte, sub, match = string.byte, string.sub, string.match

local C = {}

-- Regex pieces shared by the families.
C.SYL = [[\p{Lu}[\p{Ll}\p{M}']*]]                    -- a capitalised syllable
C.NAME = C.SYL .. [[(?: ]] .. C.SYL .. [[){0,3}]]      -- one to four of them
-- A date that opens the next sentence right after a name: a space, a
-- capitalised date word and a number (Bùi Lành [Ngày 11/7], Tòa án Tối
-- cao [Ngày 7/2]); a name ends before it.
C.DATE_AHEAD = textmill.regex([=[ (?:Ngày|Năm|Tháng|Sáng|Trưa|Chiều|Tối|Đêm|Hôm|Đầu|Giữa|Cuối) [0-9]]=])

local LOWER_WORD = textmill.regex([[(?:^|[\s\-])\p{Ll}]])

-- A cache of compute(key, ...) by key, emptied when it holds `limit`
-- answers: the same few thousand words and numbers come back in every
-- article, and a run must not grow without end. compute must not return nil.
function C.memo(limit, compute)
  local t, n = {}, 0
  return function(key, ...)
    local v = t[key]
    if v == nil then
      v = compute(key, ...)
      if n >= limit then t, n = {}, 0 end
      t[key], n = v, n + 1
    end
    return v
  end
end

-- NUMBER tokens by shape: the pack retypes each (rules.pack's retype
-- option, in C), so that a number meets only the rules written for its
-- shape (on = "NUM_DMY" ...), not all of them. The first whose regex
-- matches all of the number wins.
C.NUMBER_SHAPES = {
  { "NUMBER", [[[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{4}]], "NUM_DMY" },   -- 24/02/2022
  { "NUMBER", [[[0-9]{1,2}-[0-9]{1,2}/[0-9]{1,2}/?[0-9]*]], "NUM_DDM" },     -- 15-16/8/2023
  { "NUMBER", [[[0-9]{1,2}[/\-][0-9]{1,2}]], "NUM_DM" },                    -- 14/12, 10-1
  { "NUMBER", [[[0-9]{1,2}/[0-9]{4}]], "NUM_MY" },                          -- 3/2024
  { "NUMBER", [[[0-9]{1,2}:[0-9]{2}]], "NUM_HM" },                          -- 12:16
  { "NUMBER", [[[0-9]{4}-[0-9]{4}]], "NUM_YY" },                            -- 2021-2030
  { "NUMBER", [[[0-9]+]], "NUM_INT" },                                      -- 79, 2022
  { "NUMBER", [[[0-9.,]+]], "NUM_DEC" },                                    -- 31.801, 2,1
}

local Cx = {}
Cx.__index = Cx

-- begin(doc, pack, settings): pack is the rule pack, which has scanned
-- the document (pack:begin(doc)); settings.dir is where the dictionaries
-- are.
local bound_to   -- the engine whose lookups Cx holds
function C.begin(doc, pack, settings)
  if bound_to ~= pack.engine then
    -- the engine's lookups bound to it (e:lookups(), listed by the
    -- engine), which take the context as self: no Lua call in between,
    -- and no read of cx.engine in C at each call
    for name, f in pairs(pack.engine:lookups()) do Cx[name] = f end
    bound_to = pack.engine
  end
  local cx = setmetatable({ doc = doc, text = doc.text, engine = pack.engine,
                            dir = settings and settings.dir, learned = {} }, Cx)
  cx.pub = cx:publication()
  return cx
end

-- The pack's scanned matches, looked up in C by the engine's methods
-- (set by C.begin). kinds is a set of types ({ LEVEL = true }): keep it in
-- a variable, the engine remembers each set.
--   cx:starting(pos, kinds), cx:ending(pos, kinds): the longest match of
--     kinds starting (ending) at pos, or nil
--   cx:starting_stop(pos, kinds [, key]): that match's stop (and the value
--     of key in its entry's attrs), or nil: no table made, for a rule that
--     reads nothing else (local stop, level = cx:starting_stop(s, PLACE, "level"))
--   cx:covering(start, stop, kinds [, reach]): the first match of kinds, in
--     text order, that holds start..stop and is longer, starting at most
--     reach bytes before start (default 80), or nil; cx:covering_span(...)
--     the same match's start and stop, no table made
--   cx:first_start(from, to, kinds): the first position in [from, to] where
--     a match of kinds starts, or nil
--   cx:scanned(kinds): the matches of kinds, in text order
--   cx:each_scanned(kinds): the same as an iterator, no table made for a
--     match: for start, stop, value, attrs, cased in cx:each_scanned(kinds)
--   cx:just_before(pos, kinds), cx:just_after(stop, kinds): the match of
--     kinds that ends just before pos (starts just after stop), spaces between
--   cx:ending_start(stop, kinds [, key]), cx:just_before_start(pos, kinds [, key]):
--     the start (and attr) of ending's (just_before's) match, or nil: no table

-- Does every word that is capitalised in `key` start with a capital in
-- `surface`? ("Hòa Bình" is a province, "hòa bình" is peace.) Answers are
-- kept: the same names come back in every article.
local function count_lower(s)
  local n = 0
  for _ in LOWER_WORD:gmatch(s) do n = n + 1 end
  return n
end
local cased = C.memo(50000, function(_, surface, key) return count_lower(surface) <= count_lower(key) end)
function C.cased_like(surface, key) return cased(surface .. "\0" .. key, surface, key) end

-- cx:upper_at(pos): does a capital letter start at pos? (the engine's,
-- set by C.begin)

-- Does a capital letter start right after the match (one space between)?
-- capital_after_stop asks it of a stop, where the caller has no match.
function Cx:capital_after_stop(stop) return byte(self.text, stop + 1) == 32 and self:upper_at(stop + 2) end
function Cx:capital_after(m) return self:capital_after_stop(m.stop) end

-- Shape tests for rules (shape = C.shape.capital_after), run in C.
C.shape = require("rules").shape

-- The text of up to n bytes before pos, from a character boundary; and
-- where it starts.
function Cx:window(pos, n)
  local text = self.text
  local w0 = math.max(1, pos - n)
  while w0 > 1 and (byte(text, w0) & 0xC0) == 0x80 do w0 = w0 + 1 end
  return sub(text, w0, pos - 1), w0
end

-- cx:word_before(pos): the word before pos (lower case), or "": skip
-- spaces and commas back from pos, then take the letters and digits before
-- them (bytes >= 128 are parts of Vietnamese letters). This runs for most
-- dictionary matches: the engine's, set by C.begin, all in C.

-- Publication date {y, m, d}: meta.published, else nil. A date the text
-- merely opens with is not evidence of publication (extract.metadata keeps
-- such a date apart, as published_guess), so a day and month without a
-- year stay without one rather than take a guessed year.
function Cx:publication()
  local p = self.doc:field("published")
  if type(p) == "string" then
    local y, m, d = match(p, "^(%d%d%d%d)-(%d%d)-(%d%d)")
    if y then return { y = tonumber(y), m = tonumber(m), d = tonumber(d), from = "meta" } end
  end
  return nil
end

-- The first n bytes of the text, cut at a character boundary.
function Cx:head(n)
  local text = self.text
  if n >= #text then return text end
  while n > 0 and (byte(text, n + 1) & 0xC0) == 0x80 do n = n - 1 end
  return sub(text, 1, n)
end

-- Split "A|B|C" attribute values.
function C.split(s)
  local t = {}
  for x in tostring(s):gmatch("[^|]+") do t[#t + 1] = x end
  return t
end

return C
