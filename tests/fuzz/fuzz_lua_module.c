/* fuzz_lua_module.c -- the `textmill` Lua module (plugins/lua/lib): regex,
 * gazetteer, text helpers, JSON between Lua and text, span resolution.
 *
 * Input: [op][flags][i][j] then up to three fields a, b, c cut at 0xFF
 * (fuzz_split); i and j are signed start offsets. By op:
 *   0 regex      textmill.regex(a, flags) on subject b: find, match, test,
 *                exec, gmatch from i and j, gsub with replacement c; run
 *                twice, the second time with b as the document's own text
 *                (the module then skips PCRE2's UTF-8 check, as in the stage)
 *   1 gazetteer  from a as a TSV file, and from the lines of c as a list,
 *                options from flags; matches in b from 1 and i
 *   2 text       normalize (4 forms), fold, lower, upper, len, is_upper of a;
 *                textops_fold's offset map
 *   3 json       a from JSON to Lua and back, three times
 *   4 spans      textmill.resolve, sort_spans and span_cover of spans made
 *                from a's bytes
 *   5 engine     textmill.engine with a lexicon from the lines of c, a number
 *                token retyped by shape, rules on both, and a's regex anchored
 *                after dictionary matches and scanned for; begin and find on b
 *   6 names      the persons' C steps on text a: foreign_names; over an
 *                engine whose lexicon is the lines of b, thing_before and
 *                list_before at every character, name_cutter on spans
 *                from i and j, and title_chains on the lexicon's titles
 *                and the runs of capital words
 *
 * Oracles (a failing one is an error the driver raises as a table, which
 * pcall inside the driver never catches): every match lies in its subject,
 * on character boundaries when subject and pattern are UTF-8; gsub keeps
 * UTF-8 UTF-8; helpers accept every valid UTF-8 string and return UTF-8,
 * normalize is idempotent, len counts what utf8.len counts; the fold map
 * is monotonic and lands on characters; JSON the host accepts reaches Lua,
 * and its Lua value is written back to JSON that is stable from the second
 * round; kept spans do not overlap within a layer and come in text order,
 * and a span cover answers as a walk of its list;
 * the engine takes exactly the valid UTF-8 texts, its candidates lie in the
 * text on character boundaries, the kept ones in text order, apart within
 * a layer, find_by_type groups find's candidates in find's order, what a
 * rule's args hand value() is what its match gives, its lookups find each
 * scanned match where it is, and each_scanned and covering_span answer as
 * scanned and covering do; the foreign names are
 * runs of capital_runs, in order, and take only valid UTF-8; the tests of
 * what stands before a name answer yes or no at every character; a name
 * cut lies inside the span it was cut from, on character boundaries; the
 * titles a person is given are texts of titles, an org only with them. */
#include <lauxlib.h>
#include <lualib.h>

#include "fuzz.h"
#include "json.h"
#include "textops.h"
#include "tml.h"
#include "tml_core.h"

