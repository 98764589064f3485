/* lua_gazetteer.c -- textmill.gazetteer: find the names of a list in text.
 *
 *   local g = textmill.gazetteer(entries_or_path [, opts])
 *
 * entries: an array; each item is a name (string) or a table
 *   { "Bộ Quốc phòng", type = "ORG", value = ..., <other fields> }
 *   (or name = "..." instead of [1]); the other fields are the entry's
 *   attrs, one table shared by all the entry's matches.
 * path: a UTF-8 TSV file, one entry a line: name<TAB>type<TAB>value, then
 *   any number of key=value columns (the attrs). Lines starting with '#'
 *   and blank lines are skipped, fields are trimmed of spaces, value may be
 *   empty or left out. A relative path is taken from the directory in the
 *   Lua registry at "textmill.script_dir", when that is set. Errors name
 *   the file and line: "textmill.gazetteer: orgs.tsv:12: missing type".
 * opts (all optional):
 *   type        default type of the entries that give none
 *   value       default value of the entries that give none
 *   case        "insensitive" (default) or "sensitive"
 *   diacritics  "sensitive" (default) or "insensitive" ("Ha Noi" ~ "Hà Nội")
 *   whole_words true (default): no match starts or ends inside a word
 *   overlaps    false (default): leftmost-longest, non-overlapping matches;
 *               true: every match, overlapping
 *   Canonically equivalent forms always match (NFC and NFD text alike).
 *
 *   g:matches(s [, init]) -> array of matches, ordered by start (then the
 *   longest first), searching from position init (default 1; negative
 *   counts from the end, as string.find). A match is
 *     { start = 1-based position of its first byte, stop = of its last
 *       (s:sub(m.start, m.stop) is the matched text),
 *       name  = that text, key = the entry's name as written,
 *       type  = the entry's type (or the default type, or nil),
 *       value = the entry's value, else the default value, else its name,
 *       attrs = the entry's other fields, or nil }
 *   g:size(), #g -> number of entries.
 *   g:keys() -> the entries' names as written, in the order added.
 *   g:types() -> { TYPE = number of entries of that type }.
 *   opts.files: more TSV files (paths as above), read after the first
 *   argument into the same gazetteer. */
#include <errno.h>
#include <limits.h>
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gazetteer.h"
#include "textops.h"
#include "tml.h"
#include "tml_core.h"
#include "tml_match.h"

#define GAZ_MT "textmill.gazetteer"

/* User values of the userdata: per entry (indexed by its payload, 1..n). */
enum {
	UV_KEYS = TML_GAZ_KEYS,
	UV_TYPES = TML_GAZ_TYPES,
	UV_VALUES = TML_GAZ_VALUES,
	UV_ATTRS = TML_GAZ_ATTRS,
	UV_COUNT = UV_ATTRS
};

typedef tml_gazetteer lgaz;

static size_t scratch_memory(const gazetteer_scratch *sc)
{
	return (sc->cap + sc->candcap) * sizeof(gazetteer_match) + sc->fold.out.cap +
	       sc->fold.offcap * sizeof(size_t);
}

/* Count what the gazetteer holds now beyond what was counted; an error
 * if it does not fit the state's memory budget. */
static void count_memory(lua_State *L, lgaz *lg)
{
	size_t now = gazetteer_memory(lg->g) + scratch_memory(&lg->sc);
	if (now <= lg->counted)
		return;
	if (tml_take(lg->ts, now - lg->counted)) {
		/* A search grows its scratch before it is counted: drop it, or it
		 * would stay uncounted and every later document would be charged
		 * for it, and fail, as this one did. */
		gazetteer_scratch_free(&lg->sc);
		size_t kept = gazetteer_memory(lg->g);
		if (lg->counted > kept) {
			tml_give(lg->ts, lg->counted - kept);
			lg->counted = kept;
		}
		luaL_error(L, "textmill.gazetteer: not enough memory (gazetteers count against the script's "
			      "memory budget)");
	}
	lg->counted = now;
}

static lgaz *check_gaz(lua_State *L, int i)
{
	lgaz *lg = tml_checkudata(L, i, GAZ_MT);
	if (!lg->g)
		luaL_error(L, "textmill.gazetteer: used after being collected");
	return lg;
}

tml_gazetteer *tml_gazetteer_check(lua_State *L, int idx) { return check_gaz(L, idx); }

