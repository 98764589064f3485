/* filter.c -- drop documents by length. */
#include <stdlib.h>

#include <textmill/textmill.h>

#include "stages.h"

typedef struct length_filter {
	long long min, max;
} length_filter;

int length_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	length_filter *f = malloc(sizeof *f);
	if (!f)
		return tm_fail(ctx, "out of memory");
	*state = f;
	f->min = tm_opt_int(opts, "min_chars");
	f->max = tm_opt_int(opts, "max_chars");
	if (f->min < 0 || f->max < 0)
		return tm_fail(ctx, "%s: lengths cannot be negative",
			       tm_opt_where(opts, f->min < 0 ? "min_chars" : "max_chars"));
	if (f->max && f->max < f->min)
		return tm_fail(ctx, "%s: max_chars (%lld) is below min_chars (%lld)",
			       tm_opt_where(opts, "max_chars"), f->max, f->min);
	return TM_OK;
}

/* Characters, not bytes: a Vietnamese letter often takes two or three. */
static long long count_chars(const char *s, size_t len)
{
	long long n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

int length_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	(void)ctx;
	length_filter *f = state;
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	long long n = count_chars(text, len);
	if (n < f->min)
		tm_doc_drop(doc, "too-short");
	else if (f->max && n > f->max)
		tm_doc_drop(doc, "too-long");
	return TM_OK;
}

void length_destroy(void *state) { free(state); }

const tm_option length_options[] = {
	{.name = "min_chars", .type = TM_OPT_INT, .default_value = "1",
	 .help = "drop documents with fewer characters"},
	{.name = "max_chars", .type = TM_OPT_INT, .default_value = "0",
	 .help = "drop documents with more characters (0: no limit)"},
	{0},
};
