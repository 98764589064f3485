/* test_escape.c -- text for the terminal (util.c): whatever a terminal
 * would act on is shown escaped, everything else passes unchanged. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static char *escaped(const char *s, size_t len)
{
	buf b = {0};
	buf_put_escaped(&b, s, len);
	return b.p ? b.p : xstrdup("");
}

#define ck_escapes(in, want)                                \
	do {                                                \
		char *got_ = escaped((in), sizeof(in) - 1); \
		ck_assert_str_eq(got_, (want));             \
		free(got_);                                 \
	} while (0)

START_TEST(test_plain_text_unchanged)
{
	ck_escapes("vn_quangnam_20230608", "vn_quangnam_20230608");
	ck_escapes("Quân khu 5 — Đà Nẵng, năm 2023 \xc2\xa0(NBSP) 😀",
		   "Quân khu 5 — Đà Nẵng, năm 2023 \xc2\xa0(NBSP) 😀");
	ck_escapes("a\\x1b stays as typed", "a\\x1b stays as typed");
	ck_escapes("", "");
}
END_TEST

START_TEST(test_controls)
{
	/* An OSC title sequence, a screen clear, a forged new line. */
	ck_escapes("a\x1b]0;owned\x07", "a\\x1b]0;owned\\x07");
	ck_escapes("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H");
	ck_escapes("id\nforged: line\r", "id\\x0aforged: line\\x0d");
	ck_escapes("\t\x7f", "\\x09\\x7f");
	ck_escapes("nul\0byte", "nul\\x00byte");
	/* C1 controls, as UTF-8: U+009B is a CSI for some terminals. */
	ck_escapes("\xc2\x9b"
		   "31m\xc2\x80\xc2\x9f",
		   "\\u009b31m\\u0080\\u009f");
}
END_TEST

START_TEST(test_not_utf8)
{
	ck_escapes("\xff\xfe", "\\xff\\xfe");
	ck_escapes("\x9b"
		   "31m",
		   "\\x9b31m");                        /* a raw 8-bit CSI */
	ck_escapes("a\xe1\xba", "a\\xe1\\xba");        /* cut short at the end */
	ck_escapes("\xc0\xaf", "\\xc0\\xaf");          /* overlong */
	ck_escapes("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate */
	ck_escapes("\xe1\xba\xa1\x80", "\xe1\xba\xa1\\x80");
}
END_TEST

START_TEST(test_never_half_an_escape)
{
	/* The crash handler fills a fixed buffer: what does not fit whole
	 * is left for the next call. */
	char out[16];
	size_t used;
	ck_assert_uint_eq(term_escape(out, 3, "\x1b", 1, &used), 0);
	ck_assert_uint_eq(used, 0);
	ck_assert_uint_eq(term_escape(out, 4,
				      "\x1b"
				      "x",
				      2, &used),
			  4);
	ck_assert_uint_eq(used, 1);
	ck_assert_uint_eq(term_escape(out, 5, "ab\xc2\x9b", 4, &used), 2);
	ck_assert_uint_eq(used, 2);
	ck_assert_uint_eq(term_escape(out, 2, "\xe1\xba\xa1", 3, &used), 0); /* a letter is not cut either */
	ck_assert_uint_eq(term_escape(out, 3, "\xe1\xba\xa1", 3, &used), 3);
	ck_assert_uint_eq(used, 3);
	ck_assert_int_eq(memcmp(out, "\xe1\xba\xa1", 3), 0);
}
END_TEST

START_TEST(test_long_input)
{
	/* Many escapes in a row grow the buffer as needed. */
	size_t n = 10000;
	char *in = xmalloc(n);
	memset(in, 0x1b, n);
	char *got = escaped(in, n);
	ck_assert_uint_eq(strlen(got), 4 * n);
	ck_assert_int_eq(strncmp(got + 4 * (n - 1), "\\x1b", 4), 0);
	free(got);
	free(in);
}
END_TEST

static Suite *escape_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("terminal");
	tcase_add_test(tc, test_plain_text_unchanged);
	tcase_add_test(tc, test_controls);
	tcase_add_test(tc, test_not_utf8);
	tcase_add_test(tc, test_never_half_an_escape);
	tcase_add_test(tc, test_long_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(escape_suite()); }
