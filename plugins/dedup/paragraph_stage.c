/* paragraph_stage.c -- dedup.paragraph: paragraphs (or lines) that occur
 * in at least min_docs documents are removed from the document where the
 * count reaches min_docs and from every later one. prepare() splits and
 * hashes on the workers; process() counts and rewrites in input order.
 * In a sharded run, each shard collects its documents' paragraph hashes,
 * the merge counts them in shard order, and each shard removes what the
 * merge listed for it (shard.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

#include "index_lock.h"
#include "norm.h"
#include "shard.h"
#include "stage_util.h"
#include "stages.h"

#define PARA_SEED 0x7061726167ULL /* "parag" */
#define REPORT_TEXT 300           /* bytes of a removed paragraph kept for the report */

typedef struct pg_slot {
	uint64_t hash;    /* 0: empty */
	uint32_t docs;    /* documents it occurred in */
	uint32_t report1; /* report entry + 1, once removed */
} pg_slot;

typedef struct pg_report {
	char *text;
	uint64_t removed;
	uint64_t hash;
	size_t seq; /* first-removed order, for ties in the report */
} pg_report;

typedef struct pg_stage {
	dd_norm norm;
	int lines;
	long long min_docs, min_chars;
	const char *field;
	const char *index_path;
	int index_update;
	int lock; /* the index's lock, or -1 */
	const char *report_path;
	pg_slot *slot;
	size_t n, cap;
	pg_report *rep;
	size_t n_rep, rep_cap;
	int global;    /* TM_GLOBAL_*: its phase in a sharded run */
	uint64_t line; /* sharded: documents so far */
	dd_tmfile out; /* collect: the shard's paragraph hashes */
	int out_open;
	char *out_path;
	dd_list list; /* apply: what to remove, per document */
} pg_stage;

typedef struct pg_para {
	size_t start, end;
	uint64_t hash;
	size_t chars;
} pg_para;

typedef struct pg_note {
	size_t n;
	pg_para p[];
} pg_note;

/* ---- the count table ----------------------------------------------------- */

/* Not the toolkit's kit_map: save_index writes the index file in table
 * order, so this probing sequence is part of what makes the same input
 * give the same file; and a slot carries two counters. */

static pg_slot *find(pg_stage *st, uint64_t h)
{
	if (!st->cap)
		return NULL;
	for (size_t i = h & (st->cap - 1);; i = (i + 1) & (st->cap - 1)) {
		if (st->slot[i].hash == h)
			return &st->slot[i];
		if (!st->slot[i].hash)
			return NULL;
	}
}

static pg_slot *insert(pg_stage *st, uint64_t h)
{
	if ((st->n + 1) * 2 > st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 4096;
		pg_slot *s = calloc(cap, sizeof *s);
		if (!s)
			return NULL;
		for (size_t i = 0; i < st->cap; i++) {
			if (!st->slot[i].hash)
				continue;
			size_t j = st->slot[i].hash & (cap - 1);
			while (s[j].hash)
				j = (j + 1) & (cap - 1);
			s[j] = st->slot[i];
		}
		free(st->slot);
		st->slot = s;
		st->cap = cap;
	}
	size_t i = h & (st->cap - 1);
	while (st->slot[i].hash && st->slot[i].hash != h)
		i = (i + 1) & (st->cap - 1);
	if (!st->slot[i].hash) {
		st->slot[i].hash = h;
		st->n++;
	}
	return &st->slot[i];
}

/* ---- index file: (hash, documents) pairs --------------------------------- */

#define PG_ENTRY_BYTES 12

/* The entries of an open index file into the count table; -1 with a
 * message in in->err. */