void tml_gazetteer_search(lua_State *L, tml_gazetteer *lg, const char *who, const char *s, size_t len, size_t from)
{
	size_t err = 0;
	int rc = gazetteer_search(lg->g, s, len, from, lg->mode, &lg->sc, &err);
	if (rc == TEXTOPS_EUTF8)
		luaL_error(L, "%s: invalid UTF-8 at byte %I", who, (lua_Integer)err + 1);
	if (rc)
		luaL_error(L, "%s: out of memory", who);
	count_memory(L, lg);
}

tml_ahead *tml_ahead_find(const tml_gazetteer *g, const char *text, size_t len)
{
	gazetteer_scratch sc = {0};
	size_t err;
	tml_ahead *a = NULL;
	/* (the matches alone are kept: a batch's documents hold theirs at once) */
	if (gazetteer_search(g->g, text, len, 0, g->mode, &sc, &err) == TEXTOPS_OK &&
	    (a = malloc(sizeof *a + sc.n * sizeof *sc.m))) {
		a->print = gazetteer_fingerprint(g->g);
		a->mode = g->mode;
		a->n = sc.n;
		if (sc.n)
			memcpy(a->m, sc.m, sc.n * sizeof *sc.m);
	}
	gazetteer_scratch_free(&sc);
	return a;
}

const tml_ahead *tml_gazetteer_ahead(const tml_gazetteer *g, const char *text, size_t len)
{
	const tml_ahead *a = g->ts ? g->ts->ahead : NULL;
	if (!a || !tml_checked_text(g->ts, text, len) || a->mode != g->mode ||
	    a->print != gazetteer_fingerprint(g->g))
		return NULL;
	return a;
}

static int gaz_gc(lua_State *L)
{
	lgaz *lg = tml_checkudata(L, 1, GAZ_MT);
	if (lg->ts && lg->ts->lexicon == lg)
		lg->ts->lexicon = NULL; /* the stage scans it no longer */
	gazetteer_free(lg->g);
	lg->g = NULL;
	gazetteer_scratch_free(&lg->sc);
	tml_give(lg->ts, lg->counted);
	lg->counted = 0;
	return 0;
}

static int gaz_size(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)gazetteer_size(check_gaz(L, 1)->g));
	return 1;
}

/* g:keys() -> the entries' names as written, in the order they were added. */
static int gaz_keys(lua_State *L)
{
	lgaz *lg = check_gaz(L, 1);
	size_t n = gazetteer_size(lg->g);
	lua_getiuservalue(L, 1, UV_KEYS);
	lua_createtable(L, n > INT32_MAX ? INT32_MAX : (int)n, 0);
	for (size_t i = 1; i <= n; i++) {
		lua_rawgeti(L, -2, (lua_Integer)i);
		lua_rawseti(L, -2, (lua_Integer)i);
	}
	return 1;
}

/* g:types() -> { TYPE = number of entries }, to check a dictionary gives
 * only the types its reader knows. */
static int gaz_types(lua_State *L)
{
	lgaz *lg = check_gaz(L, 1);
	size_t n = gazetteer_size(lg->g);
	lua_getiuservalue(L, 1, UV_TYPES);
	lua_newtable(L);
	for (size_t i = 1; i <= n; i++) {
		if (lua_rawgeti(L, -2, (lua_Integer)i) != LUA_TSTRING) {
			lua_pop(L, 1);
			continue;
		}
		lua_pushvalue(L, -1);
		lua_Integer had = lua_rawget(L, -3) == LUA_TNUMBER ? lua_tointeger(L, -1) : 0;
		lua_pop(L, 1);
		lua_pushinteger(L, had + 1);
		lua_rawset(L, -3);
	}
	return 1;
}

static int gaz_tostring(lua_State *L)
{
	lgaz *lg = tml_checkudata(L, 1, GAZ_MT);
	lua_pushfstring(L, "textmill.gazetteer (%I entries)", (lua_Integer)(lg->g ? gazetteer_size(lg->g) : 0));
	return 1;
}

