/* test_doc.c -- the public document API (textmill/document.h), as a
 * stage sees it: metadata, entities, verdicts and text rewriting. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "helpers.h"
#include "json.h"
#include "util.h"

/* A document "being processed" by a stage called test.stage, so that
 * failures leave their message in the stage's context. */
static tm_doc *doc;
static tm_ctx ctx;

static void setup(void)
{
	doc = doc_new();
	doc_set_id(doc, "vn-7", 4);
	ck_assert_int_eq(tm_doc_set_text(doc, "Hà Nội mùa thu", strlen("Hà Nội mùa thu")), TM_OK);
	ctx_init(&ctx, "test.stage", "stages.0", 0, 1, 1);
	doc->ctx = &ctx;
}

static void teardown(void)
{
	doc_free(doc);
	ctx_free(&ctx);
}

/* The message of the last failure, and clear it for the next one (the
 * context keeps only the first failure, as the host reports it). */
static const char *last_error(void)
{
	static char msg[512];
	snprintf(msg, sizeof msg, "%s", ctx.error.p ? ctx.error.p : "");
	buf_clear(&ctx.error);
	return msg;
}

#define ck_assert_error_has(want)                                                                   \
	do {                                                                                        \
		const char *m_ = last_error();                                                      \
		ck_assert_msg(strstr(m_, (want)) != NULL, "error \"%s\" lacks \"%s\"", m_, (want)); \
	} while (0)

/* ---- metadata ------------------------------------------------------------- */

START_TEST(test_meta_string)
{
	const char *title = "Thu \"vàng\"\nở Hà Nội";
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "tiêu_đề", title, strlen(title)), TM_OK);
	ck_assert_uint_eq(tm_doc_meta_count(doc), 1);
	ck_assert_str_eq(tm_doc_meta_key(doc, 0), "tiêu_đề");
	/* Stored as JSON text, read back decoded. */
	ck_assert_str_eq(tm_doc_meta_json(doc, "tiêu_đề"), "\"Thu \\\"vàng\\\"\\nở Hà Nội\"");
	size_t len = 0;
	ck_assert_str_eq(tm_doc_meta_string(doc, "tiêu_đề", &len), title);
	ck_assert_uint_eq(len, strlen(title));

	/* Only len bytes are taken, and they may hold a NUL. */
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "short", "abcdef", 3), TM_OK);
	ck_assert_str_eq(tm_doc_meta_json(doc, "short"), "\"abc\"");
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "nul", "a\0b", 3), TM_OK);
	const char *s = tm_doc_meta_string(doc, "nul", &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(s, "a\0b", 3);

	/* Invalid UTF-8 is refused, and nothing is stored. */
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "bad", "ch\xe0o", 4), TM_ERROR);
	ck_assert_error_has("metadata field 'bad': value is not valid UTF-8");
	ck_assert_ptr_null(tm_doc_meta_json(doc, "bad"));
	ck_assert_uint_eq(tm_doc_meta_count(doc), 3);

	/* Absent fields and fields that are not strings. */
	ck_assert_ptr_null(tm_doc_meta_string(doc, "nothing", &len));
	ck_assert_int_eq(tm_doc_set_meta_number(doc, "n", 5), TM_OK);
	ck_assert_ptr_null(tm_doc_meta_string(doc, "n", &len));
}
END_TEST

