/* lua_json.c -- metadata and entity values cross between JSON and Lua.
 * A JSON object becomes a table with string keys, an array a sequence;
 * a Lua table that is a sequence (1..n) becomes an array, any other an
 * object, and an empty table an object. */
#include "tml_core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH KIT_JSON_MAX_DEPTH /* as deep as the host reads: what it stores, Lua reads */

/* ---- JSON to Lua --------------------------------------------------------- */

/* The JSON is read with the toolkit's scanner (strict, as the host
 * stores it); what is Lua's here is building the values. */

/* A string, decoded straight into Lua's memory. */
static int push_string(lua_State *L, kit_json_cursor *c)
{
	kit_json_cursor probe = *c;
	if (kit_json_read_string(&probe, NULL))
		return -1;
	luaL_Buffer b;
	size_t len;
	char *room = luaL_buffinitsize(L, &b, (size_t)(probe.p - c->p));
	kit_json_decode_string(c, room, &len);
	luaL_pushresultsize(&b, len);
	return 0;
}

static int push_value(lua_State *L, kit_json_cursor *c, int depth)
{
	kit_json_skip_ws(c);
	if (c->p >= c->end || depth > MAX_DEPTH)
		return -1;
	luaL_checkstack(L, 4, "JSON nested too deeply");
	switch (*c->p) {
	case '"': return push_string(L, c);
	case '{':
	case '[': {
		int object = *c->p == '{', more = kit_json_open(c, object);
		lua_newtable(L);
		for (lua_Integer i = 1; more > 0; i++) {
			if (object) {
				kit_json_skip_ws(c);
				if (push_string(L, c) || kit_json_colon(c))
					return -1;
			}
			if (push_value(L, c, depth + 1))
				return -1;
			if (object)
				lua_rawset(L, -3);
			else
				lua_rawseti(L, -2, i);
			more = kit_json_next(c, object);
		}
		return more;
	}
	case 't':
	case 'f':
	case 'n': {
		char first = *c->p;
		if (kit_json_skip_value(c))
			return -1;
		if (first == 'n')
			lua_pushnil(L);
		else
			lua_pushboolean(L, first == 't');
		return 0;
	}
	default: {
		const char *s = c->p;
		size_t n;
		if (kit_json_skip_number(c, &n))
			return -1;
		/* JSON numbers have no length limit (0.000…1): a long one is
		 * copied aside, which is rare enough not to matter. */
		char small[64], *num = small;
		if (n >= sizeof small && !(num = malloc(n + 1)))
			return -1;
		memcpy(num, s, n);
		num[n] = 0;
		int ok = lua_stringtonumber(L, num) != 0;
		if (num != small)
			free(num);
		return ok ? 0 : -1;
	}
	}
}

int tml_json_push(lua_State *L, const char *json, size_t len)
{
	kit_json_cursor c = kit_json_at(json, len);
	int top = lua_gettop(L);
	if (push_value(L, &c, 0)) {
		lua_settop(L, top);
		return -1;
	}
	kit_json_skip_ws(&c);
	if (c.p != c.end) {
		lua_settop(L, top);
		return -1;
	}
	return 0;
}

/* ---- Lua to JSON --------------------------------------------------------- */

static int is_sequence(lua_State *L, int idx, lua_Integer *n)
{
	lua_Integer count = 0, max = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1) {
			lua_pop(L, 1);
			return 0;
		}
		lua_Integer k = lua_tointeger(L, -1);
		if (k > max)
			max = k;
		count++;
	}
	*n = count;
	return count > 0 && max == count;
}

/* What writing s[0..n) as a JSON string takes. Most attrs keys and
 * values and most entity values need no escaping ("country", "Hà Nội"):
 * their JSON is the bytes between quotes, written by put_quoted in one
 * copy once a pass eight bytes at a time has found no control byte, quote
 * or backslash (and, with a byte above 127, the UTF-8 check). */
enum { STR_QUOTED, STR_ESCAPED, STR_INVALID };

