/* step_spec.c -- see step_spec.h. */
#include "step_spec.h"

#include <lauxlib.h>
#include <string.h>

#include "tml_core.h"
#include "tml_match.h"

struct tml_word_set {
	kit_strmap m;
	tml_state *ts;
	size_t counted;
};

#define WORD_SET_MT "textmill.word_set"

static int word_set_gc(lua_State *L)
{
	tml_word_set *w = tml_checkudata(L, 1, WORD_SET_MT);
	kit_strmap_free(&w->m);
	tml_give(w->ts, w->counted);
	w->counted = 0;
	return 0;
}

tml_word_set *tml_word_set_push(lua_State *L, int idx, const char *who)
{
	idx = lua_absindex(L, idx);
	tml_word_set *w = lua_newuserdatauv(L, sizeof *w, 0);
	memset(w, 0, sizeof *w);
	w->ts = tml_get_state(L);
	if (luaL_newmetatable(L, WORD_SET_MT)) {
		lua_pushcfunction(L, word_set_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) == LUA_TSTRING && lua_toboolean(L, -1)) {
			size_t n;
			const char *k = lua_tolstring(L, -2, &n);
			int added;
			size_t cost = n + 64; /* the key's copy, its entry and its index slot */
			if (tml_take(w->ts, cost))
				luaL_error(L, "%s: out of memory", who);
			w->counted += cost;
			if (!kit_strmap_put(&w->m, k, n, &added))
				luaL_error(L, "%s: out of memory", who);
		}
		lua_pop(L, 1);
	}
	return w;
}

bool tml_word_set_has(const tml_word_set *w, const char *p, size_t n) { return kit_strmap_get(&w->m, p, n) != NULL; }

bool tml_any_word(const char *p, size_t n, bool (*known)(void *ctx, const char *w, size_t len), void *ctx)
{
	for (size_t i = 0; i < n;) {
		if (tml_ascii_space((unsigned char)p[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !tml_ascii_space((unsigned char)p[j]))
			j++;
		if (known(ctx, p + i, j - i))
			return true;
		i = j;
	}
	return false;
}

static bool in_word_set(void *ctx, const char *w, size_t len) { return tml_word_set_has(ctx, w, len); }

bool tml_word_set_any(const tml_word_set *w, const char *p, size_t n)
{
	return tml_any_word(p, n, in_word_set, (void *)w);
}

void tml_spec_field(lua_State *L, const char *who, const char *name, int type, bool as_set)
{
	lua_getfield(L, 1, name);
	if (lua_type(L, -1) != type || (type == LUA_TUSERDATA && !tml_regex_test(L, -1)))
		luaL_error(L, "%s: spec.%s must be a %s", who, name,
			   type == LUA_TUSERDATA ? "textmill.regex" : lua_typename(L, type));
	if (as_set) {
		tml_word_set_push(L, -1, who);
		lua_replace(L, -2);
	}
}
