/* lua_foreign.c -- textmill.foreign_names: the entity pack's step that
 * finds foreign names with no title around them (names.lua), in one call.
 *
 *   textmill.foreign_names(spec) -> find
 *   find(text [, place_before]) -> starts, stops
 *     The runs of spec.run (a textmill.regex anchored with \G: two or three
 *     capitalised words) that textmill.capital_runs gives, kept when
 *       - the run's last word has three bytes or more, a-z among them, and
 *         the run does not start with Đ (a Vietnamese word);
 *       - its first word is no key of spec.plain_first (Theo, Ford ...);
 *       - no capitalised word and a space stand right before it
 *         (textmill.capital_word_before), unless place_before(pos), called
 *         with the run's start, is true (a country before: tỷ phú Nga X);
 *       - the word before it in lower case (as the engine's word_before
 *         gives it) is no key of spec.thing_before (xe, đội ...);
 *       - spec.not_after does not match in the 24 bytes after it (a
 *         number, a model code: Honda City 2017);
 *       - the article writes its last word alone elsewhere, as news does a
 *         foreign surname: a whole word (as textmill.occurrences finds
 *         them) outside the run, no hyphen right before or after it, no
 *         capitalised word and space right before it, spec.sentence_before
 *         not matching in the 8 bytes before it (a sentence start is no
 *         evidence) and spec.not_after not matching after it;
 *       - no word of the run (split at ASCII spaces) is a key of
 *         spec.thing_words (City, FC ...), and no 's ends a word of it;
 *       - its last word never follows, as a word of its own, a word that is
 *         a key of spec.product_before (xe Bobber: a product's name).
 *     The sets are tables, read when find is made; a key counts when its
 *     value is neither nil nor false. find returns the starts and stops
 *     (1-based, inclusive) of the runs kept, in text order.
 *
 * names.lua ran these tests in Lua on some 1,650 runs of the tenth of the
 * dev articles, a dozen calls into C each (a search, a regex, a word
 * before), and its last-word test built a table of occurrences per word:
 * 40 M instructions, of which the run scan is 11. */
#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capital_runs.h"
#include "capital_word.h"
#include "textops.h"
#include "tml.h"
#include "tml_match.h"
#include "step_spec.h"

#define WHO "textmill.foreign_names"

typedef struct {
	lua_State *L;
	const char *text;
	size_t len;
	const tml_word_set *plain_first, *thing_before, *thing_words, *product_before;
	int place;           /* place_before's stack index */
	int known, products; /* the call's answers by word: tables (see alone_elsewhere, a_product) */
	tml_regex *not_after, *sentence_before;
} step;

/* Is the word before byte pos (0-based), in lower case, in the set? The
 * engine's e:word_before. */
static bool word_before_in(const step *st, const tml_word_set *set, size_t pos)
{
	char low[128];
	ptrdiff_t n = textops_word_before_lower(st->text, st->len, (int64_t)pos + 1, low, sizeof low);
	if (n < 0)
		luaL_error(st->L, WHO ": cannot lower the word before byte %I", (lua_Integer)pos + 1);
	return tml_word_set_has(set, low, (size_t)n);
}

/* textmill.capital_word_before(text, pos + 1): a capitalised word and a
 * space within the 40 bytes before byte pos (0-based). */
static bool capital_before(const step *st, size_t pos)
{
	size_t bad = 0;
	int r = tml_capital_word_before_pos(st->text, st->len, (int64_t)pos + 1, 40, &bad);
	if (r < 0)
		luaL_error(st->L, WHO ": invalid UTF-8 at byte %I", (lua_Integer)bad + 1);
	return r == 1;
}

/* re:test_in(text, from + 1, to) on the bytes [from, to) of the text, to
 * cut at its end. */
static bool test_in(const step *st, tml_regex *re, size_t from, size_t to)
{
	if (to > st->len)
		to = st->len;
	return tml_regex_test_in(st->L, re, st->text, st->len, from, to, PCRE2_NO_UTF_CHECK) == 1;
}

static bool not_after(const step *st, size_t end) { return test_in(st, st->not_after, end, end + 24); }

/* Is the occurrence [s, e) of a word alone there: no hyphen joins it, no
 * capitalised word stands before it, no sentence starts right before it,
 * nothing that makes a code or a product follows it? */
static bool alone_at(const step *st, size_t s, size_t e)
{
	const char *t = st->text;
	return !(s > 0 && t[s - 1] == '-') && !(e < st->len && t[e] == '-') && !capital_before(st, s) &&
	       !test_in(st, st->sentence_before, s >= 8 ? s - 8 : 0, s) && !not_after(st, e);
}

/* The first occurrence of w[0, n) (n > 0) at or after byte from: its
 * first byte by memchr, then the rest compared, as Lua's plain find does
 * (memmem's set-up cost more than the search of an article for a word). */
