/* lua_engine.c -- textmill.engine: a rule pack compiled into one C matcher.
 *
 * scripts/lib/rules.lua compiles a pack's rules (regexes, gazetteers,
 * context conditions, shapes) into Lua objects and hands them here once;
 * per document the engine then
 *   1. scans the text once: the lexicon's matches and each token regex's,
 *      each retyped by the first `retype` regex its text matches (a NUMBER
 *      becomes NUM_DMY ...), kept as a C array in text order;
 *   2. meets each scanned match with the rules that start from its type,
 *      runs their shape tests, anchored regexes and context conditions in
 *      C on the document's own buffer, and calls Lua only for a rule's
 *      value() (or a shape function), with a reusable view of the match
 *      rather than a fresh table;
 *   3. settles overlaps in C (per layer: higher priority, then longer,
 *      then earlier, then the rule listed first) and hands back the kept
 *      candidates as Lua tables: a few dozen per article, not thousands.
 *
 *   local e = textmill.engine { rules = {...}, lexicon = g, tokens = {...}, retype = {...} }
 *   e:begin(text)                       scan a document (and make it current)
 *   e:find(doc, cx [, all])             candidates, resolved unless all; a list of tables
 *   e:find_by_type(doc, cx)             the resolved ones as a table: type -> its list
 *   e:scanned([kinds])                  the scanned matches (of kinds) as tables
 *   e:each_scanned([kinds])             an iterator over them: start, stop, value, attrs, cased, type
 *   e:starting(pos, kinds), e:ending(pos, kinds)   the longest match there
 *   e:just_before(pos, kinds), e:just_after(stop, kinds)  ... with spaces between
 *   e:starting_stop, e:ending_start, e:just_before_start (pos, kinds [, key])
 *                                       the other end (and an attr), no table
 *   e:covering(start, stop, kinds [, reach])  a longer match holding start..stop
 *   e:covering_span(start, stop, kinds [, reach])  its start and stop, no table
 *   e:first_start(from, to, kinds)      where the first match of kinds starts
 *   e:counts()                          what each rule did since the engine was made
 *
 * kinds is a set of type names ({ TITLE = true, ORG = true }); the engine
 * remembers each set it is given (by identity), so pass the same table
 * again rather than a fresh one. Positions are Lua's: 1-based, stop
 * inclusive. The rule fields are those of rules.lua, compiled: see
 * compile_rule. */
#include <lauxlib.h>
#include <lua.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "byte_shape.h"
#include "byte_words.h"
#include "sort_keys.h"
#include "textops.h"
#include "tml.h"
#include "tml_engine.h"
#include "tml_match.h"

#define ENGINE_MT "textmill.engine"
#define VIEW_MT "textmill.match"
#define MAX_KINDS 64 /* scanned types, one bit each in a kinds mask */
#define CONTEXT 80   /* bytes a context condition looks at */

/* Slots of the engine's Lua table (its user value). */
enum {
	R_RULES = 1, /* the compiled rule tables, in order */
	R_LEX,       /* the lexicon gazetteer (or false) */
	R_TYPENAME,  /* type id -> name */
	R_TYPEID,    /* name -> type id */
	R_TEXT,      /* the current document's text */
	R_KINDS,     /* kinds set -> mask (weak keys) */
	R_VIEW,      /* the reusable views: of a match, and of its trigger */
	R_TRIGGER,
	R_KEEP,    /* the token and retype regexes */
	R_VALUE,   /* rule index -> its value function, or false */
	R_FIELDS,  /* the view's field names, kept so that their pointers stay valid */
	R_KRECENT, /* the kinds sets in kind_recent, kept alive while there */
	R_EATTRS,  /* rule index -> { entry -> its attrs, made by the rule's entry_attrs } */
	R_NAMES,   /* rule index -> its name, as it was when the engine was made */
	R_ATTRS,   /* rule index -> its attrs table (or false), the same */
	R_SIZE = R_ATTRS
};
#define STORE_HINT_MAX 4096 /* candidates a find's store is first made for, at most */

/* The fields of a view, by the address of their interned name: Lua keeps
 * one copy of each short string, so a key is one of these exactly when its
 * pointer is (no strcmp per field read). */
enum {
	F_START,
	F_STOP,
	F_TEXT,
	F_NAME,
	F_TYPE,
	F_KEY,
	F_VALUE,
	F_ATTRS,
	F_CASED,
	F_TRIGGER,
	F_STARTS,
	F_STOPS,
	NFIELDS
};
static const char *const field_names[NFIELDS] = {"start", "stop",  "text",  "name",    "type",   "key",
						 "value", "attrs", "cased", "trigger", "starts", "stops"};
#define KIND_RECENT 16 /* kinds sets remembered by address, before the weak table */

/* The keys of the tables the engine hands out (a scanned match's, a
 * candidate's), interned once: the engine's methods (and find_run) carry
 * them as upvalues, and set fields with lua_rawset, where lua_setfield
 * would intern its C string again for every field of every table. */
enum {
	K_START,
	K_STOP,
	K_TYPE,
	K_TEXT,
	K_NAME,
	K_CASED,
	K_KEY,
	K_VALUE,
	K_ATTRS,
	K_RULE,
	K_LAYER,
	K_PRIORITY,
	K_ORDER,
	K_ENGINE,
	NKEYS
};
static const char *const key_names[NKEYS] = {"start", "stop",  "type", "text",  "name",     "cased", "key",
					     "value", "attrs", "rule", "layer", "priority", "order", "engine"};

/* The engine's user values: R, then the lexicon's entry tables (keys,
 * types, values, attrs: TML_GAZ_* + 1), read for every match a rule sees. */
enum { UV_R = 1, UV_ENGINE = 1 + TML_GAZ_ATTRS };

enum { RULE_ON, RULE_REGEX, RULE_GAZ };
enum { SHAPE_NONE, SHAPE_REGEX, SHAPE_BYTES, SHAPE_FUNCTION, SHAPE_CAPITAL_AFTER, SHAPE_UPPER_AT_START };
enum { COND_BEFORE, COND_NOT_BEFORE, COND_AFTER, COND_NOT_AFTER, NCOND };

/* What a rule's `args` hands value() after (m, doc, cx): a field of the
 * match (F_START ...), of its trigger, or a capture's text (F_CAPTURE). */
#define MAX_ARGS 8
enum { F_CAPTURE = NFIELDS };
typedef struct {
	uint8_t field;
	bool trigger;
	uint16_t group; /* F_CAPTURE: its number */
} value_arg;

typedef struct {
	int kind;
	int type;    /* entities' type id; -1: the match's own */
	uint64_t on; /* RULE_ON: the scanned types it starts from */
	int shape;   /* SHAPE_ */
	tml_regex *shape_re;
	byte_shape *shape_bytes; /* SHAPE_BYTES: shape_re read as byte sets, tested without PCRE2 */
	tml_regex *re;           /* RULE_ON: anchored after the match; RULE_REGEX: scanned for */
	tml_gazetteer *gaz;      /* RULE_GAZ */
	int group;               /* the capture that is the entity; 0: all of it */
	tml_regex *cond[NCOND];
	tml_regex *needs;   /* a regex the document must match somewhere for the rule to run; NULL: none */
	int8_t needs_found; /* needs, asked once per document: 0 not yet, 1 found, -1 not */
	uint32_t reach;     /* bytes a condition reads on its side (CONTEXT unless the rule says) */
	bool has_value, has_attrs;
	bool entry_fn;        /* entry_attrs: a function of a lexicon entry's attrs, called once per entry */
	bool cased;           /* a lexicon match must be capitalised as its entry's key */
	uint64_t follows;     /* a scanned match of these kinds must end right before, spaces between; 0: none */
	uint8_t *entry_ok;    /* `entry` filter: lexicon payload -> 1 if the entry passes; NULL: all */
	uint64_t defer;       /* a longer scanned match of these kinds starting with the trigger wins; 0: none */
	uint8_t *defer_entry; /* ... for these entries only (payload -> 1); NULL: every trigger */
	lua_Number priority;
	int layer, order;
	bool has_args; /* value() is handed args and returns its span (take_span) */
	int nargs;
	value_arg args[MAX_ARGS];
	/* Since the engine was made (e:counts): the matches the rule was tried
	 * at, those that passed its tests in C (and a shape function), those
	 * value() refused, and its candidates that a resolved find kept. */
	uint64_t seen, passed, refused, kept;
} rule;

/* A scanned match: [start, end) of the text, its type, and its lexicon
 * entry (payload; 0 for a token regex's match). */
typedef struct {
	uint32_t start, end;
	uint32_t entry;
	uint16_t type;
	uint32_t seq; /* scan order: ties stay put */
} hit;

typedef struct {
	uint32_t start, end;
	int rule, type;
	lua_Number priority;
	int layer, order;
	uint32_t pos; /* emission order, the last tie-break */
	bool shared;  /* attrs is a table the lexicon shares: copy it out */
} cand;

typedef struct {
	int from, to;
	tml_regex *re;
	byte_shape *bytes; /* re read as byte sets (byte_shape.c), tested without PCRE2; NULL: use re */
} retype;

typedef struct {
	tml_regex *re;
	int type;
	bool digit_first; /* a match can only start at an ASCII digit (next_digit) */
} token;

/* Whether PCRE2's start bitmap for code holds the ten ASCII digits and
 * nothing else: a match of it starts at a digit or nowhere (the bitmap is
 * what PCRE2 itself skips by, lookbehind stepped over). */
static bool starts_with_digit(const pcre2_code *code)
{
	const uint8_t *bitmap = NULL;
	if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) != 0 || !bitmap)
		return false;
	for (int c = 0; c < 256; c++)
		if (((bitmap[c / 8] >> (c % 8)) & 1) != (c >= '0' && c <= '9'))
			return false;
	return true;
}

/* What check_own finds first in an engine or a view, xor its address. */
#define TAG_ENGINE ((uintptr_t)0x656e67696e65ull) /* "engine" */
#define TAG_VIEW ((uintptr_t)0x76696577ull)       /* "view" */

#define SIZE_HINTS 256

typedef struct engine {
	uintptr_t tag; /* first: see check_own */
	rule *rules;
	int nrules;
	int ntypes;
	tml_gazetteer *lex;
	uint16_t *entry_type; /* lexicon payload -> type id; 0xFFFF: none */
	uint8_t *entry_lower; /* lexicon payload -> words of its key that start in lower case */
	size_t nentries;
	token *tokens;
	int ntokens;
	retype *retypes;
	int nretypes;
	int *on_list, on_at[MAX_KINDS + 1]; /* rules by scanned type: on_list[on_at[t] .. on_at[t+1]) */
	/* the current document */
	const char *text;
	size_t len;
	uint32_t opts; /* PCRE2_NO_UTF_CHECK: the text was checked once */
	hit *hits;
	size_t nhits, hitcap;
	uint64_t *by_end; /* end << 32 | index of each hit, sorted; and room to sort */
	size_t by_endcap;
	uint32_t *order; /* scratch of the sort of hits */
	size_t ordercap;
	cand *cands;
	size_t ncands, candcap;
	size_t store_hint;         /* the last document's candidates: the store's first size */
	gazetteer_match *gaz_hits; /* a gazetteer rule's matches, while value() runs */
	size_t gaz_cap;
	PCRE2_SIZE *ov; /* the captures of the match value() sees */
	size_t ovcap;
	bool busy;                        /* inside find: begin must wait */
	lua_Integer begun;                /* documents begun: an each_scanned iterator is of one */
	bool ahead;                       /* the last begin's lexicon matches were found ahead */
	const void *size_key[SIZE_HINTS]; /* shared attrs tables by address, and their sizes */
	int size_hint[SIZE_HINTS];
	const char *field[NFIELDS];
	const void *kind_recent[KIND_RECENT]; /* kinds sets by address, and their masks */
	uint64_t kind_recent_mask[KIND_RECENT];
	tml_state *ts;
	size_t counted;
} engine;

/* What value() and shape() see: a match, valid during the call only. */
enum { VIEW_HIT, VIEW_REGEX };
typedef struct {
	uintptr_t tag; /* first: see check_own */
	engine *e;
	bool live;
	int mode;
	uint32_t start, end;   /* movable by value() */
	uint32_t tstart, tend; /* its text */
	hit h;                 /* VIEW_HIT: the match; VIEW_REGEX: the trigger, if any (has_trigger) */
	bool has_trigger;
	int gaz_rule;  /* the hit is a RULE_GAZ rule's entry (its index), not the lexicon's: -1 */
	tml_regex *re; /* VIEW_REGEX: whose captures */
	uint32_t groups;
} view;

/* ---- memory ---- */

static void *grow(lua_State *L, engine *e, void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	if (n > ((size_t)-1) / size / 2)
		luaL_error(L, "textmill.engine: too many matches");
	if (tml_take(e->ts, (n - *cap) * size))
		luaL_error(L, "textmill.engine: not enough memory (the engine counts against the script's "
			      "memory budget)");
	void *q = realloc(p, n * size);
	if (!q) {
		tml_give(e->ts, (n - *cap) * size);
		luaL_error(L, "textmill.engine: out of memory");
	}
	e->counted += (n - *cap) * size;
	*cap = n;
	return q;
}

/* The userdata at i, if it is an engine's or a view's (tname; tag its
 * TAG_): as luaL_checkudata, with two calls to Lua instead of five (the
 * metatable's, compared), as every field a value() reads goes through
 * here. An engine and a view start with their own address xor their
 * type's tag, written when made: no other userdata of their size holds
 * that (Lua code cannot write a userdata's bytes). */