static int load_entries(pg_stage *st, dd_in *in)
{
	if (in->n_params != 3 || in->params[2] != PARA_SEED) {
		snprintf(in->err, sizeof in->err, "%s is corrupt: unexpected parameters", in->path);
		return -1;
	}
	if (in->params[0] != st->norm.flags || in->params[1] != (uint64_t)st->lines) {
		snprintf(in->err, sizeof in->err,
			 "%s was made with other unit or normalisation settings; its counts "
			 "do not apply",
			 in->path);
		return -1;
	}
	if (dd_in_check_count(in, "paragraphs", UINT32_MAX, 0, PG_ENTRY_BYTES))
		return -1;
	if (in->count * PG_ENTRY_BYTES != in->body_left)
		return dd_in_corrupt(in, in->body_start, NULL, 0,
				     "%llu paragraphs take %llu bytes, but its body has %llu",
				     (unsigned long long)in->count, (unsigned long long)(in->count * PG_ENTRY_BYTES),
				     (unsigned long long)in->body_left);
	for (uint64_t i = 0; i < in->count; i++) {
		uint64_t h, at = dd_in_tell(in);
		uint32_t docs;
		pg_slot *s;
		if (dd_in_u64(in, &h) || dd_in_u32(in, &docs))
			return -1;
		if (!h)
			return dd_in_corrupt(in, at, "entry", i, "a paragraph hash of 0");
		if (!(s = insert(st, h)))
			return dd_in_nomem(in, in->count, "paragraphs");
		s->docs = docs;
	}
	return 0;
}

static int load(tm_ctx *ctx, pg_stage *st)
{
	dd_in in;
	int rc = dd_in_open(&in, st->index_path, DD_KIND_PARAGRAPH);
	if (rc > 0) {
		if (!st->index_update)
			return tm_fail(ctx, "index %s does not exist (index_update: false reads an existing index)",
				       st->index_path);
		tm_log(ctx, "index %s does not exist yet; starting a new one", st->index_path);
		return TM_OK;
	}
	if (rc == 0)
		rc = load_entries(st, &in);
	dd_in_close(&in);
	if (rc)
		return tm_fail(ctx, "index: %s", in.err);
	tm_log(ctx, "index %s: %zu paragraphs", st->index_path, st->n);
	return TM_OK;
}

static int save(tm_ctx *ctx, pg_stage *st)
{
	dd_tmfile f;
	if (dd_tmfile_open(&f, ctx, st->index_path))
		return TM_ERROR;
	uint64_t params[3] = {st->norm.flags, (uint64_t)st->lines, PARA_SEED};
	dd_out_begin(&f.out, DD_KIND_PARAGRAPH, params, 3);
	for (size_t i = 0; i < st->cap; i++) { /* table order: the same for the same input */
		if (!st->slot[i].hash)
			continue;
		dd_out_u64(&f.out, st->slot[i].hash);
		dd_out_u32(&f.out, st->slot[i].docs);
		f.out.count++;
	}
	dd_out_end(&f.out);
	return dd_tmfile_commit(&f, ctx, st->index_path);
}

/* ---- stage --------------------------------------------------------------- */

static int collect_open(tm_ctx *ctx, pg_stage *st);

int dd_paragraph_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	pg_stage *st = calloc(1, sizeof *st);
	if (!st)
		return tm_fail(ctx, "out of memory");
	*state = st;
	st->lock = -1;
	const dd_paragraph_settings *set = tm_opt_settings(opts);
	if (dd_norm_init(&st->norm, dd_norm_flags(&set->norm)))
		return tm_fail(ctx, "out of memory");
	st->lines = set->lines;
	st->min_docs = set->min_docs;
	st->min_chars = set->min_chars;
	st->field = set->mark_field && *set->mark_field ? set->mark_field : NULL;
	st->index_path = set->index;
	st->index_update = set->index_update;
	st->report_path = set->report;
	st->global = tm_global_mode(ctx);
	if (dd_shard_refuse(ctx, opts, "index", "the shards cannot share one index") ||
	    dd_shard_refuse(ctx, opts, "report", "each shard would write its own"))
		return TM_ERROR;
	if (st->global == TM_GLOBAL_COLLECT && collect_open(ctx, st))
		return TM_ERROR;
	if (st->global == TM_GLOBAL_APPLY && dd_list_open(&st->list, ctx, "remove"))
		return TM_ERROR;
	if (st->index_path && st->index_update && dd_index_lock(ctx, st->index_path, &st->lock))
		return TM_ERROR;
	if (st->index_path && load(ctx, st))
		return TM_ERROR;
	return TM_OK;
}

