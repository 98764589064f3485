/* test_tone_pattern.c -- a pattern's oa, oe and uy pairs written in both
 * tone placements: what is rewritten and what is left (classes, escapes,
 * names, comments, quantifiers, closed syllables, quý), every toned pair
 * in every case against the toolkit's fold, textmill.regex with and
 * without the flag 't', a word in the other placement and textmill.tone_keys. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <check.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_test.h"
#include "textmill/kit.h"
#include "textmill/kit_vn_tone.h"
#include "textops.h"
#include "tml_core.h"
#include "tone_pattern.h"

/* The rewrite of pat, or "" when it is left as it is. */
static char *rewrite(const char *pat, bool extended)
{
	char *out;
	size_t len;
	ck_assert_int_eq(tone_pattern_both(pat, strlen(pat), extended, &out, &len), 0);
	if (!out)
		return strdup("");
	ck_assert_uint_eq(strlen(out), len);
	return out;
}

static void check_rewrite(const char *pat, bool extended, const char *want)
{
	char *got = rewrite(pat, extended);
	ck_assert_msg(strcmp(got, want) == 0, "%s: got \"%s\", expected \"%s\"", pat, got, want);
	free(got);
}

START_TEST(pairs_rewritten)
{
	check_rewrite("hòa", false, "h(?:òa|oà)");
	check_rewrite("hoà", false, "h(?:oà|òa)");
	check_rewrite("khỏe", false, "kh(?:ỏe|oẻ)");
	check_rewrite("Thuỷ", false, "Th(?:uỷ|ủy)");
	check_rewrite("Ủy ban|ỦY BAN", false, "(?:Ủy|Uỷ) ban|(?:ỦY|UỶ) BAN");
	check_rewrite("HÒA", false, "H(?:ÒA|OÀ)");
	check_rewrite("Ngụy", false, "Ng(?:ụy|uỵ)");
	check_rewrite("Đóa", false, "Đ(?:óa|oá)");
	/* what follows may be anything but a letter or a quantifier */
	check_rewrite("hòa\\b|hòa(?!\\p{L})|(hòa)|hòa$|hòa, ", false,
		      "h(?:òa|oà)\\b|h(?:òa|oà)(?!\\p{L})|(h(?:òa|oà))|h(?:òa|oà)$|h(?:òa|oà), ");
	/* the same length either way: a lookbehind stays fixed */
	check_rewrite("(?<!hòa )x", false, "(?<!h(?:òa|oà) )x");
	check_rewrite("“Uỷ”|Hoà…", false, "“(?:Uỷ|Ủy)”|H(?:oà|òa)…");
	check_rewrite("[Kk]hóa", false, "[Kk]h(?:óa|oá)");
	check_rewrite("\\p{Lu}òa", false, "\\p{Lu}(?:òa|oà)");
	check_rewrite("(?<u>khóa)", false, "(?<u>kh(?:óa|oá))");
	check_rewrite("(*pla:hòa)", false, "(*pla:h(?:òa|oà))");
	check_rewrite("\\Qhòa\\E", false, "\\Qh\\E(?:òa|oà)\\Q\\E");
	check_rewrite("(?x) h òa # hòa ?\n", false, "(?x) h (?:òa|oà) # hòa ?\n");
}
END_TEST

START_TEST(pairs_left)
{
	static const char *const left[] = {
		"hoàng",         "khuyến",    "ngoài",      "quý",
		"Quỳ",           "[hòa]",     "[^]hòa]",    "[[:alpha:]hòa]",
		"hòa?",          "hòa*",      "hòa+",       "hòa{2}",
		"hòaư",          "ơóa",       "\\Qhòa\\E?", "\\x{F2}a",
		"\\òa",          "(?<hòa>x)", "(?'hòa'x)",  "(?P<hòa>x)",
		"\\k<hòa>",      "\\g{hòa}",  "(?#hòa)",    "(*MARK:hòa)",
		"(?(<hòa>)a|b)", "ưoá",       "aoá",        "hoa",
		"hòà",           "hoạch",     "chủyếu",
	};
	for (size_t i = 0; i < sizeof left / sizeof *left; i++)
		check_rewrite(left[i], false, "");
	/* extended: spaces and comments are not there, so a quantifier or a
	 * letter after them still counts */
	check_rewrite("hòa ?", true, "");
	check_rewrite("hòa #x\n n", true, "");
	check_rewrite("(?x)hòa ?", false, "");
	check_rewrite("hòa ?", false, "h(?:òa|oà) ?");
}
END_TEST

