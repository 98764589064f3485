/* report_stage.c -- output.report: gather counts while documents stream
 * past (entities by type and name, publication months, sources, duplicate
 * clusters) and write one HTML page with the run summary at the end. */
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

#include "stages.h"

#include "oc_doc.h"
#include "report.h"

typedef struct report_out {
	report r;
	tm_file *file;
	kit_buf label;
} report_out;

/* The cluster named id, added if new; NULL when out of memory. */
static cluster *find_cluster(report *r, const char *id)
{
	size_t len = strlen(id);
	uint64_t *index = kit_strmap_get(&r->cluster_index, id, len);
	if (index)
		return &r->clusters[*index];
	if (r->n_clusters == r->cap_clusters) {
		size_t cap = r->cap_clusters ? r->cap_clusters * 2 : 16;
		cluster *clusters = kit_realloc(r->clusters, cap * sizeof *clusters);
		if (!clusters)
			return NULL;
		r->clusters = clusters, r->cap_clusters = cap;
	}
	char *copy = kit_strndup(id, len);
	if (!copy || !(index = kit_strmap_put(&r->cluster_index, id, len, NULL))) {
		free(copy);
		return NULL;
	}
	*index = r->n_clusters;
	r->clusters[r->n_clusters] = (cluster){.id = copy};
	return &r->clusters[r->n_clusters++];
}

/* The member doc_id of c, added if new; NULL when out of memory. */
static member *find_member(cluster *c, const char *doc_id)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->members[i].doc_id, doc_id))
			return &c->members[i];
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4;
		member *members = kit_realloc(c->members, cap * sizeof *members);
		if (!members)
			return NULL;
		c->members = members, c->cap = cap;
	}
	char *copy = kit_strndup(doc_id, strlen(doc_id));
	if (!copy)
		return NULL;
	c->members[c->n] = (member){.doc_id = copy};
	return &c->members[c->n++];
}

/* The document's place in a duplicate cluster, if a dedup stage marked it.
 * The original a duplicate points at joins the cluster too. 0, or -1 when
 * out of memory. */
static int gather_cluster(report *r, const tm_doc *doc)
{
	oc_dup dup;
	int found = oc_dup_read(doc, (const char *const *)r->dedup_fields, r->n_dedup_fields, &dup);
	if (found <= 0)
		return found;
	cluster *c = find_cluster(r, dup.cluster);
	member *m = c ? find_member(c, tm_doc_id(doc)) : NULL;
	size_t at = m ? (size_t)(m - c->members) : 0; /* adding the original may move m */
	const char *title = tm_doc_meta_string(doc, "title", NULL);
	if (!m || (dup.duplicate_of && !find_member(c, dup.duplicate_of)) ||
	    (!c->title && title && *title && !(c->title = kit_strndup(title, strlen(title))))) {
		oc_dup_free(&dup);
		return -1;
	}
	m = &c->members[at];
	free(m->duplicate_of);
	m->duplicate_of = dup.duplicate_of;
	m->similarity = dup.similarity;
	m->has_similarity = dup.has_similarity;
	if (dup.duplicate_of)
		r->marked++;
	dup.duplicate_of = NULL; /* now the member's */
	oc_dup_free(&dup);
	return 0;
}

/* A tally of names for each of the first n entity types: 0, or -1 when
 * out of memory. */
static int grow_labels(report *r, size_t n)
{
	if (n <= r->n_labels)
		return 0;
	tally *labels = kit_realloc(r->labels, n * sizeof *labels);
	if (!labels)
		return -1;
	memset(&labels[r->n_labels], 0, (n - r->n_labels) * sizeof *labels);
	r->labels = labels, r->n_labels = n;
	return 0;
}

int report_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	report_out *o = state;
	report *r = &o->r;
	size_t doc_no = (size_t)r->docs++;
	char month[8];
	size_t len;
	const char *published = tm_doc_meta_string(doc, "published", NULL);
	if (published && oc_month(published, month) == 0) {
		if (!tally_hit(&r->months, month, 7, doc_no))
			return tm_fail(ctx, "%s", KIT_OOM);
	} else {
		r->undated++;
	}
	const char *source = tm_doc_meta_string(doc, "source", &len);
	if (source && len && !tally_hit(&r->sources, source, len, doc_no))
		return tm_fail(ctx, "%s", KIT_OOM);
	size_t n = tm_doc_entity_count(doc);
	for (size_t i = 0; i < n; i++) {
		const tm_entity *e = tm_doc_entity(doc, i);
		tally_item *type = tally_hit(&r->types, e->type, strlen(e->type), doc_no);
		if (!type || grow_labels(r, type->id + 1))
			return tm_fail(ctx, "%s", KIT_OOM);
		kit_buf_clear(&o->label);
		oc_entity_label(doc, e, &o->label);
		if (kit_buf_failed(&o->label) ||
		    !tally_hit(&r->labels[type->id], kit_buf_str(&o->label), o->label.len, doc_no))
			return tm_fail(ctx, "%s", KIT_OOM);
	}
	r->entities += (long long)n;
	if (gather_cluster(r, doc))
		return tm_fail(ctx, "%s", KIT_OOM);
	return TM_OK;
}

