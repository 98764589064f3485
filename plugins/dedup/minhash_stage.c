/* minhash_stage.c -- dedup.minhash: near-duplicate documents.
 *
 * prepare() (on the workers) computes each document's signature and band
 * keys; process() (in input order) decides against the index and updates
 * it, so the result does not depend on the number of workers. In a sharded
 * run, each shard writes its signatures, the merge decides over all of
 * them (decide.c, in bounded memory), and each shard applies its lists. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

#include "decide.h"
#include "index_lock.h"
#include "mhindex.h"
#include "shard.h"
#include "sigfile.h"
#include "stage_util.h"
#include "textmill/kit.h"
#include "stages.h"

typedef struct mh_stage {
	mh_hasher hasher;
	mh_index ix;
	mh_policy pol;
	int mark;
	const char *field;     /* meta key for action: mark */
	const char *published; /* meta key of the publication date */
	const char *index_path;
	int index_update;
	int lock; /* the index's lock, or -1 */
	const char *sig_path;
	dd_tmfile sigs;
	int sigs_open;
	uint64_t order;      /* the next document's order key */
	int global;          /* TM_GLOBAL_*: its phase in a sharded run */
	char *own_sig_path;  /* collect: the shard's signature file */
	uint64_t line;       /* apply: documents so far */
	dd_list drop, marks; /* apply: the shard's lists */
} mh_stage;

typedef struct mh_note {
	uint32_t shingles;
	uint32_t length;
	int64_t published;
	uint32_t data[]; /* perms signature values, then the band keys */
} mh_note;

static int configure(tm_ctx *ctx, const tm_options *opts, mh_stage *st, mh_params *p)
{
	const dd_minhash_settings *set = tm_opt_settings(opts);
	long long perms = set->perms, bands = set->bands, rows = set->rows;
	double t = set->threshold;
	if (t == 0) /* the table's bounds are [0, 1] */
		return tm_fail(ctx, "%s: threshold must be above 0 and at most 1", tm_opt_where(opts, "threshold"));
	if (bands && rows && bands * rows > perms)
		return tm_fail(ctx, "%s: bands * rows (%lld * %lld) must not exceed perms (%lld)",
			       tm_opt_where(opts, "rows"), bands, rows, perms);
	uint32_t b, r;
	if (bands && rows) {
		b = (uint32_t)bands, r = (uint32_t)rows;
	} else if (bands) {
		b = (uint32_t)bands, r = (uint32_t)(perms / bands);
	} else if (rows) {
		r = (uint32_t)rows, b = (uint32_t)(perms / rows);
	} else {
		mh_choose_bands((uint32_t)perms, t, &b, &r);
	}
	if (!b || !r)
		return tm_fail(ctx, "%s: bands or rows larger than perms",
			       tm_opt_where(opts, bands ? "bands" : "rows"));
	memset(p, 0, sizeof *p);
	p->perms = (uint32_t)perms;
	p->shingle_size = (uint32_t)set->shingle_size;
	p->chars = set->chars;
	p->norm_flags = dd_norm_flags(&set->norm) & (DD_CASE_FOLD | DD_DIACRITICS_FOLD | DD_PUNCT_REMOVE);
	p->seed = MH_DEFAULT_SEED;
	st->pol.threshold = t;
	st->pol.verify = set->verify;
	st->pol.keep = (mh_keep)set->keep;
	st->pol.second_pass = set->second_pass;
	st->mark = set->mark;
	st->field = set->mark_field;
	st->published = set->published_field;
	st->index_path = set->index;
	st->index_update = set->index_update && !st->pol.second_pass;
	st->sig_path = set->signatures;
	if (st->pol.second_pass && !st->index_path)
		return tm_fail(ctx, "%s: second_pass needs an index (made by a first run over the same corpus)",
			       tm_opt_where(opts, "second_pass"));
	if (mh_hasher_init(&st->hasher, p) || mh_index_init(&st->ix, p->perms, b, r))
		return tm_fail(ctx, "out of memory");
	return TM_OK;
}

