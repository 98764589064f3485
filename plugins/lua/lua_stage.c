/* lua_stage.c -- `type: lua`: extraction rules written in Lua.
 *
 * Each worker owns a Lua state (the stage is parallel-safe, and the host
 * makes one instance per worker). A document crosses into Lua once, as a
 * userdata whose text is pushed once; fields, entities and verdicts go
 * straight to the host's document. By default a script runs in a sandbox
 * with a per-document budget of time and memory (and, if asked, of
 * instructions); the time budget is watched from another thread
 * (watchdog.c), so it costs nothing per instruction. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <textmill/textmill.h>

#include "guards.h"
#include "tml_core.h"
#include "tml_match.h"
#include "watchdog.h"

#define DOC_MT "textmill.document"
#define HOOK_STEP 1000 /* instructions between limit checks */
#define NO_FIELD SIZE_MAX

typedef struct lstage {
	lua_State *L;
	tm_ctx *ctx;
	tml_state ts; /* the state's extra space points here */
	char *script, *dir, *rule_name, *lib_dir, *data_dir;
	char *roots[5]; /* real paths a sandboxed script may read under, NULL-ended */
	int trusted;
	char *conf_dir;           /* the config file's folder (NULL: none), read in create() */
	const char *init_options; /* init()'s options as JSON (the host's), NULL: none */
	kit_buf error;            /* what went wrong building the state, before it has a ctx */
	size_t mem_used, mem_limit, max_memory;
	tml_alloc blocks; /* small freed blocks, for the state's next requests */
	long long max_instructions, instructions_left;
	int limit_hit; /* which budget ran out: 'm', 'i' or 't' */
	int process_ref, finish_ref;
	long long entities;
	kit_buf json; /* add_entity's value and attrs, reused */

	double max_seconds;
	char max_seconds_text[32];
	watch watch;           /* max_seconds, from the watchdog thread */
	guard guard;           /* the budgets' hook where Lua would run without it */
	int clock_hook;        /* no signal to use: check the clock in count_hook */
	long long deadline_ns; /* clock_hook only */

	/* The first instance builds the other workers' states on threads of
	 * their own while it builds its own (see start_spares): spare[w] for
	 * worker w, until that worker's create() takes it. */
	const tm_options *opts; /* which stage: the host's options, one per stage */
	struct lstage **spare;
	pthread_t *builder;
	unsigned n_spare;
	int building; /* a thread builds this spare state (join it before use) */
	int build_rc;
	struct lstage *next_first; /* the list of first instances with spares */
} lstage;

/* What the stage's options fill (lstage_options). */
typedef struct lstage_settings {
	const char *script;
	const char *options; /* JSON */
	int trusted;
	double max_seconds;
	long long max_instructions, max_memory_mb;
} lstage_settings;

typedef struct doc_handle {
	tm_doc *doc;
	lstage *st;
} doc_handle;

/* ---- budgets ----------------------------------------------------------- */

static void *budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	lstage *st = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		tml_alloc_realloc(&st->blocks, ptr, osize, 0);
		st->mem_used -= old;
		return NULL;
	}
	if (nsize > old && st->mem_used + (nsize - old) > st->mem_limit) {
		st->limit_hit = 'm';
		return NULL;
	}
	void *p = tml_alloc_realloc(&st->blocks, ptr, osize, nsize);
	if (p)
		st->mem_used = st->mem_used - old + nsize;
	return p;
}

/* The C memory of the module's objects (tml_state.take/give): the same
 * count and limit as the state's Lua memory. */
static int budget_take(void *owner, size_t bytes)
{
	lstage *st = owner;
	if (bytes > st->mem_limit - st->mem_used) {
		st->limit_hit = 'm';
		return -1;
	}
	st->mem_used += bytes;
	return 0;
}

static void budget_give(void *owner, size_t bytes)
{
	lstage *st = owner;
	st->mem_used -= bytes;
}

/* The error of the budget that ran out: 't' time unless it was 'i'. */
static void limit_error(lua_State *L, lstage *st)
{
	if (st->limit_hit == 'i')
		luaL_error(L, "instruction limit exceeded (max_instructions: %I per document)",
			   (lua_Integer)st->max_instructions);
	st->limit_hit = 't';
	luaL_error(L, "time limit exceeded (max_seconds: %s per document)", st->max_seconds_text);
}

/* Set once a document is over a budget (by the watchdog's signal handler,
 * or by count_hook). It stays set and fires at every instruction, so a
 * script that catches the error with pcall gets it again at once. */
static void over_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	limit_error(L, tml_get_state(L)->owner);
}

static void over_budget(lua_State *L, lstage *st, int which)
{
	st->limit_hit = which;
	lua_sethook(st->L, over_hook, LUA_MASKCOUNT, 1);
	if (L != st->L)
		lua_sethook(L, over_hook, LUA_MASKCOUNT, 1); /* a coroutine */
	limit_error(L, st);
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	lstage *st = tml_get_state(L)->owner;
	if (st->max_instructions) {
		st->instructions_left -= HOOK_STEP;
		if (st->instructions_left < 0)
			over_budget(L, st, 'i');
	}
	if (st->clock_hook && watch_now_ns() > st->deadline_ns)
		over_budget(L, st, 't');
}

/* ---- per document ---------------------------------------------------------- */

