/* test_config.c -- YAML configs (yaml.c, tree.c) and pipeline configs
 * (config.c, options.c): what a good config gives, and the message each
 * mistake gets, with its FILE:LINE:COL. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "helpers.h"

static char *dir;      /* scratch directory of the test */
static char *cfg_path; /* dir/pipeline.yaml once written */
static pipeline_conf pc;
static buf err;

static void setup(void)
{
	dir = make_temp_dir();
	cfg_path = NULL;
	memset(&pc, 0, sizeof pc);
	memset(&err, 0, sizeof err);
}

static void teardown(void)
{
	config_free(&pc);
	buf_free(&err);
	rm_rf(dir);
	free(dir);
	free(cfg_path);
}

/* Write `yaml` as dir/pipeline.yaml and load it with the overrides. */
static int load(const char *yaml, const overrides *ov)
{
	free(cfg_path);
	cfg_path = write_file(dir, "pipeline.yaml", yaml);
	config_free(&pc);
	buf_clear(&err);
	return config_load(&pc, cfg_path, ov, &err);
}

/* `want` with its first "%s" replaced by the config's path. */
static char *with_path(const char *want)
{
	const char *at = strstr(want, "%s");
	if (!at)
		return xstrdup(want);
	return xasprintf("%.*s%s%s", (int)(at - want), want, cfg_path, at + 2);
}

/* Load and expect an error that contains `want` ("%s" for the config's path). */
#define ck_assert_load_fails(yaml, ov, want)                                                      \
	do {                                                                                      \
		ck_assert_msg(load((yaml), (ov)) == -1, "config accepted:\n%s", (yaml));          \
		char *w_ = with_path(want);                                                       \
		ck_assert_msg(strstr(err.p, w_) != NULL, "error \"%s\" lacks \"%s\"", err.p, w_); \
		free(w_);                                                                         \
	} while (0)

#define GOOD_CONFIG                  \
	"input:\n"                   \
	"  paths: [tin-tuc.jsonl]\n" \
	"stages:\n"                  \
	"  - type: filter.length\n"  \
	"    min_chars: 3\n"         \
	"outputs:\n"                 \
	"  - type: output.jsonl\n"   \
	"    path: out/ket-qua.jsonl\n"

/* ---- YAML ------------------------------------------------------------------- */

/* Parse YAML text directly; the node, or NULL with the message in err. */
static tm_node *parse(tree *t, const char *yaml)
{
	buf_clear(&err);
	return yaml_load(t, yaml, strlen(yaml), "pipeline.yaml", &err);
}

START_TEST(test_yaml_tree)
{
	tree t = {0};
	const tm_node *root = parse(&t, "tên: \"Hà Nội\"\nsố: 3\ndanh_sách:\n  - a\n  - 'b'\nrỗng:\n");
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(tm_node_type(root), TM_NODE_MAP);
	ck_assert_uint_eq(tm_node_len(root), 4);
	ck_assert_str_eq(tm_node_key(root, 0), "tên");
	const tm_node *name = tm_node_get(root, "tên");
	ck_assert_str_eq(tm_node_scalar(name), "Hà Nội");
	ck_assert_int_eq(tm_node_plain(name), 0); /* quoted: always a string */
	ck_assert_int_eq(tm_node_plain(tm_node_get(root, "số")), 1);
	/* Columns count characters, not bytes: "số: " is four. */
	ck_assert_str_eq(tm_node_where(tm_node_get(root, "số")), "pipeline.yaml:2:5");
	const tm_node *list = tm_node_get(root, "danh_sách");
	ck_assert_int_eq(tm_node_type(list), TM_NODE_LIST);
	ck_assert_uint_eq(tm_node_len(list), 2);
	ck_assert_str_eq(tm_node_scalar(tm_node_child(list, 1)), "b");
	ck_assert_str_eq(tm_node_where(tm_node_child(list, 1)), "pipeline.yaml:5:5");
	ck_assert_str_eq(tm_node_scalar(tm_node_get(root, "rỗng")), "");
	ck_assert_ptr_null(tm_node_get(root, "missing"));
	tree_free(&t);

	/* An empty text is an empty mapping. */
	root = parse(&t, "");
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(tm_node_type(root), TM_NODE_MAP);
	ck_assert_uint_eq(tm_node_len(root), 0);
	tree_free(&t);
}
END_TEST

