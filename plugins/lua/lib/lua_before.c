/* lua_before.c -- what stands before a name, asked in one C call: the
 * tests of names.lua that the person rules and the persons' step ask of
 * thousands of names (a word before, a regex on the bytes before, a
 * scanned match before).
 *
 *   textmill.thing_before(spec) -> test
 *     test(cx, pos) -> bool: does the word before byte pos of cx's
 *     document (in lower case, as cx:word_before gives it) make what
 *     follows a thing's name: a key of spec.words (đường, trường ...), or a
 *     key of spec.heads or a word starting with a digit when spec.head
 *     matches in the spec.reach bytes before pos (sân bay, số 187) and, in
 *     both cases, no scanned match of a kind of spec.unless ends right
 *     before pos (cx:just_before_start(pos, spec.unless))? cx: a table
 *     whose `engine` has begun the document, or the engine.
 *
 *   textmill.list_before(spec) -> test
 *     test(cx, pos) -> bool: does a list that spec.start opens end right
 *     before pos (phố Bà Triệu, [Hoàng Quốc Việt])? No when the word before
 *     pos (textmill.word_before) is a small word (textmill.small_word) of
 *     fewer than 36 bytes that is no key of spec.ends; else whether both
 *     spec.start and spec.list match in the spec.reach bytes before pos.
 *
 * The word sets are read when the test is made. */
#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capital_runs.h"
#include "textops.h"
#include "tml.h"
#include "tml_engine.h"
#include "tml_match.h"
#include "step_spec.h"

static lua_Integer reach_of(lua_State *L, const char *who, lua_Integer otherwise)
{
	lua_getfield(L, 1, "reach");
	lua_Integer reach = lua_isnil(L, -1) ? otherwise : lua_tointeger(L, -1);
	if (!lua_isnil(L, -1) && (!lua_isinteger(L, -1) || reach < 0))
		luaL_error(L, "%s: spec.reach must be a whole number of bytes", who);
	lua_pop(L, 1);
	return reach;
}

/* re:test_in(text, pos - reach, pos - 1) of the document text[0, len). */
static bool test_before(lua_State *L, tml_regex *re, const char *text, size_t len, int64_t pos, lua_Integer reach)
{
	if (pos < 1) /* no byte before it (and pos - reach might overflow) */
		return false;
	int64_t from = pos - reach, to = pos - 1;
	if (from < 1)
		from = 1;
	if (to > (int64_t)len)
		to = (int64_t)len;
	if (from > to + 1)
		return false;
	uint32_t opts = tml_checked_text(tml_get_state(L), text, len) ? PCRE2_NO_UTF_CHECK : 0;
	return tml_regex_test_in(L, re, text, len, (size_t)from - 1, (size_t)to, opts) == 1;
}

/* ---- thing_before ---- */

enum { T_WORDS = 1, T_HEADS, T_HEAD, T_UNLESS, T_REACH };

static int l_thing_test(lua_State *L)
{
	lua_Integer pos = luaL_checkinteger(L, 2);
	int ei;
	tml_engine *e = tml_engine_of(L, 1, &ei);
	size_t len;
	const char *text = tml_engine_text(e, &len);
	char w[128];
	ptrdiff_t n = textops_word_before_lower(text, len, pos, w, sizeof w);
	if (n < 0)
		return luaL_error(L, "textmill.thing_before: cannot lower the word before byte %I", pos);
	bool thing = tml_word_set_has(lua_touserdata(L, lua_upvalueindex(T_WORDS)), w, (size_t)n);
	if (!thing && (tml_word_set_has(lua_touserdata(L, lua_upvalueindex(T_HEADS)), w, (size_t)n) ||
		       (n > 0 && w[0] >= '0' && w[0] <= '9')))
		thing = test_before(L, lua_touserdata(L, lua_upvalueindex(T_HEAD)), text, len, pos,
				    lua_tointeger(L, lua_upvalueindex(T_REACH)));
	lua_pushboolean(L, thing && !tml_engine_just_before(L, e, ei, lua_upvalueindex(T_UNLESS), pos));
	return 1;
}

static int l_thing_before(lua_State *L)
{
	const char *who = "textmill.thing_before";
	luaL_checktype(L, 1, LUA_TTABLE);
	tml_spec_field(L, who, "words", LUA_TTABLE, true);
	tml_spec_field(L, who, "heads", LUA_TTABLE, true);
	tml_spec_field(L, who, "head", LUA_TUSERDATA, false);
	tml_spec_field(L, who, "unless", LUA_TTABLE, false);
	lua_pushinteger(L, reach_of(L, who, 24));
	lua_pushcclosure(L, l_thing_test, T_REACH);
	return 1;
}

/* ---- list_before ---- */

enum { S_ENDS = 1, S_START, S_LIST, S_REACH };

static int l_list_test(lua_State *L)
{
	lua_Integer pos = luaL_checkinteger(L, 2);
	int ei;
	tml_engine *e = tml_engine_of(L, 1, &ei);
	size_t len, b, t;
	const char *text = tml_engine_text(e, &len);
	textops_word_before(text, len, pos, &b, &t);
	if (t - b < 36 && !tml_word_set_has(lua_touserdata(L, lua_upvalueindex(S_ENDS)), text + b, t - b) &&
	    tml_small_word(text + b, t - b)) {
		lua_pushboolean(L, 0); /* after a word in small letters: ông Nguyễn Huệ */
		return 1;
	}
	lua_Integer reach = lua_tointeger(L, lua_upvalueindex(S_REACH));
	lua_pushboolean(L,
			test_before(L, lua_touserdata(L, lua_upvalueindex(S_START)), text, len, pos, reach) &&
				test_before(L, lua_touserdata(L, lua_upvalueindex(S_LIST)), text, len, pos, reach));
	return 1;
}

static int l_list_before(lua_State *L)
{
	const char *who = "textmill.list_before";
	luaL_checktype(L, 1, LUA_TTABLE);
	tml_spec_field(L, who, "ends", LUA_TTABLE, true);
	tml_spec_field(L, who, "start", LUA_TUSERDATA, false);
	tml_spec_field(L, who, "list", LUA_TUSERDATA, false);
	lua_pushinteger(L, reach_of(L, who, 160));
	lua_pushcclosure(L, l_list_test, S_REACH);
	return 1;
}

void tml_before_register(lua_State *L)
{
	lua_pushcfunction(L, l_thing_before);
	lua_setfield(L, -2, "thing_before");
	lua_pushcfunction(L, l_list_before);
	lua_setfield(L, -2, "list_before");
}
