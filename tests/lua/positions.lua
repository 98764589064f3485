-- Positions that could fall inside a character: run by
-- tests/integration/lua_positions.sh on Vietnamese text. Empty matches
-- must step whole characters, and an init inside one is an error.
local rules = require("rules")

local pack = rules.pack {
  { type = "EMPTY", regex = [[\b]] },
  { type = "SPACE", regex = [[\s*]] },
  { type = "LOOK", regex = [[(?=\p{Lu})]] },
  { type = "WORD", regex = [[\s*(\w*)]], group = 1 },
}

local function boundary(text, i)
  return i > #text or (text:byte(i) & 0xC0) ~= 0x80
end

function process(doc)
  local text = doc.text
  for _, c in ipairs(pack:candidates(doc)) do
    assert(boundary(text, c.start) and boundary(text, c.stop + 1),
           ("%s span %d..%d splits a character"):format(c.type, c.start, c.stop))
  end
  pack:apply(doc)
  local inside = text:find("[\x80-\xBF]")
  if inside then
    local re = textmill.regex([[\b]])
    local ok, err = pcall(re.find, re, text, inside)
    assert(not ok and err:find(("init %d is inside a UTF-8 character"):format(inside), 1, true), err)
  end
  doc:set_field("positions", "ok")
end
