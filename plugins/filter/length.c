/* filter.c -- drop documents by length. */
#include <textmill/textmill.h>

#include "stages.h"
#include "textmill/kit.h"

/* The settings are the whole state: the host keeps them until the end. */
int length_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	const length_settings *f = tm_opt_settings(opts);
	*state = (void *)f;
	if (f->max_chars && f->max_chars < f->min_chars)
		return tm_fail(ctx, "%s: max_chars (%lld) is below min_chars (%lld)", tm_opt_where(opts, "max_chars"),
			       f->max_chars, f->min_chars);
	return TM_OK;
}

int length_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	(void)ctx;
	const length_settings *f = state;
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	/* characters, not bytes: a Vietnamese letter often takes two or three */
	long long n = (long long)kit_utf8_count(text, len);
	if (n < f->min_chars)
		tm_doc_drop(doc, "too-short");
	else if (f->max_chars && n > f->max_chars)
		tm_doc_drop(doc, "too-long");
	return TM_OK;
}

const tm_option length_options[] = {
	{.name = "min_chars",
	 .type = TM_OPT_INT,
	 .default_value = "1",
	 .min = 0,
	 .max = TM_NO_MAX,
	 TM_FIELD(length_settings, min_chars),
	 .help = "drop documents with fewer characters"},
	{.name = "max_chars",
	 .type = TM_OPT_INT,
	 .default_value = "0",
	 .min = 0,
	 .max = TM_NO_MAX,
	 TM_FIELD(length_settings, max_chars),
	 .help = "drop documents with more characters (0: no limit)"},
	{0},
};
