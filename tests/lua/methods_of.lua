-- methods_of(obj): the table of a userdata's methods, which the tests that
-- wrap or call them change or read (extra_args.lua, arg_fuzz.lua): its
-- metatable's __index, or that function's first upvalue (the document's
-- __index looks its methods up there); nil for anything else. Needs the
-- debug library (a trusted script).
return function(obj)
  local mt = debug.getmetatable(obj)
  local methods = mt and mt.__index
  if type(methods) == "function" then methods = select(2, debug.getupvalue(methods, 1)) end
  return type(methods) == "table" and methods or nil
end
