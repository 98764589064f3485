-- Opens the file named by options.path as a gazetteer (or options.module
-- with require) and records what happened in the field "opened": run by
-- tests/integration/lua_sandbox_files.sh.
local opts
function init(options) opts = options end
function process(doc)
  local ok, res
  if opts.module then
    ok, res = pcall(require, opts.module)
  else
    ok, res = pcall(textmill.gazetteer, opts.path, { type = "X" })
  end
  doc:set_field("opened", ok and ("ok " .. (type(res) == "userdata" and #res or tostring(res))) or ("error " .. res))
end