/* The bytes of s[0..n), 0 < n < 8, in one word for the tests eight bytes
 * at a time: two four-byte reads that overlap, or below four bytes the
 * first, middle and last beside letters (which need no escaping). Every
 * byte of s is in the word, and no other byte but those letters. */
static uint64_t short_word(const char *s, size_t n)
{
	if (n >= 4) {
		uint32_t head, tail;
		memcpy(&head, s, 4);
		memcpy(&tail, s + n - 4, 4);
		return head | (uint64_t)tail << 32;
	}
	const unsigned char *u = (const unsigned char *)s;
	return 0x6161616161000000ULL | u[0] | (uint64_t)u[n / 2] << 8 | (uint64_t)u[n - 1] << 16;
}

/* Most keys and values are a few bytes: the last word of a string is
 * read whole (the eight bytes that end it, overlapping the word before,
 * or short_word's), not a byte at a time; a byte tested twice is no
 * harm to a test of whether any byte is special. */
static int string_kind(const char *s, size_t n)
{
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t special = 0, high = 0, w;
	for (size_t i = 0; n - i > 8; i += 8) {
		memcpy(&w, s + i, 8);
		special |= kit_json_special_bytes(w);
		high |= w & highs;
	}
	if (n >= 8)
		memcpy(&w, s + n - 8, 8);
	else
		w = n ? short_word(s, n) : 0x6161616161616161ULL;
	special |= kit_json_special_bytes(w);
	high |= w & highs;
	if (high && !kit_utf8_valid(s, n))
		return STR_INVALID;
	return special ? STR_ESCAPED : STR_QUOTED;
}

static void put_quoted(kit_buf *out, const char *s, size_t n)
{
	if (kit_buf_reserve(out, n + 2))
		return;
	char *p = out->p + out->len;
	p[0] = '"';
	memcpy(p + 1, s, n);
	p[n + 1] = '"';
	out->len += n + 2;
	out->p[out->len] = 0;
}

/* s[0..n) of kind (string_kind, not STR_INVALID) as a JSON string. */
static void put_string(kit_buf *out, const char *s, size_t n, int kind)
{
	if (kind == STR_QUOTED)
		put_quoted(out, s, n);
	else
		kit_json_put_string(out, s, n);
}

/* An integer's digits as LUA_INTEGER_FMT writes them, into out (21 bytes
 * or more), without printf: a thousand instructions less for each of the
 * entities' numbers. Returns the length. */
static size_t integer_text(char *out, lua_Integer v)
{
	char digits[20];
	uint64_t magnitude = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	size_t n = kit_uint_digits(digits, magnitude), sign = v < 0;
	out[0] = '-';
	memcpy(out + sign, digits + sizeof digits - n, n);
	return sign + n;
}

typedef struct key {
	const char *name; /* a string key: the table's own string */
	size_t len;
	const char *str; /* a string value: the table's own, or NULL */
	size_t str_len;
	int is_number;
	int kind;     /* a string key's string_kind */
	int str_kind; /* a string value's */
	int boolean;  /* a boolean value: 0 or 1; else -1 */
	int value;    /* another value's stack index, or 0: look it up again */
	lua_Number number;
	char num[48];
} key;

/* A number key's text is in the key itself. */
static const char *key_name(const key *k) { return k->is_number ? k->num : k->name; }

/* Most keys of an object differ in their first byte ("iso", "level"):
 * that byte decides without a call of memcmp. */
