/* util.h -- small internal helpers: the toolkit's buffers, arenas, messages. */
#ifndef TM_UTIL_H
#define TM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "textmill/kit.h"
#include "textmill/textmill.h"

#define TM_INTERNAL __attribute__((visibility("hidden")))

/* The host's byte buffer is the toolkit's (textmill/kit.h). Out of memory
 * ends the host with a message, as xmalloc does: each buf_ function checks
 * the buffer's failure flag. */
typedef kit_buf buf;

/* Ends the program with "textmill: out of memory" (the toolkit itself never does). */
TM_INTERNAL void buf_out_of_memory(void) __attribute__((noreturn));
static inline void buf_check(const buf *b)
{
	if (b->failed)
		buf_out_of_memory();
}
static inline void buf_reserve(buf *b, size_t extra) { kit_buf_reserve(b, extra), buf_check(b); }
static inline void buf_put(buf *b, const void *data, size_t len) { kit_buf_put(b, data, len), buf_check(b); }
static inline void buf_puts(buf *b, const char *s) { kit_buf_puts(b, s), buf_check(b); }
static inline void buf_putc(buf *b, char c) { kit_buf_putc(b, c), buf_check(b); }
/* Decimal digits of v: what buf_printf("%zu") writes, for hot loops. */
static inline void buf_put_uint(buf *b, uint64_t v) { kit_buf_put_uint(b, v), buf_check(b); }
static inline void buf_vprintf(buf *b, const char *fmt, va_list ap) { kit_buf_vprintf(b, fmt, ap), buf_check(b); }
#define buf_printf(b, ...) (kit_buf_printf((b), __VA_ARGS__), buf_check(b))
static inline void buf_free(buf *b) { kit_buf_free(b); }
static inline void buf_clear(buf *b) { kit_buf_clear(b); }

/* A bump allocator whose blocks are kept across resets, so a document
 * reused for the next record allocates nothing once warmed up. */
typedef struct arena_block arena_block;
typedef struct arena {
	arena_block *head; /* block being filled */
	arena_block *first;
} arena;

TM_INTERNAL void *arena_alloc(arena *a, size_t size);
TM_INTERNAL char *arena_strndup(arena *a, const char *s, size_t len);
TM_INTERNAL char *arena_strdup(arena *a, const char *s);
TM_INTERNAL void arena_reset(arena *a);
TM_INTERNAL void arena_free(arena *a);

/* Allocation that cannot fail: out of memory ends the program with a message. */
TM_INTERNAL void *xmalloc(size_t n);
TM_INTERNAL void *xcalloc(size_t n, size_t size);
TM_INTERNAL void *xrealloc(void *p, size_t n);
TM_INTERNAL char *xstrdup(const char *s);
TM_INTERNAL char *xstrndup(const char *s, size_t n);
TM_INTERNAL char *xasprintf(const char *fmt, ...) TM_PRINTF(1, 2);

/* Length of the valid UTF-8 prefix of s; equals len when all of it is valid. */
static inline size_t utf8_valid_prefix(const char *s, size_t len) { return kit_utf8_valid_prefix(s, len); }

/* Text for a terminal. What a terminal would act on becomes visible
 * instead: C0 controls and DEL as \xHH, C1 controls (U+0080..U+009F) as
 * \u00HH, bytes that are not UTF-8 as \xHH, so an id or a file name cannot
 * move the cursor or rewrite the screen. Fills out (cap bytes, no NUL)
 * with as much of s as fits without cutting an escape in two, and sets
 * *used to the bytes of s consumed. Allocates nothing, so the crash
 * handler can use it; everything else goes through the two below. */
TM_INTERNAL size_t term_escape(char *out, size_t cap, const char *s, size_t len, size_t *used);
TM_INTERNAL void buf_put_escaped(buf *b, const char *s, size_t len);
/* A message on stderr, escaped for the terminal; tabs and newlines stay,
 * the lines after the first indented by four spaces. */
TM_INTERNAL void print_err(const char *fmt, ...) TM_PRINTF(1, 2);
TM_INTERNAL void vprint_err(const char *fmt, va_list ap);

TM_INTERNAL double now_seconds(void);

/* How much to say on stderr: -q is LOG_ERROR, --log-level LEVEL, -v is
 * LOG_DEBUG. Set once from the command line, before any thread starts. */
enum { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
TM_INTERNAL extern int log_level;
/* The level named error, warn, info or debug; -1 for another name. */
TM_INTERNAL int log_level_named(const char *name);
/* "textmill: debug: ..." on stderr, at LOG_DEBUG only. */
TM_INTERNAL void log_debug(const char *fmt, ...) TM_PRINTF(1, 2);

#endif
