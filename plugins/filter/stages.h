/* stages.h -- the stage types of the filter plugin, for plugin.c. */
#ifndef FILTER_STAGES_H
#define FILTER_STAGES_H

#include <textmill/textmill.h>

extern const tm_option length_options[];
int length_create(tm_ctx *ctx, const tm_options *opts, void **state);
int length_process(tm_ctx *ctx, void *state, tm_doc *doc);
void length_destroy(void *state);

extern const tm_option ids_options[];
int ids_create(tm_ctx *ctx, const tm_options *opts, void **state);
int ids_process(tm_ctx *ctx, void *state, tm_doc *doc);
int ids_finish(tm_ctx *ctx, void *state);
void ids_destroy(void *state);

#endif
