/* test_json.c -- the JSON scanner (json.c) and document records
 * (doc_from_json / doc_write_json in doc.c). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "helpers.h"
#include "json.h"

/* ---- helpers ------------------------------------------------------------ */

/* Read one record into a fresh document; err gets the reason on failure. */
static int read_record(tm_doc *doc, const char *line, buf *err)
{
	doc_reset(doc);
	buf_clear(err);
	return doc_from_json(doc, line, strlen(line), err);
}

/* Decode one JSON string literal; returns 0 and the bytes in out, or -1. */
static int decode(const char *literal, buf *out, const char **error)
{
	json_cursor c = {literal, literal, literal + strlen(literal), NULL, NULL, 0};
	buf_clear(out);
	int rc = json_read_string(&c, out);
	if (error)
		*error = c.error;
	if (rc == 0)
		ck_assert_ptr_eq(c.p, c.end); /* consumed the whole literal */
	return rc;
}

/* Assert that reading `line` fails with a message containing `want`. */
#define ck_assert_record_fails(line, want)                                                              \
	do {                                                                                            \
		tm_doc *d_ = doc_new();                                                                 \
		buf e_ = {0};                                                                           \
		ck_assert_int_eq(read_record(d_, (line), &e_), -1);                                     \
		ck_assert_ptr_nonnull(e_.p);                                                            \
		ck_assert_msg(strstr(e_.p, (want)) != NULL, "error \"%s\" lacks \"%s\"", e_.p, (want)); \
		buf_free(&e_);                                                                          \
		doc_free(d_);                                                                           \
	} while (0)

/* ---- strings ------------------------------------------------------------ */

START_TEST(test_escapes_decode)
{
	buf out = {0};
	ck_assert_int_eq(decode("\"a\\nb\\tc\\\"d\\\\e\\/f\\bg\\fh\\u00e9\\r\"", &out, NULL), 0);
	const char want[] = "a\nb\tc\"d\\e/f\bg\fh\xc3\xa9\r";
	ck_assert_uint_eq(out.len, sizeof want - 1);
	ck_assert_mem_eq(out.p, want, out.len);

	/* Vietnamese through \u escapes: "Việt" = V i \u1ec7 t. */
	ck_assert_int_eq(decode("\"Vi\\u1ec7t\"", &out, NULL), 0);
	ck_assert_str_eq(out.p, "Vi\xe1\xbb\x87t");
	ck_assert_str_eq(out.p, "Việt");

	/* Upper-case hex digits are fine too. */
	ck_assert_int_eq(decode("\"\\u00C9\"", &out, NULL), 0);
	ck_assert_str_eq(out.p, "É");

	/* \u0000 is a real NUL byte in the middle of the text. */
	ck_assert_int_eq(decode("\"a\\u0000b\"", &out, NULL), 0);
	ck_assert_uint_eq(out.len, 3);
	ck_assert_mem_eq(out.p, "a\0b", 3);
	buf_free(&out);
}
END_TEST

START_TEST(test_bad_escapes)
{
	buf out = {0};
	const char *error = NULL;
	ck_assert_int_eq(decode("\"\\x41\"", &out, &error), -1);
	ck_assert_str_eq(error, "invalid escape in a string");
	ck_assert_int_eq(decode("\"\\u12G4\"", &out, &error), -1);
	ck_assert_str_eq(error, "invalid \\u escape");
	ck_assert_int_eq(decode("\"\\u12\"", &out, &error), -1);
	ck_assert_str_eq(error, "invalid \\u escape");
	ck_assert_int_eq(decode("\"no end", &out, &error), -1);
	ck_assert_str_eq(error, "unterminated string");
	ck_assert_int_eq(decode("\"ends in a backslash\\", &out, &error), -1);
	ck_assert_str_eq(error, "unterminated string");
	buf_free(&out);
}
END_TEST

START_TEST(test_surrogate_pair)
{
	buf out = {0};
	ck_assert_int_eq(decode("\"c\\u01b0\\u1eddi \\ud83d\\ude00\"", &out, NULL), 0);
	/* "cười " then U+1F600 as its four UTF-8 bytes. */
	ck_assert_str_eq(out.p, "c\xc6\xb0\xe1\xbb\x9di \xf0\x9f\x98\x80");
	ck_assert_uint_eq(out.len, 8 + 4); /* ư is two bytes, ờ three */

	/* The highest code point, U+10FFFF = \udbff\udfff. */
	ck_assert_int_eq(decode("\"\\udbff\\udfff\"", &out, NULL), 0);
	ck_assert_str_eq(out.p, "\xf4\x8f\xbf\xbf");
	buf_free(&out);
}
END_TEST

START_TEST(test_lone_surrogates)
{
	buf out = {0};
	const char *error = NULL;
	/* A low surrogate on its own. */
	ck_assert_int_eq(decode("\"\\ude00\"", &out, &error), -1);
	ck_assert_str_eq(error, "lone low surrogate in \\u escape");
	/* A high surrogate at the end, before a plain letter, before another
	 * high surrogate, and in the wrong order. */
	static const char *const bad[] = {"\"\\ud83d\"", "\"\\ud83dx\"", "\"\\ud83d\\u0041\"", "\"\\ud83d\\ud83d\"",
					  "\"\\ude00\\ud83d\""};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(decode(bad[i], &out, &error) == -1, "%s accepted", bad[i]);
		ck_assert_ptr_nonnull(strstr(error, "surrogate"));
	}
	ck_assert_record_fails("{\"id\":\"s\",\"text\":\"x\\ud800y\"}",
			       "malformed JSON: high surrogate without its low surrogate in \\u escape at column 20");
	buf_free(&out);
}
END_TEST