START_TEST(test_yaml_syntax_errors)
{
	tree t = {0};
	/* A tab where indentation is expected. */
	ck_assert_ptr_null(parse(&t, "input:\n\tpaths: [a.jsonl]\n"));
	ck_assert_msg(!strncmp(err.p, "pipeline.yaml:2:1: ", 19), "%s", err.p);
	ck_assert_ptr_nonnull(strstr(err.p, "cannot start any token"));
	tree_free(&t);

	/* Bad indentation in a mapping. */
	ck_assert_ptr_null(parse(&t, "stages:\n  - type: filter.length\n     min_chars: 3\n"));
	ck_assert_msg(!strncmp(err.p, "pipeline.yaml:3:", 16), "%s", err.p);
	tree_free(&t);

	/* An unclosed flow list: the error is where the text ends. */
	ck_assert_ptr_null(parse(&t, "paths: [a.jsonl, b.jsonl\n"));
	ck_assert_msg(!strncmp(err.p, "pipeline.yaml:2:1: ", 19), "%s", err.p);
	tree_free(&t);
}
END_TEST

START_TEST(test_yaml_duplicate_key)
{
	tree t = {0};
	ck_assert_ptr_null(parse(&t, "workers: 2\non_error: skip\nworkers: 4\n"));
	ck_assert_str_eq(err.p, "pipeline.yaml:3:1: duplicate key 'workers' (already set at line 1)");
	tree_free(&t);
	/* Also in nested mappings. */
	ck_assert_ptr_null(parse(&t, "stages:\n  - type: filter.length\n    min_chars: 3\n    min_chars: 4\n"));
	ck_assert_str_eq(err.p, "pipeline.yaml:4:5: duplicate key 'min_chars' (already set at line 3)");
	tree_free(&t);
}
END_TEST

START_TEST(test_yaml_env)
{
	tree t = {0};
	setenv("TM_UNIT_LANG", "vi", 1);
	setenv("TM_UNIT_EMPTY", "", 1);
	unsetenv("TM_UNIT_NOPE");
	const tm_node *root = parse(&t, "a: ${TM_UNIT_LANG}\n"
					"b: corpus-${TM_UNIT_LANG}-${TM_UNIT_NOPE:-2024}.jsonl\n"
					"c: ${TM_UNIT_EMPTY:-fallback}\n"
					"d: x${TM_UNIT_EMPTY}y\n"
					"e: $${TM_UNIT_LANG} costs $5\n");
	ck_assert_msg(root != NULL, "%s", err.p);
	ck_assert_str_eq(tm_node_scalar(tm_node_get(root, "a")), "vi");
	ck_assert_str_eq(tm_node_scalar(tm_node_get(root, "b")), "corpus-vi-2024.jsonl");
	ck_assert_str_eq(tm_node_scalar(tm_node_get(root, "c")), "fallback"); /* empty counts as unset */
	ck_assert_str_eq(tm_node_scalar(tm_node_get(root, "d")), "xy");
	ck_assert_str_eq(tm_node_scalar(tm_node_get(root, "e")), "${TM_UNIT_LANG} costs $5");
	tree_free(&t);

	/* (Inside a flow list [ ] the braces would be YAML's: write a block
	 * list, or quote the scalar.) */
	ck_assert_ptr_null(parse(&t, "input:\n  paths:\n    - ${TM_UNIT_NOPE}\n"));
	ck_assert_str_eq(err.p, "pipeline.yaml:3:7: environment variable TM_UNIT_NOPE is not set "
				"(write ${TM_UNIT_NOPE:-default} for a fallback)");
	tree_free(&t);
	ck_assert_ptr_null(parse(&t, "a: ${TM_UNIT_LANG\n"));
	ck_assert_ptr_nonnull(strstr(err.p, "pipeline.yaml:1:4: unclosed '${'"));
	tree_free(&t);
	ck_assert_ptr_null(parse(&t, "a: ${}\n"));
	ck_assert_ptr_nonnull(strstr(err.p, "empty variable name"));
	tree_free(&t);
}
END_TEST

