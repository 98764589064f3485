/* test_tempfile.c -- the run's temporary files: what a crash or an
 * interrupt removes (temps_remove) must be every file the process made,
 * even one another thread is making at that moment. */
#include <check.h>
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>

#include "check_main.h"
#include "helpers.h"
#include "tempfile.h"

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

static const char *target;

/* Make temporary files for one target, one after another, as the main
 * thread opens outputs while a worker runs out of memory. */
static void *make_files(void *arg)
{
	(void)arg;
	for (int i = 0; i < 400; i++) {
		buf err = {0};
		int fd;
		temp_entry *e;
		char *name = temp_create(target, 0, 1, &fd, &e, &err);
		ck_assert_ptr_nonnull(name);
		close(fd);
		free(name);
	}
	return NULL;
}

/* A child process makes files on one thread while its main thread, after
 * a while, does what the crash handler does: remove them all, then end.
 * Nothing may be left, however the two meet. */
START_TEST(test_remove_while_creating)
{
	char *dir = make_temp_dir();
	char *path = xasprintf("%s/out.jsonl", dir);
	target = path;
	for (int round = 0; round < 40; round++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			pthread_t t;
			if (pthread_create(&t, NULL, make_files, NULL))
				_exit(2);
			struct timespec wait = {0, 20000L * (round % 10 + 1)};
			nanosleep(&wait, NULL);
			temps_remove();
			_exit(0);
		}
		int status;
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "round %d: the child failed", round);
		ck_assert_msg(count_files(dir) == 0, "round %d: %d files left", round, count_files(dir));
	}
	free(path);
	rm_rf(dir);
	free(dir);
}
END_TEST

/* A file that was put in place (forgotten) is not removed. */
START_TEST(test_forgotten_stays)
{
	char *dir = make_temp_dir();
	char *path = xasprintf("%s/kept", dir);
	buf err = {0};
	int fd;
	temp_entry *e;
	char *name = temp_create(path, 0, 1, &fd, &e, &err);
	ck_assert_ptr_nonnull(name);
	close(fd);
	ck_assert_int_eq(rename(name, path), 0);
	temp_forget(e);
	char *other = temp_create(path, 0, 1, &fd, &e, &err);
	ck_assert_ptr_nonnull(other);
	close(fd);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		temps_remove();
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_ne(access(other, F_OK), 0);
	ck_assert_int_eq(count_files(dir), 1);
	free(name);
	free(other);
	free(path);
	rm_rf(dir);
	free(dir);
}
END_TEST

static Suite *tempfile_suite(void)
{
	Suite *s = suite_create("tempfile");
	TCase *tc = tcase_create("remove");
	tcase_add_test(tc, test_remove_while_creating);
	tcase_add_test(tc, test_forgotten_stays);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(tempfile_suite)
