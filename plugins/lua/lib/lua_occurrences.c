/* lua_occurrences.c -- textmill.occurrences: every whole-word occurrence of
 * a few names in a document, in text order, in one C call. A pack's later
 * mentions ("again": each name found once is sought everywhere) did this in
 * Lua with a string.find loop per name, a table per occurrence and a sort
 * with a Lua comparison.
 *
 *   textmill.occurrences(text, names [, opts]) -> starts, stops, which
 *     names: a list of non-empty strings.
 *     opts.from: a list parallel to names; names[i] is sought from byte
 *       from[i] on (nil or missing: 1).
 *     opts.skip: a list of span lists (tables with start and stop); an
 *       occurrence sharing a byte with one of those spans is left out.
 *     opts.words: false to keep every match, inside a word too (default
 *       true: whole words only).
 *     Each name is sought as repeated string.find(text, name, init, true)
 *     finds it, init moving past each match (so a match overlapping the
 *     name's previous one, even one inside a word, is not found), and a
 *     match counts when it is a whole word: no letter, digit or byte of a
 *     character of several bytes right before or after it.
 *     Returns three lists of integers of the same length: start and stop
 *     (1-based, inclusive) of each occurrence and the index in names of
 *     the name found, ordered by start, the longer first, then by index.
 *     Equal spans are the same text, so the caller decides their order by
 *     the order of names.
 *
 * A few names are each found by memchr and memcmp, then sorted; more in
 * one pass over the text with the names chained by their first byte,
 * tried longest first at each byte, so that no sort is needed. */
#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sort_keys.h"
#include "textops.h"
#include "tml.h"
#include "tml_core.h"

typedef struct {
	uint32_t start, stop; /* 0-based, stop exclusive */
} range;

typedef struct {
	uint32_t start, stop, which; /* which: the name's 1-based index */
} hit;

/* A name sought: its bytes, the offset its next match may start at, the
 * next name of its first byte's chain (-1: none). */
typedef struct {
	const char *p;
	uint32_t len, at;
	int32_t next;
} sought;

/* The call's scratch: malloc'd arrays held by a userdata whose __gc frees
 * them, so that a Lua error on the way (a bad argument, out of memory)
 * leaks nothing. */
typedef struct {
	range *skip;
	hit *found;
	sought *names;
	size_t nnames;
	size_t nskip, capskip, nfound, capfound;
	bool any; /* opts.words = false: inside a word too */
} scratch;

/* Up to this many names a search per name costs less than the pass (it
 * skips bytes in blocks; the pass looks at each). Callgrind on every tenth
 * dev article, each name of a call one of the article's capitalised words
 * (or pairs): the pass 21.4, 25.2 and 28.6 million instructions with up
 * to 16, 24 and 32 names, a search per name 17.5, 25.1 and 31.5; on the
 * pack's own calls (up to 52 names) 14.7 million with 8 here, 12.7 with
 * 24. */
#define FEW_NAMES 24

#define SCRATCH_MT "textmill.occurrences.scratch"

static void release(scratch *w)
{
	free(w->skip);
	free(w->found);
	free(w->names);
	memset(w, 0, sizeof *w);
}

static int scratch_gc(lua_State *L)
{
	release(lua_touserdata(L, 1));
	return 0;
}

