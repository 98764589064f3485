/* guards.c -- see guards.h. */
#include <lauxlib.h>
#include <stdatomic.h>

#include "guards.h"

/* Coroutines a budget stopped, as weak keys in the registry. */
#define STOPPED_KEY "textmill.stopped_coroutines"

static guard *upvalue_guard(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

/* Over a budget that stops the document (time or instructions; running
 * out of memory is an error a script may catch). */
static int over(const guard *g) { return *g->limit_hit == 'i' || *g->limit_hit == 't'; }

/* ---- xpcall -------------------------------------------------------------- */

static int guarded_handler(lua_State *L)
{
	guard *g = lua_touserdata(L, lua_upvalueindex(2));
	if (over(g))
		return 1; /* the budget's error, as it is */
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int finish_xpcall(lua_State *L, int status, lua_KContext extra)
{
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_pushboolean(L, 0);
		lua_pushvalue(L, -2);
		return 2;
	}
	return lua_gettop(L) - (int)extra;
}

/* xpcall(f, msgh, ...), as the base library's, with msgh guarded. */
static int guarded_xpcall(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushcclosure(L, guarded_handler, 2);
	lua_replace(L, 2);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2);
	int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_xpcall);
	return finish_xpcall(L, status, 2);
}

/* ---- setmetatable -------------------------------------------------------- */

static int sandbox_setmetatable(lua_State *L)
{
	int t = lua_type(L, 2);
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	if (t == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "setmetatable: no __gc in the sandbox: a finalizer runs where no "
					     "budget can stop it (use a <close> variable, or trusted: true)");
		lua_pop(L, 1);
	}
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

/* ---- coroutines ---------------------------------------------------------- */

static int stopped(lua_State *L, lua_State *co)
{
	lua_getfield(L, LUA_REGISTRYINDEX, STOPPED_KEY);
	lua_pushthread(co);
	lua_xmove(co, L, 1);
	int yes = lua_rawget(L, -2) != LUA_TNIL;
	lua_pop(L, 2);
	return yes;
}

static void mark_stopped(lua_State *L, lua_State *co)
{
	lua_getfield(L, LUA_REGISTRYINDEX, STOPPED_KEY);
	lua_pushthread(co);
	lua_xmove(co, L, 1);
	lua_pushboolean(L, 1);
	lua_rawset(L, -3);
	lua_pop(L, 1);
}

/* co runs on behalf of L: it gets L's hook (a coroutine only copies its
 * creator's, when it is created), and the watchdog's signal goes to it. */
static lua_State *enter(guard *g, lua_State *L, lua_State *co)
{
	lua_sethook(co, lua_gethook(L), lua_gethookmask(L), lua_gethookcount(L));
	lua_State *prev = NULL;
	if (g->watch) {
		prev = atomic_load(&g->watch->coroutine);
		atomic_store(&g->watch->coroutine, co);
	}
	return prev;
}

/* Back in L: over a budget now, L stops at its next instruction too. */
static void leave(guard *g, lua_State *L, lua_State *prev)
{
	if (g->watch) {
		atomic_store(&g->watch->coroutine, prev);
		unsigned long seq = atomic_load(&g->watch->running);
		if (seq && seq == atomic_load(&g->watch->interrupt))
			lua_sethook(L, g->over_hook, LUA_MASKCOUNT, 1);
	}
	if (over(g))
		lua_sethook(L, g->over_hook, LUA_MASKCOUNT, 1);
}

/* Resume co with narg values from L; the results (>= 0) or -1 with the
 * error on L, as the coroutine library's auxresume. */
static int resume(guard *g, lua_State *L, lua_State *co, int narg)
{
	if (!lua_checkstack(co, narg)) {
		lua_pushliteral(L, "too many arguments to resume");
		return -1;
	}
	lua_xmove(L, co, narg);
	lua_State *prev = enter(g, L, co);
	int nres, status = lua_resume(co, L, narg, &nres);
	leave(g, L, prev);
	if (status == LUA_OK || status == LUA_YIELD) {
		if (!lua_checkstack(L, nres + 1)) {
			lua_pop(co, nres);
			lua_pushliteral(L, "too many results to resume");
			return -1;
		}
		lua_xmove(co, L, nres);
		return nres;
	}
	if (over(g))
		mark_stopped(L, co);
	lua_xmove(co, L, 1);
	return -1;
}