static int load_index(tm_ctx *ctx, mh_stage *st, const mh_params *p)
{
	dd_in in;
	int rc = dd_in_open(&in, st->index_path, DD_KIND_MINHASH);
	if (rc > 0) {
		if (!st->index_update)
			return tm_fail(ctx,
				       "index %s does not exist (second_pass and index_update: false read an "
				       "existing index)",
				       st->index_path);
		tm_log(ctx, "index %s does not exist yet; starting a new one", st->index_path);
		return TM_OK;
	}
	if (rc == 0)
		rc = mh_index_load(&st->ix, p, &in);
	dd_in_close(&in);
	if (rc)
		return tm_fail(ctx, "index: %s", in.err);
	tm_log(ctx, "index %s: %zu documents", st->index_path, st->ix.n);
	return TM_OK;
}

int dd_minhash_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	mh_stage *st = calloc(1, sizeof *st);
	if (!st)
		return tm_fail(ctx, "out of memory");
	*state = st;
	st->lock = -1;
	mh_params p;
	if (configure(ctx, opts, st, &p))
		return TM_ERROR;
	if (st->index_path && st->index_update && dd_index_lock(ctx, st->index_path, &st->lock))
		return TM_ERROR;
	if (st->index_path && load_index(ctx, st, &p))
		return TM_ERROR;
	const dd_minhash_settings *set = tm_opt_settings(opts);
	/* Unset is not 0 here: the order then goes on from the index's. */
	st->order = tm_opt_isset(opts, "order_offset") ? (uint64_t)set->order_offset : st->ix.next_order;
	st->global = tm_global_mode(ctx);
	if (dd_shard_refuse(ctx, opts, "index", "the shards cannot share one index") ||
	    dd_shard_refuse(ctx, opts, "signatures", "the sharded run writes each shard's signatures itself"))
		return TM_ERROR;
	if (st->global == TM_GLOBAL_COLLECT) { /* shard k's order keys come after shard k-1's */
		unsigned shard = tm_global_shard(ctx, NULL);
		st->order = (uint64_t)shard << DD_SHARD_BITS;
		st->sig_path = st->own_sig_path = dd_shard_path(ctx, "shard", shard, "sig");
		if (!st->sig_path)
			return tm_fail(ctx, "out of memory");
	}
	if (st->global == TM_GLOBAL_APPLY &&
	    (dd_list_open(&st->drop, ctx, "drop") || dd_list_open(&st->marks, ctx, "marks")))
		return TM_ERROR;
	if (st->sig_path) {
		if (dd_tmfile_open(&st->sigs, ctx, st->sig_path))
			return TM_ERROR;
		st->sigs_open = 1;
		mh_sig_begin(&st->sigs.out, &p);
	}
	return TM_OK;
}

static mh_note *make_note(const mh_stage *st, const tm_doc *doc)
{
	const mh_index *ix = &st->ix;
	mh_note *n = malloc(sizeof *n + (ix->perms + ix->bands) * sizeof(uint32_t));
	if (!n)
		return NULL;
	size_t len, plen;
	const char *text = tm_doc_text(doc, &len);
	n->shingles = (uint32_t)mh_signature(&st->hasher, text, len, n->data);
	n->length = (uint32_t)kit_utf8_count(text, len);
	const char *pub = tm_doc_meta_string(doc, st->published, &plen);
	n->published = pub ? mh_parse_date(pub, plen) : MH_NO_DATE;
	mh_band_keys(n->data, ix->bands, ix->rows, n->data + ix->perms);
	return n;
}

int dd_minhash_prepare(tm_ctx *ctx, const void *state, tm_doc *doc)
{
	if (((const mh_stage *)state)->global == TM_GLOBAL_APPLY)
		return TM_OK; /* the merge has decided: no signature needed */
	mh_note *n = make_note(state, doc);
	if (!n)
		return tm_fail(ctx, "out of memory");
	tm_doc_stash(doc, n, free);
	return TM_OK;
}