static void budgets_on(lstage *st)
{
	st->limit_hit = 0;
	st->mem_limit = st->max_memory ? st->mem_used + st->max_memory : (size_t)-1;
	if (st->max_instructions)
		st->instructions_left = st->max_instructions;
	if (st->clock_hook)
		st->deadline_ns = watch_now_ns() + st->watch.limit_ns;
	if (st->max_instructions || st->clock_hook)
		lua_sethook(st->L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
	if (st->watch.watched)
		watch_begin(&st->watch);
}

static void budgets_off(lstage *st)
{
	if (st->watch.watched)
		watch_end(&st->watch);
	st->mem_limit = (size_t)-1;
	lua_sethook(st->L, NULL, 0, 0); /* also the one the signal handler may have set */
}

/* A document that no hook can reach any more (a trusted script's __gc
 * or debug hook looping with hooks off). Its state cannot be abandoned:
 * the worker thread is inside it and may hold its locks. So the run ends,
 * as on SIGTERM: nothing is committed and the temporary files go. */
static void on_stuck(watch *w, double seconds)
{
	lstage *st = (lstage *)((char *)w - offsetof(lstage, watch));
	tm_log(st->ctx,
	       "%s: a document has run for %.0f s, past max_seconds (%s), in code that no "
	       "budget can stop (a finalizer or hook of a trusted script); stopping the run",
	       st->rule_name, seconds, st->max_seconds_text);
	kill(getpid(), SIGTERM);
}

/* ---- errors -------------------------------------------------------------- */

static int traceback(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* An error of the stage: into its context, or, while its state is built
 * on a thread of its own (no context yet), into st->error for create(). */
static int stage_fail(lstage *st, const char *fmt, ...) KIT_PRINTF(2, 3);
static int stage_fail(lstage *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (st->ctx) {
		tm_vfail(st->ctx, fmt, ap);
	} else {
		kit_buf_clear(&st->error);
		kit_buf_vprintf(&st->error, fmt, ap);
	}
	va_end(ap);
	return TM_ERROR;
}

/* Call the function below nargs arguments with a traceback handler;
 * on failure record "what: message" in the context. */
static int protected_call(lstage *st, int nargs, const char *what)
{
	lua_State *L = st->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, traceback);
	lua_insert(L, base);
	int rc = lua_pcall(L, nargs, 0, base);
	lua_remove(L, base);
	if (rc == LUA_OK)
		return TM_OK;
	if (rc == LUA_ERRMEM || st->limit_hit == 'm')
		stage_fail(st,
			   "lua-limit: %s used more than max_memory_mb (%zu MB) of memory (Lua's, and "
			   "the regexes and gazetteers it made)",
			   what, st->max_memory >> 20);
	else if (st->limit_hit == 'i' || st->limit_hit == 't')
		stage_fail(st, "lua-limit: %s: %s", what, lua_tostring(L, -1));
	else
		stage_fail(st, "lua-error: %s: %s", what, lua_tostring(L, -1));
	lua_pop(L, 1);
	return TM_ERROR;
}

/* ---- the document object ------------------------------------------------ */

static doc_handle *check_doc(lua_State *L)
{
	doc_handle *h = tml_checkudata(L, 1, DOC_MT);
	if (!h->doc)
		luaL_error(L, "this document is gone: keep what you need from it, not the document itself");
	return h;
}

/* A field name, entity type or rule name from a script: a NUL inside would
 * cut it short on the C side, so two different names would become one. */
/* A field's name, an entity's type or rule: text with no NUL, checked
 * here so that a script's pcall catches a bad one (the host, given it,
 * would reject the whole document). Most are short and ASCII: one pass
 * looks for a NUL and a byte above 0x7F. */
static const char *name_arg(lua_State *L, const char *s, size_t len, const char *what)
{
	if (!s)
		return s;
	unsigned char high = 0;
	size_t i = 0;
	for (; i < len && s[i]; i++)
		high |= (unsigned char)s[i];
	if (i != len)
		luaL_error(L, "%s holds a NUL character (\\0)", what);
	if ((high & 0x80) && !kit_utf8_valid(s, len))
		luaL_error(L, "%s is not valid UTF-8", what);
	return s;
}

static int doc_field(lua_State *L)
{
	doc_handle *h = check_doc(L);
	size_t len;
	const char *key = luaL_checklstring(L, 2, &len);
	const char *json = tm_doc_meta_json(h->doc, name_arg(L, key, len, "field: the name"));
	if (!json || tml_json_push(L, json, strlen(json)))
		lua_pushnil(L);
	return 1;
}

static int doc_set_field(lua_State *L)
{
	doc_handle *h = check_doc(L);
	size_t len;
	const char *name = luaL_checklstring(L, 2, &len);
	name_arg(L, name, len, "set_field: the name");
	luaL_checkany(L, 3);
	if (lua_isnil(L, 3)) {
		tm_doc_remove_meta(h->doc, name);
		return 0;
	}
	kit_buf json = {0};
	char err[200];
	if (tml_json_encode(L, 3, &json, err, sizeof err)) {
		kit_buf_free(&json);
		return luaL_error(L, "set_field('%s'): %s", name, err);
	}
	int rc = tm_doc_set_meta_json(h->doc, name, json.p, json.len);
	kit_buf_free(&json);
	if (rc)
		return luaL_error(L, "set_field('%s'): the host refused the value", name);
	return 0;
}

static int is_continuation(const char *text, size_t off) { return ((unsigned char)text[off] & 0xC0) == 0x80; }

/* The fields of an entity table, interned once (tml_push_keys): the
 * document's methods carry them as upvalues; add_entity reads six fields
 * of thousands of tables per document. */
enum { E_TYPE, E_START, E_STOP, E_RULE, E_VALUE, E_ATTRS, NENTITY_KEYS };
static const char *const entity_keys[NENTITY_KEYS] = {"type", "start", "stop", "rule", "value", "attrs"};

/* Does the table at t have a metatable? */
static bool has_metatable(lua_State *L, int t)
{
	if (!lua_getmetatable(L, t))
		return false;
	lua_pop(L, 1);
	return true;
}

/* Push field k (E_) of the entity table at t (an absolute index); its
 * type. A table without a metatable (every one the pack makes) is read
 * with lua_rawget, the same value without lua_gettable's look for a
 * metamethod; one with a metatable through lua_gettable, which honours
 * its __index. */
static int entity_field(lua_State *L, int t, int k, bool raw)
{
	lua_pushvalue(L, lua_upvalueindex(1 + k));
	return raw ? lua_rawget(L, t) : lua_gettable(L, t);
}

/* Append the field k (E_) of the entity table at idx to out as JSON and a
 * NUL; return where it starts, or NO_FIELD if the field is nil. */
static size_t field_json(lua_State *L, int idx, int k, bool raw, kit_buf *out)
{
	const char *key = entity_keys[k];
	int t = entity_field(L, idx, k, raw);
	if (t == LUA_TNIL) {
		lua_pop(L, 1);
		return NO_FIELD;
	}
	size_t at = out->len;
	char err[200];
	if (tml_json_encode(L, -1, out, err, sizeof err))
		luaL_error(L, "add_entity: %s: %s", key, err); /* out is the stage's: nothing leaks */
	kit_buf_putc(out, 0);                                  /* the NUL that ends this text */
	if (kit_buf_failed(out))
		luaL_error(L, "add_entity: %s: %s", key, KIT_OOM);
	lua_pop(L, 1);
	return at;
}

/* An entity's type, span (Lua positions) and rule, read and checked. */
typedef struct entity_head {
	const char *type, *rule;
	lua_Integer start, stop;
} entity_head;

/* Read the type, start, stop and rule of the table at t (an absolute
 * index) into e, checked as add_entity says, and leave those four values
 * on the stack (they hold the strings e points to); raw as entity_field. */
static void read_head(lua_State *L, doc_handle *h, int t, bool raw, entity_head *e)
{
	size_t len;
	const char *text = tm_doc_text(h->doc, &len);
	entity_field(L, t, E_TYPE, raw);
	entity_field(L, t, E_START, raw);
	entity_field(L, t, E_STOP, raw);
	entity_field(L, t, E_RULE, raw);
	size_t type_len, rule_len = 0;
	const char *type = lua_tolstring(L, -4, &type_len);
	name_arg(L, type, type_len, "add_entity: type");
	int ok_start, ok_stop;
	lua_Integer start = lua_tointegerx(L, -3, &ok_start), stop = lua_tointegerx(L, -2, &ok_stop);
	const char *rule = h->st->rule_name;
	if (!lua_isnil(L, -1)) {
		rule = lua_tolstring(L, -1, &rule_len);
		name_arg(L, rule, rule_len, "add_entity: rule");
	}
	if (!type || !*type)
		luaL_error(L, "add_entity: needs type = \"NAME\"");
	if (!ok_start || !ok_stop)
		luaL_error(L, "add_entity: needs integer start and stop (Lua positions: 1-based, stop inclusive)");
	if (start < 1 || stop < start || (size_t)stop > len)
		luaL_error(L, "add_entity: %s span %d..%d is outside the text (1..%d) or empty", type, (int)start,
			   (int)stop, (int)len);
	if (is_continuation(text, (size_t)start - 1) || ((size_t)stop < len && is_continuation(text, (size_t)stop)))
		luaL_error(L, "add_entity: %s span %d..%d cuts a UTF-8 character (positions count bytes)", type,
			   (int)start, (int)stop);
	e->type = type, e->rule = rule, e->start = start, e->stop = stop;
}

/* Add the entity of the table at t whose head e was read. With private,
 * attrs keys starting with "_" (a rule's own notes) are left out. Its
 * metatable is asked for again: an __index run since the head was read
 * may have given it one. */
static void add_entity_head(lua_State *L, doc_handle *h, int t, const entity_head *e, bool private)
{
	bool raw = !has_metatable(L, t);
	/* Both texts go to one buffer of the stage's, kept between calls;
	 * offsets, as the second may move the first. */
	kit_buf *json = &h->st->json;
	kit_buf_clear(json);
	size_t value_at = field_json(L, t, E_VALUE, raw, json);
	int attrs_type = entity_field(L, t, E_ATTRS, raw);
	if (attrs_type != LUA_TNIL && attrs_type != LUA_TTABLE)
		luaL_error(L, "add_entity: attrs must be a table");
	size_t attrs_at = NO_FIELD;
	if (attrs_type == LUA_TTABLE && private) {
		/* the notes are left out as the table is written, not copied out first */
		char err[200];
		bool none;
		attrs_at = json->len;
		if (tml_json_encode_public(L, -1, json, err, sizeof err, &none))
			luaL_error(L, "add_entity: attrs: %s", err);
		if (none) {
			attrs_at = NO_FIELD;
		} else {
			kit_buf_putc(json, 0);
			if (kit_buf_failed(json))
				luaL_error(L, "add_entity: attrs: %s", KIT_OOM);
		}
	} else if (attrs_type == LUA_TTABLE) {
		attrs_at = field_json(L, t, E_ATTRS, raw, json);
	}
	lua_pop(L, 1);
	const char *value_json = value_at == NO_FIELD ? NULL : json->p + value_at;
	const char *attrs_json = attrs_at == NO_FIELD ? NULL : json->p + attrs_at;
	if (attrs_json && attrs_json[0] == '[') /* an empty or list-like table: attrs are an object */
		attrs_json = "{}";
	/* Lua 1-based inclusive [start, stop] is 0-based exclusive [start-1, stop). */
	/* the JSON is tml_json_encode's: the host need not parse it again */
	int rc = tm_doc_add_entity_written(h->doc, e->type, (size_t)e->start - 1, (size_t)e->stop, value_json,
					   attrs_json, e->rule);
	if (rc)
		luaL_error(L, "add_entity: the host refused the %s entity", e->type);
	h->st->entities++;
}

/* Add the entity described by the table at index t (see add_entity). */
static void add_entity_at(lua_State *L, doc_handle *h, int t, bool private)
{
	entity_head e;
	read_head(L, h, t, !has_metatable(L, t), &e);
	add_entity_head(L, h, t, &e, private);
	lua_pop(L, 4);
}

static int doc_add_entity(lua_State *L)
{
	doc_handle *h = check_doc(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	add_entity_at(L, h, 2, false);
	return 0;
}

/* How far the entities of one type added so far reach. */
typedef struct {
	const char *type;
	lua_Integer stop;
} type_reach;

/* Does s (in text order after those of reach[0..*n)) share no byte with
 * an entity of its type before it? Every one before starts at or before
 * it, so the furthest stop of its type answers; then s is counted. */
static bool apart(type_reach *reach, size_t *n, const tml_span *s)
{
	size_t i = 0;
	while (i < *n && reach[i].type != s->type && strcmp(reach[i].type, s->type) != 0)
		i++;
	if (i == *n) {
		reach[(*n)++] = (type_reach){s->type, s->stop};
		return true;
	}
	if (s->start <= reach[i].stop)
		return false;
	reach[i].stop = s->stop;
	return true;
}

/* The list at 2 (its items 1..#list) in text order, as
 * textmill.sort_spans orders it: each item's head is read and checked
 * first, then the heads sorted in C and the items added; the list itself
 * is left as it is. The type and rule of an item with a metatable (which
 * an __index function may have made) are anchored in a table meanwhile.
 * With disjoint, an item that shares a byte with one of its type added
 * before it is left out (at one start the longer comes first). */
static void add_in_text_order(lua_State *L, doc_handle *h, bool disjoint)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
	if (n > 0x3fffffff)
		luaL_error(L, "add_entities: too many entities");
	size_t item = sizeof(tml_span) + sizeof(const char *) + (disjoint ? sizeof(type_reach) : 0);
	tml_span *v = lua_newuserdatauv(L, (size_t)n * item + 1, 0); /* 3 */
	const char **rules = (const char **)(v + n);
	type_reach *reach = (type_reach *)(rules + n);
	size_t types = 0;
	lua_pushnil(L); /* 4: the anchors, made when first needed */
	for (lua_Integer i = 0; i < n; i++) {
		if (lua_rawgeti(L, 2, i + 1) != LUA_TTABLE) /* 5 */
			luaL_error(L, "add_entities: item %I is not a table", i + 1);
		bool meta = has_metatable(L, 5);
		entity_head e;
		read_head(L, h, 5, !meta, &e); /* 6..9: type, start, stop, rule */
		if (meta) {
			if (lua_isnil(L, 4)) {
				lua_newtable(L);
				lua_replace(L, 4);
			}
			lua_pushvalue(L, 6);
			lua_rawseti(L, 4, 2 * i + 1);
			lua_pushvalue(L, 9);
			lua_rawseti(L, 4, 2 * i + 2);
		}
		lua_settop(L, 4);
		v[i] = (tml_span){.start = e.start, .stop = e.stop, .type = e.type, .pos = (int)(i + 1)};
		rules[i] = e.rule;
	}
	tml_sort_places(L, v, n);
	for (lua_Integer i = 0; i < n; i++) {
		if (disjoint && !apart(reach, &types, &v[i]))
			continue;
		lua_rawgeti(L, 2, v[i].pos);
		entity_head e = {v[i].type, rules[v[i].pos - 1], v[i].start, v[i].stop};
		add_entity_head(L, h, lua_gettop(L), &e, true);
		lua_pop(L, 1);
	}
}

static int by_name(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* The lists by type at 2 (type name -> list, as pack:find_by_type gives
 * them and the phases keep them) gathered into one list, which takes
 * their place: the types in the order of their names (the table's own
 * order changes from run to run), each list in its order. */
static void gather_by_type(lua_State *L)
{
	lua_Integer total = 0;
	int ntypes = 0;
	lua_newtable(L); /* 3: the names */
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "add_entities: by_type: a key is not a type's name");
		if (!lua_istable(L, -1))
			luaL_error(L, "add_entities: by_type: %s is not a list", lua_tostring(L, -2));
		total += (lua_Integer)lua_rawlen(L, -1);
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, 3, ++ntypes);
	}
	if (total > 0x3fffffff)
		luaL_error(L, "add_entities: too many entities");
	/* the names, anchored in 3, sorted */
	const char **names = lua_newuserdatauv(L, (size_t)ntypes * sizeof *names + 1, 0); /* 4 */
	for (int i = 0; i < ntypes; i++) {
		lua_rawgeti(L, 3, i + 1);
		names[i] = lua_tostring(L, -1);
		lua_pop(L, 1);
	}
	qsort(names, (size_t)ntypes, sizeof *names, by_name);
	lua_createtable(L, (int)total, 0); /* 5: all */
	lua_Integer n = 0;
	for (int i = 0; i < ntypes; i++) {
		lua_pushstring(L, names[i]);
		lua_rawget(L, 2);
		lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
		for (lua_Integer j = 1; j <= len; j++) {
			if (lua_rawgeti(L, -1, j) != LUA_TTABLE) /* named here, where its list is known */
				luaL_error(L, "add_entities: by_type: item %I of %s is not a table", j, names[i]);
			lua_rawseti(L, 5, ++n);
		}
		lua_pop(L, 1);
	}
	lua_replace(L, 2);
	lua_settop(L, 2);
}

