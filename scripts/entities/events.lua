-- events.lua -- EVENT: exercises (diễn tập khu vực phòng thủ), conferences
-- by their purpose (hội nghị tổng kết, hội nghị trực tuyến), party congresses
-- (Đại hội XIII), contests (Hội thao quốc phòng), and events known by name
-- (Ngày hội Quốc phòng toàn dân, lễ giao nhận quân). A year is never part
-- of the span: it is a DATE of its own.
local textmill = require("textmill")
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local sub, match = string.sub, string.match

local M = {}

local LEVEL = [[(?: (?:cấp )?(?:tỉnh|huyện|xã|thành phố|thị xã|quận|phường|quân khu))?]]
local EXERCISE = [[khu vực phòng thủ|KVPT|chiến đấu phòng thủ|chiến đấu trị an|phòng thủ dân sự|]]
  .. [[chỉ huy - cơ quan(?: một bên hai cấp)?|chỉ huy cơ quan|phòng, chống lụt bão|phòng chống lụt bão|]]
  .. [[phòng, chống thiên tai|phòng chống thiên tai|tác chiến phòng thủ|cứu hộ, cứu nạn]]
local PURPOSE = [[tổng kết|sơ kết|triển khai|quán triệt|rút kinh nghiệm|giao ban|đánh giá|tập huấn|]]
  .. [[phổ biến|học tập|ký kết|thông qua|bồi dưỡng|biểu dương|tuyên dương|kiểm điểm]]
-- Congresses: "Đại hội XIII", "Đại hội Đại biểu Đảng bộ tỉnh Đắk Nông lần thứ XII".
M.CONGRESS = [[Đại hội(?: [Đđ]ại biểu)?(?: (?:Đảng bộ|Đoàn|Hội|Đảng)[^,.;:\n()]{0,70}?)? (?:lần thứ )?[IVXLC]+\b]]


local function kind(m) return m.trigger.attrs and m.trigger.attrs.event end
local function is(event) return function(m) return m.attrs and m.attrs.event == event end end

M.rules = {
  { type = "EVENT", layer = "EVENT", name = "event-name", on = "EVENT", priority = 1,
    value = function(m) return m.value, { event = m.attrs and m.attrs.event } end },

  { type = "EVENT", layer = "EVENT", name = "exercise", on = "EVENT_KIND", shape = is("exercise"),
    regex = [[ (?:]] .. EXERCISE .. [[)]] .. LEVEL .. [[(?: và (?:]] .. EXERCISE .. [[)]] .. LEVEL .. [[)?]],
    value = function(m, _, cx)
      if kind(m) ~= "exercise" then return false end
      return "diễn tập", { event = "exercise", kind = sub(cx.text, m.trigger.stop + 2, m.stop) }
    end },

  { type = "EVENT", layer = "EVENT", name = "conference", on = "EVENT_KIND", shape = is("conference"),
    regex = [[(?<online> trực tuyến)?(?<purpose> (?:]] .. PURPOSE .. [[)(?:(?:, | và )(?:]] .. PURPOSE .. [[))?)?]],
    value = function(m)
      if kind(m) ~= "conference" or not (m.online or m.purpose) then return false end
      return "hội nghị", { event = "conference", online = m.online and true or nil,
                           purpose = m.purpose and sub(m.purpose, 2) or nil }
    end },

  { type = "EVENT", layer = "EVENT", name = "congress", on = "EVENT_KIND", shape = is("congress"),
    regex = M.CONGRESS:sub(#"Đại hội" + 1),
    value = function(m, _, cx)
      if kind(m) ~= "congress" or not cx:upper_at(m.start) then return false end
      return "đại hội", { event = "congress", ordinal = match(m.text, "([IVXLC]+)$") }
    end },

  { type = "EVENT", layer = "EVENT", name = "contest", on = "EVENT_KIND", shape = is("contest"),
    regex = [[ \p{Ll}+(?: \p{Ll}+){0,5}?(?= năm [0-9]{4}|[,.;:\n(]| [\p{Lu}0-9]|$)]],
    value = function(m, _, cx)
      if kind(m) ~= "contest" or not cx:upper_at(m.start) then return false end
      return m.trigger.value, { event = "contest" }
    end },
}

return M
