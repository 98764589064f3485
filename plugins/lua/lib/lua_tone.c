/* lua_tone.c -- textmill.tone_keys: a Lua table whose words are found in
 * either tone placement.
 *
 * A script that looks a word of the text up in a table of its own (a list
 * of words that open a compound, of given names that are also common
 * words) finds `Ủy` only if the text spells it so; with tone_marks: keep,
 * or text that mixes the styles, the word may come as `Uỷ`. Folding each
 * word before the look-up costs a call per look-up; the table is given
 * both spellings once instead. */
#include <stdlib.h>

#include "tml_core.h"
#include "tone_pattern.h"

/* textmill.tone_keys(t) -> t: for each string key of t with an open oa,
 * oe or uy syllable, the key in the other placement, with the same value
 * (a key already there is kept). */
static int tone_keys(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_newtable(L); /* 2: the new keys, added after the walk: a walk must not add keys */
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		char *other;
		size_t len, other_len;
		if (lua_type(L, -2) == LUA_TSTRING) {
			const char *key = lua_tolstring(L, -2, &len);
			if (tone_other_spelling(key, len, &other, &other_len))
				return luaL_error(L, "textmill.tone_keys: not enough memory");
			if (other) {
				lua_pushlstring(L, other, other_len);
				free(other);
				lua_pushvalue(L, -2);
				lua_settable(L, 2);
			}
		}
		lua_pop(L, 1);
	}
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		lua_pushvalue(L, -2);
		if (lua_rawget(L, 1) == LUA_TNIL) {
			lua_pop(L, 1);
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, 1);
		} else {
			lua_pop(L, 2);
		}
	}
	lua_settop(L, 1);
	return 1;
}

void tml_tone_register(lua_State *L)
{
	lua_pushcfunction(L, tone_keys);
	lua_setfield(L, -2, "tone_keys");
}
