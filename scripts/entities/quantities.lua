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
local UNITS   -- units.tsv, built on first use (init has set C.dir by then)
local memo, memo_n = {}, 0

-- The unit written at pos, if any: the longest units.tsv entry starting
-- there. The same few words follow numbers again and again, so answers are
-- kept by the three words at pos.
local function unit_at(pos)
  local key = C.text:match("^[^%s%d%p]+ ?[^%s%d%p]* ?[^%s%d%p]*", pos)
  if not key then return nil end
  local hit = memo[key]
  if hit == nil then
    UNITS = UNITS or textmill.gazetteer(C.dir .. "/units.tsv", { case = "sensitive" })
    hit = false
    for _, u in ipairs(UNITS:matches(key)) do
      if u.start ~= 1 then break end
      if not hit or u.stop > hit.stop then hit = u end
    end
    if memo_n > 20000 then memo, memo_n = {}, 0 end
    memo[key], memo_n = hit, memo_n + 1
  end
  return hit or nil
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

M.rules = {
  { type = "QUANTITY", layer = "QUANTITY", name = "quantity", on = { "NUM_INT", "NUM_DEC" },
    value = function(m)
      local text = C.text
      local before = text:sub(math.max(1, m.start - 2), m.start - 1)
      if before:match("[%a\128-\255]%-$") then return false end          -- Covid-19
      local v = M.number(m.text)
      if not v then return false end
      local attrs = { approx = APPROX[C.word_before(m.start)] }
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
      local u = unit_at(pos + 1)
      if not u then return false end
      m.stop = pos + u.stop
      attrs.unit, attrs.unit_kind = u.value, u.attrs and u.attrs.kind
      return integral(v * scale), attrs
    end },
}

return M
