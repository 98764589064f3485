/* lua_spans.c -- textmill.resolve and textmill.sort_spans: the sorting a
 * rule pack does for every document, in C. In Lua each comparison is a
 * function call; a pack sorts several hundred times per article.
 *
 *   textmill.resolve(cands) -> kept
 *     cands: a list of tables with start, stop (integers), and optional
 *     priority (number, default 0), layer (any value, default 1) and order
 *     (integer, default the list position). Ranks them -- higher priority,
 *     then the longer span, then the earlier start, then the lower order --
 *     and keeps, per layer, each one that does not overlap one kept before
 *     it. Returns a new list of the kept tables by start, longest first.
 *
 *   textmill.sort_spans(list) -> list
 *     Sorts a list of tables with start, stop and type in place: by start,
 *     the longer first, then by type; ties keep their order.
 *
 *   textmill.spans_off(list, others) -> kept
 *     A new list of the tables of list (with integer start and stop, both
 *     inclusive), in their order, that share no byte with a span of
 *     others (tables with start and stop, in any order; one whose stop is
 *     before its start covers nothing). A pack drops the places inside
 *     its persons' names so: in Lua each place cost a binary search and
 *     a dozen field reads.
 *
 *   textmill.span_index(list) -> ix
 *     The start and stop (integers) of each table of list, read once, for
 *     questions asked often of one list (a post step's places, say); the
 *     list must not change while ix is used. Then, each answered by a
 *     binary search in C:
 *     ix:starting(p) -> the last table of list (in list order) whose start
 *       is p, or nil;
 *     ix:overlaps(s, e) -> whether a span has start <= e and stop >= s
 *       (shares a byte with s..e);
 *     ix:ends_at(s, e) -> whether a span has stop == e and start <= s.
 *     In Lua each of these cost about 3,000 instructions: the list's
 *     fields read at each step of the search.
 *
 *   textmill.span_cover(list) -> covers
 *     covers(s, e): whether a span of list (tables with integer start and
 *     stop) shares a byte with s..e. The spans appended to the list since
 *     the last question are read at the next and merged into a sorted set
 *     of disjoint spans, each question a binary search; a list shorter
 *     than at the last question is read again. A step that tests each
 *     name it adds against those before walked the list in Lua for each
 *     (rules.span.cover). */
#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sort_keys.h"
#include "tml.h"
#include "tml_core.h"

typedef tml_span span;

/* The fields of a span the functions read, interned once: their upvalues
 * (tml_push_keys). */
enum { S_START, S_STOP, S_TYPE, S_PRIORITY, S_ORDER, S_LAYER, NSPAN_KEYS };
static const char *const span_keys[NSPAN_KEYS] = {"start", "stop", "type", "priority", "order", "layer"};

static lua_Integer int_field(lua_State *L, int t, int k, lua_Integer pos)
{
	int ok;
	const char *key = span_keys[k];
	tml_get_key(L, t, k);
	lua_Integer v = lua_tointegerx(L, -1, &ok);
	if (!ok)
		luaL_error(L, "span %I: %s must be an integer", pos, key);
	lua_pop(L, 1);
	return v;
}

/* Read start and stop of the list at index idx, items 1..n, into v. */
static void read_into(lua_State *L, int idx, lua_Integer n, span *v)
{
	for (lua_Integer i = 0; i < n; i++) {
		if (lua_rawgeti(L, idx, i + 1) != LUA_TTABLE)
			luaL_error(L, "span %I is not a table", i + 1);
		int t = lua_gettop(L);
		v[i].start = int_field(L, t, S_START, i + 1);
		v[i].stop = int_field(L, t, S_STOP, i + 1);
		v[i].pos = (int)(i + 1);
		v[i].type = NULL;
		v[i].layer = 0;
		v[i].priority = 0;
		v[i].order = 0;
		lua_pop(L, 1);
	}
}

/* Read start and stop of the list at index idx, items 1..n, into a
 * scratch array on the stack. */
static span *read_spans_at(lua_State *L, int idx, lua_Integer n)
{
	if ((size_t)n > ((size_t)-1) / sizeof(span))
		luaL_error(L, "too many spans");
	span *v = lua_newuserdatauv(L, (size_t)n * sizeof *v + 1, 0);
	read_into(L, idx, n, v);
	return v;
}

static span *read_spans(lua_State *L, lua_Integer n) { return read_spans_at(L, 1, n); }