START_TEST(test_yaml_aliases)
{
	tree t = {0};
	const tm_node *root = parse(&t, "base: &b {min_chars: 3}\nuse: [*b, *b]\n");
	ck_assert_msg(root != NULL, "%s", err.p);
	const tm_node *use = tm_node_get(root, "use");
	ck_assert_uint_eq(tm_node_len(use), 2);
	ck_assert_ptr_eq(tm_node_child(use, 0), tm_node_get(root, "base")); /* shared, not copied */
	ck_assert_str_eq(tm_node_scalar(tm_node_get(tm_node_child(use, 1), "min_chars")), "3");
	tree_free(&t);

	ck_assert_ptr_null(parse(&t, "a: *nowhere\n"));
	ck_assert_str_eq(err.p, "pipeline.yaml:1:4: unknown alias *nowhere");
	tree_free(&t);
}
END_TEST

START_TEST(test_yaml_billion_laughs)
{
	/* Nine levels of nine aliases each: 9^9 strings if expanded. */
	buf yaml = {0};
	buf_puts(&yaml, "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i <= 9; i++) {
		buf_printf(&yaml, "l%d: &l%d [", i, i);
		for (int k = 0; k < 9; k++)
			buf_printf(&yaml, "%s*l%d", k ? ", " : "", i - 1);
		buf_puts(&yaml, "]\n");
	}
	tree t = {0};
	double t0 = now_seconds();
	ck_assert_ptr_null(parse(&t, yaml.p));
	double took = now_seconds() - t0;
	ck_assert_msg(took < 0.25, "took %.3f s", took);
	ck_assert_msg(strstr(err.p, "aliases expand to more than 100000 nodes; refusing the file"), "%s", err.p);
	ck_assert_msg(!strncmp(err.p, "pipeline.yaml:", 14), "%s", err.p);
	tree_free(&t);

	/* Through config_load as well, from a file. */
	t0 = now_seconds();
	ck_assert_int_eq(load(yaml.p, NULL), -1);
	ck_assert_msg(now_seconds() - t0 < 0.5, "took %.3f s", now_seconds() - t0);
	ck_assert_ptr_nonnull(strstr(err.p, cfg_path));
	ck_assert_ptr_nonnull(strstr(err.p, "aliases expand"));
	buf_free(&yaml);
}
END_TEST

START_TEST(test_yaml_one_document)
{
	tree t = {0};
	ck_assert_ptr_null(parse(&t, "workers: 2\n---\nworkers: 3\n"));
	ck_assert_str_eq(err.p, "pipeline.yaml:2:1: a config holds one YAML document; found a second one");
	tree_free(&t);
	/* One document with explicit markers is fine. */
	ck_assert_ptr_nonnull(parse(&t, "---\nworkers: 2\n...\n"));
	tree_free(&t);
}
END_TEST

START_TEST(test_yaml_deep_nesting)
{
	buf yaml = {0};
	for (int i = 0; i < 100; i++)
		buf_putc(&yaml, '[');
	for (int i = 0; i < 100; i++)
		buf_putc(&yaml, ']');
	tree t = {0};
	ck_assert_ptr_null(parse(&t, yaml.p));
	ck_assert_ptr_nonnull(strstr(err.p, "nested more than 64 levels deep"));
	tree_free(&t);
	buf_free(&yaml);
}
END_TEST

/* ---- pipeline configs ------------------------------------------------------- */

