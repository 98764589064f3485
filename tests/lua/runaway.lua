-- Loops forever on "loop", allocates without end on "hog"; else tags the doc.
function process(doc)
  if doc.text:find("loop", 1, true) then
    while true do end
  elseif doc.text:find("hog", 1, true) then
    local t = {}
    while true do t[#t + 1] = string.rep("x", 1000) .. #t end
  end
  doc:set_field("survived", true)
end
