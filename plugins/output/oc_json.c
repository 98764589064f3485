/* oc_json.c -- parse JSON into a tree kept in one arena. */
#include "oc_json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 128

typedef struct block {
	struct block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
} block;

/* The root node sits inside the arena so oc_json_free finds the blocks. */
typedef struct arena {
	oc_json root;
	block *blocks;
} arena;

typedef struct parser {
	const char *p, *end;
	const char *error;
	arena *a;
	int depth;
} parser;

static void *arena_alloc(arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	block *b = a->blocks;
	if (!b || b->size - b->used < n) {
		size_t size = n > 4000 ? n : 4000;
		b = oc_xmalloc(sizeof *b + size);
		b->size = size;
		b->used = 0;
		b->next = a->blocks;
		a->blocks = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

static void skip_ws(parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int fail(parser *ps, const char *msg)
{
	if (!ps->error)
		ps->error = msg;
	return -1;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A \u escape at p (after the backslash and 'u'), with a following low
 * surrogate if p starts a pair. A lone surrogate becomes U+FFFD. */
static int read_escape_u(parser *ps, unsigned *cp)
{
	if (ps->end - ps->p < 4 || hex4(ps->p, cp))
		return fail(ps, "bad \\u escape");
	ps->p += 4;
	if (*cp >= 0xD800 && *cp < 0xDC00) {
		unsigned lo;
		if (ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u' && !hex4(ps->p + 2, &lo) &&
		    lo >= 0xDC00 && lo < 0xE000) {
			*cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
			ps->p += 6;
		} else {
			*cp = 0xFFFD;
		}
	} else if (*cp >= 0xDC00 && *cp < 0xE000) {
		*cp = 0xFFFD;
	}
	return 0;
}

/* A string at ps->p (on the opening quote), decoded into the arena. */
static int read_string(parser *ps, const char **out, size_t *out_len)
{
	const char *start = ++ps->p;
	const char *q = start;
	while (q < ps->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
		q++;
	if (q < ps->end && *q == '"') {  /* no escapes: one copy */
		char *s = arena_alloc(ps->a, (size_t)(q - start) + 1);
		memcpy(s, start, (size_t)(q - start));
		s[q - start] = 0;
		*out = s, *out_len = (size_t)(q - start);
		ps->p = q + 1;
		return 0;
	}
	/* Decoded text is never longer than the escaped text. */
	const char *close = q;
	while (close < ps->end && *close != '"') {
		if (*close == '\\' && ps->end - close < 2)
			return fail(ps, "unterminated string");
		close += *close == '\\' ? 2 : 1;
	}
	if (close >= ps->end)
		return fail(ps, "unterminated string");
	char *s = arena_alloc(ps->a, (size_t)(close - start) + 1), *w = s;
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;
		if (c < 0x20)
			return fail(ps, "control character in string");
		if (c != '\\') {
			*w++ = (char)c;
			ps->p++;
			continue;
		}
		if (++ps->p >= ps->end)
			return fail(ps, "unterminated string");
		char e = *ps->p++;
		switch (e) {
		case '"': *w++ = '"'; break;
		case '\\': *w++ = '\\'; break;
		case '/': *w++ = '/'; break;
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case 'u': {
			unsigned cp;
			if (read_escape_u(ps, &cp))
				return -1;
			w += put_utf8(w, cp);
			break;
		}
		default:
			return fail(ps, "bad escape in string");
		}
	}
	if (ps->p >= ps->end)
		return fail(ps, "unterminated string");
	ps->p++;
	*w = 0;
	*out = s, *out_len = (size_t)(w - s);
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int read_number(parser *ps, oc_json *v)
{
	const char *s = ps->p, *p = s;
	if (p < ps->end && *p == '-')
		p++;
	if (p >= ps->end || !is_digit(*p))
		return fail(ps, "bad number");
	if (*p == '0')
		p++;
	else
		while (p < ps->end && is_digit(*p))
			p++;
	if (p < ps->end && *p == '.') {
		if (++p >= ps->end || !is_digit(*p))
			return fail(ps, "bad number");
		while (p < ps->end && is_digit(*p))
			p++;
	}
	if (p < ps->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < ps->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= ps->end || !is_digit(*p))
			return fail(ps, "bad number");
		while (p < ps->end && is_digit(*p))
			p++;
	}
	size_t n = (size_t)(p - s);
	char *copy = arena_alloc(ps->a, n + 1);
	memcpy(copy, s, n);
	copy[n] = 0;
	v->kind = OC_JSON_NUMBER;
	v->str = copy;
	v->len = n;
	v->num = strtod(copy, NULL);  /* JSON numbers are valid C-locale numbers */
	ps->p = p;
	return 0;
}

static int read_value(parser *ps, oc_json *v);

static int read_items(parser *ps, oc_json *v, int object)
{
	char close = object ? '}' : ']';
	v->kind = object ? OC_JSON_OBJECT : OC_JSON_ARRAY;
	if (++ps->depth > MAX_DEPTH)
		return fail(ps, "nested too deeply");
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return 0;
	}
	oc_json **tail = &v->child;
	for (;;) {
		oc_json *item = arena_alloc(ps->a, sizeof *item);
		memset(item, 0, sizeof *item);
		skip_ws(ps);
		if (object) {
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, "expected a member name");
			if (read_string(ps, &item->key, &item->key_len))
				return -1;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return fail(ps, "expected ':'");
			ps->p++;
		}
		if (read_value(ps, item))
			return -1;
		*tail = item;
		tail = &item->next;
		v->n++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return 0;
		}
		return fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int read_word(parser *ps, const char *word, oc_json_kind kind, oc_json *v)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return fail(ps, "unexpected character");
	ps->p += n;
	v->kind = kind;
	return 0;
}

static int read_value(parser *ps, oc_json *v)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end of text");
	switch (*ps->p) {
	case '{': return read_items(ps, v, 1);
	case '[': return read_items(ps, v, 0);
	case '"':
		v->kind = OC_JSON_STRING;
		return read_string(ps, &v->str, &v->len);
	case 't': return read_word(ps, "true", OC_JSON_TRUE, v);
	case 'f': return read_word(ps, "false", OC_JSON_FALSE, v);
	case 'n': return read_word(ps, "null", OC_JSON_NULL, v);
	default: return read_number(ps, v);
	}
}

oc_json *oc_json_parse(const char *text, size_t len, const char **error)
{
	arena *a = oc_xcalloc(1, sizeof *a);
	parser ps = {.p = text, .end = text + len, .a = a};
	if (read_value(&ps, &a->root) == 0) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			fail(&ps, "text after the value");
	}
	if (ps.error) {
		if (error)
			*error = ps.error;
		oc_json_free(&a->root);
		return NULL;
	}
	return &a->root;
}

