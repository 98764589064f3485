/* A reader from outside the tree, as a user would write one: a `.lines`
 * file holds one document per line, "ID<TAB>TEXT"; a line without a tab
 * is rejected with its bytes. It reads the file with stdio, so it needs
 * nothing from the host but the tm_ functions. */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <textmill/textmill.h>

typedef struct lines_file {
	FILE *f;
	char *line;
	size_t cap;
	unsigned long long n;
} lines_file;

static int create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	(void)ctx, (void)opts, (void)state;
	return TM_OK;
}

static int open_file(tm_ctx *ctx, void *state, tm_input *in, void **file)
{
	(void)state;
	lines_file *lf = calloc(1, sizeof *lf);
	if (!lf)
		return tm_fail(ctx, "out of memory");
	*file = lf;
	lf->f = fopen(tm_input_path(in), "rb");
	return lf->f ? TM_OK : tm_fail(ctx, "cannot open %s", tm_input_path(in));
}

static int next(tm_ctx *ctx, void *file, tm_input *in, tm_doc *doc)
{
	(void)ctx;
	lines_file *lf = file;
	ssize_t len = getline(&lf->line, &lf->cap, lf->f);
	if (len < 0)
		return 0;
	if (len && lf->line[len - 1] == '\n')
		len--;
	tm_input_place(in, doc, ++lf->n, (unsigned long long)len + 1);
	char *tab = memchr(lf->line, '\t', (size_t)len);
	if (!tab) {
		tm_input_reject(in, doc, "no tab between id and text", lf->line, (size_t)len);
		return 1;
	}
	tm_doc_set_id(doc, lf->line, (size_t)(tab - lf->line));
	tm_doc_set_text(doc, tab + 1, (size_t)(lf->line + len - tab - 1));
	return 1;
}

static void close_file(void *file)
{
	lines_file *lf = file;
	if (lf->f)
		fclose(lf->f);
	free(lf->line);
	free(lf);
}

static const tm_stage_type stages[] = {
	{.name = "test.lines",
	 .summary = "ID<TAB>TEXT per line",
	 .flags = TM_STAGE_INPUT,
	 .extensions = ".lines",
	 .create = create,
	 .open = open_file,
	 .next = next,
	 .close = close_file},
};

TM_PLUGIN(stages);
