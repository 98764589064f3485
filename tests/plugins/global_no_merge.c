/* A stage that declares a global phase but has no merge(), and one that is
 * global and parallel: the loader must refuse both, naming the stage. */
#include <textmill/textmill.h>

static int create(tm_ctx *ctx, const tm_options *opts, void **state) { return TM_OK; }
static int process(tm_ctx *ctx, void *state, tm_doc *doc) { return TM_OK; }

static const tm_stage_type stages[] = {
	{.name = "test.global_no_merge", .flags = TM_STAGE_GLOBAL, .create = create, .process = process},
};

TM_PLUGIN(stages);
