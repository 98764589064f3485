/* util.c -- buffers, arenas and small string helpers. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void out_of_memory(size_t n)
{
	fprintf(stderr, "textmill: out of memory (asked for %zu bytes)\n", n);
	abort();
}

void buf_out_of_memory(void)
{
	fputs("textmill: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xasprintf(const char *fmt, ...)
{
	buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return b.p;
}

struct arena_block {
	arena_block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

void *arena_alloc(arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	arena_block *b = a->head;
	while (b && b->used + size > b->size) {
		/* Move on to a kept block from an earlier reset, if any fits. */
		b = b->next;
		if (b)
			b->used = 0, a->head = b;
	}
	if (!b) {
		size_t bsize = size > 8192 ? size : 8192;
		b = xmalloc(sizeof *b + bsize);
		b->next = NULL;
		b->used = 0;
		b->size = bsize;
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			a->first = b;
		}
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += size;
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = 0;
	return p;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

void arena_reset(arena *a)
{
	a->head = a->first;
	if (a->head)
		a->head->used = 0;
}

void arena_free(arena *a)
{
	arena_block *b = a->first;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = a->first = NULL;
}

/* Bytes in the UTF-8 character at p (of n), or 0 if it is not one. */
static size_t utf8_char_len(const unsigned char *p, size_t n)
{
	size_t used;
	return kit_utf8_decode((const char *)p, n, &used) >= 0 ? used : 0;
}

size_t term_escape(char *out, size_t cap, const char *s, size_t len, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;
	while (i < len) {
		unsigned c = p[i];
		size_t k = c >= 0x20 && c < 0x7F ? 1 : c < 0x80 ? 0 : utf8_char_len(p + i, len - i);
		if (k == 2 && c == 0xC2 && p[i + 1] < 0xA0) { /* C1: U+0080..U+009F */
			if (cap - o < 6)
				break;
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hex[p[i + 1] >> 4];
			out[o + 5] = hex[p[i + 1] & 15];
			o += 6;
		} else if (k) {
			if (cap - o < k)
				break;
			memcpy(out + o, p + i, k);
			o += k;
		} else { /* a control character, DEL, or a byte that is not UTF-8 */
			if (cap - o < 4)
				break;
			out[o] = '\\', out[o + 1] = 'x';
			out[o + 2] = hex[c >> 4];
			out[o + 3] = hex[c & 15];
			o += 4;
			k = 1;
		}
		i += k;
	}
	*used = i;
	return o;
}

void buf_put_escaped(buf *b, const char *s, size_t len)
{
	while (len) {
		buf_reserve(b, len < 64 ? 64 : len); /* room for the longest escape */
		size_t used, n = term_escape(b->p + b->len, b->cap - b->len - 1, s, len, &used);
		b->len += n;
		b->p[b->len] = 0;
		s += used;
		len -= used;
	}
}

void vprint_err(const char *fmt, va_list ap)
{
	buf text = {0}, line = {0};
	buf_vprintf(&text, fmt, ap);
	/* A message of several lines (a Lua traceback) stays readable: a tab
	 * moves nothing but the cursor, and every line after the first is
	 * indented, so text from an id or a script cannot pose as a line of
	 * textmill's own. */
	const char *p = text.p, *end = text.p + text.len;
	while (p < end) {
		const char *stop = p;
		while (stop < end && *stop != '\n' && *stop != '\t')
			stop++;
		buf_put_escaped(&line, p, (size_t)(stop - p));
		if (stop < end && *stop == '\t')
			buf_putc(&line, '\t');
		else if (stop < end)
			buf_puts(&line, stop + 1 < end ? "\n    " : "\n");
		p = stop + (stop < end);
	}
	if (line.len)
		fwrite(line.p, 1, line.len, stderr);
	buf_free(&text);
	buf_free(&line);
}

void print_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint_err(fmt, ap);
	va_end(ap);
}

int log_level = LOG_INFO;

int log_level_named(const char *name)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

void log_debug(const char *fmt, ...)
{
	if (log_level < LOG_DEBUG)
		return;
	buf line = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_puts(&line, "textmill: debug: ");
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	print_err("%s\n", line.p);
	buf_free(&line);
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
