/* doc.c -- documents: storage, the public accessors, and JSON records. */
#include "doc.h"
#include "host.h"
#include "json.h"

#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

tm_doc *doc_new(void)
{
	tm_doc *doc = xcalloc(1, sizeof *doc);
	doc_reset(doc);
	return doc;
}

void doc_drop_stash(tm_doc *doc)
{
	if (doc->stash && doc->stash_release)
		doc->stash_release(doc->stash);
	doc->stash = NULL;
	doc->stash_release = NULL;
}

void tm_doc_stash(tm_doc *doc, void *data, void (*release)(void *))
{
	doc_drop_stash(doc);
	doc->stash = data;
	doc->stash_release = release;
}

void *tm_doc_stashed(const tm_doc *doc) { return doc->stash; }

/* A document keeps its memory from record to record, so reading allocates
 * nothing once warm; but what a large record took is given back, or a few
 * of them would leave every document of every batch that large. */
#define DOC_KEEP_BYTES (1 << 20)

void doc_reset(tm_doc *doc)
{
	doc_drop_stash(doc);
	if (doc->bytes > DOC_KEEP_BYTES)
		arena_free(&doc->mem);
	else
		arena_reset(&doc->mem);
	if (doc->text.cap > DOC_KEEP_BYTES)
		buf_free(&doc->text);
	if (doc->scratch.cap > DOC_KEEP_BYTES)
		buf_free(&doc->scratch);
	buf_clear(&doc->text);
	buf_reserve(&doc->text, 0);
	doc->id = "";
	doc->source = "";
	doc->n_meta = doc->n_ents = 0;
	memset(doc->names, 0, sizeof doc->names);
	doc->verdict = TM_KEEP;
	doc->reason = doc->verdict_stage = NULL;
	doc->bytes = 0;
	doc->unchecked = 0;
	doc->ctx = NULL;
}

void doc_free(tm_doc *doc)
{
	if (!doc)
		return;
	doc_drop_stash(doc);
	arena_free(&doc->mem);
	buf_free(&doc->text);
	buf_free(&doc->scratch);
	free(doc->meta);
	free(doc->ents);
	free(doc);
}

void doc_set_id(tm_doc *doc, const char *id, size_t len) { doc->id = arena_strndup(&doc->mem, id, len); }

int tm_doc_set_id(tm_doc *doc, const char *id, size_t len)
{
	if (!id || memchr(id, 0, len) || utf8_valid_prefix(id, len) != len)
		return tm_fail(doc->ctx, "an id must be UTF-8 without NUL characters");
	doc_set_id(doc, id, len);
	return TM_OK;
}

void doc_set_source(tm_doc *doc, const char *file, size_t line)
{
	buf *s = &doc->scratch;
	buf_clear(s);
	buf_puts(s, file);
	if (line)
		buf_printf(s, ":%zu", line);
	doc->source = arena_strndup(&doc->mem, s->p, s->len);
}

/* ---- public accessors ------------------------------------------------ */

const char *tm_doc_id(const tm_doc *doc) { return doc->id; }
const char *tm_doc_source(const tm_doc *doc) { return doc->source; }

const char *tm_doc_text(const tm_doc *doc, size_t *len)
{
	if (len)
		*len = doc->text.len;
	return doc->text.p;
}

int tm_doc_set_text(tm_doc *doc, const char *text, size_t len)
{
	if (doc->n_ents)
		return tm_fail(doc->ctx,
			       "rewrote the text of a document that stage '%s' had already annotated; "
			       "entity offsets would no longer match, so put text-rewriting stages before it",
			       doc->ents[0].stage ? doc->ents[0].stage : "?");
	if (text >= doc->text.p && text <= doc->text.p + doc->text.len) {
		/* Rewriting from a view of our own text: copy through scratch. */
		buf_clear(&doc->scratch);
		buf_put(&doc->scratch, text, len);
		text = doc->scratch.p;
	}
	buf_clear(&doc->text);
	buf_put(&doc->text, text, len);
	return TM_OK;
}

size_t tm_doc_meta_count(const tm_doc *doc) { return doc->n_meta; }

const char *tm_doc_meta_key(const tm_doc *doc, size_t i) { return i < doc->n_meta ? doc->meta[i].key : NULL; }