static const char driver[] =
	"local tm = ...\n"
	"local D = {}\n"
	"local function oracle(ok, fmt, ...)\n"
	"  if not ok then error({oracle = string.format(fmt, ...)}, 2) end\n"
	"end\n"
	"local function valid(s) return utf8.len(s) ~= nil end\n"
	"local function boundary(s, pos)\n"
	"  local b = s:byte(pos)\n"
	"  return b == nil or b < 0x80 or b >= 0xC0\n"
	"end\n"
	"\n"
	"function D.regex(pat, flags, s, repl, i, j)\n"
	"  local ok, re = pcall(tm.regex, pat, flags)\n"
	"  if not ok then return end\n"
	"  tostring(re)\n"
	"  local strict = valid(s) and not pat:find('\\\\C', 1, true)\n"
	"  local function span(a, b, how)\n"
	"    oracle(math.type(a) == 'integer' and math.type(b) == 'integer', '%s: positions %s, %s', how, a, b)\n"
	"    oracle(a >= 1 and b >= a - 1 and b <= #s, '%s: match %d..%d outside a subject of %d bytes', how, a, b, #s)\n"
	"    if strict then\n"
	"      oracle(boundary(s, a) and boundary(s, b + 1), '%s: match %d..%d splits a character', how, a, b)\n"
	"    end\n"
	"  end\n"
	"  for _, init in ipairs({1, i, j}) do\n"
	"    local r = table.pack(pcall(re.find, re, s, init))\n"
	"    if r[1] and r[2] then span(r[2], r[3], 'find') end\n"
	"    pcall(re.match, re, s, init)\n"
	"    pcall(re.test, re, s, init)\n"
	"    local ok2, m = pcall(re.exec, re, s, init)\n"
	"    if ok2 and m then\n"
	"      span(m.start, m.stop, 'exec')\n"
	"      oracle(m.text == s:sub(m.start, m.stop), 'exec: text is not s:sub(start, stop)')\n"
	"    end\n"
	"  end\n"
	"  local ok3, it = pcall(re.gmatch, re, s, i)\n"
	"  for _ = 1, ok3 and 200 or 0 do\n"
	"    local r = table.pack(pcall(it))\n"
	"    if not r[1] or r[2] == nil then break end\n"
	"    span(r[2], r[3], 'gmatch')\n"
	"  end\n"
	"  local ok4, out = pcall(re.gsub, re, s, repl, j)\n"
	"  if ok4 and strict and valid(repl) then oracle(valid(out), 'gsub: the result is not UTF-8') end\n"
	"  pcall(re.gsub, re, s, function(...) return (...) end)\n"
	"  pcall(re.gsub, re, s, {})\n"
	"end\n"
	"\n"
	"local function check_matches(g, s, init)\n"
	"  local ok, ms = pcall(g.matches, g, s, init)\n"
	"  if not ok then return end\n"
	"  local prev = 1\n"
	"  for _, m in ipairs(ms) do\n"
	"    oracle(m.start >= prev and m.stop >= m.start and m.stop <= #s,\n"
	"           'gazetteer: match %d..%d (after %d) in %d bytes', m.start, m.stop, prev, #s)\n"
	"    oracle(m.name == s:sub(m.start, m.stop), 'gazetteer: name is not s:sub(start, stop)')\n"
	"    oracle(boundary(s, m.start) and boundary(s, m.stop + 1), 'gazetteer: match %d..%d splits a character',\n"
	"           m.start, m.stop)\n"
	"    oracle(m.key ~= nil, 'gazetteer: a match without its key')\n"
	"    prev = m.start\n"
	"  end\n"
	"end\n"
	"\n"
	"function D.gazetteer(path, bits, s, names, i)\n"
	"  local opts = {case = bits & 1 ~= 0 and 'sensitive' or 'insensitive',\n"
	"                diacritics = bits & 2 ~= 0 and 'insensitive' or 'sensitive',\n"
	"                whole_words = bits & 4 == 0, overlaps = bits & 8 ~= 0,\n"
	"                type = bits & 16 ~= 0 and 'T' or nil}\n"
	"  local list = {}\n"
	"  for line in names:gmatch('[^\\n]+') do\n"
	"    list[#list + 1] = #list % 2 == 0 and line or {line, type = 'X', value = #list, note = line}\n"
	"  end\n"
	"  for _, source in ipairs({path, list}) do\n"
	"    local ok, g = pcall(tm.gazetteer, source, opts)\n"
	"    if ok then\n"
	"      oracle(#g == g:size(), 'gazetteer: #g ~= g:size()')\n"
	"      tostring(g)\n"
	"      check_matches(g, s, 1)\n"
	"      check_matches(g, s, i)\n"
	"    end\n"
	"  end\n"
	"end\n"
	"\n"
	"function D.text(s, i)\n"
	"  local is_utf8 = valid(s)\n"
	"  local function accepted(ok, what, err)\n"
	"    oracle(ok or not is_utf8, '%s refused valid UTF-8: %s', what, tostring(err))\n"
	"    return ok\n"
	"  end\n"
	"  for _, form in ipairs({'NFC', 'NFD', 'NFKC', 'NFKD'}) do\n"
	"    local ok, n = pcall(tm.normalize, s, form)\n"
	"    if accepted(ok, form, n) then\n"
	"      oracle(valid(n), '%s: the result is not UTF-8', form)\n"
	"      local ok2, again = pcall(tm.normalize, n, form)\n"
	"      oracle(ok2 and again == n, '%s is not idempotent', form)\n"
	"    end\n"
	"  end\n"
	"  for _, name in ipairs({'fold', 'lower', 'upper'}) do\n"
	"    local ok, r = pcall(tm[name], s)\n"
	"    if accepted(ok, name, r) then oracle(valid(r), '%s: the result is not UTF-8', name) end\n"
	"  end\n"
	"  local ok, n = pcall(tm.len, s)\n"
	"  if accepted(ok, 'len', n) then oracle(n == utf8.len(s), 'len %d, utf8.len %d', n, utf8.len(s)) end\n"
	"  for _, k in ipairs({1, i, #s, #s + 1}) do\n"
	"    local ok2, up = pcall(tm.is_upper, s, k)\n"
	"    oracle(ok2 and type(up) == 'boolean', 'is_upper(s, %d) failed: %s', k, tostring(up))\n"
	"  end\n"
	"end\n"
	"\n"
	"function D.spans(bytes)\n"
	"  local list = {}\n"
	"  for k = 1, #bytes - 3, 4 do\n"
	"    local a, b, p, l = bytes:byte(k, k + 3)\n"
	"    list[#list + 1] = {start = a, stop = a + b % 16, priority = p % 5 - 2, layer = l % 3,\n"
	"                       order = l // 3 % 4, type = 'T' .. l % 2}\n"
	"  end\n"
	"  local grown = {}\n"
	"  local covers = tm.span_cover(grown)\n"
	"  for x = 1, #list do\n"
	"    grown[x] = list[x]\n"
	"    local s, e = list[x].start - x % 7, list[x].start + list[x].layer * 5 - 4\n"
	"    local walk = false\n"
	"    for _, y in ipairs(grown) do\n"
	"      if s <= e and y.start <= e and y.stop >= s then walk = true end\n"
	"    end\n"
	"    local okc, got = pcall(covers, s, e)\n"
	"    oracle(okc and got == walk, 'span_cover(%d, %d) after %d spans: %s', s, e, x, tostring(got))\n"
	"  end\n"
	"  local ok, kept = pcall(tm.resolve, list)\n"
	"  oracle(ok, 'resolve failed: %s', tostring(kept))\n"
	"  for x = 1, #kept do\n"
	"    if x > 1 then oracle(kept[x - 1].start <= kept[x].start, 'resolve: not in text order') end\n"
	"    for y = x + 1, #kept do\n"
	"      local a, b = kept[x], kept[y]\n"
	"      oracle(a.layer ~= b.layer or a.stop < b.start or b.stop < a.start,\n"
	"             'resolve kept %d..%d and %d..%d in one layer', a.start, a.stop, b.start, b.stop)\n"
	"    end\n"
	"  end\n"
	"  local ok2, sorted = pcall(tm.sort_spans, list)\n"
	"  oracle(ok2 and sorted == list, 'sort_spans failed: %s', tostring(sorted))\n"
	"  for x = 2, #list do\n"
	"    local a, b = list[x - 1], list[x]\n"
	"    oracle(a.start < b.start or (a.start == b.start and a.stop >= b.stop), 'sort_spans: out of order')\n"
	"  end\n"
	"end\n"
	"function D.engine(pat, text, lines, flags)\n"
	"  local entries = {}\n"
	"  for line in lines:gmatch('[^\\n]+') do\n"
	"    entries[#entries + 1] = { line, type = #entries % 2 == 0 and 'A' or 'B' }\n"
	"  end\n"
	"  local okg, lex = pcall(tm.gazetteer, entries,\n"
	"    { overlaps = true, case = flags % 2 == 1 and 'sensitive' or 'insensitive' })\n"
	"  if not okg then return end\n"
	"  local rules = {\n"
	"    { type = 'A', name = 'a', on = { 'A' }, cased = flags % 4 >= 2 },\n"
	"    { type = 'B', name = 'b', on = { 'B', 'N2' }, layer = 2, value = function(m) return m.text end },\n"
	"    { type = 'N', name = 'n', on = { 'NUM' }, shape = tm.regex('\\\\G[0-9]'),\n"
	"      not_after = tm.regex('\\\\G\\\\s*%'), layer = 3 },\n"
	"    { type = 'F', name = 'f', on = { 'NUM', 'N2' }, follows = { A = true }, layer = 6 },\n"
	"  }\n"
	"  local okr, re = pcall(tm.regex, pat)\n"
	"  local oka, anchored = pcall(tm.regex, '\\\\G(?:' .. pat .. ')')\n"
	"  if okr and oka then\n"
	"    rules[#rules + 1] = { type = 'R', name = 'r', on = { 'A', 'B' }, anchored = anchored, layer = 4 }\n"
	"    rules[#rules + 1] = { type = 'S', name = 's', regex = re, layer = 5 }\n"
	/* needs: the rule's own regex, so it runs wherever it finds anything */
	"    rules[#rules + 1] = { type = 'T', name = 't', regex = re, needs = re, layer = 8 }\n"
	"  end\n"
	/* args: what value() is handed must be what the view gives; the span it
	 * returns, the match's own, goes back through take_span */
	"  local okc, captured = pcall(tm.regex, '\\\\G(' .. pat .. ')')\n"
	"  if okc then\n"
	"    local names = { 'start', 'stop', 'text', 1, 'trigger.start', 'trigger.stop', 'trigger.text',\n"
	"                    'trigger.type' }\n"
	"    rules[#rules + 1] = { type = 'G', name = 'g', on = { 'A', 'B' }, anchored = captured, layer = 7,\n"
	"      args = names, value = function(m, _, _, ...)\n"
	"        local got = { ... }\n"
	"        for i, k in ipairs(names) do\n"
	"          local want\n"
	"          if type(k) == 'number' then want = m[k]\n"
	"          elseif k:find('^trigger%.') then want = m.trigger[k:sub(9)]\n"
	"          else want = m[k] end\n"
	"          oracle(got[i] == want, 'args: %s is %s, the match has %s', k, tostring(got[i]), tostring(want))\n"
	"        end\n"
	"        return got[3], nil, got[1], got[2]\n"
	"      end }\n"
	"  end\n"
	"  local e = tm.engine { rules = rules, lexicon = lex,\n"
	"    tokens = { { type = 'NUM', regex = tm.regex('[0-9]+') } },\n"
	"    retype = { { from = 'NUM', regex = tm.regex('\\\\G(?:[0-9]{2})\\\\z'), to = 'N2' } } }\n"
	"  local ok, err = pcall(e.begin, e, text)\n"
	"  oracle(ok == valid(text), 'begin: %s on %s UTF-8', tostring(err), valid(text) and 'valid' or 'invalid')\n"
	"  if not ok then return end\n"
	"  local okf, kept = pcall(e.find, e)\n"
	"  if not okf then\n"
	"    if type(kept) == 'table' then error(kept, 0) end -- a value()'s oracle\n"
	"    return\n"
	"  end\n"
	"  local all = e:find(nil, nil, true)\n"
	"  oracle(#kept <= #all, 'kept %d of %d candidates', #kept, #all)\n"
	/* find_by_type: find's candidates, grouped, each list in find's order */
	"  local byt, at, n = e:find_by_type(), {}, 0\n"
	"  for _, c in ipairs(kept) do\n"
	"    local i = (at[c.type] or 0) + 1\n"
	"    at[c.type] = i\n"
	"    local d = byt[c.type] and byt[c.type][i]\n"
	"    oracle(d and d.start == c.start and d.stop == c.stop and d.rule == c.rule,\n"
	"           'find_by_type: %s at %d is not item %d of its list', c.type, c.start, i)\n"
	"  end\n"
	"  for t, l in pairs(byt) do n = n + #l; oracle(#l == at[t], 'find_by_type: %d %s, not %d', #l, t, at[t] or 0) end\n"
	"  oracle(n == #kept, 'find_by_type: %d candidates, find %d', n, #kept)\n"
	/* each_scanned: scanned's matches, field by field */
	"  local sc, k = e:scanned(), 0\n"
	"  for s0, s1, v, a, cased, ty in e:each_scanned() do\n"
	"    k = k + 1\n"
	"    local m = sc[k]\n"
	"    oracle(m and m.start == s0 and m.stop == s1 and m.value == v and m.attrs == a and m.cased == cased\n"
	"           and m.type == ty, 'each_scanned: match %d differs from scanned', k)\n"
	"  end\n"
	"  oracle(k == #sc, 'each_scanned: %d matches, scanned %d', k, #sc)\n"
	"  local function boundary(k) return k > #text or (text:byte(k) & 0xC0) ~= 0x80 end\n"
	"  for x, c in ipairs(all) do\n"
	"    oracle(c.start >= 1 and c.start <= c.stop and c.stop <= #text, 'candidate %d..%d outside 1..%d',\n"
	"           c.start, c.stop, #text)\n"
	"    oracle(boundary(c.start) and boundary(c.stop + 1), 'candidate %d..%d cuts a character', c.start, c.stop)\n"
	"  end\n"
	"  for x = 1, #kept do\n"
	"    if x > 1 then oracle(kept[x - 1].start <= kept[x].start, 'find: not in text order') end\n"
	"    for y = x + 1, #kept do\n"
	"      local a, b = kept[x], kept[y]\n"
	/* (each rule's type is its layer's alone: a resolved candidate has no layer) */
	"      oracle(a.type ~= b.type or a.stop < b.start or b.stop < a.start,\n"
	"             'find kept %d..%d and %d..%d in one layer', a.start, a.stop, b.start, b.stop)\n"
	"    end\n"
	"  end\n"
	"  for _, m in ipairs(e:scanned()) do\n"
	"    local kind = { [m.type] = true }\n"
	"    local s = e:starting(m.start, kind)\n"
	"    oracle(s and s.start == m.start and s.stop >= m.stop, 'starting(%d) missed a match', m.start)\n"
	"    local t = e:ending(m.stop, kind)\n"
	"    oracle(t and t.stop == m.stop and t.start <= m.start, 'ending(%d) missed a match', m.stop)\n"
	"    oracle(e:first_start(m.start, m.start, kind) == m.start, 'first_start(%d) missed a match', m.start)\n"
	/* just_before / just_after: what ending / starting find across the spaces */
	"    local p = m.start - 1\n"
	"    while p > 0 and text:byte(p) == 32 do p = p - 1 end\n"
	"    local want = p < m.start - 1 and p > 0 and e:ending(p, kind) or nil\n"
	"    local jb = e:just_before(m.start, kind)\n"
	"    oracle((jb and jb.start) == (want and want.start) and (jb and jb.stop) == (want and want.stop),\n"
	"           'just_before(%d) differs from ending across the spaces', m.start)\n"
	"    local q = m.stop + 1\n"
	"    while text:byte(q) == 32 do q = q + 1 end\n"
	"    want = q > m.stop + 1 and q <= #text and e:starting(q, kind) or nil\n"
	"    local ja = e:just_after(m.stop, kind)\n"
	"    oracle((ja and ja.start) == (want and want.start) and (ja and ja.stop) == (want and want.stop),\n"
	"           'just_after(%d) differs from starting across the spaces', m.stop)\n"
	"    local c = e:covering(m.start, m.stop, kind)\n"
	"    oracle(not c or (c.start <= m.start and c.stop >= m.stop and c.stop - c.start > m.stop - m.start),\n"
	"           'covering(%d, %d) gave %d..%d', m.start, m.stop, c and c.start or 0, c and c.stop or 0)\n"
	"    local cs, ce = e:covering_span(m.start, m.stop, kind)\n"
	"    oracle(cs == (c and c.start) and ce == (c and c.stop), 'covering_span(%d, %d) differs from covering',\n"
	"           m.start, m.stop)\n"
	"  end\n"
	/* needs = regex: rule t finds what rule s finds */
	"  local s_found, t_found = {}, {}\n"
	"  for _, c in ipairs(all) do\n"
	"    if c.rule == 's' then s_found[#s_found + 1] = c.start .. '-' .. c.stop end\n"
	"    if c.rule == 't' then t_found[#t_found + 1] = c.start .. '-' .. c.stop end\n"
	"  end\n"
	"  oracle(table.concat(s_found, ' ') == table.concat(t_found, ' '), 'needs: %s, without it %s',\n"
	"         table.concat(t_found, ' '), table.concat(s_found, ' '))\n"
	/* the lookups bound to the engine answer as its methods, for any self */
	"  local bound = e:lookups()\n"
	"  for _, m in ipairs(sc) do\n"
	"    local kind = { [m.type] = true }\n"
	"    oracle(bound.first_start({}, 1, #text, kind) == e:first_start(1, #text, kind), 'lookups: first_start differs')\n"
	"    oracle(bound.starting_stop({}, m.start, kind) == e:starting_stop(m.start, kind), 'lookups: starting_stop differs')\n"
	"  end\n"
	"  for _, c in ipairs(all) do\n"
	"    if c.rule == 'f' then\n"
	"      oracle(e:just_before(c.start, { A = true }), 'follows kept %d..%d with no A before', c.start, c.stop)\n"
	"    end\n"
	"  end\n"
	"end\n"
	"local function set(words) local t = {}; for w in words:gmatch('%S+') do t[w] = true end; return t end\n"
	"local FOREIGN = { run = tm.regex([[\\G\\p{Lu}[a-z'\\-]+(?: \\p{Lu}[a-zA-Z'\\-]+){1,2}(?![\\p{L}\\p{M}\\-])]]),\n"
	"  not_after = tm.regex([[\\G\\s*(?:[0-9]|\\p{Lu}[\\p{Lu}0-9]+\\b)]]),\n"
	"  sentence_before = tm.regex([[(?:^|[.!?:;])\\s*$]]), plain_first = set('Theo Sau'),\n"
	"  thing_before = set('xe đội'), thing_words = set('City FC'), product_before = set('xe mẫu') }\n"
	"local FIND = tm.foreign_names(FOREIGN)\n"
	"local PLACE = { PLACE = true }\n"
	"local THING = tm.thing_before({ words = set('đường phố'), heads = set('bay'), unless = PLACE,\n"
	"  head = tm.regex([[(?i)(?:sân bay|số\\s+\\d+)\\s+$]]) })\n"
	"local LIST = tm.list_before({ ends = set('phố như'), start = tm.regex([[(?i:phố)(?: như)?:?\\s+(?:\\p{Lu}|$)]]),\n"
	"  list = tm.regex([[(?i:phố)(?: như)?:?\\s+(?:\\p{Lu}\\S*\\s*,\\s*)*$]]) })\n"
	"local CUT = tm.name_cutter({ lead = set('Tướng Ngài'), not_in_name = { TITLE = true }, suspect_set = set('FC'),\n"
	"  suspect_bytes = \"'-\", suspect_word = tm.regex([[FC|'s|-\\p{Lu}]]), date_ahead = tm.regex([=[ Ngày [0-9]]=]),\n"
	"  check_words = function(text, s, e)\n"
	"    if e <= s then return e end\n"
	"    e = e - 1\n"
	"    while e > s and (text:byte(e + 1) & 0xC0) == 0x80 do e = e - 1 end\n"
	"    return e\n"
	"  end })\n"
	"local DESCRIBE = tm.title_chains({ rank_kind = 'rank' })\n"
	"function D.names(text, lines, i, j)\n"
	"  local ok, starts, stops = pcall(FIND, text, function(s) return s % 2 == 0 end)\n"
	"  oracle(ok == valid(text), 'foreign_names: %s on %s UTF-8', tostring(starts), valid(text) and 'valid' or 'invalid')\n"
	"  if not ok then return end\n"
	"  local rs, re = tm.capital_runs(text, FOREIGN.run)\n"
	"  local runs, prev = {}, 0\n"
	"  for k = 1, #rs do runs[rs[k] .. '-' .. re[k]] = true end\n"
	"  for k = 1, #starts do\n"
	"    oracle(starts[k] > prev and runs[starts[k] .. '-' .. stops[k]], 'foreign_names: %d..%d is no run after %d',\n"
	"           starts[k], stops[k], prev)\n"
	"    prev = stops[k]\n"
	"  end\n"
	"  local entries = {}\n"
	"  for line in lines:gmatch('[^\\n]+') do\n"
	"    entries[#entries + 1] = { line, type = #entries % 2 == 0 and 'TITLE' or 'PLACE' }\n"
	"  end\n"
	"  local okg, lex = pcall(tm.gazetteer, entries, { overlaps = true })\n"
	"  if not okg then return end\n"
	"  local e = tm.engine({ rules = {}, lexicon = lex })\n"
	"  e:begin(text)\n"
	"  local cx = { engine = e, text = text }\n"
	"  for pos = 0, #text + 2 do\n"
	"    if boundary(text, pos) then\n"
	"      local okt, t = pcall(THING, cx, pos)\n"
	"      oracle(okt and type(t) == 'boolean', 'thing_before(%d): %s', pos, tostring(t))\n"
	"      local okl, l = pcall(LIST, cx, pos)\n"
	"      oracle(okl and type(l) == 'boolean', 'list_before(%d): %s', pos, tostring(l))\n"
	"    end\n"
	"  end\n"
	"  for _, s in ipairs({ 1, i % (#text + 2), j % (#text + 2) }) do\n"
	"    for _, stop in ipairs({ #text, s - 1, s + (j % 24) }) do\n"
	"      if s >= 1 and s <= #text + 1 and stop >= s - 1 and stop <= #text and boundary(text, s)\n"
	"          and boundary(text, stop + 1) then\n"
	"        local okc, a, b = pcall(CUT, cx, s, stop)\n"
	"        oracle(okc, 'name_cutter(%d, %d): %s', s, stop, tostring(a))\n"
	"        oracle(a == false or (a >= s and b <= stop and b >= a - 1 and boundary(text, a) and boundary(text, b + 1)),\n"
	"               'name_cutter(%d, %d) gave %s..%s', s, stop, tostring(a), tostring(b))\n"
	"      end\n"
	"    end\n"
	"  end\n"
	"  local titles, persons, texts = {}, {}, {}\n"
	"  for _, m in ipairs(lex:matches(text)) do\n"
	"    if m.type == 'TITLE' then\n"
	"      local n = #titles\n"
	"      titles[n + 1] = { start = m.start, stop = m.stop, value = m.value,\n"
	"        attrs = { kind = n % 3 == 0 and 'rank' or nil, org = n % 2 == 0 and 'O' .. n or nil } }\n"
	"      texts[text:sub(m.start, m.stop)] = true\n"
	"    end\n"
	"  end\n"
	"  for k = 1, #rs do persons[k] = { start = rs[k], stop = re[k], value = text:sub(rs[k], re[k]) } end\n"
	"  local okd, err = pcall(DESCRIBE, titles, persons, text)\n"
	"  oracle(okd, 'title_chains: %s', tostring(err))\n"
	"  for _, p in ipairs(persons) do\n"
	"    for _, x in ipairs(p.attrs.titles or {}) do oracle(texts[x], 'title_chains: %q is no title', x) end\n"
	"    oracle(p.attrs.org == nil or p.attrs.titles, 'title_chains: an org with no titles')\n"
	"  end\n"
	"end\n"
	"return D\n";

