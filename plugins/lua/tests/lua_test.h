/* lua_test.h -- a Lua state with the textmill module's C parts, for the
 * binding tests of this folder. */
#ifndef TM_LUA_TEST_H
#define TM_LUA_TEST_H

#include <check.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "tml.h"
#include "tml_core.h"

/* A state with the standard libraries and `textmill` (text helpers,
 * gazetteer, spans, occurrences) as a global. */
static inline lua_State *new_lua(void)
{
	lua_State *L = luaL_newstate();
	ck_assert_ptr_nonnull(L);
	*(void **)lua_getextraspace(L) = NULL; /* no stage: no tml_state */
	luaL_openlibs(L);
	lua_newtable(L);
	tml_text_register(L);
	tml_gazetteer_register(L);
	tml_spans_register(L);
	tml_occurrences_register(L);
	ck_assert_int_eq(lua_gettop(L), 1);
	lua_setglobal(L, "textmill");
	return L;
}

/* The global doc_text: a string the stage would have checked, so that
 * textmill.regex matches it with PCRE2_NO_UTF_CHECK, as the Lua stage
 * sets up a document's text; st holds what was checked. */
static inline void set_doc_text(lua_State *L, tml_state *st, const char *doc_text)
{
	*(tml_state **)lua_getextraspace(L) = st;
	memset(st->udata, 0, sizeof st->udata); /* another state's metatables */
	lua_pushstring(L, doc_text);
	size_t len;
	st->valid_text = lua_tolstring(L, -1, &len);
	st->valid_len = len;
	lua_setglobal(L, "doc_text");
}

/* Run Lua code; a Lua error fails the test with its message. */
static inline void run_lua(lua_State *L, const char *code)
{
	if (luaL_dostring(L, code))
		ck_abort_msg("Lua: %s", lua_tostring(L, -1));
}

/* main() of each test program: run the suite, exit nonzero on a failure. */
static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
