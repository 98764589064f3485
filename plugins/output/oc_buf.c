/* oc_buf.c -- escapes, arrays and copies the output plugins share. */
#include "oc_buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int oc_grow(void *array, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return 0;
	size_t want = *cap ? *cap * 2 : first;
	void *items;
	memcpy(&items, array, sizeof items); /* array is some T **, not a void ** */
	if (want > SIZE_MAX / size || !(items = kit_realloc(items, want * size)))
		return -1;
	memcpy(array, &items, sizeof items);
	*cap = want;
	return 0;
}

char **oc_strings_dup(const char *const *s, size_t n)
{
	char **copy = kit_calloc(n, sizeof *copy);
	for (size_t i = 0; copy && i < n; i++)
		if (!(copy[i] = kit_strndup(s[i], strlen(s[i])))) {
			oc_strings_free(copy, i);
			copy = NULL;
		}
	return copy;
}

void oc_strings_free(char **s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i]);
	free(s);
}

void oc_buf_html(kit_buf *b, const char *s, size_t len)
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
		case '\0': rep = "\xEF\xBF\xBD"; break; /* U+FFFD: HTML has no NUL */
		default: continue;
		}
		kit_buf_put(b, s + run, i - run);
		kit_buf_puts(b, rep);
		run = i + 1;
	}
	kit_buf_put(b, s + run, len - run);
}

void oc_buf_html_cut(kit_buf *b, const char *s, size_t len, size_t max_chars)
{
	size_t chars = 0, i = 0;
	for (; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue; /* a continuation byte: same character */
		if (chars++ == max_chars)
			break;
	}
	oc_buf_html(b, s, i);
	if (i < len)
		kit_buf_puts(b, "\xE2\x80\xA6"); /* … */
}

void oc_buf_grouped(kit_buf *b, long long n)
{
	char digits[32];
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	int len = snprintf(digits, sizeof digits, "%llu", u);
	if (n < 0)
		kit_buf_putc(b, '-');
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			kit_buf_putc(b, ',');
		kit_buf_putc(b, digits[i]);
	}
}
