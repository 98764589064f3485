/* json.h -- the JSON the host needs, from the toolkit (textmill/kit.h):
 * validate a value, decode and encode strings. The names stay the host's,
 * with its rule that running out of memory ends the program (util.h). */
#ifndef TM_JSON_H
#define TM_JSON_H

#include "util.h"

typedef kit_json_cursor json_cursor;

static inline void json_skip_ws(json_cursor *c) { kit_json_skip_ws(c); }
/* Step over one value, checking it; returns 0, or -1 with c->error set. */
static inline int json_skip_value(json_cursor *c) { return kit_json_skip_value(c); }
/* Decode a string at c->p (which must be at '"') into out (appending). */
static inline int json_read_string(json_cursor *c, buf *out)
{
	int rc = kit_json_read_string(c, out);
	if (out)
		buf_check(out);
	return rc;
}
/* Nonzero if [s, s+len) is exactly one JSON value, possibly with spaces. */
static inline int json_is_value(const char *s, size_t len) { return kit_json_is_value(s, len); }
/* Append s as a quoted JSON string. */
static inline void json_put_string(buf *b, const char *s, size_t len)
{
	kit_json_put_string(b, s, len);
	buf_check(b);
}
/* Append a number the way JSON wants it (integers without a fraction). */
static inline void json_put_number(buf *b, double v)
{
	kit_json_put_number(b, v);
	buf_check(b);
}

#endif
