-- A trusted script whose finalizer loops when the state closes, at the
-- end of the run: run by tests/integration/lua_unstoppable.sh.
keep = setmetatable({}, { __gc = function() while true do end end })
function process(doc) doc:set_field("seen", true) end
