/* run.h -- the state of one run, shared by the runner (pipeline.c) and
 * its reports (summary.c). */
#ifndef TM_RUN_H
#define TM_RUN_H

#include <stdatomic.h>
#include <stdio.h>

#include "config.h"
#include "pipeline.h"
#include "pool.h"
#include "reader.h"

typedef struct reason_count {
	char *reason;
	int rejected;
	long long n;
} reason_count;

typedef struct stage_run {
	const char *name, *label;
	const tm_stage_type *type; /* NULL for the input */
	const tm_options *opts;
	unsigned n_inst;
	tm_ctx *ctx;
	void **state;
	unsigned n_created;
	tm_ctx *prep_ctx; /* one per worker, for prepare() */
	unsigned n_prep;
	long long in, kept, dropped, rejected;
	reason_count *reasons;
	size_t n_reasons;
	double seconds;
} stage_run;

typedef struct run {
	pipeline_conf *pc;
	const run_options *ro;
	stage_run *st;
	size_t n_st, first_output;
	batch *b;      /* the batch going through the stages */
	tm_doc **docs; /* its documents, raw records and count */
	buf *raws;
	size_t n;
	unsigned long long batches; /* taken so far: documents' order for counters */
	unsigned char *alive;
	stage_run *current;
	_Atomic size_t next; /* the current stage's next document to hand out */
	pool *pool;
	tm_ctx host_ctx; /* for the rejects file */
	tm_file *rejects;
	long long read, written, dropped, rejected;
	unsigned long long bytes;
	buf failure;                    /* why the run stopped */
	struct publish *publish;        /* the files it puts in place at the end */
	buf placed;                     /* what is in place when publishing failed half-way */
	unsigned long long config_hash; /* of the resolved config, to tell runs apart */
	unsigned long long total_bytes; /* of the input, when known */
	double started, progress_at;
	int progress;        /* show the live line */
	FILE *progress_json; /* --progress-json, or NULL */
	double progress_json_at;
	buf summary;            /* what tm_run_summary last returned */
	pipeline_done_fn *done; /* pipeline_docs: told of each finished document */
	void *done_arg;
} run;

/* Per-stage counters summed over the stage's instances (and the ctx of
 * its prepare()), by name, in the order one worker would first count
 * them, whichever worker did. Free the names with counters_free. */
TM_INTERNAL counter *merged_counters(const stage_run *s, size_t *n);
TM_INTERNAL void counters_free(counter *c, size_t n);
TM_INTERNAL void print_summary(const run *r, double seconds);
/* The summary as one JSON object; status is "running", "done",
 * "rejects" or "failed". */
TM_INTERNAL void summary_json(const run *r, const char *status, double seconds, buf *out);
/* The summary so far, as JSON, kept in r->summary (for tm_run_summary). */
TM_INTERNAL const char *run_summary_now(struct run *r);
/* The live progress line on stderr (only on a terminal); final clears it.
 * Also a line of --progress-json, every PROGRESS_JSON_EVERY seconds. */
TM_INTERNAL void progress_update(run *r, int final);
#define PROGRESS_JSON_EVERY 2.0
/* The last line of --progress-json, with the run's exit status and the
 * documents written (once the writer thread has stopped); closes it. */
TM_INTERNAL void progress_json_end(run *r, int status);
/* An exit status as the summaries name it: done, failed, usage, rejects, empty. */
TM_INTERNAL const char *status_name(int status);

#endif