static scratch *push_scratch(lua_State *L)
{
	scratch *w = lua_newuserdatauv(L, sizeof *w, 0);
	memset(w, 0, sizeof *w);
	if (luaL_newmetatable(L, SCRATCH_MT)) {
		lua_pushcfunction(L, scratch_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	return w;
}

static void *grow(lua_State *L, void *p, size_t *cap, size_t size)
{
	size_t n = *cap ? 2 * *cap : 64;
	if (n > SIZE_MAX / size / 2)
		luaL_error(L, "textmill.occurrences: too many spans");
	void *q = realloc(p, n * size);
	if (!q)
		luaL_error(L, "textmill.occurrences: out of memory");
	*cap = n;
	return q;
}

/* Is [s, e) a whole word, bytes of words as the packs' Lua took them
 * (rules.span.whole_word)? */
static bool whole_word(const char *text, size_t len, size_t s, size_t e)
{
	return (s == 0 || !textops_word_byte((unsigned char)text[s - 1])) &&
	       (e >= len || !textops_word_byte((unsigned char)text[e]));
}

/* The fields read, interned once: the function's upvalues (tml_push_keys). */
enum { O_START, O_STOP, O_FROM, O_SKIP, O_WORDS, NOCC_KEYS };
static const char *const occ_keys[NOCC_KEYS] = {"start", "stop", "from", "skip", "words"};

/* The integer at index idx: field k of span i of skip list l. */
static lua_Integer int_at(lua_State *L, int idx, int k, lua_Integer l, lua_Integer i)
{
	int ok;
	lua_Integer v = lua_tointegerx(L, idx, &ok);
	if (!ok)
		luaL_error(L, "textmill.occurrences: skip list %I, span %I: %s must be an integer", l, i,
			   occ_keys[k]);
	return v;
}

/* The start and stop of the span on top of the stack, popped. */
static void read_span(lua_State *L, lua_Integer l, lua_Integer i, lua_Integer *s, lua_Integer *e)
{
	lua_pushvalue(L, lua_upvalueindex(1 + O_START));
	lua_gettable(L, -2);
	lua_pushvalue(L, lua_upvalueindex(1 + O_STOP));
	lua_gettable(L, -3);
	*s = int_at(L, -2, O_START, l, i);
	*e = int_at(L, -1, O_STOP, l, i);
	lua_settop(L, -4);
}

/* The spans of the lists at index skip (a table or nil) that cover bytes of
 * the text, sorted by start and merged where they overlap, so that one
 * binary search answers whether a span meets one of them. */
static void read_skip(lua_State *L, int skip, size_t len, scratch *w)
{
	if (lua_isnil(L, skip))
		return;
	lua_Integer nl = (lua_Integer)lua_rawlen(L, skip);
	for (lua_Integer l = 1; l <= nl; l++) {
		if (lua_rawgeti(L, skip, l) != LUA_TTABLE)
			luaL_error(L, "textmill.occurrences: skip list %I is not a table", l);
		lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
		for (lua_Integer i = 1; i <= n; i++) {
			if (lua_rawgeti(L, -1, i) != LUA_TTABLE)
				luaL_error(L, "textmill.occurrences: skip list %I, span %I is not a table", l, i);
			lua_Integer s, e;
			read_span(L, l, i, &s, &e);
			if (s > e || e < 1 || s > (lua_Integer)len)
				continue; /* covers no byte of the text */
			if (w->nskip == w->capskip)
				w->skip = grow(L, w->skip, &w->capskip, sizeof *w->skip);
			w->skip[w->nskip].start = (uint32_t)(s < 1 ? 0 : s - 1);
			w->skip[w->nskip].stop = (uint32_t)(e > (lua_Integer)len ? (lua_Integer)len : e);
			w->nskip++;
		}
		lua_pop(L, 1);
	}
	range *r = w->skip;
	for (size_t i = 1; i < w->nskip; i++) { /* lists come in text order: nearly sorted */
		range x = r[i];
		size_t j = i;
		for (; j > 0 && r[j - 1].start > x.start; j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
	size_t m = 0;
	for (size_t i = 0; i < w->nskip; i++) {
		if (m > 0 && r[i].start < r[m - 1].stop) {
			if (r[i].stop > r[m - 1].stop)
				r[m - 1].stop = r[i].stop;
		} else {
			r[m++] = r[i];
		}
	}
	w->nskip = m;
}

/* Does [s, e) share a byte with one of the merged spans? */
static bool skipped(const scratch *w, size_t s, size_t e)
{
	size_t lo = 0, hi = w->nskip; /* the first span starting at or after e */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (w->skip[mid].start < e)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && w->skip[lo - 1].stop > s;
}

/* Does the match [s, e) count: a whole word (or any, opts.words = false)
 * on no skip span? */
static bool counts(const scratch *w, const char *text, size_t len, size_t s, size_t e)
{
	return (w->any || whole_word(text, len, s, e)) && !skipped(w, s, e);
}

/* from[i] as a 0-based offset (nil: 0). */
static size_t start_of(lua_State *L, int from, lua_Integer i, size_t len)
{
	if (lua_isnil(L, from))
		return 0;
	size_t at = 0;
	if (lua_rawgeti(L, from, i) != LUA_TNIL) {
		int ok;
		lua_Integer f = lua_tointegerx(L, -1, &ok);
		if (!ok)
			luaL_error(L, "textmill.occurrences: from[%I] must be an integer", i);
		at = f < 1 ? 0 : (f > (lua_Integer)len ? len : (size_t)f - 1);
	}
	lua_pop(L, 1);
	return at;
}

/* Read names (index 2) and from (index 4) into w->names, and chain them
 * by first byte: head[b] is the first name starting with byte b, each
 * chain longest first, then by index, the order occurrences at one start
 * are returned in. */
static void read_names(lua_State *L, size_t len, scratch *w, int32_t head[256])
{
	lua_Integer nn = (lua_Integer)lua_rawlen(L, 2);
	if (nn > 0x3fffffff)
		luaL_error(L, "textmill.occurrences: too many names");
	for (int b = 0; b < 256; b++)
		head[b] = -1;
	w->names = calloc((size_t)nn + 1, sizeof *w->names);
	if (!w->names)
		luaL_error(L, "textmill.occurrences: out of memory");
	w->nnames = (size_t)nn;
	for (lua_Integer i = 1; i <= nn; i++) {
		if (lua_rawgeti(L, 2, i) != LUA_TSTRING)
			luaL_error(L, "textmill.occurrences: name %I is not a string", i);
		sought *n = &w->names[i - 1];
		size_t nlen;
		n->p = lua_tolstring(L, -1, &nlen); /* anchored by the names table */
		lua_pop(L, 1);
		if (nlen == 0)
			luaL_error(L, "textmill.occurrences: name %I is empty", i);
		n->len = nlen > len ? (uint32_t)len + 1 : (uint32_t)nlen; /* longer than the text: never found */
		n->at = (uint32_t)start_of(L, 4, i, len);
		int32_t *link = &head[(unsigned char)n->p[0]];
		while (*link >= 0 && w->names[*link].len >= n->len)
			link = &w->names[*link].next;
		n->next = *link;
		*link = (int32_t)(i - 1);
	}
}

static void found(lua_State *L, scratch *w, size_t s, size_t e, uint32_t which)
{
	if (w->nfound == w->capfound)
		w->found = grow(L, w->found, &w->capfound, sizeof *w->found);
	w->found[w->nfound++] = (hit){(uint32_t)s, (uint32_t)e, which};
}

/* The first match of name at or after at (at + its length <= len), as
 * memmem would give: memchr for its first byte, then the rest compared.
 * glibc's memmem fills a table of shifts at every call, and a call finds
 * one match in an article of a few kilobytes: callgrind on the dev
 * articles put it at 2,150 instructions a call, the call's 10.1 of 23.2
 * million, where memchr and memcmp take 1.6 million. The second byte is
 * compared in place: most bytes memchr stops at begin another word with
 * the same capital (Nguyễn, Ngày, Nhà), and a memcmp call on each cost
 * 0.4 million more. */
static const char *find_name(const char *text, size_t len, size_t at, const sought *n)
{
	const char *p = text + at, *last = text + len - n->len; /* at + n->len <= len */
	unsigned char first = (unsigned char)n->p[0];
	while (p <= last && (p = memchr(p, first, (size_t)(last - p) + 1)) != NULL) {
		if (n->len == 1 || (p[1] == n->p[1] && memcmp(p + 2, n->p + 2, n->len - 2) == 0))
			return p;
		p++;
	}
	return NULL;
}

/* A few names (FEW_NAMES): each found by find_name, then put in order by a
 * stable sort. */
static void seek_each(lua_State *L, const char *text, size_t len, scratch *w)
{
	for (size_t i = 0; i < w->nnames; i++) {
		sought *n = &w->names[i];
		size_t at = n->at;
		while (at + n->len <= len) {
			const char *p = find_name(text, len, at, n);
			if (!p)
				break;
			size_t s = (size_t)(p - text), e = s + n->len;
			if (counts(w, text, len, s, e))
				found(L, w, s, e, (uint32_t)i + 1);
			at = e; /* past the match, as string.find from its stop + 1 */
		}
	}
	size_t n = w->nfound;
	if (n < 2)
		return;
	/* keys and indexes, their scratch, and the found ones reordered */
	uint64_t *key = malloc(2 * n * sizeof *key + n * sizeof(hit) + 2 * n * sizeof(uint32_t));
	if (!key)
		luaL_error(L, "textmill.occurrences: out of memory");
	hit *h = (hit *)(key + 2 * n);
	uint32_t *idx = (uint32_t *)(h + n);
	for (size_t k = 0; k < n; k++) {
		key[k] = (uint64_t)w->found[k].start << 32 | (UINT32_MAX - (uint64_t)w->found[k].stop);
		idx[k] = (uint32_t)k;
	}
	tml_sort_u64(key, idx, key + n, idx + n, n); /* stable: equal spans keep the order of names */
	for (size_t k = 0; k < n; k++)
		h[k] = w->found[idx[k]];
	memcpy(w->found, h, n * sizeof *h);
	free(key);
}

/* More names: one pass, at each byte the names that start with it. A
 * name's next match is the first at or after its `at`, as string.find
 * from there would give; `at` then moves past it, whole word or not.
 * Names are tried longest first at each byte, so the occurrences come out
 * in their final order. */
static void seek_all(lua_State *L, const char *text, size_t len, scratch *w, const int32_t head[256])
{
	const unsigned char *t = (const unsigned char *)text;
	for (size_t p = 0; p < len; p++) {
		for (int32_t h = head[t[p]]; h >= 0;) {
			sought *n = &w->names[h];
			if (n->len <= len - p && p >= n->at && memcmp(text + p, n->p, n->len) == 0) {
				size_t e = p + n->len;
				n->at = (uint32_t)e;
				if (counts(w, text, len, p, e))
					found(L, w, p, e, (uint32_t)h + 1);
			}
			h = n->next;
		}
	}
}

static int l_occurrences(lua_State *L)
{
	size_t len;
	const char *text = luaL_checklstring(L, 1, &len);
	luaL_checktype(L, 2, LUA_TTABLE);
	if (len >= UINT32_MAX)
		return luaL_error(L, "textmill.occurrences: text too long");
	lua_settop(L, 3);
	bool any = false;
	if (lua_isnil(L, 3)) {
		lua_pushnil(L); /* 4: from */
		lua_pushnil(L); /* 5: skip */
	} else {
		luaL_checktype(L, 3, LUA_TTABLE);
		if (tml_get_key(L, 3, O_FROM) != LUA_TNIL && !lua_istable(L, 4))
			return luaL_error(L, "textmill.occurrences: opts.from must be a table, not %s",
					  luaL_typename(L, 4));
		if (tml_get_key(L, 3, O_SKIP) != LUA_TNIL && !lua_istable(L, 5))
			return luaL_error(L, "textmill.occurrences: opts.skip must be a table, not %s",
					  luaL_typename(L, 5));
		int words = tml_get_key(L, 3, O_WORDS);
		if (words != LUA_TNIL && words != LUA_TBOOLEAN)
			return luaL_error(L, "textmill.occurrences: opts.words must be a boolean, not %s",
					  luaL_typename(L, 6));
		any = words == LUA_TBOOLEAN && !lua_toboolean(L, 6);
		lua_pop(L, 1);
	}
	scratch *w = push_scratch(L); /* 6 */
	w->any = any;
	read_skip(L, 5, len, w);
	int32_t head[256];
	read_names(L, len, w, head);
	if (w->nnames <= FEW_NAMES)
		seek_each(L, text, len, w);
	else
		seek_all(L, text, len, w, head);
	size_t n = w->nfound;
	lua_createtable(L, (int)n, 0); /* 7 starts */
	lua_createtable(L, (int)n, 0); /* 8 stops */
	lua_createtable(L, (int)n, 0); /* 9 which */
	for (size_t k = 0; k < n; k++) {
		lua_pushinteger(L, (lua_Integer)w->found[k].start + 1);
		lua_rawseti(L, 7, (lua_Integer)k + 1);
		lua_pushinteger(L, (lua_Integer)w->found[k].stop);
		lua_rawseti(L, 8, (lua_Integer)k + 1);
		lua_pushinteger(L, (lua_Integer)w->found[k].which);
		lua_rawseti(L, 9, (lua_Integer)k + 1);
	}
	release(w);
	return 3;
}

void tml_occurrences_register(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"occurrences", l_occurrences},
		{NULL, NULL},
	};
	tml_push_keys(L, occ_keys, NOCC_KEYS);
	luaL_setfuncs(L, fns, NOCC_KEYS);
}
