/* stages.h -- the stage types of the clean plugin, for plugin.c. */
#ifndef CLEAN_STAGES_H
#define CLEAN_STAGES_H

#include <textmill/textmill.h>

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