static int gaz_matches(lua_State *L)
{
	lgaz *lg = check_gaz(L, 1);
	size_t len, from;
	const char *s = luaL_checklstring(L, 2, &len);
	lua_Integer init = luaL_optinteger(L, 3, 1);

	if (init < 0)
		init = (lua_Integer)len + init + 1;
	if (init < 1)
		init = 1;
	if (init > (lua_Integer)len + 1) {
		lua_newtable(L);
		return 1;
	}
	from = (size_t)init - 1;
	if (from < len && ((unsigned char)s[from] & 0xC0) == 0x80)
		return luaL_argerror(L, 3, "position inside a UTF-8 character");
	tml_gazetteer_search(L, lg, "textmill.gazetteer: matches", s, len, from);

	for (int uv = UV_KEYS; uv <= UV_ATTRS; uv++)
		lua_getiuservalue(L, 1, uv); /* at -4 .. -1 */
	lua_createtable(L, lg->sc.n > (size_t)INT32_MAX ? INT32_MAX : (int)lg->sc.n, 0);
	for (size_t i = 0; i < lg->sc.n; i++) {
		const gazetteer_match *m = &lg->sc.m[i];
		lua_Integer p = (lua_Integer)m->payload;
		lua_createtable(L, 0, 7);
		lua_pushinteger(L, (lua_Integer)m->start + 1);
		lua_setfield(L, -2, "start");
		lua_pushinteger(L, (lua_Integer)m->end);
		lua_setfield(L, -2, "stop");
		lua_pushlstring(L, s + m->start, m->end - m->start);
		lua_setfield(L, -2, "name");
		lua_rawgeti(L, -6, p); /* keys */
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, "key");
		lua_rawgeti(L, -5, p); /* values */
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1);
			lua_setfield(L, -2, "value"); /* the key */
		} else {
			lua_setfield(L, -3, "value");
			lua_pop(L, 1);
		}
		lua_rawgeti(L, -5, p); /* types */
		lua_setfield(L, -2, "type");
		lua_rawgeti(L, -3, p); /* attrs */
		lua_setfield(L, -2, "attrs");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* ---- construction ---- */

typedef struct {
	unsigned flags;
	int mode;
	int type_idx, value_idx; /* stack slots of the defaults (nil if none) */
} options;

/* Is option `field` "insensitive"? def when it is not given. */
static bool opt_choice(lua_State *L, int t, const char *field, const char *def)
{
	const char *v;
	bool insensitive;
	lua_getfield(L, t, field);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return strcmp(def, "insensitive") == 0;
	}
	v = lua_tostring(L, -1);
	if (lua_type(L, -1) != LUA_TSTRING || (strcmp(v, "sensitive") && strcmp(v, "insensitive")))
		luaL_error(L, "textmill.gazetteer: option %s must be \"sensitive\" or \"insensitive\"", field);
	insensitive = strcmp(v, "insensitive") == 0;
	lua_pop(L, 1);
	return insensitive;
}

static bool opt_bool(lua_State *L, int t, const char *field, bool def)
{
	bool v = def;
	lua_getfield(L, t, field);
	if (!lua_isnil(L, -1)) {
		if (!lua_isboolean(L, -1))
			luaL_error(L, "textmill.gazetteer: option %s must be a boolean", field);
		v = lua_toboolean(L, -1);
	}
	lua_pop(L, 1);
	return v;
}

/* Reads opts (argument 2) and pushes the default type and value. */
static void read_options(lua_State *L, options *o)
{
	static const char *const known[] = {"type",        "value",    "case",  "diacritics",
					    "whole_words", "overlaps", "files", NULL};
	bool has = !lua_isnoneornil(L, 2);

	if (has) {
		luaL_checktype(L, 2, LUA_TTABLE);
		lua_pushnil(L);
		while (lua_next(L, 2)) {
			int k = 0;
			lua_pop(L, 1);
			if (lua_type(L, -1) == LUA_TSTRING)
				for (k = 0; known[k] && strcmp(known[k], lua_tostring(L, -1)); k++)
					;
			if (lua_type(L, -1) != LUA_TSTRING || !known[k])
				luaL_error(L, "textmill.gazetteer: unknown option %s", luaL_tolstring(L, -1, NULL));
		}
	}
	o->flags = 0;
	if (!has || opt_choice(L, 2, "case", "insensitive"))
		o->flags |= GAZETTEER_CASE_INSENSITIVE;
	if (has && opt_choice(L, 2, "diacritics", "sensitive"))
		o->flags |= GAZETTEER_DIACRITICS_INSENSITIVE;
	if (!has || opt_bool(L, 2, "whole_words", true))
		o->flags |= GAZETTEER_WHOLE_WORDS;
	o->mode = has && opt_bool(L, 2, "overlaps", false) ? GAZETTEER_ALL : GAZETTEER_LONGEST;
	if (has) {
		lua_getfield(L, 2, "type");
		if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "textmill.gazetteer: option type must be a string");
		lua_getfield(L, 2, "value");
	} else {
		lua_pushnil(L);
		lua_pushnil(L);
	}
	o->type_idx = lua_gettop(L) - 1;
	o->value_idx = lua_gettop(L);
}

