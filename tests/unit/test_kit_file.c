/* test_kit_file.c -- the toolkit's directories and files that appear whole. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "kit_oom.h"

static char dir[] = "tm-kit-XXXXXX"; /* in the test's working directory */

static void setup(void) { ck_assert_ptr_nonnull(mkdtemp(dir)); }

static void teardown(void)
{
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *in_dir(const char *name)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static int entries(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, ".."));
	if (d)
		closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	static char text[256];
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = 0;
	return text;
}

/* f opened for NAME in the test's folder (its path into target, 256
 * bytes), with text written. */
static void open_with(kit_afile *f, char *target, const char *name, const char *text, kit_buf *err)
{
	snprintf(target, 256, "%s", in_dir(name));
	ck_assert_int_eq(kit_afile_open(f, target, err), 0);
	ck_assert_int_eq(kit_write_all(f->fd, text, strlen(text)), 0);
}

START_TEST(read_file)
{
	FILE *f = fopen(in_dir("big"), "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 20000; i++) /* several reads' worth */
		fprintf(f, "line %d\n", i);
	long size = ftell(f);
	fclose(f);
	kit_buf b = {0};
	kit_buf_puts(&b, "kept:");
	ck_assert_int_eq(kit_read_file(in_dir("big"), &b), 0);
	ck_assert_uint_eq(b.len, 5 + (size_t)size);
	ck_assert_int_eq(b.p[b.len], 0);
	ck_assert(!strncmp(b.p, "kept:line 0\n", 12));
	ck_assert(!strcmp(b.p + b.len - 11, "line 19999\n"));
	kit_buf_clear(&b);
	errno = 0;
	ck_assert_int_eq(kit_read_file(in_dir("missing"), &b), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(kit_read_file(dir, &b), -1);
	ck_assert_int_eq(errno, EISDIR);
	kit_buf_free(&b); /* no room left over: the read must allocate */
	oom_after(0);
	ck_assert_int_eq(kit_read_file(in_dir("big"), &b), -1);
	ck_assert_int_eq(errno, ENOMEM);
	oom_off();
	kit_buf_free(&b);
}
END_TEST

START_TEST(mkdirs)
{
	struct stat st;
	ck_assert_int_eq(kit_mkdirs(in_dir("a/b/c/")), 0);
	ck_assert(stat(in_dir("a/b/c"), &st) == 0 && S_ISDIR(st.st_mode));
	ck_assert_int_eq(kit_mkdirs(in_dir("a/b")), 0); /* there already */
	ck_assert_int_eq(kit_mkdir_parents(in_dir("x/y/file.txt")), 0);
	ck_assert(stat(in_dir("x/y"), &st) == 0 && S_ISDIR(st.st_mode));
	ck_assert_int_eq(stat(in_dir("x/y/file.txt"), &st), -1);
	FILE *f = fopen(in_dir("plain"), "w");
	fclose(f);
	ck_assert_int_eq(kit_mkdirs(in_dir("plain/sub")), -1); /* a file in the way */
	ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

START_TEST(commit_replaces_whole)
{
	kit_buf err = {0};
	kit_afile f;
	char target[256];
	open_with(&f, target, "out/result.txt", "first", &err);
	ck_assert_ptr_null(slurp(target)); /* nothing there until it is complete */
	ck_assert_int_eq(kit_afile_commit(&f, &err), 0);
	ck_assert_str_eq(slurp(target), "first");
	ck_assert_int_eq(kit_afile_open(&f, target, &err), 0);
	ck_assert_int_eq(kit_write_all(f.fd, "second", 6), 0);
	kit_afile_abort(&f);
	kit_afile_abort(&f); /* harmless twice */
	ck_assert_str_eq(slurp(target), "first");
	ck_assert_int_eq(entries(in_dir("out")), 1); /* no temporary file left */
	struct stat st;
	ck_assert_int_eq(stat(target, &st), 0);
	mode_t mask = umask(0);
	umask(mask);
	ck_assert_int_eq(st.st_mode & 0777, 0666 & ~mask);
	kit_buf_free(&err);
}
END_TEST

START_TEST(commit_after_close)
{
	kit_buf err = {0};
	kit_afile f;
	char target[256];
	snprintf(target, sizeof target, "%s", in_dir("closed.txt"));
	ck_assert_int_eq(kit_afile_open(&f, target, &err), 0);
	FILE *stream = fdopen(f.fd, "wb"); /* a caller that writes through stdio */
	fputs("via stdio", stream);
	fclose(stream);
	f.fd = -1;
	ck_assert_int_eq(kit_afile_commit(&f, &err), 0);
	ck_assert_str_eq(slurp(target), "via stdio");
	kit_buf_free(&err);
}
END_TEST

/* Synced but not renamed: for a run that puts all its files in place at once. */
START_TEST(sync_keeps_the_temporary_file)
{
	kit_buf err = {0};
	kit_afile f;
	char target[256];
	open_with(&f, target, "later.txt", "whole", &err);
	ck_assert_int_eq(kit_afile_sync(&f, &err), 0);
	ck_assert_int_eq(f.fd, -1);
	ck_assert_ptr_null(slurp(target));
	ck_assert_str_eq(slurp(f.tmp), "whole");
	ck_assert_int_eq(rename(f.tmp, target), 0);
	ck_assert_str_eq(slurp(target), "whole");
	free(f.path);
	free(f.tmp);
	kit_buf_free(&err);
}
END_TEST

START_TEST(failures_say_what)
{
	kit_buf err = {0};
	kit_afile f;
	FILE *file = fopen(in_dir("blocker"), "w");
	fclose(file);
	ck_assert_int_eq(kit_afile_open(&f, in_dir("blocker/x.txt"), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.p, "cannot create "));
	ck_assert_ptr_nonnull(strstr(err.p, "blocker/x.txt: "));
	kit_buf_clear(&err);
	ck_assert_int_eq(kit_mkdirs(in_dir("target/inside")), 0); /* a folder where the file goes */
	ck_assert_int_eq(kit_afile_open(&f, in_dir("target"), &err), 0);
	ck_assert_int_eq(kit_afile_commit(&f, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.p, "cannot move the finished file to "));
	ck_assert_int_eq(entries(dir), 2); /* blocker and target: the temporary file is gone */
	kit_buf_clear(&err);
	oom_after(0);
	ck_assert_int_eq(kit_afile_open(&f, in_dir("y.txt"), &err), -1);
	oom_off();
	ck_assert_ptr_nonnull(strstr(err.p, KIT_OOM));
	kit_buf_free(&err);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("kit_file");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, read_file);
	tcase_add_test(tc, mkdirs);
	tcase_add_test(tc, commit_replaces_whole);
	tcase_add_test(tc, commit_after_close);
	tcase_add_test(tc, sync_keeps_the_temporary_file);
	tcase_add_test(tc, failures_say_what);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(make_suite)
