/* fuzz_config.c -- the config loader (yaml.c, tree.c, options.c, config.c)
 * with every built-in plugin loaded, and each stage's create and destroy.
 *
 * The input is a YAML config, then optionally a 0xFF byte (which YAML text
 * cannot hold) and the content of a file f.txt that the config may name:
 * a boilerplate rule file, an id list, a Lua script, learned lines. The
 * config is loaded and checked as `textmill check`
 * does it (input and outputs required), and if that fails for want of
 * them, as `textmill try` does (stages only); then it is printed, and
 * every stage is created once with one worker and destroyed, and then each
 * output on its own (`check` does not create outputs: they open files).
 * Oracles: no crash, no leak (LeakSanitizer), and what fails says why.
 *
 * Relative paths point into the harness's directory, which holds a few
 * files a stage may name (s.lua, rules.txt, ids.tsv). Two things
 * are left out on purpose: `plugin_path` (it would dlopen whatever shared
 * object the fuzzer names on this machine) and opening the input (a path
 * like / would walk the whole file system); an output is created only if
 * every path it names lies in the harness's directory. */
#include "fuzz_host.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_preload_plugins();
	static const char script[] = "local n = 0\n"
				     "function init(options) n = options and options.start or 0 end\n"
				     "function process(doc) n = n + 1 end\n";
	fuzz_write("s.lua", script, sizeof script - 1);
	static const char rules[] = "# chrome\nline Đọc thêm\nregex ^Ảnh: .*$\nend ^Tin liên quan$\n"
				    "[source *.example.vn]\nedge strip gửi ý kiến$\n[*]\nkeep ^Tin, ảnh:\n";
	fuzz_write("rules.txt", rules, sizeof rules - 1);
	static const char ids[] = "a1\tduplicate-of:a0\nb2\tduplicate-of:b1\t{\"n\":2}\t7\n";
	fuzz_write("ids.tsv", ids, sizeof ids - 1);
	return 0;
}

/* Does the YAML name a plugin_path at its top? Parsed on its own, so that
 * quoting or escaping the key does not hide it. */
static int names_plugin_path(const uint8_t *data, size_t size)
{
	tree t = {0};
	buf err = {0};
	tm_node *root = yaml_load(&t, (const char *)data, size, "fuzz.yaml", &err);
	int found = root && root->kind == TM_NODE_MAP && tm_node_get(root, "plugin_path");
	tree_free(&t);
	buf_free(&err);
	return found;
}

static int load(pipeline_conf *pc, const uint8_t *data, size_t size, int stages_only, buf *err)
{
	overrides ov = {.stages_only = stages_only};
	buf_clear(err);
	int rc = config_load_text(pc, (const char *)data, size, "fuzz.yaml", fuzz_dir(), &ov, err);
	if (rc) {
		FUZZ_CHECK(err->len > 0, "a config was refused without a message");
		config_free(pc);
	}
	return rc;
}

static int paths_inside(const tm_options *o)
{
	size_t n = strlen(fuzz_dir());
	for (size_t k = 0; k < o->n; k++) {
		const char *p = o->v[k].str;
		if (o->decl[k].type == TM_OPT_PATH && p &&
		    (strncmp(p, fuzz_dir(), n) || p[n] != '/' || strstr(p, "/..")))
			return 0;
	}
	return 1;
}

/* Each output created and destroyed (which removes its temporary file),
 * one at a time, as a run that fails at its start would. */
static void create_outputs(const pipeline_conf *pc)
{
	for (size_t i = 0; i < pc->n_outputs; i++) {
		const stage_conf *sc = &pc->outputs[i];
		const tm_stage_type *t = &sc->entry->type;
		if (!paths_inside(sc->opts))
			continue;
		tm_ctx ctx;
		void *state = NULL;
		ctx_init(&ctx, t->name, sc->label, 0, 1, 1);
		int rc = t->create(&ctx, sc->opts, &state);
		FUZZ_CHECK(rc == TM_OK || ctx.error.len, "%s (%s) failed to start without a message", sc->label,
			   t->name);
		fuzz_note("%s: %s", sc->label, rc == TM_OK ? "started" : ctx.error.p);
		if (t->destroy)
			t->destroy(state);
		ctx_free(&ctx);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const run_options quiet = {.quiet = 1};
	static buf err, out;
	fuzz_fields f;
	fuzz_split(data, size, 2, &f);
	fuzz_write("f.txt", f.p[1], f.len[1]);
	data = (const uint8_t *)f.p[0], size = f.len[0];
	if (names_plugin_path(data, size))
		return -1; /* not kept in the corpus either */
	pipeline_conf pc;
	if (load(&pc, data, size, 0, &err) && load(&pc, data, size, 1, &err)) {
		fuzz_note("refused: %s", err.p);
		return 0;
	}
	buf_clear(&out);
	config_print(&pc, &out);
	pc.workers = 1;
	buf_clear(&err);
	pipeline *p = pipeline_open(&pc, &quiet, &err);
	FUZZ_CHECK(p || err.len > 0, "a stage failed to start without a message");
	fuzz_note("%s", p ? "every stage started" : err.p);
	pipeline_close(p);
	create_outputs(&pc);
	config_free(&pc);
	return 0;
}
