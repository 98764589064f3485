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
--   attrs     a table of attributes added to every entity of the rule
--   before / after           the text right before / after must match (see below)
--   not_before / not_after   ... must not match
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

local CONTEXT = 80  -- bytes of context a condition looks at

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
  return r
end

-- Build a pack from a list of rules, and options (see "Scanning once").
function rules.pack(list, opts)
  opts = opts or {}
  local pack = setmetatable({ rules = {}, on_index = {}, tokens = {} }, Pack)
  for i, rule in ipairs(list) do pack.rules[i] = compile(rule, i) end
  if opts.lexicon ~= nil then
    pack.lexicon = type(opts.lexicon) == "userdata" and opts.lexicon
      or textmill.gazetteer(opts.lexicon, opts.lexicon_opts or {})
  end
  for name, re in pairs(opts.tokens or {}) do
    pack.tokens[#pack.tokens + 1] = { type = name, regex = textmill.regex(re) }
  end
  table.sort(pack.tokens, function(a, b) return a.type < b.type end)
  for _, r in ipairs(pack.rules) do
    for _, t in ipairs(r.on or {}) do
      local list_t = pack.on_index[t]
      if not list_t then list_t = {}; pack.on_index[t] = list_t end
      list_t[#list_t + 1] = r
    end
  end
  return pack
end

-- The lexicon's and the token regexes' matches, each with a type.
function Pack:scan(doc)
  local text = doc.text
  local out = self.lexicon and self.lexicon:matches(text) or {}
  for _, tok in ipairs(self.tokens) do
    for s, e in tok.regex:gmatch(text) do
      out[#out + 1] = { start = s, stop = e, type = tok.type, text = text:sub(s, e) }
    end
  end
  return out
end

-- The conditions read the CONTEXT bytes around the match in the document
-- text itself (regex:test_in), never a copy of them.
local function context_ok(r, text, start, stop)
  local b0, a1 = start - CONTEXT, stop + CONTEXT
  if r.before and not r.before:test_in(text, b0, start - 1) then return false end
  if r.not_before and r.not_before:test_in(text, b0, start - 1) then return false end
  if r.after and not r.after:test_in(text, stop + 1, a1) then return false end
  if r.not_after and r.not_after:test_in(text, stop + 1, a1) then return false end
  return true
end

local function merge(a, b)
  if not a then return b end
  if not b then return a end
  local t = {}
  for k, v in pairs(a) do t[k] = v end
  for k, v in pairs(b) do t[k] = v end
  return t
end

-- A match that passed the context conditions: value() decides.
local function emit(r, m, doc, out, cx)
  local value, attrs = m.value, nil
  if r.value then
    value, attrs = r.value(m, doc, cx)
    if value == false then return end
  end
  out[#out + 1] = {
    type = r.type or m.type, start = m.start, stop = m.stop, value = value,
    attrs = merge(merge(r.attrs, m.attrs), attrs), rule = r.name,
    priority = r.priority, layer = r.layer, order = r.order,
  }
end

local function candidate(r, m, doc, out, cx)
  if context_ok(r, doc.text, m.start, m.stop) then emit(r, m, doc, out, cx) end
end

-- The position of the character after the one at i (a regex init must
-- not fall inside a character).
local function next_char(text, i)
  i = i + 1
  while i <= #text and (text:byte(i) & 0xC0) == 0x80 do i = i + 1 end
  return i
end

local function regex_candidates(r, doc, out, cx)
  local text = doc.text
  local init = 1
  while init <= #text do
    local m = r.regex:exec(text, init)
    if not m then break end
    local next_init = m.stop >= m.start and m.stop + 1 or next_char(text, m.start)
    if r.group then
      local s, e = m.starts[r.group], m.stops[r.group]
      if s and e >= s then
        m.start, m.stop, m.text = s, e, m[r.group]
        candidate(r, m, doc, out, cx)
      end
    elseif m.stop >= m.start then
      candidate(r, m, doc, out, cx)
    end
    init = next_init
  end
end

-- An `on` rule at one scanned match.
local function on_candidate(r, sm, doc, out, cx)
  local shape = r.shape
  if shape then
    if type(shape) == "function" then
      if not shape(sm, doc, cx) then return end
    elseif not (sm.text or sm.name):find(shape) then
      return
    end
  end
  if not r.anchored then
    -- the conditions first: most matches end here, before any table is made
    if not context_ok(r, doc.text, sm.start, sm.stop) then return end
    -- a view of the shared match, so value() may move start and stop
    emit(r, setmetatable({ start = sm.start, stop = sm.stop }, { __index = sm }), doc, out, cx)
    return
  end
  local m = r.anchored:exec(doc.text, sm.stop + 1)
  if not m then return end
  m.trigger = sm
  if r.group then
    local s, e = m.starts[r.group], m.stops[r.group]
    if not s or e < s then return end
    m.start, m.stop, m.text = s, e, m[r.group]
  else
    m.start = sm.start
    m.text = doc.text:sub(m.start, m.stop)
  end
  candidate(r, m, doc, out, cx)
end

-- Every candidate of every rule, before overlaps are resolved. scanned:
-- what pack:scan(doc) returned, when the caller has it already; cx: passed
-- on to value() and shape().
function Pack:candidates(doc, scanned, cx)
  local out = {}
  for _, r in ipairs(self.rules) do
    if r.regex then
      regex_candidates(r, doc, out, cx)
    elseif r.gazetteer then
      for _, m in ipairs(r.gazetteer:matches(doc.text)) do candidate(r, m, doc, out, cx) end
    end
  end
  if next(self.on_index) then
    for _, sm in ipairs(scanned or self:scan(doc)) do
      local rs = self.on_index[sm.type]
      if rs then
        for _, r in ipairs(rs) do on_candidate(r, sm, doc, out, cx) end
      end
    end
  end
  return out
end

-- Keep, per layer, the best candidates that do not overlap: higher
-- priority, then the longer, then the earlier, then the rule listed first
-- (textmill.resolve, in C: a pack sorts hundreds of candidates per document).
rules.resolve = textmill.resolve

-- Find, resolve and add the entities; returns the entities added.
function Pack:apply(doc)
  local kept = rules.resolve(self:candidates(doc))
  for _, c in ipairs(kept) do
    doc:add_entity { type = c.type, start = c.start, stop = c.stop, value = c.value,
                     attrs = c.attrs, rule = c.rule }
  end
  return kept
end

-- A script whose whole job is one pack: `process = rules.process(pack)`.
function rules.process(pack)
  return function(doc) pack:apply(doc) end
end

return rules