static lua_Integer list_len_at(lua_State *L, int idx)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	if (n > 0x3fffffff)
		luaL_error(L, "too many spans");
	return n;
}

/* The length of the list at 1, left alone on the stack: what follows pushes
 * at known indexes, whatever else the caller passed. */
static lua_Integer list_len(lua_State *L)
{
	lua_Integer n = list_len_at(L, 1);
	lua_settop(L, 1);
	return n;
}

static int by_rank(const void *pa, const void *pb)
{
	const span *a = pa, *b = pb;
	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	lua_Integer la = a->stop - a->start, lb = b->stop - b->start;
	if (la != lb)
		return la > lb ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return a->pos - b->pos;
}

/* Text order: by start, the longer first; then type and list position. */
static int by_place(const void *pa, const void *pb)
{
	const span *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->stop != b->stop)
		return a->stop > b->stop ? -1 : 1;
	if (a->type && b->type) {
		int c = strcmp(a->type, b->type);
		if (c)
			return c;
	}
	return a->pos - b->pos;
}

/* Kept spans of all layers, sorted by (layer, start). Within a layer they
 * do not overlap, so they are sorted by stop too, and a span overlaps one
 * of them exactly when it overlaps the last one starting at or before its
 * stop. */
static size_t find_slot(const span *kept, size_t n, const span *c)
{
	size_t lo = 0, hi = n; /* first index with (layer, start) > (c->layer, c->stop) */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (kept[mid].layer < c->layer || (kept[mid].layer == c->layer && kept[mid].start <= c->stop))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int l_resolve(lua_State *L)
{
	lua_Integer n = list_len(L);
	span *v = read_spans(L, n); /* 2 */
	lua_newtable(L);            /* 3: layer value -> id */
	int layers = 0;
	for (lua_Integer i = 0; i < n; i++) {
		lua_rawgeti(L, 1, i + 1);
		int t = lua_gettop(L);
		tml_get_key(L, t, S_PRIORITY);
		int ok;
		v[i].priority = lua_isnil(L, -1) ? 0 : lua_tonumberx(L, -1, &ok);
		if (!lua_isnil(L, -1) && !ok)
			return luaL_error(L, "span %I: priority must be a number", i + 1);
		lua_pop(L, 1);
		tml_get_key(L, t, S_ORDER);
		v[i].order = lua_isnil(L, -1) ? i + 1 : lua_tointegerx(L, -1, &ok);
		if (!lua_isnil(L, -1) && !ok)
			return luaL_error(L, "span %I: order must be an integer", i + 1);
		lua_pop(L, 1);
		if (tml_get_key(L, t, S_LAYER) == LUA_TNIL) {
			lua_pop(L, 1);
			lua_pushinteger(L, 1);
		}
		lua_pushvalue(L, -1);
		if (lua_rawget(L, 3) == LUA_TNIL) {
			lua_pop(L, 1);
			lua_pushinteger(L, ++layers);
			lua_rawset(L, 3);
			v[i].layer = layers;
		} else {
			v[i].layer = (int)lua_tointeger(L, -1);
			lua_pop(L, 2);
		}
		lua_pop(L, 1);
	}
	qsort(v, (size_t)n, sizeof *v, by_rank);
	span *kept = lua_newuserdatauv(L, (size_t)n * sizeof *kept + 1, 0);
	size_t nk = 0;
	for (lua_Integer i = 0; i < n; i++) {
		size_t at = find_slot(kept, nk, &v[i]);
		if (at > 0 && kept[at - 1].layer == v[i].layer && kept[at - 1].stop >= v[i].start)
			continue;
		memmove(kept + at + 1, kept + at, (nk - at) * sizeof *kept);
		kept[at] = v[i];
		nk++;
	}
	qsort(kept, nk, sizeof *kept, by_place);
	lua_createtable(L, (int)nk, 0);
	for (size_t i = 0; i < nk; i++) {
		lua_rawgeti(L, 1, kept[i].pos);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* by_place for spans whose start and stop fit in 32 bits and whose types
 * are strings: a radix sort on (start, the stop's complement), stable, so
 * list order holds among equal spans; then the few spans of each run of
 * equal ones by type. Sorts v through a scratch userdata it pushes;
 * false, v untouched, when the keys do not fit. */
#define FEW 32
static bool sort_by_keys(lua_State *L, span *v, lua_Integer n)
{
	for (lua_Integer i = 0; i < n; i++)
		if (v[i].start < 0 || v[i].start > UINT32_MAX || v[i].stop < 0 || v[i].stop > UINT32_MAX ||
		    !v[i].type)
			return false;
	size_t m = (size_t)n;
	/* a few spans (most lists a phase sorts) on the C stack, more in a userdata */
	uint64_t kbuf[2 * FEW];
	uint32_t ibuf[2 * FEW];
	span sbuf[FEW];
	bool few = m <= FEW;
	uint64_t *key = few ? kbuf : lua_newuserdatauv(L, 2 * m * (sizeof *key + sizeof(uint32_t)) + 1, 0);
	uint32_t *idx = few ? ibuf : (uint32_t *)(key + 2 * m);
	for (size_t i = 0; i < m; i++) {
		key[i] = (uint64_t)v[i].start << 32 | (UINT32_MAX - (uint64_t)v[i].stop);
		idx[i] = (uint32_t)i;
	}
	tml_sort_u64(key, idx, key + m, idx + m, m);
	for (size_t i = 0; i < m;) {
		size_t j = i + 1;
		while (j < m && key[j] == key[i])
			j++;
		for (size_t a = i + 1; a < j; a++) { /* insertion sort by type: stable */
			uint32_t x = idx[a];
			size_t b = a;
			for (; b > i && strcmp(v[idx[b - 1]].type, v[x].type) > 0; b--)
				idx[b] = idx[b - 1];
			idx[b] = x;
		}
		i = j;
	}
	span *sorted = few ? sbuf : lua_newuserdatauv(L, m * sizeof *sorted + 1, 0);
	for (size_t i = 0; i < m; i++)
		sorted[i] = v[idx[i]];
	memcpy(v, sorted, m * sizeof *v);
	if (!few)
		lua_pop(L, 2);
	return true;
}

void tml_sort_places(lua_State *L, span *v, lua_Integer n)
{
	if (!sort_by_keys(L, v, n)) /* positions beyond 32 bits, or a type that is no string */
		qsort(v, (size_t)n, sizeof *v, by_place);
}

static int l_sort_spans(lua_State *L)
{
	lua_Integer n = list_len(L);
	span *v = read_spans(L, n);    /* 2 */
	lua_createtable(L, (int)n, 0); /* 3: keeps the tables alive */
	for (lua_Integer i = 0; i < n; i++) {
		lua_rawgeti(L, 1, i + 1);
		tml_get_key(L, -1, S_TYPE);
		v[i].type = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		lua_pop(L, 1);
		lua_rawseti(L, 3, i + 1);
	}
	tml_sort_places(L, v, n);
	for (lua_Integer i = 0; i < n; i++) {
		lua_rawgeti(L, 3, v[i].pos);
		lua_rawseti(L, 1, i + 1);
	}
	lua_settop(L, 1);
	return 1;
}

/* How many of v[0..n), sorted by start, start at or before p: the index
 * after the last of them. */
static size_t starting_by(const span *v, size_t n, lua_Integer p)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].start <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* By start, then list position: spans_off's merge and span_index's order. */
static int by_start_then_pos(const void *pa, const void *pb)
{
	const span *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->pos - b->pos;
}

/* v[0..n) sorted by start and merged where they share or touch a byte
 * (positions are integers: a span meets two that touch exactly when it
 * meets their union), those covering nothing left out; the new count.
 * Disjoint and in order, their stops rise too. */
static size_t merge_spans(span *v, size_t n)
{
	qsort(v, n, sizeof *v, by_start_then_pos);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].stop < v[i].start)
			continue;
		/* (start - 1, not stop + 1: a stop may be the largest integer) */
		if (m > 0 && (v[i].start <= v[m - 1].stop || v[i].start - 1 == v[m - 1].stop)) {
			if (v[i].stop > v[m - 1].stop)
				v[m - 1].stop = v[i].stop;
		} else {
			v[m++] = v[i];
		}
	}
	return m;
}

