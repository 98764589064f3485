/* lua_find_in.c -- a regex's match in a window of the text, as positions
 * and captures, with no table.
 *
 *   textmill.find_in(re, text, from, to) -> start, stop, cap1, cap2, ...
 *     the first match of re (a textmill.regex) that re:exec_in(text, from,
 *     to) finds, searched the same way (the window narrowed to whole
 *     characters, read in place): its start and stop (Lua positions), then
 *     the text of each numbered capture in order (a named group has its
 *     number too), false for a group that took no part; nil when there is
 *     no match.
 *
 * The date rules ask a lead regex before each number they read (ngày,
 * năm, tháng ...) and need its start and a capture or two. exec_in makes
 * three tables for each match (the match, its starts and stops, with
 * every name written into all three): a few thousand instructions that
 * these answers need none of. */
#include <lauxlib.h>
#include <lua.h>

#include "tml.h"
#include "tml_match.h"

static int l_find_in(lua_State *L)
{
	tml_regex *re = tml_regex_check(L, 1);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	lua_Integer from = luaL_checkinteger(L, 3), to = luaL_checkinteger(L, 4);
	/* clamped as exec_in clamps its window */
	if (from < 1)
		from = 1;
	if (to > (lua_Integer)len)
		to = (lua_Integer)len;
	uint32_t opts = tml_checked_text(tml_get_state(L), s, len) ? PCRE2_NO_UTF_CHECK : 0;
	if (from > to + 1 || !tml_regex_in(L, re, s, len, (size_t)from - 1, (size_t)to, opts)) {
		lua_pushnil(L);
		return 1;
	}
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	luaL_checkstack(L, (int)re->groups + 2, "textmill.find_in: too many captures");
	lua_pushinteger(L, (lua_Integer)ov[0] + 1);
	lua_pushinteger(L, (lua_Integer)ov[1]);
	for (uint32_t g = 1; g <= re->groups; g++) {
		if (ov[2 * g] == PCRE2_UNSET)
			lua_pushboolean(L, 0);
		else
			lua_pushlstring(L, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
	}
	return 2 + (int)re->groups;
}

void tml_find_in_register(lua_State *L)
{
	lua_pushcfunction(L, l_find_in);
	lua_setfield(L, -2, "find_in");
}