START_TEST(test_meta_number)
{
	double v = -1;
	ck_assert_int_eq(tm_doc_set_meta_number(doc, "words", 4), TM_OK);
	ck_assert_str_eq(tm_doc_meta_json(doc, "words"), "4");
	ck_assert_int_eq(tm_doc_meta_number(doc, "words", &v), TM_OK);
	ck_assert(v == 4);
	ck_assert_int_eq(tm_doc_set_meta_number(doc, "ratio", 0.125), TM_OK);
	ck_assert_str_eq(tm_doc_meta_json(doc, "ratio"), "0.125");
	ck_assert_int_eq(tm_doc_meta_number(doc, "ratio", &v), TM_OK);
	ck_assert(v == 0.125);
	ck_assert_int_eq(tm_doc_set_meta_number(doc, "big", -2.5e20), TM_OK);
	ck_assert_str_eq(tm_doc_meta_json(doc, "big"), "-2.5e+20");

	/* Numbers set as JSON read as numbers too. */
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "exp", "1e3", 3), TM_OK);
	ck_assert_int_eq(tm_doc_meta_number(doc, "exp", &v), TM_OK);
	ck_assert(v == 1000);

	/* Not a number: v is left alone. */
	v = -1;
	ck_assert_int_eq(tm_doc_meta_number(doc, "missing", &v), TM_ERROR);
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "digits", "12", 2), TM_OK);
	ck_assert_int_eq(tm_doc_meta_number(doc, "digits", &v), TM_ERROR); /* "12" is a string */
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "list", "[1]", 3), TM_OK);
	ck_assert_int_eq(tm_doc_meta_number(doc, "list", &v), TM_ERROR);
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "yes", "true", 4), TM_OK);
	ck_assert_int_eq(tm_doc_meta_number(doc, "yes", &v), TM_ERROR);
	ck_assert(v == -1);

	/* JSON has no NaN: it is stored as null, which is not a number. */
	ck_assert_int_eq(tm_doc_set_meta_number(doc, "nan", NAN), TM_OK);
	ck_assert_str_eq(tm_doc_meta_json(doc, "nan"), "null");
	ck_assert_int_eq(tm_doc_meta_number(doc, "nan", &v), TM_ERROR);
}
END_TEST

START_TEST(test_meta_json)
{
	const char *j = "{\"tỉnh\":[\"Huế\",\"Đà Nẵng\"],\"n\":2}";
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "places", j, strlen(j)), TM_OK);
	ck_assert_str_eq(tm_doc_meta_json(doc, "places"), j);
	/* Only len bytes: "[1,2]" cut to "[1" is not a value; to "[1,2]" is. */
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "cut", "[1,2]xyz", 5), TM_OK);
	ck_assert_str_eq(tm_doc_meta_json(doc, "cut"), "[1,2]");
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "cut2", "[1,2]", 2), TM_ERROR);
	ck_assert_error_has("metadata field 'cut2': not one valid JSON value");

	static const char *const bad[] = {"", "{\"a\":", "1 2", "'x'", "{a:1}", "[1,]", "nul"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(tm_doc_set_meta_json(doc, "bad", bad[i], strlen(bad[i])) == TM_ERROR, "accepted %s",
			      bad[i]);
		ck_assert_error_has("metadata field 'bad': not one valid JSON value");
	}
	ck_assert_ptr_null(tm_doc_meta_json(doc, "bad"));

	/* Spaces around the value are not kept, so it reads as what it is. */
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "padded", " 12 \n", 5), TM_OK);
	ck_assert_str_eq(tm_doc_meta_json(doc, "padded"), "12");
	double v = 0;
	ck_assert_int_eq(tm_doc_meta_number(doc, "padded", &v), TM_OK);
	ck_assert(v == 12);
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "padded", "\t\"Vinh\" ", 8), TM_OK);
	ck_assert_str_eq(tm_doc_meta_string(doc, "padded", NULL), "Vinh");

	/* A string set as JSON reads as a string. */
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "s", "\"S\\u00e0i G\\u00f2n\"", strlen("\"S\\u00e0i G\\u00f2n\"")),
			 TM_OK);
	ck_assert_str_eq(tm_doc_meta_string(doc, "s", NULL), "Sài Gòn");
}
END_TEST

