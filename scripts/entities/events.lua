-- events.lua -- EVENT: exercises (diễn tập khu vực phòng thủ), conferences
-- by their purpose (hội nghị tổng kết, hội nghị trực tuyến), party congresses
-- (Đại hội XIII), contests (Hội thao quốc phòng), and events known by name
-- (Ngày hội Quốc phòng toàn dân, lễ giao nhận quân). A year is never part
-- of the span: it is a DATE of its own.
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local sub, match = string.sub, string.match
local C = require("context")

local M = {}

local LEVEL = [[(?: (?:cấp )?(?:tỉnh|huyện|xã|thành phố|thị xã|quận|phường|quân khu))?]]
local EXERCISE = [[khu vực phòng thủ|KVPT|chiến đấu phòng thủ|chiến đấu trị an|phòng thủ dân sự|]]
  .. [[chỉ huy - cơ quan(?: một bên hai cấp)?|chỉ huy cơ quan|phòng, chống lụt bão|phòng chống lụt bão|]]
  .. [[phòng, chống thiên tai|phòng chống thiên tai|tác chiến phòng thủ|cứu hộ, cứu nạn]]
local PURPOSE = [[tổng kết|sơ kết|triển khai|quán triệt|rút kinh nghiệm|giao ban|đánh giá|tập huấn|]]
  .. [[phổ biến|học tập|ký kết|thông qua|bồi dưỡng|biểu dương|tuyên dương|kiểm điểm]]
-- Congresses: "Đại hội XIII", "Đại hội Đại biểu Đảng bộ tỉnh Đắk Nông lần thứ XII".
M.CONGRESS = [[Đại hội(?: [Đđ]ại biểu)?(?: (?:Đảng bộ|Đoàn|Hội|Đảng)[^,.;:\n()]{0,70}?)? (?:lần thứ )?[IVXLC]+\b]]


-- Each kind of event meets its own rule: the rule takes only the
-- EVENT_KIND entries of its kind (`entry`, decided once per entry in C),
-- and its value() is handed what it reads of the match (`args`: each read
-- of m's fields is a call into C). A congress and a contest start with a
-- capital (upper_at_start, in C).
M.rules = {
  { type = "EVENT", layer = "EVENT", name = "event-name", on = "EVENT", priority = 1,
    args = { "value", "attrs" },
    value = function(_, _, _, value, a) return value, { event = a and a.event } end },

  { type = "EVENT", layer = "EVENT", name = "exercise", on = "EVENT_KIND", entry = { event = "exercise" },
    regex = [[ (?:]] .. EXERCISE .. [[)]] .. LEVEL .. [[(?: và (?:]] .. EXERCISE .. [[)]] .. LEVEL .. [[)?]],
    args = { "trigger.stop", "stop" },
    value = function(_, _, cx, ks, stop)
      return "diễn tập", { event = "exercise", kind = sub(cx.text, ks + 2, stop) }
    end },

  { type = "EVENT", layer = "EVENT", name = "conference", on = "EVENT_KIND", entry = { event = "conference" },
    regex = [[(?<online> trực tuyến)?(?<purpose> (?:]] .. PURPOSE .. [[)(?:(?:, | và )(?:]] .. PURPOSE .. [[))?)?]],
    args = { "online", "purpose" },
    value = function(_, _, _, online, purpose)
      if not (online or purpose) then return false end
      return "hội nghị", { event = "conference", online = online and true or nil,
                           purpose = purpose and sub(purpose, 2) or nil }
    end },

  { type = "EVENT", layer = "EVENT", name = "congress", on = "EVENT_KIND", entry = { event = "congress" },
    regex = M.CONGRESS:sub(#"Đại hội" + 1), shape = C.shape.upper_at_start,
    args = { "text" },
    value = function(_, _, _, text)
      return "đại hội", { event = "congress", ordinal = match(text, "([IVXLC]+)$") }
    end },

  { type = "EVENT", layer = "EVENT", name = "contest", on = "EVENT_KIND", entry = { event = "contest" },
    regex = [[ \p{Ll}+(?: \p{Ll}+){0,5}?(?= năm [0-9]{4}|[,.;:\n(]| [\p{Lu}0-9]|$)]], shape = C.shape.upper_at_start,
    args = { "trigger.value" },
    value = function(_, _, _, contest) return contest, { event = "contest" } end },
}

return M
