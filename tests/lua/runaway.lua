-- Loops on "loop" (catching errors on "stubborn", in a coroutine on "coroutine"), allocates on "hog".
function process(doc)
  if doc.text:find("loop", 1, true) then
    while true do end
  elseif doc.text:find("hog", 1, true) then
    local t = {}
    while true do t[#t + 1] = string.rep("x", 1000) .. #t end
  elseif doc.text:find("stubborn", 1, true) then
    while true do pcall(function() while true do end end) end
  elseif doc.text:find("coroutine", 1, true) then
    coroutine.wrap(function() while true do end end)()
  end
  doc:set_field("survived", true)
end
