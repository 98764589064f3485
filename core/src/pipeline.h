/* pipeline.h -- running a checked pipeline over its input. */
#ifndef TM_PIPELINE_H
#define TM_PIPELINE_H

#include "config.h"

/* Exit statuses of `textmill run`, documented in the README. */
enum {
	EXIT_DONE = 0,      /* every document written or dropped */
	EXIT_FAILED = 1,    /* the run stopped; no output was committed */
	EXIT_USAGE = 2,     /* bad command line or config */
	EXIT_REJECTS = 3    /* finished, but some documents were rejected */
};

typedef struct run_options {
	int quiet;
	const char *summary_json;  /* write the summary here, or NULL */
} run_options;

TM_INTERNAL int pipeline_run(pipeline_conf *pc, const run_options *ro);

/* The stages of a pipeline, created once, applied to documents one at a
 * time (for check, try and test; outputs are not opened). */
typedef struct pipeline pipeline;
TM_INTERNAL pipeline *pipeline_open(pipeline_conf *pc, const run_options *ro, buf *err);
/* Run the stages on doc until one drops or rejects it; -1 then, with the
 * label of that stage in *stage. */
TM_INTERNAL int pipeline_apply(pipeline *p, tm_doc *doc, const char **stage);
TM_INTERNAL void pipeline_close(pipeline *p);

#endif
