/* test_names.c -- textmill.proper against the gsub it replaces in
 * persons.lua (each word's first character through textmill.upper),
 * textmill.words_in against a look-up of each word in Lua, and
 * textmill.name_cutter against persons.lua's clean_name in Lua. */
#include <check.h>
#include <stdlib.h>

#include "lua_test.h"

/* old(t, s, e): persons.lua's proper of t:sub(s, e); same(t, s, e): the
 * two agree (else an error naming both). */
static const char *PRELUDE =
	"function old(t, s, e)\n"
	"  return (t:sub(s, e):gsub('%S+', function(w)\n"
	"    local first = w:match('^[%z\\1-\\127\\194-\\244][\\128-\\191]*')\n"
	"    return textmill.upper(first) .. w:sub(#first + 1)\n"
	"  end))\n"
	"end\n"
	"function same(t, s, e)\n"
	"  s, e = s or 1, e or #t\n"
	"  local a, b = textmill.proper(t, s, e), old(t, s, e)\n"
	"  if a ~= b then error(('%q %d..%d: proper %q, gsub %q'):format(t, s, e, a, b), 2) end\n"
	"  return a\n"
	"end\n"
	"function words_old(t, s, e, set, bytes)\n"
	"  local span = t:sub(s, e)\n"
	"  for i = 1, #(bytes or '') do\n"
	"    if span:find(bytes:sub(i, i), 1, true) then return true end\n"
	"  end\n"
	"  for w in span:gmatch('%S+') do\n"
	"    if set[w] then return true end\n"
	"  end\n"
	"  return false\n"
	"end\n"
	"function eq(a, b) if a ~= b then error(('expected %q, got %q'):format(b, a), 2) end end\n";

static lua_State *names_lua(void)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_names_register(L);
	lua_pop(L, 1);
	run_lua(L, PRELUDE);
	return L;
}

START_TEST(proper_examples)
{
	lua_State *L = names_lua();
	run_lua(L, "eq(same('Đỗ Xuân trường'), 'Đỗ Xuân Trường')");
	run_lua(L, "eq(same('đỗ xuân trường'), 'Đỗ Xuân Trường')");
	/* unchanged: the same bytes; spaces of every kind kept; a span */
	run_lua(L, "eq(same('Lê  Văn\\tHùng\\n'), 'Lê  Văn\\tHùng\\n')");
	run_lua(L, "local t = 'ông lê văn hùng nói'\n"
		   "eq(same(t, 6, t:find(' nói') - 1), 'Lê Văn Hùng')");
	run_lua(L, "eq(same('ab cd', 3, 2), '')");
	run_lua(L, "eq(same(''), '')");
	/* a word starting inside a longer word of the text starts at s */
	run_lua(L, "eq(same('xanh lam', 2, 8), 'Anh Lam')");
	/* not a letter first; digraphs to their capital, not their title case */
	run_lua(L, "eq(same('(an) 3b -c ßa ǆx ǳ'), '(an) 3b -c ' .. textmill.upper('ß') .. 'a Ǆx Ǳ')");
	lua_close(L);
}
END_TEST

/* Every code point (but the surrogates) as the first character of a word,
 * alone, before a small letter and after a space: the capital
 * textmill.upper gives, including those NFC changes (U+0340, U+212B). */
START_TEST(proper_every_code_point)
{
	lua_State *L = names_lua();
	run_lua(L, "for cp = 0, 0x10FFFF do\n"
		   "  if cp < 0xD800 or cp > 0xDFFF then\n"
		   "    local c = utf8.char(cp)\n"
		   "    same('x ' .. c .. 'a' .. c, 3)\n"
		   "    same(c)\n"
		   "  end\n"
		   "end\n"
		   "eq(textmill.proper('\\u{212B}', 1, 3), '\\u{C5}')\n"
		   "eq(textmill.proper('\\u{340}', 1, 2), '\\u{300}')");
	lua_close(L);
}
END_TEST

