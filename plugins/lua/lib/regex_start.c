/* regex_start.c -- where a match of a regex may start, found before PCRE2
 * is asked. A pattern that opens with a Unicode property (\p{Lu}...) gives
 * PCRE2 no first byte or start bitmap, so the JIT tries a match at every
 * character of a long text; most of a whole-document scan goes there.
 *
 * For such a pattern this module learns, once per character met, whether a
 * match can begin with that character: the pattern run on the character
 * alone, anchored, with PCRE2_PARTIAL_HARD (a partial match means that some
 * continuation could match). A scan then steps over characters that cannot
 * begin a match in a tight loop and runs an anchored copy of the pattern at
 * each of the others, in order, so the first match found is the one PCRE2's
 * own unanchored search would give: only start positions where no match
 * can begin are left out, and PCRE2 still decides at the rest, seeing the
 * text before them for lookbehind.
 *
 * Where a character may begin a match, the pair it makes with the next
 * character is learned the same way: a pattern that opens with a capital
 * and a dot (initials: N.V.H.) is tried at the few capitals followed by a
 * dot, where the first test let through every capital of the text and the
 * anchored match, some hundreds of instructions, failed at the dot.
 *
 * The single-character test ignores the text before the character, so it
 * is only used for patterns where that can only make a match easier: none
 * of ^ \A \G \b \B, positive lookbehind, recursion, conditions,
 * backtracking verbs, callouts or \K, and no lookbehind inside a negative
 * assertion; an unusual pattern is simply scanned the ordinary way. The end
 * assertions $ \z \Z may stay: reached at the end of the lone character
 * they give a partial match (PCRE2_PARTIAL_HARD), and before it they hold
 * only where they would hold in the text too (before a newline).
 *
 * A yes-or-no test on a short window of a pattern that ends at the
 * window's end ($, as the context conditions do) runs backward: the
 * answer does not depend on the order the starts are tried in, and a
 * match, when there is one, starts close to the end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tml_match.h"

/* Learned per character below this code point (Latin, Vietnamese, the
 * common punctuation); other characters are left to PCRE2. */
#define START_TABLE 0x2100
/* Shorter subjects (a window around a match) are not worth the loop. */
#define START_MIN_LEN 256
/* Pairs of characters learned per pattern (both below START_TABLE): an
 * open-addressed table, filled to three quarters at most; a pair met
 * after that is left to PCRE2. (News in Vietnamese holds about 1,400
 * pairs of a capital and the character after it in 1.3 MB.) */
#define PAIR_BITS 12
#define PAIRS (1u << PAIR_BITS)

enum { UNKNOWN = 0, CAN_START, CANNOT_START };

struct tml_regex_start {
	pcre2_code *anchored; /* the pattern compiled with PCRE2_ANCHORED, and JIT */
	size_t counted;
	bool pairs;               /* whether pairs are learned (no end assertion) */
	size_t npairs;            /* pairs learned */
	uint32_t pair_key[PAIRS]; /* 1 + first << 14 | second, 0 for an empty slot */
	unsigned char pair_state[PAIRS];
	unsigned char state[START_TABLE];
	/* 1 for an ASCII byte learned CANNOT_START, 0 for any other byte: the
	 * skip loop's one test a byte */
	unsigned char skip[256];
};

/* Whether the pattern's text holds a construct whose outcome depends on
 * the text before the match in a way the test cannot see. Escapes and
 * character classes are stepped over; groups are tracked to find a
 * lookbehind inside a negative assertion. */
/* The end of the character class opening at p (its ']'), or NULL. */
static const char *skip_class(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p && *p != ']'; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[' && p[1] == ':') {
			const char *end = strstr(p, ":]");
			if (!end)
				return NULL;
			p = end + 1;
		}
	}
	return *p ? p : NULL;
}

