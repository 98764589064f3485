/* tone_pattern.c -- both tone placements in a regex pattern; see
 * tone_pattern.h.
 *
 * The pattern is read once from left to right and copied. What is not a
 * literal character (an escape, a character class, a group's opening with
 * its name or options, a comment) is copied whole, so nothing inside it is
 * rewritten; a pair is rewritten only where both alternatives mean what
 * the pair meant. When in doubt a pair is left as written: the pattern
 * then finds one placement, as it did before. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "textmill/kit.h"
#include "textmill/kit_vn_tone.h"
#include "tone_pattern.h"

typedef struct {
	int vowel, upper, tone; /* tone 0: none */
} vowel;

/* Does the syllable end at s[j] (the end, or a character that is no letter)? */
static bool ends_at(const char *s, size_t len, size_t j)
{
	if (j >= len)
		return true;
	if ((unsigned char)s[j] < 0x80)
		return !isalpha((unsigned char)s[j]);
	size_t n;
	return kit_vn_wide_punct(kit_utf8_decode(s + j, len - j, &n));
}

static bool vowel_of(int32_t cp, vowel *v)
{
	if (cp < 0x80 && !strchr("aeouyAEOUY", (int)cp)) /* most of a pattern */
		return false;
	for (int i = 0; i < KIT_VN_VOWELS; i++)
		for (int u = 0; u < 2; u++) {
			if (cp == kit_vn_plain[i][u]) {
				*v = (vowel){i, u, 0};
				return true;
			}
			for (int t = 0; t < 5; t++)
				if (kit_vn_toned[i][u][t] == cp) {
					*v = (vowel){i, u, t + 1};
					return true;
				}
		}
	return false;
}

static void put_vowel(kit_buf *b, int v, int upper, int tone)
{
	if (tone)
		kit_buf_put_cp(b, kit_vn_toned[v][upper][tone - 1]);
	else
		kit_buf_putc(b, kit_vn_plain[v][upper]);
}

typedef struct {
	const char *p;
	size_t len, i;
	bool extended, quoted; /* PCRE2_EXTENDED seen; inside \Q...\E */
	int32_t prev;          /* the literal character before i; 0 none, -1 a bad byte */
	bool changed;
	kit_buf out;
} walk;

static char at(const walk *w, size_t j) { return j < w->len ? w->p[j] : 0; }

/* Just past the first c at or after j, or the end. */
static size_t past(const walk *w, size_t j, char c)
{
	while (j < w->len && w->p[j] != c)
		j++;
	return j < w->len ? j + 1 : w->len;
}

static void copy_to(walk *w, size_t end)
{
	kit_buf_put(&w->out, w->p + w->i, end - w->i);
	w->i = end;
}

static size_t char_len(const walk *w, size_t j)
{
	size_t n = 1;
	while (j + n < w->len && ((unsigned char)w->p[j + n] & 0xC0) == 0x80)
		n++;
	return n;
}

/* Past the escape at j (a backslash): \x{..}, \p{..}, \k<..>, \g'..' and
 * the like whole, \cX, else the backslash and one character. */
static size_t escape_end(const walk *w, size_t j)
{
	char e = at(w, j + 1), open = at(w, j + 2);
	if (e && strchr("xopPNgk", e)) {
		const char *close = open == '{' ? "}" : open == '<' ? ">" : open == '\'' ? "'" : NULL;
		if (close)
			return past(w, j + 3, *close);
	}
	if (e == 'c' || e == 'p' || e == 'P')
		return j + 3 < w->len ? j + 3 : w->len;
	return j + 1 < w->len ? j + 1 + char_len(w, j + 1) : w->len;
}

/* Past the character class opening at j: a ']' first is a member, as are
 * escaped characters, \Q...\E and [:name:]. */