static int cmp_key(const key *x, const key *y)
{
	const unsigned char *a = (const unsigned char *)key_name(x), *b = (const unsigned char *)key_name(y);
	size_t n = x->len < y->len ? x->len : y->len;
	if (n && a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	int c = memcmp(a, b, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int cmp_key_q(const void *a, const void *b) { return cmp_key(*(key *const *)a, *(key *const *)b); }

/* Sort the keys' places: insertion sort for the few keys attrs have, else
 * qsort; the keys themselves (about a hundred bytes each) stay put. */
static void sort_keys(key **k, size_t n)
{
	if (n > 12) {
		qsort(k, n, sizeof *k, cmp_key_q);
	} else {
		for (size_t i = 1; i < n; i++) {
			key *x = k[i];
			size_t j = i;
			for (; j > 0 && cmp_key(k[j - 1], x) > 0; j--)
				k[j] = k[j - 1];
			k[j] = x;
		}
	}
}

static void put_boolean(kit_buf *out, int b)
{
	if (b)
		kit_buf_put(out, "true", 4);
	else
		kit_buf_put(out, "false", 5);
}

/* Most objects (the attrs) have keys and values that are strings to
 * write as they are, or booleans: their JSON's length is known once they
 * are read, and it is written into room reserved once, with no check per
 * piece. */
static void put_plain_object(kit_buf *out, key *const *order, size_t n)
{
	size_t need = 2 + 2 * n; /* the braces, a colon each, a comma between (and one spare) */
	for (size_t i = 0; i < n; i++)
		need += order[i]->len + 2 + (order[i]->str ? order[i]->str_len + 2 : 5);
	if (kit_buf_reserve(out, need))
		return;
	char *p = out->p + out->len;
	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		const key *k = order[i];
		if (i)
			*p++ = ',';
		*p++ = '"';
		memcpy(p, key_name(k), k->len);
		p += k->len;
		*p++ = '"';
		*p++ = ':';
		if (k->str) {
			*p++ = '"';
			memcpy(p, k->str, k->str_len);
			p += k->str_len;
			*p++ = '"';
		} else if (k->boolean) {
			memcpy(p, "true", 4);
			p += 4;
		} else {
			memcpy(p, "false", 5);
			p += 5;
		}
	}
	*p++ = '}';
	out->len = (size_t)(p - out->p);
	out->p[out->len] = 0;
}

static int encode(lua_State *L, int idx, kit_buf *out, char *err, size_t errsz, int depth);

/* t[1..n] of the table at idx as a JSON array. */
static int encode_sequence(lua_State *L, int idx, lua_Integer n, kit_buf *out, char *err, size_t errsz, int depth)
{
	kit_buf_putc(out, '[');
	for (lua_Integer i = 1; i <= n; i++) {
		if (i > 1)
			kit_buf_putc(out, ',');
		lua_rawgeti(L, idx, i);
		int rc = encode(L, -1, out, err, errsz, depth + 1);
		lua_pop(L, 1);
		if (rc)
			return -1;
	}
	kit_buf_putc(out, ']');
	return 0;
}

/* Objects are written with their keys sorted: Lua's table order changes
 * from run to run, and outputs must not. A string key's text, and a
 * string value's, is the table's own (the table is not changed while it
 * is written): a string value is checked and kept as lua_next gives it.
 * Most objects have a few keys, held on the C stack, and the first
 * KEPT_VALUES other values stay on the Lua stack beside their keys, so
 * that writing them needs no second look-up (which hashes the key again). */
#define KEPT_VALUES 16
#define SMALL_KEYS 16

/* With public_only, string keys starting with "_" are left out (an
 * entity's attrs: a rule's own notes) and *written says how many keys
 * were not; when the rest are 1..n, the table is written as the array it
 * is without the notes. */
static int encode_object(lua_State *L, int idx, kit_buf *out, char *err, size_t errsz, int depth, bool public_only,
			 size_t *written)
{
	key small[SMALL_KEYS], *small_order[SMALL_KEYS];
	size_t n = 0, cap = SMALL_KEYS;
	lua_Integer max_index = 0;
	bool indices = true; /* every key kept is an integer >= 1 */
	bool plain = true;   /* so far, put_plain_object can write it */
	key *keys = small, **order = small_order;
	int rc = 0, base = lua_gettop(L), kept = 0;
	/* Room for the values kept, checked once: each kept one leaves its
	 * value and a copy of its key (the next lua_next's) on the stack. */
	bool room = lua_checkstack(L, 2 * KEPT_VALUES + 4);
	if (!room && !lua_checkstack(L, 4)) { /* lua_next's key and value, at least */
		snprintf(err, errsz, "out of stack");
		return -1;
	}
	int at = base + 1; /* the key lua_next reads */
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		int kt = lua_type(L, -2);
		const char *name = NULL;
		size_t len = 0;
		if (kt == LUA_TSTRING) {
			name = lua_tolstring(L, -2, &len);
			if (public_only && name[0] == '_') {
				lua_pop(L, 1);
				continue;
			}
			indices = false;
		} else if (kt == LUA_TNUMBER && lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1) {
			max_index = lua_tointeger(L, -2) > max_index ? lua_tointeger(L, -2) : max_index;
		} else {
			indices = false;
		}
		if (n == cap) {
			key *more = keys == small ? malloc(2 * cap * sizeof *keys)
						  : realloc(keys, 2 * cap * sizeof *keys);
			if (!more) {
				lua_pop(L, 1);
				snprintf(err, errsz, "%s", KIT_OOM);
				rc = -1;
				break;
			}
			if (keys == small)
				memcpy(more, small, sizeof small);
			keys = more, cap *= 2;
		}
		key *k = &keys[n];
		k->is_number = kt == LUA_TNUMBER;
		if (kt == LUA_TSTRING) {
			k->name = name, k->len = len;
			k->kind = string_kind(name, len);
			if (k->kind == STR_INVALID) {
				lua_pop(L, 1);
				snprintf(err, errsz, "a table key that is not valid UTF-8 cannot be stored");
				rc = -1;
				break;
			}
		} else if (k->is_number) {
			/* Formatted aside: lua_tolstring would change the key lua_next needs. */
			k->number = lua_tonumber(L, -2);
			k->kind = STR_QUOTED;
			if (lua_isinteger(L, -2))
				k->len = integer_text(k->num, lua_tointeger(L, -2));
			else
				k->len = (size_t)snprintf(k->num, sizeof k->num, "%.14g", k->number);
		} else {
			lua_pop(L, 1);
			snprintf(err, errsz, "table keys must be strings or numbers");
			rc = -1;
			break;
		}
		k->str = NULL;
		k->value = 0;
		k->boolean = -1;
		plain = plain && k->kind == STR_QUOTED;
		int vt = lua_type(L, -1);
		if (vt == LUA_TSTRING) {
			k->str = lua_tolstring(L, -1, &k->str_len);
			k->str_kind = string_kind(k->str, k->str_len);
			plain = plain && k->str_kind == STR_QUOTED;
			lua_pop(L, 1);
		} else if (vt == LUA_TBOOLEAN) {
			k->boolean = lua_toboolean(L, -1);
			lua_pop(L, 1);
		} else if (room && kept < KEPT_VALUES) { /* key, value, the key for lua_next */
			plain = false;
			lua_pushvalue(L, -2);
			k->value = at + 1;
			at += 2;
			kept++;
		} else {
			plain = false;
			lua_pop(L, 1);
		}
		n++;
	}
	if (written)
		*written = n;
	if (rc == 0 && public_only && n && indices && (size_t)max_index == n) {
		lua_settop(L, base); /* a sequence (once the notes are left out) */
		if (keys != small)
			free(keys);
		return encode_sequence(L, idx, (lua_Integer)n, out, err, errsz, depth);
	}
	if (rc == 0 && n > SMALL_KEYS && !(order = malloc(n * sizeof *order))) {
		snprintf(err, errsz, "%s", KIT_OOM);
		rc = -1;
	}
	if (rc == 0) {
		for (size_t i = 0; i < n; i++)
			order[i] = &keys[i];
		sort_keys(order, n);
	}
	if (rc == 0 && plain) {
		put_plain_object(out, order, n);
	} else if (rc == 0) {
		kit_buf_putc(out, '{');
		for (size_t i = 0; i < n && rc == 0; i++) {
			const key *k = order[i];
			if (i)
				kit_buf_putc(out, ',');
			put_string(out, key_name(k), k->len, k->kind);
			kit_buf_putc(out, ':');
			if (k->str) {
				if (k->str_kind == STR_INVALID) {
					snprintf(err, errsz, "a string that is not valid UTF-8 cannot be stored");
					rc = -1;
				} else {
					put_string(out, k->str, k->str_len, k->str_kind);
				}
				continue;
			}
			if (k->boolean >= 0) {
				put_boolean(out, k->boolean);
				continue;
			}
			if (k->value) {
				rc = encode(L, k->value, out, err, errsz, depth + 1);
				continue;
			}
			if (k->is_number)
				lua_pushnumber(L, k->number);
			else
				lua_pushlstring(L, key_name(k), k->len);
			lua_rawget(L, idx);
			rc = encode(L, -1, out, err, errsz, depth + 1);
			lua_pop(L, 1);
		}
		kit_buf_putc(out, '}');
	}
	lua_settop(L, base);
	if (keys != small)
		free(keys);
	if (order != small_order)
		free(order);
	return rc;
}

static int encode(lua_State *L, int idx, kit_buf *out, char *err, size_t errsz, int depth)
{
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TNIL: kit_buf_put(out, "null", 4); return 0;
	case LUA_TBOOLEAN: put_boolean(out, lua_toboolean(L, idx)); return 0;
	case LUA_TNUMBER: {
		char num[64];
		int n;
		if (lua_isinteger(L, idx)) {
			n = (int)integer_text(num, lua_tointeger(L, idx));
		} else {
			double d = lua_tonumber(L, idx);
			if (!isfinite(d)) {
				snprintf(err, errsz, "cannot write %s as JSON",
					 d != d ? "NaN" : "an infinite number");
				return -1;
			}
			n = snprintf(num, sizeof num, "%.14g", d);
			if (strtod(num, NULL) != d)
				n = snprintf(num, sizeof num, "%.17g", d);
		}
		kit_buf_put(out, num, (size_t)n);
		return 0;
	}
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		int kind = string_kind(s, n);
		if (kind == STR_INVALID) {
			snprintf(err, errsz, "a string that is not valid UTF-8 cannot be stored");
			return -1;
		}
		put_string(out, s, n, kind);
		return 0;
	}
	case LUA_TTABLE: {
		if (depth > MAX_DEPTH) {
			snprintf(err, errsz, "table nested more than %d deep (a cycle?)", MAX_DEPTH);
			return -1;
		}
		if (!lua_checkstack(L, 4)) {
			snprintf(err, errsz, "out of stack");
			return -1;
		}
		lua_Integer n;
		if (is_sequence(L, idx, &n))
			return encode_sequence(L, idx, n, out, err, errsz, depth);
		return encode_object(L, idx, out, err, errsz, depth, false, NULL);
	}
	default: snprintf(err, errsz, "cannot write a %s as JSON", luaL_typename(L, idx)); return -1;
	}
}

/* encode and encode_object leave the stack as they found it, on errors
 * too (test_json checks): no lua_settop after them. */
int tml_json_encode(lua_State *L, int idx, kit_buf *out, char *err, size_t errsz)
{
	int rc = encode(L, idx, out, err, errsz, 0);
	if (rc == 0 && kit_buf_failed(out)) {
		snprintf(err, errsz, "%s", KIT_OOM);
		rc = -1;
	}
	return rc;
}

int tml_json_encode_public(lua_State *L, int idx, kit_buf *out, char *err, size_t errsz, bool *none)
{
	*none = false;
	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) != LUA_TTABLE)
		return tml_json_encode(L, idx, out, err, errsz);
	size_t at = out->len, written = 0;
	int rc = encode_object(L, idx, out, err, errsz, 0, true, &written);
	if (rc == 0 && kit_buf_failed(out)) {
		snprintf(err, errsz, "%s", KIT_OOM);
		rc = -1;
	}
	if (rc == 0 && written == 0) {
		/* an empty table is {}; one of notes alone is no attrs at all */
		lua_pushnil(L);
		*none = lua_next(L, idx) != 0;
		if (*none) {
			lua_pop(L, 2);
			out->len = at;
		}
	}
	return rc;
}