START_TEST(test_meta_replace_and_remove)
{
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "a", "1", 1), TM_OK);
	ck_assert_int_eq(tm_doc_set_meta_number(doc, "b", 2), TM_OK);
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "c", "[3]", 3), TM_OK);
	/* Setting an existing key replaces its value in place. */
	ck_assert_int_eq(tm_doc_set_meta_number(doc, "a", 10), TM_OK);
	ck_assert_uint_eq(tm_doc_meta_count(doc), 3);
	ck_assert_str_eq(tm_doc_meta_key(doc, 0), "a");
	ck_assert_str_eq(tm_doc_meta_json(doc, "a"), "10");

	/* Removing keeps the order of the others. */
	tm_doc_remove_meta(doc, "a");
	ck_assert_uint_eq(tm_doc_meta_count(doc), 2);
	ck_assert_str_eq(tm_doc_meta_key(doc, 0), "b");
	ck_assert_str_eq(tm_doc_meta_key(doc, 1), "c");
	ck_assert_ptr_null(tm_doc_meta_json(doc, "a"));
	tm_doc_remove_meta(doc, "no-such-key"); /* nothing happens */
	ck_assert_uint_eq(tm_doc_meta_count(doc), 2);
	tm_doc_remove_meta(doc, "c");
	ck_assert_uint_eq(tm_doc_meta_count(doc), 1);
	ck_assert_str_eq(tm_doc_meta_key(doc, 0), "b");
	ck_assert_ptr_null(tm_doc_meta_key(doc, 1));

	/* A removed key can come back, at the end. */
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "a", "x", 1), TM_OK);
	ck_assert_str_eq(tm_doc_meta_key(doc, 1), "a");

	/* Many fields (more than the first allocation). */
	for (int i = 0; i < 50; i++) {
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		ck_assert_int_eq(tm_doc_set_meta_number(doc, key, i), TM_OK);
	}
	ck_assert_uint_eq(tm_doc_meta_count(doc), 52);
	double v;
	ck_assert_int_eq(tm_doc_meta_number(doc, "k37", &v), TM_OK);
	ck_assert(v == 37);

	/* The record shows them in order. */
	tm_doc_remove_meta(doc, "b");
	for (int i = 0; i < 50; i++) {
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		tm_doc_remove_meta(doc, key);
	}
	char *out = NULL;
	size_t len = 0, cap = 0;
	ck_assert_int_eq(tm_doc_to_json(doc, &out, &len, &cap), TM_OK);
	ck_assert_str_eq(out,
			 "{\"id\":\"vn-7\",\"text\":\"Hà Nội mùa thu\",\"meta\":{\"a\":\"x\"},\"entities\":[]}\n");
	free(out);
}
END_TEST

START_TEST(test_pretty_json_stays_one_line)
{
	/* JSON as a stage might format it, over several lines: the record
	 * written for it must still be one line of JSON Lines. */
	const char *pretty =
		"{\n  \"tỉnh\": \"Quảng Nam\",\n  \"di_sản\": [\n    \"Hội An\",\n    \"Mỹ Sơn\"\n  ]\n}\n";
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "place", pretty, strlen(pretty)), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 9, "[\n1,\n2\n]", "{\r\n\"a\": 1\r\n}", NULL), TM_OK);
	ck_assert_ptr_null(strchr(tm_doc_meta_json(doc, "place"), '\n'));
	ck_assert_ptr_null(strchr(tm_doc_entity(doc, 0)->value_json, '\n'));
	ck_assert_ptr_null(strchr(tm_doc_entity(doc, 0)->attrs_json, '\n'));

	char *out = NULL;
	size_t len = 0, cap = 0;
	tm_doc_to_json(doc, &out, &len, &cap);
	ck_assert_ptr_eq(strchr(out, '\n'), out + len - 1); /* the only newline ends it */

	/* And it reads back, as the same values. */
	tm_doc *back = doc_new();
	buf err = {0};
	ck_assert_msg(doc_from_json(back, out, len - 1, &err) == 0, "%s", err.p);
	ck_assert(json_is_value(tm_doc_meta_json(back, "place"), strlen(tm_doc_meta_json(back, "place"))));
	ck_assert_str_eq(tm_doc_meta_json(back, "place"), tm_doc_meta_json(doc, "place"));
	ck_assert_str_eq(tm_doc_entity(back, 0)->attrs_json, tm_doc_entity(doc, 0)->attrs_json);
	buf_free(&err);
	doc_free(back);
	free(out);
}
END_TEST

/* ---- entities ------------------------------------------------------------- */

/* "Hà Nội mùa thu": H=0, à=1..2, ' '=3, N=4, ộ=5..7, i=8, ' '=9, m=10,
 * ù=11..12, a=13, ' '=14, "thu"=15..17; 18 bytes. */

/* JSON the caller's writer made is kept as given; the span, the type
 * and the shape of attrs are checked as for tm_doc_add_entity. */
