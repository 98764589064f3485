/* test_options.c -- option tables that fill a settings struct (options.c):
 * every type into its member, defaults, bounds and their messages, the
 * checks of a plugin's table, and reads of undeclared names. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

typedef struct all {
	const char *s;
	const char *path;
	long long big;
	int small;
	short tiny;
	double ratio;
	float f;
	int flag;
	char flag8;
	short mode;
	tm_strings tags;
	const char *const *names;
	const char *map;
	int unset_int;
	const char *unset_str;
} all;

static const tm_option all_options[] = {
	{.name = "s", .type = TM_OPT_STRING, .default_value = "dflt", TM_FIELD(all, s)},
	{.name = "path", .type = TM_OPT_PATH, TM_FIELD(all, path)},
	{.name = "big", .type = TM_OPT_INT, TM_FIELD(all, big)},
	{.name = "small", .type = TM_OPT_INT, .min = -5, .max = 5, TM_FIELD(all, small)},
	{.name = "tiny", .type = TM_OPT_INT, .min = 0, .max = 255, TM_FIELD(all, tiny)},
	{.name = "ratio", .type = TM_OPT_FLOAT, .default_value = "0.25", .min = 0, .max = 1, TM_FIELD(all, ratio)},
	{.name = "f", .type = TM_OPT_FLOAT, TM_FIELD(all, f)},
	{.name = "flag", .type = TM_OPT_BOOL, .default_value = "yes", TM_FIELD(all, flag)},
	{.name = "flag8", .type = TM_OPT_BOOL, TM_FIELD(all, flag8)},
	{.name = "mode", .type = TM_OPT_ENUM, .default_value = "b", .choices = "a|b|c", TM_FIELD(all, mode)},
	{.name = "tags", .type = TM_OPT_LIST, TM_FIELD(all, tags)},
	{.name = "names", .type = TM_OPT_LIST, .default_value = "[x, y]", TM_FIELD(all, names)},
	{.name = "map", .type = TM_OPT_MAP, TM_FIELD(all, map)},
	{.name = "unset_int", .type = TM_OPT_INT, TM_FIELD(all, unset_int)},
	{.name = "unset_str", .type = TM_OPT_STRING, TM_FIELD(all, unset_str)},
	{.name = "by_name_only", .type = TM_OPT_INT, .default_value = "7"},
	{0},
};

static tree t;
static buf err;
static tm_options *opts;

static void setup(void)
{
	memset(&t, 0, sizeof t);
	memset(&err, 0, sizeof err);
	opts = NULL;
}

static void teardown(void)
{
	options_free(opts);
	tree_free(&t);
	buf_free(&err);
}

/* Bind `yaml` (a mapping) against the table, with a settings struct. */
static tm_options *bind(const tm_option *decl, size_t size, const char *yaml)
{
	buf_clear(&err);
	tm_node *map = yaml_load(&t, yaml, strlen(yaml), "conf.yaml", &err);
	ck_assert_msg(map != NULL, "%s", err.p);
	options_free(opts);
	opts = options_bind(decl, size, map, NULL, "base", &err);
	return opts;
}

#define ck_assert_bind_fails(decl, size, yaml, want)                                                               \
	do {                                                                                                       \
		ck_assert_ptr_null(bind(decl, size, yaml));                                                        \
		ck_assert_msg(err.p &&strstr(err.p, want), "error \"%s\" lacks \"%s\"", err.p ? err.p : "", want); \
	} while (0)