static void *check_own(lua_State *L, int i, const char *tname, uintptr_t tag, size_t size)
{
	void *p = lua_touserdata(L, i);
	if (p && lua_rawlen(L, i) == size && *(const uintptr_t *)p == ((uintptr_t)p ^ tag))
		return p;
	luaL_typeerror(L, i, tname);
	return NULL;
}

/* e, unless the collector has freed its rules (a method kept past it). */
static inline engine *live(lua_State *L, engine *e)
{
	if (!e->rules && e->nrules)
		luaL_error(L, "textmill.engine: used after being collected");
	return e;
}

static engine *check_engine(lua_State *L, int i)
{
	return live(L, check_own(L, i, ENGINE_MT, TAG_ENGINE, sizeof(engine)));
}

/* The engine of a lookup method: self is the engine, or a table whose
 * field `engine` is (a rule pack's per-document context, so that
 * cx:starting(...) reaches C with no Lua function between); the engine
 * then takes self's place at index 1, where the lookups read it. */
static engine *check_lookup(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TTABLE) {
		engine *bound = lua_touserdata(L, lua_upvalueindex(NKEYS + 1)); /* e:lookups()'s */
		if (bound) {
			lua_copy(L, lua_upvalueindex(NKEYS + 1), 1);
			return live(L, bound);
		}
		tml_get_key(L, 1, K_ENGINE);
		lua_replace(L, 1);
	}
	return check_engine(L, 1);
}

static int engine_gc(lua_State *L)
{
	engine *e = tml_checkudata(L, 1, ENGINE_MT);
	for (int i = 0; e->rules && i < e->nrules; i++) {
		free(e->rules[i].entry_ok);
		free(e->rules[i].defer_entry);
		free(e->rules[i].shape_bytes);
	}
	free(e->rules);
	free(e->entry_type);
	free(e->entry_lower);
	free(e->tokens);
	for (int i = 0; e->retypes && i < e->nretypes; i++)
		free(e->retypes[i].bytes);
	free(e->retypes);
	free(e->on_list);
	free(e->hits);
	free(e->by_end);
	free(e->order);
	free(e->cands);
	free(e->ov);
	free(e->gaz_hits);
	tml_give(e->ts, e->counted);
	uintptr_t tag = e->tag;
	memset(e, 0, sizeof *e);
	e->tag = tag; /* still an engine, an empty one */
	return 0;
}

/* Push R[slot] (R: the engine's table; the engine at index ei). */
static void push_r(lua_State *L, int ei, int slot)
{
	lua_getiuservalue(L, ei, UV_R);
	lua_rawgeti(L, -1, slot);
	lua_replace(L, -2); /* as lua_remove(L, -2), with a copy where that rotates the stack */
}

/* ---- types and kinds ---- */

/* The id of type name at idx, made if new (typeid, typename: stack slots). */
static int type_id(lua_State *L, engine *e, int idx, int typeid_t, int typename_t)
{
	idx = lua_absindex(L, idx);
	lua_pushvalue(L, idx);
	if (lua_rawget(L, typeid_t) == LUA_TNUMBER) {
		int id = (int)lua_tointeger(L, -1);
		lua_pop(L, 1);
		return id;
	}
	lua_pop(L, 1);
	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_error(L, "textmill.engine: a type must be a string, not %s", luaL_typename(L, idx));
	int id = e->ntypes++;
	lua_pushvalue(L, idx);
	lua_pushinteger(L, id);
	lua_rawset(L, typeid_t);
	lua_pushvalue(L, idx);
	lua_rawseti(L, typename_t, id + 1);
	return id;
}

static int scanned_type(lua_State *L, engine *e, int idx, int typeid_t, int typename_t)
{
	int id = type_id(L, e, idx, typeid_t, typename_t);
	if (id >= MAX_KINDS)
		luaL_error(L, "textmill.engine: more than %d kinds of scanned match (type %s)", MAX_KINDS,
			   lua_tostring(L, idx));
	return id;
}

/* The mask of the kinds set (a table) at idx, remembered by identity in
 * the weak table R_KINDS. */
static uint64_t kinds_mask_of(lua_State *L, int ei, int idx)
{
	push_r(L, ei, R_KINDS);
	lua_pushvalue(L, idx);
	if (lua_rawget(L, -2) == LUA_TNUMBER) {
		uint64_t m = (uint64_t)lua_tointeger(L, -1);
		lua_pop(L, 2);
		return m;
	}
	lua_pop(L, 1);
	push_r(L, ei, R_TYPEID);
	uint64_t m = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING) {
			lua_pushvalue(L, -1);
			if (lua_rawget(L, -3) == LUA_TNUMBER) {
				lua_Integer id = lua_tointeger(L, -1);
				if (id < MAX_KINDS)
					m |= (uint64_t)1 << id;
			}
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
	lua_pushvalue(L, idx);
	lua_pushinteger(L, (lua_Integer)m);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	return m;
}

/* The mask of the kinds set at idx (nil: all kinds). Rules and steps ask
 * with the same few sets thousands of times per document: the last ones
 * are found by address first (each kept alive in R_KRECENT while it is
 * there, so its address cannot pass to another table), then in the weak
 * table by identity. */
static uint64_t kinds_mask(lua_State *L, engine *e, int ei, int idx)
{
	if (lua_isnoneornil(L, idx))
		return ~(uint64_t)0;
	luaL_checktype(L, idx, LUA_TTABLE);
	const void *p = lua_topointer(L, idx);
	size_t slot = ((uintptr_t)p >> 4) % KIND_RECENT;
	if (e->kind_recent[slot] == p)
		return e->kind_recent_mask[slot];
	uint64_t m = kinds_mask_of(L, ei, idx);
	push_r(L, ei, R_KRECENT);
	lua_pushvalue(L, idx);
	lua_rawseti(L, -2, (lua_Integer)slot + 1);
	lua_pop(L, 1);
	e->kind_recent[slot] = p;
	e->kind_recent_mask[slot] = m;
	return m;
}

/* ---- capitals ---- */

/* How many words of s[0..len) start with a lower-case letter (a word
 * starts at the start or after a space or a hyphen): "Hòa Bình" 0, "hòa
 * bình" 2. A dictionary match whose text has more such words than its
 * entry's key is not the name ("hòa bình" is peace, "Hòa Bình" a
 * province). */
static size_t lower_words(const char *s, size_t len)
{
	size_t n = 0;
	bool at_start = true;
	for (size_t i = 0; i < len;) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) { /* ASCII: no decoding, no look-up */
			if (at_start && b >= 'a' && b <= 'z')
				n++;
			at_start = b == ' ' || b == '-' || b == '\t' || b == '\n' || b == '\r';
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i),
						      &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		if (at_start && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL)
			n++;
		at_start = cp == ' ' || cp == '-' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0;
		i += (size_t)k;
	}
	return n;
}

/* Is the lexicon match h capitalised like its entry's key? */
static bool cased_like_key(const engine *e, const hit *h)
{
	return !h->entry || lower_words(e->text + h->start, h->end - h->start) <= e->entry_lower[h->entry];
}

/* ---- compiling ---- */

static tml_regex *opt_regex(lua_State *L, int t, const char *field)
{
	tml_regex *re = NULL;
	if (lua_getfield(L, t, field) != LUA_TNIL)
		re = tml_regex_check(L, -1); /* anchored by the rule table */
	lua_pop(L, 1);
	return re;
}

/* Does the list at idx hold a value equal to the one at v (false: v is nil)? */
static bool in_list(lua_State *L, int idx, int v)
{
	for (lua_Integer i = 1; lua_rawgeti(L, idx, i) != LUA_TNIL; i++) {
		bool eq = lua_isboolean(L, -1) && !lua_toboolean(L, -1) ? lua_isnil(L, v)
									: lua_compare(L, -1, v, LUA_OPEQ);
		lua_pop(L, 1);
		if (eq)
			return true;
	}
	lua_pop(L, 1);
	return false;
}

/* The `entry` filter at idx, { key = true | false | value | {values}, ... }:
 * which lexicon entries' attrs the rule takes (true: the key is there,
 * false: it is not, a value: it equals that, a list: it is one of them,
 * false in the list standing for absent). Decided here, once per entry
 * the rule can meet: one of a type it starts from (the others stay 0). */
static void compile_entry_filter(lua_State *L, engine *e, const rule *r, int idx, int index, const char *what,
				 uint8_t **out)
{
	if (!lua_istable(L, idx) || r->kind != RULE_ON || !e->lex)
		luaL_error(L, "textmill.engine: rule %d: %s must be a table, on a rule with `on` and a lexicon",
			   index, what);
	uint8_t *entry_ok = *out = malloc(e->nentries + 1); /* set at once: the engine's __gc frees it */
	if (!entry_ok)
		luaL_error(L, "textmill.engine: out of memory");
	entry_ok[0] = 0;                            /* a token's match has no entry */
	lua_getiuservalue(L, 2, 1 + TML_GAZ_ATTRS); /* the engine is at 2 while it is built */
	int attrs = lua_gettop(L);
	for (size_t p = 1; p <= e->nentries; p++) {
		if (e->entry_type[p] == 0xFFFF || !(r->on >> e->entry_type[p] & 1)) {
			entry_ok[p] = 0;
			continue;
		}
		bool ok = true;
		lua_rawgeti(L, attrs, (lua_Integer)p);
		int a = lua_gettop(L);
		lua_pushnil(L);
		while (ok && lua_next(L, idx)) {
			if (lua_istable(L, a)) {
				lua_pushvalue(L, -2);
				lua_gettable(L, a);
			} else {
				lua_pushnil(L);
			}
			if (lua_isboolean(L, -2))
				ok = lua_toboolean(L, -2) ? !lua_isnil(L, -1) : lua_isnil(L, -1);
			else if (lua_istable(L, -2))
				ok = in_list(L, lua_gettop(L) - 1, lua_gettop(L));
			else
				ok = lua_compare(L, -1, -2, LUA_OPEQ);
			lua_pop(L, 2);
		}
		if (!ok)
			lua_pop(L, 1); /* the key lua_next left */
		lua_pop(L, 1);
		entry_ok[p] = ok;
	}
	lua_pop(L, 1);
}

/* The mask of a set of scanned types ({ LEVEL = true }): `follows`, or
 * `defer`'s kinds. A type nothing scans is an error (a misspelt type would
 * leave the field without effect, silently). */
static uint64_t scanned_mask(lua_State *L, int idx, int index, int typeid_t, const char *what)
{
	uint64_t m = 0;
	if (!lua_istable(L, idx))
		luaL_error(L, "textmill.engine: rule %d: %s must be a set of scanned types ({ LEVEL = true })", index,
			   what);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		if (lua_type(L, -1) != LUA_TSTRING || lua_rawget(L, typeid_t) != LUA_TNUMBER ||
		    lua_tointeger(L, -1) >= MAX_KINDS)
			luaL_error(L, "textmill.engine: rule %d: %s: %s is not a type the pack scans", index, what,
				   luaL_tolstring(L, -2, NULL));
		m |= (uint64_t)1 << lua_tointeger(L, -1);
		lua_pop(L, 1);
	}
	return m;
}

/* `defer` at idx: a set of scanned types, or { kinds = set, entry =
 * filter } (the filter as `entry`'s: which triggers defer). An `on` rule
 * only: what defers is the scanned match the rule starts from. */
