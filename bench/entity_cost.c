/* entity_cost.c -- what an entity costs as a Lua table, and what it would
 * cost as a view of a record kept in C: the figures behind the choice of
 * where the pack's entities live (docs/performance-rounds.md, twenty-sixth
 * round).
 *
 *   entity_cost MODE N
 *
 * MODE is one of the ways below; N how many times it is done. Each way
 * works on a list of LIST entities, made once; the per-entity figure is
 * the difference of two runs (N and 2N) under callgrind, which cancels
 * the state's start and the list's making: bash bench/entity_cost.sh.
 *
 *   make_c      a table of the six fields the engine gives a candidate,
 *               made by the C API as push_cand_table makes it (the
 *               collector's share included: the tables become garbage)
 *   make_lua    the same table made by a Lua function, called from C
 *   read_lua    a Lua loop reading start, stop and type of each table
 *   read_view   the same loop over full userdata, read through __index
 *   read_c      the same reads by the C API (lua_getfield) */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIST 1000

static const char *const KEYS[] = {"type", "start", "stop", "value", "attrs", "rule"};

typedef struct {
	lua_Integer start, stop;
} record;

/* Lua seeds its strings' hashes from time() and addresses: this time()
 * (the library's calls come here) and entity_cost.sh's setarch -R fix
 * both, so that a count repeats. */
time_t time(time_t *t)
{
	if (t)
		*t = 1700000000;
	return 1700000000;
}

/* The names of a view's fields as Lua holds them: a short string is
 * interned, so the key a read passes is the same pointer (set in main). */
static const char *start_key, *stop_key, *type_key;

/* A view's fields, from its record: what an engine that kept entities in
 * C would hand the phases instead of tables, its keys told apart by
 * address, not compared. */
static int view_index(lua_State *L)
{
	const record *r = lua_touserdata(L, 1);
	const char *k = lua_tostring(L, 2);
	if (k == start_key)
		lua_pushinteger(L, r->start);
	else if (k == stop_key)
		lua_pushinteger(L, r->stop);
	else if (k == type_key)
		lua_pushliteral(L, "PERSON");
	else
		lua_pushnil(L);
	return 1;
}

static void push_list(lua_State *L, bool views)
{
	lua_createtable(L, LIST, 0);
	for (int i = 1; i <= LIST; i++) {
		if (views) {
			record *r = lua_newuserdatauv(L, sizeof *r, 0);
			r->start = i, r->stop = i + 3;
			luaL_setmetatable(L, "entity_cost.view");
		} else {
			lua_createtable(L, 0, 6);
			lua_pushinteger(L, i);
			lua_setfield(L, -2, "start");
			lua_pushinteger(L, i + 3);
			lua_setfield(L, -2, "stop");
			lua_pushliteral(L, "PERSON");
			lua_setfield(L, -2, "type");
		}
		lua_rawseti(L, -2, i);
	}
}

static void make_c(lua_State *L, long n, int keys, int slots)
{
	for (long i = 0; i < n; i++) {
		lua_createtable(L, 0, 6);
		int t = lua_gettop(L);
		for (int k = 0; k < 6; k++) {
			lua_pushvalue(L, keys + k);
			if (k == 1 || k == 2)
				lua_pushinteger(L, i + k);
			else
				lua_pushliteral(L, "PERSON");
			lua_rawset(L, t);
		}
		lua_rawseti(L, slots, (i % 64) + 1); /* kept a while, as a document's are */
	}
}

static void make_lua(lua_State *L, long n, int slots)
{
	luaL_loadstring(L, "return function(t, s, e, v, a, r)\n"
			   "  return { type = t, start = s, stop = e, value = v, attrs = a, rule = r }\n"
			   "end");
	lua_call(L, 0, 1);
	int make = lua_gettop(L);
	for (long i = 0; i < n; i++) {
		lua_pushvalue(L, make);
		lua_pushliteral(L, "PERSON");
		lua_pushinteger(L, i + 1);
		lua_pushinteger(L, i + 2);
		lua_pushliteral(L, "PERSON");
		lua_pushliteral(L, "PERSON");
		lua_pushliteral(L, "PERSON");
		lua_call(L, 6, 1);
		lua_rawseti(L, slots, (i % 64) + 1);
	}
}

static long read_lua(lua_State *L, long n)
{
	luaL_loadstring(L, "local l, rounds = ...\n"
			   "local found = 0\n"
			   "for _ = 1, rounds do\n"
			   "  for i = 1, #l do\n"
			   "    local x = l[i]\n"
			   "    if x.start <= x.stop and x.type == 'PERSON' then found = found + 1 end\n"
			   "  end\n"
			   "end\n"
			   "return found");
	lua_pushvalue(L, -2);
	lua_pushinteger(L, n / LIST);
	lua_call(L, 2, 1);
	return (long)lua_tointeger(L, -1);
}

static long read_c(lua_State *L, long n)
{
	int list = lua_gettop(L);
	long found = 0;
	for (long i = 0; i < n; i++) {
		lua_rawgeti(L, list, i % LIST + 1);
		lua_getfield(L, -1, "start");
		lua_getfield(L, -2, "stop");
		lua_getfield(L, -3, "type");
		found += lua_tointeger(L, -3) <= lua_tointeger(L, -2) && strcmp(lua_tostring(L, -1), "PERSON") == 0;
		lua_pop(L, 4);
	}
	return found;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: entity_cost make_c|make_lua|read_lua|read_view|read_c N\n");
		return 2;
	}
	const char *mode = argv[1];
	long n = atol(argv[2]);
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	lua_gc(L, LUA_GCGEN, 0, 0); /* as the lua stage runs it */
	/* anchored in the registry for the state's life */
	start_key = lua_pushstring(L, "start");
	lua_setfield(L, LUA_REGISTRYINDEX, "entity_cost.start");
	stop_key = lua_pushstring(L, "stop");
	lua_setfield(L, LUA_REGISTRYINDEX, "entity_cost.stop");
	type_key = lua_pushstring(L, "type");
	lua_setfield(L, LUA_REGISTRYINDEX, "entity_cost.type");
	luaL_newmetatable(L, "entity_cost.view");
	lua_pushcfunction(L, view_index);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 1);
	long found = 0;
	if (strcmp(mode, "make_c") == 0 || strcmp(mode, "make_lua") == 0) {
		int keys = lua_gettop(L) + 1;
		for (int k = 0; k < 6; k++)
			lua_pushstring(L, KEYS[k]);
		lua_createtable(L, 64, 0);
		int slots = lua_gettop(L);
		if (mode[5] == 'c')
			make_c(L, n, keys, slots);
		else
			make_lua(L, n, slots);
	} else if (strcmp(mode, "read_lua") == 0 || strcmp(mode, "read_view") == 0) {
		push_list(L, mode[5] == 'v');
		found = read_lua(L, n);
	} else if (strcmp(mode, "read_c") == 0) {
		push_list(L, false);
		found = read_c(L, n);
	} else {
		fprintf(stderr, "entity_cost: unknown mode '%s'\n", mode);
		return 2;
	}
	lua_close(L);
	printf("%s %ld: %ld found\n", mode, n, found);
	return 0;
}
