/* report.h -- what output.report gathers while documents stream past, and
 * the functions that turn it into one self-contained HTML page. */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>

#include <textmill/textmill.h>

#include "oc_buf.h"
#include "oc_json.h"

/* Counts by name: how often, and in how many documents. */
typedef struct tally_item {
	char *key;
	size_t len;
	long long count, docs;
	size_t last_doc; /* 1 + the number of the last document counted */
	size_t id;       /* the order it was first seen in: 0, 1, ... */
} tally_item;

typedef struct tally {
	kit_strmap index;
	tally_item *items;
	size_t n, cap;
} tally;

/* Count key once more, seen in document doc_no: its item, or NULL when
 * out of memory (the tally is as it was). */
tally_item *tally_hit(tally *t, const char *key, size_t len, size_t doc_no);
/* Sort the items by docs, then count, then key (by_key: by key only). A
 * sorted tally takes no more hits. */
void tally_sort(tally *t, int by_key);
void tally_free(tally *t);

typedef struct member {
	char *doc_id;
	char *duplicate_of; /* NULL for the document the cluster keeps */
	double similarity;
	int has_similarity;
} member;

typedef struct cluster {
	char *id;
	char *title; /* the first title seen among its members */
	member *members;
	size_t n, cap;
} cluster;

typedef struct report {
	/* options */
	char *title;
	long long top, max_clusters;
	char timeline_from[16]; /* "YYYY-01": the timeline's first plausible month */
	char **dedup_fields;
	size_t n_dedup_fields;
	/* gathered */
	long long docs, undated, entities;
	tally months, sources, types;
	tally *labels; /* per entity type, by the type's id in `types` */
	size_t n_labels;
	kit_strmap cluster_index;
	cluster *clusters;
	size_t n_clusters, cap_clusters;
	long long marked; /* documents that are a duplicate of another */
	kit_buf label;    /* scratch: an entity's label */
} report;

/* Count what doc holds: 0, or -1 when out of memory (what was gathered
 * before stays consistent). */
int report_add(report *r, const tm_doc *doc);
/* Free what r holds (options and counts). */
void report_free(report *r);

/* The summary of n runs (as tm_run_summary gives them; names, their files,
 * for messages) added up into one, as JSON in out: 0, or -1 with a message
 * in err when they are not runs of one pipeline. Lists of reasons and
 * counters come largest first. */
int report_summary(const kit_json *const *runs, const char *const *names, size_t n, kit_buf *out, kit_buf *err);

/* The page for the run summary `summary` (as tm_run_summary gives it). */
void report_html(const report *r, const kit_json *summary, kit_buf *out);

/* ---- Charts, as inline SVG ------------------------------------------- */

typedef struct bar {
	const char *label;
	size_t label_len;
	long long value;
	const char *data; /* extra data- attributes for the bar's group, or NULL */
} bar;

/* Horizontal bars, one per row, in the order given, `width` pixels wide. */
void svg_bars(kit_buf *out, const char *title, const bar *bars, size_t n, const char *css_class, int width);
/* One column per month from first to last, "YYYY-MM" keys. */
void svg_timeline(kit_buf *out, const tally *months);
/* Per stage of the summary: in, split into kept, dropped, rejected. */
void svg_stages(kit_buf *out, const kit_json *stages);

#endif