static bool context_dependent(const char *p)
{
	enum { DEPTH = 64 };
	/* For each open group: is it, or a group around it, a negative
	 * assertion; a lookbehind. */
	bool negative[DEPTH + 1] = {false}, behind[DEPTH + 1] = {false};
	int depth = 0;
	for (; *p; p++) {
		switch (*p) {
		case '\\':
			if (!p[1] || strchr("bBAGKQEgkR", p[1]) || (p[1] >= '1' && p[1] <= '9'))
				return true;
			p++;
			break;
		case '[':
			if ((p = skip_class(p)) == NULL)
				return true;
			break;
		case '^': return true;
		case '(': {
			if (depth == DEPTH || p[1] == '*')
				return true; /* too deep to follow; a backtracking verb */
			bool neg = negative[depth], back = behind[depth];
			if (p[1] == '?') {
				const char *q = p + 2;
				if (back && *q != ':')
					return true; /* only plain groups inside a lookbehind */
				if (*q == '<' && q[1] == '!') {
					if (neg)
						return true;
					neg = back = true;
				} else if (*q == '!') {
					neg = true;
				} else if (*q == '<' && q[1] == '=') {
					return true;
				} else if (strchr("(#CR&P|+0123456789", *q)) {
					return true;
				} else {
					/* options (?i) (?-i) (?i:...): x allows comments this
					 * scan cannot read */
					for (; *q && *q != ')' && *q != ':'; q++)
						if (*q == 'x')
							return true;
				}
			}
			depth++;
			negative[depth] = neg, behind[depth] = back;
			break;
		}
		case ')':
			if (depth > 0)
				depth--;
			break;
		default: break;
		}
	}
	return false;
}

bool tml_regex_start_usable(const pcre2_code *code, const char *pattern)
{
	uint32_t first, opts, minlen;
	const uint8_t *bitmap;
	if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &first) != 0 ||
	    pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) != 0 ||
	    pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &opts) != 0 ||
	    pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen) != 0)
		return false;
	/* PCRE2 finds its own start when it knows the first byte or a set. */
	if (first != 0 || bitmap || (opts & (PCRE2_ANCHORED | PCRE2_EXTENDED | PCRE2_MULTILINE)) || minlen == 0)
		return false;
	return !context_dependent(pattern);
}

/* Can a match begin with the character c[0..n)? */
static bool can_start(tml_regex *re, const char *c, size_t n)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)c, n, 0,
			     PCRE2_ANCHORED | PCRE2_PARTIAL_HARD | PCRE2_NO_JIT | PCRE2_NO_UTF_CHECK, re->md, NULL);
	return rc != PCRE2_ERROR_NOMATCH; /* a match, a partial one, or an error: let PCRE2 look */
}

/* Whether the pattern may hold $, \z or \Z (read loosely: a $ in a class
 * counts). No pairs are learned for it: $ holds before a line break that
 * ends a pair and not before one inside the text, so a pair alone need
 * not answer as the text would. */
static bool has_end_assertion(const char *pattern)
{
	return strchr(pattern, '$') || strstr(pattern, "\\z") || strstr(pattern, "\\Z");
}

/* The code point of the character at u[0..avail) and its length, or
 * length 0 when it is not one this module learns. */
static size_t decode(const unsigned char *u, size_t avail, uint32_t *cp)
{
	if (u[0] >= 0xC2 && u[0] < 0xE0 && avail >= 2) {
		*cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
		return 2;
	}
	if (u[0] >= 0xE0 && u[0] < 0xF0 && avail >= 3) {
		*cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		return *cp >= 0x800 ? 3 : 0;
	}
	return 0;
}

/* The learned table and the anchored copy of the pattern; NULL (and
 * re->start_usable cleared) when memory is short. */
static struct tml_regex_start *prepare(tml_regex *re)
{
	if (re->start)
		return re->start;
	uint32_t opts;
	int err;
	PCRE2_SIZE at;
	size_t size = 0, jit = 0;
	struct tml_regex_start *st = NULL;
	if (tml_take(re->ts, sizeof *st) == 0) {
		st = calloc(1, sizeof *st);
		if (st) {
			st->counted = sizeof *st;
			pcre2_pattern_info(re->code, PCRE2_INFO_ARGOPTIONS, &opts);
			st->anchored = pcre2_compile((PCRE2_SPTR)re->pattern, PCRE2_ZERO_TERMINATED,
						     opts | PCRE2_ANCHORED, &err, &at, NULL);
		}
	}
	if (st && st->anchored) {
		pcre2_jit_compile(st->anchored, PCRE2_JIT_COMPLETE);
		pcre2_pattern_info(st->anchored, PCRE2_INFO_SIZE, &size);
		pcre2_pattern_info(st->anchored, PCRE2_INFO_JITSIZE, &jit);
		if (tml_take(re->ts, size + jit) == 0) {
			st->counted += size + jit;
			st->pairs = !has_end_assertion(re->pattern);
			return re->start = st;
		}
	}
	if (st) {
		pcre2_code_free(st->anchored);
		free(st);
	}
	tml_give(re->ts, sizeof *st);
	re->start_usable = false;
	return NULL;
}

