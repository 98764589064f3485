/* test_json.c -- JSON between the host and Lua: what the host stores, a
 * script reads; what a script writes, the host can read. */
#include <string.h>

#include "lua_test.h"
#include "tml_core.h"

/* Read json into Lua and write it back; the text written, or NULL with
 * why in err. */
static const char *round_trip(lua_State *L, const char *json, kit_buf *out, char *err, size_t errsz)
{
	kit_buf_clear(out);
	if (tml_json_push(L, json, strlen(json))) {
		snprintf(err, errsz, "not read");
		return NULL;
	}
	int rc = tml_json_encode(L, -1, out, err, errsz);
	lua_pop(L, 1);
	if (rc)
		return NULL;
	kit_buf_put(out, "", 1);
	return out->p;
}

START_TEST(deep_nesting_as_the_host_takes)
{
	lua_State *L = new_lua();
	kit_buf out = {0};
	char err[200], json[1024];
	/* 200 levels: more than the 64 Lua once took, within the host's 256. */
	memset(json, '[', 200);
	json[200] = '1'; /* an empty table would come back as {} */
	memset(json + 201, ']', 200);
	json[401] = 0;
	ck_assert_msg(round_trip(L, json, &out, err, sizeof err), "%s", err);
	ck_assert_str_eq(out.p, json);
	/* Deeper than the host takes is refused, not a crash. */
	memset(json, '[', 300);
	memset(json + 300, ']', 300);
	json[600] = 0;
	ck_assert_int_ne(tml_json_push(L, json, 600), 0);
	kit_buf_free(&out);
	lua_close(L);
}
END_TEST

START_TEST(long_numbers)
{
	lua_State *L = new_lua();
	kit_buf out = {0};
	char err[200], json[300] = "[0.";
	memset(json + 3, '0', 200);
	strcpy(json + 203, "15]");
	ck_assert_msg(round_trip(L, json, &out, err, sizeof err), "%s", err);
	ck_assert_str_eq(out.p, "[1.5e-201]");
	kit_buf_free(&out);
	lua_close(L);
}
END_TEST

/* Object keys come out sorted by their bytes, number keys as their text,
 * with few keys (sorted in place) and with many (more than the C stack
 * holds: sorted by qsort). */
START_TEST(keys_are_sorted)
{
	lua_State *L = new_lua();
	kit_buf out = {0};
	char err[200];
	run_lua(L, "few = { b = 1, a = 2, [10] = 3, [2] = 4, ['ă'] = 5 }\n"
		   "many = {}\n"
		   "for i = 1, 40 do many['k' .. string.format('%02d', 41 - i)] = i end\n"
		   "many[7] = 0; many[100] = 0; many[2.5] = 0\n");
	lua_getglobal(L, "few");
	ck_assert_int_eq(tml_json_encode(L, -1, &out, err, sizeof err), 0);
	kit_buf_put(&out, "", 1);
	ck_assert_str_eq(out.p, "{\"10\":3,\"2\":4,\"a\":2,\"b\":1,\"ă\":5}");
	kit_buf_clear(&out);
	lua_getglobal(L, "many");
	ck_assert_int_eq(tml_json_encode(L, -1, &out, err, sizeof err), 0);
	kit_buf_put(&out, "", 1);
	const char *head = "{\"100\":0,\"2.5\":0,\"7\":0,\"k01\":40,\"k02\":39,";
	ck_assert_msg(strncmp(out.p, head, strlen(head)) == 0, "%s", out.p);
	ck_assert_msg(strstr(out.p, "\"k39\":2,\"k40\":1}") != NULL, "%s", out.p);
	/* every value beside its own key, whether it was kept on the Lua
	 * stack while the keys were sorted or looked up again */
	for (int i = 1; i <= 40; i++) {
		char pair[32];
		snprintf(pair, sizeof pair, "\"k%02d\":%d%c", i, 41 - i, i == 40 ? '}' : ',');
		ck_assert_msg(strstr(out.p, pair) != NULL, "%s in %s", pair, out.p);
	}
	kit_buf_free(&out);
	lua_close(L);
}
END_TEST

START_TEST(keys_must_be_utf8)
{
	lua_State *L = new_lua();
	kit_buf out = {0};
	char err[200];
	run_lua(L, "bad = { ['a\\xff'] = 1 }");
	lua_getglobal(L, "bad");
	ck_assert_int_ne(tml_json_encode(L, -1, &out, err, sizeof err), 0);
	ck_assert_msg(strstr(err, "table key that is not valid UTF-8"), "%s", err);
	lua_pop(L, 1);
	ck_assert_int_eq(lua_gettop(L), 0);
	run_lua(L, "good = { ['Điện Biên'] = 1 }");
	lua_getglobal(L, "good");
	out.len = 0;
	ck_assert_int_eq(tml_json_encode(L, -1, &out, err, sizeof err), 0);
	ck_assert_int_eq(memcmp(out.p, "{\"Điện Biên\":1}", out.len), 0);
	kit_buf_free(&out);
	lua_close(L);
}
END_TEST

/* A string that needs no escaping is written by a shortcut, after a
 * check eight bytes at a time: every byte below 128 (controls, a quote, a
 * backslash, DEL) at every place of strings up to 19 bytes, in ASCII and
 * beside a letter outside it, and bytes above, in a value and in a key,
 * come out as the toolkit's general writer has them; a value or a key that
 * is not UTF-8 is still refused. */
