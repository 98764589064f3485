/* Stages whose options fill a settings struct:
 *   test.settings  writes what create() found in its struct into the meta
 *                  field `settings` of each document, as JSON;
 *   test.misread   reads an option its table does not declare (`nmae`):
 *                  create() must fail, naming it. */
#include <stdio.h>
#include <string.h>

#include <textmill/textmill.h>

typedef struct settings {
	const char *name;
	const char *file;
	int count;
	double ratio;
	int flag;
	int mode; /* fast|slow|off */
	tm_strings tags;
	const char *extra; /* JSON */
} settings;

static const tm_option options[] = {
	{.name = "name", .type = TM_OPT_STRING, .default_value = "anon", TM_FIELD(settings, name)},
	{.name = "file", .type = TM_OPT_PATH, TM_FIELD(settings, file)},
	{.name = "count", .type = TM_OPT_INT, .default_value = "3", .min = 1, .max = 10, TM_FIELD(settings, count)},
	{.name = "ratio",
	 .type = TM_OPT_FLOAT,
	 .default_value = "0.5",
	 .min = 0,
	 .max = 1,
	 TM_FIELD(settings, ratio)},
	{.name = "flag", .type = TM_OPT_BOOL, .default_value = "false", TM_FIELD(settings, flag)},
	{.name = "mode",
	 .type = TM_OPT_ENUM,
	 .default_value = "slow",
	 .choices = "fast|slow|off",
	 TM_FIELD(settings, mode)},
	{.name = "tags", .type = TM_OPT_LIST, TM_FIELD(settings, tags)},
	{.name = "extra", .type = TM_OPT_MAP, TM_FIELD(settings, extra)},
	{0},
};

static int create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	*state = (void *)tm_opt_settings(opts);
	return *state ? TM_OK : tm_fail(ctx, "no settings struct");
}

static int process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	const settings *s = state;
	char json[4096];
	int n = snprintf(json, sizeof json,
			 "{\"name\":\"%s\",\"file\":\"%s\",\"count\":%d,\"ratio\":%g,\"flag\":%d,\"mode\":%d,"
			 "\"tags\":%zu,\"last_tag\":\"%s\",\"extra\":%s}",
			 s->name, s->file ? s->file : "", s->count, s->ratio, s->flag, s->mode, s->tags.n,
			 s->tags.n ? s->tags.item[s->tags.n - 1] : "", s->extra ? s->extra : "null");
	if (n < 0 || (size_t)n >= sizeof json || (s->tags.n && s->tags.item[s->tags.n]))
		return tm_fail(ctx, "settings do not fit, or the list lacks its NULL");
	return tm_doc_set_meta_json(doc, "settings", json, (size_t)n);
}

static int misread(tm_ctx *ctx, const tm_options *opts, void **state)
{
	(void)tm_opt_string(opts, "nmae");
	return TM_OK;
}

static const tm_stage_type stages[] = {
	{.name = "test.settings",
	 .summary = "options into a struct",
	 .options = options,
	 .settings_size = sizeof(settings),
	 .create = create,
	 .process = process},
	{.name = "test.misread",
	 .summary = "read an undeclared option",
	 .options = options,
	 .settings_size = sizeof(settings),
	 .create = misread,
	 .process = process},
};

TM_PLUGIN(stages);
