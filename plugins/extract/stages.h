/* stages.h -- the stage types of the extract plugin, for plugin.c. */
#ifndef EXTRACT_STAGES_H
#define EXTRACT_STAGES_H

#include <textmill/textmill.h>

extern const tm_option cl_metadata_options[];
int cl_metadata_create(tm_ctx *ctx, const tm_options *opts, void **state);
int cl_metadata_process(tm_ctx *ctx, void *state, tm_doc *doc);
void cl_metadata_destroy(void *state);

extern const tm_option regex_options[];
int regex_create(tm_ctx *ctx, const tm_options *opts, void **state);
int regex_process(tm_ctx *ctx, void *state, tm_doc *doc);
void regex_destroy(void *state);

#endif