START_TEST(test_entity_written)
{
	ck_assert_int_eq(tm_doc_add_entity_written(doc, "LOC", 0, 9, "\"Hà Nội\"", "{\"level\":\"city\"}", "r"),
			 TM_OK);
	const tm_entity *e = tm_doc_entity(doc, 0);
	ck_assert_str_eq(e->value_json, "\"Hà Nội\"");
	ck_assert_str_eq(e->attrs_json, "{\"level\":\"city\"}");
	ck_assert_str_eq(e->rule, "r");
	ck_assert_int_eq(tm_doc_add_entity_written(doc, "LOC", 0, 2, NULL, NULL, NULL), TM_ERROR);
	ck_assert_error_has("LOC entity [0, 2) splits a UTF-8 character");
	ck_assert_int_eq(tm_doc_add_entity_written(doc, "LOC", 0, 9, NULL, "[1]", NULL), TM_ERROR);
	ck_assert_error_has("attrs must be a JSON object");
	ck_assert_int_eq(tm_doc_add_entity_written(doc, "", 0, 9, NULL, NULL, NULL), TM_ERROR);
	ck_assert_error_has("entity without a type");
	ck_assert_uint_eq(tm_doc_entity_count(doc), 1);
}
END_TEST

START_TEST(test_entity_boundaries)
{
	size_t len;
	tm_doc_text(doc, &len);
	ck_assert_uint_eq(len, 18);
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 9, NULL, NULL, NULL), TM_OK);    /* "Hà Nội" */
	ck_assert_int_eq(tm_doc_add_entity(doc, "CHAR", 1, 3, NULL, NULL, NULL), TM_OK);   /* "à" */
	ck_assert_int_eq(tm_doc_add_entity(doc, "TAIL", 15, 18, NULL, NULL, NULL), TM_OK); /* to the end */
	ck_assert_int_eq(tm_doc_add_entity(doc, "EMPTY", 5, 5, NULL, NULL, NULL), TM_OK);  /* empty span */
	ck_assert_int_eq(tm_doc_add_entity(doc, "AT_END", 18, 18, NULL, NULL, NULL), TM_OK);

	static const struct {
		size_t start, end;
		const char *want;
	} bad[] = {
		{0, 2, "LOC entity [0, 2) splits a UTF-8 character"},
		{2, 3, "LOC entity [2, 3) splits a UTF-8 character"},
		{6, 9, "LOC entity [6, 9) splits a UTF-8 character"},
		{4, 7, "LOC entity [4, 7) splits a UTF-8 character"},
		{12, 12, "LOC entity [12, 12) splits a UTF-8 character"},
		{9, 4, "LOC entity [9, 4) is outside the text (18 bytes)"},
		{15, 19, "LOC entity [15, 19) is outside the text (18 bytes)"},
		{19, 19, "LOC entity [19, 19) is outside the text (18 bytes)"},
		{0, (size_t)-1, "is outside the text (18 bytes)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", bad[i].start, bad[i].end, NULL, NULL, NULL), TM_ERROR);
		ck_assert_error_has(bad[i].want);
	}
	ck_assert_uint_eq(tm_doc_entity_count(doc), 5);

	ck_assert_int_eq(tm_doc_add_entity(doc, NULL, 0, 1, NULL, NULL, NULL), TM_ERROR);
	ck_assert_error_has("entity without a type");
	ck_assert_int_eq(tm_doc_add_entity(doc, "", 0, 1, NULL, NULL, NULL), TM_ERROR);
	ck_assert_error_has("entity without a type");
	ck_assert_uint_eq(tm_doc_entity_count(doc), 5);
}
END_TEST

/* Names are written into every output as JSON strings: a field name, an
 * entity type or a rule that is missing or not UTF-8 is refused (a C string
 * cannot hold a NUL, so that cut cannot happen through this API). */
START_TEST(test_names_must_be_text)
{
	ck_assert_int_eq(tm_doc_set_meta_json(doc, NULL, "1", 1), TM_ERROR);
	ck_assert_error_has("metadata field name missing");
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "ch\xe0o", "x", 1), TM_ERROR);
	ck_assert_error_has("metadata field name is not valid UTF-8");
	ck_assert_int_eq(tm_doc_set_meta_number(doc, "\xff", 1), TM_ERROR);
	ck_assert_error_has("metadata field name is not valid UTF-8");
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "a\xe1\xbb", "1", 1), TM_ERROR);
	ck_assert_error_has("metadata field name is not valid UTF-8");
	ck_assert_uint_eq(tm_doc_meta_count(doc), 0);
	ck_assert_ptr_null(tm_doc_meta_json(doc, NULL));
	tm_doc_remove_meta(doc, NULL);

	ck_assert_int_eq(tm_doc_add_entity(doc, "L\xff", 0, 3, NULL, NULL, NULL), TM_ERROR);
	ck_assert_error_has("entity type is not valid UTF-8");
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 3, NULL, NULL, "r\xc0\xaf"), TM_ERROR);
	ck_assert_error_has("entity rule is not valid UTF-8");
	ck_assert_uint_eq(tm_doc_entity_count(doc), 0);

	ck_assert_int_eq(tm_doc_set_meta_number(doc, "số", 1), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "ĐỊA_DANH", 0, 3, NULL, NULL, "luật"), TM_OK);
	buf out = {0};
	doc_write_json(doc, &out);
	ck_assert_uint_eq(utf8_valid_prefix(out.p, out.len), out.len);
	buf_free(&out);
}
END_TEST

