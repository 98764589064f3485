/* oc_doc.c -- reading documents the way every output does. */
#include "oc_doc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "oc_json.h"

void oc_doc_meta_object(const tm_doc *doc, kit_buf *out)
{
	size_t n = tm_doc_meta_count(doc);
	kit_buf_putc(out, '{');
	for (size_t i = 0; i < n; i++) {
		const char *key = tm_doc_meta_key(doc, i);
		if (i)
			kit_buf_putc(out, ',');
		kit_json_put_string(out, key, strlen(key));
		kit_buf_putc(out, ':');
		kit_buf_puts(out, tm_doc_meta_json(doc, key));
	}
	kit_buf_putc(out, '}');
}

static int out_of_memory(const char *error) { return error && !strcmp(error, KIT_OOM); }

void oc_entity_label(const tm_doc *doc, const tm_entity *e, kit_buf *out)
{
	/* A string value is the label, decoded straight into out: the report
	 * and the CSV ask this of every entity, so no JSON tree is built. */
	if (e->value_json && e->value_json[0] == '"') {
		size_t mark = out->len;
		kit_json_cursor c = kit_json_at(e->value_json, strlen(e->value_json));
		int bad = kit_json_read_string(&c, out);
		if (out->failed)
			return;
		kit_json_skip_ws(&c);
		if (!bad && c.p == c.end && out->len > mark)
			return;
		out->len = mark; /* not one string, or an empty one: the text it covers */
		if (out->p)
			out->p[mark] = 0;
	}
	const char *text = tm_doc_text(doc, NULL);
	kit_buf_put(out, text + e->start, e->end - e->start);
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int oc_month(const char *date, char month[8])
{
	if (!date || strlen(date) < 7 || !digits(date, 4) || date[4] != '-' || !digits(date + 5, 2))
		return -1;
	int m = (date[5] - '0') * 10 + (date[6] - '0');
	if (m < 1 || m > 12)
		return -1;
	memcpy(month, date, 7);
	month[7] = 0;
	return 0;
}

/* An id as text in *out: a string as it is, a number as written, NULL for
 * anything else; 0, or -1 when out of memory. */
static int id_text(const kit_json *v, char **out)
{
	*out = NULL;
	if (!v || !((v->kind == KIT_JSON_STRING && v->len) || v->kind == KIT_JSON_NUMBER))
		return 0;
	return (*out = kit_strndup(v->str, v->len)) ? 0 : -1;
}

static const kit_json *either(const kit_json *obj, const char *a, const char *b)
{
	const kit_json *v = kit_json_get(obj, a);
	return v ? v : kit_json_get(obj, b);
}

/* The original's id in *out from "duplicate-of:ID" or "ID"; as id_text. */
static int strip_reason(const char *s, size_t len, char **out)
{
	static const char prefix[] = "duplicate-of:";
	size_t n = sizeof prefix - 1;
	if (len > n && !memcmp(s, prefix, n))
		s += n, len -= n;
	*out = NULL;
	return !len || (*out = kit_strndup(s, len)) ? 0 : -1;
}

/* 0, or -1 when out of memory. */
static int read_field(const tm_doc *doc, const char *field, oc_dup *dup)
{
	const char *json = tm_doc_meta_json(doc, field), *error = NULL;
	kit_json *d = json ? kit_json_parse(json, strlen(json), &error) : NULL;
	int rc = out_of_memory(error) ? -1 : 0;
	if (d && d->kind == KIT_JSON_OBJECT) {
		rc = id_text(either(d, "cluster", "cluster_id"), &dup->cluster);
		rc |= id_text(either(d, "duplicate_of", "of"), &dup->duplicate_of);
		const kit_json *sim = either(d, "similarity", "score");
		if (sim && sim->kind == KIT_JSON_NUMBER)
			dup->similarity = sim->num, dup->has_similarity = 1;
	} else if (d && d->kind == KIT_JSON_STRING) {
		rc = strip_reason(d->str, d->len, &dup->duplicate_of);
	}
	kit_json_free(d);
	return rc;
}

int oc_dup_read(const tm_doc *doc, const char *const *fields, size_t n, oc_dup *dup)
{
	memset(dup, 0, sizeof *dup);
	for (size_t i = 0; i < n && !dup->cluster && !dup->duplicate_of; i++) {
		if (read_field(doc, fields[i], dup))
			goto out_of_memory;
		if (!dup->cluster && !dup->duplicate_of)
			oc_dup_free(dup); /* said nothing we use: try the next */
	}
	if (!dup->cluster && !dup->duplicate_of) {
		size_t len;
		const char *of = tm_doc_meta_string(doc, "duplicate_of", &len);
		if (of && strip_reason(of, len, &dup->duplicate_of))
			goto out_of_memory;
	}
	if (dup->duplicate_of && !strcmp(dup->duplicate_of, tm_doc_id(doc))) {
		free(dup->duplicate_of); /* "a duplicate of itself": the one kept */
		dup->duplicate_of = NULL;
	}
	if (!dup->cluster && dup->duplicate_of &&
	    !(dup->cluster = kit_strndup(dup->duplicate_of, strlen(dup->duplicate_of))))
		goto out_of_memory;
	if (!dup->cluster) {
		oc_dup_free(dup);
		return 0;
	}
	return 1;
out_of_memory:
	oc_dup_free(dup);
	return -1;
}

void oc_dup_free(oc_dup *dup)
{
	free(dup->cluster);
	free(dup->duplicate_of);
	memset(dup, 0, sizeof *dup);
}