/* Stack slots used while building. */
typedef struct {
	lgaz *lg;
	int ud, keys, types, values, attrs;
	lua_Integer count; /* entries added so far, from every source */
	options o;
} builder;

/* Adds entry number p: its key is at the top of the stack, below it its
 * value, type and attrs (nil for the defaults / none); all four are popped
 * when it succeeds. Returns the code of gazetteer_add (*off for
 * TEXTOPS_EUTF8). */
static int add_entry(lua_State *L, builder *b, lua_Integer p, size_t *off)
{
	size_t len;
	const char *key = lua_tolstring(L, -1, &len);
	int rc = gazetteer_add(b->lg->g, key, len, (int64_t)p, off);

	if (rc)
		return rc;
	lua_rawseti(L, b->keys, p);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushvalue(L, b->o.value_idx);
	}
	lua_rawseti(L, b->values, p);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushvalue(L, b->o.type_idx);
	}
	lua_rawseti(L, b->types, p);
	lua_rawseti(L, b->attrs, p);
	return TEXTOPS_OK;
}

/* The error for a failed add_entry; `where` is "entry 3" or "file:line". */
static int add_error(lua_State *L, int rc, size_t off, const char *where)
{
	if (rc == TEXTOPS_EUTF8)
		return luaL_error(L, "textmill.gazetteer: %s: invalid UTF-8 at byte %I", where, (lua_Integer)off + 1);
	if (rc == GAZETTEER_EEMPTY)
		return luaL_error(L, "textmill.gazetteer: %s: empty name", where);
	return luaL_error(L, "textmill.gazetteer: out of memory");
}

static void add_from_table(lua_State *L, builder *b, int src)
{
	lua_Integer n = luaL_len(L, src);

	for (lua_Integer i = 1; i <= n; i++) {
		int e, rc;
		size_t off = 0;

		lua_rawgeti(L, src, i);
		e = lua_gettop(L);
		if (lua_type(L, e) == LUA_TSTRING) {
			lua_pushnil(L); /* attrs */
			lua_pushnil(L); /* type */
			lua_pushnil(L); /* value */
			lua_pushvalue(L, e);
		} else if (lua_type(L, e) == LUA_TTABLE) {
			bool has_attrs = false;
			lua_newtable(L); /* attrs */
			lua_pushnil(L);
			while (lua_next(L, e)) {
				bool reserved = false;
				if (lua_type(L, -2) == LUA_TSTRING) {
					const char *k = lua_tostring(L, -2);
					reserved = !strcmp(k, "name") || !strcmp(k, "type") || !strcmp(k, "value");
				} else if (lua_isinteger(L, -2) && lua_tointeger(L, -2) == 1) {
					reserved = true;
				}
				if (reserved) {
					lua_pop(L, 1);
				} else {
					lua_pushvalue(L, -2);
					lua_insert(L, -2);
					lua_rawset(L, e + 1);
					has_attrs = true;
				}
			}
			if (!has_attrs) {
				lua_pop(L, 1);
				lua_pushnil(L);
			}
			lua_getfield(L, e, "type");
			if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "textmill.gazetteer: entry %I: type must be a string", i);
			lua_getfield(L, e, "value");
			lua_getfield(L, e, "name");
			lua_rawgeti(L, e, 1);
			if (!lua_isnil(L, -1) && !lua_isnil(L, -2))
				luaL_error(L, "textmill.gazetteer: entry %I: both [1] and name are given", i);
			if (lua_isnil(L, -1))
				lua_pop(L, 1);
			else
				lua_remove(L, -2);
			if (lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "textmill.gazetteer: entry %I: the name must be a string", i);
		} else {
			luaL_error(L, "textmill.gazetteer: entry %I is a %s (expected a string or a table)", i,
				   luaL_typename(L, e));
		}
		rc = add_entry(L, b, ++b->count, &off);
		if (rc) {
			lua_pushfstring(L, "entry %I", i);
			add_error(L, rc, off, lua_tostring(L, -1));
		}
		lua_pop(L, 1); /* the entry */
	}
}

