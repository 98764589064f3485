-- context.lua -- what the rules of the pack know about the document at hand.
--
-- One table per Lua state, refilled for each document by begin(): the text,
-- the lexicon's matches indexed by position, the publication date and the
-- article's province. Rule value() functions and the post-processing steps
-- read it; nothing here adds entities.
local textmill = require("textmill")
local is_upper = textmill.is_upper

local C = {}

-- Regex pieces shared by the families.
C.SYL = [[\p{Lu}[\p{Ll}\p{M}']*]]                    -- a capitalised syllable
C.NAME = C.SYL .. [[(?: ]] .. C.SYL .. [[){0,3}]]      -- one to four of them

local LOWER_WORD = textmill.regex([[(?:^|[\s\-])\p{Ll}]])
local DATE_HEAD = textmill.regex([[\b([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})\b]])

-- begin(doc, scanned): scanned is what the pack's scan() returned.
-- NUMBER tokens by shape: begin() retypes each, so that a number meets only
-- the rules written for its shape (on = "NUM_DMY" ...), not all of them.
C.NUMBER_SHAPES = {
  { "^%d%d?[/.-]%d%d?[/.-]%d%d%d%d$", "NUM_DMY" },    -- 24/02/2022
  { "^%d%d?%-%d%d?/%d%d?/?%d*$", "NUM_DDM" },         -- 15-16/8/2023
  { "^%d%d?[/-]%d%d?$", "NUM_DM" },                   -- 14/12, 10-1
  { "^%d%d?/%d%d%d%d$", "NUM_MY" },                   -- 3/2024
  { "^%d%d?:%d%d$", "NUM_HM" },                       -- 12:16
  { "^%d%d%d%d%-%d%d%d%d$", "NUM_YY" },               -- 2021-2030
  { "^%d+$", "NUM_INT" },                             -- 79, 2022
  { "^[%d.,]+$", "NUM_DEC" },                         -- 31.801, 2,1
}
-- The same numbers come back in every article (years, days): their shapes
-- are remembered, up to a bound.
local shape_of, shapes_known = {}, 0
local function classify(m)
  local text = m.text
  local t = shape_of[text]
  if t == nil then
    t = false
    for _, sh in ipairs(C.NUMBER_SHAPES) do
      if text:find(sh[1]) then t = sh[2]; break end
    end
    if shapes_known > 20000 then shape_of, shapes_known = {}, 0 end
    shape_of[text], shapes_known = t, shapes_known + 1
  end
  if t then m.type = t end
end

C.dir = "../../config/gazetteers"   -- where the dictionaries are; set by init

function C.begin(doc, scanned)
  C.doc, C.text = doc, doc.text
  local by_start, by_stop = {}, {}
  for _, m in ipairs(scanned) do
    if m.type == "NUMBER" then classify(m) end
    local t = by_start[m.start]
    if not t then t = {}; by_start[m.start] = t end
    t[#t + 1] = m
    t = by_stop[m.stop]
    if not t then t = {}; by_stop[m.stop] = t end
    t[#t + 1] = m
  end
  C.by_start, C.by_stop = by_start, by_stop
  C.province, C.province_2025, C.province_why = nil, nil, nil
  C.pub = C.publication(doc)
end

-- The longest scanned match of one of `kinds` (a set) starting (ending) at pos.
local function pick(list, kinds)
  if not list then return nil end
  local best
  for _, m in ipairs(list) do
    if kinds[m.type] and (not best or m.stop - m.start > best.stop - best.start) then best = m end
  end
  return best
end
function C.starting(pos, kinds) return pick(C.by_start[pos], kinds) end
function C.ending(pos, kinds) return pick(C.by_stop[pos], kinds) end

-- The scanned match of `kinds` that ends just before pos, one space between.
function C.just_before(pos, kinds)
  local text = C.text
  local p = pos - 1
  while p > 0 and text:byte(p) == 32 do p = p - 1 end
  if p == pos - 1 then return nil end
  return C.ending(p, kinds)
end

-- The scanned match of `kinds` that starts just after stop, spaces between.
function C.just_after(stop, kinds)
  local text = C.text
  local p = stop + 1
  while text:byte(p) == 32 do p = p + 1 end
  if p == stop + 1 then return nil end
  return C.starting(p, kinds)
end

-- The first position in [from, to] where a match of `kinds` starts.
function C.first_start(from, to, kinds)
  for p = from, to do
    if pick(C.by_start[p], kinds) then return p end
  end
  return nil
end

-- Does every word that is capitalised in `key` start with a capital in
-- `surface`? ("Hòa Bình" is a province, "hòa bình" is peace.) Answers are
-- kept: the same names come back in every article.
local cased = {}
local function count_lower(s)
  local n = 0
  for _ in LOWER_WORD:gmatch(s) do n = n + 1 end
  return n
end
function C.cased_like(surface, key)
  local k = surface .. "\0" .. key
  local v = cased[k]
  if v == nil then
    v = count_lower(surface) <= count_lower(key)
    if #cased > 50000 then cased = {} end
    cased[k] = v
  end
  return v
end

-- Does a capital letter start at pos?
function C.upper_at(pos) return is_upper(C.text, pos) end

-- Does a capital letter start right after the match (one space between)?
function C.capital_after(m) return C.text:byte(m.stop + 1) == 32 and C.upper_at(m.stop + 2) end

-- The text of up to n bytes before pos, from a character boundary; and
-- where it starts.
function C.window(pos, n)
  local w0 = math.max(1, pos - n)
  while w0 > 1 and (C.text:byte(w0) & 0xC0) == 0x80 do w0 = w0 + 1 end
  return C.text:sub(w0, pos - 1), w0
end

-- The word before pos (lower case), or "": skip spaces and commas back
-- from pos, then take the letters and digits before them (bytes >= 128 are
-- parts of Vietnamese letters). A loop over bytes: this runs for most
-- dictionary matches.
local lowered = setmetatable({}, { __index = function(t, w)
  local v = textmill.lower(w); t[w] = v; return v end })
local function wordish(b)
  return b >= 128 or (b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= 122)
end
function C.word_before(pos)
  local text = C.text
  local e = pos - 1
  while e > 0 and (text:byte(e) == 32 or text:byte(e) == 44) do e = e - 1 end
  local s = e
  while s > 0 and pos - s < 40 and wordish(text:byte(s)) do s = s - 1 end
  -- The 40-byte cap may stop inside a character: start at the next one.
  while s < e and (text:byte(s + 1) & 0xC0) == 0x80 do s = s + 1 end
  if s == e then return "" end
  return lowered[text:sub(s + 1, e)]
end

-- Publication date {y, m, d}: meta.published, else the first full date in
-- the opening lines (the date line under the title), else nil.
function C.publication(doc)
  local p = doc:field("published")
  if type(p) == "string" then
    local y, m, d = p:match("^(%d%d%d%d)-(%d%d)-(%d%d)")
    if y then return { y = tonumber(y), m = tonumber(m), d = tonumber(d), from = "meta" } end
  end
  local s, e, d, m, y = DATE_HEAD:find(C.text)
  if s and s <= 600 then
    d, m, y = tonumber(d), tonumber(m), tonumber(y)
    if m >= 1 and m <= 12 and d >= 1 and d <= 31 then return { y = y, m = m, d = d, from = "text" } end
  end
  return nil
end

-- The first n bytes of the text, cut at a character boundary.
function C.head(n)
  if n >= #C.text then return C.text end
  while n > 0 and (C.text:byte(n + 1) & 0xC0) == 0x80 do n = n - 1 end
  return C.text:sub(1, n)
end

-- Split "A|B|C" attribute values.
function C.split(s)
  local t = {}
  for x in tostring(s):gmatch("[^|]+") do t[#t + 1] = x end
  return t
end

return C