static meta_field *find_meta(const tm_doc *doc, const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < doc->n_meta; i++)
		if (!strcmp(doc->meta[i].key, key))
			return &doc->meta[i];
	return NULL;
}

const char *tm_doc_meta_json(const tm_doc *doc, const char *key)
{
	meta_field *f = find_meta(doc, key);
	return f ? f->json : NULL;
}

const char *tm_doc_meta_string(const tm_doc *doc, const char *key, size_t *len)
{
	meta_field *f = find_meta(doc, key);
	if (!f || f->json[0] != '"')
		return NULL;
	tm_doc *d = (tm_doc *)doc;
	buf_clear(&d->scratch);
	json_cursor c = {f->json, f->json, f->json + strlen(f->json), NULL, NULL, 1}; /* stored JSON is valid */
	if (json_read_string(&c, &d->scratch))
		return NULL;
	if (len)
		*len = d->scratch.len;
	return arena_strndup(&d->mem, d->scratch.p ? d->scratch.p : "", d->scratch.len);
}

int tm_doc_meta_number(const tm_doc *doc, const char *key, double *out)
{
	meta_field *f = find_meta(doc, key);
	if (!f)
		return TM_ERROR;
	char *end;
	double v = strtod(f->json, &end);
	if (end == f->json || *end)
		return TM_ERROR;
	*out = v;
	return TM_OK;
}

/* Field names, entity types and rules go into every output as JSON
 * strings, so they must be text. (They are C strings, so they cannot hold
 * a NUL; the reader refuses records whose names do.) */
static int is_text(const char *s) { return s && utf8_valid_prefix(s, strlen(s)) == strlen(s); }

static int check_key(tm_doc *doc, const char *key)
{
	return is_text(key) ? TM_OK
			    : tm_fail(doc->ctx, "metadata field name %s", key ? "is not valid UTF-8" : "missing");
}

static void put_meta(tm_doc *doc, const char *key, size_t key_len, const char *json, size_t len)
{
	char *k = arena_strndup(&doc->mem, key, key_len);
	meta_field *f = find_meta(doc, k);
	if (!f) {
		if (doc->n_meta == doc->cap_meta) {
			doc->cap_meta = doc->cap_meta ? doc->cap_meta * 2 : 8;
			doc->meta = xrealloc(doc->meta, doc->cap_meta * sizeof *doc->meta);
		}
		f = &doc->meta[doc->n_meta++];
		f->key = k;
	}
	f->json = arena_strndup(&doc->mem, json, len);
}

static bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* A stage's JSON text, kept without the spaces around it (as a record's
 * values are) and with its line breaks, which valid JSON only has between
 * tokens, made spaces: written out, a record must stay on one line. */
static const char *keep_json(tm_doc *doc, const char *json, size_t len)
{
	while (len && is_json_space(json[len - 1]))
		len--;
	while (len && is_json_space(*json))
		json++, len--;
	char *s = arena_strndup(&doc->mem, json, len);
	for (char *p = s; (p = memchr(p, '\n', (size_t)(s + len - p)));)
		*p++ = ' ';
	return s;
}

int tm_doc_set_meta_json(tm_doc *doc, const char *key, const char *json, size_t len)
{
	if (check_key(doc, key))
		return TM_ERROR;
	if (!json_is_value(json, len))
		return tm_fail(doc->ctx, "metadata field '%s': not one valid JSON value", key);
	json = keep_json(doc, json, len);
	put_meta(doc, key, strlen(key), json, strlen(json));
	return TM_OK;
}

int tm_doc_set_meta_string(tm_doc *doc, const char *key, const char *s, size_t len)
{
	if (check_key(doc, key))
		return TM_ERROR;
	if (utf8_valid_prefix(s, len) != len)
		return tm_fail(doc->ctx, "metadata field '%s': value is not valid UTF-8", key);
	buf *b = &doc->scratch;
	buf_clear(b);
	json_put_string(b, s, len);
	put_meta(doc, key, strlen(key), b->p, b->len);
	return TM_OK;
}

int tm_doc_set_meta_number(tm_doc *doc, const char *key, double value)
{
	if (check_key(doc, key))
		return TM_ERROR;
	buf *b = &doc->scratch;
	buf_clear(b);
	json_put_number(b, value);
	put_meta(doc, key, strlen(key), b->p, b->len);
	return TM_OK;
}