static int by_size(const void *a, const void *b)
{
	const cluster *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Everything in the order the page shows it. */
static void sort_all(report *r)
{
	tally_sort(&r->months, 1);
	tally_sort(&r->sources, 0);
	tally_sort(&r->types, 0);
	for (size_t i = 0; i < r->n_labels; i++)
		tally_sort(&r->labels[i], 0);
	if (r->n_clusters)
		qsort(r->clusters, r->n_clusters, sizeof *r->clusters, by_size);
	kit_strmap_free(&r->cluster_index);
}

int report_finish(tm_ctx *ctx, void *state)
{
	report_out *o = state;
	const char *text = tm_run_summary(ctx);
	const char *error = NULL;
	kit_json *summary = kit_json_parse(text, strlen(text), &error);
	if (!summary)
		return tm_fail(ctx, "cannot read the run summary: %s", error);
	sort_all(&o->r);
	kit_buf page = {0};
	report_html(&o->r, summary, &page);
	kit_json_free(summary);
	int rc = kit_buf_failed(&page) ? tm_fail(ctx, "%s", KIT_OOM) : tm_file_write(o->file, page.p, page.len);
	kit_buf_free(&page);
	if (rc == TM_OK)
		rc = tm_file_commit(o->file);
	else
		tm_file_abort(o->file);
	o->file = NULL;
	return rc;
}

void report_destroy(void *state)
{
	report_out *o = state;
	if (!o)
		return;
	report *r = &o->r;
	free(r->title);
	oc_strings_free(r->dedup_fields, r->n_dedup_fields);
	tally_free(&r->months);
	tally_free(&r->sources);
	for (size_t i = 0; i < r->n_labels; i++)
		tally_free(&r->labels[i]);
	free(r->labels);
	tally_free(&r->types);
	for (size_t i = 0; i < r->n_clusters; i++) {
		cluster *c = &r->clusters[i];
		for (size_t k = 0; k < c->n; k++) {
			free(c->members[k].doc_id);
			free(c->members[k].duplicate_of);
		}
		free(c->members);
		free(c->id);
		free(c->title);
	}
	free(r->clusters);
	kit_strmap_free(&r->cluster_index);
	kit_buf_free(&o->label);
	tm_file_abort(o->file); /* still open only if the run failed */
	free(o);
}

int report_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	report_out *o = kit_calloc(1, sizeof *o);
	if (!(*state = o))
		return tm_fail(ctx, "%s", KIT_OOM);
	report *r = &o->r;
	const report_settings *set = tm_opt_settings(opts);
	r->top = set->top;
	r->max_clusters = set->clusters;
	if (!(r->title = kit_strndup(set->title, strlen(set->title))) ||
	    !(r->dedup_fields = oc_strings_dup(set->dedup_fields.item, set->dedup_fields.n)))
		return tm_fail(ctx, "%s", KIT_OOM);
	r->n_dedup_fields = set->dedup_fields.n;
	/* Opened now, so that a path that cannot be written stops the run
	 * before the documents are read; written at the end. */
	o->file = tm_file_open(ctx, set->path);
	return o->file ? TM_OK : TM_ERROR;
}

#define FIELD(member) TM_FIELD(report_settings, member)

const tm_option report_options[] = {
	{.name = "path",
	 .type = TM_OPT_PATH,
	 .required = 1,
	 FIELD(path),
	 .help = "HTML file to write ('-' for stdout)"},
	{.name = "title",
	 .type = TM_OPT_STRING,
	 .default_value = "textmill run report",
	 FIELD(title),
	 .help = "heading of the page"},
	{.name = "top",
	 .type = TM_OPT_INT,
	 .default_value = "10",
	 .min = 1,
	 .max = 1000,
	 FIELD(top),
	 .help = "entities shown per type, and sources shown"},
	{.name = "clusters",
	 .type = TM_OPT_INT,
	 .default_value = "10",
	 .min = 0,
	 .max = 10000,
	 FIELD(clusters),
	 .help = "largest duplicate clusters shown"},
	{.name = "dedup_fields",
	 .type = TM_OPT_LIST,
	 .default_value = OC_DEDUP_FIELDS,
	 FIELD(dedup_fields),
	 .help = "meta fields where a dedup stage with action: mark records clusters"},
	{0},
};