static lua_State *L;
static tml_state state; /* valid_text: the "document text" of the second regex run */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	L = luaL_newstate();
	luaL_openlibs(L);
	*(tml_state **)lua_getextraspace(L) = &state;
	if (luaL_loadstring(L, driver) || (tml_open(L), lua_pcall(L, 1, 1, 0))) {
		fprintf(stderr, "fuzz: driver: %s\n", lua_tostring(L, -1));
		exit(2);
	}
	lua_setfield(L, LUA_REGISTRYINDEX, "fuzz.driver");
	return 0;
}

/* Call D[fn] with the n values on top of the stack; an oracle's error is
 * a finding, any other (the module refusing bad input) is not. */
static void call(const char *fn, int n)
{
	lua_getfield(L, LUA_REGISTRYINDEX, "fuzz.driver");
	lua_getfield(L, -1, fn);
	lua_remove(L, -2);
	lua_insert(L, -n - 1);
	if (lua_pcall(L, n, 0, 0)) {
		if (lua_istable(L, -1)) {
			lua_getfield(L, -1, "oracle");
			FUZZ_CHECK(0, "%s: %s", fn, lua_tostring(L, -1));
		}
		fuzz_note("%s: %s", fn, lua_tostring(L, -1));
	}
	lua_settop(L, 0);
}

