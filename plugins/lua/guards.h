/* guards.h -- keep the budgets' hook on wherever a script's Lua code runs.
 *
 * Budgets stop a document with a hook, but Lua runs some code with hooks
 * off or on a thread the hook was never set on:
 *   - a message handler of xpcall, when the error came from the hook (the
 *     budget's own error): guarded, it is not run once the document is
 *     over a budget, and the budget's error goes on unchanged;
 *   - a __gc finalizer, always run with hooks off: the sandbox's
 *     setmetatable refuses a metatable with __gc;
 *   - a coroutine: resume, wrap and close give it the hook of the thread
 *     that runs it and tell the watchdog which one runs; a coroutine
 *     stopped by a budget is never closed, since its __close would run
 *     with hooks off. */
#ifndef TM_LUA_GUARDS_H
#define TM_LUA_GUARDS_H

#include <lua.h>

#include "watchdog.h"

typedef struct guard {
	watch *watch;         /* NULL when max_seconds is off */
	const int *limit_hit; /* nonzero once the document is over a budget */
	lua_Hook over_hook;   /* raises the budget's error at every instruction */
} guard;

/* Replace xpcall and coroutine.resume, wrap and close of L; with sandbox,
 * setmetatable too. g must outlive L. */
void guards_install(lua_State *L, guard *g, int sandbox);

#endif