/* doc:add_entities(list [, {sort = true, disjoint = true, by_type = true}]):
 * add_entity for each table of the list, in one call (with sort, in text
 * order; with disjoint, in text order and no two of one type sharing a
 * byte; with by_type, the list is a table of lists by type); attrs keys
 * starting with "_" are a rule's own notes and are not written (a table
 * left with none is no attrs). */
static int doc_add_entities(lua_State *L)
{
	doc_handle *h = check_doc(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	bool sort = false, disjoint = false, by_type = false;
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		lua_getfield(L, 3, "sort");
		sort = lua_toboolean(L, -1);
		lua_getfield(L, 3, "disjoint");
		disjoint = lua_toboolean(L, -1);
		lua_getfield(L, 3, "by_type");
		by_type = lua_toboolean(L, -1);
		lua_pop(L, 3);
	}
	lua_settop(L, 2);
	if (by_type)
		gather_by_type(L);
	if (sort || disjoint) {
		add_in_text_order(L, h, disjoint);
		return 0;
	}
	for (lua_Integer i = 1; lua_rawgeti(L, 2, i) != LUA_TNIL; i++) {
		if (!lua_istable(L, -1))
			luaL_error(L, "add_entities: item %I is not a table", i);
		add_entity_at(L, h, lua_gettop(L), true);
		lua_pop(L, 1);
	}
	return 0;
}

