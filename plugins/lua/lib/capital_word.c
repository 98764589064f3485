/* capital_word.c -- "does a capitalised word and a space stand just before
 * this position?", a test the person rules make of most names they find.
 *
 *   textmill.capital_word_before(text, pos [, reach]) -> bool
 *     the answer of the regex (?<!\S)\p{Lu}[^\s,.;:!?()]* $ (UTF and UCP,
 *     as textmill.regex compiles it) searched in text:sub(pos - reach,
 *     pos - 1) by test_in: reach defaults to 40; the word may start no
 *     earlier than pos - reach, and the character before it (read outside
 *     the window too) is a space or the text's start; `$` also matches
 *     before a newline that ends the window. Raises on invalid UTF-8 in
 *     the characters it reads.
 *
 * names.lua and persons.lua asked the regex, about 4,500 instructions a
 * call (the search starts at each capital of the window); here the run
 * of characters before the space is walked back once, a few dozen. The
 * space and capital classes are PCRE2's, which test_capital_word checks
 * over every code point. */
#include <lauxlib.h>
#include <lua.h>
#include <utf8proc.h>

#include "capital_word.h"
#include "textops.h"
#include "tml.h"

/* PCRE2's \s with PCRE2_UCP: \p{Z}, \h and \v. */
static bool pcre_space(int32_t c)
{
	if (c < 0x80)
		return c == ' ' || (c >= '\t' && c <= '\r');
	switch (c) {
	case 0x85:
	case 0xA0:
	case 0x1680:
	case 0x180E:
	case 0x2028:
	case 0x2029:
	case 0x202F:
	case 0x205F:
	case 0x3000: return true;
	default: return c >= 0x2000 && c <= 0x200A;
	}
}

/* The punctuation the regex's word may not hold besides spaces. */
static bool stop_mark(int32_t c)
{
	switch (c) {
	case ',':
	case '.':
	case ';':
	case ':':
	case '!':
	case '?':
	case '(':
	case ')': return true;
	default: return false;
	}
}

int tml_capital_word_before(const char *text, size_t len, size_t from, size_t to, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)text;
	if (!textops_whole_chars(text, len, &from, &to)) /* test_in's window */
		return 0;
	size_t j; /* the space the match ends with */
	if (to >= 1 && s[to - 1] == ' ')
		j = to - 1;
	else if (to >= 2 && s[to - 1] == '\n' && s[to - 2] == ' ')
		j = to - 2;
	else
		return 0;
	/* Back over the word to its first character: only there may the
	 * lookbehind hold, its character before being none of the word's. */
	size_t k = j, start;
	int32_t c = 0;
	while (k > 0) {
		c = textops_utf8_prev_at(text, k, &start);
		if (c < 0) {
			*bad = start;
			return -1;
		}
		if (pcre_space(c) || stop_mark(c))
			break;
		if (start < from)
			return 0; /* the word starts before the window */
		k = start;
	}
	if (k == j || (k > 0 && !pcre_space(c)))
		return 0;
	int32_t first;
	if (!textops_utf8_decode(text, j, k, &first)) {
		*bad = k;
		return -1;
	}
	return utf8proc_category(first) == UTF8PROC_CATEGORY_LU;
}

int tml_capital_word_before_pos(const char *text, size_t len, int64_t pos, int64_t reach, size_t *bad)
{
	/* test_in(text, pos - reach, pos - 1): 0-based [pos - reach - 1, pos - 1),
	 * worked out so that no position a script passes overflows */
	if (pos <= 1 || reach < 0)
		return 0;
	int64_t to = pos - 1, from = reach >= to ? 0 : to - reach;
	return tml_capital_word_before(text, len, (size_t)from, (size_t)to, bad);
}

static int l_capital_word_before(lua_State *L)
{
	size_t len, bad = 0;
	const char *text = luaL_checklstring(L, 1, &len);
	lua_Integer pos = luaL_checkinteger(L, 2), reach = luaL_optinteger(L, 3, 40);
	int r = tml_capital_word_before_pos(text, len, pos, reach, &bad);
	if (r < 0)
		return luaL_error(L, "textmill.capital_word_before: invalid UTF-8 at byte %d", (int)bad + 1);
	lua_pushboolean(L, r);
	return 1;
}

void tml_capital_word_register(lua_State *L)
{
	lua_pushcfunction(L, l_capital_word_before);
	lua_setfield(L, -2, "capital_word_before");
}
