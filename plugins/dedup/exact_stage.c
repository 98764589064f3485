/* exact_stage.c -- dedup.exact: documents whose normalised text hashes
 * to a value seen before. prepare() hashes on the workers; process()
 * looks up and inserts in input order. In a sharded run, each shard
 * collects its hashes, the merge decides over all of them in shard order,
 * and each shard applies its list (shard.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

#include "exindex.h"
#include "index_lock.h"
#include "norm.h"
#include "shard.h"
#include "stage_util.h"
#include "stages.h"

#define EXACT_HASH_SEED 0x6578616374ULL

typedef struct ex_stage {
	dd_norm norm;
	ex_index ix;
	int mark;
	const char *field;
	const char *index_path;
	int index_update;
	int lock; /* the index's lock, or -1 */
	uint64_t order;
	int global;    /* TM_GLOBAL_*: its phase in a sharded run */
	uint64_t line; /* sharded: documents that passed so far */
	dd_tmfile out; /* collect: the shard's hashes */
	int out_open;
	dd_list list; /* apply: the shard's duplicates */
} ex_stage;

typedef struct ex_note {
	dd_digest h;
	size_t chars;
} ex_note;

/* ---- a sharded run --------------------------------------------------------- */

static int collect_open(tm_ctx *ctx, ex_stage *st)
{
	char *path = dd_shard_path(ctx, "shard", tm_global_shard(ctx, NULL), "exact");
	if (!path)
		return tm_fail(ctx, "out of memory");
	int rc = dd_tmfile_open(&st->out, ctx, path);
	free(path);
	if (rc)
		return TM_ERROR;
	st->out_open = 1;
	uint64_t params[2] = {st->norm.flags, EXACT_HASH_SEED};
	dd_out_begin(&st->out.out, DD_KIND_EXACT_SHARD, params, 2);
	return TM_OK;
}

/* A record: u64 line, u64 hash high, u64 hash low, u32 id length, id. */
static void collect(ex_stage *st, dd_digest h, const char *id, size_t id_len)
{
	dd_out *o = &st->out.out;
	dd_out_u64(o, st->line);
	dd_out_u64(o, h.hi);
	dd_out_u64(o, h.lo);
	dd_out_u32(o, (uint32_t)id_len);
	dd_out_bytes(o, id, id_len);
	o->count++;
}

/* What one run drops a duplicate of `of` with, and marks it with; the mark
 * is "-" when `of` is too long for it (then marking rejects the document). */
static void verdict(const char *of, size_t of_len, char *json, size_t cap, size_t *json_len, char reason[600])
{
	size_t len = (size_t)snprintf(json, cap, "{\"duplicate_of\":");
	if (dd_json_string(json, cap - 1, &len, of, of_len))
		len = (size_t)snprintf(json, cap, "-");
	else
		json[len++] = '}';
	*json_len = len;
	snprintf(reason, 600, "duplicate-of:%.*s", (int)(of_len > 500 ? 500 : of_len), of);
}

static int mark_json(tm_ctx *ctx, const ex_stage *st, tm_doc *doc, const char *json, size_t len)
{
	if (len == 1 && json[0] == '-')
		return tm_fail(ctx, "document id too long to mark");
	return tm_doc_set_meta_json(doc, st->field, json, len);
}

static int apply(tm_ctx *ctx, ex_stage *st, tm_doc *doc)
{
	int hit = dd_list_at(&st->list, ctx, ++st->line, doc);
	if (hit <= 0)
		return hit;
	tm_count(ctx, "duplicates", 1);
	if (st->mark)
		return mark_json(ctx, st, doc, st->list.field[2], st->list.len[2]);
	tm_doc_drop(doc, st->list.field[1]);
	return TM_OK;
}

