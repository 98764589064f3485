-- Takes memory through C objects on "regexes" and "gazetteers" (kept, so
-- no collection can give it back), little Lua memory: run by
-- tests/integration/lua_c_memory.sh.
local kept
function process(doc)
  kept = {}
  if doc.text == "regexes" then
    for i = 1, 20000 do kept[i] = textmill.regex("(?:ab|cd)+\\d{2,5}\\p{Lu}+x" .. i) end
  elseif doc.text == "gazetteers" then
    local names = {}
    for i = 1, 2000 do names[i] = "tên riêng số " .. i end
    for i = 1, 400 do kept[i] = textmill.gazetteer(names) end
  end
  kept = nil
  doc:set_field("survived", true)
end