static pcre2_code *compile(const char *pat)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &err, &off,
					 NULL);
	ck_assert_msg(code != NULL, "%s does not compile", pat);
	return code;
}

static bool whole_match(pcre2_code *code, const char *s)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc = pcre2_match(code, (PCRE2_SPTR)s, strlen(s), 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, md, NULL);
	pcre2_match_data_free(md);
	return rc > 0;
}

/* Every pair (o with a or e, u with y), tone and case, old and new: the
 * rewrite of either spelling matches both, and nothing else of the pair
 * (another tone, the tone on both, none); the two spellings are the ones
 * the toolkit folds into each other. */
START_TEST(every_pair_both_ways)
{
	static const char *const tones[5][2] = {{"\xcc\x80", "grave"},
						{"\xcc\x81", "acute"},
						{"\xcc\x89", "hook"},
						{"\xcc\x83", "tilde"},
						{"\xcc\xa3", "dot"}};
	static const char pairs[][2] = {{'o', 'a'}, {'o', 'e'}, {'u', 'y'}};
	int checked = 0;
	for (size_t p = 0; p < 3; p++)
		for (int c = 0; c < 4; c++)
			for (int t = 0; t < 5; t++) {
				char v1 = c & 1 ? (char)(pairs[p][0] - 32) : pairs[p][0];
				char v2 = c & 2 ? (char)(pairs[p][1] - 32) : pairs[p][1];
				char nfd_old[16], nfd_new[16], old[16], new[16];
				snprintf(nfd_old, sizeof nfd_old, "th%c%s%c", v1, tones[t][0], v2);
				snprintf(nfd_new, sizeof nfd_new, "th%c%c%s", v1, v2, tones[t][0]);
				/* NFC by utf8proc through the Lua module's own helper */
				char *o, *n;
				size_t ol, nl;
				ck_assert_int_eq(textops_normalize(nfd_old, strlen(nfd_old), TEXTOPS_NFC, &o, &ol,
								   NULL),
						 0);
				ck_assert_int_eq(textops_normalize(nfd_new, strlen(nfd_new), TEXTOPS_NFC, &n, &nl,
								   NULL),
						 0);
				snprintf(old, sizeof old, "%s", o);
				snprintf(new, sizeof new, "%s", n);
				free(o);
				free(n);
				char folded[16];
				snprintf(folded, sizeof folded, "%s", new);
				folded[kit_vn_tone_old(folded, strlen(folded), NULL)] = 0;
				ck_assert_str_eq(folded, old);
				for (int from_new = 0; from_new < 2; from_new++) {
					char *pat = rewrite(from_new ? new : old, false);
					ck_assert_msg(*pat, "%s left as it is", from_new ? new : old);
					pcre2_code *code = compile(pat);
					ck_assert_msg(whole_match(code, old), "%s does not match %s", pat, old);
					ck_assert_msg(whole_match(code, new), "%s does not match %s", pat, new);
					char plain[16];
					snprintf(plain, sizeof plain, "th%c%c", v1, v2);
					ck_assert(!whole_match(code, plain));
					ck_assert(!whole_match(code, t ? "thòa" : "thóa"));
					pcre2_code_free(code);
					free(pat);
					checked++;
				}
			}
	ck_assert_int_eq(checked, 3 * 4 * 5 * 2);
}
END_TEST