static void compile_defer(lua_State *L, engine *e, rule *r, int idx, int index, int typeid_t)
{
	if (!lua_istable(L, idx) || r->kind != RULE_ON)
		luaL_error(L,
			   "textmill.engine: rule %d: defer must be a set of scanned types, or { kinds = set, "
			   "entry = filter }, on a rule with `on`",
			   index);
	if (lua_getfield(L, idx, "kinds") == LUA_TNIL) {
		r->defer = scanned_mask(L, idx, index, typeid_t, "defer");
	} else {
		r->defer = scanned_mask(L, lua_gettop(L), index, typeid_t, "defer.kinds");
		if (lua_getfield(L, idx, "entry") != LUA_TNIL)
			compile_entry_filter(L, e, r, lua_gettop(L), index, "defer.entry", &r->defer_entry);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* The rule table at t (rules.lua's compiled form): kind from its fields
 * `on` (list of types), `regex` or `gazetteer`; `anchored`, `group`,
 * `shape` (a regex, a function, or "capital_after" / "upper_at_start"),
 * the four conditions, `priority`, `layer` (any value), `order`, `type`,
 * `value`, `attrs`. */
/* A shape regex that is a row of ASCII byte sets (what rules.lua makes of
 * "^%d%d?$") is tested by byte_shape.c, not by a call of PCRE2 per match. */
static byte_shape *byte_shape_of(lua_State *L, const tml_regex *re)
{
	uint32_t opts = 0;
	pcre2_pattern_info(re->code, PCRE2_INFO_ALLOPTIONS, &opts);
	byte_shape sh;
	if (!byte_shape_compile(re->pattern, opts & (PCRE2_CASELESS | PCRE2_EXTENDED | PCRE2_EXTENDED_MORE), &sh))
		return NULL;
	byte_shape *bytes = malloc(sizeof sh);
	if (!bytes)
		luaL_error(L, "textmill.engine: out of memory");
	*bytes = sh;
	return bytes;
}

static void compile_byte_shape(lua_State *L, rule *r)
{
	if ((r->shape_bytes = byte_shape_of(L, r->shape_re)))
		r->shape = SHAPE_BYTES;
}

/* The field of a dictionary or token match called name (start, stop,
 * text, name, type, key, value, attrs, cased), or NFIELDS. */
static int hit_field_named(const char *name)
{
	for (int f = F_START; f <= F_CASED; f++)
		if (!strcmp(name, field_names[f]))
			return f;
	return NFIELDS;
}

/* One of `args`, at the top: a capture's number, or a name (see compile_args). */
static value_arg compile_arg(lua_State *L, const rule *r, int index)
{
	value_arg a = {0};
	if (lua_type(L, -1) == LUA_TNUMBER) {
		lua_Integer g = lua_tointeger(L, -1);
		if (!r->re || g < 1 || (uint64_t)g > r->re->groups)
			luaL_error(L, "textmill.engine: rule %d: args: no capture %d", index, (int)g);
		a.field = F_CAPTURE, a.group = (uint16_t)g;
		return a;
	}
	if (lua_type(L, -1) != LUA_TSTRING)
		luaL_error(L, "textmill.engine: rule %d: args: a field's name or a capture's number, not %s", index,
			   luaL_typename(L, -1));
	const char *name = lua_tostring(L, -1);
	bool regex_view = r->re != NULL;
	if (!strncmp(name, "trigger.", 8)) {
		if (r->kind != RULE_ON || !r->re)
			luaL_error(L,
				   "textmill.engine: rule %d: args: %s: only an `on` rule with a regex has a trigger",
				   index, name);
		a.trigger = true, name += 8, regex_view = false;
	}
	int f = hit_field_named(name);
	if (regex_view && f > F_TEXT) {
		int g = tml_regex_group(r->re, name);
		if (g < 0)
			luaL_error(L, "textmill.engine: rule %d: args: no capture named %s", index, name);
		a.field = F_CAPTURE, a.group = (uint16_t)g;
	} else if (f == NFIELDS) {
		luaL_error(L, "textmill.engine: rule %d: args: a match has no field %s", index, name);
	} else {
		a.field = (uint8_t)f;
	}
	return a;
}

/* `args = { "start", "trigger.text", "unit", 1 }`: what value() is handed
 * after (m, doc, cx), read in C, where each read of m's fields is a call
 * through the view's __index (about 600 instructions); such a value()
 * returns its span too (take_span). */
static void compile_args(lua_State *L, rule *r, int index)
{
	luaL_checktype(L, -1, LUA_TTABLE);
	if (!r->has_value)
		luaL_error(L, "textmill.engine: rule %d: args without value()", index);
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	if (n > MAX_ARGS)
		luaL_error(L, "textmill.engine: rule %d: args: at most %d", index, MAX_ARGS);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, -1, i);
		r->args[i - 1] = compile_arg(L, r, index);
		lua_pop(L, 1);
	}
	r->nargs = (int)n;
	r->has_args = true;
}

static void compile_rule(lua_State *L, engine *e, rule *r, int t, int index, int typeid_t, int typename_t,
			 int layers_t, int *nlayers)
{
	static const char *const conds[NCOND] = {"before", "not_before", "after", "not_after"};
	memset(r, 0, sizeof *r);
	r->type = -1;
	if (lua_getfield(L, t, "type") != LUA_TNIL)
		r->type = type_id(L, e, -1, typeid_t, typename_t);
	lua_pop(L, 1);
	if (lua_getfield(L, t, "on") == LUA_TTABLE) {
		r->kind = RULE_ON;
		for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
			r->on |= (uint64_t)1 << scanned_type(L, e, -1, typeid_t, typename_t);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		r->re = opt_regex(L, t, "anchored");
	} else if ((r->re = opt_regex(L, t, "regex"))) {
		r->kind = RULE_REGEX;
	} else if (lua_getfield(L, t, "gazetteer") != LUA_TNIL) {
		r->kind = RULE_GAZ;
		r->gaz = tml_gazetteer_check(L, -1);
		lua_pop(L, 1);
	} else {
		luaL_error(L, "textmill.engine: rule %d needs on, regex or gazetteer", index);
	}
	lua_pop(L, 1);
	for (int c = 0; c < NCOND; c++)
		r->cond[c] = opt_regex(L, t, conds[c]);
	r->needs = opt_regex(L, t, "needs");
	r->reach = CONTEXT;
	if (lua_getfield(L, t, "reach") != LUA_TNIL) {
		int ok;
		lua_Integer n = lua_tointegerx(L, -1, &ok);
		if (!ok || n < 1 || n > CONTEXT)
			luaL_error(L, "textmill.engine: rule %d: reach must be a number of bytes from 1 to %d", index,
				   CONTEXT);
		r->reach = (uint32_t)n;
	}
	lua_pop(L, 1);
	switch (lua_getfield(L, t, "shape")) {
	case LUA_TNIL: break;
	case LUA_TFUNCTION: r->shape = SHAPE_FUNCTION; break;
	case LUA_TSTRING:
		if (!strcmp(lua_tostring(L, -1), "capital_after"))
			r->shape = SHAPE_CAPITAL_AFTER;
		else if (!strcmp(lua_tostring(L, -1), "upper_at_start"))
			r->shape = SHAPE_UPPER_AT_START;
		else
			luaL_error(L, "textmill.engine: rule %d: unknown shape \"%s\"", index, lua_tostring(L, -1));
		break;
	default: r->shape = SHAPE_REGEX; r->shape_re = tml_regex_check(L, -1);
	}
	lua_pop(L, 1);
	if (r->shape == SHAPE_REGEX)
		compile_byte_shape(L, r);
	if (lua_getfield(L, t, "group") == LUA_TSTRING) {
		const tml_regex *re = r->re;
		r->group = re ? tml_regex_group(re, lua_tostring(L, -1)) : -1;
		if (r->group < 0)
			luaL_error(L, "textmill.engine: rule %d: no capture named %s", index, lua_tostring(L, -1));
	} else if (!lua_isnil(L, -1)) {
		r->group = (int)luaL_checkinteger(L, -1);
		if (r->group < 0 || (r->group > 0 && (!r->re || (uint32_t)r->group > r->re->groups)))
			luaL_error(L, "textmill.engine: rule %d: no capture %d", index, r->group);
	}
	lua_pop(L, 1);
	r->has_value = lua_getfield(L, t, "value") == LUA_TFUNCTION;
	lua_pop(L, 1);
	r->has_attrs = lua_getfield(L, t, "attrs") == LUA_TTABLE;
	lua_pop(L, 1);
	if (lua_getfield(L, t, "args") != LUA_TNIL)
		compile_args(L, r, index);
	lua_pop(L, 1);
	if (lua_getfield(L, t, "entry_attrs") != LUA_TNIL) {
		if (!lua_isfunction(L, -1) || r->kind != RULE_ON || r->re || r->has_value || !e->lex)
			luaL_error(L,
				   "textmill.engine: rule %d: entry_attrs must be a function, on a rule with `on`, "
				   "a lexicon, and no regex and no value()",
				   index);
		r->entry_fn = true;
	}
	lua_pop(L, 1);
	r->cased = lua_getfield(L, t, "cased") != LUA_TNIL && lua_toboolean(L, -1);
	lua_pop(L, 1);
	if (lua_getfield(L, t, "follows") != LUA_TNIL)
		r->follows = scanned_mask(L, lua_gettop(L), index, typeid_t, "follows");
	lua_pop(L, 1);
	if (lua_getfield(L, t, "entry") != LUA_TNIL)
		compile_entry_filter(L, e, r, lua_gettop(L), index, "entry", &r->entry_ok);
	lua_pop(L, 1);
	if (lua_getfield(L, t, "defer") != LUA_TNIL)
		compile_defer(L, e, r, lua_gettop(L), index, typeid_t);
	lua_pop(L, 1);
	lua_getfield(L, t, "priority");
	r->priority = lua_isnil(L, -1) ? 0 : luaL_checknumber(L, -1);
	lua_pop(L, 1);
	lua_getfield(L, t, "order");
	r->order = lua_isnil(L, -1) ? index : (int)luaL_checkinteger(L, -1);
	lua_pop(L, 1);
	if (lua_getfield(L, t, "layer") == LUA_TNIL) {
		lua_pop(L, 1);
		lua_pushinteger(L, 1);
	}
	lua_pushvalue(L, -1);
	if (lua_rawget(L, layers_t) == LUA_TNUMBER) {
		r->layer = (int)lua_tointeger(L, -1);
		lua_pop(L, 2);
	} else {
		lua_pop(L, 1);
		r->layer = ++*nlayers;
		lua_pushinteger(L, r->layer);
		lua_rawset(L, layers_t);
	}
}

static int engine_new(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	engine *e = lua_newuserdatauv(L, sizeof *e, UV_ENGINE); /* 2 */
	memset(e, 0, sizeof *e);
	e->tag = (uintptr_t)e ^ TAG_ENGINE;
	e->ts = tml_get_state(L);
	luaL_setmetatable(L, ENGINE_MT);
	lua_createtable(L, R_SIZE, 0); /* 3: R */
	lua_newtable(L);               /* 4: type names */
	lua_newtable(L);               /* 5: type ids */
	lua_newtable(L);               /* 6: layers */
	const int R = 3, names = 4, ids = 5, layers = 6;
	int nlayers = 0;

	/* the lexicon: every entry's type */
	if (lua_getfield(L, 1, "lexicon") != LUA_TNIL) {
		e->lex = tml_gazetteer_check(L, -1);
		if (e->ts && !e->ts->lexicon)
			e->ts->lexicon = e->lex; /* scanned ahead by the stage */
		e->nentries = gazetteer_size(e->lex->g);
		e->entry_type = malloc((e->nentries + 1) * sizeof *e->entry_type);
		e->entry_lower = malloc(e->nentries + 1);
		if (!e->entry_type || !e->entry_lower)
			return luaL_error(L, "textmill.engine: out of memory");
		lua_getiuservalue(L, -1, TML_GAZ_KEYS);
		for (size_t p = 1; p <= e->nentries; p++) {
			size_t klen;
			lua_rawgeti(L, -1, (lua_Integer)p);
			const char *key = lua_tolstring(L, -1, &klen);
			size_t n = key ? lower_words(key, klen) : 0;
			e->entry_lower[p] = (uint8_t)(n > 255 ? 255 : n);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		lua_getiuservalue(L, -1, TML_GAZ_TYPES);
		for (size_t p = 1; p <= e->nentries; p++) {
			if (lua_rawgeti(L, -1, (lua_Integer)p) == LUA_TSTRING)
				e->entry_type[p] = (uint16_t)scanned_type(L, e, -1, ids, names);
			else
				e->entry_type[p] = 0xFFFF;
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		for (int uv = TML_GAZ_KEYS; uv <= TML_GAZ_ATTRS; uv++) {
			lua_getiuservalue(L, -1, uv);
			lua_setiuservalue(L, 2, 1 + uv);
		}
		lua_rawseti(L, R, R_LEX);
	} else {
		lua_pop(L, 1);
		lua_pushboolean(L, 0);
		lua_rawseti(L, R, R_LEX);
	}
	/* tokens: { {type =, regex =}, ... } and retype: { {from =, regex =, to =}, ... } */
	lua_newtable(L); /* 7: keeps token and retype regexes */
	const int keep = 7;
	int nkeep = 0;
	if (lua_getfield(L, 1, "tokens") == LUA_TTABLE) {
		lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
		e->tokens = calloc((size_t)n + 1, sizeof *e->tokens);
		if (!e->tokens)
			return luaL_error(L, "textmill.engine: out of memory");
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, -1, i);
			lua_getfield(L, -1, "type");
			e->tokens[i - 1].type = scanned_type(L, e, -1, ids, names);
			lua_pop(L, 1);
			lua_getfield(L, -1, "regex");
			e->tokens[i - 1].re = tml_regex_check(L, -1);
			e->tokens[i - 1].digit_first = starts_with_digit(e->tokens[i - 1].re->code);
			lua_rawseti(L, keep, ++nkeep);
			lua_pop(L, 1);
		}
		e->ntokens = (int)n;
	}
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "retype") == LUA_TTABLE) {
		lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
		e->retypes = calloc((size_t)n + 1, sizeof *e->retypes);
		if (!e->retypes)
			return luaL_error(L, "textmill.engine: out of memory");
		e->nretypes = (int)n; /* the __gc frees each one's byte shape, made or not yet */
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, -1, i);
			lua_getfield(L, -1, "from");
			e->retypes[i - 1].from = scanned_type(L, e, -1, ids, names);
			lua_getfield(L, -2, "to");
			e->retypes[i - 1].to = scanned_type(L, e, -1, ids, names);
			lua_pop(L, 2);
			lua_getfield(L, -1, "regex");
			e->retypes[i - 1].re = tml_regex_check(L, -1);
			e->retypes[i - 1].bytes = byte_shape_of(L, e->retypes[i - 1].re);
			lua_rawseti(L, keep, ++nkeep);
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);

	/* the rules, and for each scanned type the rules starting from it */
	lua_getfield(L, 1, "rules");
	luaL_checktype(L, -1, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
	if (n > 100000)
		return luaL_error(L, "textmill.engine: too many rules");
	e->rules = calloc((size_t)n + 1, sizeof *e->rules);
	if (!e->rules)
		return luaL_error(L, "textmill.engine: out of memory");
	e->nrules = (int)n;
	lua_createtable(L, (int)n, 0); /* R_ATTRS */
	lua_createtable(L, (int)n, 0); /* R_NAMES */
	lua_createtable(L, (int)n, 0); /* R_VALUE */
	for (lua_Integer i = 1; i <= n; i++) {
		if (lua_rawgeti(L, -4, i) != LUA_TTABLE)
			return luaL_error(L, "textmill.engine: rule %d is not a table", (int)i);
		compile_rule(L, e, &e->rules[i - 1], lua_gettop(L), (int)i, ids, names, layers, &nlayers);
		if (lua_getfield(L, -1, "value") != LUA_TFUNCTION) {
			lua_pop(L, 1);
			lua_pushboolean(L, 0);
		}
		lua_rawseti(L, -3, i);
		lua_getfield(L, -1, "name"); /* each candidate's rule: one look-up where it took two */
		lua_rawseti(L, -4, i);
		if (lua_getfield(L, -1, "attrs") != LUA_TTABLE) { /* as has_attrs read it */
			lua_pop(L, 1);
			lua_pushboolean(L, 0);
		}
		lua_rawseti(L, -5, i);
		lua_pop(L, 1);
	}
	lua_rawseti(L, R, R_VALUE);
	lua_rawseti(L, R, R_NAMES);
	lua_rawseti(L, R, R_ATTRS);
	lua_rawseti(L, R, R_RULES);
	lua_pushvalue(L, keep);
	lua_rawseti(L, R, R_KEEP);
	size_t total = 0;
	for (int t = 0; t < MAX_KINDS; t++)
		for (int i = 0; i < e->nrules; i++)
			total += e->rules[i].kind == RULE_ON && (e->rules[i].on >> t & 1);
	e->on_list = malloc((total + 1) * sizeof *e->on_list);
	if (!e->on_list)
		return luaL_error(L, "textmill.engine: out of memory");
	size_t k = 0;
	for (int t = 0; t < MAX_KINDS; t++) {
		e->on_at[t] = (int)k;
		for (int i = 0; i < e->nrules; i++)
			if (e->rules[i].kind == RULE_ON && (e->rules[i].on >> t & 1))
				e->on_list[k++] = i;
	}
	e->on_at[MAX_KINDS] = (int)k;

	lua_pushvalue(L, names);
	lua_rawseti(L, R, R_TYPENAME);
	lua_pushvalue(L, ids);
	lua_rawseti(L, R, R_TYPEID);
	lua_newtable(L); /* kinds cache, weak keys */
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_rawseti(L, R, R_KINDS);
	lua_createtable(L, KIND_RECENT, 0);
	lua_rawseti(L, R, R_KRECENT);
	lua_newtable(L);
	lua_rawseti(L, R, R_EATTRS);
	lua_createtable(L, NFIELDS, 0);
	for (int f = 0; f < NFIELDS; f++) {
		e->field[f] = lua_pushstring(L, field_names[f]);
		lua_rawseti(L, -2, f + 1);
	}
	lua_rawseti(L, R, R_FIELDS);
	for (int slot = R_VIEW; slot <= R_TRIGGER; slot++) {
		view *v = lua_newuserdatauv(L, sizeof *v, 1);
		memset(v, 0, sizeof *v);
		v->tag = (uintptr_t)v ^ TAG_VIEW;
		v->e = e;
		luaL_setmetatable(L, VIEW_MT);
		lua_pushvalue(L, 2); /* a view keeps its engine alive */
		lua_setiuservalue(L, -2, 1);
		lua_rawseti(L, R, slot);
	}
	lua_settop(L, 3);
	lua_setiuservalue(L, 2, UV_R);
	return 1;
}

