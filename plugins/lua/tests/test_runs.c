/* test_runs.c -- textmill.capital_runs: the matches of an anchored regex
 * where two capitalised words start, against gmatch of the same pattern
 * unanchored (what names.lua ran before). */
#include <check.h>
#include <stdlib.h>

#include "lua_test.h"
#include "tml_core.h"

/* FOREIGN: the foreign-name run of names.lua, anchored and not; runs(t):
 * capital_runs as "start-stop" joined by spaces, checked to be gmatch's. */
static const char *PRELUDE =
	"local body = [[\\p{Lu}(?<![\\p{L}\\p{M}\\-]\\p{Lu})[a-z'\\-]+(?: \\p{Lu}[a-zA-Z'\\-]+){1,2}(?![\\p{L}\\p{M}\\-])]]\n"
	"FOREIGN = textmill.regex([[\\G]] .. body)\n"
	"local unanchored = textmill.regex(body)\n"
	"function runs(t, init)\n"
	"  local starts, stops = textmill.capital_runs(t, FOREIGN, init)\n"
	"  assert(#starts == #stops)\n"
	"  local got, want = {}, {}\n"
	"  for i = 1, #starts do got[i] = starts[i] .. '-' .. stops[i] end\n"
	"  for s, e in unanchored:gmatch(t, init) do want[#want + 1] = s .. '-' .. e end\n"
	"  got, want = table.concat(got, ' '), table.concat(want, ' ')\n"
	"  if got ~= want then error(('text %q: capital_runs %q, gmatch %q'):format(t, got, want), 2) end\n"
	"  return got\n"
	"end\n"
	"function eq(a, b) if a ~= b then error(('expected %q, got %q'):format(b, a), 2) end end\n";

static tml_state doc_state;

static lua_State *runs_lua(void)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	tml_runs_register(L);
	lua_pop(L, 1);
	run_lua(L, PRELUDE);
	return L;
}

START_TEST(runs_in_text_order)
{
	lua_State *L = runs_lua();
	/* two and three words; not Hà Nội (a capital, then a letter of
	 * several bytes), not a lone capital (Joe R Biden), not after a
	 * letter or a hyphen (xJohn, -Kim), the longest run */
	run_lua(L, "eq(runs('Theo Donald Trump, Hà Nội và Joe R Biden; xJohn Smith, -Kim Jong-un Moon Jae-in'),"
		   "   '1-17 65-83')");
	/* a capital of several bytes opens the second word; a match cut
	 * before an apostrophe after backtracking */
	run_lua(L, "eq(runs('Ab Ébc x Ab Cd\\'ư Ab Cd\\'x'), '1-7 11-15 20-26')");
	/* from init on, at the text's end, in empty text */
	run_lua(L, "eq(runs('Joe Biden và Joe Biden', 2), '15-23')");
	run_lua(L, "eq(runs('Joe Bi'), '1-6')");
	run_lua(L, "eq(runs('Jo B'), '')");
	run_lua(L, "eq(runs(''), '')");
	lua_close(L);
}
END_TEST

START_TEST(same_as_gmatch)
{
	lua_State *L = runs_lua();
	/* generated text of capitalised and other words, in plain and
	 * Vietnamese letters, joined by spaces or nothing: the same matches as
	 * the unanchored pattern's gmatch, from several starts */
	run_lua(L,
		"local w = { 'Donald', 'Trump', 'Hà', 'Nội', 'Việt', 'Đi', 'al-Baghdadi', \"O'Neil\", 'x', 'Jong-un',\n"
		"  'ABC', 'Ông', 'É', ',', '.', 'Ab', 'Ébc', '-', 'Kim', 'A', 'de', 'ư',\n"
		/* the bytes around the capitals' bounds: @ [ Z z and \xC0 \xBF ends */
		"  'Zed', 'Zo', '@b', '[c', 'zed', 'Ạnh', 'ạ', 'Àb', '!', '\t' }\n"
		"local seed = 11\n"
		"local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end\n"
		"for round = 1, 300 do\n"
		"  local t = {}\n"
		"  for i = 1, 30 do t[i] = w[rnd(#w)] end\n"
		"  local text = table.concat(t, rnd(4) == 1 and '' or ' ')\n"
		"  local i = rnd(#text + 1)   -- a start at a character\n"
		"  while i <= #text and text:byte(i) >= 128 and text:byte(i) < 192 do i = i + 1 end\n"
		"  runs(text); runs(text, i)\n"
		"end");
	lua_close(L);
}
END_TEST

