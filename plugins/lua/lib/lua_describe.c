/* lua_describe.c -- textmill.title_chains: the entity pack's step that
 * gives each person the titles and the rank written around the name
 * (persons.lua's describe), in one call.
 *
 *   textmill.title_chains(spec) -> describe
 *   describe(titles, persons, text)
 *     titles and persons: lists of entities (tables with start and stop,
 *     1-based and inclusive, and attrs; a person also with value) of the
 *     document text. For each person, in list order, its attrs (a new
 *     table when it has none) get
 *       - rank: the value of the title right before the name (one space
 *         between) whose attrs.kind equals spec.rank_kind, unless attrs
 *         has a rank already; the chain goes on leftwards over titles
 *         joined by ", " or " " and stops at a second rank;
 *       - titles: the texts of the other titles of that chain, in text
 *         order, then those of the chain right after the name, each after
 *         spaces, one of , - – or —, and spaces (Lê Thành Đô, Phó Bí thư
 *         Tỉnh ủy, Chủ tịch UBND tỉnh); none: titles is not set;
 *       - org: the attrs.org of the first of those titles that has one;
 *       - for a later person of the same value with no titles: the titles,
 *         org and (unless it has one) rank of the first.
 *     Of two titles that end (or start) at one byte, the later in the
 *     list is the one found there. A title must have start <= stop.
 *
 * The Lua step made two tables of the titles by position and read each
 * person's fields and the bytes around it with a call each: about 38,000
 * instructions an article of the tenth of the dev articles. */
#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sort_keys.h"
#include "step_spec.h"
#include "tml.h"
#include "tml_core.h"

#define WHO "textmill.title_chains"

enum { K_START, K_STOP, K_VALUE, K_ATTRS, K_KIND, K_ORG, K_TITLES, K_RANK, NKEYS };
static const char *const KEYS[NKEYS] = {"start", "stop", "value", "attrs", "kind", "org", "titles", "rank"};
#define RANK_KIND lua_upvalueindex(NKEYS + 1)

/* The titles by one position (their stops, or their starts): sorted
 * positions, each with its title's index in the list. */
typedef struct {
	uint64_t *at;
	uint32_t *title;
	uint32_t n;
} by_pos;

typedef struct {
	lua_State *L;
	const char *text;
	size_t len;
	int titles; /* the list's stack index */
	int64_t *start, *stop;
	by_pos by_stop, by_start;
	uint32_t *chain; /* one person's titles, in text order */
	uint8_t *rank;   /* per title: 0 not read yet, 1 a rank, 2 not */
} describer;

static int byte_at(const describer *d, int64_t pos) { return tml_byte_at(d->text, d->len, pos); }

