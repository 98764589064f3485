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
} json_cursor;

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