START_TEST(test_raw_control_characters)
{
	buf out = {0};
	const char *error = NULL;
	ck_assert_int_eq(decode("\"tab\there\"", &out, &error), -1);
	ck_assert_str_eq(error, "control character in a string (must be escaped)");
	ck_assert_int_eq(decode("\"line\nbreak\"", &out, &error), -1);
	ck_assert_int_eq(decode("\"bell\x07\"", &out, &error), -1);
	/* DEL (0x7f) is not a control character for JSON. */
	ck_assert_int_eq(decode("\"del\x7f\"", &out, &error), 0);
	/* In a record the column points at the raw character: "Hà<TAB>Nội"
	 * starts at column 18, and "Hà" is three bytes. */
	ck_assert_record_fails("{\"id\":\"c\",\"text\":\"H\xc3\xa0\tN\xe1\xbb\x99i\"}",
			       "malformed JSON: control character in a string (must be escaped) at column 22");
	buf_free(&out);
}
END_TEST

START_TEST(test_put_string)
{
	buf b = {0};
	const char text[] = "Sài Gòn\n\t\"q\"\\ /\b\f\r\x01\x1f\x7f";
	json_put_string(&b, text, sizeof text - 1);
	ck_assert_str_eq(b.p, "\"Sài Gòn\\n\\t\\\"q\\\"\\\\ /\\b\\f\\r\\u0001\\u001f\x7f\"");
	/* What we write, we read back to the same bytes. */
	buf back = {0};
	ck_assert_int_eq(decode(b.p, &back, NULL), 0);
	ck_assert_uint_eq(back.len, sizeof text - 1);
	ck_assert_mem_eq(back.p, text, back.len);
	/* Embedded NUL. */
	buf_clear(&b);
	json_put_string(&b, "a\0b", 3);
	ck_assert_str_eq(b.p, "\"a\\u0000b\"");
	buf_free(&b);
	buf_free(&back);
}
END_TEST

/* ---- values -------------------------------------------------------------- */

START_TEST(test_is_value)
{
	static const char *const good[] = {
		"0",
		"-0",
		"12.5e-3",
		"1E+2",
		"\"\"",
		"true",
		"false",
		"null",
		" [ 1 , \"a\" ] ",
		"{\"k\":{\"n\":[null,{}]}}",
		"{}",
		"[]",
		"\"Đà Nẵng\"",
		"\n\t{\"a\" : 1}\r\n",
	};
	static const char *const bad[] = {
		"",    " ",       "01",   "-",     "1.",         ".5",    "1e",        "+1",          "tru",
		"nul", "True",    "[1,]", "[1 2]", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "\"a\" \"b\"", "1 2",
		"[",   "{\"a\":", "NaN",  "'x'",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		ck_assert_msg(json_is_value(good[i], strlen(good[i])), "refused: %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(!json_is_value(bad[i], strlen(bad[i])), "accepted: %s", bad[i]);
	/* Only len bytes count: "12" cut to "1" is a value, "[1]" cut to "[1" is not. */
	ck_assert(json_is_value("12", 1));
	ck_assert(!json_is_value("[1]", 2));
}
END_TEST

START_TEST(test_nesting_limit)
{
	size_t depth = 100, deep = 5000;
	buf b = {0};
	for (size_t i = 0; i < depth; i++)
		buf_putc(&b, '[');
	for (size_t i = 0; i < depth; i++)
		buf_putc(&b, ']');
	ck_assert(json_is_value(b.p, b.len));

	buf_clear(&b);
	for (size_t i = 0; i < deep; i++)
		buf_putc(&b, '[');
	for (size_t i = 0; i < deep; i++)
		buf_putc(&b, ']');
	json_cursor c = {b.p, b.p, b.p + b.len, NULL, NULL, 0};
	ck_assert_int_eq(json_skip_value(&c), -1);
	ck_assert_str_eq(c.error, "nested too deeply");
	buf_free(&b);
}
END_TEST

START_TEST(test_put_number)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{0, "0"},
		{3, "3"},
		{-42, "-42"},
		{2.5, "2.5"},
		{0.1, "0.1"},
		{-0.001, "-0.001"},
		{1e-7, "1e-07"},
		{123456789012345.0, "123456789012345"}, /* below 1e15: all digits */
		{1e15, "1e+15"},
		{1e300, "1e+300"},
		{1.0 / 3, "0.33333333333333331"}, /* 15 digits would not read back */
		{0.30000000000000004, "0.30000000000000004"},
		{4503599627370497.0, "4503599627370497"},
	};
	buf b = {0};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_clear(&b);
		json_put_number(&b, cases[i].v);
		ck_assert_str_eq(b.p, cases[i].want);
		ck_assert(json_is_value(b.p, b.len));
		ck_assert(strtod(b.p, NULL) == cases[i].v); /* reads back exactly */
	}
	/* JSON has no NaN or infinity. */
	buf_clear(&b);
	json_put_number(&b, NAN);
	ck_assert_str_eq(b.p, "null");
	buf_clear(&b);
	json_put_number(&b, -INFINITY);
	ck_assert_str_eq(b.p, "null");
	buf_free(&b);
}
END_TEST

/* ---- records --------------------------------------------------------------- */

