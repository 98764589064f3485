/* buf.c -- the growable byte buffer. A failed append sets a sticky flag
 * instead of returning an error, so code that writes a record in twenty
 * appends checks once, at the end. */
#include "textmill/kit.h"

#include <stdio.h>
#include <stdlib.h>

int kit_buf_reserve(kit_buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (extra < b->cap && b->len + 1 <= b->cap - extra)
		return 0;
	if (extra > SIZE_MAX - 1 - b->len) {
		b->failed = 1;
		return -1;
	}
	size_t need = b->len + extra + 1, cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = kit_realloc(b->p, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void kit_buf_put(kit_buf *b, const void *data, size_t len)
{
	if (kit_buf_reserve(b, len))
		return;
	if (len)
		memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = 0;
}

void kit_buf_puts(kit_buf *b, const char *s) { kit_buf_put(b, s, strlen(s)); }

size_t kit_uint_digits(char out[20], uint64_t v)
{
	size_t n = 0;
	do {
		out[20 - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return n;
}

void kit_buf_put_uint(kit_buf *b, uint64_t v)
{
	char digits[20];
	size_t n = kit_uint_digits(digits, v);
	kit_buf_put(b, digits + sizeof digits - n, n);
}

void kit_buf_put_cp(kit_buf *b, int32_t cp)
{
	char s[4];
	kit_buf_put(b, s, kit_utf8_encode(s, cp));
}

void kit_buf_vprintf(kit_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0) {
		b->failed = 1; /* an encoding error: nothing sensible was written */
	} else if ((size_t)n < sizeof small) {
		kit_buf_put(b, small, (size_t)n);
	} else if (kit_buf_reserve(b, (size_t)n) == 0) {
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void kit_buf_printf(kit_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kit_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void kit_buf_free(kit_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