void tm_doc_remove_meta(tm_doc *doc, const char *key)
{
	meta_field *f = find_meta(doc, key);
	if (!f)
		return;
	size_t i = (size_t)(f - doc->meta);
	memmove(f, f + 1, (doc->n_meta - i - 1) * sizeof *f);
	doc->n_meta--;
}

size_t tm_doc_entity_count(const tm_doc *doc) { return doc->n_ents; }

const tm_entity *tm_doc_entity(const tm_doc *doc, size_t i) { return i < doc->n_ents ? &doc->ents[i] : NULL; }

static int is_boundary(const tm_doc *doc, size_t off)
{
	return off == doc->text.len || ((unsigned char)doc->text.p[off] & 0xC0) != 0x80;
}

/* The document's copy of an entity's type or rule name, or NULL if the name
 * is not UTF-8. A name met before in this document is neither checked nor
 * copied again: entities share the copy. */
static const char *keep_name(tm_doc *doc, const char *name)
{
	size_t len = strlen(name);
	if (!len)
		return "";
	const unsigned char *u = (const unsigned char *)name;
	size_t slot = (len * 31 + u[0] * 7 + u[len / 2] * 3 + u[len - 1]) % DOC_NAME_SLOTS;
	if (doc->names[slot].s && doc->names[slot].len == len && !memcmp(doc->names[slot].s, name, len))
		return doc->names[slot].s;
	if (utf8_valid_prefix(name, len) != len)
		return NULL;
	doc->names[slot].s = arena_strndup(&doc->mem, name, len);
	doc->names[slot].len = len;
	return doc->names[slot].s;
}

/* check_json: parse value_json and attrs_json to be sure they are JSON;
 * without it the caller vouches for them (a JSON writer made them). */
static int add_entity(tm_doc *doc, const char *type, size_t start, size_t end, const char *value_json,
		      const char *attrs_json, const char *rule, bool check_json)
{
	if (!type || !*type)
		return tm_fail(doc->ctx, "entity without a type");
	const char *type_kept = keep_name(doc, type), *rule_kept = rule ? keep_name(doc, rule) : NULL;
	if (!type_kept || (rule && !rule_kept))
		return tm_fail(doc->ctx, "entity %s is not valid UTF-8", type_kept ? "rule" : "type");
	if (start > end || end > doc->text.len)
		return tm_fail(doc->ctx, "%s entity [%zu, %zu) is outside the text (%zu bytes)", type, start, end,
			       doc->text.len);
	if (!is_boundary(doc, start) || !is_boundary(doc, end))
		return tm_fail(doc->ctx, "%s entity [%zu, %zu) splits a UTF-8 character", type, start, end);
	if (check_json && value_json && !json_is_value(value_json, strlen(value_json)))
		return tm_fail(doc->ctx, "%s entity: value is not valid JSON: %s", type, value_json);
	if (attrs_json) {
		const char *a = attrs_json;
		while (is_json_space(*a))
			a++;
		if (*a != '{' || (check_json && !json_is_value(attrs_json, strlen(attrs_json))))
			return tm_fail(doc->ctx, "%s entity: attrs must be a JSON object: %s", type, attrs_json);
	}
	if (doc->n_ents == doc->cap_ents) {
		doc->cap_ents = doc->cap_ents ? doc->cap_ents * 2 : 16;
		doc->ents = xrealloc(doc->ents, doc->cap_ents * sizeof *doc->ents);
	}
	tm_entity *e = &doc->ents[doc->n_ents++];
	e->type = type_kept;
	e->start = start;
	e->end = end;
	e->value_json = value_json ? keep_json(doc, value_json, strlen(value_json)) : NULL;
	e->attrs_json = attrs_json ? keep_json(doc, attrs_json, strlen(attrs_json)) : NULL;
	e->rule = rule_kept;
	e->stage = doc->ctx ? tm_ctx_stage(doc->ctx) : NULL;
	return TM_OK;
}

int tm_doc_add_entity(tm_doc *doc, const char *type, size_t start, size_t end, const char *value_json,
		      const char *attrs_json, const char *rule)
{
	return add_entity(doc, type, start, end, value_json, attrs_json, rule, true);
}

int tm_doc_add_entity_written(tm_doc *doc, const char *type, size_t start, size_t end, const char *value_json,
			      const char *attrs_json, const char *rule)
{
	return add_entity(doc, type, start, end, value_json, attrs_json, rule, false);
}

