/* What the outputs read out of JSON values (metadata, attributes, the run
 * summary) with the toolkit's tree; the reader itself is tested with the toolkit. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "oc_json.h"

static kit_json *parse(const char *s)
{
	const char *err = NULL;
	kit_json *v = kit_json_parse(s, strlen(s), &err);
	ck_assert_msg(v != NULL, "%s: %s", s, err);
	return v;
}

START_TEST(reads_a_run_summary)
{
	kit_json *v = parse("{\"documents\":{\"read\":14,\"written\":8},"
			    " \"stages\":[{\"label\":\"input\",\"dropped_by\":{}},{\"label\":\"stages.0\"}]}");
	ck_assert_int_eq(oc_json_int(kit_json_get(v, "documents"), "read", -1), 14);
	ck_assert_int_eq(oc_json_int(kit_json_path(v, "documents"), "missing", -1), -1);
	const kit_json *stages = kit_json_get(v, "stages");
	ck_assert_int_eq(stages->kind, KIT_JSON_ARRAY);
	ck_assert_uint_eq(stages->n, 2);
	ck_assert_str_eq(oc_json_str(stages->child->next, "label"), "stages.0");
	ck_assert_int_eq(kit_json_path(v, "documents.written")->num, 8);
	kit_json_free(v);
}
END_TEST

START_TEST(renders_cells)
{
	kit_json *v = parse("{\"titles\":[\"Đại tá\",\"Chỉ huy trưởng\"],\"n\":412,\"x\":null,"
			    "\"nested\":[1,[2,3],{\"k\":true}]}");
	kit_buf b = {0};
	oc_json_text(&b, kit_json_get(v, "titles"), "; ");
	ck_assert_str_eq(kit_buf_str(&b), "Đại tá; Chỉ huy trưởng");
	kit_buf_clear(&b);
	oc_json_text(&b, kit_json_get(v, "n"), "; ");
	ck_assert_str_eq(kit_buf_str(&b), "412");
	kit_buf_clear(&b);
	oc_json_text(&b, kit_json_get(v, "x"), "; ");
	ck_assert_str_eq(kit_buf_str(&b), "");
	kit_buf_clear(&b);
	oc_json_text(&b, kit_json_get(v, "nested"), "|");
	ck_assert_str_eq(kit_buf_str(&b), "1|[2,3]|{\"k\":true}");
	kit_buf_free(&b);
	kit_json_free(v);
}
END_TEST

START_TEST(duplicate_keys_keep_the_last)
{
	kit_json *v = parse("{\"a\":1,\"a\":2}");
	ck_assert_int_eq(oc_json_int(v, "a", 0), 2);
	kit_json_free(v);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kit_json");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, reads_a_run_summary);
	tcase_add_test(tc, renders_cells);
	tcase_add_test(tc, duplicate_keys_keep_the_last);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