static int blank(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Paragraphs: runs of non-blank lines. Lines: each non-blank line. */
static size_t split(const char *text, size_t len, int lines, pg_para *out, size_t cap)
{
	size_t n = 0, at = 0;
	int open = 0;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t e = end;
		while (e > at && text[e - 1] == '\r')
			e--;
		if (blank(text, at, e)) {
			open = 0;
		} else if (open && !lines) {
			if (out)
				out[n - 1].end = e;
		} else {
			if (out && n < cap)
				out[n] = (pg_para){at, e, 0, 0};
			n++;
			open = 1;
		}
		at = end + 1;
	}
	return n;
}

int dd_paragraph_prepare(tm_ctx *ctx, const void *state, tm_doc *doc)
{
	const pg_stage *st = state;
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	size_t n = split(text, len, st->lines, NULL, 0);
	pg_note *note = malloc(sizeof *note + n * sizeof note->p[0]);
	if (!note)
		return tm_fail(ctx, "out of memory");
	note->n = split(text, len, st->lines, note->p, n);
	for (size_t i = 0; i < n; i++) {
		pg_para *p = &note->p[i];
		dd_digest d = dd_norm_hash(&st->norm, text + p->start, p->end - p->start, PARA_SEED, &p->chars);
		p->hash = d.lo ? d.lo : 1;
	}
	tm_doc_stash(doc, note, free);
	return TM_OK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int remember(tm_ctx *ctx, pg_stage *st, pg_slot *s, const char *text, const pg_para *p)
{
	if (!s->report1) {
		if (st->n_rep == st->rep_cap) {
			size_t cap = st->rep_cap ? st->rep_cap * 2 : 64;
			pg_report *r = realloc(st->rep, cap * sizeof *r);
			if (!r)
				return tm_fail(ctx, "out of memory");
			st->rep = r;
			st->rep_cap = cap;
		}
		size_t n = p->end - p->start;
		if (n > REPORT_TEXT) { /* cut on a character boundary */
			n = REPORT_TEXT;
			while (n && ((unsigned char)text[p->start + n] & 0xC0) == 0x80)
				n--;
		}
		pg_report *r = &st->rep[st->n_rep];
		r->text = malloc(n + 1);
		if (!r->text)
			return tm_fail(ctx, "out of memory");
		memcpy(r->text, text + p->start, n);
		r->text[n] = 0;
		r->removed = 0;
		r->hash = s->hash;
		r->seq = st->n_rep;
		s->report1 = (uint32_t)++st->n_rep;
	}
	st->rep[s->report1 - 1].removed++;
	return TM_OK;
}

/* A paragraph long enough to count. */
static int counts(const pg_stage *st, const pg_para *p) { return (long long)p->chars >= st->min_chars && p->chars; }

/* The distinct hashes of the paragraphs that count, sorted, into h (room
 * for note->n); how many. */
static size_t distinct(const pg_stage *st, const pg_note *note, uint64_t *h)
{
	size_t k = 0, d = 0;
	for (size_t i = 0; i < note->n; i++)
		if (counts(st, &note->p[i]))
			h[k++] = note->p[i].hash;
	qsort(h, k, sizeof *h, cmp_u64);
	for (size_t i = 0; i < k; i++)
		if (!i || h[i] != h[i - 1])
			h[d++] = h[i];
	return d;
}

/* Count this document's distinct paragraphs; mark the ones to remove. */
static int count(tm_ctx *ctx, pg_stage *st, const pg_note *note, unsigned char *remove)
{
	uint64_t stack[256], *h = note->n <= 256 ? stack : malloc(note->n * sizeof *h);
	if (!h)
		return tm_fail(ctx, "out of memory");
	size_t k = distinct(st, note, h);
	int rc = TM_OK;
	for (size_t i = 0; i < k && rc == TM_OK; i++) {
		pg_slot *s = insert(st, h[i]);
		if (!s)
			rc = tm_fail(ctx, "out of memory");
		else if (s->docs < UINT32_MAX)
			s->docs++;
	}
	if (h != stack)
		free(h);
	for (size_t i = 0; i < note->n && rc == TM_OK; i++) {
		const pg_para *p = &note->p[i];
		if (!counts(st, p))
			continue;
		pg_slot *s = find(st, p->hash);
		remove[i] = s && s->docs >= (uint64_t)st->min_docs;
	}
	return rc;
}

/* The text without the removed paragraphs: each kept one keeps the
 * separator that came before it, and the text around the first and last
 * paragraph stays when they do. */
static int rewrite(tm_ctx *ctx, tm_doc *doc, const pg_note *note, const unsigned char *remove, size_t *removed_bytes)
{
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	char *out = malloc(len + 1);
	if (!out)
		return tm_fail(ctx, "out of memory");
	size_t o = 0, kept = 0;
	*removed_bytes = 0;
	for (size_t i = 0; i < note->n; i++) {
		const pg_para *p = &note->p[i];
		if (remove[i]) {
			*removed_bytes += p->end - p->start;
			continue;
		}
		size_t from = kept ? note->p[i - 1].end : i ? p->start : 0;
		memcpy(out + o, text + from, p->end - from);
		o += p->end - from;
		kept++;
	}
	if (kept && !remove[note->n - 1]) {
		size_t last = note->p[note->n - 1].end;
		memcpy(out + o, text + last, len - last);
		o += len - last;
	}
	int rc = TM_OK;
	if (!kept)
		tm_doc_drop(doc, "all-paragraphs-repeated");
	else
		rc = tm_doc_set_text(doc, out, o);
	free(out);
	return rc;
}

/* ---- a sharded run --------------------------------------------------------- */

#define PG_SHARD_EXT "para"

static int collect_open(tm_ctx *ctx, pg_stage *st)
{
	st->out_path = dd_shard_path(ctx, "shard", tm_global_shard(ctx, NULL), PG_SHARD_EXT);
	if (!st->out_path)
		return tm_fail(ctx, "out of memory");
	if (dd_tmfile_open(&st->out, ctx, st->out_path))
		return TM_ERROR;
	st->out_open = 1;
	uint64_t params[4] = {st->norm.flags, (uint64_t)st->lines, PARA_SEED, (uint64_t)st->min_chars};
	dd_out_begin(&st->out.out, DD_KIND_PARAGRAPH_SHARD, params, 4);
	return TM_OK;
}

/* A record per document with paragraphs that count: u64 line, u32 id
 * length, id, u32 n, n distinct u64 hashes. */
static int collect(tm_ctx *ctx, pg_stage *st, const tm_doc *doc, const pg_note *note)
{
	const char *id;
	size_t id_len;
	if (dd_doc_id(ctx, doc, &id, &id_len))
		return TM_ERROR;
	st->line++;
	uint64_t stack[256], *h = note->n <= 256 ? stack : malloc(note->n * sizeof *h);
	if (!h)
		return tm_fail(ctx, "out of memory");
	size_t k = distinct(st, note, h);
	if (k) {
		dd_out *o = &st->out.out;
		dd_out_u64(o, st->line);
		dd_out_u32(o, (uint32_t)id_len);
		dd_out_bytes(o, id, id_len);
		dd_out_u32(o, (uint32_t)k);
		for (size_t i = 0; i < k; i++)
			dd_out_u64(o, h[i]);
		o->count++;
	}
	if (h != stack)
		free(h);
	return TM_OK;
}

/* Apply: remove the paragraphs whose hashes the merge listed for this
 * document (comma-separated, hexadecimal). */
static int listed(tm_ctx *ctx, pg_stage *st, const tm_doc *doc, const pg_note *note, unsigned char *remove)
{
	int hit = dd_list_at(&st->list, ctx, st->line, doc);
	if (hit <= 0)
		return hit;
	for (const char *p = st->list.field[2]; *p;) {
		char *end;
		uint64_t h = strtoull(p, &end, 16);
		if (end == p || (*end && *end != ','))
			return tm_fail(ctx, "%s:%llu: not a list of paragraph hashes", st->list.path,
				       (unsigned long long)st->list.lineno);
		for (size_t i = 0; i < note->n; i++)
			if (note->p[i].hash == h && counts(st, &note->p[i]))
				remove[i] = 1;
		p = *end ? end + 1 : end;
	}
	return TM_OK;
}

/* Phase 2 for one shard: count its documents' paragraphs after those of
 * the shards before it, and list what one run would remove from each. */
typedef struct pg_scratch { /* the merge's buffers for one record */
	char *id;
	uint64_t *h;
	char *line; /* the hashes to remove, as the list writes them */
	size_t cap; /* hashes h and line have room for */
} pg_scratch;

static int scratch_grow(pg_scratch *sc, size_t n)
{
	if (n <= sc->cap)
		return 0;
	uint64_t *h = realloc(sc->h, n * sizeof *h);
	if (h)
		sc->h = h;
	char *line = h ? realloc(sc->line, n * 17 + 1) : NULL;
	if (!line)
		return -1;
	sc->line = line;
	sc->cap = n;
	return 0;
}

static int merge_shard(tm_ctx *ctx, pg_stage *st, unsigned shard, pg_scratch *sc)
{
	dd_in in;
	dd_list_out out = {0};
	if (dd_shard_in_open(&in, ctx, shard, PG_SHARD_EXT, DD_KIND_PARAGRAPH_SHARD))
		return TM_ERROR;
	int rc = TM_OK;
	if (in.n_params != 4 || in.params[0] != st->norm.flags || in.params[1] != (uint64_t)st->lines ||
	    in.params[2] != PARA_SEED || in.params[3] != (uint64_t)st->min_chars)
		rc = tm_fail(ctx, "%s was collected with other unit, min_chars or normalisation settings", in.path);
	else if (dd_in_check_count(&in, "records", UINT64_MAX, 0, 24))
		rc = tm_fail(ctx, "%s", in.err);
	if (!rc && dd_list_create(&out, ctx, "remove", shard))
		rc = TM_ERROR;
	long long changed = 0, removed = 0;
	for (uint64_t i = 0; !rc && i < in.count; i++) {
		uint64_t at = dd_in_tell(&in), doc_line;
		uint32_t id_len, n;
		if (dd_in_u64(&in, &doc_line) || dd_in_u32(&in, &id_len)) {
			rc = tm_fail(ctx, "%s", in.err);
			break;
		}
		if (id_len > DD_MAX_ID) {
			dd_in_corrupt(&in, at, "record", i, "id length %u is above the limit of %d bytes", id_len,
				      DD_MAX_ID);
			rc = tm_fail(ctx, "%s", in.err);
			break;
		}
		if (dd_in_bytes(&in, sc->id, id_len) || dd_in_u32(&in, &n)) {
			rc = tm_fail(ctx, "%s", in.err);
			break;
		}
		if ((uint64_t)n * 8 > in.body_left) {
			dd_in_corrupt(&in, at, "record", i, "%u paragraphs do not fit in what is left of it", n);
			rc = tm_fail(ctx, "%s", in.err);
			break;
		}
		if (scratch_grow(sc, n)) {
			rc = tm_fail(ctx, "out of memory");
			break;
		}
		uint64_t *h = sc->h;
		char *line = sc->line;
		size_t len = 0;
		for (uint32_t j = 0; j < n && !rc; j++) {
			pg_slot *s;
			if (dd_in_u64(&in, &h[j]))
				rc = tm_fail(ctx, "%s", in.err);
			else if (!(s = insert(st, h[j])))
				rc = tm_fail(ctx, "out of memory");
			else if (s->docs < UINT32_MAX)
				s->docs++;
		}
		for (uint32_t j = 0; j < n && !rc; j++)
			if (find(st, h[j])->docs >= (uint64_t)st->min_docs) {
				len += (size_t)sprintf(line + len, "%s%llx", len ? "," : "",
						       (unsigned long long)h[j]);
				removed++;
			}
		if (!rc && len) {
			changed++;
			rc = dd_list_put(&out, ctx, sc->id, id_len, "remove", 6, line, len, doc_line);
		}
	}
	tm_count(ctx, "documents", (long long)in.count);
	tm_count(ctx, "documents-changed", changed);
	tm_count(ctx, "paragraphs", removed);
	return dd_shard_in_done(&in, &out, rc);
}

int dd_paragraph_merge(tm_ctx *ctx, const tm_options *opts)
{
	pg_stage st = {.lock = -1};
	const dd_paragraph_settings *set = tm_opt_settings(opts);
	st.norm.flags = dd_norm_flags(&set->norm);
	st.lines = set->lines;
	st.min_docs = set->min_docs;
	st.min_chars = set->min_chars;
	unsigned shards;
	tm_global_shard(ctx, &shards);
	pg_scratch sc = {.id = malloc(DD_MAX_ID + 1)};
	int rc = sc.id ? TM_OK : tm_fail(ctx, "out of memory");
	for (unsigned s = 0; s < shards && !rc; s++)
		rc = merge_shard(ctx, &st, s, &sc);
	free(sc.id);
	free(sc.line);
	free(sc.h);
	free(st.slot);
	return rc;
}

/* ---- the stage --------------------------------------------------------------- */

int dd_paragraph_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	pg_stage *st = state;
	pg_note *note = tm_doc_stashed(doc);
	if (!note) {
		if (dd_paragraph_prepare(ctx, st, doc))
			return TM_ERROR;
		note = tm_doc_stashed(doc);
	}
	if (st->global == TM_GLOBAL_COLLECT)
		return collect(ctx, st, doc, note);
	if (st->global == TM_GLOBAL_APPLY)
		st->line++;
	if (!note->n)
		return TM_OK;
	unsigned char small[256], *remove = note->n <= sizeof small ? small : malloc(note->n);
	if (!remove)
		return tm_fail(ctx, "out of memory");
	memset(remove, 0, note->n);
	int rc = st->global == TM_GLOBAL_APPLY ? listed(ctx, st, doc, note, remove) : count(ctx, st, note, remove);
	size_t n_removed = 0;
	for (size_t i = 0; i < note->n; i++)
		n_removed += remove[i];
	if (rc == TM_OK && n_removed) {
		size_t len;
		const char *text = tm_doc_text(doc, &len);
		for (size_t i = 0; i < note->n && rc == TM_OK && st->global != TM_GLOBAL_APPLY; i++)
			if (remove[i])
				rc = remember(ctx, st, find(st, note->p[i].hash), text, &note->p[i]);
		size_t bytes = 0;
		if (rc == TM_OK)
			rc = rewrite(ctx, doc, note, remove, &bytes);
		if (rc == TM_OK) {
			tm_count(ctx, "paragraphs-removed", (long long)n_removed);
			tm_count(ctx, "bytes-removed", (long long)bytes);
			tm_count(ctx, "documents-changed", 1);
		}
		if (rc == TM_OK && st->field) {
			char json[64];
			int n = snprintf(json, sizeof json, "{\"removed\":%zu}", n_removed);
			rc = tm_doc_set_meta_json(doc, st->field, json, (size_t)n);
		}
	}
	if (remove != small)
		free(remove);
	return rc;
}

