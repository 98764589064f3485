-- orgs.lua -- ORG: ministries, party and state bodies, military commands,
-- provincial and district bodies.
--
-- Names written in full come from orgs.tsv (ORG rows). Heads such as "UBND",
-- "Bộ CHQS", "Sư đoàn" (ORG_HEAD rows) take what their `takes` attribute
-- allows: a level word (UBND huyện), a number (Sư đoàn 390), a name (Đồn
-- Biên phòng Ka Lăng) or another body (Bộ Tư lệnh Quân khu 5). After the
-- overlaps are resolved, post() joins heads with the body or the place that
-- follows them and gives "UBND tỉnh" the article's province.
local textmill = require("textmill")
local C = require("context")

local M = {}

local LEVELS = [[tỉnh|thành phố|TP\.?|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu]]
local PLURAL_BEFORE = { ["các"] = true, ["những"] = true, ["mỗi"] = true, ["từng"] = true }
local GENERIC_AFTER = { ["các"] = true, ["cấp"] = true, ["những"] = true }
-- Kinds that end a name a head takes (Đồn Biên phòng X, Chủ tịch ...).
local STOP_NAME = { TITLE = true, RANK = true, ORG = true, ORG_HEAD = true, HONORIFIC = true, LEVEL = true }

local PLACES = { PLACE = true, PROVINCE = true, DISTRICT = true }

local function allows(a, what) return a.takes ~= nil and a.takes:find(what, 1, true) ~= nil end

local function specific(cx, m)
  return cx:upper_at(m.start) and not PLURAL_BEFORE[cx:word_before(m.start)]
end

