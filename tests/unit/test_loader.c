/* test_loader.c -- loading plugins (loader.c): every way a plugin can be
 * refused, with the message the user sees, and a good load. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static registry reg;
static buf err;

static void setup(void)
{
	memset(&reg, 0, sizeof reg);
	memset(&err, 0, sizeof err);
}

static void teardown(void)
{
	registry_free(&reg);
	buf_free(&err);
}

/* $TM_TEST_PLUGINS/name, $TM_BUILD_DIR/plugins/name, $TM_SOURCE_DIR/name. */
static char *test_plugin(const char *name) { return xasprintf("%s/%s", test_env("TM_TEST_PLUGINS"), name); }
static char *builtin(const char *name) { return xasprintf("%s/plugins/%s", test_env("TM_BUILD_DIR"), name); }
static char *source_file(const char *name) { return xasprintf("%s/%s", test_env("TM_SOURCE_DIR"), name); }

#define ck_assert_err_has(want) \
	ck_assert_msg(err.p &&strstr(err.p, (want)), "error \"%s\" lacks \"%s\"", err.p ? err.p : "", (want))

/* ---- refusals -------------------------------------------------------------- */

START_TEST(test_missing_file)
{
	ck_assert_int_eq(registry_load(&reg, "/nonexistent/textmill/ner.so", &err), -1);
	ck_assert_str_eq(err.p, "plugin path /nonexistent/textmill/ner.so: No such file or directory");
	ck_assert_uint_eq(reg.n, 0);
}
END_TEST

START_TEST(test_not_a_shared_object)
{
	char *path = source_file("tests/fixtures/not_a_plugin.so");
	ck_assert_int_eq(registry_load(&reg, path, &err), -1);
	char *want = xasprintf("plugin %s: cannot load it: ", path);
	ck_assert_err_has(want);
	/* Then dlerror()'s own words, which name the file and what is wrong. */
	const char *why = err.p + strlen(want);
	ck_assert_ptr_nonnull(strstr(why, path));
	ck_assert_msg(strstr(why, "ELF") || strstr(why, "too short"), "dlerror text: %s", why);
	ck_assert_uint_eq(reg.n, 0);
	ck_assert_uint_eq(reg.n_handles, 0);
	free(want);
	free(path);
}
END_TEST

START_TEST(test_no_symbol)
{
	char *path = test_plugin("no_symbol.so");
	ck_assert_int_eq(registry_load(&reg, path, &err), -1);
	char *want = xasprintf("plugin %s: not a textmill plugin: it does not export the symbol "
			       "'textmill_plugin'",
			       path);
	ck_assert_str_eq(err.p, want);
	ck_assert_uint_eq(reg.n_handles, 0);
	free(want);
	free(path);
}
END_TEST

START_TEST(test_bad_abi)
{
	char *path = test_plugin("bad_abi.so");
	ck_assert_int_eq(registry_load(&reg, path, &err), -1);
	/* Both versions, so the user knows which side is out of date. */
	ck_assert_err_has(path);
	ck_assert_err_has("built for textmill plugin ABI 42");
	ck_assert_err_has("this textmill has ABI 1");
	ck_assert_err_has("rebuild the plugin");
	ck_assert_ptr_null(registry_find(&reg, "test.bad_abi"));
	ck_assert_uint_eq(reg.n, 0);
	free(path);
}
END_TEST

START_TEST(test_unknown_flags)
{
	char *path = test_plugin("bad_flags.so");
	ck_assert_int_eq(registry_load(&reg, path, &err), -1);
	char *want = xasprintf("plugin %s: stage type 'test.future_flags' sets flags this textmill does not know "
			       "(0x40000000); it needs a newer textmill",
			       path);
	ck_assert_str_eq(err.p, want);
	/* The whole plugin is refused, its good stage type too. */
	ck_assert_uint_eq(reg.n, 0);
	ck_assert_uint_eq(reg.n_handles, 0);
	ck_assert_ptr_null(registry_find(&reg, "test.plain_flags"));
	free(want);
	free(path);
}
END_TEST