static void push_entity(lua_State *L, tm_doc *doc, const tm_entity *e)
{
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	lua_createtable(L, 0, 7);
	lua_pushstring(L, e->type);
	lua_setfield(L, -2, "type");
	lua_pushinteger(L, (lua_Integer)e->start + 1);
	lua_setfield(L, -2, "start");
	lua_pushinteger(L, (lua_Integer)e->end);
	lua_setfield(L, -2, "stop");
	lua_pushlstring(L, text + e->start, e->end - e->start);
	lua_setfield(L, -2, "text");
	if (e->value_json && tml_json_push(L, e->value_json, strlen(e->value_json)) == 0)
		lua_setfield(L, -2, "value");
	if (e->attrs_json && tml_json_push(L, e->attrs_json, strlen(e->attrs_json)) == 0)
		lua_setfield(L, -2, "attrs");
	if (e->rule) {
		lua_pushstring(L, e->rule);
		lua_setfield(L, -2, "rule");
	}
}

static int doc_entities(lua_State *L)
{
	doc_handle *h = check_doc(L);
	const char *type = luaL_optstring(L, 2, NULL);
	size_t n = tm_doc_entity_count(h->doc);
	lua_createtable(L, (int)n, 0);
	lua_Integer k = 0;
	for (size_t i = 0; i < n; i++) {
		const tm_entity *e = tm_doc_entity(h->doc, i);
		if (type && strcmp(type, e->type))
			continue;
		push_entity(L, h->doc, e);
		lua_rawseti(L, -2, ++k);
	}
	return 1;
}

static int doc_drop(lua_State *L)
{
	doc_handle *h = check_doc(L);
	tm_doc_drop(h->doc, luaL_optstring(L, 2, "dropped-by-script"));
	return 0;
}

