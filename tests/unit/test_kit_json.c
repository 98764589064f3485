/* test_kit_json.c -- the toolkit's JSON: scanner, tree, writer. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "kit_oom.h"

static const char *parse_error(const char *text)
{
	const char *error = NULL;
	kit_json *v = kit_json_parse(text, strlen(text), &error);
	kit_json_free(v);
	return v ? NULL : error;
}

static char *round_trip(const char *text)
{
	const char *error = NULL;
	kit_json *v = kit_json_parse(text, strlen(text), &error);
	ck_assert_msg(v != NULL, "%s: %s", text, error);
	kit_buf b = {0};
	kit_json_write(&b, v);
	kit_json_free(v);
	ck_assert(!b.failed);
	return b.p;
}

START_TEST(scanner)
{
	const char *all = " {\"a\": [1, -2.5e3, true, false, null, \"x\"]} ";
	ck_assert(kit_json_is_value(all, strlen(all)));
	ck_assert(!kit_json_is_value("[1,]", 4));
	ck_assert(!kit_json_is_value("01", 2));
	ck_assert(!kit_json_is_value("\"\xC0\xAF\"", 4)); /* not UTF-8 */
	kit_json_cursor c = kit_json_at("\"a\\u00e9\\ud83d\\ude00\\n\" rest", 28);
	kit_buf out = {0};
	ck_assert_int_eq(kit_json_read_string(&c, &out), 0);
	ck_assert_str_eq(out.p, "a\xC3\xA9\xF0\x9F\x98\x80\n");
	ck_assert_str_eq(c.p, " rest");
	c = kit_json_at("\"\\ud83d\"", 8);
	ck_assert_int_eq(kit_json_read_string(&c, NULL), -1);
	ck_assert_ptr_nonnull(strstr(c.error, "surrogate"));
	c = kit_json_at("-12.5e+3,", 9);
	size_t len;
	ck_assert_int_eq(kit_json_skip_number(&c, &len), 0);
	ck_assert_uint_eq(len, 8);
	kit_buf_free(&out);
}
END_TEST

START_TEST(depth_limit)
{
	char deep[2 * (KIT_JSON_MAX_DEPTH + 2) + 1];
	size_t d = KIT_JSON_MAX_DEPTH + 1; /* the outermost is at depth 0 */
	memset(deep, '[', d);
	memset(deep + d, ']', d);
	ck_assert(kit_json_is_value(deep, 2 * d));
	deep[2 * d] = 0;
	ck_assert_ptr_null(parse_error(deep));
	memset(deep, '[', d + 1);
	memset(deep + d + 1, ']', d + 1);
	deep[2 * d + 2] = 0;
	ck_assert(!kit_json_is_value(deep, 2 * d + 2));
	ck_assert_str_eq(parse_error(deep), "nested too deeply");
}
END_TEST

START_TEST(tree)
{
	const char *text = "{\"run\": {\"documents\": {\"read\": 12, \"kept\": 10}}, \"name\": \"x\\u0041\", "
			   "\"list\": [1, \"two\", [3]], \"name\": \"last\"}";
	const char *error = NULL;
	kit_json *v = kit_json_parse(text, strlen(text), &error);
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(v->kind, KIT_JSON_OBJECT);
	ck_assert_uint_eq(v->n, 4);
	const kit_json *read = kit_json_path(v, "run.documents.read");
	ck_assert_ptr_nonnull(read);
	ck_assert_int_eq(read->kind, KIT_JSON_NUMBER);
	ck_assert(read->num == 12);
	ck_assert_ptr_null(kit_json_path(v, "run.documents.lost"));
	ck_assert_str_eq(kit_json_get(v, "name")->str, "last"); /* the last duplicate */
	const kit_json *list = kit_json_get(v, "list");
	ck_assert_uint_eq(list->n, 3);
	ck_assert_str_eq(list->child->next->str, "two");
	kit_json_free(v);
}
END_TEST

START_TEST(errors)
{
	ck_assert_str_eq(parse_error("[1, 2"), "expected ',' or ']' in an array");
	ck_assert_str_eq(parse_error("{\"a\" 1}"), "expected ':' after an object key");
	ck_assert_str_eq(parse_error("1 2"), "text after the value");
	ck_assert_str_eq(parse_error(""), "unexpected end of input");
	ck_assert_str_eq(parse_error("\"a\x01\""), "control character in a string (must be escaped)");
	ck_assert_str_eq(parse_error("tru"), "unexpected character");
}
END_TEST

START_TEST(writer)
{
	char *s = round_trip(" { \"a\" : [ 1.50 , \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\" ] , \"b\" : { } } ");
	ck_assert_str_eq(s, "{\"a\":[1.50,\"q\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\"],\"b\":{}}");
	free(s);
	kit_buf b = {0};
	kit_json_put_number(&b, 3);
	kit_buf_putc(&b, ' ');
	kit_json_put_number(&b, 0.1);
	kit_buf_putc(&b, ' ');
	kit_json_put_number(&b, 1.0 / 0.0);
	ck_assert_str_eq(b.p, "3 0.1 null");
	kit_buf_clear(&b);
	kit_json_put_string(&b, "long text with no escapes at all \x7f", 34);
	ck_assert_str_eq(b.p, "\"long text with no escapes at all \x7f\"");
	kit_buf_free(&b);
}
END_TEST

/* kit_json_plain_prefix stops at the first byte a JSON string must escape,
 * wherever it falls in or after the eight-byte words, and at no other:
 * every byte value at every place of texts of 0 to 20 bytes. */
START_TEST(plain_prefix)
{
	char s[20];
	for (size_t len = 0; len <= sizeof s; len++) {
		memset(s, 'a', sizeof s);
		ck_assert_uint_eq(kit_json_plain_prefix(s, len), len);
		for (size_t at = 0; at < len; at++)
			for (int c = 0; c < 256; c++) {
				memset(s, 0x7f, sizeof s); /* DEL goes as it is */
				s[at] = (char)c;
				int special = c < 0x20 || c == '"' || c == '\\';
				ck_assert_uint_eq(kit_json_plain_prefix(s, len), special ? at : len);
			}
	}
}
END_TEST

/* Every allocation the parser makes can fail: it says so, and leaks nothing
 * (the sanitizer build checks the leaks). */
START_TEST(out_of_memory)
{
	const char *text = "{\"a\": [\"a long enough string to need its own copy\", {\"b\": 2}], \"c\": \"d\"}";
	int failed = 0;
	for (long n = 0; n < 20; n++) {
		const char *error = NULL;
		oom_after(n);
		kit_json *v = kit_json_parse(text, strlen(text), &error);
		oom_off();
		if (!v) {
			ck_assert_str_eq(error, KIT_OOM);
			failed++;
		}
		kit_json_free(v);
	}
	ck_assert_int_gt(failed, 0);
	kit_buf b = {0};
	oom_after(0);
	kit_json_put_string(&b, "x", 1);
	oom_off();
	ck_assert(kit_buf_failed(&b));
	kit_json_cursor c = kit_json_at("\"abc\"", 5);
	oom_after(0);
	ck_assert_int_eq(kit_json_read_string(&c, &b), 0); /* the text is fine ... */
	oom_off();
	ck_assert(kit_buf_failed(&b)); /* ... the buffer is not */
	kit_buf_free(&b);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("kit_json");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, scanner);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, tree);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, writer);
	tcase_add_test(tc, plain_prefix);
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(make_suite)