START_TEST(test_entity_json)
{
	char value[] = "{\"wiki\":\"Q1858\"}";
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 9, value, " {\"score\": 0.9} ", "gazetteer"), TM_OK);
	value[2] = 'X'; /* the document keeps its own copy */
	const tm_entity *e = tm_doc_entity(doc, 0);
	ck_assert_str_eq(e->type, "LOC");
	ck_assert_str_eq(e->value_json, "{\"wiki\":\"Q1858\"}");
	ck_assert_str_eq(e->attrs_json, "{\"score\": 0.9}"); /* without the spaces around it */
	ck_assert_str_eq(e->rule, "gazetteer");
	ck_assert_str_eq(e->stage, "test.stage"); /* the stage that added it */

	/* Any JSON value may be a value; attrs must be an object. */
	ck_assert_int_eq(tm_doc_add_entity(doc, "N", 0, 1, "42", "{}", NULL), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "N", 0, 1, "\"x\"", NULL, NULL), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "N", 0, 1, "{\"a\":", NULL, NULL), TM_ERROR);
	ck_assert_error_has("N entity: value is not valid JSON: {\"a\":");
	ck_assert_int_eq(tm_doc_add_entity(doc, "N", 0, 1, "1 2", NULL, NULL), TM_ERROR);
	ck_assert_error_has("value is not valid JSON");
	ck_assert_int_eq(tm_doc_add_entity(doc, "N", 0, 1, NULL, "[1]", NULL), TM_ERROR);
	ck_assert_error_has("N entity: attrs must be a JSON object: [1]");
	ck_assert_int_eq(tm_doc_add_entity(doc, "N", 0, 1, NULL, "\"a\"", NULL), TM_ERROR);
	ck_assert_error_has("attrs must be a JSON object");
	ck_assert_int_eq(tm_doc_add_entity(doc, "N", 0, 1, NULL, "{\"a\":1", NULL), TM_ERROR);
	ck_assert_error_has("attrs must be a JSON object");
	ck_assert_uint_eq(tm_doc_entity_count(doc), 3);

	/* Written out: with no rule, the stage names where it came from. */
	ck_assert_int_eq(tm_doc_add_entity(doc, "SEASON", 10, 18, NULL, NULL, NULL), TM_OK);
	char *out = NULL;
	size_t len = 0, cap = 0;
	tm_doc_to_json(doc, &out, &len, &cap);
	ck_assert_ptr_nonnull(strstr(out, "{\"type\":\"SEASON\",\"text\":\"mùa thu\",\"start\":10,\"end\":18,"
					  "\"value\":null,\"attrs\":{},\"rule\":\"test.stage\"}"));
	free(out);
}
END_TEST

START_TEST(test_buf_put_uint)
{
	buf b = {0};
	const uint64_t values[] = {0, 7, 10, 99, 12345, 18446744073709551615u};
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		buf_put_uint(&b, values[i]);
		buf_putc(&b, ' ');
	}
	ck_assert_str_eq(b.p, "0 7 10 99 12345 18446744073709551615 ");
	buf_free(&b);
}
END_TEST

/* A type or rule met before in the document is not checked or copied again
 * (entities share one copy): the copy is still the document's own, a name
 * is found again by its bytes and not by where the caller keeps it, and
 * the names are forgotten with the document's memory. */