static void set_verdict(tm_doc *doc, tm_verdict v, const char *reason)
{
	if (doc->verdict != TM_KEEP)
		return;
	doc->verdict = v;
	doc->reason = arena_strdup(&doc->mem, reason && *reason ? reason : "unspecified");
	doc->verdict_stage = doc->ctx ? tm_ctx_stage(doc->ctx) : NULL;
}

void tm_doc_drop(tm_doc *doc, const char *reason) { set_verdict(doc, TM_DROP, reason); }
void tm_doc_reject(tm_doc *doc, const char *reason) { set_verdict(doc, TM_REJECT, reason); }

tm_verdict tm_doc_verdict(const tm_doc *doc, const char **reason)
{
	if (reason)
		*reason = doc->reason;
	return doc->verdict;
}

/* ---- JSON records ---------------------------------------------------- */

/* Does s[0, n) go into JSON between quotes as it is? */
static bool json_plain(const char *s, size_t n) { return kit_json_plain_prefix(s, n) == n; }

/* Where an entity's pieces go: into room reserved once when none of its
 * type, text and rule needs escaping (nearly always; the JSON texts never
 * do), else through the buffer's checked appends and the escaper. One
 * sequence of pieces serves both, where writing a piece at a time checked
 * and grew the buffer about twenty times an entity. */
typedef struct {
	buf *b;
	bool plain; /* room reserved, nothing to escape */
} entity_out;

static void put_raw(entity_out *o, const char *s, size_t n)
{
	if (!o->plain) {
		buf_put(o->b, s, n);
		return;
	}
	memcpy(o->b->p + o->b->len, s, n); /* no check, no terminating NUL */
	o->b->len += n;
}
#define PUT_LITERAL(o, lit) put_raw((o), (lit), sizeof(lit) - 1)

static void put_uint(entity_out *o, uint64_t v)
{
	char digits[20];
	size_t n = kit_uint_digits(digits, v);
	put_raw(o, digits + sizeof digits - n, n);
}

static void put_string(entity_out *o, const char *s, size_t n)
{
	if (!o->plain) {
		json_put_string(o->b, s, n);
		return;
	}
	o->b->p[o->b->len++] = '"';
	put_raw(o, s, n);
	o->b->p[o->b->len++] = '"';
}

static void write_entity(const tm_doc *doc, const tm_entity *e, buf *out)
{
	const char *rule = e->rule ? e->rule : e->stage;
	const char *text = doc->text.p + e->start, *value = e->value_json ? e->value_json : "null",
		   *attrs = e->attrs_json ? e->attrs_json : "{}";
	size_t type_len = strlen(e->type), text_len = e->end - e->start, rule_len = rule ? strlen(rule) : 0;
	size_t value_len = strlen(value), attrs_len = strlen(attrs);
	entity_out o = {out,
			json_plain(e->type, type_len) && json_plain(text, text_len) && json_plain(rule, rule_len)};
	if (o.plain)
		buf_reserve(out, 80 + 2 * 20 + type_len + text_len + value_len + attrs_len + rule_len);
	PUT_LITERAL(&o, "{\"type\":");
	put_string(&o, e->type, type_len);
	PUT_LITERAL(&o, ",\"text\":");
	put_string(&o, text, text_len);
	PUT_LITERAL(&o, ",\"start\":");
	put_uint(&o, e->start);
	PUT_LITERAL(&o, ",\"end\":");
	put_uint(&o, e->end);
	PUT_LITERAL(&o, ",\"value\":");
	put_raw(&o, value, value_len);
	PUT_LITERAL(&o, ",\"attrs\":");
	put_raw(&o, attrs, attrs_len);
	PUT_LITERAL(&o, ",\"rule\":");
	if (rule)
		put_string(&o, rule, rule_len);
	else
		PUT_LITERAL(&o, "null");
	PUT_LITERAL(&o, "}");
	if (o.plain)
		out->p[out->len] = 0;
}

