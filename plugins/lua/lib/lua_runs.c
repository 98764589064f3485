/* lua_runs.c -- textmill.capital_runs: the matches of an anchored regex at
 * the places where two capitalised words start, found by a byte loop.
 *
 *   textmill.capital_runs(text, re [, init]) -> starts, stops
 *     re: a textmill.regex anchored at its start (`\G...`), tried at each
 *       byte of text, from init (default 1) on, where a capital (A-Z or
 *       a character of several bytes that is not a known small letter) is
 *       followed by one or more of a-z, ' and -, a space and again such a
 *       capital.
 *     Returns two lists of integers: start and stop (1-based, inclusive)
 *     of each match, in text order, as `re:gmatch(text, init)` without the
 *     \G would give them when every match of that pattern starts at such a
 *     place: after a match the next is sought from its end.
 *
 *   textmill.small_word(s) -> whether s is one or more small letters: a-z,
 *     or letters of Latin-1, Latin Extended-A, ơ, ư and Latin Extended
 *     Additional (the letters of Vietnamese) that are not capitals; false
 *     for anything else (a digit, a space, a letter of another block).
 *
 * The foreign-name scan of the entity pack (names.lua) sought runs of
 * capitalised words in plain letters with an unanchored regex, which PCRE2
 * tried at each of the many capitals of Vietnamese text (Hà Nội, Việt Nam
 * fail at their second byte or word); this loop rejects those in a few
 * instructions a byte and calls PCRE2 about one capital in thirteen. */
#include <lauxlib.h>
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "byte_words.h"
#include "capital_runs.h"
#include "tml.h"
#include "tml_match.h"

/* A byte that may open a capital: A-Z or the first byte of a character of
 * several bytes (1); one of a-z ' - (2); anything else (0). */
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
/* clang-format off */
static const unsigned char BYTE_CLASS[256] = {
	R16(0), R16(0),
	0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 2, 0, 0, /* ' - */
	R16(0),
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* A-O */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* P-Z */
	0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* a-o */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, /* p-z */
	R16(0), R16(0), R16(0), R16(0),                 /* 0x80-0xBF: inside a character */
	R16(1), R16(1), R16(1), R16(1),                 /* 0xC0-0xFF: a character's first byte */
};
/* clang-format on */

/* Whether the character of several bytes at p may be a capital: not one
 * of the small letters Vietnamese text is full of (à, ư, đ, ế ...), which
 * would otherwise each be tried. Only blocks whose small letters are
 * known are told apart; test_runs checks every character of them against
 * PCRE2's \p{Lu}. */
static bool maybe_capital(const unsigned char *u, size_t len, size_t p)
{
	if (p + 1 >= len)
		return true;
	unsigned char b = u[p], c = u[p + 1];
	switch (b) {
	case 0xC3: /* U+00C0-U+00FF: small from U+00DF on */ return c < 0x9F;
	case 0xC4:
	case 0xC5: { /* U+0100-U+017F: capitals even, small odd, but for two runs */
		unsigned cp = ((unsigned)(b & 0x1F) << 6) | (c & 0x3F);
		return !(cp & 1) || (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
	}
	case 0xC6: /* ơ, ư */ return c != 0xA1 && c != 0xB0;
	case 0xE1: /* U+1E00-U+1EFF: capitals even, small odd */
		return p + 2 >= len || c < 0xB8 || c > 0xBB || !(u[p + 2] & 1);
	default: return true;
	}
}

/* The first place at or after p0 where a match may start, or len. Found
 * from the space between the two words: a space followed by a capital,
 * before it a run of a-z ' - and before that a capital, which is the
 * place. Spaces come every few bytes, capitals after them much more
 * rarely; the places come out in text order, since a run holds no space. */
/* 0x80 in each byte of w that BYTE_CLASS gives 1: A-Z, or 0xC0 and up
 * (its two high bits set; the shift brings each byte's bit 6 to its bit 7). */
static inline uint64_t capital_bytes(uint64_t w)
{
	return word_bytes_between(w, 'A', 'Z') | (w & (w << 1) & WORD_HIGH);
}

/* The first q at or after q0 with a space at q and a byte of BYTE_CLASS 1
 * at q + 1, or len. With SSE2 (every x86-64) sixteen places a step: the
 * scan's 53,000 calls over a tenth of the dev articles (a capital follows
 * a space every 25 bytes or so) took 5.8 million instructions eight
 * places a step. */
static size_t next_space_capital(const unsigned char *u, size_t len, size_t q)
{
#ifdef __SSE2__
	/* bytes compared as signed once their high bit is flipped: A-Z is
	 * 0xC1..0xDA, a first byte of several (0xC0 and up) 0x40 and up */
	const __m128i flip = _mm_set1_epi8((char)0x80), space = _mm_set1_epi8(' ');
	const __m128i before_a = _mm_set1_epi8((char)(('A' - 1) ^ 0x80)),
		      after_z = _mm_set1_epi8((char)(('Z' + 1) ^ 0x80));
	const __m128i below_lead = _mm_set1_epi8((char)(0xBF ^ 0x80));
	for (; q + 17 <= len; q += 16) {
		__m128i here = _mm_loadu_si128((const __m128i *)(u + q));
		__m128i next = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(u + q + 1)), flip);
		__m128i upper = _mm_and_si128(_mm_cmpgt_epi8(next, before_a), _mm_cmplt_epi8(next, after_z));
		__m128i capital = _mm_or_si128(upper, _mm_cmpgt_epi8(next, below_lead));
		int m = _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(here, space), capital));
		if (m)
			return q + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
	for (; q + 9 <= len; q += 8) { /* eight places a step */
		uint64_t m = word_bytes_equal(word_at(u + q), ' ') & capital_bytes(word_at(u + q + 1));
		if (m)
			return q + word_first(m);
	}
	for (; q + 1 < len; q++)
		if (u[q] == ' ' && BYTE_CLASS[u[q + 1]] == 1)
			return q;
	return len;
}