/* ---- scanning ---- */

static void add_hit(lua_State *L, engine *e, size_t start, size_t end, uint32_t entry, int type)
{
	e->hits = grow(L, e, e->hits, &e->hitcap, e->nhits + 1, sizeof *e->hits);
	hit *h = &e->hits[e->nhits];
	h->start = (uint32_t)start, h->end = (uint32_t)end, h->entry = entry, h->type = (uint16_t)type;
	h->seq = (uint32_t)e->nhits++;
}

/* A scanned match's type by its shape: the first retype regex of its type
 * that matches all of its text. */
static int retyped(lua_State *L, engine *e, size_t start, size_t end, int type)
{
	for (int i = 0; i < e->nretypes; i++) {
		const retype *r = &e->retypes[i];
		if (r->from != type)
			continue;
		if (r->bytes ? byte_shape_match(r->bytes, e->text + start, end - start)
			     : tml_regex_exec(L, r->re, e->text, end, start, e->opts))
			return r->to; /* the regex is anchored at both ends (rules.lua) */
	}
	return type;
}

/* The first ASCII digit of s[off..len), or len: eight bytes at a time,
 * where PCRE2's own skip by its start bitmap looks at one (five
 * instructions a byte: most of the NUMBER scan). */
static size_t next_digit(const char *s, size_t len, size_t off)
{
	for (; off + 8 <= len; off += 8) {
		uint64_t d = word_bytes_between(word_at(s + off), '0', '9');
		if (d)
			return off + word_first(d);
	}
	while (off < len && !(s[off] >= '0' && s[off] <= '9'))
		off++;
	return off;
}

static void scan(lua_State *L, engine *e)
{
	e->nhits = 0;
	e->ahead = false;
	if (e->lex) {
		/* the stage's documents were searched ahead (lua_stage.c, prepare) */
		const tml_ahead *a = tml_gazetteer_ahead(e->lex, e->text, e->len);
		e->ahead = a != NULL;
		if (!a)
			tml_gazetteer_search(L, e->lex, "textmill.engine: lexicon", e->text, e->len, 0);
		const gazetteer_match *found = a ? a->m : e->lex->sc.m;
		size_t n = a ? a->n : e->lex->sc.n;
		for (size_t i = 0; i < n; i++) {
			const gazetteer_match *m = &found[i];
			uint32_t p = (uint32_t)m->payload;
			uint16_t t = p <= e->nentries ? e->entry_type[p] : 0xFFFF;
			if (t != 0xFFFF)
				add_hit(L, e, m->start, m->end, p, t);
		}
	}
	for (int k = 0; k < e->ntokens; k++) {
		tml_regex *re = e->tokens[k].re;
		size_t off = 0;
		while (off <= e->len) {
			if (e->tokens[k].digit_first && (off = next_digit(e->text, e->len, off)) == e->len)
				break;
			if (!tml_regex_exec(L, re, e->text, e->len, off, e->opts))
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
			size_t s = ov[0], t = ov[1];
			if (t > s)
				add_hit(L, e, s, t, 0, retyped(L, e, s, t, e->tokens[k].type));
			off = t > s ? t : s + 1;
			while (off < e->len && ((unsigned char)e->text[off] & 0xC0) == 0x80)
				off++;
		}
	}
	/* text order: by start, the longer first, then in scan order (the
	 * sort is stable): start and the end's complement in one number */
	size_t n = e->nhits;
	e->by_end = grow(L, e, e->by_end, &e->by_endcap, 2 * n + 1, sizeof *e->by_end);
	e->order = grow(L, e, e->order, &e->ordercap, 2 * n + 1, sizeof *e->order);
	uint64_t *key = e->by_end, *tkey = e->by_end + n;
	if (n > 1) {
		e->hits = grow(L, e, e->hits, &e->hitcap, 2 * n, sizeof *e->hits);
		for (size_t i = 0; i < n; i++) {
			key[i] = (uint64_t)e->hits[i].start << 32 | (UINT32_MAX - e->hits[i].end);
			e->order[i] = (uint32_t)i;
		}
		tml_sort_u64(key, e->order, tkey, e->order + n, n);
		hit *sorted = e->hits + n;
		for (size_t i = 0; i < n; i++)
			sorted[i] = e->hits[e->order[i]];
		memcpy(e->hits, sorted, n * sizeof *e->hits);
	}
	/* by end: (end, index in text order) in one number */
	for (size_t i = 0; i < n; i++)
		key[i] = (uint64_t)e->hits[i].end << 32 | i;
	tml_sort_u64(key, NULL, tkey, NULL, n);
}