START_TEST(test_duplicate_stage)
{
	char *filter = builtin("filter.so"), *dup = test_plugin("dup_stage.so");
	ck_assert_int_eq(registry_load(&reg, filter, &err), 0);
	size_t stages = reg.n; /* filter.so's stage types */
	ck_assert_int_eq(registry_load(&reg, dup, &err), -1);
	char *want = xasprintf("stage type 'filter.length' is provided by two plugins: %s and %s", filter, dup);
	ck_assert_str_eq(err.p, want);
	/* The first one stays, untouched by the failed load. */
	ck_assert_uint_eq(reg.n, stages);
	ck_assert_uint_eq(reg.n_handles, 1);
	const stage_entry *e = registry_find(&reg, "filter.length");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->file, filter);
	ck_assert_str_ne(e->type.summary, "impostor");
	free(want);
	free(filter);
	free(dup);
}
END_TEST

START_TEST(test_bad_settings_table)
{
	char *path = test_plugin("bad_settings.so");
	ck_assert_int_eq(registry_load(&reg, path, &err), -1);
	char *want = xasprintf("plugin %s: stage type test.bad_settings: option 'far': its field lies outside "
			       "the settings struct (settings_size)",
			       path);
	ck_assert_str_eq(err.p, want);
	ck_assert_uint_eq(reg.n, 0);
	free(want);
	free(path);
}
END_TEST

START_TEST(test_directory_stops_at_first_bad_plugin)
{
	/* A directory loads its *.so in name order; bad_abi.so comes first. */
	ck_assert_int_eq(registry_load(&reg, test_env("TM_TEST_PLUGINS"), &err), -1);
	ck_assert_err_has("/bad_abi.so: built for textmill plugin ABI 42");
	ck_assert_ptr_null(strstr(err.p, "no_symbol")); /* one message, the first */
}
END_TEST

/* ---- good loads -------------------------------------------------------------- */

static const tm_option *find_option(const stage_entry *e, const char *name)
{
	for (const tm_option *o = e->options; o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

START_TEST(test_builtin_dir)
{
	char *dir = xasprintf("%s/plugins", test_env("TM_BUILD_DIR"));
	ck_assert_msg(registry_load(&reg, dir, &err) == 0, "%s", err.p);
	ck_assert_ptr_null(err.p);
	ck_assert_uint_ge(reg.n, 2);

	const stage_entry *f = registry_find(&reg, "filter.length");
	ck_assert_ptr_nonnull(f);
	char *want = builtin("filter.so");
	ck_assert_str_eq(f->file, want);
	free(want);
	ck_assert_int_eq(f->type.flags & TM_STAGE_OUTPUT, 0);
	ck_assert_ptr_nonnull(f->type.create);
	ck_assert_ptr_nonnull(f->type.process);
	const tm_option *o = find_option(f, "min_chars");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->type, TM_OPT_INT);
	ck_assert_str_eq(o->default_value, "1");
	ck_assert_int_eq(o->required, 0);
	o = find_option(f, "max_chars");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->type, TM_OPT_INT);
	ck_assert_str_eq(o->default_value, "0");
	ck_assert_ptr_null(find_option(f, "min_char"));
	/* The registry's copies, not the plugin's table. */
	ck_assert_ptr_eq(f->type.options, f->options);

	const stage_entry *out = registry_find(&reg, "output.jsonl");
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_ne(out->type.flags & TM_STAGE_OUTPUT, 0);
	ck_assert_str_eq(out->type.extensions, ".jsonl");
	o = find_option(out, "path");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->type, TM_OPT_PATH);
	ck_assert_int_ne(o->required, 0);
	ck_assert_ptr_null(o->default_value);

	ck_assert_ptr_null(registry_find(&reg, "filter"));
	free(dir);
}
END_TEST

START_TEST(test_same_file_twice)
{
	char *filter = builtin("filter.so");
	ck_assert_int_eq(registry_load(&reg, filter, &err), 0);
	size_t stages = reg.n;
	ck_assert_int_eq(registry_load(&reg, filter, &err), 0);
	ck_assert_uint_eq(reg.n, stages);
	ck_assert_uint_eq(reg.n_handles, 1);
	free(filter);
}
END_TEST

