/* byte_shape.h -- shape tests of plain ASCII byte sets, matched without
 * PCRE2 (byte_shape.c). */
#ifndef TML_BYTE_SHAPE_H
#define TML_BYTE_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BYTE_SHAPE_MAX 16

typedef struct {
	uint8_t set[32]; /* the bytes it takes, a bit each */
	uint8_t min;     /* 0: optional (?, *) */
	bool many;       /* * or + */
} byte_shape_item;

typedef struct {
	int n;
	byte_shape_item item[BYTE_SHAPE_MAX];
	size_t min_len, max_len; /* the lengths a match can have (SIZE_MAX: no bound) */
} byte_shape;

/* Read a regex of the form \G<items>\z, each item an ASCII character or a
 * set of them (not negated) with an optional ?, * or + (lazy or not), into
 * out; false (out unusable) for any other pattern, or one compiled
 * caseless or extended. */
bool byte_shape_compile(const char *pattern, bool caseless_or_extended, byte_shape *out);

/* Whether the items match all of s[0..len), as the regex would at its
 * start with the subject ending at len. */
bool byte_shape_match(const byte_shape *sh, const char *s, size_t len);

#endif
