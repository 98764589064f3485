/* A stage with a global phase that claims to run on every worker: the
 * loader must refuse it, since a global phase needs one ordered instance. */
#include <textmill/textmill.h>

static int create(tm_ctx *ctx, const tm_options *opts, void **state) { return TM_OK; }
static int process(tm_ctx *ctx, void *state, tm_doc *doc) { return TM_OK; }
static int merge(tm_ctx *ctx, const tm_options *opts) { return TM_OK; }

static const tm_stage_type stages[] = {
	{.name = "test.global_parallel",
	 .flags = TM_STAGE_GLOBAL | TM_STAGE_PARALLEL,
	 .create = create,
	 .process = process,
	 .merge = merge},
};

TM_PLUGIN(stages);