START_TEST(test_record_basic)
{
	tm_doc *doc = doc_new();
	buf err = {0};
	ck_assert_int_eq(read_record(doc, " { \"id\" : \"vn-1\" , \"text\" : \"Hà Nội mùa thu\" } ", &err), 0);
	ck_assert_str_eq(tm_doc_id(doc), "vn-1");
	size_t len;
	ck_assert_str_eq(tm_doc_text(doc, &len), "Hà Nội mùa thu");
	ck_assert_uint_eq(len, strlen("Hà Nội mùa thu"));
	ck_assert_uint_eq(tm_doc_meta_count(doc), 0);
	ck_assert_uint_eq(tm_doc_entity_count(doc), 0);
	ck_assert_int_eq(tm_doc_verdict(doc, NULL), TM_KEEP);

	/* Escapes in the text are decoded. */
	ck_assert_int_eq(read_record(doc, "{\"id\":\"e\",\"text\":\"a\\nb\\t\\\"c\\\"\\\\\\/\\b\\f\\u00e9\"}", &err),
			 0);
	ck_assert_str_eq(tm_doc_text(doc, NULL), "a\nb\t\"c\"\\/\b\fé");

	/* No id: the id is empty (the reader names it after its place). */
	ck_assert_int_eq(read_record(doc, "{\"text\":\"chào\"}", &err), 0);
	ck_assert_str_eq(tm_doc_id(doc), "");
	buf_free(&err);
	doc_free(doc);
}
END_TEST

START_TEST(test_numeric_id)
{
	tm_doc *doc = doc_new();
	buf err = {0};
	ck_assert_int_eq(read_record(doc, "{\"id\":42,\"text\":\"x\"}", &err), 0);
	ck_assert_str_eq(tm_doc_id(doc), "42");
	/* The digits as written, not a reformatted number. */
	ck_assert_int_eq(read_record(doc, "{\"id\": -1.50e3 ,\"text\":\"x\"}", &err), 0);
	ck_assert_str_eq(tm_doc_id(doc), "-1.50e3");
	ck_assert_int_eq(read_record(doc, "{\"id\":007,\"text\":\"x\"}", &err), -1);
	ck_assert_int_eq(read_record(doc, "{\"id\":true,\"text\":\"x\"}", &err), -1);
	ck_assert_str_eq(err.p, "malformed JSON: \"id\" must be a string or a number at column 7");
	ck_assert_int_eq(read_record(doc, "{\"id\":[1],\"text\":\"x\"}", &err), -1);
	ck_assert_str_eq(err.p, "malformed JSON: \"id\" must be a string or a number at column 7");
	buf_free(&err);
	doc_free(doc);
}
END_TEST

START_TEST(test_missing_text)
{
	ck_assert_record_fails("{\"id\":\"a\"}", "malformed record: no \"text\"");
	ck_assert_record_fails("{\"id\":\"a\",\"meta\":{\"text\":\"not here\"}}", "malformed record: no \"text\"");
	ck_assert_record_fails("{\"id\":\"a\",\"text\":null}", "malformed JSON: expected a string at column 18");
	ck_assert_record_fails("{\"id\":\"a\",\"text\":12}", "malformed JSON: expected a string at column 18");
}
END_TEST

