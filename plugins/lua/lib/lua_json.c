/* lua_json.c -- metadata and entity values cross between JSON and Lua.
 * A JSON object becomes a table with string keys, an array a sequence;
 * a Lua table that is a sequence (1..n) becomes an array, any other an
 * object, and an empty table an object. */
#include "tml_core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256  /* the host's reader takes as deep: what it stores, Lua reads */

void tml_buf_put(tml_buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			abort();  /* out of memory: nothing sensible is left to do */
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = 0;
}

void tml_buf_free(tml_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- JSON to Lua --------------------------------------------------------- */

typedef struct reader {
	const char *p, *end;
} reader;

static void skip_ws(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
		else return -1;
	}
	*out = v;
	return 0;
}

static int push_string(lua_State *L, reader *r)
{
	r->p++;  /* the opening quote */
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	while (r->p < r->end && *r->p != '"') {
		const char *run = r->p;
		while (r->p < r->end && *r->p != '"' && *r->p != '\\')
			r->p++;
		luaL_addlstring(&b, run, (size_t)(r->p - run));
		if (r->p >= r->end || *r->p == '"')
			break;
		if (r->end - r->p < 2)
			return -1;
		char e = r->p[1];
		r->p += 2;
		switch (e) {
		case 'n': luaL_addchar(&b, '\n'); break;
		case 't': luaL_addchar(&b, '\t'); break;
		case 'r': luaL_addchar(&b, '\r'); break;
		case 'b': luaL_addchar(&b, '\b'); break;
		case 'f': luaL_addchar(&b, '\f'); break;
		case 'u': {
			unsigned cp, lo;
			if (r->end - r->p < 4 || hex4(r->p, &cp))
				return -1;
			r->p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' || hex4(r->p + 2, &lo))
					return -1;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				r->p += 6;
			}
			char u[8];
			int n = 0;
			if (cp < 0x80) u[n++] = (char)cp;
			else if (cp < 0x800) u[n++] = (char)(0xC0 | cp >> 6), u[n++] = (char)(0x80 | (cp & 0x3F));
			else if (cp < 0x10000) u[n++] = (char)(0xE0 | cp >> 12), u[n++] = (char)(0x80 | ((cp >> 6) & 0x3F)),
					       u[n++] = (char)(0x80 | (cp & 0x3F));
			else u[n++] = (char)(0xF0 | cp >> 18), u[n++] = (char)(0x80 | ((cp >> 12) & 0x3F)),
			     u[n++] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[n++] = (char)(0x80 | (cp & 0x3F));
			luaL_addlstring(&b, u, (size_t)n);
			break;
		}
		default: luaL_addchar(&b, e); break;  /* \" \\ \/ */
		}
	}
	if (r->p >= r->end)
		return -1;
	r->p++;
	luaL_pushresult(&b);
	return 0;
}

