-- locations.lua -- LOCATION: countries, regions, provinces (before and after
-- the 2025 reorganisation), districts, communes, villages, border gates.
--
-- The span is the name alone ("Bình Liêu" in "huyện Bình Liêu"); the level
-- word goes to attrs.level. attrs.province is the province the place was in
-- before 2025 (the province itself for a province), attrs.province_2025 the
-- one that covers it now.
local textmill = require("textmill")
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local byte, find, sub = string.byte, string.find, string.sub
local C = require("context")

local M = {}

local LEVEL = { LEVEL = true }
local NOT_IN_NAME = { TITLE = true, RANK = true, ORG = true, ORG_HEAD = true, HONORIFIC = true,
                      LEVEL = true, LEGAL_KIND = true, EVENT_KIND = true, BYLINE = true }
-- Words before "bản", "đồn" ... that make them ordinary words (văn bản).
local NOT_A_LEVEL_AFTER = { ["văn"] = true, ["cơ"] = true, ["phiên"] = true, ["kịch"] = true,
                            ["bản"] = true, ["tài"] = true, ["nhật"] = true }

local function level_before(cx, pos)
  local l = cx:just_before(pos, LEVEL)
  if l and NOT_A_LEVEL_AFTER[cx:word_before(l.start)] then return nil end
  return l
end
-- The same level word's start and the value of key in its attrs, with no
-- table made for it (most callers read one attr), or nil.
local function level_before_start(cx, pos, key)
  local ls, v = cx:just_before_start(pos, LEVEL, key)
  if ls and NOT_A_LEVEL_AFTER[cx:word_before(ls)] then return nil end
  return ls, v
end

-- Pick, among the provinces a district name has, the article's.
local function pick_province(cx, a)
  -- most names lie in one province: no lists made for them
  local prov, now = a.province, a.province_2025
  if type(prov) == "string" and prov ~= "" and not find(prov, "|", 1, true)
     and (now == nil or (type(now) == "string" and now ~= "" and not find(now, "|", 1, true))) then
    return prov, now, nil
  end
  local ps, p25 = C.split(a.province), C.split(a.province_2025 or "")
  if #ps == 1 then return ps[1], p25[1], nil end
  for i, p in ipairs(ps) do
    if p == cx.province then return p, p25[i], nil end
  end
  return ps[1], p25[1], true
end

local DISTRICT_KIND = { DISTRICT = true }
-- Abbreviated level words: the level and the word (H.Thạch Hà: huyện).
-- TP. before a district is a city of a province's (TP.Thủ Đức, TP.Biên Hòa).
local ABBREVIATED = { H = { "district", "huyện" }, Q = { "district", "quận" }, TX = { "district", "thị xã" },
                      TP = { "district", "thành phố" }, TT = { "commune", "thị trấn" }, P = { "commune", "phường" },
                      X = { "commune", "xã" } }

local function province_attrs(value, level_word, a)
  return { level = a.level, province = value, province_2025 = a.province_2025,
           period = a.period, merged_from = a.merged_from, level_word = level_word and level_word.value }
end

-- A country whose name is also a word or a given name (Anh, Đức, Nhật)
-- stands alone as a country: capitalised in mid-sentence, after a word in
-- lower case or a title, and with no capitalised word after it that would
-- make it part of a name (Nguyễn Minh Đức, Anh Tuấn).
local LOWER_WORD_BEFORE = textmill.regex([[(?<![\p{L}\p{M}])\p{Ll}[\p{L}\p{M}]* $]])
local TITLE_KINDS = { TITLE = true, ORG = true }
local PLACE_LIST = { PLACE = true, PROVINCE = true }
local NAMED_KINDS = { ORG = true, PLACE = true, PROVINCE = true }
local function country_alone(cx, s, e)   -- the name's start and stop (read once from the match)
  local text = cx.text
  if not cx:upper_at(s) or sub(text, e + 1, e + 1) == "-" then return false end
  if cx:just_before_start(s, TITLE_KINDS) then return true end      -- Thủ tướng Anh Theresa May
  -- a capitalised word after it is a name of its own, not the rest of this
  -- one, when it is a known body or place (báo Nhật Yomiuri Shimbun)
  if byte(text, e + 1) == 32 and cx:upper_at(e + 2) and not cx:starting_stop(e + 2, NAMED_KINDS) then return false end
  if sub(text, s - 2, s - 1) == ", " and cx:ending_start(s - 3, PLACE_LIST) then
    return true                                                     -- Bavaria, Đức
  end
  return LOWER_WORD_BEFORE:test_in(text, s - 24, s - 1)