START_TEST(test_malformed_columns)
{
	tm_doc *doc = doc_new();
	buf err = {0};
	static const struct {
		const char *line, *want;
	} cases[] = {
		{"", "malformed JSON: a record must be a JSON object at column 1"},
		{"[1,2]", "malformed JSON: a record must be a JSON object at column 1"},
		{"   \"text\"", "malformed JSON: a record must be a JSON object at column 4"},
		{"{\"id\":\"a\" \"text\":\"x\"}", "malformed JSON: expected ',' or '}' in an object at column 11"},
		{"{\"id\":\"a\",\"text\" \"x\"}", "malformed JSON: expected ':' after an object key at column 18"},
		{"{\"id\":\"a\",\"text\":\"x\"", "malformed JSON: expected ',' or '}' in an object at column 21"},
		{"{\"id\":\"a\",\"text\":\"x}", "malformed JSON: unterminated string at column 21"},
		{"{\"id\":\"a\",\"text\":\"x\"} x", "malformed JSON: text after the end of the record at column 23"},
		{"{\"id\":\"a\",\"text\":\"x\",}", "malformed JSON: expected a string at column 22"},
		{"{id:\"a\"}", "malformed JSON: expected a string at column 2"},
		{"{\"text\":\"x\",\"tags\":[1,]}", "malformed JSON: invalid number at column 23"},
		{"{\"text\":\"x\",\"meta\":[]}", "malformed JSON: \"meta\" must be an object at column 20"},
		{"{\"text\":\"x\",\"entities\":{}}", "malformed JSON: \"entities\" must be an array at column 24"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ck_assert_msg(read_record(doc, cases[i].line, &err) == -1, "accepted: %s", cases[i].line);
		ck_assert_msg(!strcmp(err.p, cases[i].want), "%s: got \"%s\", want \"%s\"", cases[i].line, err.p,
			      cases[i].want);
	}
	buf_free(&err);
	doc_free(doc);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	tm_doc *doc = doc_new();
	buf err = {0};
	/* "chào" in Latin-1: 0xE0 is byte 22 of the line (1-based). */
	ck_assert_int_eq(read_record(doc, "{\"id\":\"l1\",\"text\":\"ch\xe0o\"}", &err), -1);
	ck_assert_str_eq(err.p, "invalid UTF-8: at byte 22");
	/* A UTF-8 sequence cut short at the end of the line. */
	ck_assert_int_eq(read_record(doc, "{\"text\":\"x\"}\xe1\xbb", &err), -1);
	ck_assert_str_eq(err.p, "invalid UTF-8: at byte 13");
	/* Overlong "/" (0xC0 0xAF), UTF-16 surrogate encoded in UTF-8, and
	 * a code point above U+10FFFF: all refused, each at its first byte. */
	ck_assert_int_eq(read_record(doc, "{\"text\":\"\xc0\xaf\"}", &err), -1);
	ck_assert_str_eq(err.p, "invalid UTF-8: at byte 10");
	ck_assert_int_eq(read_record(doc, "{\"text\":\"ab\xed\xa0\x80\"}", &err), -1);
	ck_assert_str_eq(err.p, "invalid UTF-8: at byte 12");
	ck_assert_int_eq(read_record(doc, "{\"text\":\"\xf4\x90\x80\x80\"}", &err), -1);
	ck_assert_str_eq(err.p, "invalid UTF-8: at byte 10");
	/* Invalid bytes outside any string are refused just the same. */
	ck_assert_int_eq(read_record(doc, "{\"text\":\"x\",\"n\":1\xff}", &err), -1);
	ck_assert_str_eq(err.p, "invalid UTF-8: at byte 18");
	/* Valid four-byte characters pass. */
	ck_assert_int_eq(read_record(doc, "{\"text\":\"\xf0\x9f\x98\x80 vui\"}", &err), 0);
	buf_free(&err);
	doc_free(doc);
}
END_TEST

START_TEST(test_unknown_keys_are_meta)
{
	tm_doc *doc = doc_new();
	buf err = {0};
	ck_assert_int_eq(read_record(doc,
				     "{\"url\":\"https://vnexpress.net/a\",\"id\":\"u\",\"text\":\"x\","
				     "\"score\": 0.50 ,\"tags\":[\"thời sự\", 1],\"meta\":{\"lang\":\"vi\"}}",
				     &err),
			 0);
	ck_assert_uint_eq(tm_doc_meta_count(doc), 4);
	/* In the order met: top-level keys and meta's keys alike. */
	ck_assert_str_eq(tm_doc_meta_key(doc, 0), "url");
	ck_assert_str_eq(tm_doc_meta_key(doc, 1), "score");
	ck_assert_str_eq(tm_doc_meta_key(doc, 2), "tags");
	ck_assert_str_eq(tm_doc_meta_key(doc, 3), "lang");
	ck_assert_ptr_null(tm_doc_meta_key(doc, 4));
	ck_assert_str_eq(tm_doc_meta_json(doc, "url"), "\"https://vnexpress.net/a\"");
	ck_assert_str_eq(tm_doc_meta_json(doc, "score"), "0.50");
	ck_assert_str_eq(tm_doc_meta_json(doc, "tags"), "[\"thời sự\", 1]");
	ck_assert_str_eq(tm_doc_meta_string(doc, "lang", NULL), "vi");
	double score = 0;
	ck_assert_int_eq(tm_doc_meta_number(doc, "score", &score), TM_OK);
	ck_assert(score == 0.5);

	/* Written back, they all go under "meta". */
	buf out = {0};
	doc_write_json(doc, &out);
	ck_assert_str_eq(out.p, "{\"id\":\"u\",\"text\":\"x\",\"meta\":{\"url\":\"https://vnexpress.net/a\","
				"\"score\":0.50,\"tags\":[\"thời sự\", 1],\"lang\":\"vi\"},\"entities\":[]}\n");
	buf_free(&out);
	buf_free(&err);
	doc_free(doc);
}
END_TEST

START_TEST(test_meta_raw_json_preserved)
{
	/* Values are kept as written: spacing inside, escapes, number spelling. */
	const char *line = "{\"id\":\"m\",\"text\":\"t\",\"meta\":{\"a\":{ \"x\" : [1, 2.0, -3e2] },"
			   "\"b\":\"\\u0110\\u00e0 L\\u1ea1t\",\"c\":1.000,\"d\":null,\"e\":true,\"f\":\"\\/\"},"
			   "\"entities\":[]}\n";
	tm_doc *doc = doc_new();
	buf err = {0};
	ck_assert_int_eq(doc_from_json(doc, line, strlen(line) - 1, &err), 0);
	ck_assert_str_eq(tm_doc_meta_json(doc, "a"), "{ \"x\" : [1, 2.0, -3e2] }");
	ck_assert_str_eq(tm_doc_meta_json(doc, "b"), "\"\\u0110\\u00e0 L\\u1ea1t\"");
	ck_assert_str_eq(tm_doc_meta_string(doc, "b", NULL), "Đà Lạt");
	ck_assert_str_eq(tm_doc_meta_json(doc, "c"), "1.000");
	ck_assert_str_eq(tm_doc_meta_json(doc, "d"), "null");
	buf out = {0};
	doc_write_json(doc, &out);
	ck_assert_str_eq(out.p, line); /* byte for byte */

	/* An invalid meta value rejects the record. */
	ck_assert_int_eq(read_record(doc, "{\"text\":\"t\",\"meta\":{\"a\":[1,,2]}}", &err), -1);
	ck_assert_str_eq(err.p, "malformed JSON: invalid number at column 28");
	buf_free(&out);
	buf_free(&err);
	doc_free(doc);
}
END_TEST

/* "Hà Nội là thủ đô của Việt Nam." with two entities. Byte offsets:
 * "Hà Nội" is [0, 9) (à two bytes, ộ three), "Việt Nam" is [31, 41);
 * the whole text is 42 bytes. */
#define VN_TEXT "Hà Nội là thủ đô của Việt Nam."

START_TEST(test_entities_read)
{
	ck_assert_uint_eq(strlen("Hà Nội"), 9);
	ck_assert_uint_eq(strlen(VN_TEXT), 42);
	ck_assert_int_eq(memcmp(VN_TEXT + 31, "Việt Nam", 10), 0);
	const char *line =
		"{\"id\":\"e1\",\"text\":\"" VN_TEXT "\",\"entities\":["
		"{\"type\":\"LOC\",\"text\":\"Hà Nội\",\"start\":0,\"end\":9,\"value\":{\"geo\":\"VN-HN\"},"
		"\"attrs\":{\"conf\":0.9},\"rule\":\"gazetteer\"},"
		"{\"end\":41,\"start\":31,\"type\":\"LOC\"}]}";
	tm_doc *doc = doc_new();
	buf err = {0};
	ck_assert_msg(read_record(doc, line, &err) == 0, "%s", err.p);
	ck_assert_uint_eq(tm_doc_entity_count(doc), 2);
	const tm_entity *e = tm_doc_entity(doc, 0);
	ck_assert_str_eq(e->type, "LOC");
	ck_assert_uint_eq(e->start, 0);
	ck_assert_uint_eq(e->end, 9);
	ck_assert_str_eq(e->value_json, "{\"geo\":\"VN-HN\"}");
	ck_assert_str_eq(e->attrs_json, "{\"conf\":0.9}");
	ck_assert_str_eq(e->rule, "gazetteer");
	e = tm_doc_entity(doc, 1);
	ck_assert_uint_eq(e->start, 31);
	ck_assert_uint_eq(e->end, 41);
	ck_assert_ptr_null(e->value_json);
	ck_assert_ptr_null(e->attrs_json);
	ck_assert_ptr_null(e->rule);
	ck_assert_ptr_null(tm_doc_entity(doc, 2));

	/* Written back with their text, value null and attrs {} filled in. */
	buf out = {0};
	doc_write_json(doc, &out);
	ck_assert_str_eq(out.p,
			 "{\"id\":\"e1\",\"text\":\"" VN_TEXT "\",\"meta\":{},\"entities\":["
			 "{\"type\":\"LOC\",\"text\":\"Hà Nội\",\"start\":0,\"end\":9,\"value\":{\"geo\":\"VN-HN\"},"
			 "\"attrs\":{\"conf\":0.9},\"rule\":\"gazetteer\"},"
			 "{\"type\":\"LOC\",\"text\":\"Việt Nam\",\"start\":31,\"end\":41,\"value\":null,"
			 "\"attrs\":{},\"rule\":null}]}\n");
	buf_free(&out);
	buf_free(&err);
	doc_free(doc);
}
END_TEST

START_TEST(test_entities_rejected)
{
	const char *head = "{\"text\":\"" VN_TEXT "\",\"entities\":[";
	static const struct {
		const char *entities, *want;
	} cases[] = {
		/* The "text" must be what the span covers. */
		{"{\"type\":\"LOC\",\"text\":\"Hà Nộ\",\"start\":0,\"end\":9}",
		 "bad entity: entity 0 \"text\" does not match the text at [0, 9)"},
		{"{\"type\":\"LOC\",\"start\":0,\"end\":9},{\"type\":\"LOC\",\"text\":\"Việt\",\"start\":0,\"end\":6}",
		 "bad entity: entity 1 \"text\" does not match the text at [0, 6)"},
		/* The text is 42 bytes. */
		{"{\"type\":\"LOC\",\"start\":40,\"end\":43}",
		 "bad entity: entity 0 [40, 43) is outside the text (42 bytes)"},
		{"{\"type\":\"LOC\",\"start\":9,\"end\":3}",
		 "bad entity: entity 0 [9, 3) is outside the text (42 bytes)"},
		/* Byte 2 is inside "à", byte 6 inside "ộ". */
		{"{\"type\":\"LOC\",\"start\":0,\"end\":2}",
		 "bad entity: entity 0 splits a UTF-8 character or has invalid JSON"},
		{"{\"type\":\"LOC\",\"start\":6,\"end\":9}",
		 "bad entity: entity 0 splits a UTF-8 character or has invalid JSON"},
		{"{\"start\":0,\"end\":9}", "bad entity: entity 0 needs type, start and end"},
		{"{\"type\":\"LOC\",\"start\":0}", "bad entity: entity 0 needs type, start and end"},
		{"{\"type\":\"LOC\",\"start\":-1,\"end\":9}",
		 "malformed JSON: expected a non-negative integer at column"},
		{"{\"type\":\"LOC\",\"start\":0,\"end\":9.0}", "malformed JSON: expected an integer at column"},
		{"{\"type\":\"LOC\",\"start\":0,\"end\":99999999999999999999999}",
		 "malformed JSON: integer too large at column"},
		{"{\"type\":\"LOC\",\"start\":0,\"end\":9,\"attrs\":[1]}",
		 "malformed JSON: entity attrs must be an object at column"},
		{"\"LOC\"", "malformed JSON: an entity must be an object at column"},
		{"{\"type\":\"LOC\",\"start\":0,\"end\":9} {}",
		 "malformed JSON: expected ',' or ']' in \"entities\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *line = xasprintf("%s%s]}", head, cases[i].entities);
		tm_doc *doc = doc_new();
		buf err = {0};
		ck_assert_msg(read_record(doc, line, &err) == -1, "accepted: %s", line);
		ck_assert_msg(strstr(err.p, cases[i].want) != NULL, "case %zu: got \"%s\", want \"%s\"", i, err.p,
			      cases[i].want);
		buf_free(&err);
		doc_free(doc);
		free(line);
	}
}
END_TEST

