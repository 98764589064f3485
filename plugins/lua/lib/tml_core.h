/* tml_core.h -- the parts of the `textmill` Lua module the stage relies on:
 * regex, JSON <-> Lua, and the per-state data the stage shares with them. */
#ifndef TML_CORE_H
#define TML_CORE_H

#include <lua.h>
#include <lauxlib.h>
#include <stdbool.h>
#include <stddef.h>

#include "textmill/kit.h"

#define TML_UDATA_TYPES 12 /* kinds of userdata tml_checkudata remembers */

/* Per Lua state, pointed to by the state's extra space (NULL when the
 * module is used outside a stage); one for each state, since what
 * tml_checkudata remembers in it is that state's. */
typedef struct tml_state {
	/* A string known to be valid UTF-8 (the document's text), so regex
	 * matching can skip PCRE2's own check of it. */
	const char *valid_text;
	size_t valid_len;
	void *owner; /* the stage instance */
	/* The lexicon of the first engine made in this state, which the stage
	 * scans over a whole batch before the batch's Lua work (lua_stage.c,
	 * prepare: its tables stay in the cache from one document to the
	 * next); and, while a document is processed, what that scan found in
	 * its text (valid_text), or NULL (tml_gazetteer_ahead). */
	const struct tml_gazetteer *lexicon;
	const struct tml_ahead *ahead;
	/* Folders (real paths) a script may open files under; NULL: any. */
	const char *const *read_roots;
	/* C memory the module's objects hold (compiled regexes, match data,
	 * gazetteers), counted with the state's Lua memory. take returns -1,
	 * taking nothing, when the bytes do not fit the budget; NULL: not
	 * counted. Neither raises: PCRE2 calls them. */
	int (*take)(void *owner, size_t bytes);
	void (*give)(void *owner, size_t bytes);
	/* tml_checkudata's metatables, by the address of their name */
	struct {
		const char *tname;
		const void *mt;
	} udata[TML_UDATA_TYPES];
} tml_state;

static inline tml_state *tml_get_state(lua_State *L) { return *(tml_state **)lua_getextraspace(L); }

/* luaL_checkudata(L, idx, tname), with each type's metatable remembered
 * in the state's tml_state after its first check: luaL_checkudata looks
 * the metatable up in the registry by name at every call, which cost
 * more than many of the methods that ask it. tname must be a string
 * that lives as long as the program (a literal). Past TML_UDATA_TYPES
 * names it checks as luaL_checkudata does. */
void *tml_checkudata(lua_State *L, int idx, const char *tname);

/* Is s[0..len) the document's text, which the host checked is valid UTF-8? */
static inline bool tml_checked_text(const tml_state *ts, const char *s, size_t len)
{
	return ts && ts->valid_text == s && ts->valid_len == len;
}

/* Keys interned once. A C function given these strings as its upvalues
 * (tml_push_keys, then luaL_setfuncs or lua_pushcclosure with n) reads
 * field k of the table at t with tml_get_key, as lua_getfield would
 * (metamethods included) without interning the name at every read: for
 * the fields read from thousands of tables per document. */
static inline void tml_push_keys(lua_State *L, const char *const *names, int n)
{
	luaL_checkstack(L, n, NULL);
	for (int k = 0; k < n; k++)
		lua_pushstring(L, names[k]);
}

static inline int tml_get_key(lua_State *L, int t, int k)
{
	t = lua_absindex(L, t);
	lua_pushvalue(L, lua_upvalueindex(1 + k));
	return lua_gettable(L, t);
}

/* Count bytes of C memory to the state (0), or -1 if they do not fit. */
static inline int tml_take(tml_state *ts, size_t bytes) { return ts && ts->take ? ts->take(ts->owner, bytes) : 0; }

static inline void tml_give(tml_state *ts, size_t bytes)
{
	if (ts && ts->give && bytes)
		ts->give(ts->owner, bytes);
}

