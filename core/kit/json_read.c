/* json_read.c -- a strict JSON scanner. Values that textmill only carries
 * along (metadata, entity attributes) are validated and kept as text, so
 * no tree is built and nothing is allocated per value; json_tree.c builds
 * a tree on top of it for code that looks values up. */
#include "textmill/kit.h"

static int fail(kit_json_cursor *c, const char *msg)
{
	if (!c->error) {
		c->error = msg;
		c->error_at = c->p;
	}
	return -1;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char ch = p[i];
		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			v |= (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			v |= (unsigned)(ch - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Where decoded text goes: a buffer, memory the caller sized (raw), or
 * nowhere (only checking). */
typedef struct sink {
	kit_buf *buf;
	char *raw;
	size_t len;
} sink;

static void put(sink *out, const char *s, size_t n)
{
	if (out->buf)
		kit_buf_put(out->buf, s, n);
	else if (out->raw)
		memcpy(out->raw + out->len, s, n);
	out->len += n;
}

static int read_string(kit_json_cursor *c, sink *out)
{
	if (c->p >= c->end || *c->p != '"')
		return fail(c, "expected a string");
	c->p++;
	for (;;) {
		const char *run = c->p;
		c->p += kit_json_plain_prefix(c->p, (size_t)(c->end - c->p));
		if (c->p > run) {
			size_t n = (size_t)(c->p - run);
			size_t ok = c->utf8_checked ? n : kit_utf8_valid_prefix(run, n);
			if (ok != n) {
				c->p = run + ok;
				return fail(c, "invalid UTF-8 in a string");
			}
			put(out, run, n);
		}
		if (c->p >= c->end)
			return fail(c, "unterminated string");
		char ch = *c->p;
		if (ch == '"') {
			c->p++;
			return 0;
		}
		if (ch != '\\')
			return fail(c, "control character in a string (must be escaped)");
		if (c->p + 1 >= c->end)
			return fail(c, "unterminated string");
		char e = c->p[1], dec;
		switch (e) {
		case '"': dec = '"'; break;
		case '\\': dec = '\\'; break;
		case '/': dec = '/'; break;
		case 'b': dec = '\b'; break;
		case 'f': dec = '\f'; break;
		case 'n': dec = '\n'; break;
		case 'r': dec = '\r'; break;
		case 't': dec = '\t'; break;
		case 'u': dec = 0; break;
		default: return fail(c, "invalid escape in a string");
		}
		if (dec) {
			put(out, &dec, 1);
			c->p += 2;
			continue;
		}
		unsigned cp, lo;
		if (c->end - c->p < 6 || hex4(c->p + 2, &cp))
			return fail(c, "invalid \\u escape");
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return fail(c, "lone low surrogate in \\u escape");
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (c->end - c->p < 12 || c->p[6] != '\\' || c->p[7] != 'u' || hex4(c->p + 8, &lo) ||
			    lo < 0xDC00 || lo > 0xDFFF)
				return fail(c, "high surrogate without its low surrogate in \\u escape");
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			c->p += 6;
		}
		char utf8[4];
		put(out, utf8, kit_utf8_encode(utf8, (int32_t)cp));
		c->p += 6;
	}
}

int kit_json_read_string(kit_json_cursor *c, kit_buf *out)
{
	sink to = {out, NULL, 0};
	return read_string(c, &to);
}

int kit_json_decode_string(kit_json_cursor *c, char *out, size_t *len)
{
	sink to = {NULL, out, 0};
	int rc = read_string(c, &to);
	*len = to.len;
	return rc;
}

static int skip_number(kit_json_cursor *c)
{
	const char *p = c->p;
	if (p < c->end && *p == '-')
		p++;
	if (p >= c->end || *p < '0' || *p > '9')
		return fail(c, "invalid number");
	if (*p == '0')
		p++;
	else
		while (p < c->end && *p >= '0' && *p <= '9')
			p++;
	if (p < c->end && *p == '.') {
		p++;
		if (p >= c->end || *p < '0' || *p > '9')
			return c->p = p, fail(c, "invalid number");
		while (p < c->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < c->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < c->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= c->end || *p < '0' || *p > '9')
			return c->p = p, fail(c, "invalid number");
		while (p < c->end && *p >= '0' && *p <= '9')
			p++;
	}
	c->p = p;
	return 0;
}

static int skip_word(kit_json_cursor *c, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n))
		return fail(c, "unexpected character");
	c->p += n;
	return 0;
}

static int skip_value(kit_json_cursor *c, int depth);

int kit_json_open(kit_json_cursor *c, int object)
{
	c->p++;
	kit_json_skip_ws(c);
	if (c->p < c->end && *c->p == (object ? '}' : ']'))
		return c->p++, 0;
	return 1;
}

int kit_json_colon(kit_json_cursor *c)
{
	kit_json_skip_ws(c);
	if (c->p >= c->end || *c->p != ':')
		return fail(c, "expected ':' after an object key");
	c->p++;
	return 0;
}

int kit_json_next(kit_json_cursor *c, int object)
{
	kit_json_skip_ws(c);
	if (c->p < c->end && *c->p == ',')
		return c->p++, 1;
	if (c->p < c->end && *c->p == (object ? '}' : ']'))
		return c->p++, 0;
	return fail(c, object ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array");
}

/* The members of an object or the items of an array, from its '{' or '['. */
static int skip_items(kit_json_cursor *c, int depth, int object)
{
	int more = kit_json_open(c, object);
	while (more > 0) {
		if (object) {
			kit_json_skip_ws(c);
			if (kit_json_read_string(c, NULL) || kit_json_colon(c))
				return -1;
		}
		if (skip_value(c, depth + 1))
			return -1;
		more = kit_json_next(c, object);
	}
	return more;
}

static int skip_value(kit_json_cursor *c, int depth)
{
	kit_json_skip_ws(c);
	if (c->p >= c->end)
		return fail(c, "unexpected end of input");
	if (depth > KIT_JSON_MAX_DEPTH)
		return fail(c, "nested too deeply");
	switch (*c->p) {
	case '"': return kit_json_read_string(c, NULL);
	case '{':
	case '[': return skip_items(c, depth, *c->p == '{');
	case 't': return skip_word(c, "true");
	case 'f': return skip_word(c, "false");
	case 'n': return skip_word(c, "null");
	default: return skip_number(c);
	}
}

int kit_json_skip_value(kit_json_cursor *c) { return skip_value(c, 0); }

int kit_json_skip_number(kit_json_cursor *c, size_t *len)
{
	const char *start = c->p;
	if (skip_number(c))
		return -1;
	*len = (size_t)(c->p - start);
	return 0;
}

int kit_json_is_value(const char *s, size_t len)
{
	kit_json_cursor c = kit_json_at(s, len);
	if (skip_value(&c, 0))
		return 0;
	kit_json_skip_ws(&c);
	return c.p == c.end;
}