START_TEST(test_entities_before_text)
{
	/* Entities may come before the text in the record: they are checked
	 * once the whole record is read. */
	tm_doc *doc = doc_new();
	buf err = {0};
	ck_assert_int_eq(read_record(doc,
				     "{\"entities\":[{\"type\":\"LOC\",\"start\":0,\"end\":5,\"text\":\"Huế\"}],"
				     "\"text\":\"Huế mộng mơ\"}",
				     &err),
			 0);
	ck_assert_uint_eq(tm_doc_entity_count(doc), 1);
	buf_free(&err);
	doc_free(doc);
}
END_TEST

/* Every string the reader takes out of a record, in each way a string can
 * be broken: the record is refused with a reason, and the document stays
 * usable (an id, never NULL; it can be written out). Before, a broken id
 * left a NULL id that the input reader then dereferenced. */
START_TEST(test_broken_strings_in_every_field)
{
	static const char *const slots[] = {
		"{\"id\":@,\"text\":\"t\"}",
		"{\"text\":@,\"id\":\"a\"}",
		"{\"text\":\"t\",\"meta\":{@:1}}",
		"{\"text\":\"t\",\"meta\":{\"k\":@}}",
		"{\"text\":\"t\",@:1}",
		"{\"text\":\"t\",\"x\":[{\"y\":@}]}",
		"{\"text\":\"t\",\"entities\":[{\"type\":@,\"start\":0,\"end\":1}]}",
		"{\"text\":\"t\",\"entities\":[{\"type\":\"T\",\"text\":@,\"start\":0,\"end\":1}]}",
		"{\"text\":\"t\",\"entities\":[{\"type\":\"T\",\"rule\":@,\"start\":0,\"end\":1}]}",
		"{\"text\":\"t\",\"entities\":[{\"type\":\"T\",\"value\":@,\"start\":0,\"end\":1}]}",
		"{\"text\":\"t\",\"entities\":[{\"type\":\"T\",\"attrs\":{@:1},\"start\":0,\"end\":1}]}",
		"{\"text\":\"t\",\"entities\":[{@:1,\"type\":\"T\",\"start\":0,\"end\":1}]}",
		"{\"id\":\"a\",\"text\":\"t\",\"k\":@", /* the last line, cut inside a string */
	};
	static const char *const broken[] = {
		"\"",           /* not closed */
		"\"a\xff\"",    /* invalid UTF-8 */
		"\"\xe1\xbb\"", /* a character cut short */
		"\"a\\q\"",     /* a bad escape */
		"\"\\ud800\"",  /* a lone high surrogate */
		"\"\\udc00x\"", /* a lone low surrogate */
		"\"\\u12\"",    /* a short \u escape */
		"\"a\tb\"",     /* a raw tab */
		"\"a\nb\"",     /* a raw line break */
		"\"a\\",        /* ends in an escape */
	};
	tm_doc *doc = doc_new();
	buf err = {0}, out = {0};
	for (size_t i = 0; i < sizeof slots / sizeof *slots; i++)
		for (size_t k = 0; k < sizeof broken / sizeof *broken; k++) {
			buf line = {0};
			const char *at = strchr(slots[i], '@');
			buf_put(&line, slots[i], (size_t)(at - slots[i]));
			buf_puts(&line, broken[k]);
			buf_puts(&line, at + 1);
			doc_reset(doc);
			buf_clear(&err);
			ck_assert_msg(doc_from_json(doc, line.p, line.len, &err) == -1, "accepted: %s", line.p);
			ck_assert_msg(err.len > 0, "no reason for: %s", line.p);
			ck_assert_msg(tm_doc_id(doc) != NULL, "NULL id after: %s", line.p);
			buf_clear(&out);
			doc_write_json(doc, &out);
			buf_free(&line);
		}
	buf_free(&out);
	buf_free(&err);
	doc_free(doc);
}
END_TEST

