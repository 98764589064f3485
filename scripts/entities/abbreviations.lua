-- abbreviations.lua -- ABBREVIATION: LLVT, SSCĐ, QP-QSĐP ... with what they
-- stand for as the value, from abbreviations.tsv, and abbreviations the
-- article spells out itself: "quốc phòng - quân sự địa phương (QP-QSĐP)"
-- teaches QP-QSĐP for the rest of that article. A news outlet's tag at the
-- start of the lead ("ĐBP - Sáng nay ...") is one too (attrs.kind = "source").
local textmill = require("textmill")
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local byte, find, sub, match = string.byte, string.find, string.sub, string.match

local M = {}

local CONNECTORS = { ["-"] = true, ["–"] = true, ["và"] = true, ["&"] = true, [","] = true }

-- Lua's %s, and the bytes that end a clause: . ; : ( ) and the line end.
local SPACE = { [32] = true, [9] = true, [10] = true, [11] = true, [12] = true, [13] = true }
local CUT = { [46] = true, [59] = true, [58] = true, [40] = true, [41] = true, [10] = true }

-- The words of the clause that ends at text[to] (the clause starts after
-- its last . ; : ( ) or line end, and at from at the earliest) whose
-- initials spell abbr, joined by single spaces; or nil. Read word by word
-- from the end, in place: most abbreviations in brackets are not spelled
-- out there, and the last word says so.
local function spelled_out(abbr, text, from, to)
  local letters = {}
  for ch in textmill.fold(abbr):gmatch("%a") do letters[#letters + 1] = ch end
  if #letters < 2 then return nil end
  local byte, need, pos = string.byte, #letters, to
  local first, last
  while need >= 1 do
    local b = byte(text, pos)
    while pos >= from and SPACE[b] and not CUT[b] do pos = pos - 1; b = byte(text, pos) end
    if pos < from or CUT[b] then break end
    local e = pos
    while pos >= from and not SPACE[b] and not CUT[b] do pos = pos - 1; b = byte(text, pos) end
    local w = sub(text, pos + 1, e)
    if not CONNECTORS[w] then
      if textmill.fold(w):match("%a") ~= letters[need] then return nil end
      need = need - 1
      first = pos + 1
    end
    last = last or e
  end
  if need > 0 then return nil end
  return (sub(text, first, last):gsub("%s+", " "))
end

M.rules = {
  -- (each rule's value() is handed what it reads of the match, `args`:
  -- each read of m's fields is a call into C)
  { type = "ABBREVIATION", layer = "ABBREVIATION", name = "abbr", on = "ABBR", priority = 1,
    args = { "text", "key", "start", "value", "attrs" },
    value = function(_, _, cx, text, key, s, value, a)
      if text ~= key then return false end                        -- the case must be the listed one
      local b = sub(cx.text, math.max(1, s - 2), s - 1)
      if match(b, "[%w\128-\255][/%-]$") then return false end     -- a document number's code
      return value, { kind = a and a.kind }
    end },

  { type = "ABBREVIATION", layer = "ABBREVIATION", name = "abbr-defined",
    regex = [[\((\p{Lu}[\p{Lu}&\-]{1,11})\)]], group = 1,
    args = { "start", "text" },
    value = function(_, _, cx, start, abbr)
      -- the 160 bytes before the bracket, from a character's first byte
      local text, from = cx.text, math.max(1, start - 161)
      while from > 1 and (byte(text, from) & 0xC0) == 0x80 do from = from + 1 end
      local full = spelled_out(abbr, text, from, start - 2)
      if not full then return false end
      cx.learned[abbr] = full
      return full, { kind = "defined" }
    end },

  { type = "ABBREVIATION", layer = "ABBREVIATION", name = "source-tag",
    regex = [[(?m)^(\p{Lu}{2,6}) [-–] ]], group = 1,
    value = function() return nil, { kind = "source" } end },
}

-- Post step: later uses of an abbreviation the article defined (cx.learned),
-- taken in text order, the longer first where two start together.
function M.post(E, cx)
  if not next(cx.learned) then return end
  local text = cx.text
  local uses = {}
  for abbr, full in pairs(cx.learned) do
    local init = 1
    while true do
      local s, e = find(text, abbr, init, true)
      if not s then break end
      uses[#uses + 1] = { s = s, e = e, full = full }
      init = e + 1
    end
  end
  table.sort(uses, function(x, y)
    if x.s ~= y.s then return x.s < y.s end
    return x.e > y.e
  end)
  local have = {}
  for _, a in ipairs(E.ABBREVIATION or {}) do have[a.start] = true end
  E.ABBREVIATION = E.ABBREVIATION or {}
  for _, u in ipairs(uses) do
    local s, e = u.s, u.e
    local b, a = sub(text, s - 1, s - 1), sub(text, e + 1, e + 1)
    if not have[s] and not match(b, "[%w\128-\255]") and not match(a, "[%w\128-\255%-]") then
      E.ABBREVIATION[#E.ABBREVIATION + 1] = { type = "ABBREVIATION", start = s, stop = e, value = u.full,
                                              attrs = { kind = "defined" }, rule = "abbr-again" }
      have[s] = true
    end
  end
  -- (rules.phases puts the list back in text order)
end

return M
