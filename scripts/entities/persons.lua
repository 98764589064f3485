-- persons.lua -- PERSON: names after honorifics (Đồng chí, ông, bà), ranks
-- and positions, before a position ("Lê Thành Đô, Phó Bí thư Tỉnh ủy"), in
-- bylines, and every later mention of a name found once.
--
-- The span is the name alone. attrs carry what the text says about the
-- person: rank, titles (in the order written), org (of the first title),
-- honorific, and role = "byline" for an author.
local textmill = require("textmill")
local C = require("context")
-- (string.byte(text, i), not text:byte(i): a method call on a string looks
-- the name up in the strings' metatable first, each time)
local byte, find, sub, match = string.byte, string.find, string.sub, string.match

local M = {}

-- Kinds that cannot start or sit inside a personal name.
local NOT_IN_NAME = { TITLE = true, RANK = true, ORG = true, ORG_HEAD = true, HONORIFIC = true,
                      LEVEL = true, LEGAL_KIND = true, EVENT_KIND = true, BYLINE = true, NOT_NAME = true,
                      ABBR = true, EVENT = true, LAW = true, ROLE = true }
local LEVEL = { LEVEL = true }
local ORG_WORD = { ORG = true, ORG_HEAD = true, ORG_WORD = true }
local names = require("names")
local span = require("rules").span
local capital_word_before = textmill.capital_word_before
local find_in = textmill.find_in
local NAME = names.NAME

-- A name right before ", <title>": the window ends with "Name, ".
-- Particles of a foreign surname written before it in small letters (von
-- der Leyen, van Dijk, de Gea) when the article names the person by it.
local PARTICLES_BEFORE = textmill.regex([[(?<![\p{L}\p{M}])((?:]] .. names.PARTICLES .. [[ )+)$]])
local PARTICLE_IN = textmill.regex([[(?i) ]] .. names.PARTICLES .. [[ ]])
-- Does the full name have such particles? (a test of the short name, in C)
local function has_particles(value) return PARTICLE_IN:test(value) end
local KOREAN_TAIL = textmill.regex([[ (\p{Lu}[a-z]+ \p{Lu}[a-z]+-[a-z]+)$]])
-- (asked with textmill.find_in of the 80 bytes before the title, in place:
-- \G is where the window starts)
local NAME_BEFORE_COMMA = textmill.regex([[(?:\G|[\s(:;])(]] .. C.NAME .. [[),\s*$]])

-- The name at s..e with each word capitalised: "Đỗ Xuân trường" -> "Đỗ
-- Xuân Trường" (in C: most names need no change, and are then one copy)
local proper = textmill.proper

-- A name that is all a quotation holds is the title of a work: " ' “ ‘ «
-- right before s, " ' ” ’ » right after e. (Read as bytes: “ is E2 80 9C,
-- ‘ E2 80 98, ” E2 80 9D, ’ E2 80 99, « C2 AB, » C2 BB; no string made.)
-- (b: the byte at s - 1; c, c2, c3: the three after e, read by the caller)
local function opens_quote(text, s, b)
  return b == 34 or b == 39 or ((b == 0x9C or b == 0x98) and s > 3 and byte(text, s - 2) == 0x80 and byte(text, s - 3) == 0xE2)
    or (b == 0xAB and s > 2 and byte(text, s - 2) == 0xC2)
end
local function closes_quote(c, c2, c3)
  return c == 34 or c == 39 or (c == 0xE2 and c2 == 0x80 and (c3 == 0x9D or c3 == 0x99)) or (c == 0xC2 and c2 == 0xBB)
end
local function quoted(text, s, e)
  return opens_quote(text, s, byte(text, s - 1)) and closes_quote(byte(text, e + 1, e + 3))
end

-- A country written before a foreign name of two words or more is not part
-- of it (Chuẩn đô đốc Nhật Yoshihiro Goka, Thủ tướng Đức Angela Merkel);
-- before one word it may be the name (ca sĩ Mỹ Linh). drop_country gives
-- the name's start without it.
local PLACE = { PLACE = true }
-- (starting_stop: the stop and the level with no table made for the match)
local function drop_country(cx, s, e)
  local stop, level = cx:starting_stop(s, PLACE, "level")
  if level == "country" and byte(cx.text, stop + 1) == 32 then
    local space = find(cx.text, " ", stop + 2, true)
    if space and space < e then return stop + 2 end
  end
  return s
end

-- Words that end a name where the text lost a full stop or a line break
-- (Bị cáo Bành Thị Hạnh Tại cơ quan ..., Nguyễn Văn Tùng Chiều 30/6, a
-- credit: Hoàng Cường Ảnh). Kept here, not in the lexicon: in lower case
-- they are among the commonest words, and every match would be scanned.
local OPENER = {}
for w in ([[Tại Chiều Sáng Trưa Tối Hôm Theo Khi Sau Trong Vào Lúc Với Ngoài Tuy Nhưng Trước Để Do Đến Ảnh Nhóm
           Việc Cuộc Hình]]):gmatch("%S+") do
  OPENER[w] = true
end
-- Sáng is a given name too (Mai Xuân Sáng): it opens a sentence only before
-- a day, a date or a time (Sáng nay, Sáng 30/6, Sáng cùng ngày).
local GIVEN_OPENER = { ["Sáng"] = true }
local TIME_NEXT = {}
for w in ([[nay qua mai cùng ngày hôm sớm muộn thứ chủ mùng mồng]]):gmatch("%S+") do TIME_NEXT[w] = true end
local function opens_sentence(text, w, stop)
  if not GIVEN_OPENER[w] then return true end
  local nxt = match(text, "^ (%S+)", stop + 1)
  return nxt ~= nil and (find(nxt, "^%d") ~= nil or TIME_NEXT[nxt] ~= nil)
end
-- A last word that opens a compound with the next word in lower case: a
-- body or a thing (Đoàn Ủy ban Quân lực, Đoàn Nghệ thuật, Tăng Thiết giáp,
-- sinh viên Đại học, Đoàn Tùy viên, làng giải trí Hoa ngữ). What is left
-- is no name when it is one word or none (Trường Trung học).
local COMPOUND_NEXT = { ["Ủy"] = { ["ban"] = true, ["viên"] = true }, ["Nghệ"] = { ["thuật"] = true },
                        ["Thiết"] = { ["giáp"] = true }, ["Tùy"] = { ["viên"] = true },
                        ["Đại"] = { ["học"] = true, ["diện"] = true, ["biểu"] = true, ["hội"] = true, ["sứ"] = true },
                        ["Toàn"] = { ["bộ"] = true, ["quốc"] = true, ["dân"] = true, ["diện"] = true, ["cầu"] = true },
                        ["Trung"] = { ["học"] = true, ["bộ"] = true },
                        ["Tiểu"] = { ["học"] = true }, ["Du"] = { ["lịch"] = true }, ["Cán"] = { ["sự"] = true, ["bộ"] = true },
                        ["Nam"] = { ["bộ"] = true }, ["Bắc"] = { ["bộ"] = true }, ["Phát"] = { ["biểu"] = true },
                        ["Liên"] = { ["đoàn"] = true, ["bang"] = true, ["minh"] = true, ["doanh"] = true, ["hiệp"] = true },
                        ["Quốc"] = { ["gia"] = true, ["tế"] = true, ["hội"] = true, ["phòng"] = true, ["lộ"] = true },
                        ["Việt"] = { ["kiều"] = true },
                        ["Cao"] = { ["đẳng"] = true }, ["Hoa"] = { ["ngữ"] = true }, ["Hán"] = { ["ngữ"] = true },
                        ["Vàng"] = { ["bạc"] = true } }
textmill.tone_keys(COMPOUND_NEXT)   -- Uỷ ban as Ủy ban: text may spell tones either way

-- One pass over the words of m after the first: false when one makes it a
-- club's, a company's, a product's (names.thing_word); cut at a sentence
-- opener or at a last word that opens a compound with the next one.
local extra = {}
for w in pairs(OPENER) do extra[#extra + 1] = w end
for w in pairs(COMPOUND_NEXT) do extra[#extra + 1] = w end
table.sort(extra)
local SUSPECT_WORD = names.word_test(extra)
local SUSPECT_SET = names.word_set(extra)

-- The stop of the name at s..e, cut, or false. (Asked by clean_name, in
-- C, of the names that hold one of those words, a hyphen or an
-- apostrophe and that the regex finds suspect: most hold none.)
local function check_words(text, s, e)
  local name = sub(text, s, e)
  if find(name, "'s%f[^%w]") or names.joins_places(name) then return false end   -- Giant's Causeway, Kim Mã-Yên Nghĩa
  local n = 0
  for at, w in name:gmatch("()(%S+)") do
    n = n + 1
    if names.thing_word(w) then return false end
    local stop = s + at + #w - 2
    local compound = COMPOUND_NEXT[w]
    if compound and stop == e and compound[match(text, "^ (%S+)", stop + 1) or ""] then
      if n <= 2 then return false end
      return s + at - 3
    end
    if n > 1 and OPENER[w] and opens_sentence(text, w, stop) then
      return s + at - 3
    end
  end
  return e
end

-- Tướng (a general) and Ngài (His Excellency) before a name are outside
-- it: Tướng David Goldfein, Tổng tham mưu trưởng ...; Ngài Ted Osius, Đại
-- sứ. Not words of the lexicon: that would test every "tướng" of Thủ
-- tướng, and Ngài is mostly followed by a title (Ngài Thượng nghị sỹ).
local LEAD = { ["Tướng"] = true, ["Ngài"] = true }

-- clean_name(cx, s, e): the name at s..e cut where a dictionary word
-- starts (a title, a place ...), less a lead word; false when nothing is
-- left, when the name is a club's, a company's, a product's (check_words),
-- a title in quotes, a street glued to another by a hyphen or a code
-- (Covid-19); else the name's new start and stop. A last word that opens
-- a date after it (Ảnh: Bùi Lành [Ngày 11/7]) is left out. In C
-- (textmill.name_cutter): the rules and the post step ask it of some
-- 2,900 names of the tenth of the dev articles.
local clean_name = textmill.name_cutter({ lead = LEAD, not_in_name = NOT_IN_NAME, suspect_set = SUSPECT_SET,
                                          suspect_bytes = "'-", suspect_word = SUSPECT_WORD,
                                          date_ahead = C.DATE_AHEAD, check_words = check_words })

-- A country of two words or more after an honorific is never a name
-- (liệt sĩ Việt Nam, người đàn ông Ấn Độ).
local function a_country(cx, s, e)
  local space = find(cx.text, " ", s, true)
  if not space or space > e then return false end
  local stop, level = cx:starting_stop(s, PLACE, "level")
  return stop == e and level == "country"
end

-- A rule's result for the name matched at s0..e0: its value, attrs and the
-- span cut to the name (the rules take their match's span through `args`
-- and give it back so, reading no field of the match).
local function name_value(cx, attrs, s0, e0)
  local s, e = clean_name(cx, s0, e0)
  if not s or (attrs.honorific and a_country(cx, s, e)) then return false end
  -- after a title, a rank, an honorific (not at a family name or a given name)
  if not attrs.evidence then s = drop_country(cx, s, e) end
  return proper(cx.text, s, e), attrs, s, e
end

-- A given name alone ("ông Liêm") or a name with a lower-case last syllable
-- before a dash ("Đỗ Xuân trường – phó chủ tịch"): a typo the rules forgive.
-- Initials joined by dots are one name, with their last dot (ông L.Q.D.).
local INITIALS = [[\p{Lu}(?:\.\p{Lu}){1,3}\.?(?![\p{L}\p{M}])]]
-- Initials glued to the last name, as some papers write every name, foreign
-- ones too (T.V.Giang, G.Ma-tít, Đ.Trăm, I.Hô-xni).
local GLUED = [[(?:\p{Lu}\.){1,3}\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Ll}[\p{Ll}\p{M}]*)*(?![\p{L}\p{M}])]]
-- Does a name start with an initial? Then it is a whole name, if short.
local STARTS_WITH_INITIAL = textmill.regex([[^\p{Lu}\.]])
-- A credit's name is a reporter's when it has Vietnamese letters or
-- initials: one in plain letters is an agency's (Getty Images, AFP/TTXVN).
local function reporter_name(name) return find(name, "[\128-\255]") or STARTS_WITH_INITIAL:test(name) end
-- The word a name is known by alone later: its last, also after glued
-- initials (G.Ma-tít: Ma-tít), nil for a name of one word. (The last
-- word in C: name:match("^.* (%S+)$") walked the name and then tried a
-- match back from its end at each byte.)
local last_word_c = textmill.last_word
local function last_word(name)
  return last_word_c(name) or match(name, "^%u[^ ]-%.(%u[^%s.%u][^%s.]*)$")
end
-- An age or a birth year right after a name: "bé Lan (8 tuổi)", "N.V.H. (SN 1991)".
local AGE = [[[(,] ?(?:\d{1,3} tuổi|SN \d{4}|sinh (?:năm )?\d{4})]]
local AGE_AFTER = [[ ?]] .. AGE
local AGE_AFTER_AT = textmill.regex([[\G]] .. AGE_AFTER)
local NAME_AT = textmill.regex([[\G(]] .. GLUED .. [[|]] .. NAME .. [[)(?![\p{L}\p{M}])]])   -- not Ban Q of Ban QLDA
-- After a plural (các liệt sĩ, những cầu thủ) a name needs a family name:
-- the capitalised words are more often a place or a team (các liệt sĩ Gạc Ma).
local FAMILY = { FAMILY_NAME = true }   -- (asked as cx:first_start(pos, pos, FAMILY): a yes or no, no table)
local PLURALS = {}
for w in ([[các Các những Những]]):gmatch("%S+") do PLURALS[#PLURALS + 1] = { string.byte(w .. " ", 1, -1) } end
local function ends_with(text, t, word)              -- word (its bytes) ends at t - 1, after a non-letter
  local n = #word
  for i = 1, n do
    if byte(text, t - n - 1 + i) ~= word[i] then return false end
  end
  local b = byte(text, t - n - 1)
  return b == nil or b < 65 or (b > 90 and b < 97) or (b > 122 and b < 128)
end
-- (s: the name's start, t: its trigger's)
local function plural_not_name(cx, s, t)
  local text = cx.text
  -- (each of the words ends with c or g before its space: one byte read
  -- answers for most triggers)
  local last = byte(text, t - 2)
  if last ~= 99 and last ~= 103 then return false end
  for _, w in ipairs(PLURALS) do
    if ends_with(text, t, w) then return not cx:first_start(s, s, FAMILY) end
  end
  return false
end

local PLACE_KINDS = { PLACE = true }
-- A word in plain letters that no Vietnamese syllable spells (Macron,
-- Salman, Tuchel; not Minh, Kim, Anh): a foreign name, even alone.
local VIETNAMESE_SPELLING = textmill.regex([[(?i)^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?]]
  .. [[(?:[aeiouy]{1,3})(?:ng|nh|ch|[cmnpt])?$]])
local function foreign_word(w)
  return not find(w, "[^%a]") and not VIETNAMESE_SPELLING:test(w)
end
local PHOTO = { ["ảnh"] = true, ["tin, ảnh"] = true, ["bài, ảnh"] = true }
local NAME_AFTER = [[ (]] .. GLUED .. [[|]] .. INITIALS .. [[|]] .. NAME .. [[(?: \p{Ll}+(?=\s*[–—-]\s))?)(?![\p{L}\p{M}\d])]]   -- not Trường T of Trường THCS

M.rules = {
  { type = "PERSON", layer = "PERSON", name = "person-honorific", on = "HONORIFIC", shape = C.shape.capital_after,
    regex = NAME_AFTER, group = 1, args = { "start", "stop", "trigger.start", "trigger.value", "trigger.attrs" },
    value = function(_, _, cx, s, e, t, honorific, a)
      -- (a place word is looked for after a word or a number, not after a
      -- full stop: most capitalised honorifics open a sentence)
      if (cx:upper_at(t) and ((capital_word_before(cx.text, t) and names.inside_place(cx, s))
          or ((byte(cx.text, t - 2) or 0) >= 48 and names.thing_before(cx, t)))) or plural_not_name(cx, s, t) then
        return false                                           -- quận Hai Bà Trưng, tỉnh Bà Rịa, đường Bà Triệu
      end
      return name_value(cx, { honorific = honorific, gender = a and a.gender }, s, e)
    end },

  { type = "PERSON", layer = "PERSON", name = "person-kin", on = "KIN", regex = NAME_AFTER, group = 1,
    shape = function(m, _, cx) return not cx:upper_at(m.start) and cx:capital_after(m) end,
    args = { "start", "stop", "trigger.start", "trigger.value", "trigger.attrs" },
    value = function(_, _, cx, s, e, t, kin, a)
      if plural_not_name(cx, s, t) then return false end
      return name_value(cx, { honorific = kin, gender = a and a.gender }, s, e)
    end },

  { type = "PERSON", layer = "PERSON", name = "person-role", on = "ROLE", shape = C.shape.capital_after,
    regex = NAME_AFTER, group = 1, args = { "start", "stop", "trigger.start", "trigger.value" },
    value = function(_, _, cx, s, e, t, role)
      if plural_not_name(cx, s, t) then return false end
      -- học sinh Hà Nội: a place; nghi can Anh, a country's short name that is
      -- a given name too: a person when a full name ends with it (post step)
      local place_too
      if names.not_a_name_at(cx, s) then
        local _, needs_level = cx:starting_stop(s, PLACE_KINDS, "needs_level")
        if not needs_level then return false end
        place_too = true
      end
      return name_value(cx, { role = role, _place_too = place_too }, s, e)
    end },

  { type = "PERSON", layer = "PERSON", name = "person-rank", on = "RANK", shape = C.shape.capital_after, regex = NAME_AFTER, group = 1,
    args = { "start", "stop", "trigger.start", "trigger.value" },
    value = function(_, _, cx, s0, e0, t, rank)
      if names.thing_before(cx, t) or plural_not_name(cx, s0, t) then return false end   -- tàu sân bay Đô đốc Kuznetsov
      local v, a, s, e = name_value(cx, { rank = rank }, s0, e0)
      if v and quoted(cx.text, t, e) then return false end   -- a ship: "Đô đốc Essen"
      return v, a, s, e
    end },

  { type = "PERSON", layer = "PERSON", name = "byline", on = "BYLINE",
    regex = [[[ \t]*(]] .. C.NAME .. [[)[ \t]*(?=\r?\n|$|/|\))]], group = 1, args = { "start", "stop" },
    value = function(_, _, cx, s, e) return name_value(cx, { role = "byline" }, s, e) end },

  -- A photo credit inside the text, before the next sentence: "Ảnh:
  -- T.V.Giang Theo đó ...", "Ảnh: Minh Quý. Lúc này ..."
  { type = "PERSON", layer = "PERSON", name = "byline-credit", on = "BYLINE",
    regex = [[ ?(]] .. GLUED .. [[|]] .. C.NAME .. [[(?=\. +\p{Lu}))]], group = 1,
    args = { "text", "start", "stop", "trigger.value" },
    value = function(_, _, cx, name, s, e, credit)
      -- a name in plain ASCII there is an agency's (Getty Images, Fb ...)
      if not PHOTO[credit] or not reporter_name(name) then
        return false
      end
      return name_value(cx, { role = "byline" }, s, e)
    end },

  -- Initials with an age or a birth year: the people of a police or a
  -- health report (Các trường hợp gồm: N.V.H. (SN 1991), T.T.H. (SN 1990)).
  { type = "PERSON", layer = "PERSON", name = "person-initials-age",
    -- (no look-behind in the regex: the scan may then skip to the capitals)
    regex = [[(]] .. GLUED .. [[|]] .. INITIALS .. [[)(?=]] .. AGE_AFTER .. [[)]], group = 1,
    -- (the regex opens with a capital, which it tries at each one of the
    -- text: in C, a search for the age first, which most articles lack)
    needs = AGE,
    args = { "text", "start" },
    value = function(_, _, cx, name, s)
      if s > 1 and find(cx.text, "^[%w.\128-\255]", s - 1) then return false end   -- inside a word or a code
      return name, { evidence = "initials_age" }
    end },

  { type = "PERSON", layer = "PERSON", name = "person-known", on = "PERSON", priority = 1, args = { "start", "value" },
    value = function(_, _, cx, s, known)
      -- thành phố Hồ Chí Minh, Bảo tàng Hồ Chí Minh
      if cx:just_before_start(s, LEVEL) or names.thing_before(cx, s) then return false end
      return known
    end },
}

for _, r in ipairs(names.rules(name_value)) do M.rules[#M.rules + 1] = r end

-- The first span of list that shares a byte with s..e (a walk: asked of
-- the places and organisations once per byline; the persons have
-- on_a_person, below).
local first_overlapping = span.first_overlapping
local function overlaps(list, s, e) return list and first_overlapping(list, s, e) end

-- The questions "does a span of the list share a byte with s..e?" (ix:overlaps),
-- "does one end at e and start by s?" (ix:ends_at) and "which starts at
-- p?" (ix:starting) asked often of one list: textmill.span_index reads its
-- spans once and answers each by a binary search in C, where a search in
-- Lua read the list's fields at each step (about 3,000 instructions a
-- question). The list must not change while its index is used.
local function span_index(list) return textmill.span_index(list or {}) end

-- Rules whose trigger word (ông, bà, Đại tá, HLV) makes one capitalised
-- word after it a person's name; kinship words (anh, chị) do not: "chị
-- Lan" may be the sister of a Lan, or a country (anh Quốc).
local ALONE_OK = { ["person-honorific"] = true, ["person-rank"] = true, ["person-role"] = true }

-- Rules of the post step with no title nor byline word before the name:
-- a word before it may make it a thing's (sân bay Tân Sơn Nhất).
local THING_CHECKED = { ["person-before-title"] = true, ["person-foreign"] = true, ["person-again"] = true,
                        ["person-given"] = true }

-- Does a person of E.PERSON share a byte with s..e? (rules.span.cover,
-- made again for another list: a walk of the whole list for each name
-- added grew with the square of a long text's names. This step changes
-- spans in place only before it replaces the list: fit_to_known, then kept.)
local function on_a_person(cx, list, s, e)
  if cx.persons_covered ~= list then
    cx.persons_covered, cx.covers_person = list, span.cover(list)
  end
  return cx.covers_person(s, e)
end

local function add(cx, E, s, e, rule, attrs)
  -- the name alone: a match may bring the spaces around it (a byline line
  -- "Minh Anh " at the very end of a text that was not normalised)
  local text = cx.text
  while s <= e and byte(text, s) <= 32 do s = s + 1 end
  while e >= s and byte(text, e) <= 32 do e = e - 1 end
  if e < s or on_a_person(cx, E.PERSON, s, e) then return nil end
  if THING_CHECKED[rule] and (names.thing_before(cx, s) or names.in_street_list(cx, s)) then
    return nil                                        -- sân bay Tân Sơn Nhất, Thủ tướng ...
  end
  s, e = clean_name(cx, s, e)
  if not s then return nil end
  if rule == "person-foreign" then s = drop_country(cx, s, e) end
  local p = { type = "PERSON", start = s, stop = e, rule = rule, attrs = attrs or {} }
  p.value = proper(text, s, e)
  E.PERSON[#E.PERSON + 1] = p
  return p
end

-- A byline alone on one of the last lines: two to four capitalised words.
local LAST_LINE = textmill.regex([[(?m)^(]] .. C.SYL .. [[(?: ]] .. C.SYL .. [[){1,3})[ \t]*$]])
-- A byline that ends the last paragraph (text flattened to one line): after
-- the last sentence, two or three capitalised words, or the same in capitals,
-- or initials (T.Đ, N.V.A), with what may follow a byline: a source in
-- brackets, a dash, a closing "./.".
-- Each is two regexes: one anchored at the window's start, tried once, and
-- one opening with the bytes that end a sentence or a line, which PCRE2
-- skips to; "^|[.!?...]" in one regex had it try every position of the
-- window. The second is tried when the first fails: the match is the same
-- (the first position a match starts at, its "^" branch first).
local function tail_regexes(rest)
  return { textmill.regex("^" .. rest), textmill.regex([[(?:[.!?…"”)]\s+|\n)]] .. rest) }
end
local function tail_exec(res, tail) return res[1]:exec(tail) or res[2]:exec(tail) end
local UPPER_SYL = [[\p{Lu}[\p{Lu}\p{M}]*]]
local TAIL_BYLINE = tail_regexes([[(]] .. C.SYL .. [[(?: ]] .. C.SYL .. [[){1,2}|]]
  .. UPPER_SYL .. [[(?: ]] .. UPPER_SYL .. [[){1,2}|\p{Lu}\.(?:\s?\p{Lu}\.?){1,2})]]
  .. [[\s*(?:\([^()\n]{1,40}\))?\s*[-–]?\s*$]])
-- Two authors joined by a dash end the last paragraph (Thu Hằng - Hương
-- Quỳnh, ĐỖ CAO - HỒNG LAM).
local BYLINE_NAME = C.SYL .. [[(?: ]] .. C.SYL .. [[){1,2}|]] .. UPPER_SYL .. [[(?: ]] .. UPPER_SYL .. [[){1,2}]]
local TAIL_PAIR = tail_regexes([[(]] .. BYLINE_NAME .. [[)\s+[-–]\s+(]] .. BYLINE_NAME
  .. [[)\s*(?:\([^()\n]{1,40}\))?\s*$]])

-- Can a byline end the text? After one come only spaces, a source in
-- brackets and a dash, so the last byte that is not an ASCII space is a
-- letter (or a character outside ASCII), an apostrophe, ")", "-", or the
-- dot of initials after a capital (N.V.A.). Most articles end with the dot
-- after a lowercase word, a digit, "!" or "./.": no tail regex need look.
local function byline_may_end(text)
  local i = #text
  local b = byte(text, i)
  while b and (b == 32 or (b >= 9 and b <= 13)) do
    i = i - 1
    b = byte(text, i)
  end
  if not b or b >= 0x80 or b == 41 or b == 45 or b == 39 or (b >= 65 and b <= 90) or (b >= 97 and b <= 122) then
    return b ~= nil
  end
  if b ~= 46 then return false end
  local c = byte(text, i - 1)
  return c ~= nil and (c >= 0x80 or (c >= 65 and c <= 90))
end

-- A line "Theo Cancer" names a source, not an author.
local function a_source(text, s) return sub(text, s, s + 4) == "Theo " end

-- A name right before the slash of "Name/AGENCY" (Đình Nam/VOV).
local NAME_BEFORE_SLASH = textmill.regex([[(?:^|[\s(:.])(]] .. GLUED .. [[|]] .. C.SYL .. [[(?: ]] .. C.SYL .. [[){1,2})/$]])

-- A byline found at s..e: a name unless it is a source (Theo ...), holds a
-- word no name holds, or lies on a place or an organisation.
local function add_byline(cx, E, s, e, rule)
  if not a_source(cx.text, s) and not cx:first_start(s, e, NOT_IN_NAME)
      and not overlaps(E.LOCATION, s, e) and not overlaps(E.ORG, s, e) then
    add(cx, E, s, e, rule, { role = "byline" })
  end
end

local function bylines(cx, E)
  local text = cx.text
  local from = math.max(1, #text - 1200)
  while from > 1 and (byte(text, from) & 0xC0) == 0x80 do from = from + 1 end
  for s, e in LAST_LINE:gmatch(text, from) do
    add_byline(cx, E, s, e, "byline-line")
  end
  if byline_may_end(text) then
    local tail, t0 = cx:window(#text + 1, 120)
    local x = tail_exec(TAIL_BYLINE, tail)
    if x then
      add_byline(cx, E, t0 + x.starts[1] - 1, t0 + x.stops[1] - 1, "byline-end")
    end
    local pair = tail_exec(TAIL_PAIR, tail)
    if pair then
      for i = 1, 2 do add_byline(cx, E, t0 + pair.starts[i] - 1, t0 + pair.stops[i] - 1, "byline-end") end
    end
  end
  -- a reporter before a news outlet: "Đình Nam/VOV", "Ánh Tuyết/TTXVN"
  local orgs = E.ORG or {}
  for i = 1, #orgs do
    local o = orgs[i]
    if o.attrs and o.attrs.sector == "media" and byte(text, o.start - 1) == 47 then
      local win, w0 = cx:window(o.start, 48)
      local x = NAME_BEFORE_SLASH:exec(win)
      local name = x and sub(win, x.starts[1], x.stops[1])
      if name and reporter_name(name) then
        add_byline(cx, E, w0 + x.starts[1] - 1, w0 + x.stops[1] - 1, "byline-agency")
      end
    end
  end
  local author = cx.doc:field("author")
  if type(author) == "string" and #author > 2 then
    local s, e = find(text, author, 1, true)
    if s then add(cx, E, s, e, "byline-meta", { role = "byline" }) end
  end
end

-- A name found by its family name alone is fitted to a name the article
-- gave with better evidence (a title, an honorific) that starts there:
-- "Lê Văn Hùng Dũng" after "ông Lê Văn Hùng" is Lê Văn Hùng, then Dũng;
-- "Đỗ Xuân" after "Đồng chí Đỗ Xuân trường" is the whole name.
-- (The known names by their first run of letters and digits: a name that
-- fits at p.start, followed there by no such byte, starts with the same run
-- as the text there, so only those are compared, where comparing every
-- known name with every such person grew with the square of a long text's
-- names.)
local NO_NAMES = {}
local function fit_to_known(persons, full, text)
  local by_run
  for i = 1, #persons do
    local p = persons[i]
    if p.rule == "person-family-name" then
      if not by_run then
        by_run = {}
        for known, q in pairs(full) do
          if q.rule ~= "person-family-name" then
            local run = match(known, "^[%w\128-\255]*")
            by_run[run] = by_run[run] or {}
            table.insert(by_run[run], known)
          end
        end
      end
      local best
      for _, known in ipairs(by_run[match(text, "^[%w\128-\255]*", p.start)] or NO_NAMES) do
        if sub(text, p.start, p.start + #known - 1) == known
            and not sub(text, p.start + #known, p.start + #known):match("[%w\128-\255]")
            and (not best or #known > #best) then
          best = known
        end
      end
      if best then
        p.stop = p.start + #best - 1
        p.value = full[best].value
      end
    end
  end
end

-- A full name's last word stands for it alone later on. Foreign names put
-- the family name last (Donald Trump ... Trump); Vietnamese news names a
-- person by the last syllable after the full name (Nguyễn Văn Thuyết ...
-- Thuyết khai nhận). last_words gives, in one pass over the full names,
-- the surnames (last words of at least 3 bytes of the names that do not
-- start with a Vietnamese family name) and the given names (of at least 2
-- bytes, of those that do), each with the name it stands for; a given
-- name also with where that name is first written. A word two people end
-- with (Donald and Ivanka Trump) stands for neither.
local function last_words(cx, full)
  local surnames, givens = {}, {}
  for name, p in pairs(full) do
    local last = last_word(name)
    if last and #last >= 2 and cx:upper_at(p.stop - #last + 1) then
      -- (whether a family name starts there: first_start makes no table)
      local vietnamese = cx:first_start(p.start, p.start, FAMILY) ~= nil
      local out = vietnamese and givens or surnames
      if vietnamese or #last >= 3 then
        -- from: where the first of the full names with this last word is
        -- written, the least over them all (pairs() visits them in an order
        -- that changes with each Lua state)
        local o, from = out[last], vietnamese and find(cx.text, name, 1, true) or nil
        if o == nil then out[last] = { value = p.value, from = from }
        elseif o and o.value ~= p.value then out[last] = false
        elseif o and from and (not o.from or from < o.from) then o.from = from end
      end
    end
  end
  for _, out in ipairs({ surnames, givens }) do
    for last, v in pairs(out) do
      if not v then out[last] = nil end
    end
  end
  return surnames, givens
end

-- Rules whose evidence is the shape of the name or a word near it, not a
-- word that only a person takes (ông, Đại tá, anh): a name they find may be
-- a thing's.
local WEAK = { ["person-family-name"] = true, ["person-foreign"] = true, ["person-foreign-given"] = true,
               ["person-after-title"] = true,
               ["person-before-title"] = true }

-- Is the rule one of the bylines' (byline, byline-end ...)? Asked per
-- person: the answer kept per rule name.
local BYLINE_RULE = setmetatable({}, { __index = function(t, rule)
  local v = find(rule, "^byline") ~= nil
  t[rule] = v
  return v
end })

-- Is the name, written at s..e, a thing's there: the end of an
-- organisation or a place (Tập đoàn Hòa Phát, sân bay Tân Sơn Nhất), or
-- after a word that names a thing after it (đường Nguyễn Huệ)? A name the
-- article writes so anywhere is a thing's (written_as asks at
-- each place it is written).
-- (org_ix, loc_ix: the span indexes of the organisations and the places)
local function a_thing_at(cx, s, e, org_ix, loc_ix, title_stop)
  return org_ix:ends_at(s, e) or loc_ix:ends_at(s, e)
    or (not title_stop[s - 2] and names.thing_before(cx, s))   -- not Chủ tịch UBND huyện X
end

-- Is a name found by its family name alone, written at s..e, a team
-- there: with a score after it (Thái Sơn Nam: 1-3, Thái Sơn Bắc - Tân
-- Hiệp Hưng: 8-6) or after ĐKVĐ (the defending champion)? A futsal or
-- football club named like a person (Thái Sơn Nam) is then no person
-- anywhere.
local DKVD = { string.byte("ĐKVĐ ", 1, -1) }
local function a_team_at(cx, s, e)
  local text = cx.text
  local c1, c2 = byte(text, e + 1, e + 2)
  if c1 == 58 or (c1 == 32 and c2 and c2 >= 48 and c2 <= 57) then           -- ": 1-3", " 3-1"
    if find(text, "^:?%s*%d+%s*%-%s*%d", e + 1) or find(text, "^:?%s*%d+%s*–%s*%d", e + 1) then return true end
  elseif c1 == 32 and (c2 == 45 or c2 == 226) then                          -- " - Tân Hiệp Hưng: 8-6"
    if sub(text, e + 1, e + 48):find("^ [^ ]+ [^:\n]+: ?%d+ ?%- ?%d") then return true end
  end
  return byte(text, s - 1) == 32 and ends_with(text, s, DKVD)
end

-- Where each weak person's name is written, as repeated string.find gives
-- it (inside words too): name -> its starts, from one pass over the text
-- for all of them. For a text longer than ONE_PASS_FROM bytes, where a
-- search of the whole text for each name grew with the names times the
-- text; in an article the search per name costs less than the lists.
local ONE_PASS_FROM = 65536
local function weak_places(persons, text)
  local list, seen = {}, {}
  for _, q in ipairs(persons) do
    if WEAK[q.rule] then
      local n = sub(text, q.start, q.stop)
      if not seen[n] then seen[n] = true; list[#list + 1] = n end
    end
  end
  local places = {}
  local starts, _, which = textmill.occurrences(text, list, { words = false })
  for i = 1, #starts do
    local n = list[which[i]]
    local l = places[n]
    if not l then l = {}; places[n] = l end
    l[#l + 1] = starts[i]
  end
  return places
end

-- Is the name, at one of the places it is written, what test(cx, s, e,
-- a, b, c) says? places: weak_places' (a long text), or nil: a search.
local function written_as(cx, places, name, test, a, b, c)
  if places then
    for _, s in ipairs(places[name] or NO_NAMES) do
      if test(cx, s, s + #name - 1, a, b, c) then return true end
    end
    return false
  end
  local text, init = cx.text, 1
  while true do
    local s, e = find(text, name, init, true)
    if not s then return false end
    if test(cx, s, e, a, b, c) then return true end
    init = e + 1
  end
end

-- A given name alone is a common word as often as a name (Thành phố, Quốc
-- hội, phía Nam): it is taken only where no dictionary word starts, no
-- entity lies and no compass word stands before it.
local NOT_GIVEN_AT = { PROVINCE = true, DISTRICT = true, PLACE = true, LEVEL = true, ORG = true, ORG_HEAD = true,
                       ORG_WORD = true, TITLE = true, RANK = true, HONORIFIC = true, BYLINE = true, NOT_NAME = true,
                       ABBR = true, LEGAL_KIND = true, LAW = true, EVENT_KIND = true, EVENT = true, DATE_REL = true,
                       ROLE = true, KIN = true, ROAD = true }
local COMPASS = {}
for w in ([[miền phía hướng vùng cực bờ khu nam bắc đông tây trung]]):gmatch("%S+") do COMPASS[w] = true end
-- Given names that also open a capitalised compound (Bằng khen, Quân khu,
-- An ninh, Thanh niên): before a word in lower case they are that compound.
local COMPOUND_HEAD = {}
for w in ([[Bằng Quốc Hải Công Thành Chính Trung Đại Hội Nghị Hoa Giấy Tổng Liên Nhà Hòa Bình An Ninh Quân Dân
           Nhân Tài Kinh Văn Khoa Giáo Thông Xã Chủ Thủ Tư Chiến Học Thanh Phụ Cựu Nông Lao Tuyên Kiểm Bảo Đoàn
           Tân Huấn Tiến Thạc Mặt Phúc Đức Lực Hợp Tập Kỷ Huân Ban Sư Tiểu Trường Hiệp Cảnh Phát Sơn Vĩnh Sáng Đồng]]):gmatch("%S+") do
  COMPOUND_HEAD[w] = true
end
textmill.tone_keys(COMPOUND_HEAD)
-- Is the next word, one space after stop, in lower case?
local function lower_next(cx, stop)
  local b = byte(cx.text, stop + 2)
  return byte(cx.text, stop + 1) == 32 and b ~= nil and (b >= 97 and b <= 122 or b >= 195) and not cx:upper_at(stop + 2)
end
-- (with TITLE, whose index the caller has made already; ORG, LOCATION,
-- PERSON: checked by the caller)
local BESIDES = { "EVENT", "ABBREVIATION", "LEGAL", "DATE" }
-- (besides: the indexes of those lists, made by the caller once)
local function given_ok(cx, besides, s, e)
  if (COMPOUND_HEAD[sub(cx.text, s, e)] and lower_next(cx, e)) or COMPASS[cx:word_before(s)]
      or cx:first_start(s, s, NOT_GIVEN_AT) then
    return false
  end
  for _, ix in ipairs(besides) do
    if ix:overlaps(s, e) then return false end
  end
  return true
end

-- Is the word at s..e part of a longer capitalised run (another name)?
-- (A capital word that opens a sentence is capitalised for that alone:
-- "Hiện Hưng đã bỏ trốn".)
local OPENER_BEFORE = textmill.regex([[(?:^|[.!?…:;"“”\n]\s*)\p{Lu}[^\s,.;:!?()]* $]])
-- For a foreign surname, a country between a title and it is no part of it
-- (Bộ trưởng Quốc phòng Mỹ Mattis; place_end: a function giving the
-- places by their last byte, made when first asked, or nil for a
-- Vietnamese given name, which may start with one: Nhật Anh, Mỹ Linh;
-- title_stop: the titles' last bytes).
local function in_longer_name(cx, s, e, place_end, title_stop)
  local text = cx.text
  if cx:capital_after_stop(e) then return true end
  if not capital_word_before(text, s) or OPENER_BEFORE:test_in(text, s - 40, s - 1) then
    return false
  end
  local country = place_end and place_end()[s - 2]
  return not (country and country.attrs.level == "country" and title_stop[country.start - 2])
end

-- Is the word at s..e alone the head of a compound with the next word (Đại
-- diện, Toàn bộ, Quốc gia)? Then it is no later mention of a name.
local function opens_compound(text, s, e)
  local b = byte(text, e + 2)                          -- a word in small letters after one space
  if byte(text, e + 1) ~= 32 or not b or b < 97 or (b > 122 and b < 195) then return false end
  local pair = COMPOUND_NEXT[sub(text, s, e)]
  return pair ~= nil and pair[match(text, "^ ([^%s%p]+)", e + 1) or ""] ~= nil
end

-- Post step: names after and before titles, bylines, later mentions, and
-- the titles and ranks of each person.
function M.post(E, cx)
  E.PERSON = E.PERSON or {}
  local text = cx.text
  local titles = E.TITLE or {}
  -- (none of these lists changes in this step before its end)
  local loc_ix, org_ix, title_ix = span_index(E.LOCATION), span_index(E.ORG), span_index(titles)
  -- "Chủ tịch UBND tỉnh Lê Ngọc Tuấn": a name right after a title; the
  -- title's country may stand between (Thủ tướng Đức Angela Merkel).
  for i = 1, #titles do
    local t = titles[i]
    local p = t.stop + 2
    local l = loc_ix:starting(p)
    if l and l.attrs and l.attrs.level == "country" and byte(text, l.stop + 1) == 32 then
      p = l.stop + 2
      l = loc_ix:starting(p)
    end
    -- (l: the place starting at p, sought once)
    if byte(text, p - 1) == 32 and not l and not org_ix:starting(p)
        and not cx:first_start(p, p, ORG_WORD) then
      local s, e = NAME_AT:find(text, p)
      if s then
        -- người phát ngôn Nhà Xanh [Park Soo-hyun]: Vietnamese words before
        -- a Korean name are the office's, not the name's
        local x = find(text, "-", s, true)             -- (the tail holds a hyphen: most names none)
        x = x and x < e and KOREAN_TAIL:exec(sub(text, s, e))
        if x and sub(text, s, s + x.starts[1] - 2):find("[\128-\255]") then s = s + x.starts[1] - 1 end
        add(cx, E, s, e, "person-after-title", { _office = t.attrs._surname })   -- Tổng thống Macron (titles.tsv)
      end
    end
  end
  -- "Lê Thành Đô, Phó Bí thư Tỉnh ủy": a name right before ", title".
  for i = 1, #titles do
    local t = titles[i]
    local p = t.start
    if p > 3 and byte(text, p - 2) == 44 and byte(text, p - 1) == 32 then
      -- the name ends right before the ", " (the window ends with it); the
      -- window as cx:window(p, 80) has it, from a character's first byte
      local w0 = p > 80 and p - 80 or 1
      while w0 > 1 and (byte(text, w0) & 0xC0) == 0x80 do w0 = w0 + 1 end
      local found, _, name = find_in(NAME_BEFORE_COMMA, text, w0, p - 1)
      if found then
        local e = p - 3
        local s = e - #name + 1
        if not loc_ix:overlaps(s, e) and not org_ix:overlaps(s, e) and not title_ix:overlaps(s, e) then
          add(cx, E, s, e, "person-before-title", {})
        end
      end
    end
  end
  bylines(cx, E)
  names.foreign(cx, function(s, e)
    if not (loc_ix:overlaps(s, e) or org_ix:overlaps(s, e) or title_ix:overlaps(s, e)) then
      add(cx, E, s, e, "person-foreign", { evidence = "foreign_name" })
    end
  end)
  -- A name only the weak rules found, that the article also writes as a
  -- thing's, is that thing's: neither kept nor copied to later mentions.
  local things, sure, title_stop = {}, {}, {}
  for i = 1, #titles do local t = titles[i]; title_stop[t.stop] = true end
  local places = #text > ONE_PASS_FROM and weak_places(E.PERSON, text) or nil
  local persons = E.PERSON
  for i = 1, #persons do
    local p = persons[i]
    local weak = WEAK[p.rule]
    if not BYLINE_RULE[p.rule] and names.in_street_list(cx, p.start) then
      things[sub(text, p.start, p.stop)] = true                -- phố Bà Triệu, Hoàng Quốc Việt
    elseif weak and names.in_place_list(cx, p.start) then
      things[sub(text, p.start, p.stop)] = true                -- 4 xã: Thạch Bàn và Thạch Hải
    elseif weak then
      local name = sub(text, p.start, p.stop)
      if things[name] == nil then
        things[name] = written_as(cx, places, name, a_thing_at, org_ix, loc_ix, title_stop)
        if not things[name] and p.rule == "person-family-name" then
          things[name] = written_as(cx, places, name, a_team_at)
        end
      end
      if not things[name] then sure[#sure + 1] = p end
    else
      sure[#sure + 1] = p
    end
  end
  E.PERSON = sure
  if #sure == 0 then return end   -- (no name to fit, keep or find again: most of what follows makes tables)
  -- Later mentions: every other occurrence of a full name; a given name
  -- alone counts only after an honorific and when a full name ends with it.
  local full, given = {}, {}
  persons = E.PERSON
  for i = 1, #persons do
    local p = persons[i]
    local name = sub(text, p.start, p.stop)
    local last = last_word(name)
    if last then
      full[name] = p
      given[last] = p
    end
  end
  fit_to_known(E.PERSON, full, text)
  local kept = {}
  for i = 1, #persons do
    local p = persons[i]
    p.attrs = p.attrs or {}
    local name, a = sub(text, p.start, p.stop), p.attrs
    if a._place_too and not given[name] then
      -- học sinh Hà Nội: a place, dropped
    elseif find(name, " ", 1, true) or p.rule == "person-known" or STARTS_WITH_INITIAL:test(name) then
      kept[#kept + 1] = p
    elseif given[name] and (p.rule == "person-honorific" or p.rule == "person-rank" or p.rule == "person-kin"
                            or p.rule == "person-role" or a._office) then
      p.value = given[name].value
      a.given_name = true
      kept[#kept + 1] = p
    elseif (ALONE_OK[p.rule] or (p.rule == "person-kin" and AGE_AFTER_AT:find(text, p.stop + 1))
            or (a._office and foreign_word(name) and not cx:capital_after(p)))
        and not names.not_a_name_at(cx, p.start) then
      kept[#kept + 1] = p          -- ông Quý, HLV Petrovic, bé Lan (8 tuổi), Tổng thống Macron: the words around say it is a person
    end
  end
  E.PERSON = kept
  -- A word that is one person's surname and another's given name (Somchai
  -- Jaidee, Thái Jaidee) names neither, as for two people of one family.
  local surnames, givens = last_words(cx, full)
  for word, f in pairs(surnames) do
    if givens[word] and givens[word].value ~= f.value then
      surnames[word], givens[word] = nil, nil
    end
  end
  -- Every whole-word occurrence of every full name, surname and given name
  -- (a given name only after the full name), in text order, the longer
  -- first where two start together, so that of two overlapping names the
  -- same one wins on every run (pairs() order changes with each Lua state);
  -- at one span a surname before a given name: the order of names. Those
  -- on a place, an organisation or a person already found are left out in
  -- C: no test below would keep them.
  local sought, alone, from = {}, {}, {}
  local function seek(name, stands_for, at)
    sought[#sought + 1] = name
    alone[#sought], from[#sought] = stands_for or false, at
  end
  for name in pairs(full) do seek(name) end
  for name, f in pairs(surnames) do seek(name, f.value) end
  for name, g in pairs(givens) do seek(name, g.value, g.from) end
  local starts, stops, which = textmill.occurrences(text, sought,
    { from = from, skip = { E.LOCATION or {}, E.ORG or {}, E.PERSON } })
  local place_end_t
  local function place_end()                         -- (most documents never ask)
    if not place_end_t then
      place_end_t = {}
      for _, l in ipairs(E.LOCATION or {}) do place_end_t[l.stop] = l end
    end
    return place_end_t
  end
  local besides_ix
  local function besides()
    if not besides_ix then
      besides_ix = { title_ix }
      for _, t in ipairs(BESIDES) do besides_ix[#besides_ix + 1] = span_index(E[t]) end
    end
    return besides_ix
  end
  for i = 1, #starts do
    local s, e, k = starts[i], stops[i], which[i]
    local stands_for, given = alone[k] or nil, from[k]
    -- the cheap tests first
    if not (stands_for and in_longer_name(cx, s, e, not given and place_end, title_stop))
        and not (given and not given_ok(cx, besides(), s, e)) and not (stands_for and opens_compound(text, s, e)) then
      if stands_for and byte(text, s - 1) == 32 and has_particles(stands_for) then
        -- Mohammed bin [Nayef]: a given name and particles before are the name's;
        -- bà von der [Leyen]: the particles alone are
        local win, w0 = cx:window(s, 40)
        local x = names.NAME_PARTICLES_BEFORE:exec(win) or PARTICLES_BEFORE:exec(win)
        if x then s = w0 + x.starts[1] - 1 end
      end
      local p = add(cx, E, s, e, given and "person-given" or "person-again", {})
      if p and stands_for then p.value = stands_for end
    end
  end
  textmill.sort_spans(E.PERSON)   -- in text order, in C: table.sort called a Lua function for each comparison
  M.describe(E, cx)
  -- A place inside a person's name is not a place ("Xuân Trường"): in C,
  -- where a binary search in the persons for each place cost more than
  -- the rest of the test. The list stays the one it was when no place
  -- goes (most articles): rules.phases then has no changed list to check.
  local located = E.LOCATION
  if located then
    local off_persons = textmill.spans_off(located, E.PERSON)
    if #off_persons < #located then E.LOCATION = off_persons end
  end
end

-- Titles and rank of each person: the rank right before the name, titles
-- right before it ("Chủ tịch UBND tỉnh Hồ Văn Mười") and the comma-separated
-- titles right after it ("Lê Thành Đô, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh").
-- A later mention with no titles of its own gets those of the first one.
-- In C (textmill.title_chains, docs/lua-api.md): in Lua the step made two
-- tables of the titles by position and read each person's fields and the
-- bytes around it with a call each.
local title_chains = textmill.title_chains({ rank_kind = "rank" })
local NONE = {}   -- no titles
function M.describe(E, cx) title_chains(E.TITLE or NONE, E.PERSON, cx.text) end

return M