/* Whether a match can start at the character boundary p of s[0..len),
 * its character learned if new; the character's length in *n (0 for one
 * this module does not learn, which may start a match). */
static bool starts_at(tml_regex *re, struct tml_regex_start *st, const char *s, size_t len, size_t p, size_t *n)
{
	unsigned char *state = st->state;
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp = u[p];
	*n = 1;
	if (cp >= 0x80) {
		*n = decode(u + p, len - p, &cp);
		if (*n == 0 || cp >= START_TABLE)
			return true;
	}
	if (state[cp] == UNKNOWN) {
		state[cp] = can_start(re, s + p, *n) ? CAN_START : CANNOT_START;
		if (cp < 0x80)
			st->skip[cp] = state[cp] == CANNOT_START;
	}
	return state[cp] == CAN_START;
}

/* Whether a match can start at p, where the character of length n may
 * begin one, judged by the pair it makes with the next character, learned
 * if new; true when there is no next character, when either is not one
 * this module learns, or when the table is full. */
static bool pair_starts(tml_regex *re, struct tml_regex_start *st, const char *s, size_t len, size_t p, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t q = p + n;
	if (q >= len)
		return true;
	uint32_t first = u[p], second = u[q];
	size_t n2 = 1;
	if (n == 0 || (first >= 0x80 && (decode(u + p, n, &first) == 0 || first >= START_TABLE)))
		return true;
	if (second >= 0x80 && ((n2 = decode(u + q, len - q, &second)) == 0 || second >= START_TABLE))
		return true;
	uint32_t key = 1 + (first << 14 | second);
	size_t slot = (uint32_t)(key * 2654435761u) >> (32 - PAIR_BITS); /* the product's high bits */
	while (st->pair_key[slot] != 0 && st->pair_key[slot] != key)
		slot = (slot + 1) & (PAIRS - 1);
	if (st->pair_key[slot] == 0) {
		if (st->npairs >= PAIRS / 4 * 3)
			return true;
		st->pair_key[slot] = key;
		st->pair_state[slot] = can_start(re, s + p, n + n2) ? CAN_START : CANNOT_START;
		st->npairs++;
	}
	return st->pair_state[slot] == CAN_START;
}

/* The first character boundary at or after p in the valid UTF-8
 * s[0..len) where a match can start, or len. */
static size_t next_start(tml_regex *re, struct tml_regex_start *st, const char *s, size_t len, size_t p)
{
	unsigned char *state = st->state;
	const unsigned char *skip = st->skip, *u = (const unsigned char *)s;
	while (p < len) {
		while (skip[u[p]]) /* the common case, alone */
			if (++p == len)
				return len;
		/* a letter of two or three bytes already learned (most of
		 * Vietnamese), read here: the call to starts_at cost more */
		unsigned char b = u[p];
		if (b >= 0xC2 && b < 0xE0 && p + 1 < len) {
			if (state[(b & 0x1F) << 6 | (u[p + 1] & 0x3F)] == CANNOT_START) {
				p += 2;
				continue;
			}
		} else if (b >= 0xE0 && b < 0xF0 && p + 2 < len) {
			uint32_t cp = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(u[p + 1] & 0x3F) << 6 |
				      (u[p + 2] & 0x3F);
			if (cp >= 0x800 && cp < START_TABLE && state[cp] == CANNOT_START) {
				p += 3;
				continue;
			}
		} else if ((b & 0xC0) == 0x80) { /* inside a character: no match starts here */
			p++;
			continue;
		}
		size_t n;
		if (starts_at(re, st, s, len, p, &n) && (!st->pairs || pair_starts(re, st, s, len, p, n)))
			return p;
		p += n;
	}
	return len;
}

/* The options pcre2_jit_match takes (pcre2_match takes the JIT path with
 * these alone); PCRE2_NO_UTF_CHECK it ignores, as it checks nothing. */
#define JIT_OPTIONS                                                                                   \
	(PCRE2_NO_UTF_CHECK | PCRE2_NOTBOL | PCRE2_NOTEOL | PCRE2_NOTEMPTY | PCRE2_NOTEMPTY_ATSTART | \
	 PCRE2_PARTIAL_SOFT | PCRE2_PARTIAL_HARD)

