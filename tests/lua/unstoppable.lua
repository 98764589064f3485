-- Loops where Lua runs with its hooks off, so no budget's hook can stop
-- them: run by tests/integration/lua_unstoppable.sh. Each document's text
-- names the case.
local function loop() while true do end end
local pending   -- a coroutine stopped by a budget, its <close> still to run
local old       -- a coroutine made by an earlier document

function process(doc)
  local case = doc.text
  old = old or coroutine.create(loop)
  if case == "handler" then
    -- the budget's error, raised in the hook, runs the handler with hooks off
    xpcall(loop, loop)
  elseif case == "handler-error" then
    xpcall(error, loop, "x")
  elseif case == "gc" then
    setmetatable({}, { __gc = loop })
    collectgarbage()
  elseif case == "close" then
    local co = coroutine.create(function()
      local x <close> = setmetatable({}, { __close = loop })
      coroutine.yield()
    end)
    coroutine.resume(co)
    coroutine.close(co)
  elseif case == "wrap-close" then
    -- stopped by the budget inside: the wrapper closes it, with hooks off
    coroutine.wrap(function()
      local x <close> = setmetatable({}, { __close = loop })
      loop()
    end)()
  elseif case == "stopped-close" then
    pending = coroutine.create(function()
      local x <close> = setmetatable({}, { __close = loop })
      loop()
    end)
    coroutine.resume(pending)
  elseif case == "later-close" then
    local ok, err = coroutine.close(pending)
    assert(not ok and err:find("stopped by a budget", 1, true), err)
  elseif case == "old-coroutine" then
    coroutine.resume(old)
  end
  doc:set_field("survived", true)
end