START_TEST(test_fills_every_type)
{
	ck_assert_msg(bind(all_options, sizeof(all),
			   "{s: hi, path: data/x.txt, big: 5000000000, small: -5, tiny: 255, f: 1.5, flag8: on,\n"
			   " mode: c, tags: [p, q, r], map: {a: yes, b: '3', c: 3, d: [on, null, 2.5], e: ~}}") !=
			      NULL,
		      "%s", err.p);
	const all *s = tm_opt_settings(opts);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->s, "hi");
	ck_assert_str_eq(s->path, "base/data/x.txt"); /* resolved against the config's folder */
	ck_assert_int_eq(s->big, 5000000000LL);
	ck_assert_int_eq(s->small, -5);
	ck_assert_uint_eq(s->tiny, 255);
	ck_assert_double_eq(s->ratio, 0.25); /* the default */
	ck_assert_float_eq(s->f, 1.5f);
	ck_assert_int_eq(s->flag, 1); /* default "yes" */
	ck_assert_int_eq(s->flag8, 1);
	ck_assert_int_eq(s->mode, 2); /* the index of c in a|b|c */
	ck_assert_uint_eq(s->tags.n, 3);
	ck_assert_str_eq(s->tags.item[0], "p");
	ck_assert_str_eq(s->tags.item[2], "r");
	ck_assert_ptr_null(s->tags.item[3]);
	ck_assert_str_eq(s->names[0], "x"); /* a list default, NULL-terminated */
	ck_assert_str_eq(s->names[1], "y");
	ck_assert_ptr_null(s->names[2]);
	/* Scalars typed as the host types YAML: yes is true, '3' stays a string. */
	ck_assert_str_eq(s->map, "{\"a\":true,\"b\":\"3\",\"c\":3,\"d\":[true,null,2.5],\"e\":null}");
	ck_assert_str_eq(tm_opt_json(opts, "map"), s->map);
	ck_assert_int_eq(s->unset_int, 0);
	ck_assert_ptr_null(s->unset_str);
	/* Reading by name still works, beside the struct. */
	ck_assert_int_eq(tm_opt_int(opts, "by_name_only"), 7);
	ck_assert_str_eq(tm_opt_string(opts, "mode"), "c"); /* an enum reads as its value */
	ck_assert_int_eq(tm_opt_int(opts, "mode"), 2);      /* or its index */
	ck_assert_int_eq(options_check_reads(opts, &err), 0);
}
END_TEST

START_TEST(test_no_settings_struct)
{
	ck_assert_ptr_nonnull(bind(all_options, 0, "{small: 2}"));
	ck_assert_ptr_null(tm_opt_settings(opts));
	ck_assert_int_eq(tm_opt_int(opts, "small"), 2);
}
END_TEST

START_TEST(test_bounds)
{
	ck_assert_bind_fails(all_options, sizeof(all), "{small: 6}",
			     "conf.yaml:1:9: small must be between -5 and 5, not 6");
	ck_assert_bind_fails(all_options, sizeof(all), "{tiny: -1}", "tiny must be between 0 and 255, not -1");
	ck_assert_bind_fails(all_options, sizeof(all), "{ratio: 1.5}",
			     "conf.yaml:1:9: ratio must be between 0 and 1, not 1.5");
	ck_assert_bind_fails(all_options, sizeof(all), "{ratio: nan}", "ratio must be between 0 and 1, not nan");
	/* No bounds declared: those of the member's type. */
	ck_assert_bind_fails(all_options, sizeof(all), "{unset_int: 3000000000}",
			     "unset_int must be between -2147483648 and 2147483647, not 3000000000");
	typedef struct narrow {
		int docs;
	} narrow;
	static const tm_option open[] = {
		{.name = "docs", .type = TM_OPT_INT, .default_value = "5", .min = 2, .max = TM_NO_MAX},
		{.name = "max_bytes", .type = TM_OPT_INT, .min = 1, .max = 1 << 30},
		{.name = "count", .type = TM_OPT_INT, .min = 1, .max = 1 << 30},
		{0},
	};
	ck_assert_bind_fails(open, 0, "{docs: 1}", "docs must be at least 2, not 1");
	ck_assert_ptr_nonnull(bind(open, 0, "{docs: 9000000000000}"));
	ck_assert_bind_fails(open, 0, "{max_bytes: 0}", "max_bytes must be between 1 and 1073741824 (1 GiB), not 0");
	ck_assert_bind_fails(open, 0, "{count: 0}", "count must be between 1 and 1073741824, not 0");
	/* Open above, but an int: its type closes it. */
	static const tm_option into_int[] = {
		{.name = "docs", .type = TM_OPT_INT, .min = 2, .max = TM_NO_MAX, TM_FIELD(narrow, docs)},
		{0},
	};
	ck_assert_bind_fails(into_int, sizeof(narrow), "{docs: 1}", "docs must be at least 2, not 1");
	ck_assert_bind_fails(into_int, sizeof(narrow), "{docs: 9000000000000}",
			     "docs must be between 2 and 2147483647, not 9000000000000");
	/* A default out of bounds is the plugin's fault, and said so. */
	static const tm_option bad_default[] = {
		{.name = "n", .type = TM_OPT_INT, .default_value = "0", .min = 1, .max = 3},
		{0},
	};
	ck_assert_bind_fails(bad_default, 0, "{}",
			     "n must be between 1 and 3, not 0 (the plugin's default for 'n' "
			     "is invalid)");
}
END_TEST

