/* oc_json.c -- reading values out of the toolkit's JSON trees for outputs. */
#include "oc_json.h"

long long oc_json_int(const kit_json *v, const char *key, long long dflt)
{
	const kit_json *m = kit_json_get(v, key);
	return m && m->kind == KIT_JSON_NUMBER ? (long long)m->num : dflt;
}

const char *oc_json_str(const kit_json *v, const char *key)
{
	const kit_json *m = kit_json_get(v, key);
	return m && m->kind == KIT_JSON_STRING ? m->str : NULL;
}

void oc_json_text(kit_buf *out, const kit_json *v, const char *sep)
{
	switch (v->kind) {
	case KIT_JSON_NULL: return;
	case KIT_JSON_STRING: kit_buf_put(out, v->str, v->len); return;
	case KIT_JSON_ARRAY:
		for (const kit_json *c = v->child; c; c = c->next) {
			if (c != v->child)
				kit_buf_puts(out, sep);
			if (c->kind == KIT_JSON_ARRAY || c->kind == KIT_JSON_OBJECT)
				kit_json_write(out, c);
			else
				oc_json_text(out, c, sep);
		}
		return;
	default: kit_json_write(out, v); return;
	}
}
