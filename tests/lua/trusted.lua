function process(doc) doc:set_field("has_io", io ~= nil and type(io.open) == "function") end
