/* test_names.c -- textmill.proper against the gsub it replaces in
 * persons.lua (each word's first character through textmill.upper). */
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

static Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("proper");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, proper_examples);
	tcase_add_test(tc, proper_every_code_point);
	tcase_add_test(tc, proper_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(names_suite()); }