/* The real path of a file a script asks to open (into real, PATH_MAX
 * bytes), or a Lua error "who: ..." naming it as shown: it does not
 * exist, or it lies outside the state's read_roots (tml_paths.c). */
void tml_resolve_readable(lua_State *L, const char *who, const char *path, const char *shown, char *real);

/* Open the module: push a table with regex, gazetteer and the text helpers. */
int tml_open(lua_State *L);
void tml_regex_register(lua_State *L);

/* A Lua allocator's cache of small freed blocks (tml_alloc.c): blocks of
 * up to TML_SMALL bytes, in classes of TML_GRAIN, at most TML_KEEP per
 * class (so at most about 4 MB held). One per Lua state: not thread-safe. */
#define TML_GRAIN 16
#define TML_SMALL 256
#define TML_CLASSES (TML_SMALL / TML_GRAIN)
#define TML_KEEP 2048
#if defined(__SANITIZE_ADDRESS__)
#define TML_ALLOC_CACHE 0 /* let AddressSanitizer see every free */
#else
#define TML_ALLOC_CACHE 1
#endif
typedef struct tml_free_block {
	struct tml_free_block *next;
} tml_free_block;
typedef struct tml_alloc {
	tml_free_block *free[TML_CLASSES];
	size_t count[TML_CLASSES];
} tml_alloc;
/* What tml_alloc_realloc does when the cache cannot answer alone. */
void *tml_alloc_slow(tml_alloc *a, void *ptr, size_t osize, size_t nsize);
/* lua_Alloc's contract, with the cache for a state's first argument.
 * Inline for the two calls most of a state's 700,000 a document are: a
 * small block freed to its class's list, a small one taken from it. */
static inline void *tml_alloc_realloc(tml_alloc *a, void *ptr, size_t osize, size_t nsize)
{
	if (TML_ALLOC_CACHE && nsize == 0 && ptr && osize <= TML_SMALL) {
		size_t c = (osize - 1) / TML_GRAIN;
		if (a->count[c] < TML_KEEP) {
			tml_free_block *b = ptr;
			b->next = a->free[c];
			a->free[c] = b;
			a->count[c]++;
			return NULL;
		}
	} else if (TML_ALLOC_CACHE && !ptr && nsize && nsize <= TML_SMALL) {
		size_t c = (nsize - 1) / TML_GRAIN;
		tml_free_block *b = a->free[c];
		if (b) {
			a->free[c] = b->next;
			a->count[c]--;
			return b;
		}
	}
	return tml_alloc_slow(a, ptr, osize, nsize);
}
/* Give every cached block back to malloc (after lua_close). */
void tml_alloc_free_all(tml_alloc *a);

/* A span as textmill.resolve and textmill.sort_spans read it (lua_spans.c). */
typedef struct tml_span {
	lua_Integer start, stop, order;
	lua_Number priority;
	const char *type; /* sort_spans only; anchored by the list's tables */
	int layer;        /* resolve only: a small id per distinct layer value */
	int pos;          /* position in the input list, 1-based */
} tml_span;
/* Sort v[0..n) in text order, as textmill.sort_spans does: by start, the
 * longer first, then by type; ties keep their order (pos). */
void tml_sort_places(lua_State *L, tml_span *v, lua_Integer n);

/* Push the Lua value of one JSON text; -1 if it is not valid JSON. */
int tml_json_push(lua_State *L, const char *json, size_t len);
/* Append the value at idx as JSON to out; -1 with a message in err if it
 * cannot be (a function, NaN, a string that is not UTF-8, a cycle, or
 * "out of memory"). */
int tml_json_encode(lua_State *L, int idx, kit_buf *out, char *err, size_t errsz);
/* The same for an entity's attrs: string keys starting with "_" (a rule's
 * own notes) are left out, and a table of notes alone is not written at
 * all (*none), as if it were nil. */
int tml_json_encode_public(lua_State *L, int idx, kit_buf *out, char *err, size_t errsz, bool *none);

#endif
