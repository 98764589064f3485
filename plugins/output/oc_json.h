/* oc_json.h -- what outputs read from JSON values beyond the toolkit's
 * tree (textmill/kit.h): metadata values, entity attributes and the run
 * summary arrive as JSON texts, and outputs render them. */
#ifndef OC_JSON_H
#define OC_JSON_H

#include <stddef.h>

#include "textmill/kit.h"

/* A number member as long long, or dflt if absent or not a number. */
long long oc_json_int(const kit_json *v, const char *key, long long dflt);
/* A string member (NULL if absent or not a string). */
const char *oc_json_str(const kit_json *v, const char *key);
/* Write v as plain text for a table cell: a string without quotes, a
 * number as written, true/false, null as nothing; an array's items joined
 * by sep (an item that is itself an array or object as compact JSON); an
 * object as compact JSON. */
void oc_json_text(kit_buf *out, const kit_json *v, const char *sep);

#endif
