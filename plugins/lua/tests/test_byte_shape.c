/* test_byte_shape.c -- the engine's shapes tested without PCRE2
 * (byte_shape.c) answer as PCRE2 does on every short text, and the
 * patterns they cannot read are left to PCRE2. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <check.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "byte_shape.h"
#include "lua_test.h"
#include "tml_core.h"

/* What rules.lua makes of the pack's shapes and of other Lua patterns. */
static const char *const READ[] = {
	"\\G[0-9][0-9]?\\z",                           /* ^%d%d?$ */
	"\\G[0-9][0-9]?[/.-][0-9][0-9]?\\z",           /* ^%d%d?[/.-]%d%d?$ */
	"\\G[0-9][0-9]?/?[0-9]*\\z",                   /* ^%d%d?/?%d*$ */
	"\\G[0-9][0-9][0-9][0-9]\\-?[0-9]*\\z",        /* ^%d%d%d%d%-?%d*$ */
	"\\G[0-9]+/[0-9]+\\z",                         /* ^%d+/%d+$ */
	"\\G[A-Za-z]*?[0-9]\\z",                       /* ^%a-%d$ */
	"\\G[!-/:-@\\[-`{-~][\\t\\n\\x0b\\f\\r ]+\\z", /* ^%p%s+$, %s as ASCII */
	"\\G[\\x00-\\x1f\\x7f]?a\\.\\z",               /* ^%c?a%.$ */
	"\\G[/\\-]a:\\z",
	"\\G(?:[0-9])\\z", /* one group round it all */
	"\\G[0-9]{2}\\z",  /* counted repeats */
	"\\G(?:a{2,}[0-9]{0,2}?)\\z",
};

/* The engine's retype regexes (context.lua's number shapes, as rules.lua
 * wraps them), over texts of digits and separators long enough for each
 * to match (fewer separators for the longest). */
static const struct {
	const char *pattern;
	int max;
	const char *alphabet;
} RETYPE[] = {
	{"\\G(?:[0-9]{1,2}[/.\\-][0-9]{1,2}[/.\\-][0-9]{4})\\z", 8, "1/-."},
	{"\\G(?:[0-9]{1,2}-[0-9]{1,2}/[0-9]{1,2}/?[0-9]*)\\z", 7, "1/-.:"},
	{"\\G(?:[0-9]{1,2}[/\\-][0-9]{1,2})\\z", 7, "1/-.:"},
	{"\\G(?:[0-9]{1,2}/[0-9]{4})\\z", 7, "1/-.:"},
	{"\\G(?:[0-9]{1,2}:[0-9]{2})\\z", 7, "1/-.:"},
	{"\\G(?:[0-9]{4}-[0-9]{4})\\z", 9, "1-/"},
	{"\\G(?:[0-9]+)\\z", 7, "1/-.:"},
	{"\\G(?:[0-9.,]+)\\z", 7, "1/-.:,"},
};

/* Patterns left to PCRE2: negated sets, any character, groups other than
 * one round it all, alternation, counts PCRE2 reads as text ({,2}) or
 * that say more than the items hold, possessive repeats, classes by
 * letter, characters above 127, no anchors; \v, which PCRE2 takes for
 * vertical space (U+2028 too), not for the byte 0x0B. */
static const char *const LEFT[] = {
	"\\G(?:[0-9])(a)\\z", "\\G(?:a|b)\\z",     "\\G(?:a)(?:b)\\z", "\\G[0-9]{,2}\\z",
	"\\G[0-9]{2,1}\\z",   "\\G[0-9]{1,2}+\\z", "\\G[0-9]{17}\\z",  "\\Ga{1,2}{2}\\z",
	"\\Ga{1,9}b{1,9}\\z", "\\Ga{x}\\z",        "\\G[^0-9]\\z",     "\\G.\\z",
	"\\G\\d\\z",          "\\Gđ\\z",           "\\G\\xc4\\z",      "[0-9]\\z",
	"\\G[0-9]",           "\\G[0-9]|a\\z",     "\\G[0-9]**\\z",    "\\G[0-9]*[a]*[b]*\\z",
	"\\G[]\\z",           "\\G[a-\\z",         "\\G[\\t\\v]\\z",   "\\G\\v\\z",
};

static const char ALPHABET[] = {'0', '7', '/', '.', '-', 'a', ' ', '\t', ':'};

