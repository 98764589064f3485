/* oc_buf.h -- the escapes outputs need besides JSON (HTML text, grouped
 * digits), on the toolkit's buffer, and the allocators of the report's
 * tables. Shared by the output plugins. */
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

/* Allocation for the report's tables and the formats' settings. These
 * abort the process on out of memory (buffers do not: see kit.h). */
void *oc_xmalloc(size_t n);
void *oc_xcalloc(size_t n, size_t size);
void *oc_xrealloc(void *p, size_t n);
char *oc_xstrdup(const char *s);
char *oc_xstrndup(const char *s, size_t n);

#endif
