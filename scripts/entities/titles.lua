-- titles.lua -- TITLE: ranks (Trung tướng) and positions with the body they
-- are held in (Cục trưởng Cục Dân quân tự vệ, Chủ tịch UBND tỉnh).
--
-- Heads come from titles.tsv and ranks.tsv. After the organisations are
-- composed, post() joins each head with the organisation right after it.
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local byte, sub = string.byte, string.sub
local M = {}

-- A rank or a position is its dictionary entry's value, its attrs made from
-- the entry's by entry_attrs: once per entry, not once per match, and
-- without a call into Lua for each of the thousands of matches.
M.rules = {
  { type = "TITLE", layer = "TITLE", name = "rank", on = "RANK", priority = 1,
    entry_attrs = function(a) return { kind = "rank", grade = a.grade, service = a.service } end },

  { type = "TITLE", layer = "TITLE", name = "position", on = "TITLE",
    entry_attrs = function(a)
      return { kind = "position", sector = a.sector, deputy = a.deputy and true or nil, _alone = a.alone ~= "0",
               _surname = a._surname == "1" or nil }
    end },
}

local function by_place(a, b)
  if a.start ~= b.start then return a.start < b.start end
  return a.stop > b.stop
end

-- Post step: a position takes the organisation that follows it (or that
-- starts inside it and goes on: "Ủy viên Ban Thường vụ" + "Tỉnh ủy").
-- A head inside an organisation's name (Ban Bí thư) is not a title.
function M.post(E, cx)
  local orgs, out, first, titles = E.ORG or {}, {}, 1, E.TITLE or {}
  for j = 1, #titles do
    local t = titles[j]
    local keep = true
    if t.attrs.kind == "position" then
      -- both lists in text order: an organisation that ends before this
      -- title starts reaches none of the titles after it either
      while orgs[first] and orgs[first].stop < t.start do first = first + 1 end
      for i = first, #orgs do
        local o = orgs[i]
        if o.start > t.stop + 2 then break end   -- nor does one that starts past it
        if o.start > t.start and o.start <= t.stop + 2 and o.stop > t.stop
            and (o.start == t.stop + 2 or byte(cx.text, o.start - 1) == 32) then
          local head = o.start == t.stop + 2 and t.value or sub(cx.text, t.start, o.start - 2)
          t.stop = o.stop
          t.attrs.org = o.value or sub(cx.text, o.start, o.stop)
          t.attrs.province = o.attrs.province
          t.value = head .. " " .. t.attrs.org
          break
        elseif o.start < t.start and o.stop >= t.stop then
          keep = false
          break
        end
      end
      if not t.attrs.org and not t.attrs._alone then keep = false end
    end
    if keep then out[#out + 1] = t end
  end
  -- After joining, two heads may cover one title ("Ủy viên" and "Ủy viên
  -- Ban Thường vụ"): keep the longest.
  -- (already in that order, with no two alike, the sort would not move
  -- any: most articles; two alike it may swap, so then it runs as ever)
  local sorted = true
  for i = 2, #out do
    local a, b = out[i - 1], out[i]
    if not (a.start < b.start or (a.start == b.start and a.stop > b.stop)) then sorted = false; break end
  end
  if not sorted then table.sort(out, by_place) end
  local res, last = {}, nil
  for i = 1, #out do
    local t = out[i]
    if not last or t.start > last.stop then res[#res + 1] = t; last = t
    elseif t.stop > last.stop and t.start == last.start then res[#res] = t; last = t end
  end
  E.TITLE = res
end

return M
