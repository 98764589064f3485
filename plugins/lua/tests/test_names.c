/* test_names.c -- textmill.proper against the gsub it replaces in
 * persons.lua (each word's first character through textmill.upper), and
 * textmill.words_in against a look-up of each word in Lua. */
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
	return s;
}

int main(void) { return run_suite(names_suite()); }