START_TEST(proper_errors)
{
	lua_State *L = names_lua();
	run_lua(L, "local ok, err = pcall(textmill.proper, 'ab \\xC3 c', 1, 6)\n"
		   "assert(not ok and err:find('invalid UTF%-8 at byte 4'), err)\n"
		   "assert(not pcall(textmill.proper, 'abc', 0, 2))\n"
		   "assert(not pcall(textmill.proper, 'abc', 2, 4))\n"
		   "assert(not pcall(textmill.proper, 'abc', 3, 1))");
	lua_close(L);
}
END_TEST

START_TEST(words_in_examples)
{
	lua_State *L = names_lua();
	run_lua(L, "local set = { City = true, ['Tại'] = true, Off = false }\n"
		   "eq(textmill.words_in('Man City', 1, 8, set), true)\n"
		   "eq(textmill.words_in('Man City', 1, 7, set), false)\n"  /* Cit */
		   "eq(textmill.words_in('Man City,', 1, 9, set), false)\n" /* City, */
		   "eq(textmill.words_in('Lê Hoa Tại sân', 1, 13, set), true)\n"
		   "eq(textmill.words_in('Lê Hoa\\tTại', 8, 13, set), true)\n"
		   "eq(textmill.words_in('Mr Off', 1, 6, set), false)\n" /* a false value */
		   "eq(textmill.words_in('Kim Jong-un', 1, 11, set), false)\n"
		   "eq(textmill.words_in('Kim Jong-un', 1, 11, set, \"'-\"), true)\n"
		   "eq(textmill.words_in('Kim Jong-un', 1, 8, set, \"'-\"), false)\n"
		   "eq(textmill.words_in('', 1, 0, set, '-'), false)");
	lua_close(L);
}
END_TEST

/* Generated spans of words from a small vocabulary, with spaces of every
 * kind, hyphens and apostrophes, against the look-up in Lua. */
START_TEST(words_in_generated)
{
	lua_State *L = names_lua();
	run_lua(L,
		"local vocab = { 'City', 'Tại', 'Lê', 'Văn', 'Cup', 'x', \"'s\", 'Jong-un', 'Ủy', ',', 'Nam' }\n"
		"local seps = { ' ', '  ', '\\t', '\\n', '\\v', '\\f', '\\r', '' }\n"
		"local set = { City = true, ['Tại'] = true, ['Ủy'] = true }\n"
		"local seed = 7\n"
		"local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end\n"
		"for _ = 1, 3000 do\n"
		"  local parts = {}\n"
		"  for i = 1, rnd(6) do parts[#parts + 1] = vocab[rnd(#vocab)] .. seps[rnd(#seps)] end\n"
		"  local t = table.concat(parts)\n"
		"  local s = rnd(#t + 1); local e = s - 1 + rnd(#t - s + 2) - 1\n"
		"  for _, bytes in ipairs({ '', \"'-\", ',' }) do\n"
		"    local got, want = textmill.words_in(t, s, e, set, bytes), words_old(t, s, e, set, bytes)\n"
		"    if got ~= want then error(('%q %d..%d %q: words_in %s, Lua %s'):format(t, s, e, bytes, got, want)) end\n"
		"  end\n"
		"end");
	lua_close(L);
}
END_TEST

START_TEST(words_in_errors)
{
	lua_State *L = names_lua();
	run_lua(L, "assert(not pcall(textmill.words_in, 'abc', 1, 3))\n"
		   "assert(not pcall(textmill.words_in, 'abc', 0, 3, {}))\n"
		   "assert(not pcall(textmill.words_in, 'abc', 1, 4, {}))");
	lua_close(L);
}
END_TEST

/* CUT: a cutter of a small spec over a lexicon of titles and bodies;
 * clean(E, text, s, e): persons.lua's clean_name in Lua with the same
 * spec (E: the engine, begun on text); cut_same(E, text, s, e): the two
 * agree, as "s-e" or "false". */