START_TEST(test_undeclared_read)
{
	ck_assert_ptr_nonnull(bind(all_options, sizeof(all), "{}"));
	ck_assert_int_eq(tm_opt_int(opts, "smal"), 0);
	ck_assert_ptr_null(tm_opt_string(opts, "zzz")); /* the first one is the one told */
	ck_assert_int_eq(options_check_reads(opts, &err), -1);
	ck_assert_str_eq(err.p, "it reads option 'smal', which its option table does not declare; "
				"did you mean 'small'?");
	/* The host's own lookups are not the stage's reads. */
	ck_assert_ptr_nonnull(bind(all_options, sizeof(all), "{}"));
	ck_assert_ptr_null(options_value(opts, "nothing"));
	ck_assert_int_eq(tm_opt_isset(opts, "tags"), 0);
	ck_assert_int_eq(options_check_reads(opts, &err), 0);
}
END_TEST

START_TEST(test_table_checks)
{
	typedef struct small {
		int a;
		const char *s;
	} small;
	struct {
		tm_option o;
		size_t size;
		const char *want;
	} cases[] = {
		{{.name = "a", .type = TM_OPT_INT, TM_FIELD(small, a)}, sizeof(small), NULL},
		{{.name = "a", .type = TM_OPT_INT, TM_FIELD(small, a)},
		 2,
		 "its field lies outside the settings struct"},
		{{.name = "a", .type = TM_OPT_STRING, TM_FIELD(small, a)},
		 sizeof(small),
		 "its field's type does not"},
		{{.name = "s", .type = TM_OPT_INT, .offset = 0, .size = 3},
		 sizeof(small),
		 "its field's type does not"},
		{{.name = "s", .type = TM_OPT_STRING, .min = 1, .max = 2},
		 0,
		 "bounds are for integer and number options"},
		{{.name = "a", .type = TM_OPT_INT, .min = 2, .max = 1}, 0, "its min is above its max"},
		{{.name = "a", .type = (tm_opt_type)42}, 0, "its type is not a TM_OPT_ type"},
		{{.name = "a", .type = TM_OPT_ENUM}, 0, "an enum without choices"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		tm_option decl[2] = {cases[i].o, {0}};
		buf_clear(&err);
		int rc = options_check_table(decl, cases[i].size, &err);
		if (!cases[i].want) {
			ck_assert_msg(rc == 0, "case %zu: %s", i, err.p);
			continue;
		}
		ck_assert_msg(rc == -1 && strstr(err.p, cases[i].want), "case %zu: \"%s\"", i, err.p ? err.p : "");
		ck_assert_msg(!strncmp(err.p, "option '", 8), "case %zu names the option: %s", i, err.p);
	}
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("settings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fills_every_type);
	tcase_add_test(tc, test_no_settings_struct);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_undeclared_read);
	tcase_add_test(tc, test_table_checks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(options_suite()); }
