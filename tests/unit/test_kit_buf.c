/* test_kit_buf.c -- the toolkit's buffer, allocation and string helpers. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "check_main.h"
#include "kit_oom.h"

START_TEST(appends_and_stays_terminated)
{
	kit_buf b = {0};
	ck_assert_str_eq(kit_buf_str(&b), "");
	kit_buf_put(&b, "ab", 2);
	kit_buf_putc(&b, 'c');
	kit_buf_puts(&b, "de");
	kit_buf_printf(&b, "-%d-", 42);
	kit_buf_put_uint(&b, 18446744073709551615ULL);
	kit_buf_put_cp(&b, 0x1EC7); /* ệ */
	kit_buf_put_cp(&b, 0xD800); /* a surrogate: U+FFFD */
	ck_assert_str_eq(b.p, "abcde-42-18446744073709551615\xE1\xBB\x87\xEF\xBF\xBD");
	ck_assert_uint_eq(b.len, strlen(b.p));
	ck_assert(!kit_buf_failed(&b));
	kit_buf_clear(&b);
	ck_assert_str_eq(b.p, "");
	kit_buf_free(&b);
	ck_assert_ptr_null(b.p);
}
END_TEST

START_TEST(long_printf_and_growth)
{
	kit_buf b = {0};
	char big[1000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	for (int i = 0; i < 100; i++)
		kit_buf_printf(&b, "%s%d", big, i);
	ck_assert_uint_eq(b.len, 100 * 999 + 10 + 90 * 2);
	ck_assert(!memcmp(b.p + b.len - 1001, big, 999));
	ck_assert_str_eq(b.p + b.len - 2, "99");
	kit_buf_free(&b);
}
END_TEST

/* Out of memory: the flag is set once and stays set, the chain of appends
 * goes on without crashing, and clear forgets it. */
START_TEST(failure_is_sticky)
{
	kit_buf b = {0};
	oom_after(0);
	kit_buf_puts(&b, "never");
	ck_assert(kit_buf_failed(&b));
	oom_off();
	kit_buf_puts(&b, "more");
	kit_buf_putc(&b, 'x');
	kit_buf_printf(&b, "%d", 1);
	ck_assert(kit_buf_failed(&b));
	kit_buf_clear(&b);
	kit_buf_puts(&b, "again");
	ck_assert(!kit_buf_failed(&b));
	ck_assert_str_eq(b.p, "again");
	kit_buf_free(&b);
}
END_TEST

START_TEST(failure_when_growing)
{
	kit_buf b = {0};
	kit_buf_puts(&b, "start");
	oom_after(0);
	char big[200] = {0};
	memset(big, 'y', sizeof big - 1);
	kit_buf_puts(&b, big);
	oom_off();
	ck_assert(kit_buf_failed(&b));
	ck_assert_str_eq(b.p, "start"); /* what was there is still there */
	kit_buf_free(&b);
}
END_TEST

START_TEST(sizes_that_cannot_be)
{
	kit_buf b = {0};
	kit_buf_putc(&b, 'a');
	ck_assert_int_eq(kit_buf_reserve(&b, SIZE_MAX), -1);
	ck_assert(kit_buf_failed(&b));
	kit_buf_free(&b);
	ck_assert_ptr_null(kit_calloc(SIZE_MAX / 2, 4));
	ck_assert_ptr_null(kit_strndup("x", SIZE_MAX));
}
END_TEST

START_TEST(strings)
{
	ck_assert(kit_has_suffix("a.jsonl.gz", ".gz"));
	ck_assert(kit_has_suffix("x.so", "x.so"));
	ck_assert(!kit_has_suffix("so", ".so"));
	ck_assert(kit_has_suffix("", ""));
	ck_assert(kit_has_prefix("dedup.minhash", "dedup."));
	ck_assert(!kit_has_prefix("de", "dedup."));
	char *s = kit_strndup("hello", 3);
	ck_assert_str_eq(s, "hel");
	free(s);
	oom_after(0);
	ck_assert_ptr_null(kit_strndup("hello", 3));
	oom_off();
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("kit_buf");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, appends_and_stays_terminated);
	tcase_add_test(tc, long_printf_and_growth);
	tcase_add_test(tc, failure_is_sticky);
	tcase_add_test(tc, failure_when_growing);
	tcase_add_test(tc, sizes_that_cannot_be);
	tcase_add_test(tc, strings);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(make_suite)