static const char *find_from(const step *st, size_t from, const char *w, size_t n)
{
	if (from > st->len)
		return NULL;
	const char *p = st->text + from, *end = st->text + st->len;
	while ((size_t)(end - p) >= n) {
		p = memchr(p, w[0], (size_t)(end - p) - n + 1);
		if (!p)
			return NULL;
		if (!memcmp(p + 1, w + 1, n - 1))
			return p;
		p++;
	}
	return NULL;
}

/* A word's whole-word occurrences, each found as repeated string.find
 * finds it (past each match, one inside a word too), and what alone_at
 * said of each so far (0: not asked, 1: no, 2: yes): found once per word
 * and document, asked only when needed. A userdata, in the call's table
 * known by word: a long document asks again for each run of a name. */
typedef struct {
	uint32_t n;
	uint32_t start[]; /* n starts, then n bytes of answers */
} occurrences;

static occurrences *occurrences_of(step *st, const char *w, size_t n)
{
	lua_State *L = st->L;
	luaL_Buffer found; /* the starts, as bytes: one pass, and nothing to free on an error */
	luaL_buffinit(L, &found);
	const char *f;
	for (size_t at = 0; (f = find_from(st, at, w, n)) != NULL;) {
		size_t s = (size_t)(f - st->text), e = s + n;
		at = e;
		if ((s == 0 || !textops_word_byte((unsigned char)st->text[s - 1])) &&
		    (e >= st->len || !textops_word_byte((unsigned char)st->text[e]))) {
			uint32_t start = (uint32_t)s;
			luaL_addlstring(&found, (const char *)&start, sizeof start);
		}
	}
	luaL_pushresult(&found);
	size_t bytes, count;
	const char *starts = lua_tolstring(L, -1, &bytes);
	count = bytes / sizeof(uint32_t);
	lua_pushlstring(L, w, n);
	occurrences *o = lua_newuserdatauv(L, sizeof *o + count * (sizeof o->start[0] + 1), 0);
	o->n = (uint32_t)count;
	memcpy(o->start, starts, bytes);
	memset(o->start + count, 0, count); /* nothing asked yet */
	lua_rawset(L, st->known);
	lua_pop(L, 1);
	return o;
}

/* Does the article write the word w[0, n) alone outside the run [s0, e0):
 * at a whole-word occurrence that alone_at takes? */
static bool alone_elsewhere(step *st, const char *w, size_t n, size_t s0, size_t e0)
{
	lua_pushlstring(st->L, w, n);
	occurrences *o = lua_rawget(st->L, st->known) == LUA_TUSERDATA ? lua_touserdata(st->L, -1) : NULL;
	lua_pop(st->L, 1); /* (the table keeps it) */
	if (!o) {
		/* a plain search first: most words are written nowhere else */
		const char *f = find_from(st, 0, w, n);
		if (!(f && (size_t)(f - st->text) + n <= s0) && !find_from(st, e0, w, n))
			return false;
		o = occurrences_of(st, w, n);
	}
	uint8_t *said = (uint8_t *)(o->start + o->n);
	for (uint32_t i = 0; i < o->n; i++) {
		size_t s = o->start[i], e = s + n;
		if (e > s0 && s < e0)
			continue; /* the run's own */
		if (!said[i])
			said[i] = alone_at(st, s, e) ? 2 : 1;
		if (said[i] == 2)
			return true;
	}
	return false;
}

