/* stages.h -- the stage types of the clean plugin, for plugin.c. */
#ifndef CLEAN_STAGES_H
#define CLEAN_STAGES_H

#include <textmill/textmill.h>

#include "boilerplate.h"
#include "clean.h"

/* What the options of each stage fill (its tm_option table). */
typedef struct cl_normalize_settings {
	cl_norm_opts o;
	int tone_marks; /* old|new|keep: the order users read, not cl_tone_style's */
} cl_normalize_settings;

typedef struct cl_boilerplate_settings {
	cl_bp_opts o;
	const char *rules, *recurring_in, *recurring_out;
	int recurring_min_docs;
	long long max_entries;
	int group_by; /* GROUP_* */
	int keep_removed;
	const char *removed_field;
} cl_boilerplate_settings;

extern const tm_option cl_normalize_options[];
int cl_normalize_create(tm_ctx *ctx, const tm_options *opts, void **state);
int cl_normalize_process(tm_ctx *ctx, void *state, tm_doc *doc);
void cl_normalize_destroy(void *state);

extern const tm_option cl_boilerplate_options[];
int cl_boilerplate_create(tm_ctx *ctx, const tm_options *opts, void **state);
int cl_boilerplate_prepare(tm_ctx *ctx, const void *state, tm_doc *doc);
int cl_boilerplate_process(tm_ctx *ctx, void *state, tm_doc *doc);
int cl_boilerplate_finish(tm_ctx *ctx, void *state);
void cl_boilerplate_destroy(void *state);

#endif
