-- Takes memory through C objects on "regexes" and "gazetteers" (kept, so
-- no collection can give it back), little Lua memory; on a text of many
-- "a", the search scratch of a gazetteer made before the first document;
-- on one of many numbers, a rule engine's table of matches: run by
-- plugins/lua/tests/c_memory.sh.
local kept
local A = textmill.gazetteer({ "a" })
local N = require("rules").pack({ { type = "N", layer = "N", name = "n", on = "NUMBER" } },
                                { tokens = { NUMBER = "[0-9]+" } })
function process(doc)
  kept = {}
  if doc.text == "regexes" then
    for i = 1, 20000 do kept[i] = textmill.regex("(?:ab|cd)+\\d{2,5}\\p{Lu}+x" .. i) end
  elseif doc.text == "gazetteers" then
    local names = {}
    for i = 1, 2000 do names[i] = "tên riêng số " .. i end
    for i = 1, 400 do kept[i] = textmill.gazetteer(names) end
  elseif doc.text:sub(1, 2) == "a " then
    kept = A:matches(doc.text)
  elseif doc.text:sub(1, 2) == "1 " then
    N:begin(doc)
  end
  kept = nil
  doc:set_field("survived", true)
end