static bool ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Is a word of the run [s, e) a thing's (spec.thing_words), or does an 's
 * end one of them (Giant's Causeway)? */
static bool thing_word(const step *st, size_t s, size_t e)
{
	const unsigned char *t = (const unsigned char *)st->text;
	for (size_t i = s; i + 1 < e; i++)
		if (t[i] == '\'' && t[i + 1] == 's' && (i + 2 == e || !ascii_alnum(t[i + 2])))
			return true;
	return tml_word_set_any(st->thing_words, st->text + s, e - s);
}

/* A byte of a word or a hyphen: an ASCII letter or digit, -, or a byte of
 * a character of several bytes. */
static bool word_or_hyphen(unsigned char c) { return c == '-' || textops_word_byte(c); }

/* Is the word w[0, n) written anywhere as a word of its own (no word byte
 * or hyphen after it) right after a key of spec.product_before? Kept by
 * word for the call. */
static bool a_product(step *st, const char *w, size_t n)
{
	lua_pushlstring(st->L, w, n);
	int known = lua_rawget(st->L, st->products);
	bool product = lua_toboolean(st->L, -1);
	lua_pop(st->L, 1);
	if (known != LUA_TNIL)
		return product;
	const char *f;
	for (size_t at = 0; !product && (f = find_from(st, at, w, n)) != NULL;) {
		size_t s = (size_t)(f - st->text), e = s + n;
		at = e;
		product = !(e < st->len && word_or_hyphen((unsigned char)st->text[e])) &&
			  word_before_in(st, st->product_before, s);
	}
	lua_pushlstring(st->L, w, n);
	lua_pushboolean(st->L, product);
	lua_rawset(st->L, st->products);
	return product;
}

/* Does place_before(pos + 1) say a place ends right before byte pos? */
static bool place_before(const step *st, size_t pos)
{
	if (lua_isnil(st->L, st->place))
		return false;
	lua_pushvalue(st->L, st->place);
	lua_pushinteger(st->L, (lua_Integer)pos + 1);
	lua_call(st->L, 1, 1);
	bool yes = lua_toboolean(st->L, -1);
	lua_pop(st->L, 1);
	return yes;
}

/* Is the run [s, e) a foreign name, by the tests above (cheap ones first)? */
static bool foreign_name(step *st, size_t s, size_t e)
{
	const unsigned char *t = (const unsigned char *)st->text;
	/* two or three words, one space apart: the first ends at the first
	 * space, the last starts after the last */
	const unsigned char *sp = memchr(t + s, ' ', e - s);
	if (!sp)
		return false; /* no run of spec.run is one word; another is none */
	size_t first_end = (size_t)(sp - t), last = first_end + 1;
	const unsigned char *sp2 = e > last + 1 ? memchr(t + last, ' ', e - 1 - last) : NULL;
	if (sp2)
		last = (size_t)(sp2 - t) + 1;
	bool small = false;
	for (size_t i = last; i < e && !small; i++)
		small = t[i] >= 'a' && t[i] <= 'z';
	if (e - last < 3 || !small || (t[s] == 0xC4 && t[s + 1] == 0x90)) /* Đ */
		return false;
	if (tml_word_set_has(st->plain_first, st->text + s, first_end - s))
		return false;
	if (capital_before(st, s) && !place_before(st, s))
		return false;
	if (word_before_in(st, st->thing_before, s) || not_after(st, e))
		return false;
	const char *w = st->text + last;
	return alone_elsewhere(st, w, e - last, s, e) && !thing_word(st, s, e) && !a_product(st, w, e - last);
}

/* The step's upvalues: spec's fields, its word sets read into C. */
enum { F_RUN = 1, F_NOT_AFTER, F_SENTENCE_BEFORE, F_PLAIN_FIRST, F_THING_BEFORE, F_THING_WORDS, F_PRODUCT_BEFORE };

#define SET(k) ((const tml_word_set *)lua_touserdata(L, lua_upvalueindex(k)))

/* find(text [, place_before]): see the top of the file. */
static int l_find(lua_State *L)
{
	step st = {.L = L};
	st.text = luaL_checklstring(L, 1, &st.len);
	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	st.place = 2;
	tml_regex *run = lua_touserdata(L, lua_upvalueindex(F_RUN));
	st.not_after = lua_touserdata(L, lua_upvalueindex(F_NOT_AFTER));
	st.sentence_before = lua_touserdata(L, lua_upvalueindex(F_SENTENCE_BEFORE));
	st.plain_first = SET(F_PLAIN_FIRST), st.thing_before = SET(F_THING_BEFORE);
	st.thing_words = SET(F_THING_WORDS), st.product_before = SET(F_PRODUCT_BEFORE);
	tml_capital_runs_check(L, WHO, run, st.text, st.len);
	if (st.len > UINT32_MAX)
		return luaL_error(L, WHO ": text of more than 4 GB");
	lua_newtable(L);
	st.known = lua_gettop(L);
	lua_newtable(L);
	st.products = lua_gettop(L);
	lua_createtable(L, 4, 0);
	lua_createtable(L, 4, 0);
	int starts = lua_gettop(L) - 1;
	lua_Integer n = 0;
	size_t at = 0, s, e;
	while (tml_capital_run_next(L, run, st.text, st.len, &at, &s, &e)) {
		if (e > s && foreign_name(&st, s, e)) {
			n++;
			lua_pushinteger(L, (lua_Integer)s + 1);
			lua_rawseti(L, starts, n);
			lua_pushinteger(L, (lua_Integer)e);
			lua_rawseti(L, starts + 1, n);
		}
	}
	return 2;
}

static int l_foreign_names(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	tml_spec_field(L, WHO, "run", LUA_TUSERDATA, false);
	tml_capital_runs_check(L, WHO, lua_touserdata(L, -1), "", 0); /* anchored, said now */
	tml_spec_field(L, WHO, "not_after", LUA_TUSERDATA, false);
	tml_spec_field(L, WHO, "sentence_before", LUA_TUSERDATA, false);
	tml_spec_field(L, WHO, "plain_first", LUA_TTABLE, true);
	tml_spec_field(L, WHO, "thing_before", LUA_TTABLE, true);
	tml_spec_field(L, WHO, "thing_words", LUA_TTABLE, true);
	tml_spec_field(L, WHO, "product_before", LUA_TTABLE, true);
	lua_pushcclosure(L, l_find, F_PRODUCT_BEFORE);
	return 1;
}

void tml_foreign_register(lua_State *L)
{
	lua_pushcfunction(L, l_foreign_names);
	lua_setfield(L, -2, "foreign_names");
}
