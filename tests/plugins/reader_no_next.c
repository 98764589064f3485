/* A reader without next(): the loader must refuse it, naming the stage. */
#include <textmill/textmill.h>

static int create(tm_ctx *ctx, const tm_options *opts, void **state) { return TM_OK; }
static int open_file(tm_ctx *ctx, void *state, tm_input *in, void **file) { return TM_OK; }

static const tm_stage_type stages[] = {
	{.name = "test.reader_no_next", .flags = TM_STAGE_INPUT, .create = create, .open = open_file},
};

TM_PLUGIN(stages);
