-- init(options) once per state, finish() at the end of the stream.
local seen, opts = 0, nil
function init(o) opts = o end
function process(doc)
  seen = seen + 1
  doc:set_field("opts", { year = opts.year, name = opts.name, flag = opts.flag, kind = math.type(opts.year) })
  if doc.text:find("drop me", 1, true) then doc:drop("not-wanted") end
end
function finish() print("finished after " .. seen .. " documents") end