/* meta.<field> for action: mark */
static int mark(tm_ctx *ctx, mh_stage *st, tm_doc *doc, const mh_verdict *v)
{
	char json[4096];
	size_t len = 0, n;
	const char *id;
	int ok = 1;
	json[len++] = '{';
	json[len] = 0;
	if (v->duplicate) {
		id = mh_entry_id(&st->ix, v->of, &n);
		len += (size_t)snprintf(json + len, sizeof json - len, "\"duplicate_of\":");
		ok &= !dd_json_string(json, sizeof json, &len, id, n);
	} else {
		id = mh_entry_id(&st->ix, v->replaced, &n);
		len += (size_t)snprintf(json + len, sizeof json - len, "\"supersedes\":");
		ok &= !dd_json_string(json, sizeof json, &len, id, n);
	}
	id = mh_entry_id(&st->ix, v->cluster, &n);
	len += (size_t)snprintf(json + len, sizeof json - len, ",\"cluster\":");
	ok &= !dd_json_string(json, sizeof json, &len, id, n);
	if (v->match != MH_NONE) {
		unsigned milli = (unsigned)(v->similarity * 1000 + 0.5);
		len += (size_t)snprintf(json + len, sizeof json - len, ",\"similarity\":%u.%03u}", milli / 1000,
					milli % 1000);
	}
	if (!ok || len >= sizeof json)
		return tm_fail(ctx, "document id too long to mark");
	return tm_doc_set_meta_json(doc, st->field, json, len);
}

/* Phase 3: the merge's decision on this document, as one run made it. */
static int apply(tm_ctx *ctx, mh_stage *st, tm_doc *doc)
{
	uint64_t line = ++st->line;
	int hit = dd_list_at(&st->drop, ctx, line, doc);
	if (hit < 0)
		return TM_ERROR;
	if (hit) {
		tm_count(ctx, "duplicates", 1);
		if (st->mark)
			return tm_doc_set_meta_json(doc, st->field, st->drop.field[2], st->drop.len[2]);
		tm_doc_drop(doc, st->drop.field[1]);
		return TM_OK;
	}
	hit = dd_list_at(&st->marks, ctx, line, doc);
	if (hit <= 0)
		return hit;
	tm_count(ctx, "superseded", 1);
	return st->mark ? tm_doc_set_meta_json(doc, st->field, st->marks.field[2], st->marks.len[2]) : TM_OK;
}

int dd_minhash_merge(tm_ctx *ctx, const tm_options *opts)
{
	mh_stage st = {.lock = -1};
	mh_params p;
	unsigned shards;
	tm_global_shard(ctx, &shards);
	const char *dir = tm_global_dir(ctx), *tmp = getenv("TMPDIR");
	char **paths = calloc(shards, sizeof *paths), *all = NULL, *stats = NULL;
	int rc = paths && asprintf(&all, "%s/drop.tsv", dir) >= 0 && asprintf(&stats, "%s/decide.json", dir) >= 0
			 ? TM_OK
			 : tm_fail(ctx, "out of memory");
	for (unsigned s = 0; s < shards && !rc; s++)
		if (!(paths[s] = dd_shard_path(ctx, "shard", s, "sig")))
			rc = tm_fail(ctx, "out of memory");
	if (!rc)
		rc = configure(ctx, opts, &st, &p);
	if (!rc) {
		size_t memory = tm_global_memory(ctx);
		dd_decide_opts o = {.threshold = st.pol.threshold,
				    .bands = st.ix.bands,
				    .rows = st.ix.rows,
				    .verify = st.pol.verify,
				    .keep = st.pol.keep,
				    .out_path = all,
				    .split_dir = dir,
				    .stats_path = stats,
				    .tmp_root = tmp && *tmp ? tmp : dir,
				    .memory = memory ? memory : (size_t)256 << 20,
				    .offset_step = (uint64_t)1 << DD_SHARD_BITS};
		dd_decide_counts c;
		char err[1024];
		if (dd_decide(&o, paths, shards, &c, err, sizeof err)) {
			rc = tm_fail(ctx, "%s", err);
		} else {
			tm_count(ctx, "documents", (long long)c.documents);
			tm_count(ctx, "duplicates", (long long)c.duplicates);
			tm_count(ctx, "superseded", (long long)c.superseded);
		}
	}
	for (unsigned s = 0; paths && s < shards; s++)
		free(paths[s]);
	free(paths);
	free(all);
	free(stats);
	mh_hasher_free(&st.hasher);
	mh_index_free(&st.ix);
	return rc;
}

