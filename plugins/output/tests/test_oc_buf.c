/* Escapes and the counting map the outputs share. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oc_buf.h"

START_TEST(escapes_html)
{
	kit_buf b = {0};
	const char s[] = "<script>alert('x & \"y\"')</script>";
	oc_buf_html(&b, s, strlen(s));
	ck_assert_str_eq(kit_buf_str(&b), "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;");
	kit_buf_clear(&b);
	oc_buf_html(&b, "a\0b", 3);
	ck_assert_str_eq(kit_buf_str(&b), "a\xEF\xBF\xBD"
					  "b");
	kit_buf_free(&b);
}
END_TEST

START_TEST(cuts_by_characters_not_bytes)
{
	kit_buf b = {0};
	const char *s = "Bộ Chỉ huy Quân sự";
	oc_buf_html_cut(&b, s, strlen(s), 6);
	ck_assert_str_eq(kit_buf_str(&b), "Bộ Chỉ\xE2\x80\xA6");
	kit_buf_clear(&b);
	oc_buf_html_cut(&b, "Bộ", strlen("Bộ"), 2);
	ck_assert_str_eq(kit_buf_str(&b), "Bộ");
	kit_buf_free(&b);
}
END_TEST

START_TEST(groups_digits)
{
	kit_buf b = {0};
	long long cases[] = {0, 999, 1000, 1234567, -45000};
	const char *want[] = {"0", "999", "1,000", "1,234,567", "-45,000"};
	for (int i = 0; i < 5; i++) {
		kit_buf_clear(&b);
		oc_buf_grouped(&b, cases[i]);
		ck_assert_str_eq(kit_buf_str(&b), want[i]);
	}
	kit_buf_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kit_buf");
	TCase *tc = tcase_create("buf");
	tcase_add_test(tc, escapes_html);
	tcase_add_test(tc, cuts_by_characters_not_bytes);
	tcase_add_test(tc, groups_digits);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