static void regex(const fuzz_fields *f, unsigned flags, int i, int j)
{
	char fl[8], *p = fl;
	static const char letters[] = "imsx";
	for (int k = 0; k < 4; k++)
		if (flags & (1u << k))
			*p++ = letters[k];
	if (flags & 0x80)
		*p++ = 'q'; /* not a flag: the error */
	*p = 0;
	for (int as_doc = 0; as_doc < 2; as_doc++) {
		lua_pushlstring(L, f->p[0], f->len[0]);
		lua_pushstring(L, fl);
		lua_pushlstring(L, f->p[1], f->len[1]);
		size_t len;
		const char *s = lua_tolstring(L, -1, &len);
		if (as_doc && !kit_utf8_valid(s, len)) {
			lua_settop(L, 0);
			return; /* the host hands over only text it has checked */
		}
		state.valid_text = as_doc ? s : NULL;
		state.valid_len = len;
		lua_pushlstring(L, f->p[2], f->len[2]);
		lua_pushinteger(L, i);
		lua_pushinteger(L, j);
		call("regex", 6); /* an argument, the subject stays at s during the call */
		state.valid_text = NULL;
	}
}

static void gazetteer(const fuzz_fields *f, unsigned flags, int i)
{
	const char *path = fuzz_write("g.tsv", f->p[0], f->len[0]);
	lua_pushstring(L, path);
	lua_pushinteger(L, flags);
	lua_pushlstring(L, f->p[1], f->len[1]);
	lua_pushlstring(L, f->p[2], f->len[2]);
	lua_pushinteger(L, i);
	call("gazetteer", 5);
}