/* The index of the last title at pos, or -1. */
static int64_t find_at(const by_pos *b, int64_t pos)
{
	if (pos < 0)
		return -1;
	uint32_t lo = 0, hi = b->n; /* the first entry past pos */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (b->at[mid] <= (uint64_t)pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && b->at[lo - 1] == (uint64_t)pos ? (int64_t)b->title[lo - 1] : -1;
}

static int64_t int_field(lua_State *L, int t, int k, const char *list, lua_Integer i)
{
	tml_get_key(L, t, k);
	int ok;
	lua_Integer v = lua_tointegerx(L, -1, &ok);
	if (!ok)
		luaL_error(L, WHO ": %s[%I].%s must be a whole number", list, i, KEYS[k]);
	lua_pop(L, 1);
	return v;
}

/* Push title i's attrs[k] (0-based i); its attrs must be a table. */
static void push_title_attr(describer *d, uint32_t i, int k)
{
	lua_State *L = d->L;
	lua_rawgeti(L, d->titles, (lua_Integer)i + 1);
	if (tml_get_key(L, -1, K_ATTRS) != LUA_TTABLE)
		luaL_error(L, WHO ": titles[%I].attrs must be a table", (lua_Integer)i + 1);
	tml_get_key(L, -1, k);
	lua_replace(L, -3);
	lua_pop(L, 1);
}

static bool is_rank(describer *d, uint32_t i)
{
	if (!d->rank[i]) {
		push_title_attr(d, i, K_KIND);
		d->rank[i] = lua_rawequal(d->L, -1, RANK_KIND) ? 1 : 2;
		lua_pop(d->L, 1);
	}
	return d->rank[i] == 1;
}

/* Is attrs[k] (the table at a) neither nil nor false? */
static bool has(lua_State *L, int a, int k)
{
	tml_get_key(L, a, k);
	bool yes = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return yes;
}

static void set_key(lua_State *L, int t, int k)
{
	lua_pushvalue(L, lua_upvalueindex(1 + k));
	lua_insert(L, -2);
	lua_settable(L, t);
}

static int64_t skip_spaces(const describer *d, int64_t pos)
{
	for (int b; (b = byte_at(d, pos)) >= 0 && tml_ascii_space((unsigned char)b);)
		pos++;
	return pos;
}

/* Where a title may start after a separator of titles at pos: spaces, a
 * comma, a hyphen or a dash (– or —), spaces; -1 when none follows. */
static int64_t after_sep(const describer *d, int64_t pos)
{
	pos = skip_spaces(d, pos);
	int b = byte_at(d, pos);
	if (b == ',' || b == '-') {
		pos++;
	} else if (b == 0xE2) {
		int c3 = byte_at(d, pos + 2);
		if (byte_at(d, pos + 1) != 0x80 || (c3 != 0x93 && c3 != 0x94))
			return -1;
		pos += 3;
	} else {
		return -1;
	}
	return skip_spaces(d, pos);
}

/* Read the titles' spans and sort them by stop and by start. */
static void read_titles(describer *d, uint32_t n)
{
	lua_State *L = d->L;
	/* start, stop; the two sorts' positions and their scratch; the two
	 * sorts' titles, the sorts' scratch and a person's chain (two: a
	 * person whose stop lies before its start may find a title on both
	 * sides); whether each is a rank */
	size_t each = 5 * sizeof(uint64_t) + 5 * sizeof(uint32_t) + 1;
	int64_t *p = lua_newuserdatauv(L, (size_t)n * each, 0);
	d->start = p, d->stop = p + n;
	uint64_t *u = (uint64_t *)(p + 2 * (size_t)n), *scratch_k = u + 2 * (size_t)n;
	d->by_stop.at = u, d->by_start.at = u + n;
	uint32_t *v = (uint32_t *)(scratch_k + n), *scratch_v = v + 2 * (size_t)n;
	d->by_stop.title = v, d->by_start.title = v + n, d->chain = v + 3 * (size_t)n;
	d->rank = memset(v + 5 * (size_t)n, 0, n);
	for (uint32_t i = 0; i < n; i++) {
		if (lua_rawgeti(L, d->titles, (lua_Integer)i + 1) != LUA_TTABLE)
			luaL_error(L, WHO ": titles[%I] must be a table", (lua_Integer)i + 1);
		int64_t s = int_field(L, -1, K_START, "titles", (lua_Integer)i + 1);
		int64_t t = int_field(L, -1, K_STOP, "titles", (lua_Integer)i + 1);
		lua_pop(L, 1);
		if (s < 1 || t < s || t > (int64_t)UINT32_MAX)
			luaL_error(L, WHO ": titles[%I] spans %I..%I: not a span of a text", (lua_Integer)i + 1,
				   (lua_Integer)s, (lua_Integer)t);
		d->start[i] = s, d->stop[i] = t;
		d->by_stop.at[i] = (uint64_t)t, d->by_start.at[i] = (uint64_t)s;
		d->by_stop.title[i] = d->by_start.title[i] = i;
	}
	/* stable: of equal positions the later title stays last */
	tml_sort_u64(d->by_stop.at, d->by_stop.title, scratch_k, scratch_v, n);
	tml_sort_u64(d->by_start.at, d->by_start.title, scratch_k, scratch_v, n);
	d->by_stop.n = d->by_start.n = n;
}

/* The person at the top of the stack (its attrs at a): its chain of
 * titles, rank included; returns how many titles went into d->chain. */
static uint32_t chain_of(describer *d, int a, int64_t start, int64_t stop, int64_t last_start)
{
	lua_State *L = d->L;
	uint32_t n = 0, room = 2 * d->by_stop.n;
	/* before it, leftwards: ranked titles by a space, others by ", " too */
	int64_t t = byte_at(d, start - 1) == ' ' ? find_at(&d->by_stop, start - 2) : -1;
	uint32_t before = 0;
	while (t >= 0) {
		uint32_t i = (uint32_t)t;
		if (is_rank(d, i)) {
			if (!has(L, a, K_RANK)) {
				lua_rawgeti(L, d->titles, (lua_Integer)i + 1);
				tml_get_key(L, -1, K_VALUE);
				lua_remove(L, -2);
				set_key(L, a, K_RANK);
			}
		} else {
			d->chain[room - 1 - before++] = i; /* filled from the end: text order */
		}
		int64_t s = d->start[i];
		t = -1;
		if (byte_at(d, s - 2) == ',' && byte_at(d, s - 1) == ' ')
			t = find_at(&d->by_stop, s - 3);
		if (t < 0 && byte_at(d, s - 1) == ' ')
			t = find_at(&d->by_stop, s - 2);
		if (t >= 0 && is_rank(d, (uint32_t)t) && has(L, a, K_RANK))
			t = -1;
	}
	for (uint32_t k = 0; k < before; k++)
		d->chain[n++] = d->chain[room - before + k];
	/* after it, rightwards (a title after it starts before the last one does) */
	int64_t pos = stop + 1;
	while (pos < last_start) {
		int64_t at = after_sep(d, pos);
		t = at < 0 ? -1 : find_at(&d->by_start, at);
		if (t < 0)
			break;
		d->chain[n++] = (uint32_t)t;
		pos = d->stop[t] + 1;
	}
	return n;
}

/* Push text:sub(s, e) as Lua gives it for 1 <= s. */
static void push_sub(describer *d, int64_t s, int64_t e)
{
	if (e > (int64_t)d->len)
		e = (int64_t)d->len;
	lua_pushlstring(d->L, s <= e ? d->text + s - 1 : "", s <= e ? (size_t)(e - s + 1) : 0);
}

/* attrs (at a) of a person with titles in d->chain[0..n): their texts, and
 * the org of the first that has one. */
static void set_titles(describer *d, int a, uint32_t n)
{
	lua_State *L = d->L;
	lua_createtable(L, (int)n, 0);
	for (uint32_t k = 0; k < n; k++) {
		push_sub(d, d->start[d->chain[k]], d->stop[d->chain[k]]);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	set_key(L, a, K_TITLES);
	for (uint32_t k = 0; k < n; k++) {
		push_title_attr(d, d->chain[k], K_ORG);
		if (lua_toboolean(L, -1)) {
			set_key(L, a, K_ORG);
			break;
		}
		lua_pop(L, 1);
	}
}

/* A later mention (attrs at a) of the first person of its value (attrs at
 * fa): its titles, org and rank, when it has no titles and the first has. */
static void inherit(lua_State *L, int a, int fa)
{
	if (has(L, a, K_TITLES) || !has(L, fa, K_TITLES))
		return;
	tml_get_key(L, fa, K_TITLES);
	set_key(L, a, K_TITLES);
	tml_get_key(L, fa, K_ORG);
	set_key(L, a, K_ORG);
	if (!has(L, a, K_RANK)) {
		tml_get_key(L, fa, K_RANK);
		set_key(L, a, K_RANK);
	}
}

static int l_describe(lua_State *L)
{
	describer d = {.L = L, .titles = 1};
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checktype(L, 2, LUA_TTABLE);
	d.text = luaL_checklstring(L, 3, &d.len);
	size_t nt = lua_rawlen(L, 1), np = lua_rawlen(L, 2);
	if (nt > 0x3fffffff)
		return luaL_error(L, WHO ": too many titles");
	lua_settop(L, 3);
	int64_t last_start = 0; /* the last start of a title: the titles by start end with it */
	if (nt > 0) {
		read_titles(&d, (uint32_t)nt);
		last_start = (int64_t)d.by_start.at[nt - 1];
	}
	lua_createtable(L, 0, (int)(np < 64 ? np : 64)); /* the first person of each value */
	int first = lua_gettop(L);
	for (size_t i = 1; i <= np; i++) {
		if (lua_rawgeti(L, 2, (lua_Integer)i) != LUA_TTABLE)
			return luaL_error(L, WHO ": persons[%I] must be a table", (lua_Integer)i);
		int p = lua_gettop(L);
		int type = tml_get_key(L, p, K_ATTRS);
		if (type == LUA_TNIL || (type == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
			lua_pop(L, 1);
			lua_newtable(L);
			lua_pushvalue(L, -1);
			set_key(L, p, K_ATTRS);
		} else if (type != LUA_TTABLE) {
			return luaL_error(L, WHO ": persons[%I].attrs must be a table", (lua_Integer)i);
		}
		int a = lua_gettop(L);
		if (nt > 0) {
			int64_t start = int_field(L, p, K_START, "persons", (lua_Integer)i);
			int64_t stop = int_field(L, p, K_STOP, "persons", (lua_Integer)i);
			uint32_t n = chain_of(&d, a, start, stop, last_start);
			if (n > 0)
				set_titles(&d, a, n);
		}
		tml_get_key(L, p, K_VALUE);
		lua_pushvalue(L, -1);
		if (lua_rawget(L, first) == LUA_TNIL) {
			lua_pop(L, 1);
			lua_pushvalue(L, p);
			lua_rawset(L, first); /* a nil value raises "index is nil", as in Lua */
		} else {
			tml_get_key(L, -1, K_ATTRS);
			inherit(L, a, lua_gettop(L));
			lua_pop(L, 3);
		}
		lua_settop(L, first);
	}
	return 0;
}

static int l_title_chains(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	tml_push_keys(L, KEYS, NKEYS);
	tml_spec_field(L, WHO, "rank_kind", LUA_TSTRING, false);
	lua_pushcclosure(L, l_describe, NKEYS + 1);
	return 1;
}

void tml_describe_register(lua_State *L)
{
	lua_pushcfunction(L, l_title_chains);
	lua_setfield(L, -2, "title_chains");
}
