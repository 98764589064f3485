/* json.h -- the JSON we need: validate a value, decode and encode strings,
 * and read or write a document record. */
#ifndef TM_JSON_H
#define TM_JSON_H

#include "util.h"

/* A parse position and the first error found. */
typedef struct json_cursor {
	const char *p, *start, *end;
	const char *error;      /* static message, NULL while all is well */
	const char *error_at;   /* where it was found */
	int utf8_checked;       /* the caller has checked the whole text is UTF-8 */
} json_cursor;

/* Eight-byte words with a byte that needs escaping in a JSON string
 * (a control character, '"' or '\\') have a nonzero result. */
static inline uint64_t json_special_bytes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
	uint64_t zero_quote = (quote - ones) & ~quote & highs;
	uint64_t zero_slash = (slash - ones) & ~slash & highs;
	uint64_t control = (w - ones * 0x20) & ~w & highs;
	return zero_quote | zero_slash | control;
}

TM_INTERNAL void json_skip_ws(json_cursor *c);
/* Step over one value, checking it; returns 0, or -1 with c->error set. */
TM_INTERNAL int json_skip_value(json_cursor *c);
/* Decode a string at c->p (which must be at '"') into out (appending). */
TM_INTERNAL int json_read_string(json_cursor *c, buf *out);
/* Nonzero if [s, s+len) is exactly one JSON value, possibly with spaces. */
TM_INTERNAL int json_is_value(const char *s, size_t len);
/* Append s as a quoted JSON string. */
TM_INTERNAL void json_put_string(buf *b, const char *s, size_t len);
/* Append a number the way JSON wants it (integers without a fraction). */
TM_INTERNAL void json_put_number(buf *b, double v);

#endif
