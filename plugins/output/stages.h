/* stages.h -- the stage types of the output plugin, for plugin.c. */
#ifndef OUTPUT_STAGES_H
#define OUTPUT_STAGES_H

#include <textmill/textmill.h>

/* What the options of each stage fill (its tm_option table). */
typedef struct csv_settings {
	const char *path;
	int tsv;         /* format: csv|tsv; unset: by the path's ending */
	int entity_rows; /* rows: documents|entities */
	tm_strings fields;
	int header;
	const char *join;
	int bom;
	int crlf; /* line_end: lf|crlf */
	int formula_guard;
} csv_settings;

typedef struct jsonl_settings {
	const char *path;
} jsonl_settings;

typedef struct report_settings {
	const char *path, *title;
	long long top, clusters, timeline_from;
	tm_strings dedup_fields, summaries;
} report_settings;

typedef struct sqlite_settings {
	const char *path;
	long long busy_timeout_ms;
	int store_text;
	tm_strings dedup_fields;
} sqlite_settings;

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