static int cmp_report(const void *a, const void *b)
{
	const pg_report *x = a, *y = b;
	if (x->removed != y->removed)
		return x->removed > y->removed ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int write_report(tm_ctx *ctx, pg_stage *st)
{
	tm_file *f = tm_file_open(ctx, st->report_path);
	if (!f)
		return TM_ERROR;
	pg_report *sorted = malloc((st->n_rep ? st->n_rep : 1) * sizeof *sorted);
	if (!sorted) {
		tm_file_abort(f);
		return tm_fail(ctx, "out of memory");
	}
	if (st->n_rep) {
		memcpy(sorted, st->rep, st->n_rep * sizeof *sorted);
		qsort(sorted, st->n_rep, sizeof *sorted, cmp_report);
	}
	int rc = TM_OK;
	for (size_t i = 0; i < st->n_rep && rc == TM_OK; i++) {
		const pg_slot *s = find(st, sorted[i].hash);
		size_t tl = strlen(sorted[i].text), len = 0, cap = tl * 6 + 128;
		char *line = malloc(cap);
		if (!line) {
			rc = tm_fail(ctx, "out of memory");
			break;
		}
		len = (size_t)snprintf(line, cap, "{\"documents\":%u,\"removed\":%llu,\"text\":", s ? s->docs : 0,
				       (unsigned long long)sorted[i].removed);
		dd_json_string(line, cap, &len, sorted[i].text, tl);
		len += (size_t)snprintf(line + len, cap - len, "}\n");
		rc = tm_file_write(f, line, len);
		free(line);
	}
	free(sorted);
	if (rc != TM_OK) {
		tm_file_abort(f);
		return TM_ERROR;
	}
	return tm_file_commit(f);
}

int dd_paragraph_finish(tm_ctx *ctx, void *state)
{
	pg_stage *st = state;
	if (st->global == TM_GLOBAL_APPLY)
		return dd_list_end(&st->list, ctx, st->line);
	if (st->out_open) {
		st->out_open = 0;
		dd_out_end(&st->out.out);
		return dd_tmfile_commit(&st->out, ctx, st->out_path);
	}
	if (st->report_path && write_report(ctx, st))
		return TM_ERROR;
	if (st->index_path && st->index_update)
		return save(ctx, st);
	return TM_OK;
}

void dd_paragraph_destroy(void *state)
{
	pg_stage *st = state;
	if (!st)
		return;
	for (size_t i = 0; i < st->n_rep; i++)
		free(st->rep[i].text);
	free(st->rep);
	free(st->slot);
	if (st->out_open)
		dd_tmfile_abort(&st->out);
	free(st->out_path);
	dd_list_close(&st->list);
	dd_norm_free(&st->norm);
	dd_index_unlock(&st->lock);
	free(st);
}

#define FIELD(member) TM_FIELD(dd_paragraph_settings, member)

const tm_option dd_paragraph_options[] = {
	{.name = "unit",
	 .type = TM_OPT_ENUM,
	 .default_value = "paragraph",
	 .choices = "paragraph|line",
	 FIELD(lines),
	 .help = "paragraph (lines up to a blank line) or line"},
	{.name = "min_docs",
	 .type = TM_OPT_INT,
	 .default_value = "3",
	 .min = 2,
	 .max = TM_NO_MAX,
	 FIELD(min_docs),
	 .help = "remove a paragraph from the document where it reaches this many documents, and later ones"},
	{.name = "min_chars",
	 .type = TM_OPT_INT,
	 .default_value = "1",
	 .min = 0,
	 .max = TM_NO_MAX,
	 FIELD(min_chars),
	 .help = "leave paragraphs shorter than this many (normalised) characters alone"},
	DD_CASE_OPTION(dd_paragraph_settings, "fold"),
	DD_WHITESPACE_OPTION(dd_paragraph_settings, "collapse"),
	DD_PUNCTUATION_OPTION(dd_paragraph_settings, "keep"),
	DD_DIACRITICS_OPTION(dd_paragraph_settings, "keep"),
	{.name = "report",
	 .type = TM_OPT_PATH,
	 FIELD(report),
	 .help = "JSON Lines file listing every removed paragraph with its counts"},
	{.name = "mark_field",
	 .type = TM_OPT_STRING,
	 FIELD(mark_field),
	 .help = "meta field set to {\"removed\": N} on changed documents"},
	{.name = "index",
	 .type = TM_OPT_PATH,
	 FIELD(index),
	 .help = "file of paragraph counts: loaded at the start if it exists, saved at the end"},
	{.name = "index_update",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(index_update),
	 .help = "save the counts at the end (false: read them only)"},
	{0},
};