void doc_write_json(const tm_doc *doc, buf *out)
{
	buf_puts(out, "{\"id\":");
	json_put_string(out, doc->id, strlen(doc->id));
	buf_puts(out, ",\"text\":");
	json_put_string(out, doc->text.p, doc->text.len);
	buf_puts(out, ",\"meta\":{");
	for (size_t i = 0; i < doc->n_meta; i++) {
		if (i)
			buf_putc(out, ',');
		json_put_string(out, doc->meta[i].key, strlen(doc->meta[i].key));
		buf_putc(out, ':');
		buf_puts(out, doc->meta[i].json);
	}
	buf_puts(out, "},\"entities\":[");
	for (size_t i = 0; i < doc->n_ents; i++) {
		if (i)
			buf_putc(out, ',');
		write_entity(doc, &doc->ents[i], out);
	}
	buf_puts(out, "]}\n");
}

int tm_doc_to_json(const tm_doc *doc, char **bufp, size_t *len, size_t *cap)
{
	buf b = {*bufp, *len, *cap, 0};
	doc_write_json(doc, &b);
	*bufp = b.p, *len = b.len, *cap = b.cap;
	return TM_OK;
}

/* Reading: one object with id, text, meta, entities; any other top-level
 * key is kept as a metadata field, so records from other tools load as is. */

typedef struct ent_spec {
	const char *type, *text, *value, *attrs, *rule;
	size_t start, end, text_len, type_len, rule_len;
	int has_start, has_end;
} ent_spec;

/* Keys are compared with their length: "text\u0000x" is not "text". */
static int key_is(const char *key, size_t len, const char *name)
{
	return len == strlen(name) && !memcmp(key, name, len);
}

/* Ids, keys, types and rules are C strings once read: a NUL inside one
 * would cut it short (two ids becoming one), so a record holding one is
 * refused. The text and string values keep theirs, with their length. */
static int has_nul(const char *s, size_t len) { return memchr(s, 0, len) != NULL; }

static int read_uint(json_cursor *c, size_t *out)
{
	const char *p = c->p;
	size_t v = 0;
	if (p >= c->end || *p < '0' || *p > '9') {
		c->error = "expected a non-negative integer", c->error_at = p;
		return -1;
	}
	while (p < c->end && *p >= '0' && *p <= '9') {
		if (v > (SIZE_MAX - 9) / 10) {
			c->error = "integer too large", c->error_at = c->p;
			return -1;
		}
		v = v * 10 + (size_t)(*p++ - '0');
	}
	if (p < c->end && (*p == '.' || *p == 'e' || *p == 'E')) {
		c->error = "expected an integer", c->error_at = c->p;
		return -1;
	}
	c->p = p;
	*out = v;
	return 0;
}

/* Copy the next value as raw JSON text into the document's arena. */
static const char *raw_value(tm_doc *doc, json_cursor *c)
{
	json_skip_ws(c);
	const char *start = c->p;
	if (json_skip_value(c))
		return NULL;
	return arena_strndup(&doc->mem, start, (size_t)(c->p - start));
}

static const char *read_arena_string(tm_doc *doc, json_cursor *c, size_t *len)
{
	buf *s = &doc->scratch;
	buf_clear(s);
	if (json_read_string(c, s))
		return NULL;
	if (len)
		*len = s->len;
	return arena_strndup(&doc->mem, s->p ? s->p : "", s->len);
}

static int expect(json_cursor *c, char ch, const char *msg)
{
	json_skip_ws(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return 0;
	}
	if (!c->error)
		c->error = msg, c->error_at = c->p;
	return -1;
}

/* Iterate the members of an object: returns 1 with the key in *key (and
 * where it starts in *key_at) while there is one, 0 at the closing brace,
 * -1 on error. */
static int next_member(tm_doc *doc, json_cursor *c, int *first, const char **key, size_t *key_len,
		       const char **key_at)
{
	json_skip_ws(c);
	if (c->p < c->end && *c->p == '}' && *first) {
		c->p++;
		return 0;
	}
	if (!*first) {
		if (c->p < c->end && *c->p == '}') {
			c->p++;
			return 0;
		}
		if (expect(c, ',', "expected ',' or '}' in an object"))
			return -1;
		json_skip_ws(c);
	}
	*first = 0;
	*key_at = c->p;
	*key = read_arena_string(doc, c, key_len);
	if (!*key || expect(c, ':', "expected ':' after an object key"))
		return -1;
	json_skip_ws(c);
	return 1;
}