/* Pushes the whole content of a file, or raises an error naming `shown`. */
static void read_file(lua_State *L, const char *given, const char *shown)
{
	struct stat st;
	FILE *f;
	char *buf, path[PATH_MAX];
	size_t n;

	tml_resolve_readable(L, "textmill.gazetteer", given, shown, path);
	if (stat(path, &st))
		luaL_error(L, "textmill.gazetteer: cannot open %s: %s", shown, strerror(errno));
	if (!S_ISREG(st.st_mode))
		luaL_error(L, "textmill.gazetteer: cannot open %s: not a regular file", shown);
	/* The buffer first: a Lua error can come only before the file is open. */
	buf = lua_newuserdatauv(L, (size_t)st.st_size + 1, 0);
	f = fopen(path, "rb");
	if (!f)
		luaL_error(L, "textmill.gazetteer: cannot open %s: %s", shown, strerror(errno));
	n = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		luaL_error(L, "textmill.gazetteer: cannot read %s: %s", shown, strerror(e));
	}
	fclose(f);
	lua_pushlstring(L, buf, n);
	lua_remove(L, -2);
}

/* Trims spaces and tabs around s[0..*e). */
static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

static int line_error(lua_State *L, const char *file, lua_Integer line, const char *msg)
{
	return luaL_error(L, "textmill.gazetteer: %s:%I: %s", file, line, msg);
}

static void add_from_file(lua_State *L, builder *b, int src)
{
	const char *shown = lua_tostring(L, src), *p, *end;
	size_t size;
	lua_Integer line = 0;

	/* The path, resolved against the script's directory. */
	lua_getfield(L, LUA_REGISTRYINDEX, "textmill.script_dir");
	if (shown[0] != '/' && lua_type(L, -1) == LUA_TSTRING)
		lua_pushfstring(L, "%s/%s", lua_tostring(L, -1), shown);
	else
		lua_pushvalue(L, src);
	read_file(L, lua_tostring(L, -1), shown);
	p = lua_tolstring(L, -1, &size);
	end = p + size;
	if (size >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p, *le, *col;
		const char *f[3] = {NULL, NULL, NULL}, *fe[3] = {NULL, NULL, NULL};
		size_t off = 0;
		int ncol = 0, rc;
		bool last = false;

		le = eol ? eol : end;
		p = eol ? eol + 1 : end;
		line++;
		if (le > q && le[-1] == '\r')
			le--;
		if (textops_utf8_validate(q, (size_t)(le - q), &off)) {
			lua_pushfstring(L, "invalid UTF-8 at byte %I", (lua_Integer)off + 1);
			line_error(L, shown, line, lua_tostring(L, -1));
		}
		if (q < le && *q == '#')
			continue;
		{
			const char *a = q, *z = le;
			trim(&a, &z);
			if (a == z)
				continue;
		}
		/* Columns: name, type, value, then key=value ones (the attrs). */
		lua_pushnil(L); /* attrs */
		for (col = q; !last; ncol++) {
			const char *tab = memchr(col, '\t', (size_t)(le - col));
			const char *a = col, *z = tab ? tab : le, *eq;
			last = !tab;
			if (tab)
				col = tab + 1;
			trim(&a, &z);
			if (ncol < 3) {
				f[ncol] = a;
				fe[ncol] = z;
				continue;
			}
			if (a == z)
				continue;
			eq = memchr(a, '=', (size_t)(z - a));
			if (!eq || eq == a) {
				lua_pushfstring(L, "column %d (\"%s\") is not key=value", ncol + 1,
						lua_pushlstring(L, a, (size_t)(z - a)));
				line_error(L, shown, line, lua_tostring(L, -1));
			}
			if (lua_isnil(L, -1)) {
				lua_pop(L, 1);
				lua_newtable(L);
			}
			{
				const char *ka = a, *kz = eq, *va = eq + 1, *vz = z;
				trim(&ka, &kz);
				trim(&va, &vz);
				lua_pushlstring(L, ka, (size_t)(kz - ka));
				lua_pushlstring(L, va, (size_t)(vz - va));
				lua_rawset(L, -3);
			}
		}
		if (f[0] == fe[0])
			line_error(L, shown, line, "empty name");
		/* type */
		if (ncol > 1 && f[1] < fe[1])
			lua_pushlstring(L, f[1], (size_t)(fe[1] - f[1]));
		else if (!lua_isnil(L, b->o.type_idx))
			lua_pushnil(L); /* the default */
		else
			line_error(L, shown, line, "missing type");
		/* value */
		if (ncol > 2 && f[2] < fe[2])
			lua_pushlstring(L, f[2], (size_t)(fe[2] - f[2]));
		else
			lua_pushnil(L);
		lua_pushlstring(L, f[0], (size_t)(fe[0] - f[0]));
		rc = add_entry(L, b, ++b->count, &off);
		if (rc) {
			lua_pushfstring(L, "%s:%I", shown, line);
			add_error(L, rc, off, lua_tostring(L, -1));
		}
	}
	lua_pop(L, 3); /* script_dir, resolved path, content */
}

