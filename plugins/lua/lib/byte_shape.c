/* byte_shape.c -- the rule engine's shape tests that need no PCRE2.
 *
 * A shape written as a Lua pattern (rules.lua turns "^%d%d?$" into the
 * regex \G[0-9][0-9]?\z) is a row of ASCII byte sets, each once, optional
 * or repeated, that must cover the scanned match's text exactly. Every
 * number of a document meets several of them (the date rules' shapes), and
 * a call of pcre2_match costs far more than the test itself: such a
 * pattern is read here once into its sets and matched byte by byte.
 * Anything else (a negated set, '.', groups, alternation, counted
 * repeats, letters escaped as classes, bytes above 127, a caseless or
 * extended pattern) is left to PCRE2. */
#include "byte_shape.h"

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

bool byte_shape_compile(const char *pattern, bool caseless_or_extended, byte_shape *out)
{
	memset(out, 0, sizeof *out);
	size_t n = strlen(pattern);
	if (caseless_or_extended || n < 4 || strncmp(pattern, "\\G", 2) != 0 || strcmp(pattern + n - 2, "\\z") != 0)
		return false;
	const char *p = pattern + 2, *end = pattern + n - 2;
	int unbounded = 0;
	while (p < end) {
		if (out->n == BYTE_SHAPE_MAX)
			return false;
		byte_shape_item *it = &out->item[out->n++];
		if (*p == '[') {
			p++;
			if (!read_set(&p, it))
				return false;
		} else if (strchr(".()|{}^$?*+[]", *p)) {
			return false;
		} else {
			int c = one_char(&p);
			if (c < 0)
				return false;
			add(it, (unsigned)c, (unsigned)c);
		}
		if (p > end)
			return false;
		it->min = 1, it->many = false;
		if (p < end && (*p == '?' || *p == '*' || *p == '+')) {
			it->min = *p != '+' ? 0 : 1;
			it->many = *p != '?';
			p++;
			if (p < end && *p == '?') /* lazy: the same yes or no for a whole match */
				p++;
			if (p < end && (*p == '?' || *p == '*' || *p == '+'))
				return false;
		}
		unbounded += it->many;
	}
	/* more repeats than two could backtrack for long */
	return p == end && unbounded <= 2;
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
	return match_from(sh, 0, (const unsigned char *)s, len);
}
