/* A plugin built against the headers of textmill 0.1, before tm_option and
 * tm_stage_type grew their settings fields: the two structs as they were
 * then, so TM_PLUGIN's sizes are the old ones. The host must load it,
 * treat the missing fields as zero and hand it its options by name.
 *   test.old_abi  writes its options `word` and `times` into meta. */
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

typedef struct old_option {
	const char *name;
	tm_opt_type type;
	const char *default_value;
	const char *help;
	const char *choices;
	int required;
} old_option;

typedef struct old_stage_type {
	const char *name;
	const char *summary;
	const old_option *options;
	unsigned flags;
	const char *extensions;
	int (*create)(tm_ctx *ctx, const tm_options *opts, void **state);
	int (*process)(tm_ctx *ctx, void *state, tm_doc *doc);
	int (*finish)(tm_ctx *ctx, void *state);
	void (*destroy)(void *state);
	int (*prepare)(tm_ctx *ctx, const void *state, tm_doc *doc);
	int (*commit)(tm_ctx *ctx, void *state);
	const char *writes;
} old_stage_type;

static int create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	*state = (void *)opts;
	/* No settings struct declared: none handed over. */
	return tm_opt_settings(opts) ? tm_fail(ctx, "a settings struct it never asked for") : TM_OK;
}

static int process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	const char *word = tm_opt_string(state, "word");
	long long times = tm_opt_int(state, "times");
	return tm_doc_set_meta_string(doc, "old_word", word, strlen(word)) ||
	       tm_doc_set_meta_number(doc, "old_times", (double)times);
}

static const old_option options[] = {
	{"word", TM_OPT_STRING, "hello", "a word", NULL, 0},
	{"times", TM_OPT_INT, "2", "a number, any number (no bounds then)", NULL, 0},
	{NULL, 0, NULL, NULL, NULL, 0},
};

static const old_stage_type stages[] = {
	{"test.old_abi", "options by name, 0.1 tables", options, TM_STAGE_PARALLEL, NULL, create, process, NULL, NULL,
	 NULL, NULL, NULL},
};

TM_API const tm_plugin textmill_plugin = {TM_ABI_VERSION, sizeof(old_stage_type), sizeof(old_option),
					  (const tm_stage_type *)(const void *)stages, 1};