/* Every text of up to max bytes over the alphabet, by PCRE2 and by the sets. */
static void agree_on(const char *pattern, int max, const char *alphabet, size_t n)
{
	byte_shape sh;
	ck_assert_msg(byte_shape_compile(pattern, false, &sh), "not read: %s", pattern);
	int err;
	PCRE2_SIZE at;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_DOTALL, &err,
				       &at, NULL);
	ck_assert_ptr_nonnull(re);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	char s[16];
	long checked = 0, matched = 0;
	for (int len = 0; len <= max; len++) {
		long total = 1;
		for (int i = 0; i < len; i++)
			total *= (long)n;
		for (long k = 0; k < total; k++) {
			long x = k;
			for (int i = 0; i < len; i++, x /= (long)n)
				s[i] = alphabet[x % (long)n];
			bool want = pcre2_match(re, (PCRE2_SPTR)s, (size_t)len, 0, 0, md, NULL) >= 0;
			bool got = byte_shape_match(&sh, s, (size_t)len);
			ck_assert_msg(want == got, "%s on \"%.*s\": PCRE2 %d, sets %d", pattern, len, s, want, got);
			checked++, matched += want;
		}
	}
	ck_assert_msg(matched > 0 && matched < checked, "%s: %ld of %ld texts match", pattern, matched, checked);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
}

static void agree(const char *pattern, int max) { agree_on(pattern, max, ALPHABET, sizeof ALPHABET); }

START_TEST(same_answer_as_pcre2)
{
	for (size_t i = 0; i < sizeof READ / sizeof *READ; i++)
		agree(READ[i], 5);
	for (size_t i = 0; i < sizeof RETYPE / sizeof *RETYPE; i++)
		agree_on(RETYPE[i].pattern, RETYPE[i].max, RETYPE[i].alphabet, strlen(RETYPE[i].alphabet));
}
END_TEST

/* Texts with Vietnamese letters around digits: a set of ASCII bytes never
 * takes part of a longer character. */
START_TEST(letters_outside_ascii)
{
	byte_shape sh;
	ck_assert(byte_shape_compile("\\G[0-9][0-9]?[/.-][0-9][0-9]?\\z", false, &sh));
	ck_assert(byte_shape_match(&sh, "14/12", 5));
	ck_assert(!byte_shape_match(&sh, "14/1đ", strlen("14/1đ")));
	ck_assert(!byte_shape_match(&sh, "đ4/12", strlen("đ4/12")));
	ck_assert(!byte_shape_match(&sh, "14/12/", 6));
	ck_assert(!byte_shape_match(&sh, "", 0));
}
END_TEST

START_TEST(left_to_pcre2)
{
	byte_shape sh;
	for (size_t i = 0; i < sizeof LEFT / sizeof *LEFT; i++)
		ck_assert_msg(!byte_shape_compile(LEFT[i], false, &sh), "read: %s", LEFT[i]);
	/* a caseless or extended pattern is PCRE2's too */
	ck_assert(!byte_shape_compile("\\G[a-z]\\z", true, &sh));
}
END_TEST

/* Through the engine: a rule's shape written as a Lua pattern keeps its
 * meaning (the numbers it takes and those it leaves). */
START_TEST(engine_rule_shapes)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	tml_engine_register(L);
	lua_pop(L, 1);
	run_lua(L, "local re = textmill.regex\n"
		   "local e = textmill.engine { rules = {\n"
		   "  { type = 'DAY', on = { 'NUMBER' }, shape = re('\\\\G[0-9][0-9]?\\\\z', 's') },\n"
		   "  { type = 'YEAR', on = { 'NUMBER' }, layer = 2,\n"
		   "    shape = re('\\\\G[0-9][0-9][0-9][0-9]\\\\-?[0-9]*\\\\z', 's') } },\n"
		   "  tokens = { { type = 'NUMBER', regex = re('[0-9][0-9-]*') } } }\n"
		   "local text = 'ngày 7, năm 2024, 2021-2030, số 123, 12345 và 99'\n"
		   "e:begin(text)\n"
		   "local function at(kind, w)\n"
		   "  local s = text:find(w, 1, true)\n"
		   "  return kind .. ':' .. s .. '-' .. (s + #w - 1)\n"
		   "end\n"
		   "local t = {}\n"
		   "for _, c in ipairs(e:find()) do t[#t + 1] = c.type .. ':' .. c.start .. '-' .. c.stop end\n"
		   "local want = table.concat({ at('DAY', '7'), at('YEAR', '2024'), at('YEAR', '2021-2030'),\n"
		   "  at('YEAR', '12345'), at('DAY', '99') }, ' ')\n"
		   "assert(table.concat(t, ' ') == want, table.concat(t, ' ') .. ' / ' .. want)\n");
	lua_close(L);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("byte_shape");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, same_answer_as_pcre2);
	tcase_add_test(tc, letters_outside_ascii);
	tcase_add_test(tc, left_to_pcre2);
	tcase_add_test(tc, engine_rule_shapes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(suite()); }
