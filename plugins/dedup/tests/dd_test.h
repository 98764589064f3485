/* dd_test.h -- what the dedup unit tests share: a temporary folder for
 * their files, and the Check runner. */
#ifndef DD_TEST_H
#define DD_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

static char tmpdir[200];

/* Make tmpdir, $TMPDIR/NAME_XXXXXX; 0, or -1. */
static int dd_test_tmpdir(const char *name)
{
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/%s_XXXXXX", base && *base ? base : "/tmp", name);
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* A path in tmpdir; the last four stay valid. */
static const char *tmp(const char *name)
{
	static char path[4][320];
	static int k;
	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
	return path[k];
}

/* Run the suite in this process (a crash fails it), then remove tmpdir
 * and `also` (a folder, or ""). The exit status. */
static int dd_test_run(Suite *s, const char *also)
{
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf %s %s", tmpdir, also);
	if (system(cmd)) {
	}
	return failed ? 1 : 0;
}

#endif
