/* The JSON reader the outputs use for metadata, attributes and the run summary. */
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

static const char *parse_error(const char *s)
{
	const char *err = NULL;
	kit_json *v = kit_json_parse(s, strlen(s), &err);
	ck_assert_msg(v == NULL, "%s parsed", s);
	return err;
}

static char *compact(const char *s)
{
	kit_json *v = parse(s);
	kit_buf b = {0};
	kit_json_write(&b, v);
	kit_json_free(v);
	char *out = strdup(kit_buf_str(&b));
	kit_buf_free(&b);
	return out;
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

START_TEST(decodes_escapes_and_surrogates)
{
	kit_json *v = parse("\"a\\\"b\\\\c\\/\\n\\u00e1\\uD83D\\uDE00x\"");
	ck_assert_int_eq(v->kind, KIT_JSON_STRING);
	ck_assert_str_eq(v->str, "a\"b\\c/\n\xC3\xA1\xF0\x9F\x98\x80x");
	/* A lone surrogate is refused, as the host refuses it in what it stores. */
	ck_assert_str_eq(parse_error("\"\\uD800x\""), "high surrogate without its low surrogate in \\u escape");
	kit_json_free(v);
	v = parse("\"Đại tá Nông Văn Tài\"");
	ck_assert_str_eq(v->str, "Đại tá Nông Văn Tài");
	kit_json_free(v);
}
END_TEST

START_TEST(writes_back_compactly)
{
	char *s = compact(" { \"a\" : [1, 2.50, -3e2, true, false, null], \"b\\n\":\"x\\u0001\" } ");
	ck_assert_str_eq(s, "{\"a\":[1,2.50,-3e2,true,false,null],\"b\\n\":\"x\\u0001\"}");
	free(s);
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

START_TEST(refuses_what_is_not_json)
{
	ck_assert_str_eq(parse_error(""), "unexpected end of input");
	ck_assert_str_eq(parse_error("{\"a\":1"), "expected ',' or '}' in an object");
	ck_assert_str_eq(parse_error("[1,]"), "invalid number");
	ck_assert_str_eq(parse_error("\"abc"), "unterminated string");
	ck_assert_str_eq(parse_error("\"ab\\"), "unterminated string");
	ck_assert_str_eq(parse_error("\"a\nb\""), "control character in a string (must be escaped)");
	ck_assert_str_eq(parse_error("01"), "text after the value");
	ck_assert_str_eq(parse_error("1."), "invalid number");
	ck_assert_str_eq(parse_error("tru"), "unexpected character");
	ck_assert_str_eq(parse_error("{1:2}"), "expected a string");
	char deep[400];
	memset(deep, '[', sizeof deep - 1);
	deep[sizeof deep - 1] = 0;
	ck_assert_str_eq(parse_error(deep), "nested too deeply");
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
	tcase_add_test(tc, decodes_escapes_and_surrogates);
	tcase_add_test(tc, writes_back_compactly);
	tcase_add_test(tc, renders_cells);
	tcase_add_test(tc, refuses_what_is_not_json);
	tcase_add_test(tc, duplicate_keys_keep_the_last);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
