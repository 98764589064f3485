/* test_kit_utf8.c -- the toolkit's UTF-8 checks, decoder and encoder. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "textmill/kit.h"

static size_t prefix(const char *s) { return kit_utf8_valid_prefix(s, strlen(s)); }

START_TEST(valid_prefixes)
{
	ck_assert_uint_eq(prefix("plain ascii, longer than eight bytes"), 36);
	ck_assert(kit_utf8_valid("Vi\xE1\xBB\x87t Nam \xF0\x9F\x98\x80", 16));
	ck_assert_uint_eq(prefix("ab\xC0\xAF"), 2);          /* overlong '/' */
	ck_assert_uint_eq(prefix("ab\xE0\x80\xAF"), 2);      /* overlong, three bytes */
	ck_assert_uint_eq(prefix("ab\xED\xA0\x80"), 2);      /* a surrogate */
	ck_assert_uint_eq(prefix("ab\xF4\x90\x80\x80"), 2);  /* past U+10FFFF */
	ck_assert_uint_eq(prefix("abcdefghij\xE1\xBB"), 10); /* cut short after a fast run */
	ck_assert_uint_eq(prefix("\x80"), 0);
	ck_assert_uint_eq(prefix("\xFF"), 0);
}
END_TEST

START_TEST(decode_one)
{
	size_t used;
	ck_assert_int_eq(kit_utf8_decode("A", 1, &used), 'A');
	ck_assert_uint_eq(used, 1);
	ck_assert_int_eq(kit_utf8_decode("\xC4\x91", 2, &used), 0x111); /* đ */
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(kit_utf8_decode("\xE1\xBB\x87", 3, &used), 0x1EC7);
	ck_assert_uint_eq(used, 3);
	ck_assert_int_eq(kit_utf8_decode("\xF0\x9F\x98\x80", 4, &used), 0x1F600);
	ck_assert_uint_eq(used, 4);
	/* A bad sequence: its lead and the continuation bytes that fitted. */
	ck_assert_int_eq(kit_utf8_decode("\xE1\xBB"
					 "A",
					 3, &used),
			 -1);
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(kit_utf8_decode("\xE1\xBB", 2, &used), -1); /* cut off */
	ck_assert_uint_eq(used, 2);
	ck_assert_int_eq(kit_utf8_decode("\xED\xA0\x80", 3, &used), -1); /* surrogate */
	ck_assert_uint_eq(used, 1);
	ck_assert_int_eq(kit_utf8_decode("\xBF", 1, &used), -1);
	ck_assert_uint_eq(used, 1);
}
END_TEST

START_TEST(encode_round_trip)
{
	const int32_t cps[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF};
	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
		char s[4];
		size_t n = kit_utf8_encode(s, cps[i]), used;
		ck_assert(kit_utf8_valid(s, n));
		ck_assert_int_eq(kit_utf8_decode(s, n, &used), cps[i]);
		ck_assert_uint_eq(used, n);
	}
	char s[4];
	ck_assert_uint_eq(kit_utf8_encode(s, 0x110000), 3);
	ck_assert(!memcmp(s, "\xEF\xBF\xBD", 3));
	ck_assert_uint_eq(kit_utf8_encode(s, -5), 3);
	ck_assert_uint_eq(kit_utf8_encode(s, 0xDC00), 3);
	ck_assert(!memcmp(s, "\xEF\xBF\xBD", 3));
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("kit_utf8");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, valid_prefixes);
	tcase_add_test(tc, decode_one);
	tcase_add_test(tc, encode_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(make_suite)