/* Close co's pending to-be-closed variables, with L's hook; never for a
 * coroutine a budget stopped (its hooks are off for good). */
static int reset(guard *g, lua_State *L, lua_State *co)
{
	if (stopped(L, co)) {
		lua_pushliteral(L, "coroutine stopped by a budget: its to-be-closed variables are not closed");
		return LUA_ERRRUN;
	}
	lua_State *prev = enter(g, L, co);
#if LUA_VERSION_RELEASE_NUM >= 50406
	int status = lua_closethread(co, L);
#else
	int status = lua_resetthread(co);
#endif
	leave(g, L, prev);
	if (status != LUA_OK)
		lua_xmove(co, L, 1);
	return status;
}

static lua_State *check_coroutine(lua_State *L)
{
	lua_State *co = lua_tothread(L, 1);
	luaL_argexpected(L, co, 1, "coroutine");
	return co;
}

static int guarded_resume(lua_State *L)
{
	lua_State *co = check_coroutine(L);
	int r = resume(upvalue_guard(L), L, co, lua_gettop(L) - 1);
	if (r < 0) {
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		return 2;
	}
	lua_pushboolean(L, 1);
	lua_insert(L, -(r + 1));
	return r + 1;
}

static int guarded_wrapped(lua_State *L)
{
	guard *g = upvalue_guard(L);
	lua_State *co = lua_tothread(L, lua_upvalueindex(2));
	int r = resume(g, L, co, lua_gettop(L));
	if (r >= 0)
		return r;
	int status = lua_status(co);
	if (status != LUA_OK && status != LUA_YIELD && !stopped(L, co)) /* it died: close its variables */
		status = reset(g, L, co);
	if (status != LUA_ERRMEM && !over(g) && lua_type(L, -1) == LUA_TSTRING) { /* where, as the library's */
		luaL_where(L, 1);
		lua_insert(L, -2);
		lua_concat(L, 2);
	}
	return lua_error(L);
}

static int guarded_wrap(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_State *co = lua_newthread(L);
	lua_pushvalue(L, 1);
	lua_xmove(L, co, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, -2);
	lua_pushcclosure(L, guarded_wrapped, 2);
	return 1;
}

/* As the library's: only a dead or suspended coroutine can be closed. */
static int closable(lua_State *L, lua_State *co)
{
	if (L == co)
		return 0;
	switch (lua_status(co)) {
	case LUA_YIELD: return 1;
	case LUA_OK: {
		lua_Debug ar;
		return !lua_getstack(co, 0, &ar);
	}
	default: return 1;
	}
}

static int guarded_close(lua_State *L)
{
	lua_State *co = check_coroutine(L);
	if (!closable(L, co))
		return luaL_error(L, "cannot close a %s coroutine", L == co ? "running" : "normal");
	if (reset(upvalue_guard(L), L, co) == LUA_OK) {
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushboolean(L, 0);
	lua_insert(L, -2);
	return 2;
}

void guards_install(lua_State *L, guard *g, int sandbox)
{
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, STOPPED_KEY);

	lua_pushlightuserdata(L, g);
	lua_pushcclosure(L, guarded_xpcall, 1);
	lua_setglobal(L, "xpcall");
	if (sandbox) {
		lua_pushcfunction(L, sandbox_setmetatable);
		lua_setglobal(L, "setmetatable");
	}
	if (lua_getglobal(L, "coroutine") == LUA_TTABLE) {
		static const luaL_Reg fns[] = {
			{"resume", guarded_resume},
			{"wrap", guarded_wrap},
			{"close", guarded_close},
			{NULL, NULL},
		};
		lua_pushlightuserdata(L, g);
		luaL_setfuncs(L, fns, 1);
	}
	lua_pop(L, 1);
}