/* Does [s, e] share a byte with one of the merged spans? The last one
 * starting by e is the only one that can. */
static bool meets(const span *v, size_t n, lua_Integer s, lua_Integer e)
{
	size_t k = starting_by(v, n, e);
	return k > 0 && v[k - 1].stop >= s;
}

static int l_spans_off(lua_State *L)
{
	lua_Integer n = list_len_at(L, 1), no = list_len_at(L, 2);
	lua_settop(L, 2);
	span *off = read_spans_at(L, 2, no); /* 3 */
	size_t m = merge_spans(off, (size_t)no);
	lua_createtable(L, (int)n, 0); /* 4 */
	lua_Integer kept = 0;
	for (lua_Integer i = 1; i <= n; i++) {
		if (lua_rawgeti(L, 1, i) != LUA_TTABLE)
			return luaL_error(L, "span %I is not a table", i);
		lua_Integer s = int_field(L, 5, S_START, i), e = int_field(L, 5, S_STOP, i);
		if (meets(off, m, s, e)) {
			lua_pop(L, 1);
			continue;
		}
		lua_rawseti(L, 4, ++kept);
	}
	return 1;
}

/* A span_index: the spans by start, then list position (a list in text
 * order is so already), and the longest stop - start, which bounds how
 * far back a span that reaches a position can start. */