static int read_entity(tm_doc *doc, json_cursor *c, ent_spec *e)
{
	memset(e, 0, sizeof *e);
	if (expect(c, '{', "an entity must be an object"))
		return -1;
	const char *key, *key_at;
	size_t klen;
	int first = 1, r;
	while ((r = next_member(doc, c, &first, &key, &klen, &key_at)) == 1) {
		const char *at = c->p;
		if (key_is(key, klen, "type")) {
			if (!(e->type = read_arena_string(doc, c, &e->type_len)))
				return -1;
		} else if (key_is(key, klen, "text")) {
			if (!(e->text = read_arena_string(doc, c, &e->text_len)))
				return -1;
		} else if (key_is(key, klen, "start")) {
			if (read_uint(c, &e->start))
				return -1;
			e->has_start = 1;
		} else if (key_is(key, klen, "end")) {
			if (read_uint(c, &e->end))
				return -1;
			e->has_end = 1;
		} else if (key_is(key, klen, "rule") && c->p < c->end && *c->p == '"') {
			if (!(e->rule = read_arena_string(doc, c, &e->rule_len)))
				return -1;
		} else {
			const char *raw = raw_value(doc, c);
			if (!raw)
				return -1;
			if (key_is(key, klen, "value"))
				e->value = strcmp(raw, "null") ? raw : NULL;
			else if (key_is(key, klen, "attrs")) {
				if (*raw != '{') {
					c->error = "entity attrs must be an object", c->error_at = at;
					return -1;
				}
				e->attrs = raw;
			}
		}
	}
	return r;
}

static int add_read_entities(tm_doc *doc, ent_spec *specs, size_t n, buf *err)
{
	for (size_t i = 0; i < n; i++) {
		ent_spec *e = &specs[i];
		if (!e->type || !e->has_start || !e->has_end) {
			buf_printf(err, "bad entity: entity %zu needs type, start and end", i);
			return -1;
		}
		if (has_nul(e->type, e->type_len) || (e->rule && has_nul(e->rule, e->rule_len))) {
			buf_printf(err, "bad entity: entity %zu \"%s\" holds a NUL character (\\u0000)", i,
				   has_nul(e->type, e->type_len) ? "type" : "rule");
			return -1;
		}
		if (e->start > e->end || e->end > doc->text.len) {
			buf_printf(err, "bad entity: entity %zu [%zu, %zu) is outside the text (%zu bytes)", i,
				   e->start, e->end, doc->text.len);
			return -1;
		}
		if (e->text &&
		    (e->text_len != e->end - e->start || memcmp(e->text, doc->text.p + e->start, e->text_len))) {
			buf_printf(err, "bad entity: entity %zu \"text\" does not match the text at [%zu, %zu)", i,
				   e->start, e->end);
			return -1;
		}
		if (tm_doc_add_entity(doc, e->type, e->start, e->end, e->value, e->attrs, e->rule)) {
			buf_printf(err, "bad entity: entity %zu splits a UTF-8 character or has invalid JSON", i);
			return -1;
		}
	}
	return 0;
}

int doc_from_json(tm_doc *doc, const char *line, size_t len, buf *err)
{
	return doc_from_json_keys(doc, line, len, "id", "text", err);
}

