/* test_occurrences.c -- textmill.occurrences: whole-word occurrences (or,
 * with words = false, every one) of a few names, in text order, against
 * the string.find loop it replaces. */
#include <check.h>
#include <stdlib.h>

#include "lua_test.h"

/* show: the occurrences as "start-stop:which" joined by spaces; slow: the
 * same by string.find in Lua, sorted by start, the longer first, then the
 * index (the loop persons.lua had). */
static const char *PRELUDE =
	"function show(starts, stops, which)\n"
	"  assert(#starts == #stops and #stops == #which)\n"
	"  local t = {}\n"
	"  for i = 1, #starts do t[i] = starts[i] .. '-' .. stops[i] .. ':' .. which[i] end\n"
	"  return table.concat(t, ' ')\n"
	"end\n"
	"local function word_byte(b) return b and (b >= 128 or string.char(b):find('%w') ~= nil) end\n"
	"function slow(text, names, from, skip, any)\n"
	"  local seen = {}\n"
	"  for i, name in ipairs(names) do\n"
	"    local init = from and from[i] or 1\n"
	"    while true do\n"
	"      local s, e = text:find(name, init, true)\n"
	"      if not s then break end\n"
	"      local hit = false\n"
	"      for _, list in ipairs(skip or {}) do\n"
	"        for _, x in ipairs(list) do hit = hit or (x.start <= e and s <= x.stop) end\n"
	"      end\n"
	"      if (any or not word_byte(text:byte(s - 1)) and not word_byte(text:byte(e + 1))) and not hit then\n"
	"        seen[#seen + 1] = { s, e, i }\n"
	"      end\n"
	"      init = e + 1\n"
	"    end\n"
	"  end\n"
	"  table.sort(seen, function(a, b)\n"
	"    if a[1] ~= b[1] then return a[1] < b[1] end\n"
	"    if a[2] ~= b[2] then return a[2] > b[2] end\n"
	"    return a[3] < b[3]\n"
	"  end)\n"
	"  local t = {}\n"
	"  for i, x in ipairs(seen) do t[i] = x[1] .. '-' .. x[2] .. ':' .. x[3] end\n"
	"  return table.concat(t, ' ')\n"
	"end\n"
	/* occ: show() of textmill.occurrences, checked to be the same when
	 * names are many (one pass over the text) as when few (a search per
	 * name): names no text holds are added after them, more than the 24
	 * searched one by one */
	"function occ(text, names, opts)\n"
	"  local few = show(textmill.occurrences(text, names, opts))\n"
	"  local many, from = {}, opts and opts.from and {} or nil\n"
	"  for i = 1, #names do many[i] = names[i]; if from then from[i] = opts.from[i] end end\n"
	"  for i = 1, 25 do many[#many + 1] = '\\1' .. i end\n"
	"  local o = { from = from, skip = opts and opts.skip, words = opts and opts.words }\n"
	"  local all = show(textmill.occurrences(text, many, o))\n"
	"  if all ~= few then error(('one pass %q, a search per name %q'):format(all, few), 2) end\n"
	"  return few\n"
	"end\n"
	"function eq(a, b) if a ~= b then error(('expected %q, got %q'):format(b, a), 2) end end\n";

static lua_State *occ_lua(void)
{
	lua_State *L = new_lua();
	run_lua(L, PRELUDE);
	return L;
}

START_TEST(whole_words_in_text_order)
{
	lua_State *L = occ_lua();
	/* not inside a word (Anh in Thanh, Lê in Lêna), nor next to a digit or
	 * a byte of a Vietnamese letter; the longer first at one start */
	run_lua(L, "local t = 'Lê Anh Tuấn. Thanh Anh, Lêna Anh7 Lê Anh Tuấn và Anh'\n"
		   "eq(occ(t, { 'Anh', 'Lê Anh Tuấn', 'Lê' }),"
		   "   '1-14:2 1-3:3 5-7:1 23-25:1 39-52:2 39-41:3 43-45:1 58-60:1')");
	/* a byte of a character of several bytes right before is a word's */
	run_lua(L, "eq(occ('ếAnh Anh', { 'Anh' }), '8-10:1')");
	/* words = false: inside words too (Anh in LêAnh), as string.find gives them */
	run_lua(L, "eq(occ('LêAnh Anh', { 'Anh' }, { words = false }), '4-6:1 8-10:1')");
	run_lua(L, "eq(occ('', { 'Anh' }), '')");
	run_lua(L, "eq(occ('Anh', {}), '')");
	lua_close(L);
}
END_TEST

