-- A trusted script whose finalizer loops while a document runs: Lua runs
-- finalizers with hooks off, so no budget reaches it and the run must end.
-- Run by tests/integration/lua_unstoppable.sh.
function process(doc)
  if doc.text == "stuck" then
    setmetatable({}, { __gc = function() while true do end end })
    collectgarbage()
  end
  doc:set_field("seen", true)
end
