/* stage_util.c -- helpers shared by the dedup stages. */
#include "stage_util.h"

#include <stdio.h>
#include <string.h>

#include "textmill/kit.h"

#include "norm.h"

unsigned dd_norm_flags(const dd_norm_settings *n)
{
	/* Indexed by the option's value, in the order of its choices. */
	static const unsigned case_[] = {DD_CASE_FOLD, 0};                      /* fold|keep */
	static const unsigned diacritics[] = {0, DD_DIACRITICS_FOLD};           /* keep|fold */
	static const unsigned punctuation[] = {0, DD_PUNCT_REMOVE};             /* keep|remove */
	static const unsigned whitespace[] = {DD_WS_COLLAPSE, DD_WS_REMOVE, 0}; /* collapse|remove|keep */
	return case_[n->case_] | diacritics[n->diacritics] | punctuation[n->punctuation] | whitespace[n->whitespace];
}

int dd_json_string(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
	kit_buf b = {0};
	kit_json_put_string(&b, s, n); /* as textmill-dedup writes the same marks */
	int fits = !kit_buf_failed(&b) && *len < cap && b.len < cap - *len;
	if (fits) {
		memcpy(out + *len, b.p, b.len + 1);
		*len += b.len;
	}
	kit_buf_free(&b);
	return fits ? 0 : -1;
}

static int tm_write(void *ud, const void *data, size_t len) { return tm_file_write(ud, data, len) == TM_OK ? 0 : -1; }

int dd_tmfile_open(dd_tmfile *t, tm_ctx *ctx, const char *path)
{
	memset(t, 0, sizeof *t);
	t->f = tm_file_open(ctx, path);
	if (!t->f)
		return TM_ERROR;
	t->out.write = tm_write;
	t->out.ud = t->f;
	return TM_OK;
}

int dd_tmfile_commit(dd_tmfile *t, tm_ctx *ctx, const char *path)
{
	tm_file *f = t->f;
	t->f = NULL;
	if (t->out.failed) {
		tm_file_abort(f);
		return tm_fail(ctx, "cannot write %s", path);
	}
	return tm_file_commit(f);
}

void dd_tmfile_abort(dd_tmfile *t)
{
	tm_file_abort(t->f);
	t->f = NULL;
}

int dd_doc_id(tm_ctx *ctx, const tm_doc *doc, const char **id, size_t *len)
{
	*id = tm_doc_id(doc);
	*len = strlen(*id);
	if (*len > DD_MAX_ID)
		return tm_fail(ctx, "id of %zu bytes: an index holds ids of at most %d bytes", *len, DD_MAX_ID);
	return TM_OK;
}