static int doc_index(lua_State *L)
{
	doc_handle *h = check_doc(L);
	const char *key = luaL_checkstring(L, 2);
	if (!strcmp(key, "text"))
		lua_getiuservalue(L, 1, 1);
	else if (!strcmp(key, "id"))
		lua_pushstring(L, tm_doc_id(h->doc));
	else if (!strcmp(key, "source"))
		lua_pushstring(L, tm_doc_source(h->doc));
	else
		lua_getfield(L, lua_upvalueindex(1), key); /* a method, or nil */
	return 1;
}

static int doc_newindex(lua_State *L)
{
	return luaL_error(L, "a document's fields are set with doc:set_field(name, value), not doc.%s = ...",
			  luaL_checkstring(L, 2));
}

static void register_document(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"field", doc_field},
		{"set_field", doc_set_field},
		{"add_entity", doc_add_entity},
		{"add_entities", doc_add_entities},
		{"entities", doc_entities},
		{"drop", doc_drop},
		{NULL, NULL},
	};
	luaL_newmetatable(L, DOC_MT);
	luaL_newlibtable(L, methods);
	tml_push_keys(L, entity_keys, NENTITY_KEYS); /* each method's upvalues */
	luaL_setfuncs(L, methods, NENTITY_KEYS);
	lua_pushcclosure(L, doc_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, doc_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pop(L, 1);
}

/* ---- the sandbox --------------------------------------------------------- */

static int valid_module_name(const char *name)
{
	if (!*name || name[0] == '.')
		return 0;
	for (const char *p = name; *p; p++)
		if (!(*p == '_' || *p == '.' || *p == '-' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')) ||
		    (p[0] == '.' && p[1] == '.'))
			return 0;
	return 1;
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* require() in the sandbox: Lua files from the script's folder and the
 * shared rule library only; modules are cached as usual. */
static int sandbox_require(lua_State *L)
{
	lstage *st = tml_get_state(L)->owner;
	const char *name = luaL_checkstring(L, 1);
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_getfield(L, -1, name);
	if (lua_toboolean(L, -1))
		return 1;
	lua_pop(L, 1);
	if (!valid_module_name(name))
		return luaL_error(L, "require: '%s' is not a module name", name);
	char rel[PATH_MAX];
	snprintf(rel, sizeof rel, "%s", name);
	for (char *p = rel; *p; p++)
		if (*p == '.')
			*p = '/';
	const char *dirs[] = {st->dir, st->lib_dir};
	luaL_Buffer tried;
	luaL_buffinit(L, &tried);
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		if (!dirs[i])
			continue;
		char path[PATH_MAX * 2];
		snprintf(path, sizeof path, "%s/%s.lua", dirs[i], rel);
		if (!file_exists(path)) {
			luaL_addstring(&tried, "\n\tno file '");
			luaL_addstring(&tried, path);
			luaL_addstring(&tried, "'");
			continue;
		}
		luaL_pushresult(&tried);
		lua_pop(L, 1);
		char real[PATH_MAX];
		tml_resolve_readable(L, "require", path, path, real); /* a symlink out of the folder */
		if (luaL_loadfilex(L, real, "t"))
			return lua_error(L);
		lua_pushstring(L, name);
		lua_pushstring(L, path);
		lua_call(L, 2, 1);
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1);
			lua_pushboolean(L, 1);
		}
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, name);
		return 1;
	}
	luaL_pushresult(&tried);
	return luaL_error(L, "module '%s' not found (the sandbox looks in the script's folder and scripts/lib):%s",
			  name, lua_tostring(L, -1));
}

/* load() without binary chunks, which could break the VM. */
static int sandbox_load(lua_State *L)
{
	int nargs = lua_gettop(L);
	lua_settop(L, 4);
	lua_pushvalue(L, lua_upvalueindex(1)); /* the real load */
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushliteral(L, "t");
	if (nargs >= 4) /* an explicit env, even nil, must stay explicit */
		lua_pushvalue(L, 4);
	lua_call(L, nargs >= 4 ? 4 : 3, 2);
	return 2;
}

/* print() goes to stderr, tagged with the script: stdout may be an output. */
static int script_print(lua_State *L)
{
	lstage *st = tml_get_state(L)->owner;
	int n = lua_gettop(L); /* before the buffer takes a slot */
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	fprintf(stderr, "%s: %s\n", st->rule_name, lua_tostring(L, -1));
	return 0;
}

static void open_libraries(lstage *st)
{
	lua_State *L = st->L;
	if (st->trusted) {
		luaL_openlibs(L);
		/* Trusted scripts keep the standard require, told where to look. */
		lua_getglobal(L, "package");
		lua_pushfstring(L, "%s/?.lua;%s/?.lua;", st->dir, st->lib_dir ? st->lib_dir : st->dir);
		lua_getfield(L, -2, "path");
		lua_concat(L, 2);
		lua_setfield(L, -2, "path");
		lua_pop(L, 1);
	} else {
		static const luaL_Reg safe[] = {
			{LUA_GNAME, luaopen_base},
			{LUA_TABLIBNAME, luaopen_table},
			{LUA_STRLIBNAME, luaopen_string},
			{LUA_MATHLIBNAME, luaopen_math},
			{LUA_UTF8LIBNAME, luaopen_utf8},
			{LUA_COLIBNAME, luaopen_coroutine},
			{NULL, NULL},
		};
		for (const luaL_Reg *lib = safe; lib->func; lib++) {
			luaL_requiref(L, lib->name, lib->func, 1);
			lua_pop(L, 1);
		}
		/* Of os, only the clock and calendar. */
		lua_pushcfunction(L, luaopen_os);
		lua_call(L, 0, 1);
		lua_newtable(L);
		static const char *const keep[] = {"time", "date", "clock", "difftime"};
		for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
			lua_getfield(L, -2, keep[i]);
			lua_setfield(L, -2, keep[i]);
		}
		lua_setglobal(L, "os");
		lua_pop(L, 1);
		lua_getglobal(L, "load");
		lua_pushcclosure(L, sandbox_load, 1);
		lua_setglobal(L, "load");
		lua_pushnil(L);
		lua_setglobal(L, "dofile");
		lua_pushnil(L);
		lua_setglobal(L, "loadfile");
		lua_pushcfunction(L, sandbox_require);
		lua_setglobal(L, "require");
	}
	st->guard.watch = st->watch.watched ? &st->watch : NULL;
	st->guard.limit_hit = &st->limit_hit;
	st->guard.over_hook = over_hook;
	guards_install(L, &st->guard, !st->trusted);
	lua_pushcfunction(L, script_print);
	lua_setglobal(L, "print");
	luaL_requiref(L, "textmill", tml_open, 1);
	lua_pop(L, 1);
	register_document(L);
}