START_TEST(test_good_config)
{
	ck_assert_msg(load(GOOD_CONFIG "workers: 3\non_error: fail\nrejects: bad.jsonl\n", NULL) == 0, "%s", err.p);
	ck_assert_str_eq(pc.path, cfg_path);
	ck_assert_str_eq(pc.dir, dir);
	ck_assert_int_eq(pc.input_stdin, 0);
	ck_assert_uint_eq(tm_opt_list_len(pc.input, "paths"), 1);
	ck_assert_str_eq(tm_opt_list_item(pc.input, "paths", 0), "tin-tuc.jsonl");
	ck_assert_uint_eq(pc.workers, 3);
	ck_assert_int_eq(pc.workers_from, 1);
	ck_assert_int_eq(pc.fail_on_reject, 1);
	char *want = xasprintf("%s/bad.jsonl", dir); /* relative to the config */
	ck_assert_str_eq(pc.rejects, want);
	free(want);

	ck_assert_uint_eq(pc.n_stages, 1);
	const stage_conf *s = &pc.stages[0];
	ck_assert_str_eq(s->label, "stages.0");
	ck_assert_str_eq(s->entry->type.name, "filter.length");
	ck_assert_int_eq(tm_opt_int(s->opts, "min_chars"), 3);
	want = xasprintf("%s:5:16", cfg_path);
	ck_assert_str_eq(tm_opt_where(s->opts, "min_chars"), want);
	free(want);
	/* Not in the config: the plugin's default. */
	ck_assert_int_eq(tm_opt_isset(s->opts, "max_chars"), 1);
	ck_assert_int_eq(tm_opt_int(s->opts, "max_chars"), 0);

	ck_assert_uint_eq(pc.n_outputs, 1);
	ck_assert_str_eq(pc.outputs[0].label, "outputs.0");
	ck_assert_str_eq(pc.outputs[0].entry->type.name, "output.jsonl");
	want = xasprintf("%s/out/ket-qua.jsonl", dir);
	ck_assert_str_eq(tm_opt_string(pc.outputs[0].opts, "path"), want);
	free(want);

	/* config_print shows the values, and which are defaults. */
	buf out = {0};
	config_print(&pc, &out);
	ck_assert_ptr_nonnull(strstr(out.p, "workers: 3"));
	ck_assert_ptr_nonnull(strstr(out.p, "on_error: fail"));
	ck_assert_ptr_nonnull(strstr(out.p, "max_chars = 0    # default\n"));
	buf_free(&out);
}
END_TEST

START_TEST(test_defaults)
{
	ck_assert_msg(load("input: {paths: a.jsonl}\noutputs: [{type: output.jsonl, path: b.jsonl}]\n", NULL) == 0,
		      "%s", err.p);
	ck_assert_uint_eq(pc.n_stages, 0);
	ck_assert_int_eq(pc.fail_on_reject, 0); /* on_error: skip */
	ck_assert_ptr_null(pc.rejects);
	ck_assert_int_eq(pc.workers_from, 0);
	ck_assert_uint_ge(pc.workers, 1);
	ck_assert_uint_eq(pc.max_document_bytes, 64u << 20);
	/* A single path is a list of one. */
	ck_assert_uint_eq(tm_opt_list_len(pc.input, "paths"), 1);
	ck_assert_str_eq(tm_opt_string(pc.input, "type"), "files");
}
END_TEST

START_TEST(test_anchored_stages)
{
	ck_assert_msg(load("input: {paths: [a.jsonl]}\n"
			   "stages:\n"
			   "  - &short {type: filter.length, min_chars: 20}\n"
			   "  - *short\n"
			   "outputs: [{type: output.jsonl, path: b.jsonl}]\n",
			   NULL) == 0,
		      "%s", err.p);
	ck_assert_uint_eq(pc.n_stages, 2);
	ck_assert_int_eq(tm_opt_int(pc.stages[1].opts, "min_chars"), 20);
	ck_assert_str_eq(pc.stages[1].label, "stages.1");
}
END_TEST

START_TEST(test_unknown_top_key)
{
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nstagse:\n  - type: filter.length\n", NULL,
			     "%s:3:3: unknown key 'stagse'; did you mean 'stages'?");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nworkes: 2\n", NULL,
			     "%s:2:9: unknown key 'workes'; did you mean 'workers'?");
	/* Nothing close: the list of keys. */
	ck_assert_load_fails(
		"input: {paths: [a.jsonl]}\nxyzzy: 1\n", NULL,
		"unknown key 'xyzzy' (expected input, stages, outputs, workers, plugin_path, on_error, rejects, "
		"max_document_bytes)");
}
END_TEST