/* e:begin(text): scan a document and make it the current one. */
static int engine_begin(lua_State *L)
{
	engine *e = check_engine(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	if (e->busy)
		return luaL_error(L, "textmill.engine: begin called inside find");
	if (len > UINT32_MAX - 1)
		return luaL_error(L, "textmill.engine: text too long (4 GB at most)");
	if (!tml_checked_text(e->ts, s, len)) {
		size_t off;
		if (textops_utf8_validate(s, len, &off))
			return luaL_error(L, "textmill.engine: invalid UTF-8 at byte %I", (lua_Integer)off + 1);
	}
	e->text = s, e->len = len, e->opts = PCRE2_NO_UTF_CHECK;
	e->begun++;
	for (int ri = 0; ri < e->nrules; ri++) /* a rule's needs is the text's: asked again of this one */
		e->rules[ri].needs_found = 0;
	lua_getiuservalue(L, 1, UV_R);
	lua_pushvalue(L, 2);
	lua_rawseti(L, -2, R_TEXT);
	lua_pop(L, 1);
	scan(L, e);
	lua_settop(L, 1);
	return 1;
}

static void need_document(lua_State *L, const engine *e)
{
	if (!e->text)
		luaL_error(L, "textmill.engine: no document: call begin(text) first");
}

tml_engine *tml_engine_of(lua_State *L, int idx, int *ei)
{
	if (lua_type(L, idx) == LUA_TTABLE)
		lua_getfield(L, idx, "engine");
	else
		lua_pushvalue(L, idx);
	*ei = lua_gettop(L);
	engine *e = check_engine(L, *ei);
	need_document(L, e);
	return e;
}

/* ---- the tests a rule makes ---- */

static bool upper_at(const engine *e, size_t i)
{
	if (i >= e->len)
		return false;
	unsigned char b = (unsigned char)e->text[i];
	if (b < 0x80)
		return b >= 'A' && b <= 'Z';
	utf8proc_int32_t cp;
	if (utf8proc_iterate((const utf8proc_uint8_t *)e->text + i, (utf8proc_ssize_t)(e->len - i), &cp) <= 0)
		return false;
	return utf8proc_tolower(cp) != cp;
}

static const hit *ending_at(const engine *e, size_t t, uint64_t m);
static const hit *starting_at(const engine *e, size_t s, uint64_t m);

/* Does the trigger h defer to a longer scanned match of the rule's
 * `defer` kinds starting where it does (a listed body, Ủy ban Kiểm tra
 * Trung ương, over a rule that starts from its first word)? */
static bool deferred(const engine *e, const rule *r, const hit *h)
{
	if (!r->defer || (r->defer_entry && !r->defer_entry[h->entry]))
		return false;
	const hit *o = starting_at(e, h->start, r->defer);
	return o && o->end > h->end;
}

/* The longest scanned match of mask that ends before s (0-based), one or
 * more spaces between, or NULL: a rule's `follows` and e:just_before. */
static const hit *match_just_before(const engine *e, size_t s, uint64_t m)
{
	size_t t = s;
	while (t > 0 && e->text[t - 1] == ' ')
		t--;
	return t < s && t > 0 ? ending_at(e, t, m) : NULL;
}

/* The context conditions around [s, t). */
static bool context_ok(lua_State *L, const engine *e, const rule *r, size_t s, size_t t)
{
	size_t b0 = s > r->reach ? s - r->reach : 0, a1 = t + r->reach;
	if (r->follows && !match_just_before(e, s, r->follows))
		return false;
	if (r->cond[COND_BEFORE] && !tml_regex_test_in(L, r->cond[COND_BEFORE], e->text, e->len, b0, s, e->opts))
		return false;
	if (r->cond[COND_NOT_BEFORE] &&
	    tml_regex_test_in(L, r->cond[COND_NOT_BEFORE], e->text, e->len, b0, s, e->opts))
		return false;
	if (r->cond[COND_AFTER] && !tml_regex_test_in(L, r->cond[COND_AFTER], e->text, e->len, t, a1, e->opts))
		return false;
	if (r->cond[COND_NOT_AFTER] && tml_regex_test_in(L, r->cond[COND_NOT_AFTER], e->text, e->len, t, a1, e->opts))
		return false;
	return true;
}

/* ---- tables of matches ---- */

/* Push the lexicon's (or a RULE_GAZ rule's gazetteer's) user value uv. */
static void push_entries(lua_State *L, int ei, int gaz_rule, int uv)
{
	if (gaz_rule < 0) {
		lua_getiuservalue(L, ei, 1 + uv);
		return;
	} else {
		push_r(L, ei, R_RULES);
		lua_rawgeti(L, -1, gaz_rule + 1);
		lua_getfield(L, -1, "gazetteer");
		lua_replace(L, -3);
		lua_pop(L, 1);
	}
	lua_getiuservalue(L, -1, uv);
	lua_replace(L, -2);
}

/* Push a field of entry p: key, type, attrs, or value (the key when none). */
static void push_entry_field(lua_State *L, int ei, int gaz_rule, uint32_t p, int uv)
{
	push_entries(L, ei, gaz_rule, uv);
	lua_rawgeti(L, -1, p);
	lua_replace(L, -2);
	if (uv == TML_GAZ_VALUES && lua_isnil(L, -1)) {
		lua_pop(L, 1);
		push_entry_field(L, ei, gaz_rule, p, TML_GAZ_KEYS);
	}
}

static void push_type_name(lua_State *L, int ei, int type)
{
	if (type < 0) {
		lua_pushnil(L);
		return;
	}
	push_r(L, ei, R_TYPENAME);
	lua_rawgeti(L, -1, type + 1);
	lua_replace(L, -2);
}

/* Push key k (K_), in a function that carries the keys as upvalues. */
static void push_key(lua_State *L, int k) { lua_pushvalue(L, lua_upvalueindex(1 + k)); }

/* Push the keys as a function's upvalues are pushed (lua_pushcclosure). */
static void push_keys(lua_State *L)
{
	luaL_checkstack(L, NKEYS, NULL);
	for (int k = 0; k < NKEYS; k++)
		push_key(L, k);
}

/* t[k] = the value at the top (popped); t at an index below the top, not
 * relative, with no metatable (a table made here). */
static void set_key(lua_State *L, int t, int k)
{
	push_key(L, k);
	lua_insert(L, -2);
	lua_rawset(L, t);
}

/* A scanned match as a table: start, stop, type, text (and name); a
 * lexicon match also key, value and attrs. */
static void push_hit_table(lua_State *L, int ei, const engine *e, const hit *h)
{
	lua_createtable(L, 0, h->entry ? 9 : 5); /* room for all: a ninth key would rehash */
	int t = lua_gettop(L);
	push_key(L, K_START);
	lua_pushinteger(L, (lua_Integer)h->start + 1);
	lua_rawset(L, t);
	push_key(L, K_STOP);
	lua_pushinteger(L, (lua_Integer)h->end);
	lua_rawset(L, t);
	push_key(L, K_TYPE);
	push_type_name(L, ei, h->type);
	lua_rawset(L, t);
	push_key(L, K_TEXT);
	lua_pushlstring(L, e->text + h->start, h->end - h->start);
	push_key(L, K_NAME);
	lua_pushvalue(L, -2);
	lua_rawset(L, t);
	lua_rawset(L, t);
	if (h->entry) {
		push_key(L, K_CASED);
		lua_pushboolean(L, cased_like_key(e, h));
		lua_rawset(L, t);
		static const int f[] = {K_KEY, K_VALUE, K_ATTRS};
		static const int uv[] = {TML_GAZ_KEYS, TML_GAZ_VALUES, TML_GAZ_ATTRS};
		for (int i = 0; i < 3; i++) {
			push_entry_field(L, ei, -1, h->entry, uv[i]);
			set_key(L, t, f[i]);
		}
	}
}

/* ---- the view ---- */

static view *check_view(lua_State *L)
{
	view *v = check_own(L, 1, VIEW_MT, TAG_VIEW, sizeof *v);
	if (!v->live)
		luaL_error(L, "a match is valid only during the value() or shape() call it was given to");
	return v;
}

static void push_capture(lua_State *L, const view *v, int g, int what)
{
	const PCRE2_SIZE *ov = v->e->ov;
	if (g < 0 || (uint32_t)g > v->groups || ov[2 * g] == PCRE2_UNSET) {
		lua_pushnil(L);
		return;
	}
	if (what == 0)
		lua_pushlstring(L, v->e->text + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
	else if (what == 1)
		lua_pushinteger(L, (lua_Integer)ov[2 * g] + 1);
	else
		lua_pushinteger(L, (lua_Integer)ov[2 * g + 1]);
}

/* m.starts / m.stops: a table of the captures' positions by number and name. */
static void push_positions(lua_State *L, const view *v, int what)
{
	lua_createtable(L, (int)v->groups, 0);
	for (uint32_t g = 1; g <= v->groups; g++) {
		push_capture(L, v, (int)g, what);
		lua_rawseti(L, -2, g);
	}
	uint32_t names, size;
	PCRE2_SPTR table;
	pcre2_pattern_info(v->re->code, PCRE2_INFO_NAMECOUNT, &names);
	pcre2_pattern_info(v->re->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(v->re->code, PCRE2_INFO_NAMETABLE, &table);
	for (uint32_t i = 0; i < names; i++) {
		PCRE2_SPTR n = table + i * size;
		push_capture(L, v, n[0] << 8 | n[1], what);
		lua_setfield(L, -2, (const char *)n + 2);
	}
}

/* Which of the view's fields the short string k is (NFIELDS: none). */
static int field_of(const engine *e, const char *k)
{
	for (int f = 0; f < NFIELDS; f++)
		if (e->field[f] == k)
			return f;
	return NFIELDS;
}

/* Push field f (type, key, value, attrs, cased; else nil) of the
 * dictionary or token match h, of the lexicon or of RULE_GAZ rule gaz_rule. */
static void push_hit_field(lua_State *L, int ei, const engine *e, const hit *h, int gaz_rule, int f)
{
	if (f == F_TYPE) {
		if (gaz_rule >= 0)
			push_entry_field(L, ei, gaz_rule, h->entry, TML_GAZ_TYPES);
		else
			push_type_name(L, ei, h->type);
	} else if (h->entry && f == F_KEY) {
		push_entry_field(L, ei, gaz_rule, h->entry, TML_GAZ_KEYS);
	} else if (h->entry && f == F_VALUE) {
		push_entry_field(L, ei, gaz_rule, h->entry, TML_GAZ_VALUES);
	} else if (h->entry && f == F_ATTRS) {
		push_entry_field(L, ei, gaz_rule, h->entry, TML_GAZ_ATTRS);
	} else if (h->entry && f == F_CASED && gaz_rule < 0) {
		lua_pushboolean(L, cased_like_key(e, h));
	} else {
		lua_pushnil(L);
	}
}

static int view_index(lua_State *L)
{
	view *v = check_view(L);
	engine *e = v->e;
	if (lua_type(L, 2) == LUA_TNUMBER) {
		if (v->mode == VIEW_REGEX)
			push_capture(L, v, (int)lua_tointeger(L, 2), 0);
		else
			lua_pushnil(L);
		return 1;
	}
	const char *k = luaL_checkstring(L, 2);
	int f = field_of(e, k);
	/* the span and the text need nothing but the view */
	if (f == F_START) {
		lua_pushinteger(L, (lua_Integer)v->start + 1);
		return 1;
	} else if (f == F_STOP) {
		lua_pushinteger(L, (lua_Integer)v->end);
		return 1;
	} else if (f == F_TEXT || (v->mode == VIEW_HIT && f == F_NAME)) {
		lua_pushlstring(L, e->text + v->tstart, v->tend - v->tstart);
		return 1;
	}
	lua_settop(L, 2);
	lua_getiuservalue(L, 1, 1); /* 3: the engine */
	const int ei = 3;
	if (v->mode == VIEW_HIT) {
		push_hit_field(L, ei, e, &v->h, v->gaz_rule, f);
	} else if (f == F_TRIGGER) {
		if (v->has_trigger)
			push_r(L, ei, R_TRIGGER);
		else
			lua_pushnil(L);
	} else if (f == F_STARTS || f == F_STOPS) {
		push_positions(L, v, f == F_STARTS ? 1 : 2);
	} else {
		push_capture(L, v, tml_regex_group(v->re, k), 0);
	}
	return 1;
}

/* Move the view's start (f: F_START, p 1-based) or stop (F_STOP) to p,
 * if it is a position in the text; false, the view as it was, if not. */
static bool move_end(view *v, int f, lua_Integer p)
{
	size_t len = v->e->len;
	if (f == F_START && p >= 1 && (size_t)p <= len + 1)
		v->start = (uint32_t)(p - 1);
	else if (f == F_STOP && p >= 0 && (size_t)p <= len)
		v->end = (uint32_t)p;
	else
		return false;
	return true;
}

static int view_newindex(lua_State *L)
{
	view *v = check_view(L);
	const char *k = luaL_checkstring(L, 2);
	lua_Integer p = luaL_checkinteger(L, 3);
	if (!move_end(v, field_of(v->e, k), p))
		return luaL_error(L, "a match: only start and stop may be set, to positions in the text (%s = %I)", k,
				  p);
	return 0;
}

static int view_tostring(lua_State *L)
{
	view *v = tml_checkudata(L, 1, VIEW_MT);
	if (!v->live)
		lua_pushliteral(L, "textmill.match (expired)");
	else
		lua_pushfstring(L, "textmill.match %d..%d", (int)v->start + 1, (int)v->end);
	return 1;
}

/* Make the view in R[slot] live for hit h (at the top: pushes it). */
static view *push_view(lua_State *L, int ei, int slot)
{
	push_r(L, ei, slot);
	return lua_touserdata(L, -1);
}

/* ---- finding ---- */

typedef struct {
	lua_State *L;
	engine *e;
	int ei, doc, cx, rules, store, values, names, attrs;
	int typenames; /* R_TYPENAME on the stack: a name per candidate */
} run;

/* Call the function below its nargs arguments (m, doc, cx and the rule's
 * args) at the top, with the view live. An error is caught once, by
 * engine_find, which makes the engine's state right (a pcall per call
 * would cost a setjmp for each of a hundred thousand value() calls). */
static void call_rule(lua_State *L, view *v, int nargs, int nresults)
{
	v->live = true;
	lua_call(L, nargs, nresults);
	v->live = false;
}

/* Push what rule r's args ask of the view v's match (as its fields would
 * give them now), for value(). */
static void push_args(run *x, const rule *r, const view *v)
{
	lua_State *L = x->L;
	for (int i = 0; i < r->nargs; i++) {
		const value_arg *a = &r->args[i];
		uint32_t s = a->trigger ? v->h.start : v->start, t = a->trigger ? v->h.end : v->end;
		switch (a->field) {
		case F_CAPTURE: push_capture(L, v, a->group, 0); break;
		case F_START: lua_pushinteger(L, (lua_Integer)s + 1); break;
		case F_STOP: lua_pushinteger(L, (lua_Integer)t); break;
		case F_TEXT:
		case F_NAME: lua_pushlstring(L, x->e->text + s, t - s); break;
		default: push_hit_field(L, x->ei, x->e, &v->h, a->trigger ? -1 : v->gaz_rule, a->field);
		}
	}
}

/* Push the value of a candidate with no value(): its entry's, if any. */
static void push_own_value(run *x, const view *v)
{
	if (v->mode == VIEW_HIT && v->h.entry)
		push_entry_field(x->L, x->ei, v->gaz_rule, v->h.entry, TML_GAZ_VALUES);
	else
		lua_pushnil(x->L);
}

/* How many fields the table at idx (absolute) has: a copy made that size
 * is filled without growing (each growth rehashes all it holds). */
static int count_fields(lua_State *L, int idx)
{
	int n = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		n++;
	}
	return n;
}

/* Copy the fields of the table at from into the table at to (absolute indices). */
static void copy_fields(lua_State *L, int from, int to)
{
	lua_pushnil(L);
	while (lua_next(L, from)) {
		lua_pushvalue(L, -2);
		lua_pushvalue(L, -2);
		lua_rawset(L, to);
		lua_pop(L, 1);
	}
}

/* An error naming rule ri: "rule NAME: " and the message. */
static void rule_error(run *x, int ri, const char *fmt, ...)
{
	lua_State *L = x->L;
	lua_rawgeti(L, x->rules, ri + 1);
	lua_getfield(L, -1, "name");
	va_list ap;
	va_start(ap, fmt);
	const char *what = lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	luaL_error(L, "rule %s: %s", lua_tostring(L, -2), what);
}

/* A rule with args returns its entity's start and stop as value()'s third
 * and fourth results (at, at + 1; nil: as the match has it), where other
 * rules set m.start and m.stop, each a call through the view's __newindex. */
static void take_span(run *x, int ri, view *v, int at)
{
	lua_State *L = x->L;
	for (int i = 0; i < 2; i++) {
		if (lua_isnil(L, at + i))
			continue;
		int ok;
		lua_Integer p = lua_tointegerx(L, at + i, &ok);
		if (!ok || !move_end(v, i ? F_STOP : F_START, p))
			rule_error(x, ri, "value()'s %s (its result %d) is no position in the text",
				   i ? "stop" : "start", 3 + i);
	}
}

/* Push the attrs rule ri gives a match of lexicon entry p: the rule's
 * attrs, the entry's and what its entry_attrs(entry's attrs) returns,
 * merged as value()'s would be; made on the entry's first match and kept
 * (the function depends on the entry alone), shared by its candidates. */
static void push_entry_attrs(run *x, int ri, uint32_t p)
{
	lua_State *L = x->L;
	push_r(L, x->ei, R_EATTRS);
	if (lua_rawgeti(L, -1, ri + 1) == LUA_TNIL) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, ri + 1);
	}
	lua_replace(L, -2);
	int memo = lua_gettop(L);
	if (lua_rawgeti(L, memo, p) == LUA_TTABLE) {
		lua_remove(L, memo);
		return;
	}
	lua_pop(L, 1);
	lua_newtable(L); /* the merged attrs */
	int merged = lua_gettop(L);
	if (lua_rawgeti(L, x->attrs, ri + 1) == LUA_TTABLE) /* the rule's, as emit takes them */
		copy_fields(L, lua_gettop(L), merged);
	lua_pop(L, 1);
	lua_rawgeti(L, x->rules, ri + 1);
	lua_getfield(L, -1, "entry_attrs");
	lua_replace(L, -2);
	push_entry_field(L, x->ei, -1, p, TML_GAZ_ATTRS);
	if (lua_istable(L, -1)) {
		copy_fields(L, lua_gettop(L), merged);
	} else {
		lua_pop(L, 1);
		lua_newtable(L); /* the function sees {} for an entry without attrs */
	}
	lua_call(L, 1, 1);
	if (lua_istable(L, -1)) {
		copy_fields(L, lua_gettop(L), merged);
	} else if (!lua_isnil(L, -1)) {
		rule_error(x, ri, "entry_attrs must return a table or nil, not %s", luaL_typename(L, -1));
	}
	lua_pop(L, 1);
	lua_pushvalue(L, merged);
	lua_rawseti(L, memo, p);
	lua_remove(L, memo);
}