int dd_minhash_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	mh_stage *st = state;
	if (st->global == TM_GLOBAL_APPLY)
		return apply(ctx, st, doc);
	mh_note *n = tm_doc_stashed(doc);
	if (!n) { /* a host that does not call prepare() */
		if (dd_minhash_prepare(ctx, st, doc))
			return TM_ERROR;
		n = tm_doc_stashed(doc);
	}
	uint64_t order = st->order++;
	if (!n->shingles) {
		tm_count(ctx, "no-words", 1);
		return TM_OK;
	}
	size_t id_len;
	const char *id;
	if (dd_doc_id(ctx, doc, &id, &id_len)) {
		if (st->global == TM_GLOBAL_COLLECT)
			st->order--; /* a rejected document has no line in the shard's stage-1 file */
		return TM_ERROR;
	}
	mh_doc d = {id, id_len, order, n->published, n->length, n->data, n->data + st->ix.perms};
	if (st->sigs_open)
		mh_sig_put(&st->sigs.out, st->ix.perms, &d);
	if (st->global == TM_GLOBAL_COLLECT)
		return TM_OK; /* the merge decides */
	mh_verdict v;
	if (mh_decide(&st->ix, &st->pol, &d, &v))
		return tm_fail(ctx, "out of memory");
	tm_count(ctx, "lsh-candidates", (long long)st->ix.n_cand);
	if (v.replaced != MH_NONE) {
		tm_count(ctx, "superseded", 1);
		return st->mark ? mark(ctx, st, doc, &v) : TM_OK;
	}
	if (!v.duplicate)
		return TM_OK;
	tm_count(ctx, "duplicates", 1);
	if (st->mark)
		return mark(ctx, st, doc, &v);
	size_t of_len;
	const char *of = mh_entry_id(&st->ix, v.of, &of_len);
	char reason[600];
	snprintf(reason, sizeof reason, "duplicate-of:%.*s", (int)(of_len > 500 ? 500 : of_len), of);
	tm_doc_drop(doc, reason);
	return TM_OK;
}

int dd_minhash_finish(tm_ctx *ctx, void *state)
{
	mh_stage *st = state;
	if (st->global == TM_GLOBAL_APPLY)
		return dd_list_end(&st->drop, ctx, st->line) || dd_list_end(&st->marks, ctx, st->line) ? TM_ERROR
												       : TM_OK;
	if (st->sigs_open) {
		st->sigs_open = 0;
		mh_sig_end(&st->sigs.out);
		if (dd_tmfile_commit(&st->sigs, ctx, st->sig_path))
			return TM_ERROR;
	}
	if (!st->index_path || !st->index_update)
		return TM_OK;
	dd_tmfile f;
	if (dd_tmfile_open(&f, ctx, st->index_path))
		return TM_ERROR;
	mh_params p = st->hasher.p;
	mh_index_save(&st->ix, &p, &f.out);
	return dd_tmfile_commit(&f, ctx, st->index_path);
}

