/* oc_buf.c -- growable buffers and escapes for the output plugins. */
#include "oc_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
	fputs("textmill: out of memory in an output plugin\n", stderr);
	abort();
}

void *oc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *oc_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *oc_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *oc_xstrndup(const char *s, size_t n)
{
	char *p = oc_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *oc_xstrdup(const char *s)
{
	return oc_xstrndup(s, strlen(s));
}

static void reserve(oc_buf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->p = oc_xrealloc(b->p, cap);
	b->cap = cap;
}

void oc_buf_put(oc_buf *b, const void *data, size_t len)
{
	reserve(b, len);
	if (len)
		memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = 0;
}

void oc_buf_puts(oc_buf *b, const char *s)
{
	oc_buf_put(b, s, strlen(s));
}

void oc_buf_putc(oc_buf *b, char c)
{
	reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = 0;
}

void oc_buf_printf(oc_buf *b, const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(again);
		return;
	}
	if ((size_t)n < sizeof small) {
		oc_buf_put(b, small, (size_t)n);
	} else {
		reserve(b, (size_t)n);
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void oc_buf_clear(oc_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

void oc_buf_free(oc_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

const char *oc_buf_str(const oc_buf *b)
{
	return b->p ? b->p : "";
}

void oc_buf_json_string(oc_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	oc_buf_putc(b, '"');
	size_t run = 0;  /* bytes copied as they are, written in one go */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		oc_buf_put(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': oc_buf_puts(b, "\\\""); break;
		case '\\': oc_buf_puts(b, "\\\\"); break;
		case '\n': oc_buf_puts(b, "\\n"); break;
		case '\r': oc_buf_puts(b, "\\r"); break;
		case '\t': oc_buf_puts(b, "\\t"); break;
		default: {
			char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			oc_buf_puts(b, u);
		}
		}
	}
	oc_buf_put(b, s + run, len - run);
	oc_buf_putc(b, '"');
}

void oc_buf_html(oc_buf *b, const char *s, size_t len)
{
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = "\xEF\xBF\xBD"; break;  /* U+FFFD: HTML has no NUL */
		default: continue;
		}
		oc_buf_put(b, s + run, i - run);
		oc_buf_puts(b, rep);
		run = i + 1;
	}
	oc_buf_put(b, s + run, len - run);
}

void oc_buf_html_cut(oc_buf *b, const char *s, size_t len, size_t max_chars)
{
	size_t chars = 0, i = 0;
	for (; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;  /* a continuation byte: same character */
		if (chars++ == max_chars)
			break;
	}
	oc_buf_html(b, s, i);
	if (i < len)
		oc_buf_puts(b, "\xE2\x80\xA6");  /* … */
}

void oc_buf_grouped(oc_buf *b, long long n)
{
	char digits[32];
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	int len = snprintf(digits, sizeof digits, "%llu", u);
	if (n < 0)
		oc_buf_putc(b, '-');
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			oc_buf_putc(b, ',');
		oc_buf_putc(b, digits[i]);
	}
}
