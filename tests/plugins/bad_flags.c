/* A plugin whose second stage type sets a flag bit no textmill knows yet:
 * the loader must refuse the whole plugin, naming the stage and the bits. */
#include <textmill/textmill.h>

static int create(tm_ctx *ctx, const tm_options *opts, void **state) { return TM_OK; }
static int process(tm_ctx *ctx, void *state, tm_doc *doc) { return TM_OK; }

static const tm_stage_type stages[] = {
	{.name = "test.plain_flags", .flags = TM_STAGE_PARALLEL, .create = create, .process = process},
	{.name = "test.future_flags", .flags = TM_STAGE_PARALLEL | 1u << 30, .create = create, .process = process},
};

TM_PLUGIN(stages);
