-- rules.lua -- declarative extraction rules for textmill.
--
-- A rule pack is a list of tables; pack:apply(doc) finds every candidate,
-- keeps the best of overlapping ones and adds them as entities. A rule:
--
--   type      entity type ("DATE"); a gazetteer entry's own type wins if the rule has none
--   name      rule name, written to the entity's "rule" (default TYPE#N)
--   regex     a textmill.regex pattern (string) ...
--   flags     ... and its flags ("i", "x", ...)
--   gazetteer ... or a textmill.gazetteer, or a path/entry list to build one
--   gazetteer_opts   options for building it
--   group     the capture (number or name) that is the entity; default the whole match
--             (the context conditions then apply around that capture)
--   value     function(m, doc, cx) -> value [, attrs]; return false to discard the match
--             (cx: what the caller passed to pack:candidates, e.g. a per-document context)
--   args      with value: what value() is handed after (m, doc, cx), read in C
--             ({ "start", "stop", "text", a capture's name or number, "trigger.attrs",
--             "value" ... }); such a value() returns value, attrs, start, stop (nil:
--             the span as matched), where others set m.start and m.stop
--   attrs     a table of attributes added to every entity of the rule
--   entry_attrs  for an `on` rule on dictionary matches with no value or regex:
--             function(entry's attrs) -> attrs merged over the entry's; called
--             once per entry for the pack's life, so it reads the entry alone
--   before / after           the text right before / after must match (see below)
--   not_before / not_after   ... must not match
--   reach     bytes the conditions read on their side (1..80, default 80)
--   needs     a regex (string) the document must match somewhere for the
--             rule to run at all: searched for once per document, when the
--             rule is first tried (a cheap test before a costly scan)
--   priority  higher wins an overlap (default 0); then the longer; then the earlier
--   layer     rules only compete within a layer (default 1), so an ORG may sit
--             inside a TITLE when they are in different layers
--   shape     for an `on` rule: a cheap test of the scanned match, before
--             anything else: a Lua pattern its text must match (a date rule
--             on numbers can ask for "^%d+/%d+/%d%d%d%d$"), or a
--             function(match, doc, cx) returning true to go on
--   on        a type (or list of types) of the pack's scanned matches (see
--             rules.pack's options): without a regex, each such match is a
--             candidate; with one, the regex is tried right after the match,
--             anchored there, and the candidate runs from the start of the
--             scanned match to the end of the regex match (or is `group`)
--
-- A context condition is a regex (string) tested against the 80 bytes just
-- before the match (anchored at its end) or after it (anchored at its
-- start), read in place in the document's text (so a lookbehind may see
-- further back), or a list of literal phrases. Matching is case-insensitive for
-- phrase lists; write the regex yourself for anything else.
--
-- m, as given to value(), has start, stop (Lua positions), text, the
-- numbered and named captures of a regex rule (and their starts and
-- stops), and for a gazetteer rule
-- the entry's type, value, key and attrs; an `on` rule with a regex also
-- gets m.trigger, the scanned match it follows. value() may move m.start
-- and m.stop to widen or narrow the entity (a unit after a number, a
-- "Sáng" before a date); the context conditions are checked before.
--
-- Scanning once for many rules: rules.pack(list, opts) takes
--   opts.lexicon  a textmill.gazetteer (or a path) matched once per document;
--                 a match's type is its entry's type (the TSV's second column)
--   opts.tokens   { TYPE = "regex", ... } regexes matched once per document;
--                 their matches have type TYPE
-- and rules select those matches by type with `on`. A pack of a hundred
-- rules then reads the text once for all its dictionaries, instead of once
-- per rule. pack:scan(doc) returns the scanned matches (the lexicon's in text
-- order, then each token regex's) for scripts that want them too;
-- pack:candidates(doc, scanned, cx) reuses them, and hands cx to value()
-- and shape().

local textmill = require("textmill")

local rules = {}
local Pack = {}
Pack.__index = Pack

local function escape(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?{}|\\/]", "\\%0"))
end

local function phrase_regex(list)
  local parts = {}
  for i, p in ipairs(list) do parts[i] = escape(p) end
  return "(?:" .. table.concat(parts, "|") .. ")"
end

local function condition(spec, side, rule_name)
  if spec == nil then return nil end
  local body, flags
  if type(spec) == "string" then
    body, flags = spec, ""
  elseif type(spec) == "table" then
    body, flags = phrase_regex(spec), "i"
  else
    error(("rule %s: %s must be a regex or a list of phrases"):format(rule_name, side), 3)
  end
  -- before: the phrase then only spaces up to the match; after: the
  -- reverse, from where the match ends (\G: the window is read in place).
  if side == "before" then
    return textmill.regex("(?:" .. body .. ")\\s*$", flags)
  end
  return textmill.regex("\\G\\s*(?:" .. body .. ")", flags)
end

-- A shape: a Lua pattern becomes the regex the engine runs on the scanned
-- match's own text; a regex stays one; rules.shape's built-in tests and a
-- function go as they are.
local BUILTIN_SHAPE = {}
rules.shape = {}
for _, name in ipairs { "capital_after", "upper_at_start" } do
  rules.shape[name] = setmetatable({}, { __tostring = function() return "rules.shape." .. name end })
  BUILTIN_SHAPE[rules.shape[name]] = name
end

-- Lua's character classes as regex ranges (ASCII, as Lua's in the C locale).
local CLASS = { d = "0-9", a = "A-Za-z", l = "a-z", u = "A-Z", w = "0-9A-Za-z", x = "0-9A-Fa-f",
                s = "\\t\\n\\x0b\\f\\r ", p = "!-/:-@\\[-`{-~", c = "\\x00-\\x1f\\x7f" }

-- The regex of a Lua pattern, for the patterns shapes use: classes (%d,
-- %a ...), sets, escapes, the four quantifiers, anchors. What has no
-- regex twin here (%b, %f, back references, bytes above 127) is an error
-- that asks for a regex instead.
function rules.pattern_regex(p, rule_name)
  local function unsupported(what)
    error(("rule %s: shape %q: %s; write the shape as a textmill.regex"):format(rule_name or "?", p, what), 4)
  end
  if p:find("[\128-\255]") then unsupported("bytes above 127") end
  local out, i, n, item = {}, 1, #p, false
  if p:sub(1, 1) == "^" then out[1] = "\\G"; i = 2 end
  while i <= n do
    local ch = p:sub(i, i)
    if ch == "%" then
      local k = p:sub(i + 1, i + 1)
      if CLASS[k:lower()] then
        out[#out + 1] = (k == k:lower() and "[" or "[^") .. CLASS[k:lower()] .. "]"
      elseif k:match("%w") or k == "" then
        unsupported("%" .. k)
      else
        out[#out + 1] = "\\" .. k
      end
      i, item = i + 2, true
    elseif ch == "[" then
      local set, j = { "[" }, i + 1
      if p:sub(j, j) == "^" then set[2] = "^"; j = j + 1 end
      local first = true
      while j <= n and (first or p:sub(j, j) ~= "]") do
        local c = p:sub(j, j)
        if c == "%" then
          local k = p:sub(j + 1, j + 1)
          if CLASS[k] then set[#set + 1] = CLASS[k]
          elseif k:match("%w") or k == "" then unsupported("%" .. k .. " in a set")
          else set[#set + 1] = "\\" .. k end
          j = j + 2
        else
          set[#set + 1] = (c == "\\" or c == "[" or c == "]") and "\\" .. c or c
          j = j + 1
        end
        first = false
      end
      if j > n then unsupported("an unclosed set") end
      set[#set + 1] = "]"
      out[#out + 1] = table.concat(set)
      i, item = j + 1, true
    elseif item and (ch == "*" or ch == "+" or ch == "?" or ch == "-") then
      out[#out + 1] = ch == "-" and "*?" or ch
      i, item = i + 1, false
    elseif ch == "$" and i == n then
      out[#out + 1] = "\\z"
      i = i + 1
    elseif ch == "(" or ch == ")" then
      out[#out + 1] = ch == "(" and "(?:" or ")"
      i, item = i + 1, false
    elseif ch == "." then
      out[#out + 1] = "."
      i, item = i + 1, true
    else
      out[#out + 1] = ch:match("[%^%$%.%[%]%*%+%-%?{}|\\/]") and "\\" .. ch or ch
      i, item = i + 1, true
    end
  end
  return table.concat(out)
end

local function compile_shape(shape, rule_name)
  if shape == nil or type(shape) == "function" or type(shape) == "userdata" then return shape end
  if BUILTIN_SHAPE[shape] then return BUILTIN_SHAPE[shape] end
  if type(shape) ~= "string" then
    error(("rule %s: shape must be a Lua pattern, a textmill.regex, rules.shape.* or a function"):format(rule_name), 3)
  end
  return textmill.regex(rules.pattern_regex(shape, rule_name), "s")
end

local function compile(rule, index)
  local r = {}
  for k, v in pairs(rule) do r[k] = v end
  r.name = r.name or ((r.type or "ENTITY") .. "#" .. index)
  r.priority = r.priority or 0
  r.layer = r.layer or 1
  r.order = index
  if r.on ~= nil then
    r.on = type(r.on) == "table" and r.on or { r.on }
    if r.regex ~= nil then
      -- \G: the regex must match right where the scanned match ends
      r.anchored = textmill.regex("\\G(?:" .. r.regex .. ")", r.flags)
      r.regex = nil
    end
  elseif type(r.regex) == "string" then
    r.regex = textmill.regex(r.regex, r.flags)
  elseif r.gazetteer ~= nil and type(r.gazetteer) ~= "userdata" then
    r.gazetteer = textmill.gazetteer(r.gazetteer, r.gazetteer_opts or {})
  end
  if not r.regex and not r.gazetteer and not r.on then
    error(("rule %s: needs a regex, a gazetteer or `on`"):format(r.name), 3)
  end
  if r.value ~= nil and type(r.value) ~= "function" then
    error(("rule %s: value must be a function(m, doc)"):format(r.name), 3)
  end
  r.before, r.after = condition(rule.before, "before", r.name), condition(rule.after, "after", r.name)
  r.not_before = condition(rule.not_before, "before", r.name)
  r.not_after = condition(rule.not_after, "after", r.name)
  r.shape = compile_shape(rule.shape, r.name)
  if type(r.needs) == "string" then
    local ok, re = pcall(textmill.regex, r.needs)
    if not ok then error(("rule %s: needs: %s"):format(r.name, re), 3) end
    r.needs = re
  elseif r.needs ~= nil and type(r.needs) ~= "userdata" then
    error(("rule %s: needs must be a regex"):format(r.name), 3)
  end
  return r
end

-- Build a pack from a list of rules, and options (see "Scanning once").
function rules.pack(list, opts)
  opts = opts or {}
  local pack = setmetatable({ rules = {} }, Pack)
  for i, rule in ipairs(list) do pack.rules[i] = compile(rule, i) end
  local lexicon
  if opts.lexicon ~= nil then
    lexicon = type(opts.lexicon) == "userdata" and opts.lexicon
      or textmill.gazetteer(opts.lexicon, opts.lexicon_opts or {})
  end
  local tokens = {}
  for name, re in pairs(opts.tokens or {}) do
    tokens[#tokens + 1] = { type = name, regex = textmill.regex(re) }
  end
  table.sort(tokens, function(a, b) return a.type < b.type end)
  local retype = {}
  for i, r in ipairs(opts.retype or {}) do
    -- the regex must match all of the scanned match's text
    retype[i] = { from = r.from or r[1], regex = textmill.regex("\\G(?:" .. (r.regex or r[2]) .. ")\\z"),
                  to = r.to or r[3] }
  end
  pack.lexicon = lexicon
  pack.engine = textmill.engine { rules = pack.rules, lexicon = lexicon, tokens = tokens, retype = retype }
  return pack
end

-- Scan a document (the lexicon and the token regexes, once) and make it
-- the pack's current one: find() and the lookups below read its matches.
function Pack:begin(doc)
  self.engine:begin(doc.text)
  self.current = doc
end

local function current(self, doc)
  if self.current ~= doc then self:begin(doc) end
  return self.engine
end

-- The resolved candidates of the current document, in text order: tables
-- with type, start, stop, value, attrs, rule. cx goes to value() and shape().
function Pack:find(doc, cx)
  return current(self, doc):find(doc, cx)
end

-- The same candidates grouped by type, as the phases take them: a table
-- from each type's name to its list, each list in text order (made in C,
-- each at its size).
function Pack:find_by_type(doc, cx)
  return current(self, doc):find_by_type(doc, cx)
end

-- The scanned matches (of the `kinds` set, else all) in text order: tables
-- with start, stop, type, text, and for the lexicon's key, value and attrs.
function Pack:scan(doc, kinds)
  return current(self, doc):scanned(kinds)
end

-- Every candidate of every rule, before overlaps are resolved, in text
-- order, with its rule's layer, priority and order for rules.resolve
-- (scanned: accepted for older callers, not needed).
function Pack:candidates(doc, scanned, cx)
  return current(self, doc):find(doc, cx, true)
end

-- What each rule did since the pack was made, a table per rule in the
-- pack's order: rule (its name), seen (the matches it was tried at),
-- passed (those that passed its tests in C and went on to value(), or
-- became candidates), refused (by value()) and kept (its candidates that
-- overlap resolution kept). Where a pack spends its work: a rule seen
-- often and seldom passed costs its tests; one passed often and refused
-- often costs a call into Lua each time for nothing.
function Pack:counts()
  return self.engine:counts()
end

-- Overlap resolution of a list of candidate tables, for scripts that make
-- their own: higher priority, then the longer, then the earlier, then the
-- rule listed first (textmill.resolve, in C).
rules.resolve = textmill.resolve

-- Find, resolve and add the entities; returns the entities added.
function Pack:apply(doc, cx)
  self:begin(doc)
  local kept = self.engine:find(doc, cx)
  for _, c in ipairs(kept) do
    doc:add_entity { type = c.type, start = c.start, stop = c.stop, value = c.value,
                     attrs = c.attrs, rule = c.rule }
  end
  return kept
end

-- After the rules: phases, built-in operations and span helpers (rule_ops.lua).
local ops = require("rule_ops")
rules.phases, rules.span = ops.phases, ops.span
rules.again, rules.drop, rules.attach, rules.extend, rules.trim = ops.again, ops.drop, ops.attach, ops.extend, ops.trim

-- A script whose whole job is one pack: `process = rules.process(pack)`.
function rules.process(pack)
  return function(doc) pack:apply(doc) end
end

return rules