/* A candidate of rule ri: the view at the top of the stack (popped) is
 * its match. value() decides (false: no candidate) and may move it; the
 * candidate goes to the C array, its value and attrs to the store.
 * attrs: the rule's, the match's entry's (entry_attrs) and value()'s,
 * merged in that order. */
static void emit(run *x, int ri, view *v, int type, bool entry_attrs)
{
	lua_State *L = x->L;
	engine *e = x->e;
	rule *r = &e->rules[ri];
	const int vi = lua_gettop(L);
	int value_at, returned_attrs = 0;
	r->passed++;
	if (r->has_value) {
		lua_rawgeti(L, x->values, ri + 1);
		lua_pushvalue(L, vi);
		lua_pushvalue(L, x->doc);
		lua_pushvalue(L, x->cx);
		push_args(x, r, v);
		call_rule(L, v, 3 + r->nargs, r->has_args ? 4 : 2);
		if (lua_isboolean(L, vi + 1) && !lua_toboolean(L, vi + 1)) {
			r->refused++;
			lua_settop(L, vi - 1);
			return;
		}
		value_at = vi + 1;
		if (lua_istable(L, vi + 2))
			returned_attrs = vi + 2;
		if (r->has_args)
			take_span(x, ri, v, vi + 3);
	} else {
		push_own_value(x, v);
		value_at = lua_gettop(L);
	}
	if (v->start >= v->end || v->end > e->len)
		rule_error(x, ri, "value() left the match at %d..%d, empty or outside the text", (int)v->start + 1,
			   (int)v->end);
	int parts[3], np = 0;
	bool made = r->entry_fn && entry_attrs && v->h.entry && v->gaz_rule < 0;
	if (made) {
		push_entry_attrs(x, ri, v->h.entry);
		parts[np++] = lua_gettop(L); /* the rule's, the entry's and entry_attrs' in one */
	}
	if (r->has_attrs && !made) {
		lua_rawgeti(L, x->attrs, ri + 1);
		parts[np++] = lua_gettop(L);
	}
	if (entry_attrs && v->h.entry && !made) {
		push_entry_field(L, x->ei, v->gaz_rule, v->h.entry, TML_GAZ_ATTRS);
		if (lua_istable(L, -1))
			parts[np++] = lua_gettop(L);
	}
	if (returned_attrs)
		parts[np++] = returned_attrs;
	bool shared = false;
	if (np == 0) {
		lua_pushnil(L);
	} else if (np == 1) {
		lua_pushvalue(L, parts[0]);
		shared = parts[0] != returned_attrs; /* the rule's or the entry's own table */
	} else {
		int n = 0;
		for (int i = 0; i < np; i++)
			n += count_fields(L, parts[i]);
		lua_createtable(L, 0, n); /* at most n: parts may share keys */
		int merged = lua_gettop(L);
		for (int i = 0; i < np; i++)
			copy_fields(L, parts[i], merged);
	}
	e->cands = grow(L, e, e->cands, &e->candcap, e->ncands + 1, sizeof *e->cands);
	cand *c = &e->cands[e->ncands];
	c->pos = (uint32_t)e->ncands++;
	lua_rawseti(L, x->store, 2 * (lua_Integer)c->pos + 2);
	lua_pushvalue(L, value_at);
	lua_rawseti(L, x->store, 2 * (lua_Integer)c->pos + 1);
	c->start = v->start, c->end = v->end;
	c->rule = ri;
	c->type = r->type >= 0 ? r->type : type;
	c->priority = r->priority, c->layer = r->layer, c->order = r->order;
	c->shared = shared;
	lua_settop(L, vi - 1);
}

/* Set up the view for a match of a regex (rule ri's, last matched) whose
 * entity is [s, t), text too; trigger: the scanned match it follows. */
static view *regex_view(run *x, tml_regex *re, size_t s, size_t t, const hit *trigger)
{
	engine *e = x->e;
	view *v = push_view(x->L, x->ei, R_VIEW);
	size_t n = 2 * ((size_t)re->groups + 1);
	e->ov = grow(x->L, e, e->ov, &e->ovcap, n, sizeof *e->ov);
	memcpy(e->ov, pcre2_get_ovector_pointer(re->md), n * sizeof *e->ov);
	v->mode = VIEW_REGEX;
	v->re = re, v->groups = re->groups;
	v->start = v->tstart = (uint32_t)s, v->end = v->tend = (uint32_t)t;
	v->gaz_rule = -1;
	v->has_trigger = trigger != NULL;
	if (trigger) {
		v->h = *trigger; /* for value()'s args */
		view *tv = push_view(x->L, x->ei, R_TRIGGER);
		tv->mode = VIEW_HIT, tv->h = *trigger, tv->gaz_rule = -1, tv->has_trigger = false;
		tv->start = tv->tstart = trigger->start, tv->end = tv->tend = trigger->end;
		tv->live = true; /* as long as the match: the call's */
		lua_pop(x->L, 1);
	}
	return v;
}

static view *hit_view(run *x, const hit *h, int gaz_rule)
{
	view *v = push_view(x->L, x->ei, R_VIEW);
	v->mode = VIEW_HIT;
	v->h = *h, v->gaz_rule = gaz_rule, v->has_trigger = false;
	v->start = v->tstart = h->start, v->end = v->tend = h->end;
	return v;
}

static void expire_trigger(run *x)
{
	view *tv = push_view(x->L, x->ei, R_TRIGGER);
	tv->live = false;
	lua_pop(x->L, 1);
}

/* The group's span of the regex's last match, if it took part and is not empty. */
static bool group_span(const tml_regex *re, int g, size_t *s, size_t *t)
{
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] <= ov[2 * g])
		return false;
	*s = ov[2 * g], *t = ov[2 * g + 1];
	return true;
}

/* Does the document hold a match of the rule's `needs` (none: yes)? A
 * search of the whole text, made when the rule is first tried on it:
 * a rule that scans for a rare construct with a common start (initials
 * before an age: every capital of the text) costs that search instead of
 * its scan in the documents that lack it. */
static bool needs_met(run *x, rule *r)
{
	if (!r->needs)
		return true;
	if (!r->needs_found)
		r->needs_found = tml_regex_exec(x->L, r->needs, x->e->text, x->e->len, 0, x->e->opts) ? 1 : -1;
	return r->needs_found > 0;
}

static void rule_at_hit(run *x, int ri, const hit *h)
{
	lua_State *L = x->L;
	engine *e = x->e;
	rule *r = &e->rules[ri];
	if (!needs_met(x, r))
		return;
	r->seen++;
	/* the tests that are all C, cheapest first; a shape function last */
	if (r->entry_ok && !r->entry_ok[h->entry])
		return;
	switch (r->shape) {
	case SHAPE_REGEX:
		if (!tml_regex_exec(L, r->shape_re, e->text, h->end, h->start, e->opts))
			return;
		break;
	case SHAPE_BYTES:
		if (!byte_shape_match(r->shape_bytes, e->text + h->start, h->end - h->start))
			return;
		break;
	case SHAPE_CAPITAL_AFTER:
		if (h->end >= e->len || e->text[h->end] != ' ' || !upper_at(e, h->end + 1))
			return;
		break;
	case SHAPE_UPPER_AT_START:
		if (!upper_at(e, h->start))
			return;
		break;
	}
	if (r->cased && !cased_like_key(e, h))
		return;
	if (deferred(e, r, h))
		return;
	if (r->shape == SHAPE_FUNCTION) {
		view *v = hit_view(x, h, -1);
		lua_rawgeti(L, x->rules, ri + 1);
		lua_getfield(L, -1, "shape");
		lua_replace(L, -2);
		lua_insert(L, -2);
		lua_pushvalue(L, x->doc);
		lua_pushvalue(L, x->cx);
		call_rule(L, v, 3, 1);
		bool ok = lua_toboolean(L, -1);
		lua_pop(L, 1);
		if (!ok)
			return;
	}
	if (!r->re) {
		if (!context_ok(L, e, r, h->start, h->end))
			return;
		hit_view(x, h, -1);
		emit(x, ri, lua_touserdata(L, -1), h->type, h->entry != 0);
		return;
	}
	if (!tml_regex_exec(L, r->re, e->text, e->len, h->end, e->opts))
		return;
	size_t s = h->start, t = pcre2_get_ovector_pointer(r->re->md)[1];
	if (r->group && !group_span(r->re, r->group, &s, &t))
		return;
	if (!context_ok(L, e, r, s, t))
		return;
	regex_view(x, r->re, s, t, h);
	emit(x, ri, lua_touserdata(L, -1), h->type, false);
	expire_trigger(x);
}

static void regex_rule(run *x, int ri)
{
	lua_State *L = x->L;
	engine *e = x->e;
	rule *r = &e->rules[ri];
	size_t off = 0;
	if (!needs_met(x, r))
		return;
	while (off <= e->len && tml_regex_exec(L, r->re, e->text, e->len, off, e->opts)) {
		const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->re->md);
		size_t s = ov[0], t = ov[1];
		r->seen++;
		off = t > s ? t : s + 1;
		while (off < e->len && ((unsigned char)e->text[off] & 0xC0) == 0x80)
			off++;
		if (r->group ? !group_span(r->re, r->group, &s, &t) : t <= s)
			continue;
		if (!context_ok(L, e, r, s, t))
			continue;
		regex_view(x, r->re, s, t, NULL);
		emit(x, ri, lua_touserdata(L, -1), -1, false);
	}
}

static void gazetteer_rule(run *x, int ri)
{
	lua_State *L = x->L;
	engine *e = x->e;
	rule *r = &e->rules[ri];
	if (!needs_met(x, r))
		return;
	tml_gazetteer_search(L, r->gaz, "textmill.engine: gazetteer rule", e->text, e->len, 0);
	/* value() may search the same gazetteer, which reuses its scratch:
	 * walk a copy of the matches */
	size_t n = r->gaz->sc.n;
	e->gaz_hits = grow(L, e, e->gaz_hits, &e->gaz_cap, n + 1, sizeof *e->gaz_hits);
	if (n)
		memcpy(e->gaz_hits, r->gaz->sc.m, n * sizeof *e->gaz_hits);
	r->seen += n;
	for (size_t i = 0; i < n; i++) {
		gazetteer_match m = e->gaz_hits[i];
		if (!context_ok(L, e, r, m.start, m.end))
			continue;
		hit h = {(uint32_t)m.start, (uint32_t)m.end, (uint32_t)m.payload, 0, 0};
		hit_view(x, &h, ri);
		/* the entity's type: the rule's, else the entry's (a name) */
		int type = -1;
		if (r->type < 0) {
			push_entry_field(L, x->ei, ri, h.entry, TML_GAZ_TYPES);
			if (lua_type(L, -1) == LUA_TSTRING) {
				int name = lua_gettop(L);
				push_r(L, x->ei, R_TYPEID);
				push_r(L, x->ei, R_TYPENAME);
				type = type_id(L, e, name, name + 1, name + 2);
				lua_pop(L, 2);
			}
			lua_pop(L, 1);
		}
		emit(x, ri, lua_touserdata(L, -1), type, true);
	}
}

/* Is a before b in rank: higher priority, the longer span, the earlier
 * start, the lower order, then emission? */
static inline bool ranks_before(const cand *a, const cand *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	uint32_t la = a->end - a->start, lb = b->end - b->start;
	if (la != lb)
		return la > lb;
	if (a->start != b->start)
		return a->start < b->start;
	if (a->order != b->order)
		return a->order < b->order;
	return a->pos < b->pos;
}

/* Is a before b in text order: by start, the longer first, then emission? */
static inline bool places_before(const cand *a, const cand *b)
{
	if (a->start != b->start)
		return a->start < b->start;
	if (a->end != b->end)
		return a->end > b->end;
	return a->pos < b->pos;
}

/* Sort v[0..n) by BEFORE, with tmp room for n: runs of 8 by insertion,
 * then merged bottom up between v and tmp. qsort called its comparison
 * through a pointer and, for elements this size, sorted pointers and
 * moved the candidates after (a call cost about 10,000 instructions for
 * an article's candidates). Both orders are total (pos is unique). */
#define CAND_SORT(name, BEFORE)                                                                             \
	static void name(cand *v, size_t n, cand *tmp)                                                      \
	{                                                                                                   \
		for (size_t lo = 0; lo < n; lo += 8) {                                                      \
			size_t hi = lo + 8 < n ? lo + 8 : n;                                                \
			for (size_t i = lo + 1; i < hi; i++) {                                              \
				cand x = v[i];                                                              \
				size_t j = i;                                                               \
				for (; j > lo && BEFORE(&x, &v[j - 1]); j--)                                \
					v[j] = v[j - 1];                                                    \
				v[j] = x;                                                                   \
			}                                                                                   \
		}                                                                                           \
		cand *from = v, *to = tmp;                                                                  \
		for (size_t w = 8; w < n; w *= 2) {                                                         \
			for (size_t lo = 0; lo < n; lo += 2 * w) {                                          \
				size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n; \
				size_t a = lo, b = mid, k = lo;                                             \
				while (a < mid && b < hi)                                                   \
					to[k++] = BEFORE(&from[b], &from[a]) ? from[b++] : from[a++];       \
				memcpy(&to[k], &from[a], (mid - a) * sizeof *to);                           \
				k += mid - a;                                                               \
				memcpy(&to[k], &from[b], (hi - b) * sizeof *to);                            \
			}                                                                                   \
			cand *t = from;                                                                     \
			from = to, to = t;                                                                  \
		}                                                                                           \
		if (from != v)                                                                              \
			memcpy(v, from, n * sizeof *v);                                                     \
	}
