/* A plugin that claims a future ABI: the loader must refuse it by version. */
#include <textmill/textmill.h>

static int create(tm_ctx *ctx, const tm_options *opts, void **state) { return TM_OK; }
static int process(tm_ctx *ctx, void *state, tm_doc *doc) { return TM_OK; }

static const tm_stage_type stages[] = {{.name = "test.bad_abi", .create = create, .process = process}};

TM_API const tm_plugin textmill_plugin = {TM_ABI_VERSION + 41, sizeof(tm_stage_type), sizeof(tm_option), stages, 1};
