/* fuzz_host.h -- for the harnesses that drive the host: loading the
 * built-in plugins once, and a pipeline of stages from YAML text. */
#ifndef TM_FUZZ_HOST_H
#define TM_FUZZ_HOST_H

#include <dlfcn.h>

#include "config.h"
#include "doc.h"
#include "fuzz.h"
#include "host.h"
#include "pipeline.h"

/* Plugins resolve the tm_ functions from the harness (ENABLE_EXPORTS), so
 * take one function of every module that serves them: the linker then
 * keeps them all. */
__attribute__((used)) static void (*const fuzz_api_modules[])(void) = {
	(void (*)(void))tm_opt_int,   /* options.c */
	(void (*)(void))tm_node_type, /* tree.c */
	(void (*)(void))tm_doc_text,  /* doc.c */
	(void (*)(void))tm_fail,      /* ctx.c */
	(void (*)(void))tm_file_open, /* file.c */
};

/* Every config loads the built-in plugins, and frees them with the config.
 * Opened once here and never closed, each plugin stays mapped: a config
 * per input then costs no dlopen, and libFuzzer keeps one set of coverage
 * counters per plugin instead of a new set at every reload. */
static inline void fuzz_preload_plugins(void)
{
	unsetenv("TEXTMILL_PLUGIN_PATH"); /* only the build's own plugins */
	const char *dir = builtin_plugin_dir();
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "fuzz: no plugin directory %s\n", dir);
		exit(2);
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 3, ".so"))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (!dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)) {
			fprintf(stderr, "fuzz: %s\n", dlerror());
			exit(2);
		}
	}
	closedir(d);
}

/* The stages in `yaml` (no input or outputs needed), with one worker,
 * paths relative to the harness's directory. An error is the harness's
 * own fault: it exits. */
static inline void fuzz_load_stages(pipeline_conf *pc, const char *yaml)
{
	overrides ov = {.stages_only = 1};
	buf err = {0};
	if (config_load_text(pc, yaml, strlen(yaml), "fuzz-pipeline.yaml", fuzz_dir(), &ov, &err)) {
		fprintf(stderr, "fuzz: pipeline: %s\n", err.p);
		exit(2);
	}
	pc->workers = 1;
	buf_free(&err);
}

/* The same, each stage created. */
static inline pipeline *fuzz_open_stages(pipeline_conf *pc, const char *yaml)
{
	static const run_options quiet = {.quiet = 1};
	buf err = {0};
	fuzz_load_stages(pc, yaml);
	pipeline *p = pipeline_open(pc, &quiet, &err);
	if (!p) {
		fprintf(stderr, "fuzz: pipeline: %s\n", err.p);
		exit(2);
	}
	buf_free(&err);
	return p;
}

static inline void fuzz_note_stage(void *arg, tm_doc *doc, const char *stage)
{
	(void)doc;
	*(const char **)arg = stage;
}

/* One document through the stages, as `textmill run` takes it; the label
 * of the stage that took it out, or NULL if it was kept. */
static inline const char *fuzz_run_doc(pipeline *p, tm_doc *doc)
{
	const char *stage = NULL;
	pipeline_docs(p, &doc, 1, fuzz_note_stage, &stage);
	return stage;
}

static inline int fuzz_is_boundary(const tm_doc *doc, size_t off)
{
	return off == doc->text.len || ((unsigned char)doc->text.p[off] & 0xC0) != 0x80;
}

/* What every kept document promises: an id, UTF-8 text, entities inside it
 * on character boundaries (empty ones only if allowed: a record may carry
 * them, a stage may not make them), and JSON that reads back into the same
 * document (written twice, the same bytes). */
static inline void fuzz_check_doc(const tm_doc *doc, int allow_empty_entities)
{
	static tm_doc *again;
	static buf first, second, err;
	if (!again)
		again = doc_new();
	FUZZ_CHECK(doc->id != NULL, "a kept document has no id");
	size_t valid = utf8_valid_prefix(doc->text.p, doc->text.len);
	FUZZ_CHECK(valid == doc->text.len, "kept text is not UTF-8 at byte %zu of %zu", valid, doc->text.len);
	for (size_t i = 0; i < doc->n_ents; i++) {
		const tm_entity *e = &doc->ents[i];
		FUZZ_CHECK(e->start < e->end || (allow_empty_entities && e->start == e->end),
			   "entity %zu (%s) is [%zu, %zu)", i, e->type, e->start, e->end);
		FUZZ_CHECK(e->end <= doc->text.len, "entity %zu (%s) ends at %zu, past the text (%zu bytes)", i,
			   e->type, e->end, doc->text.len);
		FUZZ_CHECK(fuzz_is_boundary(doc, e->start) && fuzz_is_boundary(doc, e->end),
			   "entity %zu (%s) [%zu, %zu) splits a character", i, e->type, e->start, e->end);
	}
	buf_clear(&first);
	buf_clear(&second);
	buf_clear(&err);
	doc_write_json(doc, &first);
	doc_reset(again);
	FUZZ_CHECK(doc_from_json(again, first.p, first.len, &err) == 0,
		   "the written record does not read back: %s\n  %s", err.p ? err.p : "?", first.p);
	doc_write_json(again, &second);
	FUZZ_CHECK(first.len == second.len && !memcmp(first.p, second.p, first.len),
		   "written, read and written again, the record changed:\n  %s  %s", first.p, second.p);
}

#endif