void oc_json_free(oc_json *v)
{
	if (!v)
		return;
	arena *a = (arena *)((char *)v - offsetof(arena, root));
	for (block *b = a->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

const oc_json *oc_json_get(const oc_json *v, const char *key)
{
	if (!v || v->kind != OC_JSON_OBJECT)
		return NULL;
	size_t n = strlen(key);
	const oc_json *found = NULL;
	for (const oc_json *m = v->child; m; m = m->next)
		if (m->key_len == n && !memcmp(m->key, key, n))
			found = m;  /* the last of duplicate keys wins, as in most readers */
	return found;
}

const oc_json *oc_json_path(const oc_json *v, const char *path)
{
	char part[256];
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof part)
			return NULL;
		memcpy(part, path, n);
		part[n] = 0;
		v = oc_json_get(v, part);
		path += n + (dot != NULL);
	}
	return v;
}

long long oc_json_int(const oc_json *v, const char *key, long long dflt)
{
	const oc_json *m = oc_json_get(v, key);
	return m && m->kind == OC_JSON_NUMBER ? (long long)m->num : dflt;
}

const char *oc_json_str(const oc_json *v, const char *key)
{
	const oc_json *m = oc_json_get(v, key);
	return m && m->kind == OC_JSON_STRING ? m->str : NULL;
}

void oc_json_write(oc_buf *out, const oc_json *v)
{
	switch (v->kind) {
	case OC_JSON_NULL: oc_buf_puts(out, "null"); return;
	case OC_JSON_FALSE: oc_buf_puts(out, "false"); return;
	case OC_JSON_TRUE: oc_buf_puts(out, "true"); return;
	case OC_JSON_NUMBER: oc_buf_put(out, v->str, v->len); return;
	case OC_JSON_STRING: oc_buf_json_string(out, v->str, v->len); return;
	case OC_JSON_ARRAY:
	case OC_JSON_OBJECT:
		oc_buf_putc(out, v->kind == OC_JSON_ARRAY ? '[' : '{');
		for (const oc_json *c = v->child; c; c = c->next) {
			if (c != v->child)
				oc_buf_putc(out, ',');
			if (v->kind == OC_JSON_OBJECT) {
				oc_buf_json_string(out, c->key, c->key_len);
				oc_buf_putc(out, ':');
			}
			oc_json_write(out, c);
		}
		oc_buf_putc(out, v->kind == OC_JSON_ARRAY ? ']' : '}');
		return;
	}
}

void oc_json_text(oc_buf *out, const oc_json *v, const char *sep)
{
	switch (v->kind) {
	case OC_JSON_NULL: return;
	case OC_JSON_STRING: oc_buf_put(out, v->str, v->len); return;
	case OC_JSON_ARRAY:
		for (const oc_json *c = v->child; c; c = c->next) {
			if (c != v->child)
				oc_buf_puts(out, sep);
			if (c->kind == OC_JSON_ARRAY || c->kind == OC_JSON_OBJECT)
				oc_json_write(out, c);
			else
				oc_json_text(out, c, sep);
		}
		return;
	default: oc_json_write(out, v); return;
	}
}