/* The fold's map back to the input: offsets[k] is where output byte k
 * came from; nondecreasing, on a character of the input, and ending at
 * its length. */
static void fold_map(const char *s, size_t len)
{
	char *out = NULL;
	size_t out_len = 0, *map = NULL, err = 0;
	if (textops_fold(s, len, &out, &out_len, &map, &err) == TEXTOPS_OK) {
		FUZZ_CHECK(map[out_len] == len, "fold map ends at %zu, not %zu", map[out_len], len);
		for (size_t k = 0; k < out_len; k++) {
			FUZZ_CHECK(map[k] <= map[k + 1], "fold map goes back at %zu: %zu > %zu", k, map[k],
				   map[k + 1]);
			FUZZ_CHECK(map[k] < len && ((unsigned char)s[map[k]] & 0xC0) != 0x80,
				   "fold map: output byte %zu maps inside a character (%zu)", k, map[k]);
		}
	}
	free(out);
	free(map);
}

static void text(const fuzz_fields *f, int i)
{
	lua_pushlstring(L, f->p[0], f->len[0]);
	lua_pushinteger(L, i);
	call("text", 2);
	fold_map(f->p[0], f->len[0]);
}

/* The Lua value on top as JSON into out; 0, or -1 with the reason. */
static int encode(kit_buf *out, char *err, size_t errsz)
{
	out->len = 0;
	int rc = tml_json_encode(L, -1, out, err, errsz);
	lua_pop(L, 1);
	return rc;
}