/* The parser reads only the bytes it is given: each record, cut at every
 * length, in a heap block of exactly that size (no NUL, no slack), so the
 * address sanitizer sees any read past the end. */
START_TEST(test_exact_size_truncations)
{
	static const char *const records[] = {
		"{\"text\":\"a\"}",
		"{\"id\":\"vn-1\",\"text\":\"Hà Nội\"}",
		"{\"id\":-12.5e3,\"text\":\"x\",\"n\":-0.5E+2,\"b\":true,\"f\":false,\"z\":null}",
		"{\"id\":\"e\",\"text\":\"a\\n\\t\\\"\\\\\\/\\b\\f\\u00e9\\ud83d\\ude00\",\"meta\":{\"k\":[1,{\"a\":[]}]}}",
		"{\"text\":\"Huế mộng mơ\",\"entities\":[{\"type\":\"LOC\",\"text\":\"Huế\",\"start\":0,\"end\":5,"
		"\"value\":{\"g\":1},\"attrs\":{\"c\":0.9},\"rule\":\"r\"}],\"meta\":{}}",
		" { \"text\" : \"x\" , \"tags\" : [ 1 , 2 ] , \"entities\" : [ ] } ",
	};
	tm_doc *doc = doc_new();
	buf err = {0};
	for (size_t i = 0; i < sizeof records / sizeof *records; i++) {
		size_t full = strlen(records[i]);
		for (size_t len = 0; len <= full; len++) {
			char *exact = malloc(len ? len : 1);
			memcpy(exact, records[i], len);
			doc_reset(doc);
			buf_clear(&err);
			int rc = doc_from_json(doc, exact, len, &err);
			/* Only the whole record (its last byte may be a space) is one. */
			int whole = len == full || (len == full - 1 && records[i][full - 1] == ' ');
			ck_assert_msg(rc == (whole ? 0 : -1), "record %zu cut at %zu: %d (%s)", i, len, rc,
				      err.p ? err.p : "");
			ck_assert_ptr_nonnull(tm_doc_id(doc));
			free(exact);
		}
	}
	buf_free(&err);
	doc_free(doc);
}
END_TEST

/* Ids, keys and types become C strings: a NUL inside one would cut it short,
 * so that "x\u0000a" and "x\u0000b" became the same id "x". Such a record is
 * refused; the text may hold a NUL (it has a length everywhere). */