START_TEST(test_same_dir_spelled_twice)
{
	/* The built-in directory also named on TEXTMILL_PLUGIN_PATH, written
	 * with a trailing slash: the same plugins, not a clash. */
	char *dir = xasprintf("%s/plugins", test_env("TM_BUILD_DIR"));
	char *slash = xasprintf("%s/plugins/", test_env("TM_BUILD_DIR"));
	ck_assert_int_eq(registry_load(&reg, dir, &err), 0);
	size_t n = reg.n;
	ck_assert_msg(registry_load(&reg, slash, &err) == 0, "%s", err.p);
	ck_assert_uint_eq(reg.n, n);
	free(dir);
	free(slash);
}
END_TEST

START_TEST(test_test_plugin_stages)
{
	char *faulty = test_plugin("faulty.so");
	ck_assert_msg(registry_load(&reg, faulty, &err) == 0, "%s", err.p);
	static const char *const names[] = {
		"test.reject_every", "test.fail_finish", "test.annotate", "test.rewrite", "test.last_worker_fails",
		"test.take_sigurg",  "test.hang",        "test.slow",     "test.crash",   "test.fail_output",
		"test.fill_disk",    "test.write_files"};
	ck_assert_uint_eq(reg.n, sizeof names / sizeof *names);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		ck_assert_str_eq(reg.e[i].type.name, names[i]); /* in the plugin's order */
		ck_assert_str_eq(reg.e[i].file, faulty);
	}
	ck_assert_ptr_nonnull(registry_find(&reg, "test.fail_finish")->type.finish);
	ck_assert_ptr_null(registry_find(&reg, "test.annotate")->type.finish);
	ck_assert_uint_ne(registry_find(&reg, "test.reject_every")->type.flags & TM_STAGE_PARALLEL, 0);
	free(faulty);
}
END_TEST

/* Built against the headers from before the settings fields: its tables
 * are copied at their old sizes, and the new fields read as zero. */
START_TEST(test_old_abi_plugin)
{
	char *path = test_plugin("old_abi.so");
	ck_assert_msg(registry_load(&reg, path, &err) == 0, "%s", err.p);
	const stage_entry *e = registry_find(&reg, "test.old_abi");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->type.settings_size, 0);
	ck_assert_ptr_null(e->type.writes);
	const tm_option *o = find_option(e, "times");
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->default_value, "2");
	ck_assert_uint_eq(o->offset, 0);
	ck_assert_uint_eq(o->size, 0);
	ck_assert(o->min == 0 && o->max == 0);
	ck_assert_str_eq(find_option(e, "word")->help, "a word");
	ck_assert_ptr_null(e->options[2].name);
	free(path);
}
END_TEST

/* ---- who may change a plugin ------------------------------------------------ */

/* faulty.so copied to dir/name, with mode; returns the path. */
static char *copy_plugin(const char *dir, const char *name, mode_t mode)
{
	char *from = test_plugin("faulty.so");
	FILE *f = fopen(from, "rb");
	ck_assert_ptr_nonnull(f);
	buf data = {0};
	char block[65536];
	size_t n;
	while ((n = fread(block, 1, sizeof block, f)) > 0)
		buf_put(&data, block, n);
	fclose(f);
	char *to = write_file_n(dir, name, data.p, data.len);
	ck_assert_int_eq(chmod(to, mode), 0);
	buf_free(&data);
	free(from);
	return to;
}

static char *make_dir(const char *parent, const char *name, mode_t mode)
{
	char *dir = xasprintf("%s/%s", parent, name);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(chmod(dir, mode), 0);
	return dir;
}

START_TEST(test_unsafe_folder)
{
	char *top = make_temp_dir();
	char *dir = make_dir(top, "plugins", 0777);
	char *so = copy_plugin(dir, "faulty.so", 0644);
	ck_assert_int_eq(registry_load(&reg, so, &err), -1);
	char *want = xasprintf("plugin %s: not loaded: %s is writable by everyone (mode 0777), who could replace the "
			       "plugin; fix it with: chmod o-w %s",
			       so, dir, dir);
	ck_assert_str_eq(err.p, want);
	ck_assert_uint_eq(reg.n_handles, 0);
	/* Loading the folder is refused the same way. */
	buf_clear(&err);
	ck_assert_int_eq(registry_load(&reg, dir, &err), -1);
	ck_assert_err_has("is writable by everyone");
	/* And a link from a safe place to it: the real path is what counts. */
	char *link = xasprintf("%s/link.so", top);
	ck_assert_int_eq(symlink(so, link), 0);
	buf_clear(&err);
	ck_assert_int_eq(registry_load(&reg, link, &err), -1);
	ck_assert_err_has(dir);
	/* Fixed as the message says, it loads. */
	ck_assert_int_eq(chmod(dir, 0755), 0);
	buf_clear(&err);
	ck_assert_msg(registry_load(&reg, link, &err) == 0, "%s", err.p);
	rm_rf(top);
	free(want), free(link), free(so), free(dir), free(top);
}
END_TEST