START_TEST(capitals_of_several_bytes)
{
	/* every character of the blocks whose small letters the call tells
	 * apart (Latin-1, Latin Extended-A and -B, Latin Extended Additional)
	 * that PCRE2 takes for a capital is tried, first and second */
	lua_State *L = runs_lua();
	run_lua(L, "local two = textmill.regex([[\\G\\p{Lu}[a-z]+ \\p{Lu}[a-z]+]])\n"
		   "local cap = textmill.regex([[^\\p{Lu}$]])\n"
		   "local n = 0\n"
		   "for _, block in ipairs({ { 0xC0, 0x24F }, { 0x1E00, 0x1EFF } }) do\n"
		   "  for cp = block[1], block[2] do\n"
		   "    local ch = utf8.char(cp)\n"
		   "    local want = cap:test(ch) and 1 or 0\n"
		   "    n = n + want\n"
		   "    local s1 = textmill.capital_runs(ch .. 'ab Cd', two)\n"
		   "    local s2 = textmill.capital_runs('Ab ' .. ch .. 'cd', two)\n"
		   "    if #s1 ~= want or #s2 ~= want then\n"
		   "      error(('U+%04X: a capital %d, found first %d, second %d'):format(cp, want, #s1, #s2))\n"
		   "    end\n"
		   "  end\n"
		   "end\n"
		   "assert(n > 300, n)");
	lua_close(L);
}
END_TEST

START_TEST(small_words)
{
	/* a word of small letters, and nothing else; every character the call
	 * takes for a small letter is one for PCRE2 (\p{Ll}), and the small
	 * letters of Vietnamese are all known */
	lua_State *L = runs_lua();
	run_lua(L,
		"for _, w in ipairs({ 'ông', 'đường', 'của', 'ư', 'nghiêng', 'ỹ', 'ß' }) do\n"
		"  assert(textmill.small_word(w), w)\n"
		"end\n"
		"for _, w in ipairs({ '', 'Ông', 'ôNg', 'a1', 'a b', 'phố\\u{A0}', 'a\\u{2013}', 'a÷', 'α', 'Ạ', 'x-y',\n"
		"                     '\\xC3', '\\xE1\\xBA', '\\xC3(', 'à\\xA0', '\\xE1\\xBB(' }) do\n"
		"  assert(not textmill.small_word(w), w)\n"
		"end\n"
		"local small = textmill.regex([[^\\p{Ll}$]])\n"
		"for _, block in ipairs({ { 0x61, 0x7A }, { 0xC0, 0x24F }, { 0x1E00, 0x1EFF } }) do\n"
		"  for cp = block[1], block[2] do\n"
		"    local ch = utf8.char(cp)\n"
		"    if textmill.small_word(ch) and not small:test(ch) then error(('U+%04X is no small letter'):format(cp)) end\n"
		"  end\n"
		"end\n"
		"local vn = 'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ'\n"
		"assert(textmill.small_word(vn))");
	lua_close(L);
}
END_TEST

START_TEST(document_text)
{
	/* the document's text (checked by the host) is not checked again:
	 * the same answer */
	lua_State *L = runs_lua();
	*(tml_state **)lua_getextraspace(L) = &doc_state;
	lua_pushstring(L, "Bà Angela Merkel nói với Tổng thống Emmanuel Macron");
	size_t len;
	doc_state.valid_text = lua_tolstring(L, -1, &len);
	doc_state.valid_len = len;
	lua_setglobal(L, "doc_text");
	run_lua(L, "eq(runs(doc_text), '5-17 45-59')");
	lua_close(L);
}
END_TEST

START_TEST(errors)
{
	lua_State *L = runs_lua();
	run_lua(L,
		"local ok, err = pcall(textmill.capital_runs, 'Ab Cd', textmill.regex('Ab'))\n"
		"eq(ok, false); assert(err:find('textmill.capital_runs: regex Ab is not anchored', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.capital_runs, 'Ab \\255Cd', FOREIGN)\n"
		   "eq(ok, false); assert(err:find('textmill.capital_runs: invalid UTF-8 at byte 4', 1, true), err)");
	run_lua(L, "local ok, err = pcall(textmill.capital_runs, 'Ab Cd', 'Ab')\n"
		   "eq(ok, false)");
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("runs");
	TCase *tc = tcase_create("runs");
	tcase_add_test(tc, runs_in_text_order);
	tcase_add_test(tc, same_as_gmatch);
	tcase_add_test(tc, capitals_of_several_bytes);
	tcase_add_test(tc, small_words);
	tcase_add_test(tc, document_text);
	tcase_add_test(tc, errors);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