START_TEST(test_unknown_stage_type)
{
	ck_assert_load_fails("input: {paths: [a.jsonl]}\n"
			     "stages:\n"
			     "  - type: filter.lenght\n"
			     "outputs: [{type: output.jsonl, path: b.jsonl}]\n",
			     NULL, "%s:3:11: unknown stage type 'filter.lenght'; did you mean 'filter.length'?");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\n"
			     "outputs: [{type: output.jsnol, path: b.jsonl}]\n",
			     NULL, "%s:2:18: unknown stage type 'output.jsnol'; did you mean 'output.jsonl'?");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\n"
			     "stages: [{type: qqq.zzz}]\n",
			     NULL, "unknown stage type 'qqq.zzz' (see `textmill plugins`)");
	/* In the wrong list. */
	ck_assert_load_fails("input: {paths: [a.jsonl]}\n"
			     "stages: [{type: output.jsonl, path: b.jsonl}]\n",
			     NULL, "'output.jsonl' is an output, so it belongs under 'outputs:'");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\n"
			     "outputs: [{type: filter.length}]\n",
			     NULL, "'filter.length' is a processing stage, so it belongs under 'stages:'");
}
END_TEST

START_TEST(test_stage_shapes)
{
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nstages: filter.length\n", NULL,
			     "%s:2:9: 'stages' expects a list of stages, not a scalar");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nstages:\n  - filter.length\n", NULL,
			     "%s:3:5: write a stage as a mapping: '- type: filter.length'");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nstages:\n  - min_chars: 3\n", NULL,
			     "%s:3:5: each entry of 'stages' needs 'type: NAME'");
	ck_assert_load_fails("- type: filter.length\n", NULL,
			     "%s:1:1: a config is a mapping with input, stages and outputs; this is a list");
}
END_TEST

START_TEST(test_unknown_option)
{
	ck_assert_load_fails("input: {paths: [a.jsonl]}\n"
			     "stages:\n"
			     "  - type: filter.length\n"
			     "    min_char: 5\n",
			     NULL, "%s:4:15: unknown option 'min_char'; did you mean 'min_chars'?");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\n"
			     "stages: [{type: filter.length, language: vi}]\n",
			     NULL, "unknown option 'language' (options: min_chars max_chars");
	ck_assert_load_fails("input: {paths: [a.jsonl], format: jsonl}\n", NULL,
			     "unknown option 'format' (options: type paths id_key text_key warc_types warc_text)");
}
END_TEST

START_TEST(test_option_types)
{
	ck_assert_load_fails("input: {paths: [a.jsonl]}\n"
			     "stages:\n"
			     "  - type: filter.length\n"
			     "    min_chars: lots\n",
			     NULL, "%s:4:16: option 'min_chars' expects an integer, not \"lots\"");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nstages: [{type: filter.length, min_chars: 2.5}]\n", NULL,
			     "option 'min_chars' expects an integer, not \"2.5\"");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nstages: [{type: filter.length, min_chars: [1]}]\n", NULL,
			     "option 'min_chars' expects an integer, not a list");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nstages: [{type: filter.length, min_chars: ''}]\n", NULL,
			     "option 'min_chars' expects an integer, not \"\"");
	ck_assert_load_fails("input: {paths: {a: 1}}\n", NULL,
			     "option 'paths' expects a list of strings; item 0 is a mapping");
	ck_assert_load_fails("input: {paths: [a.jsonl, [b]]}\n", NULL,
			     "option 'paths' expects a list of strings; item 1 is a list");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\noutputs: [{type: output.jsonl, path: [x]}]\n", NULL,
			     "option 'path' expects a path, not a list");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nworkers: many\n", NULL,
			     "%s:2:10: option 'workers' expects an integer, not \"many\"");
}
END_TEST

START_TEST(test_enum_and_ranges)
{
	ck_assert_load_fails("input: {paths: [a.jsonl]}\non_error: explode\n", NULL,
			     "%s:2:11: option 'on_error' is one of skip|fail, not \"explode\"");
	ck_assert_load_fails("input: {type: kafka}\n", NULL,
			     "option 'type' is one of files|stdin|warc, not \"kafka\"");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nworkers: 0\n", NULL,
			     "%s:2:10: workers must be between 1 and 1024, not 0");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nworkers: 5000\n", NULL,
			     "workers must be between 1 and 1024, not 5000");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nmax_document_bytes: 0\n", NULL,
			     "%s:2:21: max_document_bytes must be between 1 and 1073741824 (1 GiB), not 0");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nmax_document_bytes: 2G\n", NULL,
			     "option 'max_document_bytes' expects an integer");
	const char *too_big[] = {"max_document_bytes=1073741825"};
	overrides ov = {.sets = too_big, .n_sets = 1};
	ck_assert_load_fails("input: {paths: [a.jsonl]}\n", &ov,
			     "--set max_document_bytes: max_document_bytes must be between 1 and 1073741824 (1 GiB), "
			     "not 1073741825");
}
END_TEST