START_TEST(test_unsafe_file)
{
	char *top = make_temp_dir();
	char *so = copy_plugin(top, "faulty.so", 0646);
	ck_assert_int_eq(registry_load(&reg, so, &err), -1);
	ck_assert_err_has("is writable by everyone (mode 0646)");
	ck_assert_err_has("chmod o-w");
	/* Group-writable, by a group that is not the user's own. */
	if (geteuid() == 0 && chown(so, (uid_t)-1, 65534) == 0) {
		ck_assert_int_eq(chmod(so, 0664), 0);
		buf_clear(&err);
		ck_assert_int_eq(registry_load(&reg, so, &err), -1);
		ck_assert_err_has("is writable by its group (mode 0664)");
		ck_assert_err_has("chmod g-w");
		/* Owned by someone else: they could replace it. */
		ck_assert_int_eq(chmod(so, 0644), 0);
		ck_assert_int_eq(chown(so, 65534, (gid_t)-1), 0);
		buf_clear(&err);
		ck_assert_int_eq(registry_load(&reg, so, &err), -1);
		ck_assert_err_has("(uid 65534), who could replace the plugin");
	}
	rm_rf(top);
	free(so), free(top);
}
END_TEST

START_TEST(test_sticky_folder)
{
	/* Like /tmp: anyone may add files, nobody may replace another's. */
	char *top = make_temp_dir();
	char *dir = make_dir(top, "shared", 01777);
	char *so = copy_plugin(dir, "faulty.so", 0644);
	ck_assert_msg(registry_load(&reg, so, &err) == 0, "%s", err.p);
	rm_rf(top);
	free(so), free(dir), free(top);
}
END_TEST

START_TEST(test_suggest)
{
	char *dir = xasprintf("%s/plugins", test_env("TM_BUILD_DIR"));
	ck_assert_int_eq(registry_load(&reg, dir, &err), 0);
	ck_assert_str_eq(registry_suggest(&reg, "filter.lenght", 0), "filter.length");
	ck_assert_str_eq(registry_suggest(&reg, "filtre.length", 0), "filter.length");
	ck_assert_str_eq(registry_suggest(&reg, "output.jsnl", TM_STAGE_OUTPUT), "output.jsonl");
	/* Stages are suggested for stages, outputs for outputs. */
	ck_assert_ptr_null(registry_suggest(&reg, "output.jsonl", 0));
	ck_assert_ptr_null(registry_suggest(&reg, "filter.length", TM_STAGE_OUTPUT));
	ck_assert_ptr_null(registry_suggest(&reg, "qqq.zzz", 0));
	free(dir);
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("refusals");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_not_a_shared_object);
	tcase_add_test(tc, test_no_symbol);
	tcase_add_test(tc, test_bad_abi);
	tcase_add_test(tc, test_unknown_flags);
	tcase_add_test(tc, test_duplicate_stage);
	tcase_add_test(tc, test_bad_settings_table);
	tcase_add_test(tc, test_directory_stops_at_first_bad_plugin);
	tcase_add_test(tc, test_unsafe_folder);
	tcase_add_test(tc, test_unsafe_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("loads");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_builtin_dir);
	tcase_add_test(tc, test_same_file_twice);
	tcase_add_test(tc, test_same_dir_spelled_twice);
	tcase_add_test(tc, test_test_plugin_stages);
	tcase_add_test(tc, test_old_abi_plugin);
	tcase_add_test(tc, test_sticky_folder);
	tcase_add_test(tc, test_suggest);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(loader_suite()); }
