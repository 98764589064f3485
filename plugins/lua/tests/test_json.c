/* test_json.c -- JSON between the host and Lua: what the host stores, a
 * script reads; what a script writes, the host can read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- a reference writer ---------------------------------------------------
 * What tml_json_encode and tml_json_encode_public must write, by the rules
 * of lua_json.c's head and of add_entity's attrs, in the plainest way: no
 * shortcut, every string escaped by the toolkit's writer. The tests below
 * compare the two on random tables. */

typedef struct ref_key {
	bool is_number, is_integer;
	lua_Integer integer;
	lua_Number number;
	const char *name; /* a string key: the table's own */
	size_t len;
	char text[64];
} ref_key;

static const char *ref_key_text(const ref_key *k) { return k->is_number ? k->text : k->name; }

static int ref_cmp(const void *a, const void *b)
{
	const ref_key *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(ref_key_text(x), ref_key_text(y), n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int ref_fail(char *err, const char *msg)
{
	snprintf(err, 200, "%s", msg);
	return -1;
}

static int ref_encode(lua_State *L, int idx, kit_buf *out, char *err, bool public_top);

static int ref_string(kit_buf *out, const char *s, size_t n, char *err, const char *what)
{
	if (!kit_utf8_valid(s, n))
		return ref_fail(err, what);
	kit_json_put_string(out, s, n);
	return 0;
}

/* The table at idx: its keys (the notes left out with public_top) into
 * keys, sorted; how many, or -1 with err. */
static int ref_keys(lua_State *L, int idx, ref_key *keys, bool public_top, char *err)
{
	int n = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		ref_key *k = &keys[n];
		memset(k, 0, sizeof *k);
		if (lua_type(L, -1) == LUA_TSTRING) {
			k->name = lua_tolstring(L, -1, &k->len);
			if (public_top && k->name[0] == '_')
				continue;
			if (!kit_utf8_valid(k->name, k->len)) {
				lua_pop(L, 1);
				return ref_fail(err, "a table key that is not valid UTF-8 cannot be stored");
			}
		} else if (lua_type(L, -1) == LUA_TNUMBER) {
			k->is_number = true;
			k->is_integer = lua_isinteger(L, -1);
			k->integer = lua_tointeger(L, -1);
			k->number = lua_tonumber(L, -1);
			if (k->is_integer)
				snprintf(k->text, sizeof k->text, "%lld", (long long)k->integer);
			else
				snprintf(k->text, sizeof k->text, "%.14g", k->number);
			k->len = strlen(k->text);
		} else {
			lua_pop(L, 1);
			return ref_fail(err, "table keys must be strings or numbers");
		}
		ck_assert_int_lt(++n, 64);
	}
	qsort(keys, (size_t)n, sizeof *keys, ref_cmp);
	return n;
}

/* Are the keys 1..n? */
static bool ref_is_list(const ref_key *keys, int n)
{
	for (int i = 0; i < n; i++)
		if (!keys[i].is_integer || keys[i].integer < 1 || keys[i].integer > n)
			return false;
	return n > 0; /* n distinct integers in 1..n are 1..n */
}

static int ref_table(lua_State *L, int idx, kit_buf *out, char *err, bool public_top)
{
	ref_key keys[64];
	int n = ref_keys(L, idx, keys, public_top, err);
	if (n < 0)
		return -1;
	bool list = ref_is_list(keys, n);
	kit_buf_putc(out, list ? '[' : '{');
	for (int i = 0; i < n; i++) {
		const ref_key *k = &keys[i];
		if (i)
			kit_buf_putc(out, ',');
		if (list) {
			lua_rawgeti(L, idx, i + 1);
		} else {
			kit_json_put_string(out, ref_key_text(k), k->len);
			kit_buf_putc(out, ':');
			if (!k->is_number)
				lua_pushlstring(L, k->name, k->len);
			else if (k->is_integer)
				lua_pushinteger(L, k->integer);
			else
				lua_pushnumber(L, k->number);
			lua_rawget(L, idx);
		}
		int rc = ref_encode(L, lua_gettop(L), out, err, false);
		lua_pop(L, 1);
		if (rc)
			return -1;
	}
	kit_buf_putc(out, list ? ']' : '}');
	return 0;
}

static int ref_encode(lua_State *L, int idx, kit_buf *out, char *err, bool public_top)
{
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN: kit_buf_puts(out, lua_toboolean(L, idx) ? "true" : "false"); return 0;
	case LUA_TNUMBER: {
		char num[64];
		if (lua_isinteger(L, idx)) {
			snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, idx));
		} else {
			double d = lua_tonumber(L, idx);
			if (isnan(d))
				return ref_fail(err, "cannot write NaN as JSON");
			if (isinf(d))
				return ref_fail(err, "cannot write an infinite number as JSON");
			snprintf(num, sizeof num, "%.14g", d);
			if (strtod(num, NULL) != d)
				snprintf(num, sizeof num, "%.17g", d);
		}
		kit_buf_puts(out, num);
		return 0;
	}
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		return ref_string(out, s, n, err, "a string that is not valid UTF-8 cannot be stored");
	}
	case LUA_TTABLE: return ref_table(L, idx, out, err, public_top);
	default: return ref_fail(err, "cannot write such a value as JSON");
	}
}

