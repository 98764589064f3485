/* stages.h -- the stage types of the output plugin, for plugin.c. */
#ifndef OUTPUT_STAGES_H
#define OUTPUT_STAGES_H

#include <textmill/textmill.h>

extern const tm_option csv_options[];
int csv_create(tm_ctx *ctx, const tm_options *opts, void **state);
int csv_process(tm_ctx *ctx, void *state, tm_doc *doc);
int csv_finish(tm_ctx *ctx, void *state);
void csv_destroy(void *state);

extern const tm_option jsonl_options[];
int jsonl_create(tm_ctx *ctx, const tm_options *opts, void **state);
int jsonl_process(tm_ctx *ctx, void *state, tm_doc *doc);
int jsonl_finish(tm_ctx *ctx, void *state);
void jsonl_destroy(void *state);

extern const tm_option report_options[];
int report_create(tm_ctx *ctx, const tm_options *opts, void **state);
int report_process(tm_ctx *ctx, void *state, tm_doc *doc);
int report_finish(tm_ctx *ctx, void *state);
void report_destroy(void *state);

extern const tm_option sqlite_options[];
int sqlite_create(tm_ctx *ctx, const tm_options *opts, void **state);
int sqlite_process(tm_ctx *ctx, void *state, tm_doc *doc);
int sqlite_finish(tm_ctx *ctx, void *state);
void sqlite_destroy(void *state);
int sqlite_commit(tm_ctx *ctx, void *state);

#endif