CAND_SORT(sort_by_rank, ranks_before)
CAND_SORT(sort_by_place, places_before)

/* Keep, per layer, the best candidates that do not overlap: in rank
 * order, each one that overlaps none kept before in its layer. Kept ones
 * are held sorted by (layer, start); within a layer they do not overlap,
 * so a candidate overlaps one exactly when it overlaps the last kept one
 * starting at or before its last byte. */
static size_t resolve(lua_State *L, engine *e)
{
	size_t n = e->ncands;
	e->cands = grow(L, e, e->cands, &e->candcap, 2 * n + 1, sizeof *e->cands);
	cand *kept = e->cands + n; /* (the sorts' room, before it holds the kept) */
	sort_by_rank(e->cands, n, kept);
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		const cand *c = &e->cands[i];
		size_t lo = 0, hi = nk;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (kept[mid].layer < c->layer || (kept[mid].layer == c->layer && kept[mid].start < c->end))
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && kept[lo - 1].layer == c->layer && kept[lo - 1].end > c->start)
			continue;
		memmove(kept + lo + 1, kept + lo, (nk - lo) * sizeof *kept);
		kept[lo] = *c;
		nk++;
		e->rules[c->rule].kept++;
	}
	memmove(e->cands, kept, nk * sizeof *kept);
	sort_by_place(e->cands, nk, kept);
	return nk;
}

/* A candidate as a table: type, start, stop, value, attrs, rule; with
 * ranks (every candidate, unresolved, for rules.resolve) also its rule's
 * layer, priority and order, which a resolved one has no use for (three
 * keys of nine, and a read of the rule's table). A shared attrs table is
 * copied: post steps may change it. */
static void push_cand_table(run *x, const cand *c, bool ranks)
{
	lua_State *L = x->L;
	lua_createtable(L, 0, ranks ? 9 : 6);
	int t = lua_gettop(L);
	push_key(L, K_TYPE);
	if (c->type < 0)
		lua_pushnil(L);
	else
		lua_rawgeti(L, x->typenames, c->type + 1);
	lua_rawset(L, t);
	push_key(L, K_START);
	lua_pushinteger(L, (lua_Integer)c->start + 1);
	lua_rawset(L, t);
	push_key(L, K_STOP);
	lua_pushinteger(L, (lua_Integer)c->end);
	lua_rawset(L, t);
	push_key(L, K_VALUE);
	lua_rawgeti(L, x->store, 2 * (lua_Integer)c->pos + 1);
	lua_rawset(L, t);
	push_key(L, K_ATTRS);
	lua_rawgeti(L, x->store, 2 * (lua_Integer)c->pos + 2);
	if (c->shared && lua_istable(L, -1)) {
		int shared = lua_gettop(L);
		/* sized as the table was when last copied: a hint kept by
		 * address (a wrong one costs a resize, no more) */
		const void *key = lua_topointer(L, shared);
		size_t slot = ((uintptr_t)key >> 4) % SIZE_HINTS;
		if (x->e->size_key[slot] != key) {
			x->e->size_key[slot] = key;
			x->e->size_hint[slot] = count_fields(L, shared);
		}
		lua_createtable(L, 0, x->e->size_hint[slot]);
		copy_fields(L, shared, shared + 1);
		lua_replace(L, shared); /* the copy in the shared table's place */
	}
	lua_rawset(L, t);
	push_key(L, K_RULE);
	lua_rawgeti(L, x->names, c->rule + 1);
	lua_rawset(L, t);
	if (ranks) {
		lua_rawgeti(L, x->rules, c->rule + 1);
		tml_get_key(L, -1, K_LAYER);
		set_key(L, t, K_LAYER);
		lua_pop(L, 1);
		push_key(L, K_PRIORITY);
		lua_pushnumber(L, c->priority);
		lua_rawset(L, t);
		push_key(L, K_ORDER);
		lua_pushinteger(L, c->order);
		lua_rawset(L, t);
	}
}

/* The resolved candidates 0..n-1 (in text order) as a table from each
 * type's name to the list of its candidates, in the same order: what the
 * phases after the rules take, each list made at its size, where a
 * grouping in Lua grew each list and looked its type up per candidate. */
static void push_by_type(run *x, size_t n)
{
	lua_State *L = x->L;
	engine *e = x->e;
	/* per type, its count, then its list's place on the stack */
	int *count = lua_newuserdatauv(L, 2 * (size_t)e->ntypes * sizeof *count + 1, 0);
	int *slot = count + e->ntypes;
	int types = 0;
	memset(count, 0, (size_t)e->ntypes * sizeof *count);
	for (size_t i = 0; i < n; i++) {
		if (e->cands[i].type < 0) /* a rule with no type, on a match with none */
			rule_error(x, e->cands[i].rule, "find_by_type: a candidate with no type");
		types += count[e->cands[i].type]++ == 0;
	}
	luaL_checkstack(L, types + 2, NULL);
	lua_createtable(L, 0, types);
	int by_type = lua_gettop(L);
	for (int t = 0; t < e->ntypes; t++) {
		if (count[t] == 0)
			continue;
		lua_createtable(L, count[t], 0);
		slot[t] = lua_gettop(L);
		lua_rawgeti(L, x->typenames, t + 1);
		lua_pushvalue(L, slot[t]);
		lua_rawset(L, by_type);
		count[t] = 0; /* now the list's length */
	}
	for (size_t i = 0; i < n; i++) {
		int t = e->cands[i].type;
		push_cand_table(x, &e->cands[i], false);
		lua_rawseti(L, slot[t], ++count[t]);
	}
	lua_settop(L, by_type);
}