START_TEST(test_nul_in_names)
{
	ck_assert_record_fails("{\"id\":\"x\\u0000a\",\"text\":\"t\"}",
			       "malformed record: \"id\" holds a NUL character (\\u0000) at column 7");
	ck_assert_record_fails("{\"text\":\"t\",\"meta\":{\"a\\u0000b\":1}}",
			       "malformed record: a key holds a NUL character (\\u0000) at column 21");
	ck_assert_record_fails("{\"text\":\"t\",\"a\\u0000\":1}",
			       "malformed record: a key holds a NUL character (\\u0000) at column 13");
	/* "text\u0000" is not "text". */
	ck_assert_record_fails("{\"text\\u0000\":\"t\"}", "malformed record: a key holds a NUL character");
	ck_assert_record_fails("{\"text\":\"t\",\"entities\":[{\"type\":\"L\\u0000X\",\"start\":0,\"end\":1}]}",
			       "bad entity: entity 0 \"type\" holds a NUL character (\\u0000)");
	ck_assert_record_fails(
		"{\"text\":\"t\",\"entities\":[{\"type\":\"L\",\"start\":0,\"end\":1,\"rule\":\"r\\u0000\"}]}",
		"bad entity: entity 0 \"rule\" holds a NUL character (\\u0000)");
	/* Neither is "type\u0000" an entity's type. */
	ck_assert_record_fails("{\"text\":\"t\",\"entities\":[{\"type\\u0000\":\"L\",\"start\":0,\"end\":1}]}",
			       "bad entity: entity 0 needs type, start and end");

	tm_doc *doc = doc_new();
	buf err = {0};
	ck_assert_int_eq(read_record(doc, "{\"id\":\"n\",\"text\":\"a\\u0000b\",\"meta\":{\"k\":\"v\\u0000\"}}",
				     &err),
			 0);
	size_t len;
	ck_assert_mem_eq(tm_doc_text(doc, &len), "a\0b", 3);
	ck_assert_uint_eq(len, 3);
	buf out = {0};
	doc_write_json(doc, &out);
	ck_assert_str_eq(out.p,
			 "{\"id\":\"n\",\"text\":\"a\\u0000b\",\"meta\":{\"k\":\"v\\u0000\"},\"entities\":[]}\n");
	buf_free(&out);
	buf_free(&err);
	doc_free(doc);
}
END_TEST

START_TEST(test_long_line_round_trip)
{
	/* About 3 MB of text with characters that need escaping. */
	const char piece[] = "Tiếng Việt có dấu \"ngoặc\"\tvà \\gạch\\\n";
	size_t n = 3 * 1024 * 1024 / (sizeof piece - 1) + 1;
	buf text = {0};
	for (size_t i = 0; i < n; i++)
		buf_put(&text, piece, sizeof piece - 1);
	ck_assert_uint_gt(text.len, 3 * 1024 * 1024);

	tm_doc *doc = doc_new();
	doc_set_id(doc, "big", 3);
	ck_assert_int_eq(tm_doc_set_text(doc, text.p, text.len), TM_OK);
	buf line = {0};
	doc_write_json(doc, &line);
	ck_assert_uint_gt(line.len, text.len);

	tm_doc *back = doc_new();
	buf err = {0};
	ck_assert_int_eq(doc_from_json(back, line.p, line.len - 1, &err), 0);
	size_t len;
	const char *got = tm_doc_text(back, &len);
	ck_assert_uint_eq(len, text.len);
	ck_assert_int_eq(memcmp(got, text.p, len), 0);
	buf again = {0};
	doc_write_json(back, &again);
	ck_assert_uint_eq(again.len, line.len);
	ck_assert_int_eq(memcmp(again.p, line.p, line.len), 0);
	buf_free(&again);
	buf_free(&err);
	buf_free(&line);
	buf_free(&text);
	doc_free(back);
	doc_free(doc);
}
END_TEST

START_TEST(test_round_trip)
{
	/* Build a document through the API, write it, read it, write again. */
	tm_doc *doc = doc_new();
	doc_set_id(doc, "bài-1", strlen("bài-1"));
	const char text[] = "Phở \"bò\" ở Nam Định\nngon 😀\x01.";
	ck_assert_int_eq(tm_doc_set_text(doc, text, sizeof text - 1), TM_OK);
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "nguồn", "báo \"Tuổi Trẻ\"", strlen("báo \"Tuổi Trẻ\"")), TM_OK);
	ck_assert_int_eq(tm_doc_set_meta_number(doc, "year", 2024), TM_OK);
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "tags", "[\"ẩm thực\",{\"n\":1}]",
					      strlen("[\"ẩm thực\",{\"n\":1}]")),
			 TM_OK);
	/* "Phở" is [0, 5) and "Nam Định" [16, 27): ở and ị take three bytes. */
	ck_assert_int_eq(strstr(text, "Nam Định") - text, 16);
	ck_assert_int_eq(tm_doc_add_entity(doc, "FOOD", 0, 5, "\"pho\"", "{\"dish\":true}", "menu"), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 16, 27, NULL, NULL, NULL), TM_OK);

	buf first = {0}, err = {0}, second = {0};
	doc_write_json(doc, &first);
	tm_doc *back = doc_new();
	ck_assert_msg(doc_from_json(back, first.p, first.len - 1, &err) == 0, "%s", err.p);
	doc_write_json(back, &second);
	ck_assert_str_eq(second.p, first.p);

	/* And the document read back is the same document. */
	ck_assert_str_eq(tm_doc_id(back), "bài-1");
	size_t len;
	const char *t = tm_doc_text(back, &len);
	ck_assert_uint_eq(len, sizeof text - 1);
	ck_assert_mem_eq(t, text, len);
	ck_assert_str_eq(tm_doc_meta_string(back, "nguồn", NULL), "báo \"Tuổi Trẻ\"");
	double year = 0;
	ck_assert_int_eq(tm_doc_meta_number(back, "year", &year), TM_OK);
	ck_assert(year == 2024);
	ck_assert_uint_eq(tm_doc_entity_count(back), 2);
	ck_assert_str_eq(tm_doc_entity(back, 0)->rule, "menu");
	ck_assert_uint_eq(tm_doc_entity(back, 1)->start, 16);
	ck_assert_uint_eq(tm_doc_entity(back, 1)->end, 27);
	ck_assert_mem_eq(t + 16, "Nam Định", 11);

	/* Reading into a used document replaces everything. */
	ck_assert_int_eq(read_record(back, "{\"id\":\"2\",\"text\":\"khác\"}", &err), 0);
	ck_assert_uint_eq(tm_doc_meta_count(back), 0);
	ck_assert_uint_eq(tm_doc_entity_count(back), 0);
	ck_assert_str_eq(tm_doc_text(back, NULL), "khác");

	buf_free(&first);
	buf_free(&second);
	buf_free(&err);
	doc_free(back);
	doc_free(doc);
}
END_TEST

