-- quantities.lua -- QUANTITY: a number, its scale word and what it counts or
-- measures (79 điểm cầu, 2,1 triệu lượt, 60,13 triệu ngày công, 240 km),
-- or a percentage (96,9%). The value is the number (2,1 triệu -> 2100000);
-- attrs.unit is the unit from units.tsv, attrs.unit_kind what it measures.
-- Vietnamese writes 31.801 for thirty-one thousand and 2,1 for two point one.
local C = require("context")

local M = {}

local textmill = require("textmill")

local SCALE = { ["nghìn"] = 1e3, ["ngàn"] = 1e3, ["vạn"] = 1e4, ["triệu"] = 1e6, ["tỷ"] = 1e9, ["tỉ"] = 1e9 }
local APPROX = { ["hơn"] = "more", ["trên"] = "more", ["gần"] = "less", ["dưới"] = "less",
                 ["khoảng"] = "about", ["chừng"] = "about" }
local UNITS   -- units.tsv, built by setup()

-- The unit written at pos, if any: the longest units.tsv entry starting
-- there. The same few words follow numbers again and again, so answers are
-- kept by the three words at pos.
local unit_of = C.memo(20000, function(key)
  local hit = false
  for _, u in ipairs(UNITS:matches(key)) do
    if u.start ~= 1 then break end
    if not hit or u.stop > hit.stop then hit = u end
  end
  return hit
end)
local function unit_at(cx, pos)
  local key = cx.text:match("^[^%s%d%p]+ ?[^%s%d%p]* ?[^%s%d%p]*", pos)
  return key and unit_of(key) or nil
end

-- "31.801" -> 31801, "2,1" -> 2.1, "1.326,5" -> 1326.5
function M.number(s)
  local int, frac = s:match("^([%d.]+),(%d+)$")
  if not int then int, frac = s, nil end
  if int:find(".", 1, true) then
    if not int:match("^%d%d?%d?%.%d%d%d[%.%d]*$") then return nil end
    int = int:gsub("%.", "")
  end
  return tonumber(frac and (int .. "." .. frac) or int)
end

local function integral(v)
  return math.tointeger(v) or (v == math.floor(v) and v < 2^53 and math.tointeger(math.floor(v))) or v
end

-- What may follow a quantity's number, as a regex the engine tests in C
-- before value() runs: per cent, or a unit of units.tsv after an optional
-- scale word and range. Most numbers (years, codes, counts of nothing
-- known) end here without a call into Lua. value() decides the rest.
local function follows_unit(units)
  local names = {}
  for i, name in ipairs(units:keys()) do
    names[i] = name:gsub("[%^%$%(%)%.%[%]%*%+%-%?{}|\\/]", "\\%0")
  end
  table.sort(names, function(a, b) return #a > #b or (#a == #b and a < b) end)
  local scales = {}
  for w in pairs(SCALE) do scales[#scales + 1] = w end
  table.sort(scales)
  return [[ ?%|(?: (?:]] .. table.concat(scales, "|") .. [[))?(?: (?:đến|-) [0-9][0-9.,]*)? (?:]]
    .. table.concat(names, "|") .. [[)(?![\p{L}\p{M}])]]
end

function M.setup(settings)
  UNITS = textmill.gazetteer(settings.dir .. "/units.tsv", { case = "sensitive" })
  M.rules[1].after = follows_unit(UNITS)
end

M.rules = {
  { type = "QUANTITY", layer = "QUANTITY", name = "quantity", on = { "NUM_INT", "NUM_DEC" },
    value = function(m, _, cx)
      local text = cx.text
      local before = text:sub(math.max(1, m.start - 2), m.start - 1)
      if before:match("[%a\128-\255]%-$") then return false end          -- Covid-19
      local v = M.number(m.text)
      if not v then return false end
      local attrs = { approx = APPROX[cx:word_before(m.start)] }
      local pct = text:match("^ ?%%()", m.stop + 1)
      if pct then
        m.stop = pct - 1
        attrs.unit, attrs.unit_kind = "%", "share"
        return integral(v), attrs
      end
      local pos, scale = m.stop + 1, 1
      local w, after = text:match("^ (%S+)()", pos)
      if w and SCALE[w] then scale, pos = SCALE[w], after end
      local num2, after2 = text:match("^ đến ([%d][%d.,]*)()", pos)
      if not num2 then num2, after2 = text:match("^ %- ([%d][%d.,]*)()", pos) end
      if num2 then
        local v2 = M.number(num2)
        if not v2 or v2 <= v then return false end
        attrs.max = integral(v2 * scale)
        pos = after2
      end
      if text:byte(pos) ~= 32 then return false end
      local u = unit_at(cx, pos + 1)
      if not u then return false end
      m.stop = pos + u.stop
      attrs.unit, attrs.unit_kind = u.value, u.attrs and u.attrs.kind
      return integral(v * scale), attrs
    end },
}

return M