static const char *CUTTER =
	"local byte, sub, match = string.byte, string.sub, string.match\n"
	"LEX = textmill.gazetteer({ {'Chủ tịch', type='TITLE'}, {'Bộ Quốc phòng', type='ORG'}, {'An', type='OTHER'} })\n"
	"function ENGINE(text)\n"
	"  local e = textmill.engine({ rules = {}, lexicon = LEX })\n"
	"  e:begin(text)\n"
	"  return e\n"
	"end\n"
	"local LEAD = { ['Tướng'] = true, ['Ngài'] = true }\n"
	"local NOT_IN_NAME = { TITLE = true, ORG = true }\n"
	"local SUSPECT_SET = { FC = true, ['Tại'] = true }\n"
	"local SUSPECT = textmill.regex([[(?<![\\p{L}\\p{M}])(?:FC|Tại)(?![\\p{L}\\p{M}])|'s(?![\\p{L}])|-\\p{Lu}]])\n"
	"local DATE_AHEAD = textmill.regex([=[ (?:Ngày|Sáng) [0-9]]=])\n"
	"local function check_words(text, s, e)\n"
	"  local name = sub(text, s, e)\n"
	"  if name:find('FC', 1, true) or name:find(\"'s\", 1, true) then return false end\n"
	"  local at = name:find(' Tại', 1, true)\n"
	"  return at and s + at - 2 or e\n"
	"end\n"
	"CUT = textmill.name_cutter({ lead = LEAD, not_in_name = NOT_IN_NAME, suspect_set = SUSPECT_SET,\n"
	"  suspect_bytes = \"'-\", suspect_word = SUSPECT, date_ahead = DATE_AHEAD, check_words = check_words })\n"
	"local function opens_quote(text, s, b)\n"
	"  return b == 34 or b == 39 or ((b == 0x9C or b == 0x98) and s > 3 and byte(text, s - 2) == 0x80 and byte(text, s - 3) == 0xE2)\n"
	"    or (b == 0xAB and s > 2 and byte(text, s - 2) == 0xC2)\n"
	"end\n"
	"local function closes_quote(c, c2, c3)\n"
	"  return c == 34 or c == 39 or (c == 0xE2 and c2 == 0x80 and (c3 == 0x9D or c3 == 0x99)) or (c == 0xC2 and c2 == 0xBB)\n"
	"end\n"
	"function clean(E, text, s, e)\n"
	"  local b, b2, b3 = byte(text, s, s + 2)\n"
	"  if (b == 84 and b2 == 0xC6) or (b == 78 and b3 == 0xC3) then\n"
	"    local lead = match(text, '^(%S+) ', s)\n"
	"    if LEAD[lead] and E:upper_at(s + #lead + 1) then s = s + #lead + 1 end\n"
	"    if s > e then return false end   -- (persons.lua raised an error here)\n"
	"  end\n"
	"  local cut = E:first_start(s, e, NOT_IN_NAME)\n"
	"  if cut == s then return false end\n"
	"  if cut then\n"
	"    e = cut - 1\n"
	"    while e > s and sub(text, e, e):match('[%s,]') do e = e - 1 end\n"
	"  end\n"
	"  local e0 = e\n"
	"  if textmill.words_in(text, s, e, SUSPECT_SET, \"'-\") and SUSPECT:test_in(text, s, e) then\n"
	"    e = check_words(text, s, e)\n"
	"  end\n"
	"  if not e then return false end\n"
	"  local before, b1\n"
	"  if s > 2 then before, b1 = byte(text, s - 2, s - 1) else before, b1 = byte(text, s - 2), byte(text, s - 1) end\n"
	"  local c1, c2, c3 = byte(text, e + 1, e + 3)\n"
	"  local after = c2\n"
	"  if e ~= e0 then after = byte(text, e0 + 2) end\n"
	"  if (b1 ~= 32 and opens_quote(text, s, b1) and closes_quote(c1, c2, c3))\n"
	"      or (b1 == 45 and before and before > 32)\n"
	"      or (c1 == 45 and after and after >= 48 and after <= 57) then\n"
	"    return false\n"
	"  end\n"
	"  if c1 == 32 and c2 and c2 >= 48 and c2 <= 57 then\n"
	"    local d = textmill.find_in(DATE_AHEAD, text, s, e + 2)\n"
	"    if d then e = d - 1 end\n"
	"  end\n"
	"  return s, e\n"
	"end\n"
	"local function show(s, e) return s and (s .. '-' .. e) or tostring(s) end\n"
	"function cut_same(E, text, s, e)\n"
	"  local a, b = show(CUT({ engine = E, text = text }, s, e)), show(clean(E, text, s, e))\n"
	"  if a ~= b then error(('%q %d..%d: cutter %s, clean_name %s'):format(text, s, e, a, b), 2) end\n"
	"  return a\n"
	"end\n";

