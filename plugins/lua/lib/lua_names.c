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
 *   textmill.name_cutter(spec) -> cut
 *     cut(cx, s, e) -> s2, e2 | false: persons.lua's clean_name, the name
 *     matched at s..e of the document of cx (a table whose `engine` has
 *     begun it, or the engine) cut to the name: after a lead word
 *     (spec.lead) that a capital follows; before the first match of a kind
 *     of spec.not_in_name that starts in it, less the spaces and commas
 *     before that (false when one starts at its start); its words, when a
 *     key of spec.suspect_set or a byte of spec.suspect_bytes is among them
 *     and spec.suspect_word matches in it, read by spec.check_words(text,
 *     s, e) (Lua: the new stop, at a character's end, or false); false for a title in quotes, a
 *     name glued to a word by a hyphen before it, or one a hyphen and a
 *     digit follow (Su-35); a last word that spec.date_ahead matches from
 *     (Lê Văn Tám [Ngày] 5/6) left out. The sets are read when the cutter
 *     is made.
 *
 * persons.lua wrote each name so with gsub, a closure and a call of
 * textmill.upper per word (a string made, checked and mapped through
 * utf8proc each time), for some 28,000 names on the dev text, nearly all
 * already capitalised: here the span is returned as is when no first
 * character changes, and a character that may change is mapped on the
 * stack. Before looking at a name's words one by one it asked a regex of
 * some 150 words tried at each capital of the name; words_in answers the
 * question that matters (may any word or byte spoil the name?) with a
 * table look-up per word. clean_name made about six calls into C a name,
 * from the rules and the post step (2,900 names of the tenth of the dev
 * articles): the cutter makes them in one. */
#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "textops.h"
#include "tml.h"
#include "tml_engine.h"
#include "tml_match.h"
#include "step_spec.h"

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
		if (tml_ascii_space((unsigned char)p[i]) || (i > 0 && !tml_ascii_space((unsigned char)p[i - 1])))
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
		if (tml_ascii_space((unsigned char)p[i]) || (i > 0 && !tml_ascii_space((unsigned char)p[i - 1]))) {
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

/* Is one of bytes[0, nb) in p[0, n)? */
static bool has_byte(const char *p, size_t n, const char *bytes, size_t nb)
{
	for (size_t k = 0; k < nb; k++)
		if (memchr(p, bytes[k], n))
			return true;
	return false;
}

/* Is the word a key of the Lua table at the top of the stack, with a value
 * other than false? */
static bool in_lua_set(void *ctx, const char *w, size_t len)
{
	lua_State *L = ctx;
	lua_pushlstring(L, w, len);
	bool in = lua_rawget(L, -2) != LUA_TNIL && lua_toboolean(L, -1);
	lua_pop(L, 1);
	return in;
}

static int l_words_in(lua_State *L)
{
	size_t n, nb = 0;
	const char *p = check_span(L, &n);
	luaL_checktype(L, 4, LUA_TTABLE);
	const char *bytes = luaL_optlstring(L, 5, "", &nb);
	lua_settop(L, 4); /* the set on top, for in_lua_set */
	lua_pushboolean(L, has_byte(p, n, bytes, nb) || tml_any_word(p, n, in_lua_set, L));
	return 1;
}

/* ---- the name cutter ---- */

/* The cutter's upvalues: spec's fields, its word sets read into C. */
enum { C_LEAD = 1, C_NOT_IN_NAME, C_SUSPECT_SET, C_SUSPECT_BYTES, C_SUSPECT_WORD, C_DATE_AHEAD, C_CHECK_WORDS };

/* A quotation mark that opens before s (b: the byte at s - 1): " ' “ ‘ «. */
static bool opens_quote(const char *t, size_t len, int64_t s, int b)
{
	return b == '"' || b == '\'' ||
	       ((b == 0x9C || b == 0x98) && s > 3 && tml_byte_at(t, len, s - 2) == 0x80 &&
		tml_byte_at(t, len, s - 3) == 0xE2) ||
	       (b == 0xAB && s > 2 && tml_byte_at(t, len, s - 2) == 0xC2);
}

/* One that closes at c, c2, c3: " ' ” ’ ». */
static bool closes_quote(int c, int c2, int c3)
{
	return c == '"' || c == '\'' || (c == 0xE2 && c2 == 0x80 && (c3 == 0x9D || c3 == 0x99)) ||
	       (c == 0xC2 && c2 == 0xBB);
}

/* cut(cx, s, e): see the top of the file. */
static int l_cut(lua_State *L)
{
	lua_Integer s = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
	int ei;
	tml_engine *eng = tml_engine_of(L, 1, &ei);
	size_t len;
	const char *text = tml_engine_text(eng, &len);
	const unsigned char *t = (const unsigned char *)text;
	luaL_argcheck(L, s >= 1 && s <= (lua_Integer)len + 1, 2, "not a position in the text");
	luaL_argcheck(L, e >= s - 1 && e <= (lua_Integer)len, 3, "not a position in the text from s on");
	uint32_t opts = tml_checked_text(tml_get_state(L), text, len) ? PCRE2_NO_UTF_CHECK : 0;
	/* a lead word before the name (Tướng, Ngài) when a capital follows it */
	size_t w = (size_t)s - 1;
	while (w < len && !tml_ascii_space(t[w]))
		w++;
	const tml_word_set *lead = lua_touserdata(L, lua_upvalueindex(C_LEAD));
	if (w > (size_t)s - 1 && w < len && t[w] == ' ' &&
	    tml_word_set_has(lead, text + s - 1, w - ((size_t)s - 1)) && tml_engine_upper_at(eng, (int64_t)w + 2)) {
		s = (lua_Integer)w + 2;
		if (s > e) { /* the lead word alone: no name (clean_name in Lua raised an error) */
			lua_pushboolean(L, 0);
			return 1;
		}
	}
	/* cut where a dictionary word starts, less the spaces and commas before it */
	size_t cut = tml_engine_first_start(L, eng, ei, lua_upvalueindex(C_NOT_IN_NAME), s, e);
	if (cut == (size_t)s) {
		lua_pushboolean(L, 0);
		return 1;
	}
	if (cut) {
		e = (lua_Integer)cut - 1;
		while (e > s && (tml_ascii_space(t[e - 1]) || t[e - 1] == ','))
			e--;
	}
	/* the words: most names hold none of the suspect words, hyphens or
	 * apostrophes; the others are read by spec.check_words, in Lua */
	lua_Integer e0 = e;
	size_t nb;
	const char *bytes = lua_tolstring(L, lua_upvalueindex(C_SUSPECT_BYTES), &nb);
	const tml_word_set *suspect_set = lua_touserdata(L, lua_upvalueindex(C_SUSPECT_SET));
	const char *name = text + s - 1;
	size_t n = (size_t)(e - s + 1);
	if ((has_byte(name, n, bytes, nb) || tml_word_set_any(suspect_set, name, n)) &&
	    tml_regex_test_in(L, lua_touserdata(L, lua_upvalueindex(C_SUSPECT_WORD)), text, len, (size_t)s - 1,
			      (size_t)e, opts) == 1) {
		lua_pushvalue(L, lua_upvalueindex(C_CHECK_WORDS));
		lua_getfield(L, 1, "text");
		lua_pushinteger(L, s);
		lua_pushinteger(L, e);
		lua_call(L, 3, 1);
		if (!lua_toboolean(L, -1)) {
			lua_pushboolean(L, 0); /* not a name */
			return 1;
		}
		int ok;
		lua_Integer stop = lua_tointegerx(L, -1, &ok);
		/* a stop inside a character would hand back half of it */
		if (!ok || stop < s - 1 || stop > e || ((size_t)stop < len && (t[stop] & 0xC0) == 0x80))
			return luaL_error(L,
					  "textmill.name_cutter: check_words gave %s for %I..%I, not false or a "
					  "stop in %I..%I at the end of a character",
					  luaL_tolstring(L, -1, NULL), s, e, s - 1, e);
		lua_pop(L, 1);
		e = stop;
	}
	int before = s > 2 ? tml_byte_at(text, len, s - 2) : -1, b1 = tml_byte_at(text, len, s - 1);
	int c1 = tml_byte_at(text, len, e + 1), c2 = tml_byte_at(text, len, e + 2),
	    c3 = tml_byte_at(text, len, e + 3);
	int after = e != e0 ? tml_byte_at(text, len, e0 + 2) : c2;
	if ((b1 != ' ' && opens_quote(text, len, s, b1) && closes_quote(c1, c2, c3)) /* a title in quotes */
	    || (b1 == '-' && before > ' ')                                           /* glued by a hyphen: a street */
	    || (c1 == '-' && after >= '0' && after <= '9')) {                        /* a code: Covid-19 */
		lua_pushboolean(L, 0);
		return 1;
	}
	if (c1 == ' ' && c2 >= '0' && c2 <= '9') {
		/* a number after: the last word may open a date that starts a sentence */
		tml_regex *date = lua_touserdata(L, lua_upvalueindex(C_DATE_AHEAD));
		size_t to = (size_t)e + 2 < len ? (size_t)e + 2 : len;
		if (tml_regex_in(L, date, text, len, (size_t)s - 1, to, opts) == 1)
			e = (lua_Integer)pcre2_get_ovector_pointer(date->md)[0];
	}
	lua_pushinteger(L, s);
	lua_pushinteger(L, e);
	return 2;
}

static int l_name_cutter(lua_State *L)
{
	const char *who = "textmill.name_cutter";
	luaL_checktype(L, 1, LUA_TTABLE);
	tml_spec_field(L, who, "lead", LUA_TTABLE, true);
	tml_spec_field(L, who, "not_in_name", LUA_TTABLE, false);
	tml_spec_field(L, who, "suspect_set", LUA_TTABLE, true);
	tml_spec_field(L, who, "suspect_bytes", LUA_TSTRING, false);
	tml_spec_field(L, who, "suspect_word", LUA_TUSERDATA, false);
	tml_spec_field(L, who, "date_ahead", LUA_TUSERDATA, false);
	tml_spec_field(L, who, "check_words", LUA_TFUNCTION, false);
	lua_pushcclosure(L, l_cut, C_CHECK_WORDS);
	return 1;
}

void tml_names_register(lua_State *L)
{
	lua_pushcfunction(L, l_words_in);
	lua_setfield(L, -2, "words_in");
	lua_pushcfunction(L, l_proper);
	lua_setfield(L, -2, "proper");
	lua_pushcfunction(L, l_name_cutter);
	lua_setfield(L, -2, "name_cutter");
}