/* The work of e:find, under engine_find's pcall (arguments the same). */
static int find_run(lua_State *L)
{
	engine *e = lua_touserdata(L, 1);
	bool all = lua_toboolean(L, 4), by_type = lua_toboolean(L, 5);
	lua_settop(L, 3);
	run x = {L, e, 1, 2, 3, 0, 0, 0, 0, 0, 0};
	push_r(L, 1, R_RULES);
	x.rules = lua_gettop(L);
	push_r(L, 1, R_VALUE);
	x.values = lua_gettop(L);
	push_r(L, 1, R_NAMES);
	x.names = lua_gettop(L);
	push_r(L, 1, R_ATTRS);
	x.attrs = lua_gettop(L);
	push_r(L, 1, R_TYPENAME);
	x.typenames = lua_gettop(L);
	/* made the size the last document's candidates took (their value and
	 * attrs each), where a fresh table grew by doubling, each growth a
	 * rehash of all it held */
	lua_createtable(L, (int)(2 * e->store_hint), 0);
	x.store = lua_gettop(L);
	luaL_checkstack(L, 2 * MAX_ARGS + 16, NULL); /* emit's room, value()'s args among it */
	e->ncands = 0;
	for (int ri = 0; ri < e->nrules; ri++) {
		if (e->rules[ri].kind == RULE_REGEX)
			regex_rule(&x, ri);
		else if (e->rules[ri].kind == RULE_GAZ)
			gazetteer_rule(&x, ri);
	}
	for (size_t i = 0; i < e->nhits; i++) {
		hit h = e->hits[i];
		for (int k = e->on_at[h.type]; k < e->on_at[h.type + 1]; k++)
			rule_at_hit(&x, e->on_list[k], &h);
	}
	e->store_hint = e->ncands < STORE_HINT_MAX ? e->ncands : STORE_HINT_MAX;
	size_t n = all ? e->ncands : resolve(L, e);
	if (all) {
		e->cands = grow(L, e, e->cands, &e->candcap, 2 * n + 1, sizeof *e->cands);
		sort_by_place(e->cands, n, e->cands + n);
	}
	if (by_type) {
		push_by_type(&x, n);
		return 1;
	}
	lua_createtable(L, n > INT32_MAX ? INT32_MAX : (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		push_cand_table(&x, &e->cands[i], all);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* e:find(doc, cx [, all]) -> the candidates, resolved unless all; and
 * e:find_by_type(doc, cx) -> the resolved ones by type. An error (in a
 * value() or shape(), or out of memory) leaves the views expired and the
 * engine ready for the next document, and passes on. */
static int find_with(lua_State *L, bool all, bool by_type)
{
	engine *e = check_engine(L, 1);
	need_document(L, e);
	if (e->busy)
		return luaL_error(L, "textmill.engine: find called inside find");
	lua_settop(L, 3);
	push_keys(L);
	lua_pushcclosure(L, find_run, NKEYS);
	for (int i = 1; i <= 3; i++)
		lua_pushvalue(L, i);
	lua_pushboolean(L, all);
	lua_pushboolean(L, by_type);
	e->busy = true;
	int rc = lua_pcall(L, 5, 1, 0);
	e->busy = false;
	for (int slot = R_VIEW; slot <= R_TRIGGER; slot++) {
		push_r(L, 1, slot);
		((view *)lua_touserdata(L, -1))->live = false;
		lua_pop(L, 1);
	}
	if (rc != LUA_OK)
		lua_error(L);
	return 1;
}

static int engine_find(lua_State *L) { return find_with(L, lua_toboolean(L, 4), false); }
static int engine_find_by_type(lua_State *L) { return find_with(L, false, true); }

/* ---- the scanned matches, for rules and post steps ---- */

/* e:scanned([kinds]) -> the scanned matches (of kinds) in text order. */
static int engine_scanned(lua_State *L)
{
	engine *e = check_lookup(L);
	need_document(L, e);
	uint64_t m = kinds_mask(L, e, 1, 2);
	lua_newtable(L);
	lua_Integer n = 0;
	for (size_t i = 0; i < e->nhits; i++)
		if (m >> e->hits[i].type & 1) {
			push_hit_table(L, 1, e, &e->hits[i]);
			lua_rawseti(L, -2, ++n);
		}
	return 1;
}

/* The step of e:each_scanned (upvalues: the engine, the kinds' mask, the
 * document it was made for, the next hit): the next match of those kinds
 * as start, stop, value, attrs, cased, type, or nothing at the end. */
static int each_scanned_step(lua_State *L)
{
	engine *e = lua_touserdata(L, lua_upvalueindex(1));
	uint64_t m = (uint64_t)lua_tointeger(L, lua_upvalueindex(2));
	if (lua_tointeger(L, lua_upvalueindex(3)) != e->begun)
		return luaL_error(L, "textmill.engine: each_scanned: the engine began another document");
	size_t i = (size_t)lua_tointeger(L, lua_upvalueindex(4));
	while (i < e->nhits && !(m >> e->hits[i].type & 1))
		i++;
	if (i >= e->nhits)
		return 0;
	const hit *h = &e->hits[i];
	lua_pushinteger(L, (lua_Integer)i + 1);
	lua_replace(L, lua_upvalueindex(4));
	lua_settop(L, 0);
	lua_pushinteger(L, (lua_Integer)h->start + 1);
	lua_pushinteger(L, (lua_Integer)h->end);
	if (h->entry) {
		push_entry_field(L, lua_upvalueindex(1), -1, h->entry, TML_GAZ_VALUES);
		push_entry_field(L, lua_upvalueindex(1), -1, h->entry, TML_GAZ_ATTRS);
		lua_pushboolean(L, cased_like_key(e, h));
	} else {
		lua_pushnil(L);
		lua_pushnil(L);
		lua_pushnil(L);
	}
	push_type_name(L, lua_upvalueindex(1), h->type);
	return 6;
}

/* e:each_scanned([kinds]) -> an iterator over the scanned matches (of
 * kinds) in text order, as scanned() has them, each as start, stop,
 * value, attrs, cased, type: no table made for a match (a dictionary
 * match's attrs are its entry's own table, not a copy). */
static int engine_each_scanned(lua_State *L)
{
	engine *e = check_lookup(L);
	need_document(L, e);
	uint64_t m = kinds_mask(L, e, 1, 2);
	lua_settop(L, 1);
	lua_pushinteger(L, (lua_Integer)m);
	lua_pushinteger(L, e->begun);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, each_scanned_step, 4);
	return 1;
}

/* The first hit starting at or after s (hits are sorted by start). */
static size_t first_at(const engine *e, size_t s)
{
	size_t lo = 0, hi = e->nhits;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (e->hits[mid].start < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The longest match of mask starting at byte s (0-based), or NULL. */
static const hit *starting_at(const engine *e, size_t s, uint64_t m)
{
	for (size_t i = first_at(e, s); i < e->nhits && e->hits[i].start == s; i++)
		if (m >> e->hits[i].type & 1) /* the longest come first */
			return &e->hits[i];
	return NULL;
}

/* The longest match of mask ending at byte t (exclusive), or NULL; of
 * two as long, the first scanned. */
static const hit *ending_at(const engine *e, size_t t, uint64_t m)
{
	const hit *best = NULL;
	size_t lo = 0, hi = e->nhits;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((e->by_end[mid] >> 32) < (uint64_t)t)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < e->nhits && (e->by_end[i] >> 32) == (uint64_t)t; i++) {
		const hit *h = &e->hits[(uint32_t)e->by_end[i]];
		if ((m >> h->type & 1) &&
		    (!best || h->start < best->start || (h->start == best->start && h->seq < best->seq)))
			best = h;
	}
	return best;
}

static int push_hit_or_nil(lua_State *L, const engine *e, const hit *h)
{
	if (h)
		push_hit_table(L, 1, e, h);
	else
		lua_pushnil(L);
	return 1;
}

/* The arguments (pos, kinds) of e:starting and e:starting_stop: the
 * longest match of kinds starting at pos, or NULL; the engine in *pe. */
static const hit *starting_arg(lua_State *L, engine **pe)
{
	engine *e = *pe = check_lookup(L);
	need_document(L, e);
	lua_Integer pos = luaL_checkinteger(L, 2);
	uint64_t m = kinds_mask(L, e, 1, 3);
	return pos >= 1 && (size_t)pos <= e->len ? starting_at(e, (size_t)pos - 1, m) : NULL;
}

/* e:starting(pos, kinds): the longest match of kinds starting at pos, or nil. */
static int engine_starting(lua_State *L)
{
	engine *e;
	const hit *h = starting_arg(L, &e);
	return push_hit_or_nil(L, e, h);
}

/* What rules most often read of a match, with no table made: the position
 * edge (its stop or its start), and with a key at index 4 the value of
 * key in its dictionary entry's attrs (nil for a token's match or an entry
 * without it); nil when there is no match. */
static int push_edge_key(lua_State *L, const hit *h, lua_Integer edge)
{
	lua_settop(L, 4); /* the key, or nil */
	if (!h) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushinteger(L, edge);
	if (lua_isnil(L, 4))
		return 1;
	if (!h->entry) {
		lua_pushnil(L);
		return 2;
	}
	push_entry_field(L, 1, -1, h->entry, TML_GAZ_ATTRS);
	if (lua_istable(L, -1)) {
		lua_pushvalue(L, 4);
		lua_rawget(L, -2);
	} else {
		lua_pushnil(L);
	}
	lua_replace(L, -2);
	return 2;
}

/* e:starting_stop(pos, kinds [, key]): e:starting(pos, kinds)'s stop
 * (and attr), no table. */
static int engine_starting_stop(lua_State *L)
{
	engine *e;
	const hit *h = starting_arg(L, &e);
	return push_edge_key(L, h, h ? (lua_Integer)h->end : 0);
}

/* The arguments (stop, kinds) of e:ending and e:ending_start: the longest
 * match of kinds ending at stop, or NULL; the engine in *pe. */
static const hit *ending_arg(lua_State *L, engine **pe)
{
	engine *e = *pe = check_lookup(L);
	need_document(L, e);
	lua_Integer stop = luaL_checkinteger(L, 2);
	uint64_t m = kinds_mask(L, e, 1, 3);
	return stop >= 1 && (size_t)stop <= e->len ? ending_at(e, (size_t)stop, m) : NULL;
}

/* e:ending(stop, kinds): the longest match of kinds ending at stop, or nil. */
static int engine_ending(lua_State *L)
{
	engine *e;
	const hit *h = ending_arg(L, &e);
	return push_hit_or_nil(L, e, h);
}

/* e:ending_start(stop, kinds [, key]): e:ending(stop, kinds)'s start (and
 * attr), no table. */
static int engine_ending_start(lua_State *L)
{
	engine *e;
	const hit *h = ending_arg(L, &e);
	return push_edge_key(L, h, h ? (lua_Integer)h->start + 1 : 0);
}

/* The arguments (pos, kinds) of e:just_before and e:just_before_start: the
 * longest match of kinds that ends before pos with one or more spaces
 * between, or NULL; the engine in *pe. */
static const hit *just_before_arg(lua_State *L, engine **pe)
{
	engine *e = *pe = check_lookup(L);
	need_document(L, e);
	lua_Integer pos = luaL_checkinteger(L, 2);
	uint64_t m = kinds_mask(L, e, 1, 3);
	return pos >= 1 && (size_t)pos <= e->len + 1 ? match_just_before(e, (size_t)pos - 1, m) : NULL;
}

bool tml_engine_just_before(lua_State *L, engine *e, int ei, int kinds, int64_t pos)
{
	uint64_t m = kinds_mask(L, e, ei, kinds);
	return pos >= 1 && (size_t)pos <= e->len + 1 && match_just_before(e, (size_t)pos - 1, m);
}

/* e:just_before(pos, kinds): that match (a level word before a name), or
 * nil. */
static int engine_just_before(lua_State *L)
{
	engine *e;
	const hit *h = just_before_arg(L, &e);
	return push_hit_or_nil(L, e, h);
}

/* e:just_before_start(pos, kinds [, key]): e:just_before(pos, kinds)'s
 * start (and attr), no table. */
static int engine_just_before_start(lua_State *L)
{
	engine *e;
	const hit *h = just_before_arg(L, &e);
	return push_edge_key(L, h, h ? (lua_Integer)h->start + 1 : 0);
}

/* e:just_after(stop, kinds): the longest match of kinds that starts after
 * stop with one or more spaces between, or nil. */
static int engine_just_after(lua_State *L)
{
	engine *e = check_lookup(L);
	need_document(L, e);
	lua_Integer stop = luaL_checkinteger(L, 2);
	uint64_t m = kinds_mask(L, e, 1, 3);
	if (stop < 0 || (size_t)stop >= e->len)
		return push_hit_or_nil(L, e, NULL);
	size_t s = (size_t)stop;
	while (s < e->len && e->text[s] == ' ')
		s++;
	return push_hit_or_nil(L, e, s > (size_t)stop && s < e->len ? starting_at(e, s, m) : NULL);
}

/* The arguments (start, stop, kinds [, reach]) of e:covering and
 * e:covering_span: the first scanned match of kinds, in text order, that
 * holds start..stop and is longer, starting at most reach bytes (default
 * 80) before start (Bình Dương inside Thái Bình Dương), or NULL; the
 * engine in *pe. One search instead of a lookup at every position before. */
static const hit *covering_arg(lua_State *L, engine **pe)
{
	engine *e = *pe = check_lookup(L);
	need_document(L, e);
	lua_Integer start = luaL_checkinteger(L, 2), stop = luaL_checkinteger(L, 3);
	uint64_t m = kinds_mask(L, e, 1, 4);
	lua_Integer reach = luaL_optinteger(L, 5, CONTEXT);
	if (start < 1 || stop < start || (size_t)stop > e->len || reach < 0)
		return NULL;
	size_t s = (size_t)start - 1, t = (size_t)stop;
	size_t from = (lua_Integer)s > reach ? s - (size_t)reach : 0;
	for (size_t i = first_at(e, from); i < e->nhits && e->hits[i].start <= s; i++) {
		const hit *h = &e->hits[i];
		if ((m >> h->type & 1) && h->end >= t && h->end - h->start > t - s)
			return h;
	}
	return NULL;
}

/* e:covering(start, stop, kinds [, reach]): that match, or nil. */
static int engine_covering(lua_State *L)
{
	engine *e;
	const hit *h = covering_arg(L, &e);
	return push_hit_or_nil(L, e, h);
}

/* e:covering_span(start, stop, kinds [, reach]): that match's start and
 * stop, or nil: no table made for it. */
static int engine_covering_span(lua_State *L)
{
	engine *e;
	const hit *h = covering_arg(L, &e);
	if (!h) {
		lua_pushnil(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)h->start + 1);
	lua_pushinteger(L, (lua_Integer)h->end);
	return 2;
}

/* e:first_start(from, to, kinds): the first position in from..to where a
 * match of kinds starts, or nil. */
size_t tml_engine_first_start(lua_State *L, engine *e, int ei, int kinds, int64_t from, int64_t to)
{
	uint64_t m = kinds_mask(L, e, ei, kinds);
	if (from < 1)
		from = 1;
	for (size_t i = first_at(e, (size_t)from - 1); i < e->nhits && e->hits[i].start < (uint64_t)to; i++)
		if (m >> e->hits[i].type & 1)
			return (size_t)e->hits[i].start + 1;
	return 0;
}

static int engine_first_start(lua_State *L)
{
	engine *e = check_lookup(L);
	need_document(L, e);
	lua_Integer from = luaL_checkinteger(L, 2), to = luaL_checkinteger(L, 3);
	size_t at = tml_engine_first_start(L, e, 1, 4, from, to);
	if (at)
		lua_pushinteger(L, (lua_Integer)at);
	else
		lua_pushnil(L);
	return 1;
}

const char *tml_engine_text(const engine *e, size_t *len)
{
	*len = e->len;
	return e->text;
}

bool tml_engine_upper_at(const engine *e, int64_t pos)
{
	return pos >= 1 && (size_t)pos <= e->len && upper_at(e, (size_t)pos - 1);
}

/* e:upper_at(pos): whether a capital letter starts at byte pos. */
static int engine_upper_at(lua_State *L)
{
	engine *e = check_lookup(L);
	need_document(L, e);
	lua_pushboolean(L, tml_engine_upper_at(e, luaL_checkinteger(L, 2)));
	return 1;
}

/* Push s[0..n) (a word before a position: at most 39 bytes) in lower
 * case as textmill.lower gives it. */
static void push_lower(lua_State *L, const char *s, size_t n)
{
	char low[160];
	ptrdiff_t m = textops_lower_into(s, n, low, sizeof low);
	if (m == TEXTOPS_ENOMEM)
		luaL_error(L, "textmill.engine: word_before: out of memory");
	if (m < 0)
		luaL_error(L, "textmill.engine: word_before: cannot lower \"%s\"", lua_pushlstring(L, s, n));
	lua_pushlstring(L, low, (size_t)m);
}

/* e:searched_ahead(): whether the last begin took its lexicon matches
 * from the stage's search ahead (for tests and benchmarks). */
static int engine_searched_ahead(lua_State *L)
{
	engine *e = check_engine(L, 1);
	lua_pushboolean(L, e->text && e->ahead);
	return 1;
}

/* e:counts() -> a list, a table per rule in the pack's order: rule (its
 * name, or nil), seen, passed, refused and kept, counted since the engine
 * was made (see rule). Read once at the end of a run: a fresh table each
 * call. */
static int engine_counts(lua_State *L)
{
	engine *e = check_engine(L, 1);
	lua_createtable(L, e->nrules, 0);
	push_r(L, 1, R_RULES);
	for (int i = 0; i < e->nrules; i++) {
		const rule *r = &e->rules[i];
		lua_createtable(L, 0, 5);
		lua_rawgeti(L, -2, i + 1);
		lua_getfield(L, -1, "name");
		lua_setfield(L, -3, "rule");
		lua_pop(L, 1);
		static const char *const names[] = {"seen", "passed", "refused", "kept"};
		const uint64_t n[] = {r->seen, r->passed, r->refused, r->kept};
		for (int k = 0; k < 4; k++) {
			lua_pushinteger(L, (lua_Integer)n[k]);
			lua_setfield(L, -2, names[k]);
		}
		lua_rawseti(L, -3, i + 1);
	}
	lua_pop(L, 1);
	return 1;
}

/* e:word_before(pos): the word before byte pos in lower case, as
 * textmill.lower(textmill.word_before(text, pos)) (textops_word_before). */
static int engine_word_before(lua_State *L)
{
	engine *e = check_lookup(L);
	need_document(L, e);
	size_t b, end;
	textops_word_before(e->text, e->len, luaL_checkinteger(L, 2), &b, &end);
	push_lower(L, e->text + b, end - b);
	return 1;
}

static const luaL_Reg lookup_methods[] = {
	{"scanned", engine_scanned},
	{"each_scanned", engine_each_scanned},
	{"starting", engine_starting},
	{"starting_stop", engine_starting_stop},
	{"ending", engine_ending},
	{"ending_start", engine_ending_start},
	{"just_before", engine_just_before},
	{"just_before_start", engine_just_before_start},
	{"just_after", engine_just_after},
	{"covering", engine_covering},
	{"covering_span", engine_covering_span},
	{"first_start", engine_first_start},
	{"upper_at", engine_upper_at},
	{"word_before", engine_word_before},
	{NULL, NULL},
};

/* e:lookups() -> the lookup methods (scanned ... word_before) bound to
 * e, for a per-document context's class: called on a table, they answer
 * for e, where the engine's own methods read the table's field `engine`
 * at each call (about 150 instructions, in some 28,000 calls over a tenth
 * of the dev articles). */
static int engine_lookups(lua_State *L)
{
	check_engine(L, 1);
	lua_newtable(L);
	for (const luaL_Reg *m = lookup_methods; m->name; m++) {
		tml_push_keys(L, key_names, NKEYS);
		lua_pushvalue(L, 1);
		lua_pushcclosure(L, m->func, NKEYS + 1);
		lua_setfield(L, -2, m->name);
	}
	return 1;
}

static int engine_tostring(lua_State *L)
{
	engine *e = tml_checkudata(L, 1, ENGINE_MT);
	lua_pushfstring(L, "textmill.engine (%d rules)", e->nrules);
	return 1;
}

void tml_engine_register(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"begin", engine_begin},
		{"find", engine_find},
		{"find_by_type", engine_find_by_type},
		{"counts", engine_counts},
		{"lookups", engine_lookups},
		{"searched_ahead", engine_searched_ahead},
		{NULL, NULL},
	};
	if (luaL_newmetatable(L, ENGINE_MT)) {
		lua_newtable(L);
		tml_push_keys(L, key_names, NKEYS); /* each method's upvalues */
		luaL_setfuncs(L, methods, NKEYS);
		tml_push_keys(L, key_names, NKEYS);
		luaL_setfuncs(L, lookup_methods, NKEYS);
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, engine_gc);
		lua_setfield(L, -2, "__gc");
		lua_pushcfunction(L, engine_tostring);
		lua_setfield(L, -2, "__tostring");
	}
	lua_pop(L, 1);
	if (luaL_newmetatable(L, VIEW_MT)) {
		lua_pushcfunction(L, view_index);
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, view_newindex);
		lua_setfield(L, -2, "__newindex");
		lua_pushcfunction(L, view_tostring);
		lua_setfield(L, -2, "__tostring");
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, engine_new);
	lua_setfield(L, -2, "engine");
}