/* ---- where the shared rule library and the gazetteers are ----------------- */

/* A copy of the n bytes of s; a failed copy sets *oom, so that a folder
 * that is there is never taken for one that is not. */
static char *dup_noting(const char *s, size_t n, int *oom)
{
	char *copy = strndup(s, n);
	if (!copy)
		*oom = 1;
	return copy;
}

/* A folder installed at from_plugins (relative to this plugin's folder),
 * else the one in the source tree, else NULL. */
static char *find_dir(const char *from_plugins, const char *in_source, int *oom)
{
	Dl_info info;
	char path[PATH_MAX * 2];
	struct stat st;
	if (dladdr((void *)find_dir, &info) && info.dli_fname) {
		const char *slash = strrchr(info.dli_fname, '/');
		if (slash) {
			snprintf(path, sizeof path, "%.*s/%s", (int)(slash - info.dli_fname), info.dli_fname,
				 from_plugins);
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				return dup_noting(path, strlen(path), oom);
		}
	}
	if (stat(in_source, &st) == 0 && S_ISDIR(st.st_mode))
		return dup_noting(in_source, strlen(in_source), oom);
	return NULL;
}

/* The folder of the config file the stage was written in: where its
 * `script` option was, "FILE:LINE:COL" (or "--set ...": none). */
static char *config_dir(const tm_options *opts, int *oom)
{
	char file[PATH_MAX];
	snprintf(file, sizeof file, "%s", tm_opt_where(opts, "script"));
	for (int fields = 0; fields < 2; fields++) {
		char *colon = strrchr(file, ':');
		if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
			return NULL;
		*colon = '\0';
	}
	if (!file_exists(file))
		return NULL;
	char *slash = strrchr(file, '/');
	return slash ? dup_noting(file, (size_t)(slash - file), oom) : dup_noting(".", 1, oom);
}

/* The folders a sandboxed script may read files under, as real paths:
 * those require looks in, the config's and the project's gazetteers. */
static int set_read_roots(lstage *st)
{
	const char *dirs[] = {st->dir, st->conf_dir, st->lib_dir, st->data_dir};
	size_t n = 0;
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char real[PATH_MAX];
		if (dirs[i] && realpath(dirs[i], real) && !(st->roots[n++] = strdup(real)))
			return -1;
	}
	st->roots[n] = NULL;
	st->ts.read_roots = (const char *const *)st->roots;
	return 0;
}

/* ---- the stage ------------------------------------------------------------- */

static void lstage_destroy(void *state);

/* The stage's settings, without a Lua state yet; NULL: out of memory.
 * Reads nothing of opts after it returns (the options' JSON is the
 * host's, there for the whole run), so a state can be built elsewhere. */
static lstage *stage_new(const tm_options *opts)
{
	lstage *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->opts = opts;
	st->process_ref = st->finish_ref = LUA_NOREF;
	st->mem_limit = (size_t)-1;
	const lstage_settings *set = tm_opt_settings(opts);
	st->trusted = set->trusted;
	st->init_options = set->options;
	st->max_instructions = set->max_instructions;
	st->max_seconds = set->max_seconds;
	if (st->max_seconds > 1e9) /* more than 30 years: no limit, and no overflow */
		st->max_seconds = 0;
	st->max_memory = (size_t)set->max_memory_mb << 20;
	snprintf(st->max_seconds_text, sizeof st->max_seconds_text, "%g", st->max_seconds);
	st->watch.limit_ns = (long long)(st->max_seconds * 1e9);
	if (st->max_seconds > 0 && st->watch.limit_ns < 1)
		st->watch.limit_ns = 1;
	st->watch.on_time = over_hook;
	st->watch.on_stuck = on_stuck;
	int oom = 0;
	const char *script = set->script, *slash = strrchr(script, '/');
	st->script = dup_noting(script, strlen(script), &oom);
	st->dir = slash ? dup_noting(script, (size_t)(slash - script), &oom) : dup_noting(".", 1, &oom);
	st->rule_name = slash ? dup_noting(slash + 1, strlen(slash + 1), &oom)
			      : dup_noting(script, strlen(script), &oom);
	st->lib_dir = find_dir(TM_LUA_INSTALLED_LIB_FROM_PLUGINS, TM_LUA_SOURCE_LIB, &oom);
	st->data_dir = find_dir(TM_LUA_INSTALLED_DATA_FROM_PLUGINS, TM_LUA_SOURCE_DATA, &oom);
	st->conf_dir = config_dir(opts, &oom);
	if (oom) {
		lstage_destroy(st);
		return NULL;
	}
	return st;
}

/* Registers the stage with the watchdog (ctx: where to say it cannot). */
static void stage_watch(tm_ctx *ctx, lstage *st)
{
	if (st->max_seconds <= 0)
		return;
	char why[160];
	static atomic_int told;
	if (watch_add(&st->watch, why, sizeof why)) {
		st->clock_hook = 1;
		if (!atomic_exchange(&told, 1)) /* once, not once per worker */
			tm_log(ctx,
			       "%s: %s; max_seconds is checked every %d Lua instructions instead, "
			       "which is slower (max_seconds: 0 turns it off)",
			       st->rule_name, why, HOOK_STEP);
	}
}

/* The Lua state: libraries, the script run, init(options). Touches
 * nothing but st, so the states of a stage's instances can be built at
 * the same time; errors through stage_fail. */
