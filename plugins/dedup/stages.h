/* stages.h -- the stage types of the dedup plugin, assembled in plugin.c. */
#ifndef DD_STAGES_H
#define DD_STAGES_H

#include <textmill/textmill.h>

/* What the options of each stage fill (its tm_option table). The values
 * of enum options are indexes into their choices. */
typedef struct dd_norm_settings {
	int case_;       /* fold|keep */
	int diacritics;  /* keep|fold */
	int punctuation; /* keep|remove */
	int whitespace;  /* collapse|remove|keep (not minhash's) */
} dd_norm_settings;

typedef struct dd_exact_settings {
	dd_norm_settings norm;
	int mark; /* action: drop|mark */
	const char *mark_field, *index;
	int index_update;
} dd_exact_settings;

typedef struct dd_minhash_settings {
	double threshold;
	int chars; /* shingle: word|char */
	long long shingle_size, perms, bands, rows;
	int verify;
	int keep; /* mh_keep: first|longest|newest */
	int mark; /* action: drop|mark */
	const char *mark_field, *published_field;
	dd_norm_settings norm;
	const char *index;
	int index_update, second_pass;
	const char *signatures;
	long long order_offset;
} dd_minhash_settings;

typedef struct dd_paragraph_settings {
	int lines; /* unit: paragraph|line */
	long long min_docs, min_chars;
	dd_norm_settings norm;
	const char *report, *mark_field, *index;
	int index_update;
} dd_paragraph_settings;

#define DD_DECLARE_STAGE(name)                                                     \
	extern const tm_option dd_##name##_options[];                              \
	int dd_##name##_create(tm_ctx *ctx, const tm_options *opts, void **state); \
	int dd_##name##_prepare(tm_ctx *ctx, const void *state, tm_doc *doc);      \
	int dd_##name##_process(tm_ctx *ctx, void *state, tm_doc *doc);            \
	int dd_##name##_finish(tm_ctx *ctx, void *state);                          \
	void dd_##name##_destroy(void *state);                                     \
	int dd_##name##_merge(tm_ctx *ctx, const tm_options *opts)

DD_DECLARE_STAGE(exact);
DD_DECLARE_STAGE(minhash);
DD_DECLARE_STAGE(paragraph);

#endif
