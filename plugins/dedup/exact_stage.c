/* exact_stage.c -- dedup.exact: documents whose normalised text hashes
 * to a value seen before. prepare() hashes on the workers; process()
 * looks up and inserts in input order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

#include "exindex.h"
#include "index_lock.h"
#include "norm.h"
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
	int lock;           /* the index's lock, or -1 */
	uint64_t order;
} ex_stage;

typedef struct ex_note {
	dd_digest h;
	size_t chars;
} ex_note;

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
	ex_note *n = tm_doc_stashed(doc);
	if (!n) {
		if (dd_exact_prepare(ctx, st, doc))
			return TM_ERROR;
		n = tm_doc_stashed(doc);
	}
	uint64_t order = st->order++;
	if (!n->chars) {
		tm_count(ctx, "empty-after-normalisation", 1);
		return TM_OK;
	}
	const char *id;
	size_t id_len;
	if (dd_doc_id(ctx, doc, &id, &id_len))
		return TM_ERROR;
	long long at = ex_index_find(&st->ix, n->h);
	if (at < 0)
		return ex_index_add(&st->ix, n->h, order, id, id_len) ? tm_fail(ctx, "out of memory") : TM_OK;
	tm_count(ctx, "duplicates", 1);
	const ex_entry *e = &st->ix.e[at];
	const char *of = st->ix.ids + e->id_off;
	if (st->mark) {
		char json[4096];
		size_t len = (size_t)snprintf(json, sizeof json, "{\"duplicate_of\":");
		if (dd_json_string(json, sizeof json - 1, &len, of, e->id_len))
			return tm_fail(ctx, "document id too long to mark");
		json[len++] = '}';
		return tm_doc_set_meta_json(doc, st->field, json, len);
	}
	char reason[600];
	snprintf(reason, sizeof reason, "duplicate-of:%.*s", (int)(e->id_len > 500 ? 500 : e->id_len), of);
	tm_doc_drop(doc, reason);
	return TM_OK;
}

int dd_exact_finish(tm_ctx *ctx, void *state)
{
	ex_stage *st = state;
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
	{.name = "action", .type = TM_OPT_ENUM, .default_value = "drop", .choices = "drop|mark", FIELD(mark),
	 .help = "drop a duplicate (reason duplicate-of:ID), or mark it in meta and keep it"},
	{.name = "mark_field", .type = TM_OPT_STRING, .default_value = "dedup_exact", FIELD(mark_field),
	 .help = "meta field that action: mark sets"},
	{.name = "index", .type = TM_OPT_PATH, FIELD(index),
	 .help = "index file: loaded at the start if it exists, saved at the end"},
	{.name = "index_update", .type = TM_OPT_BOOL, .default_value = "true", FIELD(index_update),
	 .help = "save the index at the end (false: read it only)"},
	{0},
};
