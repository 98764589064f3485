-- abbreviations.lua -- ABBREVIATION: LLVT, SSCĐ, QP-QSĐP ... with what they
-- stand for as the value, from abbreviations.tsv, and abbreviations the
-- article spells out itself: "quốc phòng - quân sự địa phương (QP-QSĐP)"
-- teaches QP-QSĐP for the rest of that article. A news outlet's tag at the
-- start of the lead ("ĐBP - Sáng nay ...") is one too (attrs.kind = "source").
local textmill = require("textmill")

local M = {}

local CONNECTORS = { ["-"] = true, ["–"] = true, ["và"] = true, ["&"] = true, [","] = true }

-- The words before "(" whose initials spell the abbreviation, or nil.
local function spelled_out(abbr, before)
  local letters = {}
  for ch in textmill.fold(abbr):gmatch("%a") do letters[#letters + 1] = ch end
  if #letters < 2 then return nil end
  local words = {}
  for w in before:gmatch("%S+") do words[#words + 1] = w end
  local need, i = #letters, #words
  local first
  while i >= 1 and need >= 1 do
    local w = words[i]
    if not CONNECTORS[w] then
      local initial = textmill.fold(w):match("%a")
      if initial ~= letters[need] then return nil end
      need = need - 1
      first = i
    end
    i = i - 1
  end
  if need > 0 then return nil end
  return table.concat(words, " ", first)
end

-- Where the last clause of s starts: after its last . ; : ( ) or line
-- end. (A Lua pattern anchored with $ would try every start: quadratic.)
local CUT = { [46] = true, [59] = true, [58] = true, [40] = true, [41] = true, [10] = true }
local function clause_start(s)
  for i = #s, 1, -1 do
    if CUT[s:byte(i)] then return i + 1 end
  end
  return 1
end

M.rules = {
  { type = "ABBREVIATION", layer = "ABBREVIATION", name = "abbr", on = "ABBR", priority = 1,
    value = function(m, _, cx)
      if m.name ~= m.key then return false end                    -- the case must be the listed one
      local b = cx.text:sub(math.max(1, m.start - 2), m.start - 1)
      if b:match("[%w\128-\255][/%-]$") then return false end     -- a document number's code
      return m.value, { kind = m.attrs and m.attrs.kind }
    end },

  { type = "ABBREVIATION", layer = "ABBREVIATION", name = "abbr-defined",
    regex = [[\((\p{Lu}[\p{Lu}&\-]{1,11})\)]], group = 1,
    value = function(m, _, cx)
      local win = cx:window(m.start - 1, 160)
      win = win:sub(clause_start(win))
      local full = spelled_out(m.text, win)
      if not full then return false end
      cx.learned[m.text] = full
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
      local s, e = text:find(abbr, init, true)
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
    local b, a = text:sub(s - 1, s - 1), text:sub(e + 1, e + 1)
    if not have[s] and not b:match("[%w\128-\255]") and not a:match("[%w\128-\255%-]") then
      E.ABBREVIATION[#E.ABBREVIATION + 1] = { type = "ABBREVIATION", start = s, stop = e, value = u.full,
                                              attrs = { kind = "defined" }, rule = "abbr-again" }
      have[s] = true
    end
  end
  table.sort(E.ABBREVIATION, function(x, y) return x.start < y.start end)
end

return M