typedef struct {
	size_t n;
	lua_Unsigned width; /* unsigned: a span may run from the least integer to the largest */
	span v[];
} span_ix;

#define SPAN_IX_MT "textmill.span_index"

static int l_span_index(lua_State *L)
{
	lua_Integer n = list_len_at(L, 1);
	lua_settop(L, 1);
	if ((size_t)n > (((size_t)-1) - sizeof(span_ix)) / sizeof(span))
		return luaL_error(L, "too many spans");
	span_ix *ix = lua_newuserdatauv(L, sizeof *ix + (size_t)n * sizeof(span), 1); /* 2 */
	ix->n = (size_t)n;
	ix->width = 0;
	read_into(L, 1, n, ix->v);
	bool sorted = true;
	for (lua_Integer i = 0; i < n; i++) {
		const span *x = &ix->v[i];
		if (x->stop > x->start && (lua_Unsigned)x->stop - (lua_Unsigned)x->start > ix->width)
			ix->width = (lua_Unsigned)x->stop - (lua_Unsigned)x->start;
		if (i > 0 && x->start < ix->v[i - 1].start)
			sorted = false;
	}
	if (!sorted)
		qsort(ix->v, (size_t)n, sizeof(span), by_start_then_pos);
	luaL_setmetatable(L, SPAN_IX_MT);
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, 2, 1); /* the list: ix:starting gives its tables */
	return 1;
}

static int l_ix_starting(lua_State *L)
{
	const span_ix *ix = tml_checkudata(L, 1, SPAN_IX_MT);
	lua_Integer p = luaL_checkinteger(L, 2);
	size_t k = starting_by(ix->v, ix->n, p); /* among equal starts the last in list order is last */
	if (k == 0 || ix->v[k - 1].start != p) {
		lua_pushnil(L);
		return 1;
	}
	lua_getiuservalue(L, 1, 1);
	lua_rawgeti(L, -1, ix->v[k - 1].pos);
	return 1;
}

/* May a span starting at start reach lo? Not when it starts more than
 * the longest span's width before (compared unsigned, where lo - width
 * could overflow). */
static bool may_reach(const span_ix *ix, lua_Integer start, lua_Integer lo)
{
	return start >= lo || (lua_Unsigned)lo - (lua_Unsigned)start <= ix->width;
}

/* Does a span start at or before by and stop in lo..hi? Back from the
 * last span starting by by over those that may still reach lo. */
static bool stops_in(const span_ix *ix, lua_Integer by, lua_Integer lo, lua_Integer hi)
{
	for (size_t k = starting_by(ix->v, ix->n, by); k > 0 && may_reach(ix, ix->v[k - 1].start, lo); k--)
		if (ix->v[k - 1].stop >= lo && ix->v[k - 1].stop <= hi)
			return true;
	return false;
}

/* start <= e and stop >= s */
static int l_ix_overlaps(lua_State *L)
{
	const span_ix *ix = tml_checkudata(L, 1, SPAN_IX_MT);
	lua_Integer s = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
	lua_pushboolean(L, stops_in(ix, e, s, LUA_MAXINTEGER));
	return 1;
}

/* start <= s and stop == e */
static int l_ix_ends_at(lua_State *L)
{
	const span_ix *ix = tml_checkudata(L, 1, SPAN_IX_MT);
	lua_Integer s = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
	lua_pushboolean(L, stops_in(ix, s, e, e));
	return 1;
}

