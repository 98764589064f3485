/* stages.h -- the input readers of the input plugin, for plugin.c. */
#ifndef INPUT_STAGES_H
#define INPUT_STAGES_H

#include <stdio.h>
#include <textmill/textmill.h>
#include <textmill/kit.h>

/* What the options of each reader fill (its tm_option table). */
typedef struct lines_settings {
	const char *id_key, *text_key; /* where a JSON Lines record keeps them */
} lines_settings;

typedef struct warc_settings {
	tm_strings types; /* WARC-Type values that are documents */
	int text;         /* html|payload */
} warc_settings;

extern const tm_option lines_options[];
int lines_create(tm_ctx *ctx, const tm_options *opts, void **state);
int lines_open(tm_ctx *ctx, void *state, tm_input *in, void **file);
int lines_next(tm_ctx *ctx, void *file, tm_input *in, tm_doc *doc);
void lines_close(void *file);
void lines_destroy(void *state);

extern const tm_option warc_options[];
int warc_create(tm_ctx *ctx, const tm_options *opts, void **state);
int warc_sniff(const unsigned char *head, size_t len);
int warc_open(tm_ctx *ctx, void *state, tm_input *in, void **file);
int warc_next(tm_ctx *ctx, void *file, tm_input *in, tm_doc *doc);
void warc_close(void *file);

#endif