/* Phase 2: the shards' hashes in shard order, as one run would see them. */
static int merge_shard(tm_ctx *ctx, ex_index *ix, uint32_t flags, unsigned shard, char *id, char *json)
{
	dd_in in;
	dd_list_out out = {0};
	if (dd_shard_in_open(&in, ctx, shard, "exact", DD_KIND_EXACT_SHARD))
		return TM_ERROR;
	int rc = TM_OK;
	if (in.n_params != 2 || in.params[0] != flags || in.params[1] != EXACT_HASH_SEED)
		rc = tm_fail(ctx, "%s was collected with other normalisation settings", in.path);
	else if (dd_in_check_count(&in, "records", UINT64_MAX, 0, 28))
		rc = tm_fail(ctx, "%s", in.err);
	if (!rc && dd_list_create(&out, ctx, "drop", shard))
		rc = TM_ERROR;
	long long dups = 0;
	for (uint64_t i = 0; !rc && i < in.count; i++) {
		uint64_t line, at = dd_in_tell(&in);
		dd_digest h;
		uint32_t id_len;
		if (dd_in_u64(&in, &line) || dd_in_u64(&in, &h.hi) || dd_in_u64(&in, &h.lo) ||
		    dd_in_u32(&in, &id_len)) {
			rc = tm_fail(ctx, "%s", in.err);
		} else if (id_len > DD_MAX_ID) {
			dd_in_corrupt(&in, at, "record", i, "id length %u is above the limit of %d bytes", id_len,
				      DD_MAX_ID);
			rc = tm_fail(ctx, "%s", in.err);
		} else if (dd_in_bytes(&in, id, id_len)) {
			rc = tm_fail(ctx, "%s", in.err);
		} else {
			long long k = ex_index_find(ix, h);
			if (k < 0) {
				if (ex_index_add(ix, h, line, id, id_len))
					rc = tm_fail(ctx, "out of memory");
				continue;
			}
			const ex_entry *e = &ix->e[k];
			size_t json_len;
			char reason[600];
			verdict(ix->ids + e->id_off, e->id_len, json, 4096, &json_len, reason);
			rc = dd_list_put(&out, ctx, id, id_len, reason, strlen(reason), json, json_len, line);
			dups++;
		}
	}
	tm_count(ctx, "documents", (long long)in.count);
	tm_count(ctx, "duplicates", dups);
	return dd_shard_in_done(&in, &out, rc);
}

int dd_exact_merge(tm_ctx *ctx, const tm_options *opts)
{
	const dd_exact_settings *set = tm_opt_settings(opts);
	uint32_t flags = dd_norm_flags(&set->norm);
	ex_index ix;
	ex_index_init(&ix);
	char *id = malloc(DD_MAX_ID + 1), *json = malloc(4096);
	unsigned shards;
	tm_global_shard(ctx, &shards);
	int rc = id && json ? TM_OK : tm_fail(ctx, "out of memory");
	for (unsigned s = 0; s < shards && !rc; s++)
		rc = merge_shard(ctx, &ix, flags, s, id, json);
	free(id);
	free(json);
	ex_index_free(&ix);
	return rc;
}

/* ---- the stage --------------------------------------------------------------- */

int dd_exact_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	ex_stage *st = calloc(1, sizeof *st);
	if (!st)
		return tm_fail(ctx, "out of memory");
	*state = st;
	st->lock = -1;
	ex_index_init(&st->ix);
	const dd_exact_settings *set = tm_opt_settings(opts);
	if (dd_norm_init(&st->norm, dd_norm_flags(&set->norm)))
		return tm_fail(ctx, "out of memory");
	st->mark = set->mark;
	st->field = set->mark_field;
	st->index_path = set->index;
	st->index_update = set->index_update;
	st->global = tm_global_mode(ctx);
	if (dd_shard_refuse(ctx, opts, "index", "the shards cannot share one index"))
		return TM_ERROR;
	if (st->global == TM_GLOBAL_COLLECT && collect_open(ctx, st))
		return TM_ERROR;
	if (st->global == TM_GLOBAL_APPLY && dd_list_open(&st->list, ctx, "drop"))
		return TM_ERROR;
	if (st->index_path && st->index_update && dd_index_lock(ctx, st->index_path, &st->lock))
		return TM_ERROR;
	if (st->index_path) {
		dd_in in;
		int rc = dd_in_open(&in, st->index_path, DD_KIND_EXACT);
		if (rc > 0 && !st->index_update)
			return tm_fail(ctx, "index %s does not exist (index_update: false reads an existing index)",
				       st->index_path);
		if (rc > 0)
			tm_log(ctx, "index %s does not exist yet; starting a new one", st->index_path);
		if (rc == 0)
			rc = ex_index_load(&st->ix, st->norm.flags, &in);
		dd_in_close(&in);
		if (rc < 0)
			return tm_fail(ctx, "index: %s", in.err);
		if (rc == 0)
			tm_log(ctx, "index %s: %zu texts", st->index_path, st->ix.n);
	}
	st->order = st->ix.next_order;
	return TM_OK;
}