static int push_value(lua_State *L, reader *r, int depth)
{
	skip_ws(r);
	if (r->p >= r->end || depth > MAX_DEPTH)
		return -1;
	luaL_checkstack(L, 4, "JSON nested too deeply");
	switch (*r->p) {
	case '"':
		return push_string(L, r);
	case '{': {
		r->p++;
		lua_newtable(L);
		skip_ws(r);
		if (r->p < r->end && *r->p == '}')
			return r->p++, 0;
		for (;;) {
			skip_ws(r);
			if (r->p >= r->end || *r->p != '"' || push_string(L, r))
				return -1;
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':')
				return -1;
			r->p++;
			if (push_value(L, r, depth + 1))
				return -1;
			lua_rawset(L, -3);
			skip_ws(r);
			if (r->p < r->end && *r->p == ',') { r->p++; continue; }
			if (r->p < r->end && *r->p == '}') { r->p++; return 0; }
			return -1;
		}
	}
	case '[': {
		r->p++;
		lua_newtable(L);
		skip_ws(r);
		if (r->p < r->end && *r->p == ']')
			return r->p++, 0;
		for (lua_Integer i = 1;; i++) {
			if (push_value(L, r, depth + 1))
				return -1;
			lua_rawseti(L, -2, i);
			skip_ws(r);
			if (r->p < r->end && *r->p == ',') { r->p++; continue; }
			if (r->p < r->end && *r->p == ']') { r->p++; return 0; }
			return -1;
		}
	}
	case 't':
		if (r->end - r->p < 4 || memcmp(r->p, "true", 4)) return -1;
		r->p += 4;
		lua_pushboolean(L, 1);
		return 0;
	case 'f':
		if (r->end - r->p < 5 || memcmp(r->p, "false", 5)) return -1;
		r->p += 5;
		lua_pushboolean(L, 0);
		return 0;
	case 'n':
		if (r->end - r->p < 4 || memcmp(r->p, "null", 4)) return -1;
		r->p += 4;
		lua_pushnil(L);
		return 0;
	default: {
		const char *s = r->p;
		while (r->p < r->end && strchr("+-0123456789.eE", *r->p))
			r->p++;
		/* JSON numbers have no length limit (0.000…1): a long one is
		 * copied aside, which is rare enough not to matter. */
		char small[64], *num = small;
		size_t n = (size_t)(r->p - s);
		if (!n || (n >= sizeof small && !(num = malloc(n + 1))))
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
	reader r = {json, json + len};
	int top = lua_gettop(L);
	if (push_value(L, &r, 0)) {
		lua_settop(L, top);
		return -1;
	}
	skip_ws(&r);
	if (r.p != r.end) {
		lua_settop(L, top);
		return -1;
	}
	return 0;
}

/* ---- Lua to JSON --------------------------------------------------------- */

static int valid_utf8(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0;
	*bad = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		if (c < 0x80)
			k = 0;
		else if (c >= 0xC2 && c <= 0xDF)
			k = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 3;
		else
			return *bad = i, 0;
		if (n - i <= k)
			return *bad = i, 0;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return *bad = i, 0;
		/* overlong 3- and 4-byte forms, surrogates, and past U+10FFFF */
		if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
		    (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
			return *bad = i, 0;
		i += k + 1;
	}
	return 1;
}

int tml_utf8_valid(const char *s, size_t len, size_t *bad)
{
	return valid_utf8((const unsigned char *)s, len, bad);
}

static void put_string(tml_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	tml_buf_put(out, "\"", 1);
	size_t i = 0;
	while (i < n) {
		size_t run = i;
		while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
			i++;
		tml_buf_put(out, s + run, i - run);
		if (i >= n)
			break;
		unsigned char c = (unsigned char)s[i++];
		char e[6] = {'\\', (char)c, 0, 0, 0, 0};
		size_t len = 2;
		if (c == '\n') e[1] = 'n';
		else if (c == '\t') e[1] = 't';
		else if (c == '\r') e[1] = 'r';
		else if (c < 0x20) e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[c >> 4], e[5] = hex[c & 15], len = 6;
		tml_buf_put(out, e, len);
	}
	tml_buf_put(out, "\"", 1);
}

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

typedef struct key {
	char *name;      /* the key as JSON writes it */
	size_t len;
	int is_number;
	lua_Number number;
} key;

static int cmp_key(const void *a, const void *b)
{
	const key *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int encode(lua_State *L, int idx, tml_buf *out, char *err, size_t errsz, int depth);

/* Objects are written with their keys sorted: Lua's table order changes
 * from run to run, and outputs must not. */
static int encode_object(lua_State *L, int idx, tml_buf *out, char *err, size_t errsz, int depth)
{
	size_t n = 0, cap = 8;
	key *keys = malloc(cap * sizeof *keys);
	int rc = 0;
	lua_pushnil(L);
	while (keys && lua_next(L, idx)) {
		lua_pop(L, 1);
		if (n == cap) {
			key *more = realloc(keys, 2 * cap * sizeof *keys);
			if (!more)
				break;
			keys = more, cap *= 2;
		}
		key *k = &keys[n];
		char num[64];
		const char *s;
		size_t len;
		k->is_number = lua_type(L, -1) == LUA_TNUMBER;
		if (lua_type(L, -1) == LUA_TSTRING) {
			s = lua_tolstring(L, -1, &len);
			size_t bad;
			if (!valid_utf8((const unsigned char *)s, len, &bad)) {
				lua_pop(L, 1);
				snprintf(err, errsz, "a table key that is not valid UTF-8 cannot be stored");
				rc = -1;
				break;
			}
		} else if (k->is_number) {
			/* Formatted aside: lua_tolstring would change the key lua_next needs. */
			k->number = lua_tonumber(L, -1);
			if (lua_isinteger(L, -1))
				len = (size_t)snprintf(num, sizeof num, LUA_INTEGER_FMT, lua_tointeger(L, -1));
			else
				len = (size_t)snprintf(num, sizeof num, "%.14g", k->number);
			s = num;
		} else {
			lua_pop(L, 1);
			snprintf(err, errsz, "table keys must be strings or numbers");
			rc = -1;
			break;
		}
		k->name = malloc(len + 1);
		if (!k->name)
			break;
		memcpy(k->name, s, len);
		k->name[len] = 0;
		k->len = len;
		n++;
	}
	if (rc == 0) {
		qsort(keys, n, sizeof *keys, cmp_key);
		tml_buf_put(out, "{", 1);
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (i)
				tml_buf_put(out, ",", 1);
			put_string(out, keys[i].name, keys[i].len);
			tml_buf_put(out, ":", 1);
			if (keys[i].is_number)
				lua_pushnumber(L, keys[i].number);
			else
				lua_pushlstring(L, keys[i].name, keys[i].len);
			lua_rawget(L, idx);
			rc = encode(L, -1, out, err, errsz, depth + 1);
			lua_pop(L, 1);
		}
		tml_buf_put(out, "}", 1);
	}
	for (size_t i = 0; i < n; i++)
		free(keys[i].name);
	free(keys);
	return rc;
}

static int encode(lua_State *L, int idx, tml_buf *out, char *err, size_t errsz, int depth)
{
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		tml_buf_put(out, "null", 4);
		return 0;
	case LUA_TBOOLEAN:
		if (lua_toboolean(L, idx))
			tml_buf_put(out, "true", 4);
		else
			tml_buf_put(out, "false", 5);
		return 0;
	case LUA_TNUMBER: {
		char num[64];
		int n;
		if (lua_isinteger(L, idx)) {
			n = snprintf(num, sizeof num, LUA_INTEGER_FMT, lua_tointeger(L, idx));
		} else {
			double d = lua_tonumber(L, idx);
			if (!isfinite(d)) {
				snprintf(err, errsz, "cannot write %s as JSON", d != d ? "NaN" : "an infinite number");
				return -1;
			}
			n = snprintf(num, sizeof num, "%.14g", d);
			if (strtod(num, NULL) != d)
				n = snprintf(num, sizeof num, "%.17g", d);
		}
		tml_buf_put(out, num, (size_t)n);
		return 0;
	}
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		size_t bad;
		if (!valid_utf8((const unsigned char *)s, n, &bad)) {
			snprintf(err, errsz, "a string that is not valid UTF-8 cannot be stored");
			return -1;
		}
		put_string(out, s, n);
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
		if (is_sequence(L, idx, &n)) {
			tml_buf_put(out, "[", 1);
			for (lua_Integer i = 1; i <= n; i++) {
				if (i > 1)
					tml_buf_put(out, ",", 1);
				lua_rawgeti(L, idx, i);
				int rc = encode(L, -1, out, err, errsz, depth + 1);
				lua_pop(L, 1);
				if (rc)
					return -1;
			}
			tml_buf_put(out, "]", 1);
			return 0;
		}
		return encode_object(L, idx, out, err, errsz, depth);
	}
	default:
		snprintf(err, errsz, "cannot write a %s as JSON", luaL_typename(L, idx));
		return -1;
	}
}

int tml_json_encode(lua_State *L, int idx, tml_buf *out, char *err, size_t errsz)
{
	int top = lua_gettop(L);
	int rc = encode(L, idx, out, err, errsz, 0);
	lua_settop(L, top);
	return rc;
}
