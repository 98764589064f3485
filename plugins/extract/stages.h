/* stages.h -- the stage types of the extract plugin, for plugin.c. */
#ifndef EXTRACT_STAGES_H
#define EXTRACT_STAGES_H

#include <textmill/textmill.h>

/* What the options of each stage fill (its tm_option table). */
typedef struct cl_metadata_settings {
	tm_strings fields;
	int remove_lines;
	int overwrite; /* OVERWRITE_*: better|never|always */
	const char *timezone;
	int midnight; /* date_only: date|midnight */
	long long caption_min_words, caption_max_chars, title_max_chars;
} cl_metadata_settings;

typedef struct regex_settings {
	const char *pattern, *entity, *flags, *rule;
	long long group;
} regex_settings;

extern const tm_option cl_metadata_options[];
int cl_metadata_create(tm_ctx *ctx, const tm_options *opts, void **state);
int cl_metadata_process(tm_ctx *ctx, void *state, tm_doc *doc);
void cl_metadata_destroy(void *state);

extern const tm_option regex_options[];
int regex_create(tm_ctx *ctx, const tm_options *opts, void **state);
int regex_process(tm_ctx *ctx, void *state, tm_doc *doc);
void regex_destroy(void *state);

#endif