static void json(const fuzz_fields *f)
{
	static kit_buf first, second, third;
	char err[256];
	const char *s = f->p[0];
	size_t len = f->len[0];
	int host_accepts = json_is_value(s, len);
	int pushed = tml_json_push(L, s, len) == 0;
	FUZZ_CHECK(pushed || !host_accepts, "JSON the host accepts does not reach Lua: %.*s", (int)len, s);
	if (!pushed)
		return;
	if (encode(&first, err, sizeof err)) {
		FUZZ_CHECK(!host_accepts || strstr(err, "infinite") || strstr(err, "NaN"),
			   "JSON the host accepts does not come back from Lua: %s", err);
		return;
	}
	FUZZ_CHECK(json_is_value(first.p, first.len), "Lua wrote JSON the host refuses: %.*s", (int)first.len,
		   first.p);
	/* Numbers may change form once (1.0 -> 1, -0 -> 0); after that the
	 * text is stable. */
	FUZZ_CHECK(tml_json_push(L, first.p, first.len) == 0, "Lua's own JSON does not read back");
	FUZZ_CHECK(encode(&second, err, sizeof err) == 0, "second encode: %s", err);
	FUZZ_CHECK(tml_json_push(L, second.p, second.len) == 0, "Lua's own JSON does not read back");
	FUZZ_CHECK(encode(&third, err, sizeof err) == 0, "third encode: %s", err);
	FUZZ_CHECK(second.len == third.len && !memcmp(second.p, third.p, second.len),
		   "JSON through Lua is not stable:\n  %.*s\n  %.*s", (int)second.len, second.p, (int)third.len,
		   third.p);
}