static size_t class_end(const walk *w, size_t j)
{
	j++;
	if (at(w, j) == '^')
		j++;
	if (at(w, j) == ']')
		j++;
	while (j < w->len && w->p[j] != ']') {
		if (w->p[j] == '\\' && at(w, j + 1) == 'Q') {
			const char *end = memmem(w->p + j, w->len - j, "\\E", 2);
			j = end ? (size_t)(end - w->p) + 2 : w->len;
		} else if (w->p[j] == '\\') {
			j += 2;
		} else if (w->p[j] == '[' && at(w, j + 1) == ':') {
			const char *end = memmem(w->p + j, w->len - j, ":]", 2);
			j = end ? (size_t)(end - w->p) + 2 : w->len;
		} else {
			j++;
		}
	}
	return j < w->len ? j + 1 : w->len;
}

/* Past what opens the group at j, a '(': a name, a condition, options
 * (which may turn on x), a comment, a callout, a backtracking verb. */
static size_t group_end(walk *w, size_t j)
{
	if (at(w, j + 1) == '*') {
		size_t k = j + 2;
		while (isalnum((unsigned char)at(w, k)) || at(w, k) == '_')
			k++;
		/* (*pla:...) and the other assertions by name hold a pattern */
		if (k > j + 2 && islower((unsigned char)w->p[j + 2]) && at(w, k) == ':')
			return k + 1;
		return past(w, k, ')');
	}
	if (at(w, j + 1) != '?')
		return j + 1;
	char k = at(w, j + 2), k2 = at(w, j + 3);
	switch (k) {
	case '#': return past(w, j + 3, ')');
	case '<': return k2 == '=' || k2 == '!' ? j + 4 : past(w, j + 3, '>');
	case '\'': return past(w, j + 3, '\'');
	case 'P': return k2 == '<' ? past(w, j + 4, '>') : past(w, j + 3, ')');
	case '(': return k2 == '?' || k2 == '*' ? j + 3 : past(w, j + 3, ')');
	}
	if (isdigit((unsigned char)k) || k == '+' || k == 'R' || k == '&' || k == 'C' ||
	    (k == '-' && isdigit((unsigned char)k2)))
		return past(w, j + 2, ')');
	if (isalpha((unsigned char)k) || k == '^' || k == '-') {
		size_t e = j + 2;
		while (isalpha((unsigned char)at(w, e)) || at(w, e) == '^' || at(w, e) == '-')
			e++;
		/* an x anywhere (even after '-') counts: a pattern read as
		 * extended only leaves more pairs as they are */
		if (memchr(w->p + j + 2, 'x', e - j - 2))
			w->extended = true;
		return e < w->len ? e + 1 : w->len;
	}
	return j + 3 < w->len ? j + 3 : w->len;
}

enum { NEXT_OTHER, NEXT_LETTER, NEXT_QUANTIFIER };

/* What follows a pair, from j: a letter (the syllable goes on), a
 * quantifier (it would apply to the pair's second vowel alone), or
 * anything else. Spaces and comments of an extended pattern and the
 * bounds of \Q...\E are stepped over. */
static int next_item(const walk *w, size_t j)
{
	bool quoted = w->quoted;
	while (j < w->len) {
		char c = w->p[j];
		if (c == '\\' && (at(w, j + 1) == 'E' || (!quoted && at(w, j + 1) == 'Q'))) {
			quoted = at(w, j + 1) == 'Q';
			j += 2;
			continue;
		}
		if (!quoted && w->extended && (isspace((unsigned char)c) || c == '#')) {
			j = c == '#' ? past(w, j, '\n') : j + 1;
			continue;
		}
		if (!quoted && strchr("?*+{", c))
			return NEXT_QUANTIFIER;
		return ends_at(w->p, w->len, j) ? NEXT_OTHER : NEXT_LETTER;
	}
	return NEXT_OTHER;
}

/* A pair that may end an open syllable: an o with an a or e, or a u with
 * a y, one of the two toned, its o or u opening the nucleus. */
typedef struct {
	int32_t c1, c2; /* c1 -1: a bad byte */
	size_t n1, n2;
	vowel v1, v2;
} pair;

/* Does such a pair start at s[i], after the character prev? p->c1 and
 * p->n1 are the first character's either way; whether the syllable ends
 * after the pair is the caller's to judge. */