START_TEST(test_names_kept_once)
{
	char type[8] = "ABCD", rule[8] = "rule";
	ck_assert_int_eq(tm_doc_add_entity(doc, type, 0, 3, NULL, NULL, rule), TM_OK);
	memcpy(type, "LOC", 4); /* the same buffer, another name */
	memcpy(rule, "r2", 3);
	ck_assert_int_eq(tm_doc_add_entity(doc, type, 0, 3, NULL, NULL, rule), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "AXCD", 0, 3, NULL, NULL, "rule"), TM_OK);
	/* "A\377CD" (\377 = 0xFF) looks like "ABCD" and "AXCD" at the bytes the cache hashes */
	ck_assert_int_eq(tm_doc_add_entity(doc, "A\377CD", 0, 3, NULL, NULL, NULL), TM_ERROR);
	ck_assert_error_has("entity type is not valid UTF-8");
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 3, NULL, NULL, "r\xff"), TM_ERROR);
	ck_assert_error_has("entity rule is not valid UTF-8");
	ck_assert_uint_eq(tm_doc_entity_count(doc), 3);
	ck_assert_str_eq(tm_doc_entity(doc, 0)->type, "ABCD");
	ck_assert_str_eq(tm_doc_entity(doc, 0)->rule, "rule");
	ck_assert_str_eq(tm_doc_entity(doc, 1)->type, "LOC");
	ck_assert_str_eq(tm_doc_entity(doc, 1)->rule, "r2");
	ck_assert_str_eq(tm_doc_entity(doc, 2)->type, "AXCD");
	ck_assert_ptr_eq(tm_doc_entity(doc, 2)->rule, tm_doc_entity(doc, 0)->rule);

	/* the next record: a name kept from the last would lie in memory
	 * handed out again */
	doc_reset(doc);
	ck_assert_int_eq(tm_doc_set_text(doc, "Huế", strlen("Huế")), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "ABCD", 0, 5, NULL, NULL, "rule"), TM_OK);
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "k", "\"zzzzzzzzzzzzzzzzzzzzzzzz\"", 26), TM_OK);
	ck_assert_str_eq(tm_doc_entity(doc, 0)->type, "ABCD");
	ck_assert_str_eq(tm_doc_entity(doc, 0)->rule, "rule");
}
END_TEST

START_TEST(test_many_entities)
{
	/* More than the first allocation; each keeps its own span. */
	for (size_t i = 0; i < 100; i++)
		ck_assert_int_eq(tm_doc_add_entity(doc, i % 2 ? "ODD" : "EVEN", i % 10, 18, NULL, NULL, NULL),
				 i % 10 == 2 || i % 10 == 6 || i % 10 == 7 ? TM_ERROR : TM_OK);
	ck_assert_uint_eq(tm_doc_entity_count(doc), 70);
	const tm_entity *last = tm_doc_entity(doc, 69);
	ck_assert_str_eq(last->type, "ODD");
	ck_assert_uint_eq(last->start, 9);
	ck_assert_ptr_null(tm_doc_entity(doc, 70));
}
END_TEST

/* ---- verdicts --------------------------------------------------------------- */

START_TEST(test_verdict_first_wins)
{
	const char *reason = "set";
	ck_assert_int_eq(tm_doc_verdict(doc, &reason), TM_KEEP);
	ck_assert_ptr_null(reason);

	tm_doc_drop(doc, "duplicate-of:vn-3");
	tm_doc_reject(doc, "invalid UTF-8 at byte 12"); /* too late */
	tm_doc_drop(doc, "too-short");                  /* too late */
	ck_assert_int_eq(tm_doc_verdict(doc, &reason), TM_DROP);
	ck_assert_str_eq(reason, "duplicate-of:vn-3");
	ck_assert_int_eq(tm_doc_verdict(doc, NULL), TM_DROP);
	ck_assert_str_eq(doc->verdict_stage, "test.stage");

	/* A reset document is kept again; a reject can come first too. */
	doc_reset(doc);
	tm_doc_reject(doc, "bad input");
	tm_doc_drop(doc, "too-short");
	ck_assert_int_eq(tm_doc_verdict(doc, &reason), TM_REJECT);
	ck_assert_str_eq(reason, "bad input");

	/* The reason is copied, and an empty one gets a name. */
	doc_reset(doc);
	char why[] = "near-duplicate";
	tm_doc_drop(doc, why);
	why[0] = 'X';
	ck_assert_int_eq(tm_doc_verdict(doc, &reason), TM_DROP);
	ck_assert_str_eq(reason, "near-duplicate");
	doc_reset(doc);
	tm_doc_drop(doc, "");
	tm_doc_verdict(doc, &reason);
	ck_assert_str_eq(reason, "unspecified");
	doc_reset(doc);
	tm_doc_reject(doc, NULL);
	ck_assert_int_eq(tm_doc_verdict(doc, &reason), TM_REJECT);
	ck_assert_str_eq(reason, "unspecified");
}
END_TEST