/* pcre2_match, straight into the JIT when the subject is known to be
 * UTF-8 (PCRE2_NO_UTF_CHECK): pcre2_match's own checks of its arguments,
 * about 130 instructions a call, are the most of a short anchored match,
 * and the engine makes a hundred thousand of those per megabyte. A
 * pattern without JIT code (or without it for these options) answers
 * PCRE2_ERROR_JIT_BADOPTION and goes the usual way, and so does one
 * that sets (*NOTEMPTY) (re->jit_direct false), whose options pcre2_match
 * adds at each call. */
static int match(const tml_regex *re, const pcre2_code *code, const char *s, size_t len, size_t off, uint32_t opts)
{
	pcre2_match_data *md = re->md;
	if (re->jit_direct && (opts & PCRE2_NO_UTF_CHECK) && !(opts & ~(uint32_t)JIT_OPTIONS)) {
		int rc = pcre2_jit_match(code, (PCRE2_SPTR)s, len, off, opts, md, NULL);
		if (rc != PCRE2_ERROR_JIT_BADOPTION)
			return rc;
	}
	return pcre2_match(code, (PCRE2_SPTR)s, len, off, opts, md, NULL);
}

int tml_regex_start_match(tml_regex *re, const char *s, size_t len, size_t off, uint32_t opts)
{
	struct tml_regex_start *st;
	if (!re->start_usable || !(opts & PCRE2_NO_UTF_CHECK) || len - off < START_MIN_LEN || !(st = prepare(re)))
		return match(re, re->code, s, len, off, opts);
	const unsigned char *u = (const unsigned char *)s;
	/* No empty match (the pattern's minimum length is not 0), so none at len. */
	for (size_t p = next_start(re, st, s, len, off); p < len; p = next_start(re, st, s, len, p)) {
		int rc = match(re, st->anchored, s, len, p, opts);
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
		do
			p++;
		while (p < len && (u[p] & 0xC0) == 0x80);
	}
	return PCRE2_ERROR_NOMATCH;
}

/* The last character boundary in [off, p) of the valid UTF-8 s[0..len)
 * where a match can start, or SIZE_MAX; off is a boundary. */
static size_t prev_start(tml_regex *re, struct tml_regex_start *st, const char *s, size_t len, size_t off, size_t p)
{
	const unsigned char *u = (const unsigned char *)s;
	while (p > off) {
		p--;
		if (st->skip[u[p]])
			continue;
		while (p > off && (u[p] & 0xC0) == 0x80)
			p--;
		size_t n;
		if (starts_at(re, st, s, len, p, &n))
			return p;
	}
	return SIZE_MAX;
}

int tml_regex_start_test_back(tml_regex *re, const char *s, size_t len, size_t off, uint32_t opts)
{
	struct tml_regex_start *st;
	if (!re->end_anchored || !re->start_usable || !(opts & PCRE2_NO_UTF_CHECK) || len - off >= START_MIN_LEN ||
	    !(st = prepare(re)))
		return match(re, re->code, s, len, off, opts);
	/* No empty match, so none starts at len. */
	for (size_t p = prev_start(re, st, s, len, off, len); p != SIZE_MAX; p = prev_start(re, st, s, len, off, p)) {
		int rc = match(re, st->anchored, s, len, p, opts);
		if (rc != PCRE2_ERROR_NOMATCH)
			return rc;
	}
	return PCRE2_ERROR_NOMATCH;
}

bool tml_regex_end_anchored(const char *pattern)
{
	size_t n = strlen(pattern), slashes = 0;
	const char *end = pattern + n;
	if (n >= 1 && end[-1] == '$')
		end--;
	else if (n >= 2 && end[-2] == '\\' && (end[-1] == 'z' || end[-1] == 'Z'))
		end -= 2;
	else
		return false;
	while (end > pattern + slashes && end[-1 - (ptrdiff_t)slashes] == '\\')
		slashes++;
	return slashes % 2 == 0; /* not an escaped \$ or \\z */
}

void tml_regex_start_free(tml_regex *re)
{
	if (re->start) {
		pcre2_code_free(re->start->anchored);
		tml_give(re->ts, re->start->counted);
		free(re->start);
		re->start = NULL;
	}
}
