/* buf.c -- the growable byte buffer every pass writes into. */
#include <stdlib.h>
#include <string.h>

#include "clean.h"

int cl_buf_reserve(cl_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

int cl_buf_put(cl_buf *b, const void *p, size_t n)
{
	if (cl_buf_reserve(b, n))
		return -1;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int cl_buf_puts(cl_buf *b, const char *s) { return cl_buf_put(b, s, strlen(s)); }

int cl_buf_putc(cl_buf *b, char c) { return cl_buf_put(b, &c, 1); }

int cl_buf_putcp(cl_buf *b, int32_t cp)
{
	char tmp[4];
	return cl_buf_put(b, tmp, cl_utf8_put(tmp, cp));
}

int cl_buf_json(cl_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int rc;
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			rc = cl_buf_put(b, e, 2);
		} else if (c == '\n') {
			rc = cl_buf_put(b, "\\n", 2);
		} else if (c == '\t') {
			rc = cl_buf_put(b, "\\t", 2);
		} else if (c < 0x20) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			rc = cl_buf_put(b, e, 6);
		} else {
			rc = cl_buf_putc(b, (char)c);
		}
		if (rc)
			return -1;
	}
	return 0;
}

void cl_buf_free(cl_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

char *cl_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}
