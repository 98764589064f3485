/* byte_shape.c -- the rule engine's shape tests that need no PCRE2.
 *
 * A shape written as a Lua pattern (rules.lua turns "^%d%d?$" into the
 * regex \G[0-9][0-9]?\z) is a row of ASCII byte sets, each once, optional
 * or repeated (a counted repeat {m,n} stands for m items and n - m
 * optional ones), that must cover the scanned match's text exactly. Every
 * number of a document meets several of them (the date rules' shapes), and
 * a call of pcre2_match costs far more than the test itself: such a
 * pattern is read here once into its sets and matched byte by byte.
 * The engine's retype regexes (\G(?:[0-9]{1,2}/[0-9]{4})\z: a number's
 * shape) are read the same way. Anything else (a negated set, '.', other
 * groups, alternation, letters escaped as classes, bytes above 127, a
 * caseless or extended pattern) is left to PCRE2. */
#include "byte_shape.h"

#include <stdint.h>
#include <string.h>

static void add(byte_shape_item *it, unsigned lo, unsigned hi)
{
	for (unsigned c = lo; c <= hi; c++)
		it->set[c >> 3] |= (uint8_t)(1u << (c & 7));
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One character of the pattern at *p, escapes read (\t \n \f \r \xHH,
 * a backslash before punctuation); its byte, or -1 for what is not a
 * plain ASCII character here. */
static int one_char(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	if (s[0] == 0 || s[0] >= 0x80)
		return -1;
	if (s[0] != '\\') {
		*p += 1;
		return s[0];
	}
	static const char ctl[] = "tnfr", val[] = "\t\n\f\r"; /* not \v: in PCRE2 a set of characters */
	const char *k = s[1] ? strchr(ctl, s[1]) : NULL;
	if (k) {
		*p += 2;
		return val[k - ctl];
	}
	if (s[1] == 'x') {
		int a = hex((char)s[2]), b = a < 0 ? -1 : hex((char)s[3]);
		if (b < 0 || a >= 8) /* above 127: a character of its own in UTF mode */
			return -1;
		*p += 4;
		return a << 4 | b;
	}
	if (s[1] > 0x20 && s[1] < 0x7F && !(s[1] >= '0' && s[1] <= '9') && !(s[1] >= 'A' && s[1] <= 'Z') &&
	    !(s[1] >= 'a' && s[1] <= 'z')) {
		*p += 2;
		return s[1];
	}
	return -1;
}

/* A set [...] at *p (past its '['): its ranges; false if negated or not
 * plain. */
static bool read_set(const char **p, byte_shape_item *it)
{
	if (**p == '^' || **p == ']')
		return false;
	while (**p != ']') {
		int lo = one_char(p);
		if (lo < 0)
			return false;
		int hi = lo;
		if ((*p)[0] == '-' && (*p)[1] != ']') {
			*p += 1;
			if ((hi = one_char(p)) < lo)
				return false;
		}
		add(it, (unsigned)lo, (unsigned)hi);
	}
	*p += 1;
	return true;
}

/* A counted repeat {m}, {m,} or {m,n} at *p (past its '{'): *lo and *hi
 * (-1: no bound); false for anything else (PCRE2 may read it as text). */
static bool read_count(const char **p, const char *end, int *lo, int *hi)
{
	int m = 0, n = -1, digits = 0;
	for (; *p < end && **p >= '0' && **p <= '9' && m <= BYTE_SHAPE_MAX; *p += 1, digits++)
		m = m * 10 + (**p - '0');
	if (!digits || *p >= end)
		return false;
	if (**p == ',') {
		*p += 1;
		if (*p < end && **p >= '0' && **p <= '9') {
			n = 0;
			for (; *p < end && **p >= '0' && **p <= '9' && n <= BYTE_SHAPE_MAX; *p += 1)
				n = n * 10 + (**p - '0');
		}
	} else {
		n = m;
	}
	if (*p >= end || **p != '}' || m > BYTE_SHAPE_MAX || n > BYTE_SHAPE_MAX || (n >= 0 && n < m))
		return false;
	*p += 1;
	*lo = m, *hi = n;
	return true;
}

bool byte_shape_compile(const char *pattern, bool caseless_or_extended, byte_shape *out)
{
	memset(out, 0, sizeof *out);
	size_t n = strlen(pattern);
	if (caseless_or_extended || n < 4 || strncmp(pattern, "\\G", 2) != 0 || strcmp(pattern + n - 2, "\\z") != 0)
		return false;
	const char *p = pattern + 2, *end = pattern + n - 2;
	/* \G(?:...)\z, as rules.lua writes a retype regex: one group round it
	 * all (a parenthesis or a | inside is refused below) */
	if (end - p >= 4 && strncmp(p, "(?:", 3) == 0 && end[-1] == ')' && end[-2] != '\\')
		p += 3, end--;
	int unbounded = 0, choices = 0;
	while (p < end) {
		byte_shape_item atom;
		memset(&atom, 0, sizeof atom);
		if (*p == '[') {
			p++;
			if (!read_set(&p, &atom))
				return false;
		} else if (strchr(".()|{}^$?*+[]", *p)) {
			return false;
		} else {
			int c = one_char(&p);
			if (c < 0)
				return false;
			add(&atom, (unsigned)c, (unsigned)c);
		}
		if (p > end)
			return false;
		int lo = 1, hi = 1; /* how many times; hi -1: no bound */
		if (p < end && (*p == '?' || *p == '*' || *p == '+')) {
			lo = *p == '+';
			hi = *p == '?' ? 1 : -1;
			p++;
		} else if (p < end && *p == '{') {
			p++;
			if (!read_count(&p, end, &lo, &hi))
				return false;
		}
		if (p < end && *p == '?') /* lazy: the same yes or no for a whole match */
			p++;
		if (p < end && (*p == '?' || *p == '*' || *p == '+' || *p == '{'))
			return false;
		/* x{2,4} is x x x? x?, x{2,} is x x+, x* one item */
		int items = hi < 0 ? (lo ? lo : 1) : hi;
		if (out->n + items > BYTE_SHAPE_MAX)
			return false;
		for (int k = 0; k < items; k++) {
			byte_shape_item *it = &out->item[out->n++];
			*it = atom;
			it->min = k < lo;
			it->many = hi < 0 && k == items - 1;
			unbounded += it->many;
			choices += it->many || !it->min;
		}
	}
	/* the lengths it can match, each item a byte: most texts a shape is
	 * asked about (a year against a date's shape) are refused by length */
	out->min_len = 0, out->max_len = 0;
	for (int i = 0; i < out->n; i++) {
		out->min_len += out->item[i].min;
		out->max_len = out->item[i].many || out->max_len == SIZE_MAX ? SIZE_MAX : out->max_len + 1;
	}
	/* more repeats than two, or many optional items, could backtrack for long */
	return p == end && unbounded <= 2 && choices <= 8;
}

static bool in(const byte_shape_item *it, unsigned char c) { return it->set[c >> 3] >> (c & 7) & 1; }

static bool match_from(const byte_shape *sh, int i, const unsigned char *s, size_t len)
{
	for (; i < sh->n; i++) {
		const byte_shape_item *it = &sh->item[i];
		if (it->many || it->min == 0) {
			size_t k = 0, most = it->many ? len : 1;
			while (k < most && k < len && in(it, s[k]))
				k++;
			for (;; k--) { /* the longest run first, then shorter ones */
				if (k >= it->min && match_from(sh, i + 1, s + k, len - k))
					return true;
				if (k == 0)
					return false;
			}
		}
		if (len == 0 || !in(it, s[0]))
			return false;
		s++, len--;
	}
	return len == 0;
}

bool byte_shape_match(const byte_shape *sh, const char *s, size_t len)
{
	if (len < sh->min_len || len > sh->max_len)
		return false;
	return match_from(sh, 0, (const unsigned char *)s, len);
}
