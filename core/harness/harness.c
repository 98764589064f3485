/* harness.c -- the host's stage runner for tests (textmill/harness.h). */
#include "textmill/harness.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "doc.h"
#include "pipeline.h"

struct tm_harness {
	pipeline_conf pc;
	pipeline *p;
	tm_doc *doc;
};

/* The buffer's string, handed over to the caller (who frees it). */
static char *take(buf *b)
{
	char *s = b->p ? b->p : xstrdup("");
	*b = (buf){0};
	return s;
}

tm_harness *tm_harness_open(const char *yaml, const char *dir, char **err)
{
	tm_harness *h = xcalloc(1, sizeof *h); /* the host's rule: out of memory ends the program */
	buf msg = {0};
	/* No input or outputs; the built-in plugins need not be installed. */
	overrides ov = {.stages_only = 1, .builtins_optional = 1};
	run_options quiet = {.quiet = 1};
	if (config_load_text(&h->pc, yaml, strlen(yaml), "harness config", dir ? dir : ".", &ov, &msg)) {
		config_free(&h->pc); /* what it read before the error */
		free(h);
		goto fail;
	}
	h->pc.workers = 1;
	if (!(h->p = pipeline_open(&h->pc, &quiet, &msg))) {
		config_free(&h->pc);
		free(h);
		goto fail;
	}
	h->doc = doc_new();
	return h;
fail:
	if (err)
		*err = take(&msg);
	buf_free(&msg);
	return NULL;
}

static void note_stage(void *arg, tm_doc *doc, const char *stage)
{
	(void)doc;
	*(const char **)arg = stage;
}

int tm_harness_process(tm_harness *h, const char *json, size_t len, char **out)
{
	buf result = {0}, err = {0};
	const char *stage = NULL;
	int verdict;
	doc_reset(h->doc);
	doc_set_source(h->doc, "harness", 0);
	if (doc_from_json(h->doc, json, len, &err)) {
		buf_printf(&result, "input: %s", err.p ? err.p : "not a document");
		verdict = TM_REJECT;
	} else {
		pipeline_docs(h->p, &h->doc, 1, note_stage, &stage);
		verdict = h->doc->verdict;
		if (verdict == TM_KEEP)
			doc_write_json(h->doc, &result);
		else
			buf_printf(&result, "%s: %s", stage ? stage : "?", h->doc->reason ? h->doc->reason : "");
	}
	buf_free(&err);
	if (out)
		*out = take(&result);
	buf_free(&result); /* when the caller did not want it */
	return verdict;
}

void tm_harness_close(tm_harness *h)
{
	if (!h)
		return;
	pipeline_close(h->p);
	doc_free(h->doc);
	config_free(&h->pc);
	free(h);
}
