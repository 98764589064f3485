-- names.lua -- PERSON without a title around it: a Vietnamese family name
-- (persons.tsv, FAMILY_NAME rows: a closed list) and one to three
-- capitalised syllables after it ("Bùi Thị Nga", "Lục Khảng"), or a given
-- name cut to an initial ("Nguyễn Thị H", "Nguyễn V. A"). persons.lua adds
-- these rules to its own; it hands in name_value, which cuts the name where
-- a title, a rank or an organisation starts.
local textmill = require("textmill")
local C = require("context")
-- (string.find(text, ...), not text:find(...): a method call on a string
-- looks the name up in the strings' metatable first, each time)
local find = string.find

local M = {}

-- What starts at the family name and makes the run not a name: a place
-- (Hà Nội, Lâm Đồng, Hoàng Sa), an organisation, a title.
local LEVEL = { LEVEL = true }
local PLACE = { PLACE = true }
local NOT_A_NAME_AT = { PLACE = true, PROVINCE = true, DISTRICT = true, ORG = true, ORG_HEAD = true,
                        TITLE = true, EVENT = true, LAW = true }
-- Words before a run that make it the name of a street, a school, a ship,
-- a place (named after a person, or just alike): not a person then.
local NAMED_AFTER = {}
for w in ([[đường phố ngõ hẻm trường cầu chùa đền đình tàu sân bến chợ trường
           xã phường thôn bản ấp huyện quận tỉnh thị trấn khu lăng nhà tượng giải tuyến hồ núi
           sông đảo làng xóm thpt thcs ptth ptcs ptdt bay trú ngụ tại vai đèo dốc suối thác vịnh hang đồi đỉnh chuyên]]):gmatch("%S+") do
  NAMED_AFTER[w] = true
end
-- Heads of two words, and what a one-word test cannot tell from a title
-- (tập đoàn, not Trưởng đoàn): sân bay Tân Sơn Nhất, Bệnh viện Bạch Mai.
local THING_HEAD = textmill.regex([[(?i)(?:viện|công viên|công ty|tập đoàn|ngân hàng|nhà hàng|nhà hát|di tích|quốc lộ|đại lộ|]]
  .. [[thương hiệu|câu lạc bộ|clb|đội bóng|khách sạn|phim|dự án|chương trình|cuộc thi|tết|bảo tàng|cổ phần|ngã tư|ngã ba|ngã sáu|giao lộ|nút giao|]]
  .. [[đường đôi|phố đi bộ|tàu ngầm|chiến hạm|khu trục hạm|tuần dương hạm|tàu khu trục|(?:số|thôn|xóm|ấp|bản|tổ|khóm|khu phố|tiểu khu|khu|tại|ở|nhà)\s+\d[\d/\p{L}]*|\(\d[\d/\p{L}]*)\s+$]])

-- Does the word (or the head of two) before pos name a thing after what
-- follows: a street, a school, an airport, a company?
-- A number before is an address: số 187 Nguyễn Chí Thanh, thôn 5 Đồng Yên,
-- tại 139 Lê Đình Dương, (47 Nguyễn Văn Lượng, Q.Bình Thạnh); a street with
-- a word after the street word too (đường đôi Đinh Tiên Hoàng, phố đi bộ);
-- a warship is named after a person (tàu ngầm Yuri Dolgoruky; after "hạt
-- nhân" it is missed: every bệnh nhân, nạn nhân would pay for the test).
-- (Not the end of a place's name: Nhật Bản Tomomi Inada is no village.)
local PLACES = { PLACE = true, PROVINCE = true, DISTRICT = true }
-- (The regex runs only after a word that ends one of its heads.)
local HEAD_END = {}
for w in ([[viện viên ty phần đoàn hàng hát tích lộ hiệu bộ clb bóng sạn phim án trình thi tết tàng tư ba sáu giao đôi
           ngầm hạm trục]]):gmatch("%S+") do
  HEAD_END[w] = true
end
-- M.thing_before(cx, pos): NAMED_AFTER[w], or (HEAD_END[w] or w a number)
-- and THING_HEAD in the 24 bytes before, w the word before pos in lower
-- case; and no place right before pos. In C (textmill.thing_before): the
-- rules and the persons' step ask it some 3,200 times on the tenth of the
-- dev articles.
M.thing_before = textmill.thing_before({ words = NAMED_AFTER, heads = HEAD_END, head = THING_HEAD, reach = 24,
                                         unless = PLACES })

-- Words that make a capitalised run a club, a company, a product or an
-- event, never a person (Man City, Real Madrid, Cen Land, Minh Tien Coffee).
local NOT_PERSON_WORD = {}
for w in ([[City United Utd FC CF Club League Cup Coffee Land Group Corp Bank Holdings Airlines Airways Motors
           Studio Studios Media News Times Post Awards Show Channel Entertainment Pictures Records Mall Plaza Tower
           Hotel Resort Street Avenue Airport Stadium Arena Youtuber Team Tech Technology Capital Fund Foundation
           Institute University College School Academy Company Inc Ltd Association Federation Council Agency Network
           Online Express Global International Real Madrid Premier Super Champions Series Festival Expo Mobile Phone
           Edition Video Clip Vietnam Web Cloud Point Pro Plus Ultra Pay Store]]):gmatch("%S+") do
  NOT_PERSON_WORD[w] = true
end

-- A capital after a hyphen in a name with Vietnamese letters joins two
-- places or streets (Kim Mã-Yên Nghĩa, Ích Khiêm-Lê Duẩn), never a
-- Vietnamese name; foreign names keep theirs (Jean-Pierre, Kim Jong-un).
-- (ă đ ơ ư in two bytes, the letters with tone marks in three.)
-- (word_test finds the hyphen and the capital; this looks at the letters.)
function M.joins_places(name)
  return find(name, "%-[%u\195-\198\225]") ~= nil
    and (find(name, "[\196\198][\128-\191]") ~= nil or find(name, "\225[\186\187]") ~= nil)
end

-- Is the word one of those?
function M.thing_word(w) return NOT_PERSON_WORD[w] end

-- A name in a list of streets (named after people): a street word, then
-- capitalised names joined by commas and
-- dashes up to the name (các tuyến phố như: Nguyễn Thái Học - Kim Mã, Bà
-- Triệu, [Hoàng Quốc Việt]; ngã tư Láng Hạ - [Huỳnh Thúc Kháng]).
local CAP = [[\p{Lu}[\p{L}\p{M}]*]]
-- Words in lower case between only when they open the list (như, gồm, là):
-- not đường dây (a ring), đường chuyền (a pass), lên đường; not thành phố.
-- (Each list is tested only where its head and what follows the head
-- occur in the window: a search forward that stops at the first, with no
-- look-behind so that PCRE2 knows the bytes it can start with, is much
-- cheaper than the list's test, which tries every character that may
-- start it; a match of the list holds one of the head, so the answer is
-- the same.)
-- A list ends right before the name with a capitalised word, the last
-- word of its head or lead (phố, xã, như ...), và, a separator or a colon:
-- a name right after another word in small letters (ông, của, đã) is in no
-- list, and neither list is searched for it.
local function word_set(words)
  local t = {}
  for w in words:gmatch("%S+") do t[w] = true end
  return t
end
local STREET_END = word_set([[đường phố tuyến nút giao tư ba lộ như gồm là]])
local PLACE_END = word_set([[xã phường trấn huyện quận thôn bản ấp xóm làng tỉnh phố như gồm là và]])
local LIST_LEAD = [[(?:(?: \p{Ll}[\p{L}\p{M}]*){0,3} (?:như|gồm|là))?:?\s+]]
local STREET_HEAD = [[(?i:đường(?! dây)|phố|tuyến|nút giao|nút|ngã tư|ngã ba|giao lộ|quốc lộ|đại lộ)]] .. LIST_LEAD
local STREET_LIST = textmill.regex([[(?<![Tt]hành )]] .. STREET_HEAD .. [[(?:]] .. CAP .. [=[(?:[ -]]=] .. CAP
  .. [[)*\s*[,;–-]\s*)*(?:]] .. CAP .. [[ )*$]])
local STREET_START = textmill.regex(STREET_HEAD .. [[(?:\p{Lu}|$)]])
-- M.in_street_list(cx, pos), in C (textmill.list_before): the test above,
-- over the 160 bytes before pos.
M.in_street_list = textmill.list_before({ ends = STREET_END, start = STREET_START, list = STREET_LIST, reach = 160 })

-- A name in a list of places after a counted or plural level word (ở 4
-- xã: Thạch Bàn và Thạch Hải, H.Thạch Hà, [Mai Phụ]; các phường An Lạc,
-- [Bình Trị Đông]): communes are often named like people. The items may
-- carry an abbreviated level (H., TP.) and be joined by commas or và.
local PLACE_HEAD = [[ (?:xã|phường|thị trấn|thị xã|huyện|quận|thôn|bản|ấp|xóm|làng|tỉnh|thành phố)]] .. LIST_LEAD
local PLACE_LIST = textmill.regex([[(?<![\p{L}\p{M}])(?:các|những|\d+|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)]]
  .. PLACE_HEAD .. [[(?:(?:\p{Lu}{1,2}\. ?)?]] .. CAP .. [[(?: ]] .. CAP .. [[)*(?:\s*[,;–-]\s*| và ))*$]])
local PLACE_START = textmill.regex(PLACE_HEAD .. [[(?:\p{Lu}|$)]])
M.in_place_list = textmill.list_before({ ends = PLACE_END, start = PLACE_START, list = PLACE_LIST, reach = 160 })

-- A regex for words that may end or spoil a name (those, the extra ones
-- persons.lua passes, a possessive, a capital after a hyphen), to test a
-- name in C before looking at its words one by one in Lua.
function M.word_test(extra)
  local words = {}
  for w in pairs(NOT_PERSON_WORD) do words[#words + 1] = w end
  for _, w in ipairs(extra) do words[#words + 1] = w end
  table.sort(words)
  return textmill.regex([[(?<![\p{L}\p{M}])(?:]] .. table.concat(words, "|") .. [[)(?![\p{L}\p{M}])|'s(?![\p{L}])|-\p{Lu}]])
end

-- The same words (with the extra ones) as a set, for textmill.words_in.
function M.word_set(extra)
  local set = {}
  for w in pairs(NOT_PERSON_WORD) do set[w] = true end
  for _, w in ipairs(extra) do set[w] = true end
  return set
end

-- A name as foreign names are written too: syllables with hyphenated parts
-- (Kim Jong-un, Moon Jae-in, Al-Baghdadi) and Arabic particles (Abu Bakr
-- al-Baghdadi, Mohammed bin Salman). persons.lua reads names with it.
M.SYL = C.SYL .. [[(?:\p{Lu}[\p{Ll}\p{M}]+)?(?:-\p{L}[\p{Ll}\p{M}']*)*]]     -- McDonald, Jong-un
local PARTICLE = [[(?:(?:al-|el-|Al |bin |ibn |de |van |von |der |den |la |da |dos )+|(?:\p{Lu}\. )+)]]   -- George H. W. Bush, Ursula von der Leyen
M.NAME = M.SYL .. [[(?: ]] .. PARTICLE .. [[?]] .. M.SYL .. [[){0,4}]]

-- Given syllables after a family name: capitalised syllables (the middle
-- one may be A, as in Hmong men's names: Giàng A Páo), or a last
-- initial (Nguyễn Thị H, Bùi N.A., Nông N. M.). A last syllable before Thị
-- or Văn and a capital is the family name of the next name, in a row of
-- names with nothing between (Dương Thị Hên Đặng Thị Kim Thanh): the regex
-- gives a syllable back until the last one is not.
local NEXT_NAME = [[(?![\p{L}\p{M}])(?! (?:Thị|Văn) \p{Lu})]]
local GIVEN = [[(?: (?:A(?= \p{Lu})|]] .. M.SYL .. [[)){0,2}(?: \p{Lu}[\p{Ll}\p{M}]+(?:-\p{L}[\p{Ll}\p{M}']*)*]] .. NEXT_NAME
  .. [[| \p{Lu}(?:\. ?\p{Lu})*\.?(?![\p{L}\p{M}\d])(?!\.\p{Lu}))]]

-- Is pos inside a longer place that started before it (Đào in Bồ Đào Nha)?
local function inside_place(cx, pos)
  -- one call when no such match starts in the 16 bytes before (the usual case)
  local p = cx:first_start(math.max(1, pos - 16), pos - 1, NOT_A_NAME_AT)
  while p do
    local stop = cx:starting_stop(p, NOT_A_NAME_AT)
    if stop and stop >= pos then return true end
    p = p + 1 < pos and cx:first_start(p + 1, pos - 1, NOT_A_NAME_AT) or nil
  end
  return false
end

M.inside_place = inside_place

-- Does a place or a body start at pos (nghệ sĩ Ấn Độ, học sinh Hà Nội)?
-- (first_start over one byte: a yes or no with no table made for the match)
function M.not_a_name_at(cx, pos) return cx:first_start(pos, pos, NOT_A_NAME_AT) ~= nil end

-- One or two capitalised words of Latin letters (not Vietnamese ones: ư, ơ,
-- ạ ... are outside) after a foreign given name, with the particles of
-- M.NAME: Andre Agassi, Gilles Muller, Park Hang Seo, Moon Jae-in.
-- A second word in plain ASCII only: Vietnamese words share é, à, ú with
-- French and Spanish (Edward Lachman, not "Edward Lachman Thành[ tựu]").
local LATIN_WORD = [[\p{Lu}[a-zA-Z\x{E0}-\x{FF}'\-]+]]
-- The third word is no name's when it is a Vietnamese word in plain
-- letters that opens a sentence whose full stop was lost (Donald Trump Hai
-- triển vọng ...), or an abbreviation in capitals (Victor Lindelof CLB Man
-- United), not a Roman number (Benedict XVI).
local NOT_THIRD = [[(?!(?:Hai|Ba|Theo|Khi|Sau|Trong|Tin|Cho|Con|Nay|Ngay|Sang|Tai|Ban|Nhung|Tuy|Do|Vao|Ve|Ra)(?![\p{L}\p{M}])]]
  .. [[|(?![IVX]+(?![\p{L}\p{M}]))\p{Lu}{2,}(?![\p{L}\p{M}]))]]
local FOREIGN_REST = [[ ]] .. PARTICLE .. [[?]] .. LATIN_WORD .. [[(?: ]] .. NOT_THIRD .. PARTICLE .. [[?\p{Lu}[a-zA-Z'\-]+(?![\p{L}\p{M}\d]))?(?![\p{L}\p{M}\d])]]
local CAPITAL_BEFORE = textmill.regex([[\p{Lu}[\p{L}\p{M}]* $]])
-- Capitalised words and particles before a name (Khalid bin [Mohammed
-- Al-Attiyah], Mohammed bin Nayef bin [Abdulaziz]): the name starts earlier.
M.PARTICLES = [[(?:bin|ibn|bint|von|van|der|den|de|del|della|di|du|dos|das|ter)]]
M.NAME_PARTICLES_BEFORE = textmill.regex([[(?<![\p{L}\p{M}])((?:\p{Lu}[\p{Ll}\p{M}]+(?:-\p{L}[\p{Ll}\p{M}]*)* (?:]]
  .. M.PARTICLES .. [[ )+)+)$]])
local ADMIN = { PROVINCE = true, DISTRICT = true }

function M.rules(name_value)
  return {
    { type = "PERSON", layer = "PERSON", name = "person-foreign-given", on = "GIVEN_NAME", cased = true,
      shape = C.shape.capital_after, regex = FOREIGN_REST, args = { "start", "stop" },
      -- inside a longer capitalised run (Real Madrid, Quỹ Bill Gates) or a
      -- place (Abu Dhabi): a longer match of those starting at the given
      -- name keeps the rule out, in C, before value()
      defer = NOT_A_NAME_AT,
      value = function(_, _, cx, s, e)
        local text = cx.text
        if cx:first_start(s + 1, e, ADMIN)   -- Sanna Khánh Hòa, a team
            or (CAPITAL_BEFORE:test_in(text, s - 40, s - 1) and not cx:just_before_start(s, PLACE))   -- Nga Igor Konashenkov
            or M.thing_before(cx, s) or inside_place(cx, s)
            or M.NAME_PARTICLES_BEFORE:test_in(text, s - 40, s - 1) then
          return false
        end
        return name_value(cx, { evidence = "foreign_given_name" }, s, e)
      end },

    -- cased: most FAMILY_NAME matches are common words in lower case (đào
    -- tạo, triệu, tăng); an engine that knows `cased` drops them before Lua
    { type = "PERSON", layer = "PERSON", name = "person-family-name", on = "FAMILY_NAME", cased = true,
      shape = C.shape.upper_at_start, regex = GIVEN, args = { "start", "stop" },
      defer = NOT_A_NAME_AT,                              -- a place or a body that starts so (as above)
      value = function(_, _, cx, s, e)
        local text = cx.text
        if M.thing_before(cx, s) or cx:just_before_start(s, LEVEL) or inside_place(cx, s) then
          return false                                  -- Vườn quốc gia Lò Gò - Xa Mát
        end
        -- a country in plain letters after the family name: a delegation
        -- (Đoàn Campuchia); not a country that is a Vietnamese syllable too (Trần Anh)
        local rest = find(text, " ", s, true) + 1
        local _, plain = find(text, "^%a+", rest)
        if plain == e and e - rest >= 4 then
          local stop, level = cx:starting_stop(rest, PLACE, "level")
          if stop == e and level == "country" then return false end
        end
        local v, a, s2, e2 = name_value(cx, { evidence = "family_name" }, s, e)
        -- a capital after a hyphen joins two places (Kim Mã-Yên Nghĩa), never a Vietnamese name
        if not v or not find(v, " ", 1, true)
            or (find(v, "-", 1, true) and (find(v, "%-%u") or find(v, "-Đ", 1, true))) then   -- (most names: no hyphen)
          return false
        end
        return v, a, s2, e2
      end },
  }
end

-- A foreign name with no title around it (Joel Matip, Ksenia Tsaritsina):
-- two or three capitalised words in plain Latin letters, the last of which
-- the article also writes alone, as news does with a foreign family name
-- ("... Matip từ chối"). An English name of a paper or a product seldom
-- has its last word alone elsewhere. Calls found(s, e) for each.
-- (Anchored: textmill.capital_runs tries it only where a capitalised word
-- in small plain letters, a space and a capital start, in C.)
local FOREIGN_RUN = textmill.regex([[\G\p{Lu}(?<![\p{L}\p{M}\-]\p{Lu})[a-z'\-]+(?: \p{Lu}[a-zA-Z'\-]+){1,2}(?![\p{L}\p{M}\-])]])
-- What follows a product's or a team's name, not a person's: a number, a
-- model code, another capitalised word (Honda City 2017, Ranger XLT).
local NOT_PERSON_AFTER = textmill.regex([[\G\s*(?:[0-9]|\p{Lu}[\p{Lu}0-9]+\b|\p{Lu}[\p{Ll}\p{M}]+ )]])
-- A sentence start is no evidence: "Sau", "Theo" open sentences.
local SENTENCE_BEFORE = textmill.regex([[(?:^|[.!?:;…"“”\n-])\s*$]])
-- Words before a run that make it a product, a team, a ship or a compound.
local THING_BEFORE = {}
for w in ([[xe mẫu dòng chiếc hãng nhóm giải lớp tàu máy robot axit bản phiên điện thoại đội câu lạc bộ clb
           sân kênh trang báo tờ ứng dụng phần mềm thương hiệu tập đoàn công ty giày áo phim album bài]]):gmatch("%S+") do
  THING_BEFORE[w] = true
end

-- Vietnamese words written without marks that open a sentence (Theo Ford,
-- Khi Hubble ...), and articles of foreign names of things (La Liga).
local PLAIN_WORD = {}
-- Makers and brands open the names of their products (Ford EcoSport,
-- Hyundai Accent, Internet Starlink).
-- A paper or a contest is no person (The National, Miss Universe), nor a
-- flower named at the start of a sentence (Hoa Mlah); a kinship word that
-- opens a sentence is outside the name after it (Anh Minh, Em Long).
for w in ([[Theo Khi Sau Tin Cho Con Trong Tuy Nhung Ban Nay Ngay Robot La Le El Big Video Clip Tia Top Hot Live The Miss Hoa
           Ford Hyundai Toyota Honda Kia Mazda Nissan Mitsubishi Suzuki Yamaha Vinfast VinFast Mercedes Audi Lexus
           Porsche Volkswagen Peugeot Chevrolet Subaru Tesla Apple Samsung Google Microsoft Facebook Internet Galaxy
           Xiaomi Oppo Vivo Huawei Sony Nokia Canon Nike Adidas Boeing Airbus Windows Android Trung
           Bugatti Triumph Moto Ducati Lamborghini Ferrari Vespa Piaggio Kawasaki Harley Vua Anh Em]]):gmatch("%S+") do
  PLAIN_WORD[w] = true
end

-- The step, in C (textmill.foreign_names has each test): the runs, kept.
local FOREIGN = textmill.foreign_names({
  run = FOREIGN_RUN, not_after = NOT_PERSON_AFTER, sentence_before = SENTENCE_BEFORE,
  plain_first = PLAIN_WORD, thing_before = THING_BEFORE, thing_words = NOT_PERSON_WORD,
  -- a word the article also writes after xe, chiếc, mẫu ... is a
  -- product's name (xe Bobber, mẫu Miura), not a surname
  product_before = { ["xe"] = true, ["chiếc"] = true, ["mẫu"] = true, ["dòng"] = true, ["hãng"] = true } })
function M.foreign(cx, found)
  local starts, stops = FOREIGN(cx.text, function(s) return cx:just_before_start(s, PLACE) end)
  for i = 1, #starts do found(starts[i], stops[i]) end
end

return M
