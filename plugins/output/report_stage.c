/* report_stage.c -- output.report: gather counts while documents stream
 * past (entities by type and name, publication months, sources, duplicate
 * clusters) and write one HTML page with the run summary at the end. */
#include <errno.h>
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
	kit_json **runs; /* summaries: the runs whose counts the page shows */
	char **run_paths;
	size_t n_runs;
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

/* The summary the page shows: the runs' of `summaries` added up, or this
 * run's; NULL after tm_fail. */
static kit_json *page_summary(tm_ctx *ctx, report_out *o)
{
	const char *own = tm_run_summary(ctx), *error = NULL, *this_run = "this run";
	kit_json *mine = o->n_runs ? NULL : kit_json_parse(own, strlen(own), &error);
	if (!o->n_runs && !mine) {
		tm_fail(ctx, "cannot read the run summary: %s", error);
		return NULL;
	}
	kit_buf text = {0}, err = {0};
	int bad = o->n_runs ? report_summary((const kit_json *const *)o->runs, (const char *const *)o->run_paths,
					     o->n_runs, &text, &err)
			    : report_summary((const kit_json *const *)&mine, &this_run, 1, &text, &err);
	kit_json *summary = NULL;
	if (bad)
		tm_fail(ctx, "%s", kit_buf_failed(&err) ? KIT_OOM : kit_buf_str(&err));
	else if (kit_buf_failed(&text) || !(summary = kit_json_parse(text.p, text.len, &error)))
		tm_fail(ctx, "%s", KIT_OOM); /* it wrote the JSON itself: only memory can fail */
	kit_json_free(mine);
	kit_buf_free(&text);
	kit_buf_free(&err);
	return summary;
}

int report_finish(tm_ctx *ctx, void *state)
{
	report_out *o = state;
	kit_json *summary = page_summary(ctx, o);
	if (!summary)
		return TM_ERROR;
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
	for (size_t i = 0; i < o->n_runs; i++)
		kit_json_free(o->runs[i]);
	free(o->runs);
	oc_strings_free(o->run_paths, o->n_runs);
	tm_file_abort(o->file); /* still open only if the run failed */
	free(o);
}

/* Read the runs' summaries now, so that a missing one stops the run
 * before the documents are read; 0, or TM_ERROR after tm_fail. */
static int load_runs(tm_ctx *ctx, report_out *o, const tm_strings *paths)
{
	if (!paths->n)
		return 0;
	if (!(o->runs = kit_calloc(paths->n, sizeof *o->runs)) ||
	    !(o->run_paths = oc_strings_dup(paths->item, paths->n)))
		return tm_fail(ctx, "%s", KIT_OOM);
	for (size_t i = 0; i < paths->n; i++, o->n_runs++) {
		kit_buf text = {0};
		const char *error = NULL;
		if (kit_read_file(paths->item[i], &text)) {
			kit_buf_free(&text);
			return tm_fail(ctx, "cannot read the run summary %s: %s", paths->item[i], strerror(errno));
		}
		o->runs[i] = kit_json_parse(text.p, text.len, &error);
		kit_buf_free(&text);
		if (!o->runs[i] || o->runs[i]->kind != KIT_JSON_OBJECT || !kit_json_get(o->runs[i], "stages"))
			return tm_fail(ctx, "%s is not a run summary (as run --summary-json writes): %s",
				       paths->item[i], error ? error : "no stages");
	}
	/* Added up once now, so that runs of another pipeline stop this run
	 * before its documents are read. */
	kit_buf sum = {0}, err = {0};
	int bad = report_summary((const kit_json *const *)o->runs, (const char *const *)o->run_paths, o->n_runs, &sum,
				 &err);
	int rc = bad || kit_buf_failed(&sum)
			 ? tm_fail(ctx, "%s", kit_buf_failed(&err) || !bad ? KIT_OOM : kit_buf_str(&err))
			 : TM_OK;
	kit_buf_free(&sum);
	kit_buf_free(&err);
	return rc;
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
	if (load_runs(ctx, o, &set->summaries))
		return TM_ERROR;
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
	{.name = "summaries",
	 .type = TM_OPT_LIST,
	 FIELD(summaries),
	 .help = "--summary-json files of the runs whose outputs this run reads: the page adds up their counts "
		 "instead of showing this run's (textmill report sets it)"},
	{.name = "dedup_fields",
	 .type = TM_OPT_LIST,
	 .default_value = OC_DEDUP_FIELDS,
	 FIELD(dedup_fields),
	 .help = "meta fields where a dedup stage with action: mark records clusters"},
	{0},
};