START_TEST(plain_strings_as_the_general_writer)
{
	lua_State *L = new_lua();
	kit_buf out = {0}, want = {0};
	char err[200];
	for (int c = 0; c < 256; c++) {
		for (size_t len = 1; len < 20; len++) {
			for (size_t at = 0; at < len; at++) {
				char s[32];
				memset(s, 'a', len);
				if (len > 4) /* a letter outside ASCII, away from the byte */
					memcpy(at < len / 2 ? s + len - 2 : s, "Đ", 2);
				s[at] = (char)c;
				const char *utf8 = s;
				size_t n = len;
				if (c >= 0x80) /* a byte above 127 alone is no UTF-8 */
					utf8 = "aĐb", n = strlen(utf8);
				for (int as_key = 0; as_key < 2; as_key++) {
					lua_createtable(L, 0, 1);
					lua_pushlstring(L, utf8, n);
					if (as_key) {
						lua_pushinteger(L, 1);
						lua_rawset(L, -3);
					} else {
						lua_setfield(L, -2, "k");
					}
					kit_buf_clear(&out);
					ck_assert_int_eq(tml_json_encode(L, -1, &out, err, sizeof err), 0);
					lua_pop(L, 1);
					kit_buf_clear(&want);
					kit_buf_put(&want, as_key ? "{" : "{\"k\":", as_key ? 1 : 5);
					kit_json_put_string(&want, utf8, n);
					kit_buf_put(&want, as_key ? ":1}" : "}", as_key ? 3 : 1);
					ck_assert_msg(out.len == want.len && memcmp(out.p, want.p, out.len) == 0,
						      "byte %d at %zu of %zu: %s, not %s", c, at, len, out.p, want.p);
				}
			}
		}
	}
	/* the empty string, as a key and as a value */
	run_lua(L, "empty = { [''] = '' }");
	lua_getglobal(L, "empty");
	kit_buf_clear(&out);
	ck_assert_int_eq(tml_json_encode(L, -1, &out, err, sizeof err), 0);
	lua_pop(L, 1);
	ck_assert_int_eq(out.len, 7);
	ck_assert_int_eq(memcmp(out.p, "{\"\":\"\"}", 7), 0);
	run_lua(L, "bad = { k = 'a\\xff' }");
	lua_getglobal(L, "bad");
	ck_assert_int_ne(tml_json_encode(L, -1, &out, err, sizeof err), 0);
	ck_assert_msg(strstr(err, "not valid UTF-8"), "%s", err);
	kit_buf_free(&out);
	kit_buf_free(&want);
	lua_close(L);
}
END_TEST

/* An entity's attrs: the notes ("_" keys) are left out as the table is
 * written, at the top level only; a table of notes alone is no attrs, an
 * empty one is {}, and what is left a sequence is written as an array. */
static const char *public_json(lua_State *L, const char *global, kit_buf *out, bool *none)
{
	char err[200];
	kit_buf_clear(out);
	lua_getglobal(L, global);
	int rc = tml_json_encode_public(L, -1, out, err, sizeof err, none);
	lua_pop(L, 1);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_int_eq(lua_gettop(L), 0);
	kit_buf_put(out, "", 1);
	return out->p;
}

START_TEST(attrs_leave_out_notes)
{
	lua_State *L = new_lua();
	kit_buf out = {0};
	bool none;
	run_lua(L, "mixed = { level = 'xã', _alone = true, kind = { _x = 1 }, [3] = 'c' }\n"
		   "notes = { _alone = true, _seen = 2 }\n"
		   "empty = {}\n"
		   "list = { 'a', 'b', _n = 1 }\n"
		   "plain = { b = 1, a = 'ă' }\n");
	ck_assert_str_eq(public_json(L, "mixed", &out, &none), "{\"3\":\"c\",\"kind\":{\"_x\":1},\"level\":\"xã\"}");
	ck_assert(!none);
	ck_assert_str_eq(public_json(L, "notes", &out, &none), "");
	ck_assert(none);
	ck_assert_str_eq(public_json(L, "empty", &out, &none), "{}");
	ck_assert(!none);
	ck_assert_str_eq(public_json(L, "list", &out, &none), "[\"a\",\"b\"]");
	ck_assert_str_eq(public_json(L, "plain", &out, &none), "{\"a\":\"ă\",\"b\":1}");
	kit_buf_free(&out);
	lua_close(L);
}
END_TEST

static void *no_memory(void *p, size_t n)
{
	(void)p, (void)n;
	return NULL;
}

/* Out of memory while writing: an error that says so, not an abort and
 * not a silently short text. */
START_TEST(out_of_memory_is_an_error)
{
	lua_State *L = new_lua();
	kit_buf out = {0};
	char err[200] = "";
	run_lua(L, "t = { name = 'Điện Biên', list = {1, 2, 3} }");
	lua_getglobal(L, "t");
	kit_set_realloc(no_memory);
	int rc = tml_json_encode(L, -1, &out, err, sizeof err);
	kit_set_realloc(NULL);
	ck_assert_int_ne(rc, 0);
	ck_assert_str_eq(err, KIT_OOM);
	kit_buf_free(&out);
	lua_close(L);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, deep_nesting_as_the_host_takes);
	tcase_add_test(tc, long_numbers);
	tcase_add_test(tc, keys_are_sorted);
	tcase_add_test(tc, keys_must_be_utf8);
	tcase_add_test(tc, plain_strings_as_the_general_writer);
	tcase_add_test(tc, out_of_memory_is_an_error);
	tcase_add_test(tc, attrs_leave_out_notes);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
