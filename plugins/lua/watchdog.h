/* watchdog.h -- a per-document time limit for Lua states that costs
 * nothing per instruction.
 *
 * A count hook would: in Lua 5.4 any count hook makes the interpreter stop
 * at every instruction (a fifth of a rule pack's time). Instead one thread
 * for the plugin looks at the watched states that are inside a document,
 * and when one is over its time it sends SIGURG to the thread running it.
 * The handler, on that thread, sets the watch's hook with a count of 1 --
 * what lua.c does for Ctrl-C; setting a hook on a state another thread is
 * running would not be safe.
 *
 * Per document the worker calls watch_begin and watch_end (a clock read
 * and a few atomic stores); the hook stays set until the caller removes
 * it, so a script that catches the error with pcall gets it again. */
#ifndef TM_LUA_WATCHDOG_H
#define TM_LUA_WATCHDOG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include <lua.h>

typedef struct watch {
	lua_State *L;     /* set before the first watch_begin */
	lua_Hook on_time; /* raises the error; set on L and the running coroutine */
	long long limit_ns;

	/* The worker writes these per document, the watchdog reads them (under
	 * its lock only the list links and sent_ns). */
	unsigned long seq;               /* documents begun (worker only) */
	_Atomic unsigned long running;   /* seq of the document inside Lua, 0: none */
	_Atomic unsigned long interrupt; /* seq the watchdog wants stopped */
	_Atomic long long started_ns;
	_Atomic pthread_t thread;
	_Atomic int sending;            /* the watchdog is signalling the thread */
	_Atomic(lua_State *) coroutine; /* the one running, if not L itself (guards.c) */
	long long sent_ns;
	/* The last resort, on the watchdog's thread, when a document is still
	 * running STUCK_NS after its limit although the hook was set: code that
	 * runs with hooks off (a trusted script's finalizer) cannot be stopped
	 * or abandoned safely, so the caller ends the run. */
	void (*on_stuck)(struct watch *w, double seconds);
	unsigned long stuck; /* seq on_stuck was called for */
	struct watch *prev, *next;
	int watched;
} watch;

/* CLOCK_MONOTONIC in nanoseconds (the vDSO: no system call). */
long long watch_now_ns(void);

/* Start watching w (limit_ns and on_time set); the first watch installs the
 * handler and starts the thread. -1, with why in err, if the signal has
 * another handler in this process: the caller must check the clock itself. */
int watch_add(watch *w, char *err, size_t errsz);
/* Stop watching w; the last one stops the thread and puts the old handler
 * back, so nothing of the plugin runs after its last instance is gone. */
void watch_remove(watch *w);

/* A document starts (ends) on the calling thread. watch_end returns once
 * no signal for it can arrive any more; then remove the hook. */
void watch_begin(watch *w);
void watch_end(watch *w);

#endif