/* An entity's object written as the pieces are: each string quoted and
 * escaped by json_put_string, what doc_write_json writes either way. */
static void entity_by_pieces(const tm_doc *doc, const tm_entity *e, buf *out)
{
	buf_puts(out, "{\"type\":");
	json_put_string(out, e->type, strlen(e->type));
	buf_puts(out, ",\"text\":");
	json_put_string(out, doc->text.p + e->start, e->end - e->start);
	buf_printf(out, ",\"start\":%zu,\"end\":%zu,\"value\":%s,\"attrs\":%s,\"rule\":", e->start, e->end,
		   e->value_json ? e->value_json : "null", e->attrs_json ? e->attrs_json : "{}");
	const char *rule = e->rule ? e->rule : e->stage;
	if (rule)
		json_put_string(out, rule, strlen(rule));
	else
		buf_puts(out, "null");
	buf_putc(out, '}');
}

START_TEST(test_entities_written)
{
	/* Every span of a text with each byte JSON escapes (a quote, a
	 * backslash, a control byte) at each place of an eight-byte word, and
	 * type and rule names with and without them: doc_write_json copies a
	 * plain string in one piece and must agree with the escaping writer. */
	const char text[] = "Hà \"Nội\" và C:\\Tệp\tA\x01zđến 16 tỉnh, thành\n\"cuối\"\\";
	const char *names[] = {"LOC", "a\"b", "x\\y", "t\tz", "Địa danh"};
	tm_doc *doc = doc_new();
	ck_assert_int_eq(tm_doc_set_text(doc, text, sizeof text - 1), TM_OK);
	size_t n = sizeof text - 1, k = 0;
	for (size_t s = 0; s < n; s++) {
		if (((unsigned char)text[s] & 0xC0) == 0x80)
			continue;
		for (size_t t = s + 1; t <= n; t++) {
			if (t < n && ((unsigned char)text[t] & 0xC0) == 0x80)
				continue;
			const char *type = names[k % 5], *rule = k % 7 == 6 ? NULL : names[(k / 5) % 5];
			const char *value = k % 3 ? "\"giá trị\"" : NULL, *attrs = k % 4 ? "{\"k\":\"\\\"\"}" : NULL;
			ck_assert_int_eq(tm_doc_add_entity(doc, type, s, t, value, attrs, rule), TM_OK);
			k++;
		}
	}
	buf got = {0}, want = {0};
	doc_write_json(doc, &got);
	buf_puts(&want, "{\"id\":\"\",\"text\":");
	json_put_string(&want, text, n);
	buf_puts(&want, ",\"meta\":{},\"entities\":[");
	for (size_t i = 0; i < tm_doc_entity_count(doc); i++) {
		if (i)
			buf_putc(&want, ',');
		entity_by_pieces(doc, tm_doc_entity(doc, i), &want);
	}
	buf_puts(&want, "]}\n");
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_str_eq(got.p, want.p);

	/* and one object by hand, the offsets in full */
	doc_reset(doc);
	ck_assert_int_eq(tm_doc_set_text(doc, "Đà \"Lạt\"", strlen("Đà \"Lạt\"")), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 12, "\"Đà Lạt\"", NULL, "place"), TM_OK);
	buf_clear(&got);
	doc_write_json(doc, &got);
	ck_assert_str_eq(got.p, "{\"id\":\"\",\"text\":\"Đà \\\"Lạt\\\"\",\"meta\":{},\"entities\":["
				"{\"type\":\"LOC\",\"text\":\"Đà \\\"Lạt\\\"\",\"start\":0,\"end\":12,"
				"\"value\":\"Đà Lạt\",\"attrs\":{},\"rule\":\"place\"}]}\n");
	buf_free(&got);
	buf_free(&want);
	doc_free(doc);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("strings");
	tcase_add_test(tc, test_escapes_decode);
	tcase_add_test(tc, test_bad_escapes);
	tcase_add_test(tc, test_surrogate_pair);
	tcase_add_test(tc, test_lone_surrogates);
	tcase_add_test(tc, test_raw_control_characters);
	tcase_add_test(tc, test_put_string);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, test_is_value);
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_put_number);
	suite_add_tcase(s, tc);

	tc = tcase_create("records");
	tcase_add_test(tc, test_record_basic);
	tcase_add_test(tc, test_numeric_id);
	tcase_add_test(tc, test_missing_text);
	tcase_add_test(tc, test_malformed_columns);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_unknown_keys_are_meta);
	tcase_add_test(tc, test_meta_raw_json_preserved);
	tcase_add_test(tc, test_entities_read);
	tcase_add_test(tc, test_entities_rejected);
	tcase_add_test(tc, test_entities_before_text);
	tcase_add_test(tc, test_broken_strings_in_every_field);
	tcase_add_test(tc, test_exact_size_truncations);
	tcase_add_test(tc, test_nul_in_names);
	tcase_add_test(tc, test_long_line_round_trip);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_entities_written);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(json_suite()); }