-- The name after a word that starts an organisation's (ORG_WORD rows:
-- Cục, Công ty, Bệnh viện ...): a capitalised word, then up to five more
-- words of either case (Cục Thông tin, Vụ Giáo dục mầm non, Công ty Yến sào
-- Khánh Hòa), up to punctuation or a word that starts the rest of the
-- sentence (của, cho biết, đã ...).
local W = [[[\p{L}\p{M}&][\p{L}\p{M}&'-]*]]
local ENDS_NAME = [[(?:của|và|cho|đã|đang|sẽ|tại|ở|được|bị|là|với|trong|về|khi|để|này|đó|đến|từ|theo|vào|ra]]
  .. [[|có|chưa|cũng|nhằm|do|thì|mà|như|vừa|hiện|sau|trước|năm|ngày|tháng|các|những|một|thuộc|gồm]]
  .. [[|cùng|nói|tổ|phối|tiếp|gửi|báo|thông|công|yêu|đề|kiểm|làm|đưa|tuyên|khẳng|xác|chủ|trao|ký|họp]]
  .. [[|phát|nhận|tham|trên|dưới|qua|vì|nên|rằng|hay|hoặc|lại|đều|chỉ|rất|nay|mới|ngay|sáng|trưa|chiều|tối|đêm|hôm|thời|toàn)(?![\p{L}\p{M}])]]
local DESCRIBED = [[ (\p{Lu}[\p{L}\p{M}&'-]*(?: (?!]] .. ENDS_NAME .. [[)]] .. W .. [[){0,5})]]

M.rules = {
  { type = "ORG", layer = "ORG", name = "org-described", on = "ORG_WORD", cased = true, shape = C.shape.capital_after,
    regex = DESCRIBED, not_before = { "hệ thống", "mạng lưới" },          -- a kind of body, not one
    value = function(m, _, cx)
      local head = m.trigger
      if not specific(cx, head) then return false end
      local place = cx:starting(head.start, PLACES)
      if place and place.stop > head.stop then return false end       -- Đài Loan, Trường Sa
      local cut = cx:first_start(head.stop + 2, m.stop, STOP_NAME)
      if cut and cut > head.stop + 2 then m.stop = cut - 2 end
      -- a place ends the name (Công ty Yến sào Khánh Hòa | quản lý ...)
      local p = cx:first_start(head.stop + 3, m.stop, PLACES)
      if p then m.stop = math.min(m.stop, cx:starting(p, PLACES).stop) end
      -- a paper or an agency is its name alone (báo [Merkur], hãng [Interfax])
      if head.attrs and head.attrs.bare then m.start = head.stop + 2 end
      return cx.text:sub(m.start, m.stop), { _place = true }
    end },

  { type = "ORG", layer = "ORG", name = "org-name", on = "ORG", shape = C.shape.upper_at_start,
    value = function(m, _, cx)
      if not specific(cx, m) then return false end
      local a = m.attrs or {}
      return m.value, { sector = a.sector, scope = a.scope, _place = allows(a, "place") or nil }
    end },

  -- A head and what follows it: a level word, a unit number, a name.
  { type = "ORG", layer = "ORG", name = "org-head", on = "ORG_HEAD", shape = C.shape.upper_at_start,
    regex = [[(?: (?<level>(?:cấp )?(?:]] .. LEVELS .. [[))\b| (?<number>[0-9]+)(?: Hải quân)?\b| (?<name>]] .. C.NAME .. [[))?]],
    value = function(m, _, cx)
      local head = m.trigger
      if not specific(cx, head) then return false end
      local a = head.attrs or {}
      local took, level
      if m.level and allows(a, "level") then
        if m.level:find("^cấp ") then return false end        -- UBND cấp xã: any of them
        took, level = "level", m.level
      elseif m.number and allows(a, "number") then
        took = "number"
      elseif m.name and allows(a, "name") then
        took = "name"
        local cut = cx:first_start(m.starts.name, m.stops.name, STOP_NAME)
        if cut == m.starts.name then took = nil elseif cut then m.stop = cut - 2 end
      end
      if not took then
        m.stop = head.stop
        if not (a.alone or allows(a, "org")) then return false end
      end
      local next_word = cx.text:match("^ (%S+)", m.stop + 1)
      if took ~= "number" and next_word and GENERIC_AFTER[next_word] then return false end
      return head.value, { sector = a.sector, _took = took, _level = level, _place = allows(a, "place") or nil,
                           _join = took == nil and allows(a, "org") or nil, _alone = a.alone }
    end },
}

local function level_value(o)
  local level = o.attrs._level
  if level == "TP" or level == "TP." then level = "thành phố" end
  return o.value .. " " .. level
end

-- Is a scanned match written with the capitals of its dictionary key?
local function cased(m)
  if m.cased ~= nil then return m.cased end
  return C.cased_like(m.name, m.key)
end

-- A country right after a body completes its name (Bộ Quốc phòng Nga,
-- Quốc hội Mỹ, Hải quân Mỹ); so does any place after a body that takes one
-- (Sở Y tế Hà Nội). The place stays a LOCATION inside the ORG, as in "UBND
-- tỉnh Lạng Sơn".
local function complete_with_place(E, cx)
  local loc_at = {}
  for _, l in ipairs(E.LOCATION or {}) do loc_at[l.start] = l end
  for _, o in ipairs(E.ORG) do
    local after = cx.text:byte(o.stop + 1) == 32 and o.stop + 2
    local l = after and loc_at[after]
    if after and not l and o.attrs._place then
      -- a district needs a level word to be a place, but not after a body
      -- that takes one (Huyện ủy Can Lộc)
      local m = cx:starting(after, PLACES)
      if m and cased(m) then l = { stop = m.stop, value = m.value, attrs = {} } end
    end
    if l and not o.attrs._level and (o.attrs._place or l.attrs.level == "country") then
      o.stop = l.stop
      o.value = o.value .. " " .. l.value
      o.attrs.country = l.attrs.level == "country" and l.value or nil
      o.attrs.place = l.attrs.level ~= "country" and l.value or nil
    end
  end
end

-- Post step. E: the resolved entities by type, each list in text order.
function M.post(E, cx)
  local orgs, out = E.ORG or {}, {}
  local loc_at = {}
  for _, l in ipairs(E.LOCATION or {}) do loc_at[l.start] = l end
  local i = 1
  while i <= #orgs do
    local o, nexto = orgs[i], orgs[i + 1]
    local a = o.attrs
    if a._join and nexto and nexto.start == o.stop + 2 then
      -- Bộ Tư lệnh + Quân khu 5, Ban Thường vụ + Tỉnh ủy, Đảng bộ + Quân khu 5
      out[#out + 1] = { type = "ORG", start = o.start, stop = nexto.stop, rule = "org-join",
                        value = o.value .. " " .. nexto.value, attrs = nexto.attrs }
      i = i + 2
    else
      if a._took or a._alone or o.rule ~= "org-head" then out[#out + 1] = o end
      i = i + 1
    end
  end
  for _, o in ipairs(out) do
    local a = o.attrs
    if a._level then
      local l = cx.text:byte(o.stop + 1) == 32 and loc_at[o.stop + 2]
      local v = level_value(o)
      if l then
        o.stop = l.stop
        o.value = v .. " " .. l.value
        a.place = l.value
        a.province, a.province_2025 = l.attrs.province, l.attrs.province_2025
      elseif (a._level == "tỉnh" or a._level == "thành phố" or a._level == "TP") and cx.province then
        o.value = v .. " " .. cx.province
        a.province, a.province_2025, a.province_from = cx.province, cx.province_2025, "article"
      else
        o.value = v
      end
    elseif a._took then
      o.value = cx.text:sub(o.start, o.stop)
    end
  end
  E.ORG = out
  complete_with_place(E, cx)
end

return M
