/* output_jsonl.c -- documents as JSON Lines, the shape the input reads. */
#include <stdlib.h>

#include <textmill/textmill.h>

#include "stages.h"

typedef struct jsonl_out {
	tm_file *file;
	char *buf;
	size_t len, cap;
} jsonl_out;

int jsonl_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	jsonl_out *o = calloc(1, sizeof *o);
	if (!o)
		return tm_fail(ctx, "out of memory");
	*state = o;
	const jsonl_settings *set = tm_opt_settings(opts);
	o->file = tm_file_open(ctx, set->path);
	return o->file ? TM_OK : TM_ERROR;
}

int jsonl_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	(void)ctx;
	jsonl_out *o = state;
	o->len = 0;
	tm_doc_to_json(doc, &o->buf, &o->len, &o->cap);
	return tm_file_write(o->file, o->buf, o->len);
}

int jsonl_finish(tm_ctx *ctx, void *state)
{
	(void)ctx;
	jsonl_out *o = state;
	int rc = tm_file_commit(o->file);
	o->file = NULL;
	return rc;
}

void jsonl_destroy(void *state)
{
	jsonl_out *o = state;
	if (!o)
		return;
	tm_file_abort(o->file); /* still open only if the run failed */
	free(o->buf);
	free(o);
}

const tm_option jsonl_options[] = {
	{.name = "path",
	 .type = TM_OPT_PATH,
	 .required = 1,
	 TM_FIELD(jsonl_settings, path),
	 .help = "file to write ('-' for stdout)"},
	{0},
};