START_TEST(ties_keep_the_order_of_names)
{
	lua_State *L = occ_lua();
	/* the same word twice: equal spans in the order of names */
	run_lua(L, "eq(occ('Jaidee x Jaidee', { 'Jaidee', 'x', 'Jaidee' }),"
		   "   '1-6:1 1-6:3 8-8:2 10-15:1 10-15:3')");
	run_lua(L, "eq(occ('Jaidee x Jaidee', { 'Jaidee', 'Jaidee' }), '1-6:1 1-6:2 10-15:1 10-15:2')");
	run_lua(L, "eq(occ('An Anh An', { 'An', 'An Anh' }), '1-6:2 1-2:1 8-9:1')");
	lua_close(L);
}
END_TEST

START_TEST(from_and_overlapping_matches)
{
	lua_State *L = occ_lua();
	/* from: a name is sought from that byte on */
	run_lua(L, "local t = 'Hùng x Lê Hùng y Hùng'\n"
		   "eq(occ(t, { 'Hùng', 'Lê Hùng' }, { from = { 10 } }), '9-17:2 13-17:1 21-25:1')");
	/* as string.find from past each match: a match that overlaps the
	 * name's previous one is not found, even when that one was inside a
	 * word; another name's is */
	run_lua(L, "local t = 'xAn An An An'\n"
		   "eq(occ(t, { 'An An' }), '8-12:1')\n"
		   "eq(occ(t, { 'An An' }), slow(t, { 'An An' }))");
	lua_close(L);
}
END_TEST

START_TEST(skip_lists)
{
	lua_State *L = occ_lua();
	/* an occurrence sharing a byte with a span of a skip list is left out;
	 * spans of several lists, overlapping and out of order, and spans
	 * outside the text */
	run_lua(L, "local t = 'Nam Định và Nam, Nam Anh; Nam'\n"
		   "local skip = { { {start=1, stop=9}, {start=2, stop=3} },\n"
		   "  { {start=24, stop=25}, {start=19, stop=20}, {start=90, stop=99} } }\n"
		   "eq(occ(t, { 'Nam' }, { skip = skip }), '31-33:1')\n"
		   "skip[2][1].start = 25   -- now the byte after 22-24 only\n"
		   "eq(occ(t, { 'Nam' }, { skip = skip }), '22-24:1 31-33:1')\n"
		   "eq(occ(t, { 'Nam' }, { skip = { {}, {} } }), '1-3:1 17-19:1 22-24:1 31-33:1')\n"
		   /* a span's fields are read as lua_getfield would, __index included */
		   "local span = setmetatable({}, { __index = { start = 17, stop = 19 } })\n"
		   "eq(occ(t, { 'Nam' }, { skip = { { span } } }), '1-3:1 22-24:1 31-33:1')");
	lua_close(L);
}
END_TEST

START_TEST(same_as_the_lua_loop)
{
	lua_State *L = occ_lua();
	/* generated text of a few syllables, many names, from and skip: the
	 * same list as the string.find loop, sorted */
	run_lua(L,
		"local syl = { 'An', 'Anh', 'Lê', 'Lê An', 'Tuấn', 'x', 'ế', '7', ',', 'An An' }\n"
		"local seed = 7\n"
		"local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end\n"
		"for round = 1, 200 do\n"
		"  local w = {}\n"
		"  for i = 1, 40 do w[i] = syl[rnd(#syl)] end\n"
		"  local t = table.concat(w, rnd(3) == 1 and '' or ' ')\n"
		"  local names, from = {}, {}\n"
		"  for i = 1, rnd(12) do names[i] = syl[rnd(#syl)]; from[i] = rnd(4) == 1 and rnd(#t + 2) or nil end\n"
		"  local s = rnd(#t); local skip = { { {start = s, stop = s + rnd(9)} } }\n"
		"  local any = round % 2 == 0  -- words = false: inside words too\n"
		"  eq(occ(t, names, { from = from, skip = skip, words = not any }), slow(t, names, from, skip, any))\n"
		"end");
	lua_close(L);
}
END_TEST

