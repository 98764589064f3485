-- A small rule pack: dates in Vietnamese news, with ISO 8601 values.
-- The year of a day/month date comes from the text, else from meta.published.
local rules = require("rules")

local function iso(y, m, d)
  return string.format("%04d-%02d-%02d", tonumber(y), tonumber(m), tonumber(d))
end

local function year_of(doc)
  local published = doc:field("published")
  return published and published:match("^(%d%d%d%d)")
end

local pack = rules.pack {
  { type = "DATE", name = "date-dmy",
    regex = [[\b(\d{1,2})/(\d{1,2})/(\d{4})\b]],
    value = function(m) return iso(m[3], m[2], m[1]) end },
  { type = "DATE", name = "date-dm",
    regex = [[\b(\d{1,2})/(\d{1,2})\b(?!/)]],
    -- "ngày 2/12", "Chiều 14/12", "Sáng nay (24/2)": a day word or a bracket before it
    before = [[(?i:ngày|sáng|chiều|tối|trưa|đêm|sáng nay|chiều nay)\s*\(?]],
    value = function(m, doc)
      local y = year_of(doc)
      if not y then return nil, { year = "unknown" } end
      return iso(y, m[2], m[1]), { year = "inferred" }
    end },
  { type = "DATE", name = "year", priority = -1,
    regex = [[\bnăm (\d{4})\b]], group = 1,
    value = function(m) return m[1] end },
  { type = "DATE", name = "term", priority = 1,
    regex = [[\b(?:nhiệm kỳ|thời kỳ|giai đoạn) (\d{4})\s*-\s*(\d{4})\b]],
    value = function(m) return m[1] .. "/" .. m[2] end },
}

process = rules.process(pack)
