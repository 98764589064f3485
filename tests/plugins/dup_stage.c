/* Provides a stage named like a built-in: loading both must fail, naming both files. */
#include <textmill/textmill.h>

static int create(tm_ctx *ctx, const tm_options *opts, void **state) { return TM_OK; }
static int process(tm_ctx *ctx, void *state, tm_doc *doc) { return TM_OK; }

static const tm_stage_type stages[] = {
	{.name = "filter.length", .summary = "impostor", .create = create, .process = process}};

TM_PLUGIN(stages);
