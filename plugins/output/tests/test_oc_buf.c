/* Escapes and the counting map the outputs share. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oc_buf.h"
#include "oc_map.h"

START_TEST(escapes_html)
{
	oc_buf b = {0};
	const char s[] = "<script>alert('x & \"y\"')</script>";
	oc_buf_html(&b, s, strlen(s));
	ck_assert_str_eq(oc_buf_str(&b),
			 "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;");
	oc_buf_clear(&b);
	oc_buf_html(&b, "a\0b", 3);
	ck_assert_str_eq(oc_buf_str(&b), "a\xEF\xBF\xBD" "b");
	oc_buf_free(&b);
}
END_TEST

START_TEST(cuts_by_characters_not_bytes)
{
	oc_buf b = {0};
	const char *s = "Bộ Chỉ huy Quân sự";
	oc_buf_html_cut(&b, s, strlen(s), 6);
	ck_assert_str_eq(oc_buf_str(&b), "Bộ Chỉ\xE2\x80\xA6");
	oc_buf_clear(&b);
	oc_buf_html_cut(&b, "Bộ", strlen("Bộ"), 2);
	ck_assert_str_eq(oc_buf_str(&b), "Bộ");
	oc_buf_free(&b);
}
END_TEST

START_TEST(escapes_json_strings)
{
	oc_buf b = {0};
	oc_buf_json_string(&b, "a\"\\\n\t\x01z", 7);
	ck_assert_str_eq(oc_buf_str(&b), "\"a\\\"\\\\\\n\\t\\u0001z\"");
	oc_buf_free(&b);
}
END_TEST

START_TEST(groups_digits)
{
	oc_buf b = {0};
	long long cases[] = {0, 999, 1000, 1234567, -45000};
	const char *want[] = {"0", "999", "1,000", "1,234,567", "-45,000"};
	for (int i = 0; i < 5; i++) {
		oc_buf_clear(&b);
		oc_buf_grouped(&b, cases[i]);
		ck_assert_str_eq(oc_buf_str(&b), want[i]);
	}
	oc_buf_free(&b);
}
END_TEST

START_TEST(printf_grows)
{
	oc_buf b = {0};
	char big[1000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	oc_buf_printf(&b, "%s|%d", big, 42);
	ck_assert_uint_eq(b.len, 1002);
	ck_assert_str_eq(b.p + 999, "|42");
	oc_buf_free(&b);
}
END_TEST

START_TEST(map_counts_by_name)
{
	oc_map m = {0};
	char key[32];
	for (size_t i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "key-%zu", i);
		ck_assert_uint_eq(oc_map_add(&m, key, (size_t)n, i), i);
	}
	ck_assert_uint_eq(oc_map_add(&m, "key-7", 5, 99), 7);
	ck_assert_uint_eq(oc_map_get(&m, "key-4999", 8), 4999);
	ck_assert_uint_eq(oc_map_get(&m, "key-5000", 8), OC_MAP_NONE);
	ck_assert_uint_eq(oc_map_get(&m, "a\0b", 3), OC_MAP_NONE);
	oc_map_add(&m, "a\0b", 3, 1);
	ck_assert_uint_eq(oc_map_get(&m, "a\0c", 3), OC_MAP_NONE);
	ck_assert_uint_eq(m.n, 5001);
	oc_map_free(&m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("oc_buf");
	TCase *tc = tcase_create("buf");
	tcase_add_test(tc, escapes_html);
	tcase_add_test(tc, cuts_by_characters_not_bytes);
	tcase_add_test(tc, escapes_json_strings);
	tcase_add_test(tc, groups_digits);
	tcase_add_test(tc, printf_grows);
	tcase_add_test(tc, map_counts_by_name);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
