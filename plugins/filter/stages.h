/* stages.h -- the stage types of the filter plugin, for plugin.c. */
#ifndef FILTER_STAGES_H
#define FILTER_STAGES_H

#include <textmill/textmill.h>

/* What the options of each stage fill (its tm_option table). */
typedef struct length_settings {
	long long min_chars, max_chars; /* max 0: no limit */
} length_settings;

typedef struct ids_settings {
	const char *list;
	int mark; /* action: drop|mark */
	const char *mark_field;
	int by_line; /* match: id|line */
	const char *remove_field;
} ids_settings;

extern const tm_option length_options[];
int length_create(tm_ctx *ctx, const tm_options *opts, void **state);
int length_process(tm_ctx *ctx, void *state, tm_doc *doc);

extern const tm_option ids_options[];
int ids_create(tm_ctx *ctx, const tm_options *opts, void **state);
int ids_process(tm_ctx *ctx, void *state, tm_doc *doc);
int ids_finish(tm_ctx *ctx, void *state);
void ids_destroy(void *state);

#endif