end

M.rules = {
  -- The rules' value() functions are handed what they read of the match
  -- (`args`), and return the span they move after the value and attrs:
  -- each read or write of m's fields would be a call into C.
  { type = "LOCATION", layer = "LOCATION", name = "province", on = "PROVINCE", priority = 2, cased = true,
    args = { "start", "value", "attrs" },
    value = function(_, _, cx, start, value, a)
      local ls, rank = level_before_start(cx, start, "rank")
      if rank == "district" or rank == "commune" or rank == "village" then return false end
      if a.needs_level and not ls then return false end
      return value, province_attrs(value, ls and level_before(cx, start), a)
    end },

  { type = "LOCATION", layer = "LOCATION", name = "district", on = "DISTRICT", priority = 2, cased = true,
    follows = LEVEL,                          -- checked in C: most district names have no level word
    args = { "start", "value", "attrs" },
    value = function(_, _, cx, start, value, attrs)
      -- the rank first, with no table: thành phố's rank is province
      local _, rank = level_before_start(cx, start, "rank")
      if rank ~= "district" and rank ~= "commune" and rank ~= "province" then return false end
      local lw = level_before(cx, start)
      if not (rank == "district" or rank == "commune" or lw.value == "thành phố") then
        return false                          -- many district names are parts of people's names
      end
      local p, p25, ambiguous = pick_province(cx, attrs)
      return value, { level = lw.attrs.level == "city" and "district" or lw.attrs.level,
                        kind = lw.value, province = p, province_2025 = p25, ambiguous = ambiguous }
    end },

  -- A district after an abbreviated level word written against it
  -- (H.Thạch Hà, Q.Bình Thạnh, TX.Cửa Lò); apart, such a letter is an
  -- initial (Taraji P. Henson), so these are no LEVEL words of the lexicon.
  -- The regex finds a capital after a dot after one of the letters; value()
  -- reads the level word before the dot. Written from the dot, not from the
  -- letters: PCRE2 then skips to each dot, where the letters made it try a
  -- match at every H, Q, T, P and X of the text (8 times the instructions).
  { type = "LOCATION", layer = "LOCATION", name = "district-abbreviated",
    regex = [[(?<=[HQTPX])\.(\p{Lu})]], group = 1,
    args = { "start" },
    value = function(_, _, cx, start)
      -- the capitals before the dot, two at most: a word that only ends
      -- with one of these (N.V.H.Thạch, XH.) is no level word
      local abbr = sub(cx.text, start - 3, start - 1):match("(%u+)%.$")
      local level, before = ABBREVIATED[abbr], start - #abbr - 2
      if not level or (before >= 1 and find(cx.text, "^[%w.\128-\255]", before)) then return false end
      local d = cx:starting(start, DISTRICT_KIND)
      if not d or not d.cased then return false end
      local p, p25, ambiguous = pick_province(cx, d.attrs)
      return d.value, { level = level[1], kind = level[2], province = p, province_2025 = p25, ambiguous = ambiguous },
        nil, d.stop
    end },

  -- A country, region, sea or island: the entry's value and attrs as they
  -- are, without a call into Lua ...
  { type = "LOCATION", layer = "LOCATION", name = "place", on = "PLACE", priority = 2, cased = true,
    entry = { needs_level = false } },
  -- ... but a name that is also a common word needs its level word: "nước
  -- Đức", not "huyện Đức Cơ".
  { type = "LOCATION", layer = "LOCATION", name = "place", on = "PLACE", priority = 2, cased = true,
    entry = { needs_level = true },
    args = { "start", "stop", "attrs", "value" },
    value = function(_, _, cx, s, stop, a, value)
      local level = a.level
      local ls, lw_level = level_before_start(cx, s, "level")
      if ls then
        if lw_level ~= level then return false end
      elseif not (level == "country" and country_alone(cx, s, stop)) then
        return false
      end
      return value
    end },

  -- Quốc lộ 32, QL 1A, tỉnh lộ 8: a road by its number.
  { type = "LOCATION", layer = "LOCATION", name = "road", on = "ROAD", cased = true, shape = C.shape.upper_at_start,
    regex = [[ ?[0-9]{1,3}[A-Z]?\b]],
    args = { "trigger.stop", "trigger.value", "stop" },
    value = function(_, _, cx, ts, road, stop)
      local n = sub(cx.text, ts + 1, stop):gsub("^ ", "")
      return road .. " " .. n, { level = "road" }
    end },

  -- A capitalised name after a commune- or village-level word, or a border gate, that
  -- no dictionary knows (xã Nghĩa Sơn, bản Huổi Một, cửa khẩu Tây Trang).
  -- Provinces and districts are all in the dictionaries: a name after
  -- "tỉnh" or "huyện" that they lack is rather a person's (Chủ tịch UBND
  -- huyện Nguyễn Văn A), so those level words are left out (in C).
  { type = "LOCATION", layer = "LOCATION", name = "place-after-level", on = "LEVEL", shape = C.shape.capital_after,
    entry = { rank = { "commune", "village", "other", false } },
    regex = [[ (]] .. C.SYL .. [[(?:(?: | - |-)]] .. C.SYL .. [[){0,3})]], group = 1,
    args = { "trigger.start", "trigger.value", "trigger.attrs", "start", "stop" },
    value = function(_, _, cx, ls, level_word, la, s, stop)
      local rank = la.rank
      if NOT_A_LEVEL_AFTER[cx:word_before(ls)] then return false end
      local cut = cx:first_start(s, stop, NOT_IN_NAME)
      if cut == s then return false elseif cut then stop = cut - 2 end
      stop = stop - (#(sub(cx.text, s, stop):match("[%s%-]*$")))
      local a = { level = la.level, kind = level_word }
      if rank ~= "other" and cx.province then a.province, a.province_2025 = cx.province, cx.province_2025 end
      return sub(cx.text, s, stop), a, nil, stop
    end },
}

