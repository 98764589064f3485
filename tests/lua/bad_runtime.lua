-- Fails on documents that mention "lỗi", on line 5.
local function check(doc)
  local t = nil
  if doc.text:find("lỗi", 1, true) then
    return t.field
  end
end
function process(doc) check(doc) end
