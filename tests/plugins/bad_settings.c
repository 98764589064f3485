/* A plugin whose option fills a field past the end of its settings
 * struct: the loader must refuse it, naming the stage and the option. */
#include <textmill/textmill.h>

typedef struct small {
	int a;
} small;

typedef struct large {
	int a;
	long long past_the_end;
} large;

static int create(tm_ctx *ctx, const tm_options *opts, void **state) { return TM_OK; }
static int process(tm_ctx *ctx, void *state, tm_doc *doc) { return TM_OK; }

static const tm_option options[] = {
	{.name = "far", .type = TM_OPT_INT, TM_FIELD(large, past_the_end)},
	{0},
};

static const tm_stage_type stages[] = {{.name = "test.bad_settings",
					.options = options,
					.settings_size = sizeof(small),
					.create = create,
					.process = process}};

TM_PLUGIN(stages);