START_TEST(test_required_and_missing)
{
	ck_assert_load_fails("input: {paths: [a.jsonl]}\noutputs:\n  - type: output.jsonl\n", NULL,
			     "%s:3:5: option 'path' is required (file to write ('-' for stdout))");
	ck_assert_load_fails("input: {paths: [a.jsonl]}\nstages: [{type: filter.length}]\n", NULL,
			     "%s: no outputs: add 'outputs:' or give one with -o");
	ck_assert_load_fails("outputs: [{type: output.jsonl, path: b.jsonl}]\n", NULL,
			     "%s: no 'input:' (add one, or give files with -i)");
	ck_assert_load_fails("input: {type: files}\n", NULL, "%s:1:8: input of type files needs 'paths'");
	ck_assert_load_fails("input: [a.jsonl]\n", NULL, "'input' expects a mapping (type, paths), not a list");
	/* An empty file: nothing at all. */
	ck_assert_load_fails("", NULL, "no 'input:'");

	/* A config file that is not there, or not UTF-8. */
	config_free(&pc);
	buf_clear(&err);
	char *missing = xasprintf("%s/nowhere.yaml", dir);
	ck_assert_int_eq(config_load(&pc, missing, NULL, &err), -1);
	char *want = xasprintf("%s: No such file or directory", missing);
	ck_assert_str_eq(err.p, want);
	free(want);
	free(missing);
	ck_assert_load_fails("input: {paths: [tin-t\xfb\x63.jsonl]}\n", NULL, "%s: not valid UTF-8 (at byte 22)");
}
END_TEST

START_TEST(test_env_in_config)
{
	setenv("TM_UNIT_MIN", "7", 1);
	unsetenv("TM_UNIT_MAX");
	unsetenv("TM_UNIT_OUT");
	const char *yaml = "input: {paths: [a.jsonl]}\n"
			   "stages:\n"
			   "  - type: filter.length\n"
			   "    min_chars: ${TM_UNIT_MIN}\n"
			   "    max_chars: ${TM_UNIT_MAX:-120}\n"
			   "outputs: [{type: output.jsonl, path: b.jsonl}]\n";
	ck_assert_msg(load(yaml, NULL) == 0, "%s", err.p);
	ck_assert_int_eq(tm_opt_int(pc.stages[0].opts, "min_chars"), 7);
	ck_assert_int_eq(tm_opt_int(pc.stages[0].opts, "max_chars"), 120);

	setenv("TM_UNIT_MAX", "lots", 1);
	ck_assert_load_fails(yaml, NULL, "%s:5:16: option 'max_chars' expects an integer, not \"lots\"");

	ck_assert_load_fails("input: {paths: [a.jsonl]}\n"
			     "outputs:\n"
			     "  - type: output.jsonl\n"
			     "    path: ${TM_UNIT_OUT}/b.jsonl\n",
			     NULL, "%s:4:11: environment variable TM_UNIT_OUT is not set");
}
END_TEST

START_TEST(test_set_overrides)
{
	const char *sets[] = {"stages.0.min_chars=5", "workers=2", "on_error=fail", "stages.0.max_chars=80"};
	overrides ov = {.sets = sets, .n_sets = 4};
	ck_assert_msg(load(GOOD_CONFIG, &ov) == 0, "%s", err.p);
	ck_assert_int_eq(tm_opt_int(pc.stages[0].opts, "min_chars"), 5);
	ck_assert_int_eq(tm_opt_int(pc.stages[0].opts, "max_chars"), 80);
	ck_assert_str_eq(tm_opt_where(pc.stages[0].opts, "min_chars"), "--set stages.0.min_chars");
	ck_assert_uint_eq(pc.workers, 2);
	ck_assert_int_eq(pc.fail_on_reject, 1);
	const char *max[] = {"max_document_bytes=1000"};
	overrides ov1 = {.sets = max, .n_sets = 1};
	ck_assert_msg(load(GOOD_CONFIG, &ov1) == 0, "%s", err.p);
	ck_assert_uint_eq(pc.max_document_bytes, 1000);

	/* A value is YAML: a list replaces a list. */
	const char *paths[] = {"input.paths=[a.jsonl, b.jsonl.gz]"};
	overrides ov2 = {.sets = paths, .n_sets = 1};
	ck_assert_msg(load(GOOD_CONFIG, &ov2) == 0, "%s", err.p);
	ck_assert_uint_eq(tm_opt_list_len(pc.input, "paths"), 2);
	ck_assert_str_eq(tm_opt_list_item(pc.input, "paths", 1), "b.jsonl.gz");

	/* -j wins over the config and --set. */
	overrides ov3 = {.sets = sets, .n_sets = 2, .workers = 6};
	ck_assert_msg(load(GOOD_CONFIG, &ov3) == 0, "%s", err.p);
	ck_assert_uint_eq(pc.workers, 6);
	ck_assert_int_eq(pc.workers_from, 2);
}
END_TEST

