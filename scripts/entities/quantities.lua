-- quantities.lua -- QUANTITY: a number, its scale word and what it counts or
-- measures (79 điểm cầu, 2,1 triệu lượt, 60,13 triệu ngày công, 240 km),
-- or a percentage (96,9%). The value is the number (2,1 triệu -> 2100000);
-- attrs.unit is the unit from units.tsv, attrs.unit_kind what it measures.
-- Vietnamese writes 31.801 for thirty-one thousand and 2,1 for two point one.
local C = require("context")

local M = {}

local textmill = require("textmill")
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local byte, find, match, gsub = string.byte, string.find, string.match, string.gsub

local SCALE = { ["nghìn"] = 1e3, ["ngàn"] = 1e3, ["vạn"] = 1e4, ["triệu"] = 1e6, ["tỷ"] = 1e9, ["tỉ"] = 1e9 }
local APPROX = { ["hơn"] = "more", ["trên"] = "more", ["gần"] = "less", ["dưới"] = "less",
                 ["khoảng"] = "about", ["chừng"] = "about" }
local UNITS   -- units.tsv, built by setup()

-- A unit's canonical name and kind, by the text written: the same few
-- words follow numbers again and again.
local unit_of = C.memo(2000, function(name)
  local u = UNITS:matches(name)[1]
  return u and u.stop == #name and { value = u.value, kind = u.attrs and u.attrs.kind } or false
end)

-- "31.801" -> 31801, "2,1" -> 2.1, "1.326,5" -> 1326.5
function M.number(s)
  local int, frac = match(s, "^([%d.]+),(%d+)$")
  if not int then int, frac = s, nil end
  if find(int, ".", 1, true) then
    if not match(int, "^%d%d?%d?%.%d%d%d[%.%d]*$") then return nil end
    int = gsub(int, "%.", "")
  end
  return tonumber(frac and (int .. "." .. frac) or int)
end

local function integral(v)
  return math.tointeger(v) or (v == math.floor(v) and v < 2^53 and math.tointeger(math.floor(v))) or v
end

-- What follows a quantity's number, as a regex the engine runs in C right
-- after the number: per cent, or a unit of units.tsv (the longest that is
-- written there) after an optional scale word and range. Most numbers
-- (years, codes, counts of nothing known) end here without a call into
-- Lua; value() gets the parts as captures.
local function after_number(units)
  local names = {}
  for i, name in ipairs(units:keys()) do
    names[i] = gsub(name, "[%^%$%(%)%.%[%]%*%+%-%?{}|\\/]", "\\%0")
  end
  table.sort(names, function(a, b) return #a > #b or (#a == #b and a < b) end)
  local scales = {}
  for w in pairs(SCALE) do scales[#scales + 1] = w end
  table.sort(scales)
  return [[ ?(?<pct>%)|(?: (?<scale>]] .. table.concat(scales, "|") .. [[))?]]
    .. [[(?: (?:đến|-) (?<max>[0-9][0-9.,]*))? (?<unit>]] .. table.concat(names, "|") .. [[)(?![\p{L}\p{M}])]]
end

function M.setup(settings)
  UNITS = textmill.gazetteer(settings.dir .. "/units.tsv", { case = "sensitive" })
  M.rules[1].regex = after_number(UNITS)
end

-- The last byte of each word of APPROX in either case, and the space and
-- comma cx:word_before steps back over: any other byte right before the
-- number (or before its one space) ends a word that is none of them, and
-- the word is not looked up. A byte above 127 is looked up.
local MAY_END_APPROX = { [32] = true, [44] = true }
for word in pairs(APPROX) do
  local b = byte(word, -1)
  MAY_END_APPROX[b] = true
  if b >= 97 and b <= 122 then MAY_END_APPROX[b - 32] = true end
end

local number = M.number

M.rules = {
  { type = "QUANTITY", layer = "QUANTITY", name = "quantity", on = { "NUM_INT", "NUM_DEC" },
    not_before = [[[\p{L}]-$]], reach = 12,                            -- Covid-19: a letter and a dash
    -- what value() reads, handed to it by the engine (a read of m's fields
    -- is a call into C each): the number, the span's start, the unit and
    -- the scale word and range (nil where they took no part)
    args = { "trigger.text", "start", "unit", "scale", "max" },
    value = function(_, _, cx, s, start, unit, scale, max)
      -- most numbers are whole and written without separators: number()'s
      -- patterns are for those with them
      local v
      if find(s, "[.,]") then v = number(s) else v = tonumber(s) end
      if not v then return false end
      local text = cx.text
      local b = byte(text, start - 1)
      if b == 32 then b = byte(text, start - 2) end
      local approx = b and (b > 127 or MAY_END_APPROX[b]) and APPROX[cx:word_before(start)] or nil
      if not unit then                        -- per cent
        return integral(v), { approx = approx, unit = "%", unit_kind = "share" }
      end
      scale = scale and SCALE[scale] or 1
      if max then
        local v2 = number(max)
        if not v2 or v2 <= v then return false end
        max = integral(v2 * scale)
      end
      local u = unit_of(unit)
      if not u then return false end
      return integral(v * scale), { approx = approx, max = max, unit = u.value, unit_kind = u.kind }
    end },
}

return M