/* ---- text ------------------------------------------------------------------- */

START_TEST(test_set_text)
{
	const char *t = "Sông Hương";
	ck_assert_int_eq(tm_doc_set_text(doc, t, strlen(t)), TM_OK);
	size_t len;
	ck_assert_str_eq(tm_doc_text(doc, &len), t);
	ck_assert_uint_eq(len, strlen(t));
	ck_assert_ptr_nonnull(tm_doc_text(doc, NULL));

	/* Only len bytes, NUL-terminated after them. */
	ck_assert_int_eq(tm_doc_set_text(doc, "Sông Hương", 5), TM_OK);
	ck_assert_str_eq(tm_doc_text(doc, &len), "Sông");
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(tm_doc_set_text(doc, "", 0), TM_OK);
	ck_assert_str_eq(tm_doc_text(doc, &len), "");
	ck_assert_uint_eq(len, 0);

	/* Growing a lot. */
	buf big = {0};
	for (int i = 0; i < 10000; i++)
		buf_puts(&big, "Núi Ngự ");
	ck_assert_int_eq(tm_doc_set_text(doc, big.p, big.len), TM_OK);
	ck_assert_str_eq(tm_doc_text(doc, &len), big.p);
	buf_free(&big);
}
END_TEST

START_TEST(test_set_text_from_own_view)
{
	/* "Hà Nội mùa thu": keep "mùa thu" (from byte 10), a view of the
	 * document's own text that the new text overlaps. */
	size_t len;
	const char *t = tm_doc_text(doc, &len);
	ck_assert_int_eq(tm_doc_set_text(doc, t + 10, len - 10), TM_OK);
	ck_assert_str_eq(tm_doc_text(doc, &len), "mùa thu");
	ck_assert_uint_eq(len, 8);

	/* A prefix of itself, and itself whole. */
	t = tm_doc_text(doc, &len);
	ck_assert_int_eq(tm_doc_set_text(doc, t, 4), TM_OK);
	ck_assert_str_eq(tm_doc_text(doc, &len), "mùa");
	t = tm_doc_text(doc, &len);
	ck_assert_int_eq(tm_doc_set_text(doc, t, len), TM_OK);
	ck_assert_str_eq(tm_doc_text(doc, &len), "mùa");

	/* A longer text shifted by one word onto itself: source and
	 * destination overlap over 796 bytes. */
	buf twice = {0};
	for (int i = 0; i < 200; i++)
		buf_puts(&twice, "thu ");
	ck_assert_int_eq(tm_doc_set_text(doc, twice.p, twice.len), TM_OK);
	t = tm_doc_text(doc, &len);
	ck_assert_int_eq(tm_doc_set_text(doc, t + 4, len - 4), TM_OK);
	ck_assert_uint_eq(strlen(tm_doc_text(doc, NULL)), twice.len - 4);
	ck_assert_int_eq(memcmp(tm_doc_text(doc, NULL), twice.p, twice.len - 4), 0);
	buf_free(&twice);
}
END_TEST

START_TEST(test_set_text_refused_after_entities)
{
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 9, NULL, NULL, NULL), TM_OK);
	/* A later stage tries to rewrite the text. */
	tm_ctx later;
	ctx_init(&later, "clean.normalize", "stages.1", 0, 1, 1);
	doc->ctx = &later;
	ck_assert_int_eq(tm_doc_set_text(doc, "khác", strlen("khác")), TM_ERROR);
	ck_assert_str_eq(later.error.p,
			 "rewrote the text of a document that stage 'test.stage' had already annotated; "
			 "entity offsets would no longer match, so put text-rewriting stages before it");
	ck_assert_str_eq(tm_doc_text(doc, NULL), "Hà Nội mùa thu"); /* unchanged */
	ck_assert_uint_eq(tm_doc_entity_count(doc), 1);
	ctx_free(&later);
	doc->ctx = &ctx;

	/* Entities read from a record (no stage) are named '?'. */
	doc_reset(doc);
	doc->ctx = &ctx; /* a reset forgets the stage */
	buf err = {0};
	const char *rec = "{\"text\":\"Huế\",\"entities\":[{\"type\":\"LOC\",\"start\":0,\"end\":5}]}";
	ck_assert_int_eq(doc_from_json(doc, rec, strlen(rec), &err), 0);
	ck_assert_int_eq(tm_doc_set_text(doc, "x", 1), TM_ERROR);
	ck_assert_error_has("that stage '?' had already annotated");
	buf_free(&err);
}
END_TEST

