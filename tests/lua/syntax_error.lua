function process(doc)
  local x = = 1
end
