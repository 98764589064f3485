/* lua_text.c -- textmill.normalize, fold, lower, upper and len.
 *
 *   textmill.normalize(s [, form = "NFC"])  -> string; form is one of
 *                                              "NFC", "NFD", "NFKC", "NFKD"
 *   textmill.fold(s)   -> string: lower case, diacritics removed
 *                         ("Đồng Chí" -> "dong chi"), NFC
 *   textmill.lower(s)  -> string, NFC
 *   textmill.upper(s)  -> string, NFC
 *   textmill.len(s)    -> number of characters (code points)
 *   textmill.is_upper(s, i) -> whether the character that starts at byte i
 *                         is a capital (lower-casing changes it); false for
 *                         a position out of range or inside a character
 *   textmill.word_before(s, pos) -> the word before byte pos, as written:
 *                         back over spaces and commas, then over at most
 *                         39 bytes of letters and digits (bytes above 127
 *                         count as letters), from a character boundary;
 *                         "" when there is none
 *
 * Errors: "textmill.fold: invalid UTF-8 at byte 7", where 7 is the Lua
 * (1-based) position of the first byte of the bad sequence. */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "textops.h"
#include "tml.h"

#define BOX_MT "textmill.cbuffer"

/* A malloc'd result held by a userdata until it is a Lua string, so that
 * an error in between (out of memory) does not leak it. */
typedef struct {
	char *p;
} box;

static int box_gc(lua_State *L)
{
	box *b = lua_touserdata(L, 1);
	free(b->p);
	b->p = NULL;
	return 0;
}

static box *push_box(lua_State *L)
{
	box *b = lua_newuserdatauv(L, sizeof *b, 0);
	b->p = NULL;
	if (luaL_newmetatable(L, BOX_MT)) {
		lua_pushcfunction(L, box_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_setmetatable(L, -2);
	return b;
}

static int text_error(lua_State *L, const char *fn, int rc, size_t off)
{
	if (rc == TEXTOPS_EUTF8)
		return luaL_error(L, "textmill.%s: invalid UTF-8 at byte %I", fn, (lua_Integer)off + 1);
	return luaL_error(L, "textmill.%s: out of memory", fn);
}

typedef int (*text_fn)(const char *s, size_t len, char **out, size_t *out_len, size_t *err_off);

/* Runs fn on argument 1 and returns its result as a string. */
static int run(lua_State *L, const char *name, text_fn fn)
{
	size_t len, out_len = 0, off = 0;
	const char *s = luaL_checklstring(L, 1, &len);
	box *b = push_box(L);
	int rc = fn(s, len, &b->p, &out_len, &off);
	if (rc)
		return text_error(L, name, rc, off);
	lua_pushlstring(L, b->p, out_len);
	free(b->p);
	b->p = NULL;
	return 1;
}

static int fold_fn(const char *s, size_t len, char **out, size_t *out_len, size_t *err_off)
{
	return textops_fold(s, len, out, out_len, NULL, err_off);
}

static int l_fold(lua_State *L) { return run(L, "fold", fold_fn); }
static int l_lower(lua_State *L) { return run(L, "lower", textops_lower); }
static int l_upper(lua_State *L) { return run(L, "upper", textops_upper); }

static int l_normalize(lua_State *L)
{
	size_t len, out_len = 0, off = 0;
	const char *s = luaL_checklstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, "NFC");
	textops_form form;
	box *b;
	int rc;

	if (textops_form_parse(name, &form))
		return luaL_error(L, "textmill.normalize: unknown form '%s' (expected NFC, NFD, NFKC or NFKD)", name);
	b = push_box(L);
	rc = textops_normalize(s, len, form, &b->p, &out_len, &off);
	if (rc)
		return text_error(L, "normalize", rc, off);
	lua_pushlstring(L, b->p, out_len);
	free(b->p);
	b->p = NULL;
	return 1;
}

static int l_len(lua_State *L)
{
	size_t len, off = 0;
	const char *s = luaL_checklstring(L, 1, &len);
	ptrdiff_t n = textops_utf8_len(s, len, &off);
	if (n < 0)
		return text_error(L, "len", TEXTOPS_EUTF8, off);
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

/* Rules ask this of nearly every dictionary match ("is the next word
 * capitalised?"): one code point, no string made. */
static int l_is_upper(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	lua_Integer i = luaL_checkinteger(L, 2);
	int upper = 0;
	if (i >= 1 && (size_t)i <= len) {
		unsigned char b = (unsigned char)s[i - 1];
		if (b < 0x80) {
			upper = b >= 'A' && b <= 'Z';
		} else if (b >= 0xC0) {
			utf8proc_int32_t cp;
			if (utf8proc_iterate((const utf8proc_uint8_t *)s + i - 1,
					     (utf8proc_ssize_t)(len - (size_t)i + 1), &cp) > 0)
				upper = utf8proc_tolower(cp) != cp;
		}
	}
	lua_pushboolean(L, upper);
	return 1;
}

/* Rules ask this of most numbers and level words ("khoảng 30", "văn
 * bản"): a loop over bytes, cheaper in C than as Lua's text:byte calls. */
static int l_word_before(lua_State *L)
{
	size_t len, b, e;
	const char *s = luaL_checklstring(L, 1, &len);
	textops_word_before(s, len, luaL_checkinteger(L, 2), &b, &e);
	lua_pushlstring(L, s + b, e - b);
	return 1;
}

/* A name's last word, asked of every person a document holds: where
 * Lua's s:match("^.* (%S+)$") walked the name forwards and then tried a
 * match back from its end at each byte, one pass back to the last space. */
static int l_last_word(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	size_t i = len;
	while (i > 0 && s[i - 1] != ' ')
		i--;
	/* a word: one byte or more after the space, none of them white space */
	bool word = i > 0 && i < len;
	for (size_t j = i; word && j < len; j++)
		word = !(s[j] >= '\t' && s[j] <= '\r');
	if (word)
		lua_pushlstring(L, s + i, len - i);
	else
		lua_pushnil(L);
	return 1;
}

void tml_text_register(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"normalize", l_normalize},
		{"fold", l_fold},
		{"lower", l_lower},
		{"upper", l_upper},
		{"len", l_len},
		{"is_upper", l_is_upper},
		{"word_before", l_word_before},
		{"last_word", l_last_word},
		{NULL, NULL},
	};
	luaL_setfuncs(L, fns, 0);
}