static bool pair_at(const char *s, size_t len, size_t i, int32_t prev, pair *p)
{
	p->c1 = kit_utf8_decode(s + i, len - i, &p->n1);
	size_t j = i + p->n1;
	if (p->c1 < 0 || j >= len || !vowel_of(p->c1, &p->v1) || (p->v1.vowel != KIT_VN_O && p->v1.vowel != KIT_VN_U))
		return false;
	p->c2 = kit_utf8_decode(s + j, len - j, &p->n2);
	return p->c2 >= 0 && vowel_of(p->c2, &p->v2) &&
	       (p->v1.vowel == KIT_VN_O ? p->v2.vowel == KIT_VN_A || p->v2.vowel == KIT_VN_E
					: p->v2.vowel == KIT_VN_Y) &&
	       (p->v1.tone != 0) != (p->v2.tone != 0) && kit_vn_opens_nucleus(prev, p->v1.vowel);
}

/* The pair in the other placement: the tone on the vowel that had none. */
static void put_other(kit_buf *b, const pair *p)
{
	int tone = p->v1.tone ? p->v1.tone : p->v2.tone;
	put_vowel(b, p->v1.vowel, p->v1.upper, p->v1.tone ? 0 : tone);
	put_vowel(b, p->v2.vowel, p->v2.upper, p->v1.tone ? tone : 0);
}

/* The literal character at w->i: copied, or with the next one written as
 * both placements. */
static void literal(walk *w)
{
	pair p;
	if (!pair_at(w->p, w->len, w->i, w->prev, &p) || next_item(w, w->i + p.n1 + p.n2) != NEXT_OTHER) {
		copy_to(w, w->i + p.n1);
		w->prev = p.c1;
		return;
	}
	kit_buf_puts(&w->out, w->quoted ? "\\E(?:" : "(?:");
	copy_to(w, w->i + p.n1 + p.n2);
	kit_buf_putc(&w->out, '|');
	put_other(&w->out, &p);
	kit_buf_puts(&w->out, w->quoted ? ")\\Q" : ")");
	w->prev = p.c2;
	w->changed = true;
}

/* Hands b's text over in *out when something changed; frees it else.
 * -1 when memory ran out. */
static int hand_over(kit_buf *b, bool changed, char **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (!changed || kit_buf_failed(b)) {
		int failed = kit_buf_failed(b);
		kit_buf_free(b);
		return failed ? -1 : 0;
	}
	*out_len = b->len;
	*out = b->p; /* kit_buf keeps its bytes NUL-terminated */
	return 0;
}

int tone_pattern_both(const char *pat, size_t len, bool extended, char **out, size_t *out_len)
{
	walk w = {.p = pat, .len = len, .extended = extended};
	while (w.i < len) {
		char c = pat[w.i], c2 = at(&w, w.i + 1);
		if (c == '\\' && (c2 == 'E' || (!w.quoted && c2 == 'Q'))) {
			w.quoted = c2 == 'Q'; /* the character before stays the one before */
			copy_to(&w, w.i + 2);
		} else if (w.quoted) {
			literal(&w);
		} else if (c == '\\' || c == '[' || c == '(') {
			copy_to(&w, c == '\\'  ? escape_end(&w, w.i)
				    : c == '[' ? class_end(&w, w.i)
					       : group_end(&w, w.i));
			w.prev = 0;
		} else if (w.extended && (c == '#' || isspace((unsigned char)c))) {
			copy_to(&w, c == '#' ? past(&w, w.i, '\n') : w.i + 1);
		} else if (c && strchr(")|.^$*+?{}", c)) {
			copy_to(&w, w.i + 1);
			w.prev = 0;
		} else {
			literal(&w);
		}
	}
	return hand_over(&w.out, w.changed, out, out_len);
}

int tone_other_spelling(const char *s, size_t len, char **out, size_t *out_len)
{
	kit_buf b = {0};
	bool changed = false;
	int32_t prev = 0;
	for (size_t i = 0; i < len;) {
		pair p;
		if (!pair_at(s, len, i, prev, &p) || !ends_at(s, len, i + p.n1 + p.n2)) {
			kit_buf_put(&b, s + i, p.n1);
			prev = p.c1;
			i += p.n1;
			continue;
		}
		put_other(&b, &p);
		prev = p.c2;
		changed = true;
		i += p.n1 + p.n2;
	}
	return hand_over(&b, changed, out, out_len);
}
