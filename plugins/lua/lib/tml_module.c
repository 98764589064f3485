/* tml_module.c -- the `textmill` Lua module: everything rule writers call
 * that should run in C. */
#include "tml.h"
#include "tml_core.h"

int tml_open(lua_State *L)
{
	lua_newtable(L);
	tml_regex_register(L);
	tml_text_register(L);
	tml_gazetteer_register(L);
	tml_spans_register(L);
	tml_occurrences_register(L);
	tml_runs_register(L);
	tml_foreign_register(L);
	tml_before_register(L);
	tml_describe_register(L);
	tml_names_register(L);
	tml_capital_word_register(L);
	tml_find_in_register(L);
	tml_tone_register(L);
	tml_engine_register(L);
	lua_pushliteral(L, "textmill");
	lua_setfield(L, -2, "_NAME");
	return 1;
}

void *tml_checkudata(lua_State *L, int idx, const char *tname)
{
	tml_state *ts = tml_get_state(L);
	void *p = lua_touserdata(L, idx);
	int i = 0;
	if (ts && p && lua_getmetatable(L, idx)) {
		const void *mt = lua_topointer(L, -1);
		lua_pop(L, 1);
		for (; i < TML_UDATA_TYPES && ts->udata[i].tname; i++)
			if (ts->udata[i].tname == tname && ts->udata[i].mt == mt)
				return p;
	}
	p = luaL_checkudata(L, idx, tname); /* raises unless it is one */
	if (ts && i < TML_UDATA_TYPES && !ts->udata[i].tname) {
		/* Kept alive by a reference of its own, so that no other table
		 * takes its address while the state lives, should the registry
		 * let it go. */
		luaL_getmetatable(L, tname);
		ts->udata[i].mt = lua_topointer(L, -1);
		ts->udata[i].tname = tname;
		lua_rawsetp(L, LUA_REGISTRYINDEX, &ts->udata[i]);
	}
	return p;
}
