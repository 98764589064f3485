-- dates.lua -- DATE and TIME, with ISO 8601 values.
--
-- Every rule starts at a number the pack's NUMBER scanner found (retyped by
-- its shape in context.lua: NUM_DMY, NUM_DM, NUM_INT ...) and looks
-- at the words around it: the lead word before it (ngày, Sáng nay (, năm,
-- nhiệm kỳ, tháng, Quý I/) joins the span. A day and month without a year
-- take the year of publication (meta.published only: a date the text opens
-- with is no evidence of it), a month more than half a year after
-- publication the year before. Values: "2021-12-02", "2022", "2024-03", ranges "2020/2025",
-- "2023-09-14/2023-09-16"; a date whose year cannot be known has no value
-- and attrs.year = "unknown".
local textmill = require("textmill")
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local byte, find, sub, match = string.byte, string.find, string.sub, string.match

local M = {}

local DAY_LEAD = textmill.regex([[(?:(?<wd>(?:[Tt]hứ (?:[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy)|[Cc]hủ [Nn]hật)),? +)?]]
  .. [[(?:(?<from>[Tt]ừ )?(?<part>(?:[Ss]áng|[Tt]rưa|[Cc]hiều|[Tt]ối|[Đđ]êm|[Hh]ôm)(?: (?:nay|qua|mai))?)(?: ngày)?|(?<from2>[Tt]ừ )?(?<day>[Nn]gày))]]
  .. [[ *(?<paren>\( *)?\z]])
local WEEKDAY_LEAD = textmill.regex([[(?:[Tt]hứ (?:[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy)|[Cc]hủ [Nn]hật), *\z]])
local YEAR_LEAD = textmill.regex([[(?<![\p{L}])(?:(?:(?:[Đđ]ầu|[Gg]iữa|[Cc]uối) +)?[Nn]ăm|[Nn]hiệm kỳ|[Tt]hời kỳ|[Gg]iai đoạn|[Nn]iên khóa|[Nn]ăm học) +\z]])
local QUARTER_LEAD = textmill.regex([[(?<![\p{L}])[Qq]uý ([IV]{1,3})/\z]])
-- "đầu", "giữa", "cuối" (early, mid, late) before a month or a year are part of the date.
local MONTH_LEAD = textmill.regex([[(?<![\p{L}])(?:(?:[Đđ]ầu|[Gg]iữa|[Cc]uối) +)?[Tt]háng +\z]])
local CLOCK_LEAD = textmill.regex([[(?<![\p{L}])(?:lúc|vào|từ|đến|khoảng|Lúc|Vào|Từ) +\z]])
-- A count before "ngày" ("2 ngày 15-16/8"); not the minutes of a clock time (7h30 ngày 11/5).
-- "sinh 1982", "(sinh 1990)": a birth year needs no "năm".
local BORN_BEFORE = textmill.regex([[(?<![\p{L}])[Ss]inh +\z]])
local NUMBER_WORD_BEFORE = textmill.regex([[(?<![\p{L}0-9:.,])[0-9]+ +\z]])

local PARTS = { ["sáng"] = "morning", ["trưa"] = "noon", ["chiều"] = "afternoon", ["tối"] = "evening",
                ["đêm"] = "night", ["hôm"] = nil }
local ROMAN = { I = 1, II = 2, III = 3, IV = 4 }
-- "tháng 4 năm nay", "tháng 12 năm ngoái": the year of the month, counted
-- from the publication's
local YEAR_AFTER_MONTH = { nay = 0, ["ngoái"] = -1, ["tới"] = 1 }

-- The leads are asked with textmill.find_in: their start and captures,
-- with none of the three tables exec_in makes for a match.
local find_in = textmill.find_in

-- The lead before a day: returns its start (or nil) and what it says. A
-- "từ" (from) belongs to the lead only when a range follows (`range`).
local function day_lead(cx, pos, range)
  local text = cx.text
  -- DAY_LEAD's groups in order: wd, from, part, from2, day, paren (false: none)
  local s, _, wd, from, part, from2, day, paren = find_in(DAY_LEAD, text, pos - 48, pos - 1)
  if s then
    local info = { part = part and PARTS[textmill.lower(match(part, "^(%S+)"))] or nil,
                   relative = part and find(part, " ") and true or nil, paren = paren and true or nil }
    from = from or from2
    if from and not range and not wd then s = s + #from end
    -- "2 ngày 15-16/8": the "ngày" belongs to a count of days
    if day and not wd and NUMBER_WORD_BEFORE:test_in(text, s - 8, s - 1) then
      return nil
    end
    return s, info
  end
  s = find_in(WEEKDAY_LEAD, text, pos - 48, pos - 1)
  if s then return s, {} end
  return nil
end

-- The stop of a date whose lead opened a bracket: past the bracket that
-- closes it (Sáng nay (10-1)), else stop.
local function close_paren(cx, stop, info)
  if info and info.paren then
    local p = match(cx.text, "^ *%)()", stop + 1)
    if p then return p - 1 end
  end
  return stop
end

local function valid(y, mo, d)
  return mo >= 1 and mo <= 12 and (not d or (d >= 1 and d <= 31)) and (not y or (y >= 1900 and y <= 2100))
end

local function iso(y, mo, d)
  if not y then return nil end
  if d then return string.format("%04d-%02d-%02d", y, mo, d) end
  if mo then return string.format("%04d-%02d", y, mo) end
  return string.format("%04d", y)
end

-- The year of a day and month said without one.
local function infer_year(cx, mo)
  local p = cx.pub
  if not p then return nil end
  local y = p.y
  if mo - p.m > 6 then y = y - 1 elseif p.m - mo > 9 then y = y + 1 end
  return y
end

local function with_year(cx, y, mo)
  if y then return y, nil end
  y = infer_year(cx, mo)
  return y, { year = y and "inferred" or "unknown" }
end

local function merge(a, b)
  if not b then return a end
  for k, v in pairs(b) do a[k] = v end
  return a
end

local function after_letter_dash(cx, start)   -- Covid-19, QH15
  local b = sub(cx.text, math.max(1, start - 2), start - 1)
  return match(b, "[%a\128-\255]%-$") ~= nil
end

-- The rules' value() functions are handed what they read of the match
-- (`args`: its text, start and stop, a capture, the number before it) and
-- return the date's span after its value and attrs: each read or write
-- of m's fields would be a call into C.
local SPAN = { "text", "start", "stop" }

M.rules = {
  -- 2/12/2021, 24/02/2022, 18-08-2023, with what leads them.
  { type = "DATE", layer = "DATE", name = "date-dmy", on = "NUM_DMY", args = SPAN,
    value = function(_, _, cx, text, start, stop)
      local d, mo, y = match(text, "^(%d%d?)[/.-](%d%d?)[/.-](%d%d%d%d)$")
      if not d then return false end
      d, mo, y = tonumber(d), tonumber(mo), tonumber(y)
      if not valid(y, mo, d) then return false end
      local s, info = day_lead(cx, start)
      if s then stop = close_paren(cx, stop, info) end
      return iso(y, mo, d), { part_of_day = info and info.part }, s, stop
    end },

  -- 15-16/8/2023, and 15-16/8 after a lead.
  { type = "DATE", layer = "DATE", name = "date-range-days", on = "NUM_DDM", args = SPAN,
    value = function(_, _, cx, text, start, stop)
      local d1, d2, mo, y = match(text, "^(%d%d?)-(%d%d?)/(%d%d?)/?(%d*)$")
      if not d1 then return false end
      d1, d2, mo = tonumber(d1), tonumber(d2), tonumber(mo)
      local s, info = day_lead(cx, start, true)
      if y == "" and not s then return false end
      local attrs
      y, attrs = with_year(cx, tonumber(y), mo)
      if not valid(y, mo, d2) or d1 >= d2 then return false end
      if s then stop = close_paren(cx, stop, info) end
      return y and (iso(y, mo, d1) .. "/" .. iso(y, mo, d2)) or nil, attrs, s, stop
    end },

  -- Chiều 14/12, ngày 2/12, Sáng nay (10-1), ngày 12-7, ngày 10.6: a day
  -- and month after a lead (news writes all three separators; without a
  -- lead, "12-7" and "10.6" are as often scores and decimals).
  { type = "DATE", layer = "DATE", name = "date-dm", on = { "NUM_DM", "NUM_DEC" }, shape = "^%d%d?[/.-]%d%d?$",
    args = SPAN,
    value = function(_, _, cx, text, start, stop)
      local d, mo = match(text, "^(%d%d?)[/.-](%d%d?)$")
      if not d then return false end
      d, mo = tonumber(d), tonumber(mo)
      local s, info = day_lead(cx, start)
      if not s then return false end
      if not valid(nil, mo, d) then return false end
      local y, attrs = with_year(cx, nil, mo)
      return iso(y, mo, d), merge({ part_of_day = info.part }, attrs), s, close_paren(cx, stop, info)
    end },

  -- ngày 14 đến 16/9, Từ ngày 10 đến ngày 20/12
  { type = "DATE", layer = "DATE", name = "date-range-words", on = "NUM_INT", shape = "^%d%d?$",
    regex = [[ (?:đến|tới|-) (?:ngày )?([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}))?\b(?!/)]],
    args = { "trigger.text", "start", 1, 2, 3 },
    value = function(_, _, cx, first, start, d2, mo, y)
      local d1 = tonumber(match(first, "^(%d%d?)$"))
      if not d1 then return false end
      d2, mo = tonumber(d2), tonumber(mo)
      local s = day_lead(cx, start, true)
      if not s or not valid(nil, mo, d2) or d1 >= d2 then return false end
      local attrs
      y, attrs = with_year(cx, y and tonumber(y), mo)
      return y and (iso(y, mo, d1) .. "/" .. iso(y, mo, d2)) or nil, attrs, s
    end },

  -- ngày 8 tháng 3 năm 2025
  { type = "DATE", layer = "DATE", name = "date-words", on = "NUM_INT", shape = "^%d%d?$",
    regex = [[ tháng ([0-9]{1,2})(?: năm ([0-9]{4}))?\b]],
    args = { "trigger.text", "start", 1, 2 },
    value = function(_, _, cx, day, start, mo, y)
      local d = tonumber(match(day, "^(%d%d?)$"))
      mo = tonumber(mo)
      local s, info = day_lead(cx, start)
      if not d or not s or not valid(nil, mo, d) then return false end
      local attrs
      y, attrs = with_year(cx, y and tonumber(y), mo)
      return iso(y, mo, d), merge({ part_of_day = info.part }, attrs), s
    end },

  -- tháng 3/2024, tháng 10. `before` lets the library pass over, in C,
  -- the many numbers with no "tháng" before them, without calling value().
  { type = "DATE", layer = "DATE", name = "month", on = { "NUM_MY", "NUM_INT" }, shape = "^%d%d?/?%d*$",
    before = [[[Tt]háng +]], reach = 24,     -- the word and its spaces: a short search, not 80 bytes
    args = SPAN,
    value = function(_, _, cx, text, start, stop)
      local mo, y = match(text, "^(%d%d?)/(%d%d%d%d)$")
      if not mo then mo = match(text, "^(%d%d?)$") end
      if not mo then return false end
      local ls = find_in(MONTH_LEAD, cx.text, start - 24, start - 1)
      mo = tonumber(mo)
      if not ls or not valid(nil, mo) then return false end
      if match(cx.text, "^ năm %d%d%d%d", stop + 1) then
        y = sub(cx.text, stop + 6, stop + 9)
        stop = stop + 9
      else
        -- giữa tháng 4 năm nay, cuối tháng 3 này: this year's; tháng 12 năm
        -- ngoái: last year's (counted from the publication date)
        local _, e, word = find(cx.text, "^ năm ([^%s%p]+)", stop + 1)
        local off = e and YEAR_AFTER_MONTH[word]
        if not off then _, e = find(cx.text, "^ này", stop + 1); off = 0 end
        if e and not find(cx.text, "^[%w\128-\255]", e + 1) then      -- a whole word
          stop = e
          y = not y and cx.pub and cx.pub.y + off or y
        end
      end
      local attrs
      y, attrs = with_year(cx, y and tonumber(y), mo)
      return iso(y, mo), attrs, ls, stop
    end },

  -- năm 2022, Quý I/2024, thời kỳ 2021-2030
  { type = "DATE", layer = "DATE", name = "year", on = { "NUM_INT", "NUM_YY" }, shape = "^%d%d%d%d%-?%d*$",
    args = { "text", "start" },
    value = function(_, _, cx, years, s)
      local y1, y2 = match(years, "^(%d%d%d%d)%-?(%d*)$")
      y1, y2 = tonumber(y1), tonumber(y2)
      local text = cx.text
      -- each lead below ends right before the number, with a space or a
      -- slash: its byte, tested first, spares the regexes most numbers
      local b = byte(text, s - 1)
      local x = b == 32 and find_in(YEAR_LEAD, text, s - 32, s - 1)     -- the lead's start
      -- after "năm" a year may be an old one (năm 1328); bare, it is a modern one
      local old = x and not y2 and y1 >= 1000 and y1 < 1900
      if not (old or valid(y1, 1)) or b == 45 and after_letter_dash(cx, s) then return false end
      if y2 and (not valid(y2, 1) or y2 <= y1 or y2 - y1 > 30) then return false end
      local q, _, roman
      if b == 47 then q, _, roman = find_in(QUARTER_LEAD, text, s - 24, s - 1) end
      if q and ROMAN[roman] and not y2 then
        local n = ROMAN[roman]
        return string.format("%04d-%02d/%04d-%02d", y1, 3 * n - 2, y1, 3 * n), { quarter = n }, q
      end
      if not x and not y2 and not (b == 32 and BORN_BEFORE:test_in(text, s - 12, s - 1)) then
        return false                                        -- a bare 4-digit number is no year
      end
      if y2 then return iso(y1) .. "/" .. iso(y2), nil, x or nil end
      return iso(y1), nil, x or nil
    end },

  -- nhiệm kỳ 2020 - 2025, mùa khô 2021 - 2022
  { type = "DATE", layer = "DATE", name = "year-range", on = "NUM_INT", shape = "^%d%d%d%d$",
    regex = [[ *[-–] *([0-9]{4})\b]],
    args = { "trigger.text", "start", 1 },
    value = function(_, _, cx, first, s, last)
      local y1, y2 = tonumber(first), tonumber(last)
      if not valid(y1, 1) or not valid(y2, 1) or y2 <= y1 or y2 - y1 > 30 then return false end
      -- a lead ends with a space right before the year
      local x = byte(cx.text, s - 1) == 32 and find_in(YEAR_LEAD, cx.text, s - 24, s - 1)
      return iso(y1) .. "/" .. iso(y2), nil, x or nil
    end },

  -- 6 tháng đầu năm 2023, 9 tháng năm 2025, 6 tháng cuối năm
  { type = "DATE", layer = "DATE", name = "months-of-year", on = "NUM_INT", shape = "^%d%d?$",
    regex = [[ tháng(?: (đầu|cuối))? năm\b(?: ([0-9]{4})\b)?]],
    args = { "trigger.text", 1, 2 },
    value = function(_, _, cx, count, part, year)
      local n = tonumber(match(count, "^(%d%d?)$"))
      if not n or n < 1 or n > 11 then return false end
      local y = year and tonumber(year) or (cx.pub and cx.pub.y)
      local attrs = not year and { year = y and "inferred" or "unknown" } or nil
      if not y then return nil, attrs end
      if part == "cuối" then
        return string.format("%04d-%02d/%04d-12", y, 13 - n, y), attrs
      end
      return string.format("%04d-01/%04d-%02d", y, y, n), attrs
    end },

  -- năm nay, hôm nay, tháng trước: counted from the publication date; a
  -- week has no value of its own. "hàng trăm năm nay" is a duration.
  { type = "DATE", layer = "DATE", name = "date-relative", on = "DATE_REL",
    not_before = [[(?<![\p{L}])(?:[0-9]+|hàng|mấy|nhiều|vài|trăm|chục|nghìn|ngàn|các|những)]],
    args = { "attrs", "stop" },
    value = function(_, _, cx, a, stop)
      local p = cx.pub
      if a.unit == "same" then                 -- cùng ngày: of another date; not "Cùng ngày 16/5"
        if find(cx.text, "^ +%d", stop + 1) then return false end
        return nil, { relative = true, anaphoric = true }
      end
      if not p then return nil, { year = "unknown", relative = true } end
      if a.unit == "week" then return nil, { relative = true } end
      local off = tonumber(a.offset)
      if a.unit == "year" then return iso(p.y + off), { relative = true } end
      if a.unit == "month" then
        local t = os.time { year = p.y, month = p.m + off, day = 1, hour = 12 }
        return os.date("%Y-%m", t), { relative = true }
      end
      local t = os.time { year = p.y, month = p.m, day = p.d + off, hour = 12 }
      return os.date("%Y-%m-%d", t), { relative = true }
    end },

  -- 12:16, 09:15
  { type = "TIME", layer = "TIME", name = "time-colon", on = "NUM_HM", args = { "text" },
    value = function(_, _, _, text)
      local h, mi = match(text, "^(%d%d?):(%d%d)$")
      if not h or tonumber(h) > 23 or tonumber(mi) > 59 then return false end
      return string.format("%02d:%02d", tonumber(h), tonumber(mi))
    end },

  -- lúc 9 giờ, 7h30 ngày ..., 8 giờ sáng
  { type = "TIME", layer = "TIME", name = "time-hours", on = "NUM_INT", shape = "^%d%d?$",
    regex = [[(?: giờ| ?h(?=[0-9]|\b))(?: ?([0-9]{1,2})(?: ?phút)?)?(?<when> (?:sáng|trưa|chiều|tối|ngày))?\b]],
    args = { "trigger.text", "start", "stop", 1, "when" },
    value = function(_, _, cx, hour, s, stop, minutes, when)
      local h = tonumber(match(hour, "^(%d%d?)$"))
      local mi = tonumber(minutes or "0")
      if not h or h > 23 or mi > 59 then return false end
      if not when then                        -- a lead ends with a space right before the hour
        if byte(cx.text, s - 1) ~= 32 or not CLOCK_LEAD:test_in(cx.text, s - 12, s - 1) then return false end
      end
      if when == " ngày" then stop = stop - #" ngày" end
      if h < 12 and when and (when == " chiều" or when == " tối") then h = h + 12 end
      return string.format("%02d:%02d", h, mi), nil, nil, stop
    end },
}

return M