/* A span_cover's state: the list's items read so far, and the bytes they
 * cover as m disjoint spans by start (so by stop too), room for cap. */
typedef struct {
	lua_Integer read;
	size_t m, cap;
	span v[];
} span_cover;

/* Merge s..e into the cover's spans, disjoint and by start as
 * merge_spans leaves them; it has room for one more. The spans it meets
 * become one: from the first that reaches s (the last starting by s, if
 * it does, else the next) to the last starting by e. */
static void cover_add(span_cover *c, lua_Integer s, lua_Integer e)
{
	size_t k = starting_by(c->v, c->m, s);
	if (k > 0 && c->v[k - 1].stop >= s)
		k--;
	size_t j = k;
	while (j < c->m && c->v[j].start <= e)
		j++;
	if (j == k) {
		memmove(&c->v[k + 1], &c->v[k], (c->m - k) * sizeof *c->v);
		c->v[k].start = s, c->v[k].stop = e;
		c->m++;
		return;
	}
	if (c->v[k].start < s)
		s = c->v[k].start;
	if (c->v[j - 1].stop > e)
		e = c->v[j - 1].stop;
	c->v[k].start = s, c->v[k].stop = e;
	memmove(&c->v[k + 1], &c->v[j], (c->m - j) * sizeof *c->v);
	c->m -= j - k - 1;
}

/* The cover's state (upvalue NSPAN_KEYS + 2) with room for one more span:
 * a larger one replaces it when full. */
static span_cover *cover_room(lua_State *L)
{
	int at = lua_upvalueindex(NSPAN_KEYS + 2);
	span_cover *c = lua_touserdata(L, at);
	if (c->m < c->cap)
		return c;
	size_t cap = c->cap * 2;
	if (cap > (((size_t)-1) - sizeof *c) / sizeof(span))
		luaL_error(L, "too many spans");
	span_cover *d = lua_newuserdatauv(L, sizeof *d + cap * sizeof(span), 0);
	memcpy(d, c, sizeof *c + c->m * sizeof(span));
	d->cap = cap;
	lua_replace(L, at);
	return d;
}

static int l_covers(lua_State *L)
{
	lua_Integer s = luaL_checkinteger(L, 1), e = luaL_checkinteger(L, 2);
	int list = lua_upvalueindex(NSPAN_KEYS + 1);
	span_cover *c = lua_touserdata(L, lua_upvalueindex(NSPAN_KEYS + 2));
	lua_Integer n = (lua_Integer)lua_rawlen(L, list);
	if (n < c->read)
		c->read = 0, c->m = 0;
	for (lua_Integer i = c->read + 1; i <= n; i++) {
		if (lua_rawgeti(L, list, i) != LUA_TTABLE)
			return luaL_error(L, "span %I is not a table", i);
		lua_Integer a = int_field(L, -1, S_START, i), b = int_field(L, -1, S_STOP, i);
		lua_pop(L, 1);
		if (a <= b)
			cover_add(cover_room(L), a, b);
	}
	c = lua_touserdata(L, lua_upvalueindex(NSPAN_KEYS + 2));
	c->read = n;
	lua_pushboolean(L, s <= e && meets(c->v, c->m, s, e));
	return 1;
}

static int l_span_cover(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	tml_push_keys(L, span_keys, NSPAN_KEYS);
	lua_pushvalue(L, 1);
	span_cover *c = lua_newuserdatauv(L, sizeof *c + 16 * sizeof(span), 0);
	c->read = 0, c->m = 0, c->cap = 16;
	lua_pushcclosure(L, l_covers, NSPAN_KEYS + 2);
	return 1;
}

void tml_spans_register(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"resolve", l_resolve},       {"sort_spans", l_sort_spans}, {"spans_off", l_spans_off},
		{"span_index", l_span_index}, {"span_cover", l_span_cover}, {NULL, NULL},
	};
	static const luaL_Reg ix_methods[] = {
		{"starting", l_ix_starting},
		{"overlaps", l_ix_overlaps},
		{"ends_at", l_ix_ends_at},
		{NULL, NULL},
	};
	if (luaL_newmetatable(L, SPAN_IX_MT)) {
		luaL_newlib(L, ix_methods);
		lua_setfield(L, -2, "__index");
	}
	lua_pop(L, 1);
	tml_push_keys(L, span_keys, NSPAN_KEYS);
	luaL_setfuncs(L, fns, NSPAN_KEYS);
}