static lua_State *cutter_lua(void)
{
	lua_State *L = names_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	tml_find_in_register(L);
	tml_engine_register(L);
	lua_pop(L, 1);
	run_lua(L, CUTTER);
	return L;
}

START_TEST(cutter_examples)
{
	lua_State *L = cutter_lua();
	run_lua(L,
		/* cut where a title starts, less the comma; a name that is one */
		"local t = 'ông Lê Văn Tám, Chủ tịch xã'\n"
		"local E = ENGINE(t)\n"
		"eq(cut_same(E, t, 6, #t), '6-18')\n"
		"eq(cut_same(E, t, 21, #t), 'false')\n"
		/* a lead word when a capital follows it */
		"t = 'Tướng David Goldfein và Tướng quân'\n"
		"E = ENGINE(t)\n"
		"eq(cut_same(E, t, 1, 20), '10-20')\n"
		"eq(cut_same(E, t, 26, #t), '26-' .. #t)\n"
		/* a suspect word: the club's name goes, an opener cuts */
		"t = 'Hà Nội FC thắng, Lê Văn Tám Tại đây'\n"
		"E = ENGINE(t)\n"
		"eq(cut_same(E, t, 1, 12), 'false')\n"
		"local s = t:find('Lê', 1, true)\n"
		"eq(cut_same(E, t, s, #t), s .. '-' .. t:find(' Tại', 1, true) - 1)\n"
		/* a title in quotes, a street glued by a hyphen, a code, a date after */
		"t = 'phim “Hoàng Tám” và Ông Ích Khiêm-Lê Duẩn, Su-35, Lê Văn Tám Ngày 5/6'\n"
		"E = ENGINE(t)\n"
		"eq(cut_same(E, t, 9, 8 + #'Hoàng Tám'), 'false')\n"
		"eq(cut_same(E, t, t:find('Lê Duẩn', 1, true), t:find('Lê Duẩn', 1, true) + 8), 'false')\n"
		"eq(cut_same(E, t, t:find('Su', 1, true), t:find('Su', 1, true) + 1), 'false')\n"
		"s = t:find('Lê Văn Tám', 1, true)\n"
		"eq(cut_same(E, t, s, #t - 4), s .. '-' .. s + 12)");
	lua_close(L);
}
END_TEST

