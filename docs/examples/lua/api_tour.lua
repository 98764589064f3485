-- Every function of the Lua API, each used the way docs/lua-api.md shows
-- it. The test suite runs this script (api_tour.test.yaml): a failed
-- check rejects the document and fails the test.

local function check(cond, what) if not cond then error("api_tour: " .. what, 2) end end

local settings
function init(options)              -- once per Lua state, with the stage's options:
  settings = options                -- a YAML mapping as a Lua table
end

function process(doc)
  local text = doc.text             -- pushed into Lua once per document
  check(doc.id == "case 1", "doc.id")

  -- Positions are Lua's: 1-based, stop inclusive, counted in bytes.
  local s, e = text:find("Điện Biên", 1, true)
  check(text:sub(s, e) == "Điện Biên", "positions")

  -- doc:add_entity and doc:entities
  doc:add_entity { type = "LOCATION", start = s, stop = e, value = "Điện Biên",
                   attrs = { level = "province" }, rule = "tour" }
  local places = doc:entities("LOCATION")
  check(#places == 1 and places[1].text == "Điện Biên" and places[1].attrs.level == "province", "entities")

  -- doc:field and doc:set_field (any JSON value; nil removes the field)
  local year = tonumber(doc:field("published"):sub(1, 4))
  doc:set_field("checked_year", year)
  doc:set_field("tags", { "quốc phòng", "hội nghị" })
  check(doc:field("tags")[2] == "hội nghị", "set_field / field")

  -- textmill.regex: find, match, exec, gmatch, gsub, test
  local date = textmill.regex([[(\d{1,2})/(\d{1,2})/(\d{4})]])
  local ds, de, d, m, y = date:find(text)
  check(text:sub(ds, de) == "24/2/2022" and y == "2022", "regex:find")
  check(date:match("ngày 2/12/2021") == "2", "regex:match")
  local hit = date:exec(text)
  check(hit.text == "24/2/2022" and hit[3] == "2022" and hit.starts[3] == de - 3, "regex:exec")
  local named = textmill.regex([[(?<day>\d+)/(?<month>\d+)]]):exec("14/12")
  check(named.day == "14" and named.month == "12", "named captures")
  local count = 0
  for _ in textmill.regex([[\p{Lu}\p{Ll}+]]):gmatch(text) do count = count + 1 end
  check(count >= 5, "regex:gmatch")
  check(date:gsub("2/12/2021", "%3-%2-%1") == "2021-12-2", "regex:gsub")
  check(textmill.regex("bộ quốc phòng", "i"):test(text), "caseless Vietnamese")

  -- textmill.gazetteer: many names, one pass
  local orgs = textmill.gazetteer({
    { "Bộ Quốc phòng", type = "ORG", abbr = "BQP" },
    { "Tỉnh ủy", type = "ORG" },
  }, { diacritics = "insensitive" })
  local found = orgs:matches(text)
  check(#found == 2 and found[1].key == "Bộ Quốc phòng" and found[1].attrs.abbr == "BQP", "gazetteer")
  check(orgs:size() == 2 and #orgs == 2, "gazetteer size")
  local from_file = textmill.gazetteer("provinces.tsv")   -- relative to this script
  check(from_file:matches(text)[1].value == "VN-71", "gazetteer file")

  -- text helpers
  check(textmill.fold("Phó Bí thư Tỉnh ủy") == "pho bi thu tinh uy", "fold")
  check(textmill.lower("ĐIỆN BIÊN") == "điện biên" and textmill.upper("đắk nông") == "ĐẮK NÔNG", "case")
  check(textmill.normalize("Tho\u{0309}y", "NFC") == "Thỏy", "normalize")
  check(textmill.len("Điện Biên") == 9 and #"Điện Biên" == 13, "len counts characters")

  -- textmill.occurrences: whole-word occurrences of a few names, in text order
  local said = "Lê Anh Tuấn nói. Anh Tuấn và Thanh Anh; ông Tuấn"
  local starts, stops, which = textmill.occurrences(said, { "Lê Anh Tuấn", "Tuấn", "Anh" },
    { from = { nil, 12 }, skip = { { { start = 37, stop = 45 } } } })   -- Tuấn from byte 12; not over Thanh Anh
  check(table.concat(starts, " ") == "1 5 22 26 53" and table.concat(stops, " ") == "14 7 24 31 58"
        and table.concat(which, " ") == "1 3 3 2 2", "occurrences")

  -- textmill.capital_runs: an anchored regex tried only where two capitalised words start
  local run = textmill.regex([[\G\p{Lu}[a-z'\-]+(?: \p{Lu}[a-zA-Z'\-]+){1,2}(?![\p{L}\p{M}])]])
  local rs, re = textmill.capital_runs("Theo Joel Matip, Hà Nội và Jürgen Klopp", run)
  check(table.concat(rs, " ") == "1" and table.concat(re, " ") == "15", "capital_runs")
  check(textmill.small_word("ông") and not textmill.small_word("Ông") and not textmill.small_word("ông 2"),
        "small_word")
  -- textmill.proper: each word of a span capitalised (a name's value)
  check(textmill.proper("ông lê văn hùng", 6, 19) == "Lê Văn Hùng"
        and textmill.proper("Đỗ Xuân trường", 1, 21) == "Đỗ Xuân Trường", "proper")
  -- textmill.words_in: may a word (or a byte) of the span spoil a name?
  check(textmill.words_in("Man City", 1, 8, { City = true }) and not textmill.words_in("Man City", 1, 3, { City = true })
        and textmill.words_in("Kim Jong-un", 1, 11, {}, "-"), "words_in")

  -- textmill.find_in: exec_in's match as a start, a stop and the captures, no table
  local quarter = textmill.regex([[[Qq]uý ([IV]{1,3})/\z]])
  local said_q = "trong Quý II/2025"
  local qs, qe, roman = textmill.find_in(quarter, said_q, 1, 14)
  local lead = textmill.regex([[(?<from>[Tt]ừ )?(?<day>[Nn]gày) *\z]])
  local _, _, from, day = textmill.find_in(lead, "Sáng ngày 3", 1, 12)
  check(qs == 7 and qe == 14 and roman == "II" and quarter:exec_in(said_q, 1, 14).start == qs
        and from == false and day == "ngày" and textmill.find_in(quarter, said_q, 1, 13) == nil, "find_in")

  -- options from the config reach init()
  check(settings.region == "Tây Bắc", "options")

  -- doc:drop removes the document with a reason (counted in the summary)
  if text:find("BẢN NHÁP", 1, true) then doc:drop("draft") end
end

function finish() end               -- at the end of the stream, once per state