int doc_from_json_keys(tm_doc *doc, const char *line, size_t len, const char *id_key, const char *text_key, buf *err)
{
	/* UTF-8 is checked inside strings, the only place JSON allows it,
	 * so the bytes are looked at once. */
	json_cursor c = {line, line, line + len, NULL, NULL, 0};
	ent_spec *specs = NULL;
	size_t n_specs = 0, cap_specs = 0;
	int have_text = 0, have_id = 0;
	const char *nul_at = NULL, *nul_in = NULL; /* a name holding a NUL */
	const char *key, *key_at;
	size_t klen;
	int first = 1, r = -1;
	tm_ctx *ctx = doc->ctx;
	doc->ctx = NULL; /* errors here are the reader's, reported below */

	if (expect(&c, '{', "a record must be a JSON object"))
		goto done;
	while ((r = next_member(doc, &c, &first, &key, &klen, &key_at)) == 1) {
		r = -1;
		if (has_nul(key, klen)) {
			nul_at = key_at, nul_in = "a key";
			goto done;
		}
		if (key_is(key, klen, id_key) && c.p < c.end && *c.p == '"') {
			/* The document keeps the id only once it is read whole. */
			const char *at = c.p;
			size_t id_len;
			char *id = (char *)read_arena_string(doc, &c, &id_len);
			if (!id)
				goto done;
			if (has_nul(id, id_len)) {
				nul_at = at, nul_in = NULL; /* the id, named below */
				goto done;
			}
			doc->id = id;
			have_id = 1;
		} else if (key_is(key, klen, id_key)) {
			/* A numeric id is kept as its digits. */
			const char *s = c.p;
			if (c.p >= c.end || (*c.p != '-' && (*c.p < '0' || *c.p > '9'))) {
				buf_clear(&doc->scratch);
				buf_printf(&doc->scratch, "\"%s\" must be a string or a number", id_key);
				c.error = doc->scratch.p, c.error_at = c.p;
				goto done;
			}
			if (json_skip_value(&c))
				goto done;
			doc_set_id(doc, s, (size_t)(c.p - s));
			have_id = 1;
		} else if (key_is(key, klen, text_key)) {
			buf_clear(&doc->text);
			if (json_read_string(&c, &doc->text))
				goto done;
			have_text = 1;
		} else if (key_is(key, klen, "meta")) {
			if (expect(&c, '{', "\"meta\" must be an object"))
				goto done;
			int mfirst = 1, mr;
			const char *mkey, *mkey_at;
			size_t mklen;
			while ((mr = next_member(doc, &c, &mfirst, &mkey, &mklen, &mkey_at)) == 1) {
				if (has_nul(mkey, mklen)) {
					nul_at = mkey_at, nul_in = "a key";
					goto done;
				}
				const char *raw = raw_value(doc, &c);
				if (!raw)
					goto done;
				put_meta(doc, mkey, mklen, raw, strlen(raw));
			}
			if (mr < 0)
				goto done;
		} else if (key_is(key, klen, "entities")) {
			if (expect(&c, '[', "\"entities\" must be an array"))
				goto done;
			json_skip_ws(&c);
			if (c.p < c.end && *c.p == ']') {
				c.p++;
			} else {
				for (;;) {
					if (n_specs == cap_specs) {
						cap_specs = cap_specs ? cap_specs * 2 : 8;
						specs = xrealloc(specs, cap_specs * sizeof *specs);
					}
					if (read_entity(doc, &c, &specs[n_specs++]) < 0)
						goto done;
					json_skip_ws(&c);
					if (c.p < c.end && *c.p == ',') {
						c.p++;
						continue;
					}
					if (expect(&c, ']', "expected ',' or ']' in \"entities\""))
						goto done;
					break;
				}
			}
		} else {
			const char *raw = raw_value(doc, &c);
			if (!raw)
				goto done;
			put_meta(doc, key, klen, raw, strlen(raw));
		}
	}
	if (r < 0)
		goto done;
	r = -1;
	json_skip_ws(&c);
	if (c.p != c.end) {
		c.error = "text after the end of the record", c.error_at = c.p;
		goto done;
	}
	if (!have_text) {
		buf_printf(err, "malformed record: no \"%s\"", text_key);
		goto done;
	}
	if (!have_id)
		doc->id = "";
	if (add_read_entities(doc, specs, n_specs, err))
		goto done;
	r = 0;
done:
	if (r && nul_at && !nul_in)
		buf_printf(err, "malformed record: \"%s\" holds a NUL character (\\u0000) at column %zu", id_key,
			   (size_t)(nul_at - line) + 1);
	else if (r && nul_at)
		buf_printf(err, "malformed record: %s holds a NUL character (\\u0000) at column %zu", nul_in,
			   (size_t)(nul_at - line) + 1);
	else if (r && c.error && !strcmp(c.error, "invalid UTF-8 in a string"))
		buf_printf(err, "invalid UTF-8: at byte %zu", (size_t)(c.error_at - line) + 1);
	else if (r && c.error && c.error_at < c.end && (unsigned char)*c.error_at >= 0x80 &&
		 utf8_valid_prefix(c.error_at, (size_t)(c.end - c.error_at) < 4 ? (size_t)(c.end - c.error_at) : 4) ==
			 0)
		buf_printf(err, "invalid UTF-8: at byte %zu", (size_t)(c.error_at - line) + 1);
	else if (r && c.error)
		buf_printf(err, "malformed JSON: %s at column %zu", c.error, (size_t)(c.error_at - line) + 1);
	free(specs);
	doc->ctx = ctx;
	return r;
}
