-- orgs.lua -- ORG: ministries, party and state bodies, military commands,
-- provincial and district bodies.
--
-- Names written in full come from orgs.tsv (ORG rows). Heads such as "UBND",
-- "Bộ CHQS", "Sư đoàn" (ORG_HEAD rows) take what their `takes` attribute
-- allows: a level word (UBND huyện), a number (Sư đoàn 390), a name (Đồn
-- Biên phòng Ka Lăng) or another body (Bộ Tư lệnh Quân khu 5). After the
-- overlaps are resolved, post() joins heads with the body or the place that
-- follows them and gives "UBND tỉnh" the article's province.
local textmill = require("textmill")
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local byte, find, sub, match, gmatch = string.byte, string.find, string.sub, string.match, string.gmatch
local C = require("context")
local span = require("rules").span

local M = {}

local LEVELS = [[(?i:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)|TP\.?]]
local PLURAL_BEFORE = { ["các"] = true, ["những"] = true, ["mỗi"] = true, ["từng"] = true }
-- Words before a head alone that make it the force or the branch in general
-- (lực lượng Công an, cán bộ Công an, ngành Công an), not one body.
local FORCE_BEFORE = { ["lượng"] = true, ["ngành"] = true, ["bộ"] = true, ["sĩ"] = true, ["viên"] = true,
                       ["các"] = true, ["những"] = true, ["trường"] = true }
local GENERIC_AFTER = { ["các"] = true, ["cấp"] = true, ["những"] = true }
-- Kinds that end a name a head takes (Đồn Biên phòng X, Chủ tịch ...).
local STOP_NAME = { TITLE = true, RANK = true, ORG = true, ORG_HEAD = true, HONORIFIC = true, LEVEL = true }

local PLACES = { PLACE = true, PROVINCE = true, DISTRICT = true }
local PROVINCE_KIND = { PROVINCE = true }
local TITLE_KIND = { TITLE = true }
local LEVEL_KIND = { LEVEL = true }
local FAMILY_KIND = { FAMILY_NAME = true }
local CUT_NAME = { TITLE = true, RANK = true, HONORIFIC = true, LEVEL = true }
local NEXT_NAME = { ORG = true, ORG_HEAD = true, ORG_WORD = true, PLACE = true, PROVINCE = true, DISTRICT = true,
                    FAMILY_NAME = true }

local function allows(a, what) return a.takes ~= nil and find(a.takes, what, 1, true) ~= nil end

local function specific(cx, start)
  local before = cx:word_before(start)
  return cx:upper_at(start) and not PLURAL_BEFORE[before] and before ~= "cơ"   -- cơ Sở: cơ sở, a facility
end

-- Is a scanned match written with the capitals of its dictionary key?
local function cased(m)
  if m.cased ~= nil then return m.cased end
  return C.cased_like(m.name, m.key)
end

