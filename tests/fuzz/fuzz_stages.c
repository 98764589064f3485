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
	doc->unchecked = 1;  /* as input.c reads a .txt file */
	return 0;
}

/* KNOWN: errors of the rule pack that are reported and being fixed. */
static int known_pack_error(const char *reason)
{
	static const char *const known[] = {
		/* issue 13, item 19: a name before a trailing space */
		"persons.lua:149: table index is nil",
		/* pending/stages/entity_pack_word_before_cuts_character */
		"context.lua:145: textmill.lower: invalid UTF-8",
		/* pending/stages/entity_pack_name_cut_inside_character: persons.lua
		 * clean_name ends a name 2 bytes before the word that follows */
		"persons.lua:26: textmill.upper: invalid UTF-8",
		"PERSON span",
		/* pending/stages/entity_pack_fullwidth_digits_*: \d matches any
		 * Unicode digit, tonumber() of it is nil */
		"dates.lua:262: attempt to compare number with nil",
		"context.lua:170: attempt to compare number with nil",
	};
	for (size_t k = 0; k < sizeof known / sizeof *known; k++)
		if (strstr(reason, known[k]))
			return 1;
	return 0;
}

/* KNOWN (found here, pending/stages/metadata_views_overflow): a view count
 * of 19 digits or more overflows a long long in extract.metadata (dates.c). */
static int long_number(const uint8_t *data, size_t size)
{
	size_t run = 0;
	for (size_t k = 0; k < size; k++) {
		int digit = data[k] >= '0' && data[k] <= '9';
		run = digit ? run + 1 : (data[k] == '.' || data[k] == ',') && run ? run : 0;
		if (run >= 19)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_skip_known() && long_number(data, size))
		return 0;
	data = fuzz_record_slack(data, size);
	for (int k = 0; k < 2; k++) {
		int from_json = load(data, size);
		const char *stage = NULL;
		pipeline_apply(pipes[k], doc, &stage);
		const char *reason;
		tm_verdict v = tm_doc_verdict(doc, &reason);
		if (v == TM_KEEP) {
			fuzz_note("%s: kept, %zu entities", names[k], doc->n_ents);
			fuzz_check_doc(doc, from_json);
			continue;
		}
		fuzz_note("%s: %s at %s: %s", names[k], v == TM_DROP ? "dropped" : "rejected", stage, reason);
		FUZZ_CHECK(reason && *reason, "%s: %s took the document out without a reason", names[k], stage);
		if (fuzz_skip_known() && known_pack_error(reason))
			continue;
		FUZZ_CHECK(strncmp(reason, "lua-error", 9), "%s: the rule pack failed: %s", names[k], reason);
	}
	return 0;
}