START_TEST(test_without_a_stage)
{
	/* Outside a stage (no context) the calls still fail, just silently. */
	doc->ctx = NULL;
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 2, NULL, NULL, NULL), TM_ERROR);
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "x", "{", 1), TM_ERROR);
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 3, NULL, NULL, NULL), TM_OK);
	ck_assert_ptr_null(tm_doc_entity(doc, 0)->stage);
	tm_doc_drop(doc, "x");
	ck_assert_ptr_null(doc->verdict_stage);
	ck_assert_ptr_null(ctx.error.p);
}
END_TEST

START_TEST(test_id_source_and_json)
{
	ck_assert_str_eq(tm_doc_id(doc), "vn-7");
	ck_assert_str_eq(tm_doc_source(doc), "");
	doc_set_source(doc, "tin-tuc.jsonl", 12);
	ck_assert_str_eq(tm_doc_source(doc), "tin-tuc.jsonl:12");
	doc_set_source(doc, "bai-viet.txt", 0);
	ck_assert_str_eq(tm_doc_source(doc), "bai-viet.txt");

	/* tm_doc_to_json appends to what the buffer holds, growing it. */
	char *out = malloc(4);
	memcpy(out, "[:]", 4);
	size_t len = 3, cap = 4;
	ck_assert_int_eq(tm_doc_to_json(doc, &out, &len, &cap), TM_OK);
	const char *want = "[:]{\"id\":\"vn-7\",\"text\":\"Hà Nội mùa thu\",\"meta\":{},\"entities\":[]}\n";
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_uint_gt(cap, len);
	ck_assert_int_eq(tm_doc_to_json(doc, &out, &len, &cap), TM_OK);
	ck_assert_uint_eq(len, 2 * strlen(want) - 3);
	free(out);
}
END_TEST

/* A document reused for the next record keeps its memory, except what a
 * large record took: otherwise a few large records, one in each slot,
 * would leave every document of every batch that large. */
START_TEST(test_reset_gives_back_large_memory)
{
	size_t big = 3u << 20;
	char *text = malloc(big);
	memset(text, 'a', big);
	ck_assert_int_eq(tm_doc_set_text(doc, text, big), TM_OK);
	doc->bytes = big;
	doc_reset(doc);
	ck_assert_uint_lt(doc->text.cap, 1u << 20);
	ck_assert_ptr_null(doc->mem.first);
	/* A small record keeps its memory for the next one. */
	ck_assert_int_eq(tm_doc_set_text(doc, text, 1000), TM_OK);
	doc_set_id(doc, "nhỏ", strlen("nhỏ"));
	doc->bytes = 1000;
	size_t cap = doc->text.cap;
	doc_reset(doc);
	ck_assert_uint_eq(doc->text.cap, cap);
	ck_assert_ptr_nonnull(doc->mem.first);
	free(text);
}
END_TEST

static Suite *doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("meta");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_meta_string);
	tcase_add_test(tc, test_meta_number);
	tcase_add_test(tc, test_meta_json);
	tcase_add_test(tc, test_meta_replace_and_remove);
	tcase_add_test(tc, test_pretty_json_stays_one_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("entities");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_entity_boundaries);
	tcase_add_test(tc, test_entity_written);
	tcase_add_test(tc, test_entity_json);
	tcase_add_test(tc, test_names_must_be_text);
	tcase_add_test(tc, test_names_kept_once);
	tcase_add_test(tc, test_many_entities);
	tcase_add_test(tc, test_buf_put_uint);
	suite_add_tcase(s, tc);

	tc = tcase_create("verdicts and text");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_verdict_first_wins);
	tcase_add_test(tc, test_set_text);
	tcase_add_test(tc, test_set_text_from_own_view);
	tcase_add_test(tc, test_set_text_refused_after_entities);
	tcase_add_test(tc, test_without_a_stage);
	tcase_add_test(tc, test_id_source_and_json);
	tcase_add_test(tc, test_reset_gives_back_large_memory);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(doc_suite()); }
