/* oc_buf.h -- the escapes outputs need besides JSON (HTML text, grouped
 * digits), on the toolkit's buffer, and copies of option lists. Shared by
 * the output plugins. Out of memory is an error value, as in kit.h. */
#ifndef OC_BUF_H
#define OC_BUF_H

#include <stddef.h>

#include "textmill/kit.h"

/* s with & < > " ' escaped, safe in HTML text and quoted attributes. */
void oc_buf_html(kit_buf *b, const char *s, size_t len);
/* The same, cut after max_chars characters (UTF-8) with an ellipsis. */
void oc_buf_html_cut(kit_buf *b, const char *s, size_t len, size_t max_chars);
/* An integer with "," between groups of three digits: 1,234,567. */
void oc_buf_grouped(kit_buf *b, long long n);

/* Room for one more item after the n in the array that *array points at
 * (cap items of size bytes each), doubling it (from first) when full. 0,
 * or -1 when out of memory (the array stays as it was). */
int oc_grow(void *array, size_t *cap, size_t n, size_t size, size_t first);

/* A copy of the n strings of a list option (free with oc_strings_free);
 * NULL when out of memory. */
char **oc_strings_dup(const char *const *s, size_t n);
void oc_strings_free(char **s, size_t n);

#endif
