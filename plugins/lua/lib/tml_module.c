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