START_TEST(cutter_generated)
{
	/* generated texts of name words, lead words, titles, suspect words,
	 * quotes, hyphens, digits and dates; spans at random character
	 * boundaries: the same answer as clean_name in Lua */
	lua_State *L = cutter_lua();
	run_lua(L,
		"local w = { 'Lê', 'Văn', 'Tám', 'An', 'Tướng', 'Ngài', 'David', 'Chủ tịch', 'Bộ Quốc phòng', 'FC',\n"
		"  'Tại', \"'s\", '“', '”', '\"', \"'\", '«', '»', '-', 'Su-35', '5', 'Ngày 5', 'Sáng 1', ',', 'x', 'Ông' }\n"
		"local sep = { ' ', ' ', ' ', '', ', ', '-', ' - ' }\n"
		"local seed = 3\n"
		"local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end\n"
		"local function at_char(t, i)\n"
		"  while i <= #t and t:byte(i) >= 128 and t:byte(i) < 192 do i = i + 1 end\n"
		"  return i\n"
		"end\n"
		"local cut, kept = 0, 0\n"
		"for round = 1, 400 do\n"
		"  local t = {}\n"
		"  for i = 1, 12 do t[#t + 1] = w[rnd(#w)]; t[#t + 1] = sep[rnd(#sep)] end\n"
		"  local text = table.concat(t)\n"
		"  local E = ENGINE(text)\n"
		"  for k = 1, 20 do\n"
		"    local s = at_char(text, rnd(#text))\n"
		"    local e = at_char(text, s + rnd(30)) - 1\n"
		"    if e > #text then e = #text end\n"
		"    local r = cut_same(E, text, s, e)\n"
		"    if r == 'false' then cut = cut + 1 else kept = kept + 1 end\n"
		"  end\n"
		"end\n"
		"assert(cut > 200 and kept > 2000, cut .. ' ' .. kept)");
	lua_close(L);
}
END_TEST

START_TEST(cutter_errors)
{
	lua_State *L = cutter_lua();
	run_lua(L, "local ok, err = pcall(textmill.name_cutter, { lead = {} })\n"
		   "eq(ok, false); assert(err:find('spec.not_in_name must be a table', 1, true), err)");
	run_lua(L, "local ok, err = pcall(CUT, { engine = textmill.engine({ rules = {}, lexicon = LEX }) }, 1, 1)\n"
		   "eq(ok, false); assert(err:find('no document', 1, true), err)");
	run_lua(L, "local E = ENGINE('Lê Văn')\n"
		   "assert(not pcall(CUT, { engine = E }, 0, 3))\n"
		   "assert(not pcall(CUT, { engine = E }, 1, 30))\n"
		   "assert(not pcall(CUT, {}, 1, 3))");
	/* check_words: an error goes through; an answer that is neither false
	 * nor a stop inside the name at the end of a character is one (2 ends
	 * inside the ê of Lê) */
	run_lua(L,
		"local t = 'Lê Văn FC'\n"
		"local E = ENGINE(t)\n"
		"local function cutter(check) return textmill.name_cutter({ lead = {}, not_in_name = {}, suspect_set = { FC = true },\n"
		"  suspect_bytes = '', suspect_word = textmill.regex('FC'), date_ahead = textmill.regex('x'), check_words = check }) end\n"
		"local ok, err = pcall(cutter(function() error('checked') end), { engine = E }, 1, #t)\n"
		"eq(ok, false); assert(err:find('checked', 1, true), err)\n"
		"for _, bad in ipairs({ true, 'x', #t + 1, -1, 2 }) do\n"
		"  ok, err = pcall(cutter(function() return bad end), { engine = E }, 1, #t)\n"
		"  eq(ok, false); assert(err:find('check_words gave', 1, true), err)\n"
		"end\n"
		"eq(select(2, cutter(function(_, s) return s + 2 end)({ engine = E }, 1, #t)), 3)\n"
		"eq(select(2, cutter(function(_, s) return s - 1 end)({ engine = E }, 1, #t)), 0)\n"
		"eq(cutter(function() return nil end)({ engine = E }, 1, #t), false)");
	lua_close(L);
}
END_TEST

static Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("proper");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, proper_examples);
	tcase_add_test(tc, proper_every_code_point);
	tcase_add_test(tc, proper_errors);
	suite_add_tcase(s, tc);
	TCase *tw = tcase_create("words_in");
	tcase_add_test(tw, words_in_examples);
	tcase_add_test(tw, words_in_generated);
	tcase_add_test(tw, words_in_errors);
	suite_add_tcase(s, tw);
	TCase *tc2 = tcase_create("name_cutter");
	tcase_add_test(tc2, cutter_examples);
	tcase_add_test(tc2, cutter_generated);
	tcase_add_test(tc2, cutter_errors);
	suite_add_tcase(s, tc2);
	return s;
}

int main(void) { return run_suite(names_suite()); }