static void engine(const fuzz_fields *f, unsigned flags)
{
	lua_pushlstring(L, f->p[0], f->len[0]);
	lua_pushlstring(L, f->p[1], f->len[1]);
	lua_pushlstring(L, f->p[2], f->len[2]);
	lua_pushinteger(L, flags);
	call("engine", 4);
}

static void names(const fuzz_fields *f, int i, int j)
{
	lua_pushlstring(L, f->p[0], f->len[0]);
	lua_pushlstring(L, f->p[1], f->len[1]);
	lua_pushinteger(L, i);
	lua_pushinteger(L, j);
	call("names", 4);
}

static void spans(const fuzz_fields *f)
{
	lua_pushlstring(L, f->p[0], f->len[0]);
	call("spans", 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	unsigned op = data[0] % 7, flags = data[1];
	int i = (int8_t)data[2], j = (int8_t)data[3];
	fuzz_fields f;
	fuzz_split(data + 4, size - 4, 3, &f);
	switch (op) {
	case 0: regex(&f, flags, i, j); break;
	case 1: gazetteer(&f, flags, i); break;
	case 2: text(&f, i); break;
	case 3: json(&f); break;
	case 4: spans(&f); break;
	case 5: engine(&f, flags); break;
	default: names(&f, i, j); break;
	}
	lua_gc(L, LUA_GCCOLLECT, 0); /* each input's regexes and gazetteers go with it */
	return 0;
}
