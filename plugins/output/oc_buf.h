/* oc_buf.h -- a growable byte buffer and the escapes outputs need
 * (JSON strings, HTML text). Shared by the output plugins. */
#ifndef OC_BUF_H
#define OC_BUF_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define OC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define OC_PRINTF(f, a)
#endif

/* Always NUL-terminated once anything was added; p is NULL while empty. */
typedef struct oc_buf {
	char *p;
	size_t len, cap;
} oc_buf;

/* Every function aborts the process on out of memory, like the host's
 * allocators: an output that cannot allocate cannot report either. */
void oc_buf_put(oc_buf *b, const void *data, size_t len);
void oc_buf_puts(oc_buf *b, const char *s);
void oc_buf_putc(oc_buf *b, char c);
void oc_buf_printf(oc_buf *b, const char *fmt, ...) OC_PRINTF(2, 3);
void oc_buf_clear(oc_buf *b);
void oc_buf_free(oc_buf *b);
/* The contents as a C string ("" while empty). */
const char *oc_buf_str(const oc_buf *b);

/* s as a quoted JSON string. */
void oc_buf_json_string(oc_buf *b, const char *s, size_t len);
/* s with & < > " ' escaped, safe in HTML text and quoted attributes. */
void oc_buf_html(oc_buf *b, const char *s, size_t len);
/* The same, cut after max_chars characters (UTF-8) with an ellipsis. */
void oc_buf_html_cut(oc_buf *b, const char *s, size_t len, size_t max_chars);
/* An integer with "," between groups of three digits: 1,234,567. */
void oc_buf_grouped(oc_buf *b, long long n);

void *oc_xmalloc(size_t n);
void *oc_xcalloc(size_t n, size_t size);
void *oc_xrealloc(void *p, size_t n);
char *oc_xstrdup(const char *s);
char *oc_xstrndup(const char *s, size_t n);

#endif