/* tone_other_spelling: s in the other placement, or "" when nothing moves. */
static void check_other(const char *s, const char *want)
{
	char *out;
	size_t len;
	ck_assert_int_eq(tone_other_spelling(s, strlen(s), &out, &len), 0);
	ck_assert_msg(strcmp(out ? out : "", want) == 0, "%s: got \"%s\", expected \"%s\"", s, out ? out : "", want);
	ck_assert_uint_eq(len, out ? strlen(out) : 0);
	free(out);
}

START_TEST(other_spelling)
{
	check_other("Hòa", "Hoà");
	check_other("Uỷ ban", "Ủy ban");
	check_other("hòa hoà, ĐOẺ", "hoà hòa, ĐỎE"); /* each syllable alone */
	check_other("đoá hoa", "đóa hoa");           /* đ is a consonant */
	check_other("“Thuỷ”, khoẻ…", "“Thủy”, khỏe…");
	check_other("\xFF hòa", "\xFF hoà"); /* a bad byte is copied */
	static const char *const left[] = {"hoàng", "quý", "ươá", "ưuỷ", "hoa", "hòà", "\xFFoà", "hoàđ", ""};
	for (size_t i = 0; i < sizeof left / sizeof *left; i++)
		check_other(left[i], "");
}
END_TEST

static tml_state doc_state;

START_TEST(regex_finds_both)
{
	lua_State *L = new_lua();
	lua_getglobal(L, "textmill");
	tml_regex_register(L);
	tml_tone_register(L);
	lua_pop(L, 1);
	set_doc_text(L, &doc_state, "Khánh Hoà, Thanh Thủy và 6 khoá học ở Uỷ ban");
	run_lua(L,
		"local function count(re) local n = 0; for _ in re:gmatch(doc_text) do n = n + 1 end; return n end\n"
		"assert(count(textmill.regex('Khánh Hòa')) == 1)\n"
		"assert(count(textmill.regex('Thuỷ|khóa')) == 2)\n"
		"assert(count(textmill.regex('ủy ban', 'i')) == 1)\n"
		"assert(count(textmill.regex('Khánh Hòa', 't')) == 0)\n"
		"assert(count(textmill.regex('Khánh Hoà', 't')) == 1)\n"
		"local m = textmill.regex('(?<n>[0-9]+) (?<u>khóa)'):exec(doc_text)\n"
		"assert(m.n == '6' and m.u == 'khoá' and m[2] == 'khoá', m.u)\n"
		"assert(tostring(textmill.regex('hòa')) == 'regex(h(?:òa|oà))')\n"
		"local ok, err = pcall(textmill.regex, 'hòa', 'q')\n"
		"assert(not ok and err:find('flags: i m s x t', 1, true), err)\n"
		"ok, err = pcall(textmill.regex, 'hòa(')\n"
		"assert(not ok and err:find('bad pattern \"h(?:òa|oà)(\"', 1, true), err)\n"
		"ok, err = pcall(textmill.tone_keys, 'hòa')\n"
		"assert(not ok and err:find('table expected', 1, true), err)\n"
		"local t = textmill.tone_keys({ ['Ủy'] = 1, ['Hoà'] = 2, ['Hòa'] = 3, ['quý'] = 4, ['hoàng'] = 5, [6] = 'x' })\n"
		"local n = 0; for _ in pairs(t) do n = n + 1 end\n"
		"assert(n == 7 and t['Uỷ'] == 1 and t['Ủy'] == 1 and t['Hoà'] == 2 and t['Hòa'] == 3, n)");
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tone_pattern");
	TCase *tc = tcase_create("tone_pattern");
	tcase_add_test(tc, pairs_rewritten);
	tcase_add_test(tc, pairs_left);
	tcase_add_test(tc, every_pair_both_ways);
	tcase_add_test(tc, other_spelling);
	tcase_add_test(tc, regex_finds_both);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