START_TEST(near_misses_and_ends)
{
	lua_State *L = occ_lua();
	/* a name's first byte found where the rest differs, a match as the
	 * text's first or last bytes, the name the whole text */
	run_lua(L, "eq(occ('ab aab a', { 'ab' }), '1-2:1')\n"
		   "eq(occ('aa ab', { 'ab' }), '4-5:1')\n"
		   "eq(occ('ab', { 'ab' }), '1-2:1')\n"
		   "eq(occ('ba a', { 'a' }), '4-4:1')\n"
		   "eq(occ('a ba', { 'ab', 'a' }), '1-1:2')\n"
		   "eq(occ('ấ ế', { 'ế' }), '5-7:1')\n"
		   "eq(occ('ấ ế', { 'ấ', 'ế' }, { from = { 2, 5 } }), '5-7:2')");
	/* random texts of letters of one, two and three bytes (ấ and ế share
	 * their first two), names cut from the text or made up, from, and skip
	 * spans touching, covering and nested: the same as the Lua loop */
	run_lua(L, "local syl = { 'a', 'b', ' ', 'Đ', 'ấ', 'ế', 'ab', 'aấ' }\n"
		   "local seed = 11\n"
		   "local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end\n"
		   "for round = 1, 400 do\n"
		   "  local w = {}\n"
		   "  for i = 1, rnd(30) - 1 do w[i] = syl[rnd(#syl)] end\n"
		   "  local t = table.concat(w)\n"
		   "  local names, from = {}, {}\n"
		   "  for i = 1, rnd(10) do\n"
		   "    if #t > 0 and rnd(3) > 1 then\n"
		   "      local s = rnd(#t); names[i] = t:sub(s, s + rnd(7) - 1)\n"
		   "    else\n"
		   "      names[i] = syl[rnd(#syl)] .. (rnd(2) == 1 and syl[rnd(#syl)] or '')\n"
		   "    end\n"
		   "    from[i] = rnd(4) == 1 and rnd(#t + 2) or nil\n"
		   "  end\n"
		   "  local skip = { {}, {} }\n"
		   "  for k = 1, rnd(4) - 1 do\n"
		   "    local s = rnd(#t + 1); local e = s + rnd(6) - 2\n"
		   "    table.insert(skip[rnd(2)], { start = s, stop = e })\n"
		   "    if rnd(2) == 1 then table.insert(skip[rnd(2)], { start = e + 1, stop = e + rnd(3) }) end\n"
		   "    if rnd(2) == 1 then table.insert(skip[rnd(2)], { start = s + 1, stop = e - 1 }) end\n"
		   "  end\n"
		   "  eq(occ(t, names, { from = from, skip = skip }), slow(t, names, from, skip))\n"
		   "end");
	lua_close(L);
}
END_TEST

START_TEST(errors)
{
	lua_State *L = occ_lua();
	run_lua(L, "local ok, err = pcall(textmill.occurrences, 'x', { 'a', '' })\n"
		   "eq(ok, false); assert(err:find('textmill.occurrences: name 2 is empty', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.occurrences, 'x', { 'a', 5 })\n"
		   "eq(ok, false); assert(err:find('name 2 is not a string', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.occurrences, 'x', { 'a' }, { skip = { { {start = 1} } } })\n"
		   "eq(ok, false); assert(err:find('skip list 1, span 1: stop must be an integer', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.occurrences, 'x', { 'a' }, { from = { 'one' } })\n"
		   "eq(ok, false); assert(err:find('from[1] must be an integer', 1, true), err)");
	/* a wrong type anywhere is named as what it is, not as an argument number */
	run_lua(L,
		"local function fails(want, ...)\n"
		"  local ok, err = pcall(textmill.occurrences, ...)\n"
		"  eq(ok, false); assert(err:find(want, 1, true), err)\n"
		"end\n"
		"fails('textmill.occurrences: opts.from must be a table, not number', 'x', { 'a' }, { from = 1 })\n"
		"fails('textmill.occurrences: opts.skip must be a table, not string', 'x', { 'a' }, { skip = 'no' })\n"
		"fails('skip list 2 is not a table', 'x', { 'a' }, { skip = { {}, 3 } })\n"
		"fails('skip list 1, span 2 is not a table', 'x', { 'a' }, { skip = { { {start=1, stop=1}, true } } })\n"
		"fails('skip list 2, span 1: start must be an integer', 'x', { 'a' }, { skip = { {}, { {stop=1} } } })\n"
		"fails('textmill.occurrences: opts.words must be a boolean, not number', 'x', { 'a' }, { words = 0 })\n"
		"fails('bad argument #2', 'x', 'a')\n"
		"fails('bad argument #3', 'x', { 'a' }, 7)\n"
		"fails('bad argument #1', nil, { 'a' })");
	/* bytes, not characters: text that is not UTF-8 is searched too, a byte
	 * above 127 counting as a word's */
	run_lua(L, "eq(occ('a \\255a a', { 'a' }), '1-1:1 6-6:1')");
	/* an empty text, no names, a name longer than the text, alone and
	 * among enough names for the pass: nothing found */
	run_lua(L,
		"local many = { 'abc' }\n"
		"for i = 1, 25 do many[i + 1] = string.char(96 + i) end\n"
		"for _, call in ipairs { { '', { 'a' } }, { 'abc', {} }, { 'ab', { 'abc' } }, { 'ab', many } } do\n"
		"  local s, e, w = textmill.occurrences(call[1], call[2])\n"
		"  eq(#s + #e + #w, 0)\n"
		"end");
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("occurrences");
	TCase *tc = tcase_create("occurrences");
	tcase_add_test(tc, whole_words_in_text_order);
	tcase_add_test(tc, ties_keep_the_order_of_names);
	tcase_add_test(tc, from_and_overlapping_matches);
	tcase_add_test(tc, skip_lists);
	tcase_add_test(tc, same_as_the_lua_loop);
	tcase_add_test(tc, near_misses_and_ends);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