int dd_exact_prepare(tm_ctx *ctx, const void *state, tm_doc *doc)
{
	const ex_stage *st = state;
	if (st->global == TM_GLOBAL_APPLY)
		return TM_OK; /* the merge has decided: no hash needed */
	ex_note *n = malloc(sizeof *n);
	if (!n)
		return tm_fail(ctx, "out of memory");
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	n->h = dd_norm_hash(&st->norm, text, len, EXACT_HASH_SEED, &n->chars);
	tm_doc_stash(doc, n, free);
	return TM_OK;
}

int dd_exact_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	ex_stage *st = state;
	if (st->global == TM_GLOBAL_APPLY)
		return apply(ctx, st, doc);
	ex_note *n = tm_doc_stashed(doc);
	if (!n) {
		if (dd_exact_prepare(ctx, st, doc))
			return TM_ERROR;
		n = tm_doc_stashed(doc);
	}
	uint64_t order = st->order++;
	if (!n->chars) {
		tm_count(ctx, "empty-after-normalisation", 1);
		st->line++;
		return TM_OK;
	}
	const char *id;
	size_t id_len;
	if (dd_doc_id(ctx, doc, &id, &id_len))
		return TM_ERROR;
	if (st->global == TM_GLOBAL_COLLECT) {
		st->line++;
		collect(st, n->h, id, id_len);
		return TM_OK;
	}
	long long at = ex_index_find(&st->ix, n->h);
	if (at < 0)
		return ex_index_add(&st->ix, n->h, order, id, id_len) ? tm_fail(ctx, "out of memory") : TM_OK;
	tm_count(ctx, "duplicates", 1);
	const ex_entry *e = &st->ix.e[at];
	char json[4096], reason[600];
	size_t len;
	verdict(st->ix.ids + e->id_off, e->id_len, json, sizeof json, &len, reason);
	if (st->mark)
		return mark_json(ctx, st, doc, json, len);
	tm_doc_drop(doc, reason);
	return TM_OK;
}

int dd_exact_finish(tm_ctx *ctx, void *state)
{
	ex_stage *st = state;
	if (st->global == TM_GLOBAL_APPLY)
		return dd_list_end(&st->list, ctx, st->line);
	if (st->out_open) {
		st->out_open = 0;
		dd_out_end(&st->out.out);
		char *path = dd_shard_path(ctx, "shard", tm_global_shard(ctx, NULL), "exact");
		int rc = path ? dd_tmfile_commit(&st->out, ctx, path) : tm_fail(ctx, "out of memory");
		free(path);
		return rc;
	}
	if (!st->index_path || !st->index_update)
		return TM_OK;
	dd_tmfile f;
	if (dd_tmfile_open(&f, ctx, st->index_path))
		return TM_ERROR;
	ex_index_save(&st->ix, st->norm.flags, &f.out);
	return dd_tmfile_commit(&f, ctx, st->index_path);
}

void dd_exact_destroy(void *state)
{
	ex_stage *st = state;
	if (!st)
		return;
	if (st->out_open)
		dd_tmfile_abort(&st->out);
	dd_list_close(&st->list);
	dd_norm_free(&st->norm);
	ex_index_free(&st->ix);
	dd_index_unlock(&st->lock);
	free(st);
}

#define FIELD(member) TM_FIELD(dd_exact_settings, member)

const tm_option dd_exact_options[] = {
	DD_CASE_OPTION(dd_exact_settings, "fold"),
	DD_WHITESPACE_OPTION(dd_exact_settings, "collapse"),
	DD_PUNCTUATION_OPTION(dd_exact_settings, "keep"),
	DD_DIACRITICS_OPTION(dd_exact_settings, "keep"),
	{.name = "action",
	 .type = TM_OPT_ENUM,
	 .default_value = "drop",
	 .choices = "drop|mark",
	 FIELD(mark),
	 .help = "drop a duplicate (reason duplicate-of:ID), or mark it in meta and keep it"},
	{.name = "mark_field",
	 .type = TM_OPT_STRING,
	 .default_value = "dedup_exact",
	 FIELD(mark_field),
	 .help = "meta field that action: mark sets"},
	DD_INDEX_OPTIONS(dd_exact_settings),
	{0},
};