static int build_state(lstage *st)
{
	lua_State *L = st->L = st->watch.L = lua_newstate(budget_alloc, st);
	if (!L)
		return stage_fail(st, "cannot create a Lua state: out of memory");
	st->ts.owner = st;
	st->ts.take = budget_take;
	st->ts.give = budget_give;
	if (!st->trusted && set_read_roots(st))
		return stage_fail(st, "out of memory");
	*(tml_state **)lua_getextraspace(L) = &st->ts;
	open_libraries(st);
	lua_gc(L, LUA_GCGEN, 0, 0); /* rules make many short-lived tables: generational GC suits them */

	/* The script's directory, for gazetteer files named relative to it. */
	lua_pushstring(L, st->dir);
	lua_setfield(L, LUA_REGISTRYINDEX, "textmill.script_dir");
	/* The config file's folder, for the files its options name. */
	luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_getfield(L, -1, "textmill");
	char real[PATH_MAX];
	if (st->conf_dir && realpath(st->conf_dir, real))
		lua_pushstring(L, real);
	else
		lua_pushnil(L);
	lua_setfield(L, -2, "config_dir");
	lua_pop(L, 2);

	if (luaL_loadfilex(L, st->script, "t"))
		return stage_fail(st, "%s", lua_tostring(L, -1)); /* "SCRIPT:LINE: message" */
	if (protected_call(st, 0, st->rule_name))
		return TM_ERROR;
	lua_getglobal(L, "process");
	if (!lua_isfunction(L, -1))
		return stage_fail(st, "%s: the script defines no function process(doc)", st->script);
	st->process_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_getglobal(L, "finish");
	st->finish_ref = lua_isfunction(L, -1) ? luaL_ref(L, LUA_REGISTRYINDEX) : (lua_pop(L, 1), LUA_NOREF);
	lua_getglobal(L, "init");
	if (lua_isfunction(L, -1)) {
		/* As JSON, so its scalars are typed as the host types YAML. */
		if (!st->init_options)
			lua_newtable(L);
		else if (tml_json_push(L, st->init_options, strlen(st->init_options)))
			return stage_fail(st, "options: cannot hand them to Lua (out of memory?)");
		if (protected_call(st, 1, "init(options)"))
			return TM_ERROR;
	} else {
		lua_pop(L, 1);
	}
	return TM_OK;
}

/* ---- the other workers' states, built beside the first ------------------- */

/* Creating a Lua state runs the script and init(): the pack's is about
 * 80 million instructions, and the host creates a stage's instances one
 * after the other on its main thread, before any document moves. So the
 * first instance starts a thread for each other worker's state and builds
 * its own meanwhile; the other workers' create() take theirs (waiting for
 * the thread), each in its turn, and report its error as their own. A
 * state is only ever used by one thread at a time: its builder, then the
 * worker. */
static pthread_mutex_t firsts_lock = PTHREAD_MUTEX_INITIALIZER;
static lstage *firsts; /* first instances whose spares are not all taken */

static void *build_spare(void *arg)
{
	lstage *st = arg;
	st->build_rc = build_state(st);
	return NULL;
}

/* Starts building the states of workers 1 .. workers-1 (a thread that
 * cannot start leaves its state to be built when it is taken). */
static void start_spares(tm_ctx *ctx, lstage *first, unsigned workers)
{
	first->spare = calloc(workers, sizeof *first->spare);
	first->builder = calloc(workers, sizeof *first->builder);
	if (!first->spare || !first->builder)
		return; /* each worker builds its own */
	first->n_spare = workers;
	for (unsigned w = 1; w < workers; w++) {
		lstage *sp = stage_new(first->opts);
		if (!sp)
			break;
		stage_watch(ctx, sp);
		sp->building = pthread_create(&first->builder[w], NULL, build_spare, sp) == 0;
		first->spare[w] = sp;
	}
	pthread_mutex_lock(&firsts_lock);
	first->next_first = firsts;
	firsts = first;
	pthread_mutex_unlock(&firsts_lock);
}

/* Worker w's state from the first instance of the same stage, its build
 * ended; NULL: none (build one here). */
static lstage *take_spare(const tm_options *opts, unsigned w)
{
	lstage *sp = NULL;
	pthread_mutex_lock(&firsts_lock);
	for (lstage *f = firsts; f; f = f->next_first)
		if (f->opts == opts && w < f->n_spare && f->spare[w]) {
			sp = f->spare[w];
			f->spare[w] = NULL;
			if (sp->building)
				pthread_join(f->builder[w], NULL);
			else
				sp->build_rc = build_state(sp);
			break;
		}
	pthread_mutex_unlock(&firsts_lock);
	return sp;
}

/* The spares no worker took (a run that stopped before): waited for and
 * destroyed with the first instance. */
static void drop_spares(lstage *first)
{
	if (!first->n_spare)
		return;
	pthread_mutex_lock(&firsts_lock);
	for (lstage **p = &firsts; *p; p = &(*p)->next_first)
		if (*p == first) {
			*p = first->next_first;
			break;
		}
	pthread_mutex_unlock(&firsts_lock);
	for (unsigned w = 1; w < first->n_spare; w++) {
		lstage *sp = first->spare[w];
		if (sp && sp->building)
			pthread_join(first->builder[w], NULL);
		lstage_destroy(sp);
	}
	free(first->spare);
	free(first->builder);
	first->n_spare = 0;
}

/* ---- the stage ------------------------------------------------------------- */

static int lstage_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	unsigned worker = tm_ctx_worker(ctx);
	lstage *st = worker ? take_spare(opts, worker) : NULL;
	if (st) {
		*state = st;
		st->ctx = ctx;
		return st->build_rc ? tm_fail(ctx, "%s", kit_buf_str(&st->error)) : TM_OK;
	}
	if (!(st = stage_new(opts)))
		return tm_fail(ctx, "out of memory");
	*state = st;
	struct stat sb;
	if (stat(st->script, &sb))
		return tm_fail(ctx, "%s: script %s: %s", tm_opt_where(opts, "script"), st->script, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return tm_fail(ctx, "%s: script %s is %s, not a Lua file", tm_opt_where(opts, "script"), st->script,
			       S_ISDIR(sb.st_mode) ? "a folder" : "a device or another special file");
	stage_watch(ctx, st);
	if (worker == 0 && tm_ctx_workers(ctx) > 1)
		start_spares(ctx, st, tm_ctx_workers(ctx));
	st->ctx = ctx;
	return build_state(st);
}

/* On the workers, over a whole batch before any of its Lua work: the
 * lexicon of the script's first engine (the first instance's; another
 * instance's engine takes the matches when its lexicon is built the same
 * way) searched in each document, for begin() to take
 * (tml_gazetteer_ahead). One document after another, the automaton's
 * tables stay in the cache; between two documents' Lua work they had
 * left it, and the search took half as long again. */
static int lstage_prepare(tm_ctx *ctx, const void *state, tm_doc *doc)
{
	(void)ctx;
	const lstage *st = state;
	if (st->ts.lexicon) {
		size_t len;
		const char *text = tm_doc_text(doc, &len);
		tml_ahead *a = tml_ahead_find(st->ts.lexicon, text, len);
		if (a)
			tm_doc_stash(doc, a, free);
	}
	return TM_OK;
}