/* opts.files: more TSV files, read after the first argument, so a user's
 * own dictionaries can join a shipped one in a single automaton. */
static void add_more_files(lua_State *L, builder *b)
{
	if (lua_type(L, 2) != LUA_TTABLE)
		return;
	lua_getfield(L, 2, "files");
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return;
	}
	if (lua_type(L, -1) != LUA_TTABLE)
		luaL_error(L, "textmill.gazetteer: option files must be a list of paths");
	int list = lua_gettop(L);
	lua_Integer n = luaL_len(L, list);
	for (lua_Integer i = 1; i <= n; i++) {
		if (lua_rawgeti(L, list, i) != LUA_TSTRING)
			luaL_error(L, "textmill.gazetteer: files[%I] is a %s (expected a path)", i,
				   luaL_typename(L, -1));
		add_from_file(L, b, lua_gettop(L));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static int gaz_new(lua_State *L)
{
	builder b;
	int t = lua_type(L, 1);

	if (t != LUA_TTABLE && t != LUA_TSTRING)
		return luaL_argerror(L, 1, "expected an array of entries or a file path");
	read_options(L, &b.o);

	b.lg = lua_newuserdatauv(L, sizeof *b.lg, UV_COUNT);
	memset(b.lg, 0, sizeof *b.lg);
	b.lg->ts = tml_get_state(L);
	b.ud = lua_gettop(L);
	luaL_setmetatable(L, GAZ_MT);
	b.lg->g = gazetteer_new(b.o.flags);
	if (!b.lg->g)
		return luaL_error(L, "textmill.gazetteer: out of memory");
	b.lg->mode = b.o.mode;
	for (int i = 0; i < 4; i++)
		lua_newtable(L);
	b.keys = b.ud + UV_KEYS;
	b.types = b.ud + UV_TYPES;
	b.values = b.ud + UV_VALUES;
	b.attrs = b.ud + UV_ATTRS;

	b.count = 0;
	if (t == LUA_TTABLE)
		add_from_table(L, &b, 1);
	else
		add_from_file(L, &b, 1);
	add_more_files(L, &b);

	if (gazetteer_build(b.lg->g))
		return luaL_error(L, "textmill.gazetteer: out of memory");
	count_memory(L, b.lg);
	for (int uv = UV_ATTRS; uv >= UV_KEYS; uv--)
		lua_setiuservalue(L, b.ud, uv);
	return 1;
}

void tml_gazetteer_register(lua_State *L)
{
	static const luaL_Reg methods[] = {
		{"matches", gaz_matches}, {"size", gaz_size}, {"keys", gaz_keys}, {"types", gaz_types}, {NULL, NULL},
	};
	static const luaL_Reg meta[] = {
		{"__gc", gaz_gc},
		{"__len", gaz_size},
		{"__tostring", gaz_tostring},
		{NULL, NULL},
	};
	if (luaL_newmetatable(L, GAZ_MT)) {
		luaL_setfuncs(L, meta, 0);
		luaL_newlib(L, methods);
		lua_setfield(L, -2, "__index");
		lua_pushliteral(L, "textmill.gazetteer");
		lua_setfield(L, -2, "__name");
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, gaz_new);
	lua_setfield(L, -2, "gazetteer");
}
