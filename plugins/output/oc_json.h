/* oc_json.h -- a small JSON reader for outputs: metadata values, entity
 * attributes and the run summary arrive as JSON texts, and outputs that
 * render them (CSV cells, the report) need them as a tree. */
#ifndef OC_JSON_H
#define OC_JSON_H

#include <stddef.h>

#include "oc_buf.h"

typedef enum oc_json_kind {
	OC_JSON_NULL = 0,
	OC_JSON_FALSE,
	OC_JSON_TRUE,
	OC_JSON_NUMBER,
	OC_JSON_STRING,
	OC_JSON_ARRAY,
	OC_JSON_OBJECT
} oc_json_kind;

typedef struct oc_json oc_json;
struct oc_json {
	oc_json_kind kind;
	/* STRING: the decoded bytes; NUMBER: the number as written. */
	const char *str;
	size_t len;
	double num;        /* NUMBER */
	const char *key;   /* a member of an OBJECT: its decoded key */
	size_t key_len;
	oc_json *child;    /* ARRAY, OBJECT: the first item or member */
	oc_json *next;     /* the next sibling */
	size_t n;          /* ARRAY, OBJECT: the number of children */
};

/* A parsed value owns all its nodes; free it with oc_json_free. Returns
 * NULL with *error set to a static message if text is not exactly one
 * JSON value (spaces around it allowed). Nesting is limited to 128. */
oc_json *oc_json_parse(const char *text, size_t len, const char **error);
void oc_json_free(oc_json *v);

/* The member `key` of an object, NULL if v is not an object or lacks it. */
const oc_json *oc_json_get(const oc_json *v, const char *key);
/* Follow a dotted path of member names, "a.b.c". */
const oc_json *oc_json_path(const oc_json *v, const char *path);
/* A number member as long long, or dflt if absent or not a number. */
long long oc_json_int(const oc_json *v, const char *key, long long dflt);
/* A string member (NULL if absent or not a string). */
const char *oc_json_str(const oc_json *v, const char *key);

/* Write v back as compact JSON. */
void oc_json_write(oc_buf *out, const oc_json *v);
/* Write v as plain text for a table cell: a string without quotes, a
 * number as written, true/false, null as nothing; an array's items joined
 * by sep (an item that is itself an array or object as compact JSON); an
 * object as compact JSON. */
void oc_json_text(oc_buf *out, const oc_json *v, const char *sep);

#endif