static int lstage_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	lstage *st = state;
	lua_State *L = st->L;
	int top = lua_gettop(L);
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	long long before = st->entities;

	lua_rawgeti(L, LUA_REGISTRYINDEX, st->process_ref);
	doc_handle *h = lua_newuserdatauv(L, sizeof *h, 1);
	h->doc = doc;
	h->st = st;
	luaL_setmetatable(L, DOC_MT);
	lua_pushlstring(L, text, len); /* the one copy of the text into Lua */
	st->ts.valid_text = lua_tostring(L, -1);
	st->ts.valid_len = len;
	st->ts.ahead = tm_doc_stashed(doc);
	lua_setiuservalue(L, -2, 1);

	char what[256];
	snprintf(what, sizeof what, "document '%s'", tm_doc_id(doc));
	budgets_on(st);
	int rc = protected_call(st, 1, what);
	budgets_off(st);
	h->doc = NULL;
	st->ts.valid_text = NULL;
	st->ts.ahead = NULL;
	if (st->limit_hit)
		lua_gc(L, LUA_GCCOLLECT); /* give back what the runaway document took */
	st->limit_hit = 0;                /* the guards look at it between documents too */
	lua_settop(L, top);
	if (st->entities > before)
		tm_count(ctx, "entities added", st->entities - before);
	return rc;
}

static int lstage_finish(tm_ctx *ctx, void *state)
{
	lstage *st = state;
	if (st->finish_ref == LUA_NOREF)
		return TM_OK;
	lua_rawgeti(st->L, LUA_REGISTRYINDEX, st->finish_ref);
	return protected_call(st, 0, "finish()");
}

/* ---- closing a state ------------------------------------------------------- */

typedef struct closer {
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	int done;
	lua_State *L;
} closer;

static void *close_state(void *arg)
{
	closer *c = arg;
	lua_close(c->L);
	pthread_mutex_lock(&c->lock);
	c->done = 1;
	pthread_cond_signal(&c->done_cond);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* lua_close runs the finalizers of a trusted script, with hooks off: a
 * loop in one would hang the end of the run, after the outputs were
 * committed. It runs on a thread of its own for at most `seconds`; after
 * that the state is left to it (0 is returned, and the caller must not
 * free what the state uses; the process ends soon). A sandboxed script
 * has no finalizers of its own (guards.c), so its state closes here. */
static int close_bounded(lua_State *L, double seconds, int trusted)
{
	if (!trusted) {
		lua_close(L);
		return 1;
	}
	closer *c = calloc(1, sizeof *c);
	pthread_t t;
	if (!c)
		return 0;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done_cond, NULL);
	c->L = L;
	if (pthread_create(&t, NULL, close_state, c)) {
		lua_close(L);
		c->done = 1;
	} else {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)seconds + 1;
		pthread_mutex_lock(&c->lock);
		while (!c->done && pthread_cond_timedwait(&c->done_cond, &c->lock, &until) == 0)
			;
		pthread_mutex_unlock(&c->lock);
		if (!c->done) {
			/* Keep this plugin and Lua loaded for the thread left running. */
			Dl_info self;
			if (dladdr((void *)close_state, &self) && self.dli_fname)
				dlopen(self.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
			pthread_detach(t);
			return 0; /* c stays: the thread still uses it */
		}
		pthread_join(t, NULL);
	}
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->done_cond);
	free(c);
	return 1;
}

static void lstage_destroy(void *state)
{
	lstage *st = state;
	if (!st)
		return;
	drop_spares(st);
	watch_remove(&st->watch);
	double bound = st->max_seconds > 0 ? st->max_seconds : 10;
	if (st->L && !close_bounded(st->L, bound, st->trusted)) {
		tm_log(st->ctx,
		       "%s: closing the Lua state took more than %g s (a __gc finalizer that does not "
		       "return?); it was left unfinished",
		       st->rule_name, bound + 1);
		return; /* the state still uses st */
	}
	tml_alloc_free_all(&st->blocks);
	kit_buf_free(&st->json);
	free(st->script);
	free(st->dir);
	free(st->rule_name);
	free(st->lib_dir);
	free(st->data_dir);
	free(st->conf_dir);
	kit_buf_free(&st->error);
	for (char **r = st->roots; *r; r++)
		free(*r);
	free(st);
}

#define FIELD(member) TM_FIELD(lstage_settings, member)

static const tm_option lstage_options[] = {
	{.name = "script",
	 .type = TM_OPT_PATH,
	 .required = 1,
	 FIELD(script),
	 .help = "Lua file defining process(doc), and optionally init(options) and finish()"},
	{.name = "options",
	 .type = TM_OPT_MAP,
	 FIELD(options),
	 .help = "a mapping handed to the script's init(options)"},
	{.name = "trusted",
	 .type = TM_OPT_BOOL,
	 .default_value = "false",
	 FIELD(trusted),
	 .help = "lift the sandbox (os, io, debug, native modules) for a script you trust"},
	{.name = "max_seconds",
	 .type = TM_OPT_FLOAT,
	 .default_value = "10",
	 .min = 0,
	 .max = TM_NO_MAX,
	 FIELD(max_seconds),
	 .help = "wall-clock seconds a document may take in Lua (0: no limit); costs nothing"},
	{.name = "max_instructions",
	 .type = TM_OPT_INT,
	 .default_value = "0",
	 .min = 0,
	 .max = TM_NO_MAX,
	 FIELD(max_instructions),
	 .help = "Lua instructions a document may take (0: no limit); exact, but ~20% slower"},
	{.name = "max_memory_mb",
	 .type = TM_OPT_INT,
	 .default_value = "256",
	 .min = 0,
	 .max = TM_NO_MAX,
	 FIELD(max_memory_mb),
	 .help = "Lua memory a document may add, in MB (0: no limit)"},
	{0},
};

static const tm_stage_type stages[] = {{
	.name = "lua",
	.summary = "run a Lua script on each document (extraction rules; sandboxed)",
	.options = lstage_options,
	.settings_size = sizeof(lstage_settings),
	.flags = TM_STAGE_PARALLEL,
	.create = lstage_create,
	.process = lstage_process,
	.prepare = lstage_prepare,
	.finish = lstage_finish,
	.destroy = lstage_destroy,
}};

TM_PLUGIN(stages);
