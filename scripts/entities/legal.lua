-- legal.lua -- LEGAL: resolutions, decisions, directives, decrees, laws.
-- A kind of document (Nghị quyết, Quyết định ...) written with a capital
-- and followed by what identifies it: a number (Nghị quyết số 24-NQ/TW), a
-- congress (Nghị quyết Đại hội XIII) or, failing those, its issuer
-- (Quyết định của Thủ tướng Chính phủ). Laws known by name come from
-- legal.tsv, with their year when the text gives it (Luật Nghĩa vụ quân sự
-- năm 2015). "các chỉ thị, nghị quyết" is no one document and is left out.
-- string's functions as locals: text:byte(i) looks byte up in the
-- strings' metatable at each call
local sub, match = string.sub, string.match
local events = require("events")

local M = {}

local NUMBER = [[[0-9]+[\p{L}0-9]*(?:[/\-][\p{L}\p{N}&]+)*]]

M.rules = {
  { type = "LEGAL", layer = "LEGAL", name = "legal-number", on = "LEGAL_KIND",
    regex = [[ (?:số )?(?<num>]] .. NUMBER .. [[)|(?<cong> ]] .. events.CONGRESS .. [[)|(?<of> của)]],
    -- what value() reads of the match, handed to it (each read of m's
    -- fields is a call into C); it returns the span it moves
    args = { "trigger.start", "trigger.stop", "trigger.value", "num", "cong" },
    value = function(_, _, cx, ks, ke, kind, num, cong)
      if not cx:upper_at(ks) then return false end
      local a = { kind = kind }
      if num then
        a.number = num
        a.year = match(num, "/(%d%d%d%d)/")
        return kind .. " " .. num, a
      elseif cong then
        a.congress = sub(cong, 2)
        return kind .. " " .. a.congress, a
      end
      a._issuer = true
      return kind, a, nil, ke                  -- "của ...": post() joins the issuer
    end },

  { type = "LEGAL", layer = "LEGAL", name = "law", on = "LAW", priority = 1,
    regex = [[(?: năm ([0-9]{4})\b)?]],
    args = { "trigger.start", "trigger.value", "trigger.attrs", 1 },
    value = function(_, _, cx, ls, law, a, year)
      if not cx:upper_at(ls) then return false end
      a = a or {}
      return law, { kind = a.law == "1" and "Luật" or "Hiến pháp", year = year or a.year }
    end },
}

-- Post step: "Quyết định của" + the title or body that issued it.
function M.post(E, cx)
  -- most articles have no decision "của" anyone: nothing to join
  local issuers = false
  for _, l in ipairs(E.LEGAL or {}) do issuers = issuers or l.attrs._issuer end
  if not issuers then return end
  local out = {}
  local by_start = {}
  for _, t in ipairs(E.TITLE or {}) do by_start[t.start] = t end
  for _, o in ipairs(E.ORG or {}) do by_start[o.start] = by_start[o.start] or o end
  for _, l in ipairs(E.LEGAL or {}) do
    if l.attrs._issuer then
      local sep = " của "
      local who = sub(cx.text, l.stop + 1, l.stop + #sep) == sep and by_start[l.stop + #sep + 1]
      if who then
        l.stop = who.stop
        l.attrs.issuer = sub(cx.text, who.start, who.stop)
        l.value = l.value .. " của " .. l.attrs.issuer
        out[#out + 1] = l
      end
    else
      out[#out + 1] = l
    end
  end
  E.LEGAL = out
end

return M
