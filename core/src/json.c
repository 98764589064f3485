/* json.c -- a strict JSON scanner. Values that textmill only carries along
 * (metadata, entity attributes) are validated and kept as text, so no tree
 * is ever built and nothing is allocated per value. */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256

static int fail(json_cursor *c, const char *msg)
{
	if (!c->error) {
		c->error = msg;
		c->error_at = c->p;
	}
	return -1;
}

void json_skip_ws(json_cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
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

static void put_utf8(buf *out, unsigned cp)
{
	char s[4];
	size_t n;
	if (cp < 0x80)
		s[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		s[0] = (char)(0xC0 | cp >> 6), s[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	else if (cp < 0x10000)
		s[0] = (char)(0xE0 | cp >> 12), s[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
		s[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	else
		s[0] = (char)(0xF0 | cp >> 18), s[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), s[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	buf_put(out, s, n);
}

/* Reads a string; with out == NULL only checks it. */
static int read_string(json_cursor *c, buf *out)
{
	if (c->p >= c->end || *c->p != '"')
		return fail(c, "expected a string");
	c->p++;
	for (;;) {
		const char *run = c->p;
		while (c->end - c->p >= 8) {
			uint64_t w;
			memcpy(&w, c->p, 8);
			if (json_special_bytes(w))
				break;
			c->p += 8;
		}
		while (c->p < c->end && *c->p != '"' && *c->p != '\\' && (unsigned char)*c->p >= 0x20)
			c->p++;
		if (c->p > run) {
			size_t n = (size_t)(c->p - run);
			size_t ok = c->utf8_checked ? n : utf8_valid_prefix(run, n);
			if (ok != n) {
				c->p = run + ok;
				return fail(c, "invalid UTF-8 in a string");
			}
			if (out)
				buf_put(out, run, n);
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
			if (out)
				buf_putc(out, dec);
			c->p += 2;
			continue;
		}
		unsigned cp, lo;
		if (c->end - c->p < 6 || hex4(c->p + 2, &cp))
			return fail(c, "invalid \\u escape");
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return fail(c, "lone low surrogate in \\u escape");
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (c->end - c->p < 12 || c->p[6] != '\\' || c->p[7] != 'u' ||
			    hex4(c->p + 8, &lo) || lo < 0xDC00 || lo > 0xDFFF)
				return fail(c, "high surrogate without its low surrogate in \\u escape");
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			c->p += 6;
		}
		if (out)
			put_utf8(out, cp);
		c->p += 6;
	}
}

int json_read_string(json_cursor *c, buf *out) { return read_string(c, out); }

static int skip_number(json_cursor *c)
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

static int skip_word(json_cursor *c, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n))
		return fail(c, "unexpected character");
	c->p += n;
	return 0;
}

static int skip_value(json_cursor *c, int depth)
{
	json_skip_ws(c);
	if (c->p >= c->end)
		return fail(c, "unexpected end of input");
	if (depth > MAX_DEPTH)
		return fail(c, "nested too deeply");
	switch (*c->p) {
	case '"':
		return read_string(c, NULL);
	case '{':
		c->p++;
		json_skip_ws(c);
		if (c->p < c->end && *c->p == '}')
			return c->p++, 0;
		for (;;) {
			json_skip_ws(c);
			if (read_string(c, NULL))
				return -1;
			json_skip_ws(c);
			if (c->p >= c->end || *c->p != ':')
				return fail(c, "expected ':' after an object key");
			c->p++;
			if (skip_value(c, depth + 1))
				return -1;
			json_skip_ws(c);
			if (c->p < c->end && *c->p == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->end && *c->p == '}')
				return c->p++, 0;
			return fail(c, "expected ',' or '}' in an object");
		}
	case '[':
		c->p++;
		json_skip_ws(c);
		if (c->p < c->end && *c->p == ']')
			return c->p++, 0;
		for (;;) {
			if (skip_value(c, depth + 1))
				return -1;
			json_skip_ws(c);
			if (c->p < c->end && *c->p == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->end && *c->p == ']')
				return c->p++, 0;
			return fail(c, "expected ',' or ']' in an array");
		}
	case 't':
		return skip_word(c, "true");
	case 'f':
		return skip_word(c, "false");
	case 'n':
		return skip_word(c, "null");
	default:
		return skip_number(c);
	}
}

int json_skip_value(json_cursor *c) { return skip_value(c, 0); }

int json_is_value(const char *s, size_t len)
{
	json_cursor c = {s, s, s + len, NULL, NULL, 0};
	if (skip_value(&c, 0))
		return 0;
	json_skip_ws(&c);
	return c.p == c.end;
}

void json_put_string(buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	buf_reserve(b, len + 2);
	b->p[b->len++] = '"';
	size_t i = 0;
	while (i < len) {
		size_t run = i;
		while (len - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (json_special_bytes(w))
				break;
			i += 8;
		}
		while (i < len && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
			i++;
		if (i > run)
			buf_put(b, s + run, i - run);
		if (i >= len)
			break;
		unsigned char ch = (unsigned char)s[i++];
		char esc[6] = {'\\', 0};
		switch (ch) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[1] = 'u', esc[2] = '0', esc[3] = '0';
			esc[4] = hex[ch >> 4], esc[5] = hex[ch & 15];
			buf_put(b, esc, 6);
			continue;
		}
		buf_put(b, esc, 2);
	}
	buf_putc(b, '"');
}

void json_put_number(buf *b, double v)
{
	if (!isfinite(v))
		buf_puts(b, "null");
	else if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(b, "%.0f", v);
	else {
		char s[32];
		snprintf(s, sizeof s, "%.15g", v);
		if (strtod(s, NULL) != v)
			snprintf(s, sizeof s, "%.17g", v);
		buf_puts(b, s);
	}
}
