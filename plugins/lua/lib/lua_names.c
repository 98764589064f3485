/* lua_names.c -- helpers of the person rules that run in C.
 *
 *   textmill.proper(text, s, e) -> string
 *     text:sub(s, e) with the first character of each word (a run of bytes
 *     that are not ASCII spaces: space, \t \n \v \f \r) in upper case, as
 *     textmill.upper gives that character (its capital, NFC): "Đỗ Xuân
 *     trường" -> "Đỗ Xuân Trường". 1 <= s <= e + 1 <= #text + 1; raises on
 *     invalid UTF-8 in the span.
 *
 *   textmill.words_in(text, s, e, set [, bytes]) -> bool
 *     whether a word of text:sub(s, e) (split at the same spaces) is a key
 *     of the table set with a value other than false, or one of the bytes
 *     of the string bytes occurs in the span; the words are looked up in
 *     place, one string made for each. Same positions as proper; no UTF-8
 *     check (words are bytes).
 *
 * persons.lua wrote each name so with gsub, a closure and a call of
 * textmill.upper per word (a string made, checked and mapped through
 * utf8proc each time), for some 28,000 names on the dev text, nearly all
 * already capitalised: here the span is returned as is when no first
 * character changes, and a character that may change is mapped on the
 * stack. Before looking at a name's words one by one it asked a regex of
 * some 150 words tried at each capital of the name; words_in answers the
 * question that matters (may any word or byte spoil the name?) with a
 * table look-up per word. */
#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "textops.h"
#include "tml.h"

/* The space characters of Lua's %s in the C locale. */
static bool ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static utf8proc_int32_t to_upper(utf8proc_int32_t cp, void *data)
{
	(void)data;
	return utf8proc_toupper(cp);
}

/* The capital of the character of n bytes at p, as textmill.upper makes it
 * (utf8proc_map with the same options and mapping), written to out (at
 * least 64 bytes): its length, or -1 when it would not fit. */
static ptrdiff_t upper_char(const char *p, size_t n, char out[64])
{
	utf8proc_int32_t buf[16];
	const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
	utf8proc_ssize_t k = utf8proc_decompose_custom((const utf8proc_uint8_t *)p, (utf8proc_ssize_t)n, buf, 16,
						       opts, to_upper, NULL);
	if (k < 0 || k > 16)
		return -1;
	k = utf8proc_reencode(buf, k, opts); /* UTF-8 bytes, in place in buf */
	if (k < 0 || (size_t)k > 64)
		return -1;
	memcpy(out, buf, (size_t)k);
	return k;
}

/* The length of the character starting with byte c (valid UTF-8). */
static size_t char_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

/* Does the first character of a word, n bytes at p, stay the same in upper
 * case? (ASCII: not a-z; else mapped; a mapping that cannot be made is
 * taken as a change, and made by textops_upper.) */
static bool stays(const char *p, size_t n)
{
	if (n == 1)
		return !(*p >= 'a' && *p <= 'z');
	char up[64];
	ptrdiff_t k = upper_char(p, n, up);
	return k == (ptrdiff_t)n && memcmp(up, p, n) == 0;
}

/* Append the capital of the character of n bytes at p to b. */
static void add_upper(lua_State *L, luaL_Buffer *b, const char *p, size_t n)
{
	char up[64];
	ptrdiff_t k = upper_char(p, n, up);
	if (k >= 0) {
		luaL_addlstring(b, up, (size_t)k);
		return;
	}
	char *out = NULL;
	size_t out_len = 0, off = 0;
	if (textops_upper(p, n, &out, &out_len, &off)) {
		free(out);
		luaL_error(L, "textmill.proper: out of memory");
	}
	luaL_addlstring(b, out, out_len);
	free(out);
}

/* The span s..e (arguments 2 and 3) of the string at 1: its first byte and
 * length; raises on positions out of the text. */
static const char *check_span(lua_State *L, size_t *n)
{
	size_t len;
	const char *text = luaL_checklstring(L, 1, &len);
	lua_Integer s = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
	luaL_argcheck(L, s >= 1 && s <= (lua_Integer)len + 1, 2, "not a position in the text");
	luaL_argcheck(L, e >= s - 1 && e <= (lua_Integer)len, 3, "not a position in the text from s on");
	*n = (size_t)(e - s + 1);
	return text + s - 1;
}

static int l_proper(lua_State *L)
{
	size_t n, off = 0;
	const char *p = check_span(L, &n);
	lua_Integer s = lua_tointeger(L, 2);
	if (textops_utf8_validate(p, n, &off))
		return luaL_error(L, "textmill.proper: invalid UTF-8 at byte %I",
				  (lua_Integer)(s + (lua_Integer)off));
	/* the first word whose first character changes, if any */
	size_t i = 0;
	for (; i < n; i++) {
		if (ascii_space((unsigned char)p[i]) || (i > 0 && !ascii_space((unsigned char)p[i - 1])))
			continue;
		size_t c = char_len((unsigned char)p[i]);
		if (!stays(p + i, c))
			break;
	}
	if (i >= n) {
		lua_pushlstring(L, p, n);
		return 1;
	}
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	luaL_addlstring(&b, p, i);
	while (i < n) {
		if (ascii_space((unsigned char)p[i]) || (i > 0 && !ascii_space((unsigned char)p[i - 1]))) {
			luaL_addchar(&b, p[i]);
			i++;
			continue;
		}
		size_t c = char_len((unsigned char)p[i]);
		add_upper(L, &b, p + i, c);
		i += c;
	}
	luaL_pushresult(&b);
	return 1;
}

static int l_words_in(lua_State *L)
{
	size_t n, nb = 0;
	const char *p = check_span(L, &n);
	luaL_checktype(L, 4, LUA_TTABLE);
	const char *bytes = luaL_optlstring(L, 5, "", &nb);
	for (size_t k = 0; k < nb; k++)
		if (memchr(p, bytes[k], n)) {
			lua_pushboolean(L, 1);
			return 1;
		}
	for (size_t i = 0; i < n;) {
		if (ascii_space((unsigned char)p[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !ascii_space((unsigned char)p[j]))
			j++;
		lua_pushlstring(L, p + i, j - i);
		bool in = lua_rawget(L, 4) != LUA_TNIL && lua_toboolean(L, -1);
		lua_pop(L, 1);
		if (in) {
			lua_pushboolean(L, 1);
			return 1;
		}
		i = j;
	}
	lua_pushboolean(L, 0);
	return 1;
}

void tml_names_register(lua_State *L)
{
	lua_pushcfunction(L, l_words_in);
	lua_setfield(L, -2, "words_in");
	lua_pushcfunction(L, l_proper);
	lua_setfield(L, -2, "proper");
}
