/* index_lock.c -- the flock that keeps a second run off an index. */
#define _GNU_SOURCE
#include "index_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "textmill/kit.h"

/* "pid 1234 on HOST (started 2024-12-10 08:30:00 +0700)" for this process. */
static void holder_line(char *out, size_t len)
{
	char host[256] = "?", when[64] = "?";
	gethostname(host, sizeof host - 1);
	time_t now = time(NULL);
	struct tm tm;
	if (localtime_r(&now, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z", &tm);
	snprintf(out, len, "pid %ld on %s (started %s)", (long)getpid(), host, when);
}

/* What the lock file says about its holder, printable, on one line. */
static void read_holder(int fd, char *out, size_t len)
{
	ssize_t n = pread(fd, out, len - 1, 0);
	out[n > 0 ? n : 0] = 0;
	for (char *p = out; *p; p++) {
		if (*p == '\n') {
			*p = 0;
			break;
		}
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			*p = '?';
	}
}

static int busy(tm_ctx *ctx, const char *path, int fd)
{
	char holder[300], me[300];
	read_holder(fd, holder, sizeof holder);
	holder_line(me, sizeof me);
	if (!*holder)
		return tm_fail(ctx,
			       "index %s is in use by another textmill run (it has not written its pid yet); "
			       "two runs that write one index lose each other's documents",
			       path);
	size_t same = strcspn(me, "("); /* "pid N on HOST ": this very process */
	if (!strncmp(holder, me, same))
		return tm_fail(ctx,
			       "index %s is written by another stage of this run too; give each stage its "
			       "own index",
			       path);
	return tm_fail(ctx,
		       "index %s is in use by textmill %s; two runs that write one index lose each other's "
		       "documents: wait for that run to end, or give this one another index",
		       path, holder);
}

int dd_index_lock(tm_ctx *ctx, const char *path, int *fd)
{
	*fd = -1;
	char *lock = NULL;
	if (asprintf(&lock, "%s.lock", path) < 0)
		return tm_fail(ctx, "out of memory");
	kit_mkdir_parents(lock);
	int f = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (f < 0) {
		int rc = tm_fail(ctx, "cannot open the lock file %s: %s", lock, strerror(errno));
		free(lock);
		return rc;
	}
	int rc;
	while ((rc = flock(f, LOCK_EX | LOCK_NB)) && errno == EINTR)
		;
	if (rc && errno == EWOULDBLOCK) {
		rc = busy(ctx, path, f);
		close(f);
		free(lock);
		return rc;
	}
	if (rc) { /* a file system without locks: say so, and go on as before */
		tm_log(ctx,
		       "warning: cannot lock %s (%s): nothing stops another run from writing index %s at the "
		       "same time",
		       lock, strerror(errno), path);
		close(f);
		free(lock);
		return TM_OK;
	}
	char me[300];
	holder_line(me, sizeof me);
	size_t n = strlen(me);
	me[n++] = '\n';
	if (ftruncate(f, 0) || pwrite(f, me, n, 0) != (ssize_t)n)
		tm_log(ctx, "warning: cannot write %s: %s (the lock holds, but cannot name this run)", lock,
		       strerror(errno));
	free(lock);
	*fd = f;
	return TM_OK;
}

void dd_index_unlock(int *fd)
{
	if (*fd >= 0)
		close(*fd); /* closing drops the flock */
	*fd = -1;
}