-- The article's province, from the lexicon's matches before any rule runs:
-- the province named most often (after a level word it counts double), else
-- the one a web address names (kontumtv.vn), else the province of a district
-- named after a level word. Sets cx.province, cx.province_2025 and
-- cx.province_why.
-- Is the match part of a longer place name (Bình Dương in Thái Bình Dương)?
local LONGER_KINDS = { PLACE = true, DISTRICT = true, PROVINCE = true }
local function inside_longer(cx, s, e) return cx:covering_span(s, e, LONGER_KINDS, 24) ~= nil end

local SLUGS
local PROVINCE_KIND = { PROVINCE = true }
local DISTRICT_KIND = { DISTRICT = true }
local DOMAIN_ENDS = { "vn", "com", "net", "org" }
local DOMAIN = textmill.regex([[[a-z0-9][a-z0-9.-]*\.(?:]] .. table.concat(DOMAIN_ENDS, "|") .. [[)\b]])
local DOTTED_ENDS = {}
for i, e in ipairs(DOMAIN_ENDS) do DOTTED_ENDS[i] = "." .. e end
local function has_domain_end(s)
  for _, e in ipairs(DOTTED_ENDS) do
    if find(s, e, 1, true) then return true end
  end
  return false
end

-- The first district name (in text order, the longer first at a place)
-- after a level word whose district lies in one province. The positions
-- come from first_start and a table is made only where a level word stands
-- before one: cx:scanned made one for each district name, most of them
-- words or parts of people's names. Where the longest name there lies in
-- several provinces, a shorter one at the same place may not: those are
-- read from the whole list.
local function district_after_level(cx)
  local p, last = cx:first_start(1, #cx.text, DISTRICT_KIND), #cx.text
  while p do
    if level_before_start(cx, p) then
      local m = cx:starting(p, DISTRICT_KIND)
      if not find(m.attrs.province, "|", 1, true) then return m end
      for _, o in ipairs(cx:scanned(DISTRICT_KIND)) do
        if o.start == p and not find(o.attrs.province, "|", 1, true) then return o end
      end
    end
    p = cx:first_start(p + 1, last, DISTRICT_KIND)
  end
  return nil
end
function M.article_province(cx)
  -- the provinces alone (the many district names, most of them words or
  -- parts of people's names, only when no province is named); no table
  -- made for a match
  local score, best, why, p2025 = {}, nil, nil, {}
  for start, stop, value, attrs, cased in cx:each_scanned(PROVINCE_KIND) do
    if not attrs.needs_level and cased and not inside_longer(cx, start, stop) then
      local ls, rank = level_before_start(cx, start, "rank")
      if rank ~= "district" and rank ~= "commune" and rank ~= "village" then
        score[value] = (score[value] or 0) + (ls and 2 or 1)
        p2025[value] = attrs.province_2025
      end
    end
  end
  for p, n in pairs(score) do
    if not best or n > score[best] or (n == score[best] and p < best) then best = p end
  end
  why = best and "named"
  if not best then
    SLUGS = SLUGS or textmill.gazetteer(cx.dir .. "/slugs.tsv", { whole_words = false })
    local src = cx.doc:field("source")
    local hay = (type(src) == "string" and src or "") .. " " .. cx:head(400)
    -- every address DOMAIN finds holds one of its endings as written: without
    -- them (nearly every article) its search, which tries a match at every
    -- small ASCII letter, is not made
    if has_domain_end(hay) then
      for s, e in DOMAIN:gmatch(hay) do
        local ms = SLUGS:matches(sub(hay, s, e))
        if ms[1] then best, why = ms[1].value, "web address"; break end
      end
    end
  end
  if not best then
    local m = district_after_level(cx)
    if m then
      best, why = m.attrs.province, "district"
      p2025[best] = m.attrs.province_2025
    end
  end
  cx.province, cx.province_why, cx.province_2025 = best, why, best and p2025[best]
  if best and not cx.province_2025 then
    for _, _, value, attrs in cx:each_scanned(PROVINCE_KIND) do
      if value == best then cx.province_2025 = attrs.province_2025; break end
    end
  end
end

-- Post step: a district name seen after a level word is a place wherever
-- else it appears (headlines drop the level word), unless a person's name
-- holds it; a commune's province is the article's.
function M.post(E, cx)
  local known, places = {}, E.LOCATION or {}
  for i = 1, #places do
    local l = places[i]
    if l.rule == "district" or l.rule == "place-after-level" then known[l.value] = l end
  end
  if not next(known) then return end
  textmill.tone_keys(known)   -- a value as written (Thanh Thuỷ) finds the dictionary's (Thanh Thủy)
  local taken = {}
  for i = 1, #places do taken[places[i].start] = true end
  for start, stop, value, _, cased in cx:each_scanned(DISTRICT_KIND) do
    local l = known[value]
    if l and not taken[start] and cased then
      E.LOCATION[#E.LOCATION + 1] = { type = "LOCATION", start = start, stop = stop, value = l.value,
                                      attrs = l.attrs, rule = "district-again" }
      taken[start] = true
    end
  end
  -- (rules.phases puts the list back in text order)
end

return M
