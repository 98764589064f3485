/* fuzz_stages.c -- the cleaning stages and the entity rule pack on
 * arbitrary bytes, through the stages' own plugins and the host's runner.
 *
 * The input is a document: a JSON record when it starts with '{' and reads
 * as one (metadata and entities included), else the raw bytes of a .txt
 * file, which the stages must take as they are. It goes through two
 * pipelines, each one stage after another as `textmill run` would:
 *   cleaned: clean.normalize (repair) -> clean.boilerplate (the project's
 *            rule files) -> extract.metadata -> lua (defence_vi.lua)
 *   raw:     lua (defence_vi.lua) alone, on text no stage has cleaned
 * Oracles: a kept document has UTF-8 text, entities inside it on
 * character boundaries, and JSON that reads back (fuzz_check_doc); a
 * dropped or rejected one has a reason; the rule pack never fails with a
 * Lua error (a reject "lua-error: ..."), whatever the text.
 *
 * clean.boilerplate learns recurring lines across documents; that is
 * turned off here, so that an input's result does not depend on the
 * inputs before it. */
#include "fuzz_host.h"

static pipeline_conf conf[2];
static pipeline *pipes[2];
static const char *const names[2] = {"cleaned", "raw"};
static tm_doc *doc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_preload_plugins();
	doc = doc_new();
	const char *src = fuzz_source_dir();
	buf yaml = {0};
	buf_printf(&yaml,
		   "stages:\n"
		   "  - {type: clean.normalize, repair: true, fix_case: true}\n"
		   "  - {type: clean.boilerplate, rules: \"%s/config/boilerplate\", recurring: false}\n"
		   "  - {type: extract.metadata}\n"
		   "  - {type: lua, script: \"%s/scripts/entities/defence_vi.lua\"}\n",
		   src, src);
	pipes[0] = fuzz_open_stages(&conf[0], yaml.p);
	buf_clear(&yaml);
	buf_printf(&yaml, "stages:\n  - {type: lua, script: \"%s/scripts/entities/defence_vi.lua\"}\n", src);
	pipes[1] = fuzz_open_stages(&conf[1], yaml.p);
	buf_free(&yaml);
	return 0;
}

/* The input as a document; returns whether it came from a JSON record. */
static int load(const uint8_t *data, size_t size)
{
	static buf err;
	doc_reset(doc);
	if (size && data[0] == '{') {
		buf_clear(&err);
		if (doc_from_json(doc, (const char *)data, size, &err) == 0) {
			doc_set_source(doc, "fuzz.jsonl", 1);
			return 1;
		}
		doc_reset(doc);
	}
	doc_set_id(doc, "fuzz", 4);
	doc_set_source(doc, "fuzz.txt", 0);
	buf_put(&doc->text, data, size);
	doc->unchecked = 1; /* as input.c reads a .txt file */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int k = 0; k < 2; k++) {
		int from_json = load(data, size);
		const char *stage = fuzz_run_doc(pipes[k], doc);
		const char *reason;
		tm_verdict v = tm_doc_verdict(doc, &reason);
		if (v == TM_KEEP) {
			fuzz_note("%s: kept, %zu entities", names[k], doc->n_ents);
			fuzz_check_doc(doc, from_json);
			continue;
		}
		fuzz_note("%s: %s at %s: %s", names[k], v == TM_DROP ? "dropped" : "rejected", stage, reason);
		FUZZ_CHECK(reason && *reason, "%s: %s took the document out without a reason", names[k], stage);
		FUZZ_CHECK(strncmp(reason, "lua-error", 9), "%s: the rule pack failed: %s", names[k], reason);
	}
	return 0;
}
