-- Checks the document object and the textmill module from inside a stage.
-- Run by tests/integration/lua_stage.sh through `textmill try`; any failed
-- assert rejects the document, and the test sees it.
local helper = require("helper")   -- from this script's folder

local function eq(a, b, what)
  if a ~= b then error(("%s: expected %q, got %q"):format(what, tostring(b), tostring(a)), 2) end
end

function process(doc)
  local text = doc.text
  eq(doc.id, "try", "doc.id")
  -- Lua positions: 1-based, stop inclusive, so text:sub(start, stop) is the surface.
  local re = textmill.regex([[\p{Lu}\p{Ll}+ Biên]])
  local s, e = re:find(text)
  eq(text:sub(s, e), "Điện Biên", "regex find surface")
  doc:add_entity { type = "PLACE", start = s, stop = e, value = "Điện Biên", attrs = { level = "province" } }
  local ents = doc:entities("PLACE")
  eq(#ents, 1, "entities")
  eq(ents[1].text, "Điện Biên", "entity text")
  eq(ents[1].start, s, "entity start")
  eq(ents[1].attrs.level, "province", "entity attrs")

  -- captures, match, exec, gmatch, gsub, test
  local date = textmill.regex([[(\d{1,2})/(\d{1,2})(?:/(\d{4}))?]])
  eq(date:match("ngày 24/2"), "24", "match first capture")
  local m = date:exec("ngày 24/2/2022")
  eq(m[3], "2022", "exec capture")
  eq(m.starts[1], 7, "exec capture start (\"ngày\" is 5 bytes)")
  local _, _, d, mo, y = date:find("24/2")
  eq(y, false, "unset group is false")
  local n = 0
  for _, _, dd in date:gmatch("1/2, 3/4 và 5/6/2020") do n = n + tonumber(dd) end
  eq(n, 9, "gmatch")
  eq((date:gsub("ngày 24/2", "%2-%1")), "ngày 2-24", "gsub string")
  eq((date:gsub("24/2 và 1/3", function(a, b) return b .. "." .. a end)), "2.24 và 3.1", "gsub function")
  eq(textmill.regex("đồng chí", "i"):test("ĐỒNG CHÍ Lê"), true, "caseless Vietnamese")
  local ok, err = pcall(textmill.regex, "(unclosed")
  eq(ok, false, "bad pattern fails")
  assert(err:find("(unclosed", 1, true) and err:find("offset 9"), "bad pattern message: " .. err)

  -- text helpers
  eq(textmill.fold("Đồng Chí Hòa"), "dong chi hoa", "fold")
  eq(textmill.upper("điện biên"), "ĐIỆN BIÊN", "upper")
  eq(textmill.lower("ĐIỆN BIÊN"), "điện biên", "lower")
  eq(textmill.len("Điện"), 4, "len")
  eq(textmill.normalize("Ho\u{0300}a"), "Hòa", "normalize NFC")

  -- gazetteer, one pass over the text
  local g = textmill.gazetteer({ { "Điện Biên", type = "LOCATION" }, { "Bộ Quốc phòng", type = "ORG", value = "MOD" } },
                               { diacritics = "insensitive" })
  local found = g:matches(text)
  eq(#found, 2, "gazetteer matches")
  eq(found[1].value, "MOD", "gazetteer value (matches come in text order)")
  eq(text:sub(found[1].start, found[1].stop), "Bộ Quốc phòng", "gazetteer span")

  -- fields go through JSON both ways
  doc:set_field("checked", { ok = true, list = { 1, 2, 3 }, name = "Điện Biên" })
  local f = doc:field("checked")
  eq(f.ok, true, "field bool")
  eq(f.list[3], 3, "field list")
  eq(doc:field("missing"), nil, "missing field")
  -- a name that is no text is an error the script can catch; the document
  -- goes on (the host would have rejected all of it)
  local ok, err = pcall(doc.field, doc, "t\255n")
  assert(not ok and err:find("field: the name is not valid UTF-8", 1, true), err)
  ok, err = pcall(doc.set_field, doc, "t\255n", 1)
  assert(not ok and err:find("set_field: the name is not valid UTF-8", 1, true), err)
  ok, err = pcall(doc.add_entity, doc, { type = "PL\225CE", start = 1, stop = 1 })
  assert(not ok and err:find("add_entity: type is not valid UTF-8", 1, true), err)
  ok, err = pcall(doc.add_entity, doc, { type = "PLACE", rule = "r\0", start = 1, stop = 1 })
  assert(not ok and err:find("add_entity: rule holds a NUL", 1, true), err)
  eq(#doc:entities("PL\225CE"), 0, "no entity of a bad type")
  eq(helper.answer(), 42, "require from the script folder")
  eq(type(require("rules").pack), "function", "require the rule library")
  -- a rule's context conditions read the text around the match in place,
  -- and value() gets the context the caller handed to candidates()
  local ORG = [[Bộ \p{Lu}\p{Ll}+ \p{Ll}+]]
  local got
  local pack = require("rules").pack {
    { type = "ORG", regex = ORG, before = [[[0-9]{4},]], after = { "HỌP" },
      value = function(m, _, cx) got = cx; return m.text end },
    { type = "ORG", regex = ORG, not_after = [[\p{Ll}+ tại]] },
    { type = "ORG", regex = ORG, not_before = "Ngày" },
  }
  local s0 = text:find("Bộ Quốc", 1, true)
  local cx = {}
  local cands = pack:candidates(doc, nil, cx)
  eq(#cands, 2, "context conditions")
  eq(cands[1].value, "Bộ Quốc phòng", "before and after")
  eq(got, cx, "value() gets the caller's context")
  -- needs, a regex as a string: the rule runs only where the text has a match
  local gated = require("rules").pack {
    { type = "ORG", name = "has", regex = ORG, needs = [[Quốc phòng]] },
    { type = "ORG", name = "lacks", regex = ORG, needs = [[\p{Lu}{12}]] },
  }
  local found = gated:candidates(doc, nil, {})
  eq(#found, 1, "needs: the rule whose regex the text lacks finds nothing")
  eq(found[1].rule, "has", "needs: the rule whose regex the text has")
  local ok, err = pcall(require("rules").pack, { { type = "X", name = "bad", regex = ORG, needs = "(" } })
  eq(ok, false, "needs: a regex that does not compile")
  eq(err:find("rule bad: needs:", 1, true) ~= nil, true, "needs: the error names the rule")
  ok, err = pcall(require("rules").pack, { { type = "X", name = "num", regex = ORG, needs = 5 } })
  eq(ok == false and err:find("rule num: needs must be a regex", 1, true) ~= nil, true, "needs: not a regex")
  -- span helpers (positions of "Bộ Quốc phòng" in the text)
  local span = require("rules").span
  local bo = { start = s0, stop = s0 + #"Bộ" - 1 }
  local qp = { start = bo.stop + 2, stop = bo.stop + 1 + #"Quốc phòng" }
  eq(span.adjacent(text, bo, qp), " ", "adjacent by a space")
  eq(span.adjacent(text, qp, bo), nil, "not adjacent backwards")
  eq(span.overlaps(bo, { start = bo.stop, stop = qp.stop }), true, "overlaps")
  eq(span.inside(bo, { start = bo.start, stop = qp.stop }), true, "inside")
  eq(span.whole_word(text, bo.start, bo.stop), true, "a whole word")
  eq(span.whole_word(text, qp.start, qp.start + #"Quố" - 1), false, "not inside a word")
  eq(span.whole_word(text, qp.start, qp.start + #"Qu" - 1), false, "nor cut before a letter of several bytes")
  eq(span.whole_word(text, 1, #"Ngày"), true, "at the start of the text")
  eq((span.window(text, qp.start + 3, -3)), "Qu", "a window keeps whole characters (not the first byte of ố)")
  -- a shape written as a Lua pattern reads as Lua reads it: %s is ASCII space
  -- only, not the other vertical spaces of PCRE2's \v (U+0085, U+2028)
  local rules = require("rules")
  local blank = textmill.regex(rules.pattern_regex("^%s$"))
  eq(blank:test("\v"), true, "%s takes a vertical tab")
  eq(blank:test("\u{2028}"), false, "%s takes no line separator")
  eq(blank:test("\u{85}"), false, "%s takes no next-line character")

  -- the sandbox
  eq(io, nil, "no io")
  eq(debug, nil, "no debug")
  eq(os.execute, nil, "no os.execute")
  eq(type(os.time()), "number", "os.time is there")
  eq(pcall(require, "os"), false, "require cannot reach native modules")
  eq(pcall(load, string.dump(function() end)), true, "load is there")
  eq((load(string.dump(function() end))), nil, "but refuses binary chunks")
  doc:set_field("api", "ok")
end