START_TEST(test_set_errors)
{
	const char *out_of_range[] = {"stages.3.min_chars=5"};
	overrides ov = {.sets = out_of_range, .n_sets = 1};
	ck_assert_load_fails(GOOD_CONFIG, &ov, "--set stages.3.min_chars: '%s:4:3' is a list of 1");
	ck_assert_ptr_nonnull(strstr(err.p, "'3' is not an index into it"));

	const char *not_index[] = {"stages.first.min_chars=5"};
	ov.sets = not_index;
	ck_assert_load_fails(GOOD_CONFIG, &ov, "'first' is not an index into it");

	const char *into_scalar[] = {"stages.0.min_chars.x=5"};
	ov.sets = into_scalar;
	ck_assert_load_fails(GOOD_CONFIG, &ov,
			     "--set stages.0.min_chars.x: cannot set 'x' inside the scalar at %s:5:16");

	const char *no_eq[] = {"workers"};
	ov.sets = no_eq;
	ck_assert_load_fails(GOOD_CONFIG, &ov, "--set workers: expected KEY=VALUE, e.g. --set workers=2");

	const char *bad_yaml[] = {"stages.0.min_chars=[1"};
	ov.sets = bad_yaml;
	ck_assert_load_fails(GOOD_CONFIG, &ov, "--set stages.0.min_chars:");

	/* A value that is the wrong type is reported at the --set. */
	const char *bad_type[] = {"stages.0.min_chars=nhiều"};
	ov.sets = bad_type;
	ck_assert_load_fails(GOOD_CONFIG, &ov,
			     "--set stages.0.min_chars: option 'min_chars' expects an integer, not \"nhiều\"");

	/* A misspelt key is as unknown from --set as from the file. */
	const char *typo[] = {"stagse.0.min_chars=5"};
	ov.sets = typo;
	ck_assert_load_fails(GOOD_CONFIG, &ov, "unknown key 'stagse'; did you mean 'stages'?");
}
END_TEST

START_TEST(test_input_output_overrides)
{
	/* -i replaces the configured paths, relative to where we are. */
	const char *inputs[] = {"moi.jsonl", "/data/cu.txt.gz"};
	overrides ov = {.inputs = inputs, .n_inputs = 2};
	ck_assert_msg(load(GOOD_CONFIG, &ov) == 0, "%s", err.p);
	ck_assert_uint_eq(tm_opt_list_len(pc.input, "paths"), 2);
	char cwd[4096];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	char *want = xasprintf("%s/moi.jsonl", cwd);
	ck_assert_str_eq(tm_opt_list_item(pc.input, "paths", 0), want);
	free(want);
	ck_assert_str_eq(tm_opt_list_item(pc.input, "paths", 1), "/data/cu.txt.gz");

	/* -i - reads stdin. */
	const char *dash[] = {"-"};
	overrides ov2 = {.inputs = dash, .n_inputs = 1};
	ck_assert_msg(load(GOOD_CONFIG, &ov2) == 0, "%s", err.p);
	ck_assert_int_eq(pc.input_stdin, 1);

	/* -o picks the output by the file's ending and replaces the outputs. */
	overrides ov3 = {.output = "/tmp/ket-qua.jsonl"};
	ck_assert_msg(load("input: {paths: [a.jsonl]}\n", &ov3) == 0, "%s", err.p);
	ck_assert_uint_eq(pc.n_outputs, 1);
	ck_assert_str_eq(pc.outputs[0].entry->type.name, "output.jsonl");
	ck_assert_str_eq(tm_opt_string(pc.outputs[0].opts, "path"), "/tmp/ket-qua.jsonl");
	overrides ov4 = {.output = "-"};
	ck_assert_msg(load(GOOD_CONFIG, &ov4) == 0, "%s", err.p);
	ck_assert_str_eq(tm_opt_string(pc.outputs[0].opts, "path"), "-");

	overrides ov5 = {.output = "ket-qua.xyz"};
	ck_assert_load_fails(GOOD_CONFIG, &ov5,
			     "-o ket-qua.xyz: no output stage writes files like this; known endings:");
	ck_assert_ptr_nonnull(strstr(err.p, " .jsonl (output.jsonl)"));
}
END_TEST

