/* helpers.h -- small things the unit tests share: scratch directories,
 * files, the test environment, and linking the host's plugin API.
 * Header-only (static functions), included by the tests that need it. */
#ifndef TM_TEST_HELPERS_H
#define TM_TEST_HELPERS_H

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

/* The tests link the host as a static library, which brings in only the
 * modules a test calls. Plugins resolve the tm_ functions from the test
 * program (ENABLE_EXPORTS), so take one function of every module that
 * serves plugins: then dlopen(RTLD_NOW) finds all of them. */
__attribute__((used)) static void (*const tm_api_modules[])(void) = {
	(void (*)(void))tm_opt_int,   /* options.c */
	(void (*)(void))tm_node_type, /* tree.c */
	(void (*)(void))tm_doc_text,  /* doc.c */
	(void (*)(void))tm_fail,      /* ctx.c */
	(void (*)(void))tm_file_open, /* file.c */
};

/* A variable ctest sets (see tests/CMakeLists.txt); aborts when missing. */
static inline const char *test_env(const char *name)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		fprintf(stderr, "%s is not set: run the unit tests through ctest\n", name);
		exit(2);
	}
	return v;
}

/* A fresh directory under /tmp; free() the result after rm_rf(). */
static inline char *make_temp_dir(void)
{
	char *dir = xstrdup("/tmp/textmill-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static inline void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *sub = xasprintf("%s/%s", path, de->d_name);
			rm_rf(sub);
			free(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Write len bytes to dir/name; returns the path (free it). */
static inline char *write_file_n(const char *dir, const char *name, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot create %s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static inline char *write_file(const char *dir, const char *name, const char *text)
{
	return write_file_n(dir, name, text, strlen(text));
}

/* config_load() always loads the built-in plugin directory first, which
 * builtin_plugin_dir() finds beside the running program: <exe dir>/plugins.
 * The textmill binary sits in <build>, but test programs sit in
 * <build>/tests, where there is no plugins directory; the fallbacks
 * (<exe dir>/../lib/textmill/plugins, then the install prefix) do not
 * exist in a build tree either, or worse hold an older install. Setting
 * TEXTMILL_PLUGIN_PATH does not help: the missing built-in directory is an
 * error before the path is read. So link <build>/tests/plugins to
 * <build>/plugins, before anything asks builtin_plugin_dir() (it caches its
 * answer), and check that the host now finds the build's own plugins. */
static inline void use_build_plugins(void)
{
	const char *build = test_env("TM_BUILD_DIR");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		perror("readlink /proc/self/exe");
		exit(2);
	}
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	char *link = xasprintf("%s/plugins", exe);
	char *target = xasprintf("%s/plugins", build);
	struct stat st;
	if (stat(link, &st) && symlink(target, link) && errno != EEXIST) {
		fprintf(stderr, "cannot link %s to %s: %s\n", link, target, strerror(errno));
		exit(2);
	}
	if (strcmp(builtin_plugin_dir(), link)) {
		fprintf(stderr, "built-in plugin dir is %s, expected %s\n", builtin_plugin_dir(), link);
		exit(2);
	}
	free(link);
	free(target);
}

/* Run one suite; the exit status of a test program. */
static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
