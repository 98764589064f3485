/* test_capital_word.c -- textmill.capital_word_before against the regex it
 * replaces, compiled as textmill.regex compiles it and searched as test_in
 * searches a window: every code point in each place of the pattern (the
 * space before the word, its capital, its other characters, the space
 * after), random texts of the characters that matter, and the Lua call. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <check.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capital_word.h"
#include "lua_test.h"
#include "textops.h"
#include "tml_core.h"

static pcre2_code *code;
static pcre2_match_data *md;

static void compile_regex(void)
{
	int err;
	PCRE2_SIZE off;
	code = pcre2_compile((PCRE2_SPTR) "(?<!\\S)\\p{Lu}[^\\s,.;:!?()]* $", PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C, &err, &off, NULL);
	ck_assert_ptr_nonnull(code);
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* as textmill.regex does; faster over 5 million texts */
	md = pcre2_match_data_create_from_pattern(code, NULL);
}

/* The regex on the window from..to of s, narrowed as test_in narrows it;
 * -1 where PCRE2 refuses the subject (an empty window inside a character:
 * the callers never ask at such a position). */
static int by_regex(const char *s, size_t len, size_t from, size_t to)
{
	if (!textops_whole_chars(s, len, &from, &to)) /* as test_in does */
		return 0;
	int rc = pcre2_match(code, (PCRE2_SPTR)s, to, from, 0, md, NULL);
	if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
		return -1;
	ck_assert_msg(rc > 0 || rc == PCRE2_ERROR_NOMATCH, "pcre2_match: %d", rc);
	return rc > 0;
}

static void agree(const char *s, size_t len, size_t from, size_t to)
{
	size_t bad = 0;
	int a = tml_capital_word_before(s, len, from, to, &bad), b = by_regex(s, len, from, to);
	ck_assert_msg(a == b || b < 0, "%s [%zu, %zu): capital_word_before %d, regex %d", s, from, to, a, b);
}

static size_t put(char *p, uint32_t c)
{
	if (c < 0x80) {
		p[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		p[0] = (char)(0xC0 | c >> 6);
		p[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		p[0] = (char)(0xE0 | c >> 12);
		p[1] = (char)(0x80 | (c >> 6 & 0x3F));
		p[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | c >> 18);
	p[1] = (char)(0x80 | (c >> 12 & 0x3F));
	p[2] = (char)(0x80 | (c >> 6 & 0x3F));
	p[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* before .. c .. after, the whole text as the window (and, when asked,
 * the window from its second byte). */
static void around(const char *before, uint32_t c, const char *after, bool cut)
{
	char s[32];
	size_t n = strlen(before);
	memcpy(s, before, n);
	n += put(s + n, c);
	memcpy(s + n, after, strlen(after) + 1);
	n += strlen(after);
	agree(s, n, 0, n);
	if (cut)
		agree(s, n, 1, n); /* the word's start read before the window */
}

START_TEST(every_code_point)
{
	compile_regex();
	for (uint32_t c = 0; c < 0x110000; c++) {
		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		around("x", c, "Ab ", true);  /* a space (or not) before the word */
		around(" ", c, "b ", false);  /* its capital */
		around(" A", c, "b ", false); /* a character inside it */
		if (c < 0x3100) {
			around(" Ab", c, "", false);  /* the space after it */
			around(" Ab ", c, "", false); /* what may follow the space */
		}
	}
}
END_TEST

START_TEST(random_texts)
{
	compile_regex();
	static const uint32_t chars[] = {' ',   '\n',  '\r',   '\t',   '\v',  0xA0, 0x3000, 0x180E, 0x2028, 'A',
					 'Z',   'b',   'x',    '1',    ',',   '.',  '(',    ')',    '-',    '\'',
					 0x110, 0x111, 0x1EA0, 0x1EA1, 0x1C5, 0xC9, 0xE9,   0x391,  0x3B1,  0x1F600};
	char s[256];
	srand(15);
	for (int round = 0; round < 200000; round++) {
		size_t n = 0, k = (size_t)(rand() % 24);
		for (size_t i = 0; i < k; i++)
			n += put(s + n, chars[rand() % (int)(sizeof chars / sizeof chars[0])]);
		s[n] = 0;
		size_t to = (size_t)(rand() % (int)(n + 2)), from = (size_t)(rand() % (int)(to + 2));
		agree(s, n, from, to);
	}
}
END_TEST

static const char *LUA_CASES =
	"local re = textmill.regex([[(?<!\\S)\\p{Lu}[^\\s,.;:!?()]* $]])\n"
	"local texts = { 'tỷ phú Nga Putin', 'ông Đỗ Xuân Trường', 'Bà Triệu', 'quận Hai Bà Trưng',\n"
	"  'của Ukraine, Zelensky', '(Nga) Putin', ' Ab\\nX', string.rep('a', 50) .. ' Nguyễn Văn A' }\n"
	"for _, t in ipairs(texts) do\n"
	"  for pos = -1, #t + 2 do\n"
	"    for _, reach in ipairs{ 0, 1, 3, 8, 40 } do\n"
	"      local a, ok, b = textmill.capital_word_before(t, pos, reach), pcall(re.test_in, re, t, pos - reach, pos - 1)\n"
	"      if ok and a ~= b then error(('%q %d %d: %s against %s'):format(t, pos, reach, a, b)) end\n"
	"    end\n"
	"    local ok, b = pcall(re.test_in, re, t, pos - 40, pos - 1)\n"
	"    if ok and textmill.capital_word_before(t, pos) ~= b then error(t) end\n"
	"  end\n"
	"end\n"
	"assert(textmill.capital_word_before('tỷ phú Nga Putin', 15) == true)\n"
	"local ok, err = pcall(textmill.capital_word_before, 'A\\255b X', 5)\n"
	"assert(not ok and err:find('textmill.capital_word_before: invalid UTF-8 at byte 2', 1, true), err)\n"
	/* positions and reaches at the ends of the integers: no overflow (UBSan) */
	"local t, big, small = 'tỷ phú Nga Putin', math.maxinteger, math.mininteger\n"
	"assert(textmill.capital_word_before(t, small) == false and textmill.capital_word_before(t, 15, big) == true)\n"
	"assert(textmill.capital_word_before(t, big, big) == false and textmill.capital_word_before(t, 15, small) == false)\n";

START_TEST(from_lua)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	tml_capital_word_register(L);
	lua_pop(L, 1);
	run_lua(L, LUA_CASES);
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("capital_word");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_code_point);
	tcase_add_test(tc, random_texts);
	tcase_add_test(tc, from_lua);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