/* The random tables: a few keys of each kind (strings that need escaping
 * or not, in ASCII or not, notes, numbers that make a list or not), with
 * strings, integers, floats, booleans, lists, empty and nested tables for
 * values, and in some at most one thing that cannot be written, so that
 * which error comes first is not a matter of Lua's order. */
static const char *const random_tables =
	"local keys = { 'iso', 'level', 'kind', 'a', 'ab', 'b', 'ă', 'Điện Biên', 'k\"q', 'k\\\\b', 'tab\\t',\n"
	"  '', '_note', '_', '_seen', 'level_2025', 'province_2025', 'a long key of more than eight bytes' }\n"
	"local strings = { '', 'a', 'VN', 'country', 'Hà Nội', 'xã', 'q\"uote', 'back\\\\slash', 'tab\\t',\n"
	"  'line\\nbreak', '\\1', '\\127', 'Thành phố Hồ Chí Minh', '_x', 'tỉnh', 'exactly8', 'sixteen bytes!!!',\n"
	"  'a longer value, with commas, and \"quotes\" in it', '\\u{10FFFF}', '\\u{1F600} emoji' }\n"
	"local bad_strings = { 'a\\xff', '\\xc3', '\\xe1\\xba', '\\xed\\xa0\\x80', 'ok then \\xc0\\xaf' }\n"
	"local numbers = { 0, 1, -1, 42, math.maxinteger, math.mininteger, 0.5, -2.25, 1e300, 1/3, 2^53, 0.1 }\n"
	"local function pick(t) return t[math.random(#t)] end\n"
	"local value\n"
	"local function table_of(depth)\n"
	"  local t, shape = {}, math.random(6)\n"
	"  if shape == 1 then return t end\n"
	"  if shape == 2 then\n"
	"    for i = 1, math.random(3) do t[i] = value(depth + 1) end\n"
	"    if math.random(3) == 1 then t['_n'] = 1 end\n"
	"    return t\n"
	"  end\n"
	"  for _ = 1, math.random(0, 7) do\n"
	"    local r = math.random(10)\n"
	"    if r <= 7 then t[pick(keys)] = value(depth + 1)\n"
	"    elseif r <= 9 then t[math.random(1, 3)] = value(depth + 1)\n"
	"    else t[pick({ -1, 2.5, 0 })] = value(depth + 1) end\n"
	"  end\n"
	"  return t\n"
	"end\n"
	"value = function(depth)\n"
	"  local r = math.random(12)\n"
	"  if r <= 5 then return pick(strings) end\n"
	"  if r <= 7 then return pick(numbers) end\n"
	"  if r <= 9 then return math.random(2) == 1 end\n"
	"  if depth < 3 then return table_of(depth) end\n"
	"  return pick(strings)\n"
	"end\n"
	"local function spoil(t)\n"
	"  local r = math.random(6)\n"
	"  if r == 1 then t[pick(bad_strings)] = 1\n"
	"  elseif r == 2 then t[pick(keys)] = pick(bad_strings)\n"
	"  elseif r == 3 then t[true] = 1\n"
	"  elseif r == 4 then t.nested = { x = pick(bad_strings) }\n"
	"  elseif r == 5 then t[pick(keys)] = pick({ 0/0, 1/0, -1/0 })\n"
	"  else t[#t + 1] = pick(bad_strings) end\n"
	"end\n"
	"math.randomseed(15)\n"
	"tables = {}\n"
	"for i = 1, 4000 do\n"
	"  local t = table_of(0)\n"
	"  if i % 5 == 0 then spoil(t) end\n"
	"  tables[i] = t\n"
	"end\n";

/* tml_json_encode and tml_json_encode_public against the reference on
 * the table at the top of the stack; the outcomes seen are counted. */
static void compare_with_reference(lua_State *L, int *written, int *refused, int *notes_only)
{
	kit_buf got = {0}, want = {0};
	char err[200] = "", want_err[200] = "";
	for (int public = 0; public < 2; public ++) {
		kit_buf_clear(&got);
		kit_buf_clear(&want);
		kit_buf_put(&got, "x", 1); /* what was there before stays */
		kit_buf_put(&want, "x", 1);
		bool none = false;
		int rc = public ? tml_json_encode_public(L, -1, &got, err, sizeof err, &none)
				: tml_json_encode(L, -1, &got, err, sizeof err);
		int want_rc = ref_encode(L, lua_gettop(L), &want, want_err, public);
		bool want_none = false;
		if (public && want_rc == 0 && want.len == 3 && memcmp(want.p, "x{}", 3) == 0) {
			lua_pushnil(L); /* an empty table is {}; one of notes alone is none */
			want_none = lua_next(L, -2) != 0;
			lua_settop(L, lua_gettop(L) - (want_none ? 2 : 0));
			if (want_none)
				want.len = 1;
		}
		ck_assert_msg(rc == want_rc, "%s: rc %d, not %d (%s; %s)", public ? "public" : "all", rc, want_rc,
			      rc ? err : kit_buf_str(&got), want_rc ? want_err : kit_buf_str(&want));
		if (rc) {
			ck_assert_str_eq(err, want_err);
			(*refused)++;
			continue;
		}
		ck_assert_int_eq(none, want_none);
		ck_assert_msg(got.len == want.len && memcmp(got.p, want.p, got.len) == 0, "%s: %s, not %s",
			      public ? "public" : "all", kit_buf_str(&got), kit_buf_str(&want));
		*notes_only += none;
		*written += !none;
	}
	kit_buf_free(&got);
	kit_buf_free(&want);
}