-- The name after a word that starts an organisation's (ORG_WORD rows:
-- Cục, Công ty, Bệnh viện ...): a capitalised word, then up to five more
-- words of either case (Cục Thông tin, Vụ Giáo dục mầm non, Công ty Yến sào
-- Khánh Hòa), up to punctuation or a word that starts the rest of the
-- sentence (của, cho biết, đã, thắng ...).
local W = [[[\p{L}\p{M}&0-9][\p{L}\p{M}&'0-9-]*]]
-- Grouped by first letter (c(?:ủa|ho|...)): PCRE2 tests the list after
-- every word of a name, and a flat list of 150 words costs twice as much,
-- each word tried in turn. A lookbehind goes after the first letter
-- ((?<![Vv]ấn đ)ề for a đề not after Vấn).
local ENDS_NAME = [[(?:c(?:ủa|ho|ó|hưa|ũng|ác|ùng|ông|hủ (?:trì|trương|động)|hỉ|hiều|ấm|(?<![Hh]ậu c)ần|hấp|òn]]
  .. [[|ảnh (?:báo|giác)|oi|hịu|ầm|ử|hào)]]
  .. [[|v(?:à(?= \p{Ll})|ới|ề|ào|ừa|ì|ẫn)]]
  .. [[|đ(?:ã|ang|ược|ể|ó|ến|(?<![Vv]ấn đ)ề|ưa|ều|êm|ánh|iều (?:hành|động|chỉnh)|óng|ặt|ạt|ối với|òi|ón)]]
  .. [[|s(?:ẽ|au|áng|ử)]]
  .. [[|t(?:ại|rong|ừ|heo|hì|rước|háng|huộc|ổ|iếp|hông (?:báo|tin cho|qua)|uyên|rao|ham|rên|rưa|ối|hời]]
  .. [[|(?<![Aa]n t)oàn|ấn|hắng|hua|riển khai|ìm|iến hành|hực hiện|ừng|rở|(?<![Đđ]ào t)ạo|huê|ặng)]]
  .. [[|ở|b(?:ị|áo|ắn|án|ác|ày|ình chọn)|l(?:à|àm|ại|ên|ập (?:tức|ra)|uôn)]]
  .. [[|k(?:hi|iểm|hẳng|ý|hai|êu|(?<![Hh]àng k|[Pp]hòng k)hông|inh doanh)]]
  .. [[|n(?:ày|hằm|hư|ăm|gày|hững|ói|hận|ên|ay|gay|hấn|gưng|gừng|ước (?:này|ngoài|đó|bạn)|iêm)]]
  .. [[|r(?:a|ằng|ất)|d(?:o|ưới|ẫn)|m(?:à|ột|ới|ua|uốn|ở)|h(?:iện|ọp|ay|oặc|ôm|ỗ|ợp tác|oàn (?:thành|toàn))]]
  .. [[|g(?:ồm|ửi|ặp|iúp|iữ|ắn|hi|óp)|p(?:hối|hát(?! triển)|hải)|yêu|x(?:ác|uống)|q(?:ua|uyết)|áp dụng)]]
  .. [[(?![\p{L}\p{M}])]]
local DESCRIBED = [[ (\p{Lu}(?:[\p{L}\p{M}&'0-9-]|\.(?=\p{Lu}))*(?: (?!]] .. ENDS_NAME .. [[)]] .. W .. [[){0,9})]]

-- A word written in lower case starts a body's name only where it is a
-- word of its own: báo [X] but not cảnh báo, thông báo; tuyển [X] but not
-- xét tuyển.
local GLUED_BEFORE = {}
for w in ([[cảnh thông dự tình họp nhà bài loan khán lâu vũ xét thi chiêu trúng tuyển ngôi bục hải
            bưu điện sân cổng thẩm pháp phiên chủ đối thương vi hậu công dục]]):gmatch("%S+") do GLUED_BEFORE[w] = true end
local ORG_KINDS = { ORG = true, ORG_HEAD = true }
-- Words before a name that make it a street's, a ship's or a building's.
local THING_BEFORE = { ["đường"] = true, ["phố"] = true, ["cầu"] = true, ["tàu"] = true, ["chùa"] = true,
                       ["đền"] = true, ["ngõ"] = true, ["hẻm"] = true, ["cơ"] = true }   -- cơ Sở: cơ sở
local DEFER_TO = { ORG = true, ORG_HEAD = true, LEGAL_KIND = true, LAW = true, EVENT_KIND = true, EVENT = true }
-- The words before a dictionary name that make it no body's name: the
-- plural words above, "cơ" and kin words (anh [HTV]: a person's initials).
-- As cx:word_before sees a word: the letters and digits (any byte above
-- 127 counting as one) before the spaces and commas that end at the name,
-- in any case; \z, not $, so that a newline before the name is no gap;
-- read over 40 bytes (reach), as far back as word_before looks.
local NOT_A_NAME_AFTER = [[(?<![A-Za-z0-9]|[^\x00-\x7F])(?i:các|những|mỗi|từng|cơ|anh|chị|ông|bà|em|cháu|bé)[ ,]*\z]]
local function org_attrs(a) return { sector = a.sector, scope = a.scope, _place = allows(a, "place") or nil } end
local PLACE_KIND = { PLACE = true }

-- The country named by a PLACE match that starts at pos, or nil.
local function country_at(cx, pos)
  -- the level asked first, with no table: most places there are no country
  local _, level = cx:starting_stop(pos, PLACE_KIND, "level")
  if level ~= "country" then return nil end
  local p = cx:starting(pos, PLACE_KIND)
  return cased(p) and p or nil
end

-- The end of the run of capitalised words (or numbers: U23) that starts
-- at pos, at most at limit; nil when none starts there. Punctuation ends it.
-- Is the word that cuts a name at pos inside a place that starts before
-- it (Bờ biển Nhật Bản: bản is a village's level word)?
local function inside_place(cx, pos)
  local ps = cx:covering_span(pos, cx:starting_stop(pos, CUT_NAME), PLACES, 24)
  return ps ~= nil and ps < pos
end

-- Where the first " và " at or after pos starts, or nil. Searched for from
-- its "v": a plain search stops at each occurrence of the first byte, and
-- a space comes every few bytes, a "v" seldom; the search runs on past the
-- name to the next "và" of the text.
local function and_from(text, pos)
  local q = find(text, "và ", pos + 1, true)
  while q and byte(text, q - 1) ~= 32 do q = find(text, "và ", q + 1, true) end
  return q and q - 1
end

local find_in = textmill.find_in

-- The stop of a common word that a level word opens at pos (xã hội,
-- bản đồ), or nil.
local LEVEL_COMPOUNDS = { "^[Xx]ã hội", "^[Bb]ản đồ" }
local function level_compound(text, pos)
  for _, c in ipairs(LEVEL_COMPOUNDS) do
    local _, e = find(text, c, pos)
    if e then return e end
  end
  return nil
end

local function capitalised_end(cx, pos, limit)
  local text, e, p = cx.text, nil, pos
  while p <= limit do
    local upper = cx:upper_at(p)                -- (asked once a word: a call into C)
    if not (upper or find(text, "^[0-9]", p)) then break end
    local _, we = find(text, "^[^%s,;:()!?\"]+", p)
    while we and byte(text, we) == 46 do we = we - 1 end   -- a dot inside goes on (TP.HCM), not one at the end
    if not we or we < p or we > limit then break end
    -- a number goes on a name (Nhi Đồng 1, U23) but not into a count (Viettel | 5 điểm)
    if not upper and byte(text, we + 1) == 32 and not cx:upper_at(we + 2) then break end
    e = we
    if byte(text, we + 1) ~= 32 then break end
    p = we + 2
  end
  return e
end

M.rules = {
  { type = "ORG", layer = "ORG", name = "org-described", on = "ORG_WORD", cased = true, shape = C.shape.capital_after,
    regex = DESCRIBED, not_before = { "hệ thống", "mạng lưới" }, reach = 24,  -- a kind of body, not one
    -- a word marked defer gives way to a longer listed body, head, law or
    -- event starting with it (Ủy ban Kiểm tra Trung ương, Bộ luật): in C
    defer = { kinds = DEFER_TO, entry = { defer = true } },
    -- the head's span and attrs and the match's span handed to value(),
    -- which returns the name's span: each read or write of m's fields is
    -- a call into C
    args = { "trigger.start", "trigger.stop", "trigger.attrs", "start", "stop" },
    value = function(_, _, cx, hs, he, a, start, stop)
      a = a or {}
      local before = cx:word_before(hs)
      if THING_BEFORE[before] then return false end          -- đường Trường Sơn, tàu Hải quân: named things
      local lower_head = not cx:upper_at(hs)
      if not lower_head then
        if PLURAL_BEFORE[before] then return false end
      elseif not a.lower or GLUED_BEFORE[before] then
        return false
      end
      local name = he + 2
      if a.country then                        -- Đại sứ quán [Nga]: a country and nothing else
        local c = country_at(cx, name)
        if not c then return false end
        return sub(cx.text, start, c.stop), { country = c.value }, nil, c.stop
      end
      local place = cx:starting_stop(hs, PLACES)
      if place and place > he then return false end       -- Đài Loan, Trường Sa
      if not lower_head and cx:covering(hs, he, PLACES, 24) then return false end   -- Hải [Phòng] Thí sinh
      if a.bare then                           -- báo Mỹ [Washington Post]: the country is not the name
        local c = country_at(cx, name)
        if c then
          if c.stop + 2 > stop or not cx:upper_at(c.stop + 2) then return false end
          name = c.stop + 2
        end
      end
      -- a title, a rank or an honorific ends the name; a level word and
      -- its place end it too (Trung tâm Y tế huyện Cẩm Khê); a body after
      -- it is its parent, part of the name (Phòng Cảnh sát hình sự Công an
      -- tỉnh X): with a comma between, the comma ends the name first
      -- (not a level word inside a place, nor one that opens a common
      -- word, xã hội (society), bản đồ (map), which ends the name unless
      -- capitalised words or a cut follow it: Báo Gia đình và Xã hội |
      -- cập nhật, Viện Khoa học Xã hội Việt Nam)
      local cut, compound = cx:first_start(name + 1, stop, CUT_NAME), nil
      while cut do
        local e = level_compound(cx.text, cut)
        if e then compound = e elseif not inside_place(cx, cut) then break end
        cut = cx:first_start(cut + 1, stop, CUT_NAME)
      end
      if compound and not cut and compound < stop then
        stop = byte(cx.text, compound + 1) == 32 and capitalised_end(cx, compound + 2, stop) or compound
      end
      if cut then
        stop = cut - 2
        local lv = not a.named_after and cx:starting_stop(cut, LEVEL_KIND)   -- the level word's stop
        if lv and byte(cx.text, lv + 1) == 32 and cx:upper_at(lv + 2) then
          stop = capitalised_end(cx, lv + 2, lv + 40) or stop
        elseif lv and cx:ending_start(cut - 2, ORG_KINDS) then
          stop = lv                            -- Phòng Tham mưu Bộ CHQS tỉnh
        end
      end
      -- "và" goes on only into a name's own words (Bộ Giáo dục và Đào tạo),
      -- not into the next body or place (Cục A và Cục B)
      local va = and_from(cx.text, name)
      while va and va < stop do
        if cx:starting_stop(va + 5, NEXT_NAME) or find(cx.text, "^[0-9]", va + 5) then
          stop = va - 1
          break
        end
        va = and_from(cx.text, va + 4)
      end
      local c = not a.bare and country_at(cx, name)
      if c then
        -- a country right after the word ends the name (Quân đội Syria | hoàn toàn ...);
        -- after a word in lower case it says which country's (công ty Mỹ: any of them)
        if lower_head and not a.named_after then return false end
        stop = math.min(stop, c.stop)
      end
      if lower_head and a.lower == "bare" then
        local p = cx:starting_stop(name, PLACES)   -- bệnh viện Đà Nẵng: a place, not the name
        if p and p >= stop then return false end
      end
      if a.named_after or lower_head then
        -- a proper name: capitalised words only, a place or a person's name among them;
        -- after a word in lower case too (công ty [FMC] hợp tác), but for one Vietnamese
        -- word and the word after it (đảng Bảo thủ, đảng Dân chủ)
        local e = capitalised_end(cx, name, stop) or stop
        local word = sub(cx.text, name, e)
        if not a.named_after and e < stop and not find(word, " ", 1, true) and find(word, "[\128-\255]") then
          e = math.min((find(cx.text, "[ ,.;:()]", e + 2) or stop + 1) - 1, stop)
        end
        stop = e
      else
        -- a place ends the name (Công ty Yến sào Khánh Hòa | quản lý ...)
        local p = cx:first_start(name + 1, stop, PLACES)
        if p then stop = math.min(stop, cx:starting_stop(p, PLACES)) end
      end
      -- so does a person's full name after it (ĐHQG Hà Nội | Nguyễn Văn A),
      -- but not a place that starts with a family name (Cao Bằng)
      -- (unless the name itself starts with a family name that is no
      -- place: Viện Phan Châu Trinh; asked only when a family name follows)
      local f = not a.named_after and cx:first_start(name + 1, stop, FAMILY_KIND)
      if f and cx:starting_stop(name, FAMILY_KIND) and not cx:starting_stop(name, PLACES) then f = nil end
      if f and cx:upper_at(f) then
        local fe = cx:starting_stop(f, FAMILY_KIND)          -- the family name's stop
        if cx:upper_at(fe + 2) and not cx:starting_stop(f, PLACES) and not cx:starting_stop(fe + 2, PLACES) then
          stop = f - 2
        end
      end
      -- a place the name stops inside is the name's, whole (Sở Y tế Thừa
      -- Thiên - Huế: the words stopped at the dash; Công an TP.HCM)
      local ws, we = cx:covering_span(stop, stop, PLACES, 40)
      if ws and ws > name then stop = we end
      if sub(cx.text, stop - 3, stop) == " và" then stop = stop - 4 end   -- cut before the next name
      local date = find_in(C.DATE_AHEAD, cx.text, name, stop)      -- Tòa án Tối cao | Ngày 7/2
      if date then stop = date - 1 end
      if stop <= name then return false end
      -- a paper or an agency is its name alone (báo [Merkur], hãng [Interfax])
      if a.bare or (lower_head and a.lower == "bare") then start = name end
      return sub(cx.text, start, stop), { _place = not a.named_after or nil }, start, stop
    end },

  -- A body's name from the dictionary, capitalised, where the word before
  -- does not make it any of them (các Sở), a facility (cơ Sở) or a
  -- person's initials (anh HTV); an entry marked `cased` only as written
  -- there. All tested in C: the value is the entry's, the attrs are made
  -- once per entry (entry_attrs).
  { type = "ORG", layer = "ORG", name = "org-name", on = "ORG", shape = C.shape.upper_at_start,
    entry = { cased = true }, cased = true, not_before = NOT_A_NAME_AFTER, reach = 40, entry_attrs = org_attrs },
  { type = "ORG", layer = "ORG", name = "org-name", on = "ORG", shape = C.shape.upper_at_start,
    entry = { cased = false }, not_before = NOT_A_NAME_AFTER, reach = 40, entry_attrs = org_attrs },

  -- A head and what follows it: a level word, a unit number, a name.
  { type = "ORG", layer = "ORG", name = "org-head", on = "ORG_HEAD", shape = C.shape.upper_at_start,
    regex = [[(?: (?<level>(?:cấp )?(?:]] .. LEVELS .. [[))(?![\p{L}\p{M}]|\.\p{L})| (?:(?:Bộ binh|Công binh|Pháo binh|Phòng không|Thông tin|Tăng thiết giáp|Xe tăng|Đặc công|Hóa học|Tên lửa|Trinh sát|Cơ giới|Huấn luyện|Không quân|Tàu ngầm|Hải quân đánh bộ|Kinh tế - Quốc phòng) )?(?<number>[0-9]+)(?: Hải quân)?\b]]
      .. [[| (?<name>]] .. C.NAME .. [[|\p{Lu}{2,}[\p{Lu}0-9&-]*)(?![\p{L}\p{M}\p{N}]))?]],
    -- the head's span, attrs and value, the match's stop and the captures
    -- handed to value(), which returns the body's stop (each read or write
    -- of m's fields is a call into C)
    args = { "trigger.start", "trigger.stop", "trigger.attrs", "trigger.value", "stop", "level", "number", "name" },
    value = function(_, _, cx, hs, he, a, head_value, stop, lv, number, name)
      if not specific(cx, hs) then return false end
      a = a or {}
      if a.ends_title then                                  -- Phó Bí thư Thường trực: a title's end
        local ts = cx:ending_start(he, TITLE_KIND)
        if ts and ts < hs then return false end
      end
      local took, level
      if lv and allows(a, "level") then
        if find(lv, "^cấp ") then return false end            -- UBND cấp xã: any of them
        took, level = "level", find(lv, "^TP") and lv or textmill.lower(lv)   -- Quận 1: quận
        if level == "TP." and not cx:starting_stop(stop + 2, PLACES) then           -- UBND TP. Do đó: a full stop
          stop, level = stop - 1, "TP"
        end
      elseif number and allows(a, "number") then
        took = "number"
      elseif allows(a, "name") and name then
        took = "name"
        -- the name is the regex's last part, after the head's space: its
        -- span is he + 2 .. stop (m.starts made a table of every group)
        local ns = he + 2
        local cut = cx:first_start(ns, stop, STOP_NAME)
        if cut == ns then took = nil elseif cut then stop = cut - 2 end
      end
      local at_place, at_level = allows(a, "place"), allows(a, "level")
      if not took and (at_place or at_level) then
        -- a place right after: Công an Quảng Ninh, UBND TP.HCM (the level is in the place's name)
        local p = cx:starting(he + 2, at_place and PLACES or PROVINCE_KIND)
        if p and cased(p) then took, stop = "place", p.stop end
        -- TP. written against its city (Công an TP.Hà Nội)
        local tp = not took and at_level and find(cx.text, "^ TP%.", he + 1) and he + 5
        p = tp and cx:starting(tp, PROVINCE_KIND)
        if p and cased(p) then took, stop = "place", p.stop end
      end
      if not took then
        stop = he
        if not (a.alone or allows(a, "org")) then return false end
        if a.alone and (FORCE_BEFORE[cx:word_before(hs)]      -- lực lượng Công an: the force
                        or find(cx.text, "^ [0-9]", he + 1) or find(cx.text, "^ địa phương", he + 1)) then
          return false                                             -- Công an 63 tỉnh, Công an địa phương
        end
      end
      -- (the words of GENERIC_AFTER start with c or n: no string made for the others)
      local text = cx.text
      local nb = byte(text, stop + 1) == 32 and byte(text, stop + 2)
      if took ~= "number" and (nb == 99 or nb == 110) and GENERIC_AFTER[match(text, "^ (%S+)", stop + 1)] then
        return false
      end
      return head_value, { sector = a.sector, _took = took, _level = level, _place = at_place or nil,
                           _join = took == nil and allows(a, "org") or nil, _alone = a.alone }, nil, stop
    end },
}

local function level_value(o)
  local level = o.attrs._level
  if level == "TP" or level == "TP." then level = "thành phố" end
  return o.value .. " " .. level
end

-- A country right after a body completes its name (Bộ Quốc phòng Nga,
-- Quốc hội Mỹ, Hải quân Mỹ); so does any place after a body that takes one
-- (Sở Y tế Hà Nội). The place stays a LOCATION inside the ORG, as in "UBND
-- tỉnh Lạng Sơn".
local CREDIT_BEFORE = textmill.regex([[(?:/|(?:Ảnh|Nguồn|Video|Clip): ?)$]])
local function complete_with_place(E, cx, loc_at)
  local orgs = E.ORG
  for i = 1, #orgs do
    local o = orgs[i]
    local after = byte(cx.text, o.stop + 1) == 32 and o.stop + 2
    local l = after and loc_at[after]
    -- a news outlet in a credit takes no country: what follows starts the
    -- next sentence (Ảnh: AFP/TTXVN | Nhật Bản cho biết)
    if l and o.attrs.sector == "media" and CREDIT_BEFORE:test_in(cx.text, o.start - 12, o.start - 1) then after, l = nil, nil end
    if after and not l and o.attrs._place then
      -- a district needs a level word to be a place, but not after a body
      -- that takes one (Huyện ủy Can Lộc)
      local m = cx:starting(after, PLACES)
      if m and cased(m) then l = { stop = m.stop, value = m.value, attrs = {} } end
    end
    if l and not o.attrs._level and (o.attrs._place or l.attrs.level == "country") then
      o.stop = l.stop
      o.value = o.value .. " " .. l.value
      o.attrs.country = l.attrs.level == "country" and l.value or nil
      o.attrs.place = l.attrs.level ~= "country" and l.value or nil
    end
  end
end

-- An organisation's abbreviation given in brackets after its name
-- (Cơ quan Hợp tác An ninh Quốc phòng (DSCA)) is that organisation, there
-- and wherever else the article uses it, as a word of its own.
local function is_word_byte(b) return b and (b >= 128 or (b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= 122)) end

-- Can ab abbreviate name? Its first letter starts a word of the name (Đ
-- counts as D), or the name is a translation long enough for it (Cơ quan
-- Hợp tác An ninh Quốc phòng (DSCA)). Else it names something else:
-- Quốc hội (UBKTQH), APEC (SFOM).
local function matches_name(name, ab)
  local c, words = sub(ab, 1, 1), 0
  for w in gmatch(name, "%S+") do
    words = words + 1
    local b = (sub(w, 1, 2) == "Đ" or sub(w, 1, 2) == "đ") and "D" or sub(w, 1, 1):upper()
    if b == c then return true end
  end
  return words >= 3 and #ab <= words
end

local function abbreviations_given(E, cx)
  local text, given, order, orgs = cx.text, nil, {}, E.ORG
  for i = 1, #orgs do
    local o = orgs[i]
    local ab = match(text, "^ %(([%u][%u%d&%-]+)%)", o.stop + 1)
    if ab and #ab <= 10 and matches_name(sub(text, o.start, o.stop), ab)
       and not cx:starting_stop(o.stop + 3, PLACES) then                      -- trường X (TPHCM): a place
      given = given or {}
      if not given[ab] then given[ab], order[#order + 1] = o, ab end
    end
  end
  if not given then return end
  -- The longer first, so that of two given abbreviations one of which
  -- holds the other (DSCA, DSCA-B) the longer takes its own occurrences;
  -- an order by pairs() changed from run to run, and with it which took
  -- "DSCA-B".
  table.sort(order, function(x, y) return #x > #y or (#x == #y and x < y) end)
  -- Free: on no organisation, found before or added here (rules.span.cover
  -- follows the list as it grows: a walk of all organisations for each
  -- occurrence grew with the square of a long text's).
  local covers = span.cover(orgs)
  for _, ab in ipairs(order) do
    local o, from = given[ab], 1
    while true do
      local a, z = find(text, ab, from, true)
      if not a then break end
      from = z + 1
      if not is_word_byte(byte(text, a - 1)) and not is_word_byte(byte(text, z + 1)) and not covers(a, z) then
        local e = { type = "ORG", start = a, stop = z, rule = "org-abbreviation", value = o.value,
                    attrs = { sector = o.attrs.sector, abbreviation_of = o.value } }
        orgs[#orgs + 1] = e
      end
    end
  end
  -- (rules.phases puts the list back in text order)
end

-- Post step. E: the resolved entities by type, each list in text order.
function M.post(E, cx)
  local orgs, out = E.ORG or {}, {}
  local loc_at, places = {}, E.LOCATION or {}
  for i = 1, #places do loc_at[places[i].start] = places[i] end
  local i = 1
  while i <= #orgs do
    local o, nexto = orgs[i], orgs[i + 1]
    local a = o.attrs
    if a._join and nexto and nexto.start == o.stop + 2 then
      -- Bộ Tư lệnh + Quân khu 5, Ban Thường vụ + Tỉnh ủy, Đảng bộ + Quân khu 5
      out[#out + 1] = { type = "ORG", start = o.start, stop = nexto.stop, rule = "org-join",
                        value = o.value .. " " .. nexto.value, attrs = nexto.attrs }
      i = i + 2
    else
      if a._took or a._alone or o.rule ~= "org-head" then out[#out + 1] = o end
      i = i + 1
    end
  end
  for i = 1, #out do
    local o = out[i]
    local a = o.attrs
    if a._level then
      local l = byte(cx.text, o.stop + 1) == 32 and loc_at[o.stop + 2]
      local v = level_value(o)
      if l then
        o.stop = l.stop
        o.value = v .. " " .. l.value
        a.place = l.value
        a.province, a.province_2025 = l.attrs.province, l.attrs.province_2025
      elseif (a._level == "tỉnh" or a._level == "thành phố" or a._level == "TP") and cx.province then
        o.value = v .. " " .. cx.province
        a.province, a.province_2025, a.province_from = cx.province, cx.province_2025, "article"
      else
        o.value = v
      end
    elseif a._took then
      o.value = sub(cx.text, o.start, o.stop)
    end
  end
  E.ORG = out
  complete_with_place(E, cx, loc_at)
  abbreviations_given(E, cx)
end

return M