void dd_minhash_destroy(void *state)
{
	mh_stage *st = state;
	if (!st)
		return;
	if (st->sigs_open)
		dd_tmfile_abort(&st->sigs);
	mh_hasher_free(&st->hasher);
	mh_index_free(&st->ix);
	dd_index_unlock(&st->lock);
	dd_list_close(&st->drop);
	dd_list_close(&st->marks);
	free(st->own_sig_path);
	free(st);
}

#define FIELD(member) TM_FIELD(dd_minhash_settings, member)

const tm_option dd_minhash_options[] = {
	{.name = "threshold",
	 .type = TM_OPT_FLOAT,
	 .default_value = "0.8",
	 .min = 0,
	 .max = 1,
	 FIELD(threshold),
	 .help = "Jaccard similarity of shingle sets from which a document is a near-duplicate"},
	{.name = "shingle",
	 .type = TM_OPT_ENUM,
	 .default_value = "word",
	 .choices = "word|char",
	 FIELD(chars),
	 .help = "shingle unit: words or characters"},
	{.name = "shingle_size",
	 .type = TM_OPT_INT,
	 .default_value = "5",
	 .min = 1,
	 .max = 64,
	 FIELD(shingle_size),
	 .help = "units per shingle (word 5-grams by default)"},
	{.name = "perms",
	 .type = TM_OPT_INT,
	 .default_value = "128",
	 .min = 8,
	 .max = MH_MAX_PERMS,
	 FIELD(perms),
	 .help = "MinHash permutations (signature length)"},
	{.name = "bands",
	 .type = TM_OPT_INT,
	 .default_value = "0",
	 .min = 0,
	 .max = MH_MAX_PERMS,
	 FIELD(bands),
	 .help = "LSH bands (0: chosen from threshold and perms)"},
	{.name = "rows",
	 .type = TM_OPT_INT,
	 .default_value = "0",
	 .min = 0,
	 .max = MH_MAX_PERMS,
	 FIELD(rows),
	 .help = "signature values per band (0: chosen from threshold and perms)"},
	{.name = "verify",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(verify),
	 .help = "check each LSH candidate's estimated similarity against the threshold"},
	{.name = "keep",
	 .type = TM_OPT_ENUM,
	 .default_value = "first",
	 .choices = "first|longest|newest",
	 FIELD(keep),
	 .help = "which document of a cluster is kept (see docs/dedup.md)"},
	{.name = "action",
	 .type = TM_OPT_ENUM,
	 .default_value = "drop",
	 .choices = "drop|mark",
	 FIELD(mark),
	 .help = "drop a duplicate (reason duplicate-of:ID), or mark it in meta and keep it"},
	{.name = "mark_field",
	 .type = TM_OPT_STRING,
	 .default_value = "dedup",
	 FIELD(mark_field),
	 .help = "meta field that action: mark sets"},
	{.name = "published_field",
	 .type = TM_OPT_STRING,
	 .default_value = "published",
	 FIELD(published_field),
	 .help = "meta field with the publication date (keep: newest)"},
	DD_CASE_OPTION(dd_minhash_settings, "fold"),
	DD_DIACRITICS_OPTION(dd_minhash_settings, "keep"),
	DD_PUNCTUATION_OPTION(dd_minhash_settings, "remove"),
	DD_INDEX_OPTIONS(dd_minhash_settings),
	{.name = "second_pass",
	 .type = TM_OPT_BOOL,
	 .default_value = "false",
	 FIELD(second_pass),
	 .help = "the index holds this corpus from a first run: keep each cluster's best"},
	{.name = "signatures",
	 .type = TM_OPT_PATH,
	 FIELD(signatures),
	 .help = "write every document's signature record here, for merging shards"},
	{.name = "order_offset",
	 .type = TM_OPT_INT,
	 .min = 0,
	 .max = TM_NO_MAX,
	 FIELD(order_offset),
	 .help = "order key of the first document (default: after the index's last)"},
	{0},
};
