/* report_stage.c -- output.report: gather counts while documents stream
 * past (entities by type and name, publication months, sources, duplicate
 * clusters) and write one HTML page with the run summary at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

#include "stages.h"

#include "oc_doc.h"
#include "report.h"

typedef struct report_out {
	report r;
	tm_file *file;
} report_out;

int report_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	report_out *o = state;
	return report_add(&o->r, doc) ? tm_fail(ctx, "%s", KIT_OOM) : TM_OK;
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
	report_free(&o->r);
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
	snprintf(r->timeline_from, sizeof r->timeline_from, "%04lld-01", set->timeline_from);
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
	{.name = "timeline_from",
	 .type = TM_OPT_INT,
	 .default_value = "1995",
	 .min = 1000,
	 .max = 9999,
	 FIELD(timeline_from),
	 .help = "first year the timeline shows; earlier publication dates are left out as implausible"},
	{.name = "dedup_fields",
	 .type = TM_OPT_LIST,
	 .default_value = OC_DEDUP_FIELDS,
	 FIELD(dedup_fields),
	 .help = "meta fields where a dedup stage with action: mark records clusters"},
	{0},
};
