/* stages.h -- the stage types of the dedup plugin, assembled in plugin.c. */
#ifndef DD_STAGES_H
#define DD_STAGES_H

#include <textmill/textmill.h>

#define DD_DECLARE_STAGE(name)                                                  \
	extern const tm_option dd_##name##_options[];                           \
	int dd_##name##_create(tm_ctx *ctx, const tm_options *opts, void **state); \
	int dd_##name##_prepare(tm_ctx *ctx, const void *state, tm_doc *doc);   \
	int dd_##name##_process(tm_ctx *ctx, void *state, tm_doc *doc);         \
	int dd_##name##_finish(tm_ctx *ctx, void *state);                       \
	void dd_##name##_destroy(void *state);                                  \
	int dd_##name##_merge(tm_ctx *ctx, const tm_options *opts)

DD_DECLARE_STAGE(exact);
DD_DECLARE_STAGE(minhash);
DD_DECLARE_STAGE(paragraph);

#endif