START_TEST(random_tables_as_the_reference)
{
	lua_State *L = new_lua();
	run_lua(L, random_tables);
	lua_getglobal(L, "tables");
	int written = 0, refused = 0, notes_only = 0;
	for (lua_Integer i = 1; lua_rawgeti(L, 1, i) == LUA_TTABLE; i++) {
		compare_with_reference(L, &written, &refused, &notes_only);
		lua_pop(L, 1);
		ck_assert_int_eq(lua_gettop(L), 1);
	}
	/* each outcome is met often enough to have been tested */
	ck_assert_int_gt(written, 4000);
	ck_assert_int_gt(refused, 400);
	ck_assert_int_gt(notes_only, 20);
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
/* An object of plain strings and booleans is written into room reserved
 * once: it must stay inside it. The buffer is handed over with guard
 * bytes after its capacity and filled up to every offset, so that at one
 * of them the object ends at the last byte reserved (a count of the room
 * that left out the commas wrote past it there). */
START_TEST(plain_object_stays_in_its_room)
{
	lua_State *L = new_lua();
	run_lua(L, "t = { a = 'x', bb = true, ccc = 'yy', d = false, e = 'Điện Biên' }");
	const char *want = "{\"a\":\"x\",\"bb\":true,\"ccc\":\"yy\",\"d\":false,\"e\":\"Điện Biên\"}";
	enum { GUARD = 16 };
	lua_getglobal(L, "t");
	for (size_t cap = 64; cap <= 128; cap *= 2) {
		for (size_t len = 0; len < cap; len++) {
			char *mem = malloc(cap + GUARD), err[200];
			ck_assert_ptr_nonnull(mem);
			memset(mem, 'p', len);
			mem[len] = 0;
			memset(mem + cap, 0x5A, GUARD);
			kit_buf out = {.p = mem, .len = len, .cap = cap};
			ck_assert_int_eq(tml_json_encode(L, -1, &out, err, sizeof err), 0);
			if (out.cap == cap) /* not grown: the guard must be whole */
				for (size_t i = 0; i < GUARD; i++)
					ck_assert_msg(mem[cap + i] == 0x5A, "byte %zu past the room at offset %zu", i,
						      len);
			ck_assert_str_eq(out.p + len, want);
			free(out.p);
		}
	}
	lua_close(L);
}
END_TEST

/* Push nils until fewer than slots + 1 are left below Lua's limit. */
static void fill_stack(lua_State *L, int slots)
{
	while (lua_checkstack(L, slots + 100))
		for (int i = 0; i < 100; i++)
			lua_pushnil(L);
	while (lua_checkstack(L, slots + 1))
		lua_pushnil(L);
}

/* Near Lua's stack limit an object is still written, its values looked
 * up again instead of kept on the stack; with no room at all it is an
 * error, and the stack is left as it was either way. */
START_TEST(stack_nearly_full)
{
	lua_State *L = new_lua();
	kit_buf out = {0};
	char err[200] = "";
	run_lua(L, "t = { a = 'x', n = 1, list = { 1, 2 }, b = true }");
	lua_getglobal(L, "t");
	fill_stack(L, 10);
	int top = lua_gettop(L);
	ck_assert_int_eq(tml_json_encode(L, 1, &out, err, sizeof err), 0);
	ck_assert_int_eq(lua_gettop(L), top);
	kit_buf_put(&out, "", 1);
	ck_assert_str_eq(out.p, "{\"a\":\"x\",\"b\":true,\"list\":[1,2],\"n\":1}");
	lua_settop(L, 1);
	fill_stack(L, 2);
	top = lua_gettop(L);
	kit_buf_clear(&out);
	ck_assert_int_ne(tml_json_encode(L, 1, &out, err, sizeof err), 0);
	ck_assert_str_eq(err, "out of stack");
	ck_assert_int_eq(lua_gettop(L), top);
	kit_buf_free(&out);
	lua_close(L);
}
END_TEST

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
	tcase_add_test(tc, plain_object_stays_in_its_room);
	tcase_add_test(tc, stack_nearly_full);
	tcase_add_test(tc, attrs_leave_out_notes);
	tcase_add_test(tc, random_tables_as_the_reference);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