static size_t next_place(const unsigned char *u, size_t len, size_t p0)
{
	for (size_t q = next_space_capital(u, len, p0 + 2); q < len; q = next_space_capital(u, len, q + 1)) {
		if (u[q + 1] >= 0x80 && !maybe_capital(u, len, q + 1))
			continue;
		size_t w = q;
		while (w > p0 && BYTE_CLASS[u[w - 1]] == 2)
			w--;
		if (w == q || w == p0)
			continue; /* no run, or its capital would be before p0 */
		size_t p = w - 1;
		while (p > p0 && (u[p] & 0xC0) == 0x80) /* back to the first byte of a character */
			p--;
		if (BYTE_CLASS[u[p]] == 1 && (u[p] < 0x80 || maybe_capital(u, len, p)))
			return p;
	}
	return len;
}

int tml_capital_run_next(lua_State *L, tml_regex *re, const char *text, size_t len, size_t *at, size_t *s, size_t *e)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t p = *at;
	while ((p = next_place(u, len, p)) < len) {
		if (tml_regex_exec(L, re, text, len, p, PCRE2_NO_UTF_CHECK)) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
			*s = ov[0], *e = ov[1];
			if (ov[1] > p) {
				*at = ov[1]; /* the next is sought from its end */
			} else {             /* an empty match: from the next character */
				do
					p++;
				while (p < len && (u[p] & 0xC0) == 0x80);
				*at = p;
			}
			return 1;
		}
		do /* no match here: from the next character */
			p++;
		while (p < len && (u[p] & 0xC0) == 0x80);
	}
	*at = len;
	return 0;
}

void tml_capital_runs_check(lua_State *L, const char *who, tml_regex *re, const char *s, size_t len)
{
	uint32_t all = 0;
	pcre2_pattern_info(re->code, PCRE2_INFO_ALLOPTIONS, &all);
	if (!(all & PCRE2_ANCHORED))
		luaL_error(L, "%s: regex %s is not anchored (start it with \\G)", who, re->pattern);
	/* The document's text was checked by the host; any other is here. */
	if (!tml_checked_text(tml_get_state(L), s, len)) {
		size_t valid = kit_utf8_valid_prefix(s, len);
		if (valid != len)
			luaL_error(L, "%s: invalid UTF-8 at byte %I", who, (lua_Integer)valid + 1);
	}
}

static int l_capital_runs(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	tml_regex *re = tml_regex_check(L, 2);
	lua_Integer init = luaL_optinteger(L, 3, 1);
	tml_capital_runs_check(L, "textmill.capital_runs", re, s, len);
	size_t p = init < 1 ? 0 : (size_t)init - 1, start, stop;
	while (p < len && (s[p] & 0xC0) == 0x80)
		p++;
	lua_createtable(L, 8, 0);
	lua_createtable(L, 8, 0);
	lua_Integer n = 0;
	while (tml_capital_run_next(L, re, s, len, &p, &start, &stop)) {
		n++;
		lua_pushinteger(L, (lua_Integer)start + 1);
		lua_rawseti(L, -3, n);
		lua_pushinteger(L, (lua_Integer)stop);
		lua_rawseti(L, -2, n);
	}
	return 2;
}

bool tml_small_word(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char b = u[i];
		size_t n = b < 0x80 ? 1 : b == 0xE1 ? 3 : (b >= 0xC3 && b <= 0xC6) ? 2 : 0;
		if (n == 0 || i + n > len || (n == 1 && (b < 'a' || b > 'z')))
			break;
		if (n > 1 && ((u[i + 1] & 0xC0) != 0x80 || (n == 3 && (u[i + 2] & 0xC0) != 0x80) ||
			      maybe_capital(u, len, i) || (b == 0xC3 && u[i + 1] == 0xB7) /* ÷ */))
			break;
		i += n;
	}
	return len > 0 && i == len;
}

/* textmill.small_word(s): tml_small_word. */
static int l_small_word(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	lua_pushboolean(L, tml_small_word(s, len));
	return 1;
}

void tml_runs_register(lua_State *L)
{
	lua_pushcfunction(L, l_small_word);
	lua_setfield(L, -2, "small_word");
	lua_pushcfunction(L, l_capital_runs);
	lua_setfield(L, -2, "capital_runs");
}
