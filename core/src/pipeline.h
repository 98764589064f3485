/* pipeline.h -- running a checked pipeline over its input. */
#ifndef TM_PIPELINE_H
#define TM_PIPELINE_H

#include "config.h"

/* Exit statuses of `textmill run`, documented in the README. */
enum {
	EXIT_DONE = 0,    /* every document written or dropped */
	EXIT_FAILED = 1,  /* the run stopped; no output was committed */
	EXIT_USAGE = 2,   /* bad command line or config */
	EXIT_REJECTS = 3, /* finished, but some documents were rejected */
	EXIT_EMPTY = 4    /* finished, but no document was read */
};

typedef struct run_options {
	int quiet;
	const char *summary_json;  /* write the summary here, or NULL */
	const char *progress_json; /* a JSON line of progress here every few seconds, or NULL */
	int open_outputs;          /* pipeline_open: the outputs too, their files removed at close (check) */
} run_options;

TM_INTERNAL int pipeline_run(pipeline_conf *pc, const run_options *ro);

/* The stages of a pipeline, created once, for check, try, test and the
 * fuzz harnesses (outputs only with open_outputs). */
typedef struct pipeline pipeline;
TM_INTERNAL pipeline *pipeline_open(pipeline_conf *pc, const run_options *ro, buf *err);

/* Called once for each document as it leaves the stages: stage is the
 * label of the stage that dropped or rejected it ("input" when the text is
 * not UTF-8 and the first stage needs it to be), NULL if all kept it. */
typedef void pipeline_done_fn(void *arg, tm_doc *doc, const char *stage);

/* The stages over docs, in order, with the runner of `textmill run`, batch
 * by batch. Rejected documents are left to done: nothing is printed or
 * written to a rejects file, and on_error: fail does not stop the rest. */
TM_INTERNAL void pipeline_docs(pipeline *p, tm_doc **docs, size_t n, pipeline_done_fn *done, void *arg);
TM_INTERNAL void pipeline_close(pipeline *p);

#endif