START_TEST(test_plugin_path)
{
	/* Plugins named in the config join the built-ins. */
	char *yaml = xasprintf("plugin_path: [%s/faulty.so]\n"
			       "input: {paths: [a.jsonl]}\n"
			       "stages: [{type: test.reject_every, match: x}, {type: filter.length}]\n"
			       "outputs: [{type: output.jsonl, path: b.jsonl}]\n",
			       test_env("TM_TEST_PLUGINS"));
	ck_assert_msg(load(yaml, NULL) == 0, "%s", err.p);
	ck_assert_str_eq(pc.stages[0].entry->type.name, "test.reject_every");
	ck_assert_str_eq(tm_opt_string(pc.stages[0].opts, "match"), "x");
	free(yaml);

	/* A broken plugin on the path stops the load with the loader's message. */
	yaml = xasprintf("plugin_path: %s/bad_abi.so\ninput: {paths: [a.jsonl]}\n", test_env("TM_TEST_PLUGINS"));
	ck_assert_load_fails(yaml, NULL, "bad_abi.so: built for textmill plugin ABI 42");
	free(yaml);
	ck_assert_load_fails("plugin_path: [{a: 1}]\ninput: {paths: [a.jsonl]}\n", NULL,
			     "%s:1:15: plugin_path expects a list of paths");
	ck_assert_load_fails("plugin_path: [no-such-dir]\ninput: {paths: [a.jsonl]}\n", NULL,
			     "no-such-dir: No such file or directory");

	/* The built-in directory named again, as the user might in
	 * TEXTMILL_PLUGIN_PATH: the same plugins, no clash. */
	char *again = xasprintf("%s/plugins/", test_env("TM_BUILD_DIR"));
	setenv("TEXTMILL_PLUGIN_PATH", again, 1);
	ck_assert_msg(load(GOOD_CONFIG, NULL) == 0, "%s", err.p);
	free(again);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("yaml");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_yaml_tree);
	tcase_add_test(tc, test_yaml_syntax_errors);
	tcase_add_test(tc, test_yaml_duplicate_key);
	tcase_add_test(tc, test_yaml_env);
	tcase_add_test(tc, test_yaml_aliases);
	tcase_add_test(tc, test_yaml_billion_laughs);
	tcase_add_test(tc, test_yaml_one_document);
	tcase_add_test(tc, test_yaml_deep_nesting);
	suite_add_tcase(s, tc);

	tc = tcase_create("pipeline");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_good_config);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_anchored_stages);
	tcase_add_test(tc, test_unknown_top_key);
	tcase_add_test(tc, test_unknown_stage_type);
	tcase_add_test(tc, test_stage_shapes);
	tcase_add_test(tc, test_unknown_option);
	tcase_add_test(tc, test_option_types);
	tcase_add_test(tc, test_enum_and_ranges);
	tcase_add_test(tc, test_required_and_missing);
	tcase_add_test(tc, test_env_in_config);
	tcase_add_test(tc, test_set_overrides);
	tcase_add_test(tc, test_set_errors);
	tcase_add_test(tc, test_input_output_overrides);
	tcase_add_test(tc, test_plugin_path);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	/* Plugins from this build only, whatever the environment says. */
	unsetenv("TEXTMILL_PLUGIN_PATH");
	use_build_plugins();
	return run_suite(config_suite());
}
