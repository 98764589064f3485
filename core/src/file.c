/* file.c -- output files that appear only when complete: written to a
 * temporary name beside the target, synced, then renamed over it. */
#include "host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_BUFFER (1 << 18)

struct tm_file {
	tm_ctx *ctx;
	int fd;
	char *path, *tmp;   /* tmp NULL for stdout */
	char *data;
	size_t len;
	int failed;
	int device;         /* written in place, closed at the end */
};

/* Make the directories leading to path, as `mkdir -p` would. */
static void make_parents(const char *path)
{
	char *dir = xstrdup(path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(dir, 0777);  /* failures show up when the file is created */
		*p = '/';
	}
	free(dir);
}

tm_file *tm_file_open(tm_ctx *ctx, const char *path)
{
	tm_file *f = xcalloc(1, sizeof *f);
	f->ctx = ctx;
	f->path = xstrdup(path);
	f->data = xmalloc(FILE_BUFFER);
	if (!strcmp(path, "-")) {
		f->fd = STDOUT_FILENO;
		return f;
	}
	/* A device or a pipe (/dev/null, a FIFO) is written in place: renaming
	 * a temporary file over it would replace it with a plain file. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		f->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (f->fd < 0) {
			tm_fail(ctx, "cannot open %s: %s", path, strerror(errno));
			free(f->data), free(f->path), free(f);
			return NULL;
		}
		f->device = 1;
		return f;
	}
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	f->tmp = xasprintf("%.*s.%s.tmp-XXXXXX", (int)(base - path), path, base);
	make_parents(path);
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		tm_fail(ctx, "cannot create %s: %s", path, strerror(errno));
		free(f->tmp), f->tmp = NULL;
		free(f->data), free(f->path), free(f);
		return NULL;
	}
	mode_t mask = umask(0);  /* mkstemp makes 0600; give it the usual mode */
	umask(mask);
	fchmod(f->fd, 0666 & ~mask);
	return f;
}

static int flush(tm_file *f)
{
	size_t off = 0;
	while (off < f->len) {
		ssize_t n = write(f->fd, f->data + off, f->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			f->failed = 1;
			return tm_fail(f->ctx, "cannot write %s: %s", f->path, strerror(errno));
		}
		off += (size_t)n;
	}
	f->len = 0;
	return TM_OK;
}

int tm_file_write(tm_file *f, const void *data, size_t len)
{
	if (f->failed)
		return TM_ERROR;
	if (f->len + len > FILE_BUFFER && flush(f))
		return TM_ERROR;
	if (len > FILE_BUFFER) {
		f->len = len;  /* write a big block straight from the caller */
		char *keep = f->data;
		f->data = (char *)data;
		int r = flush(f);
		f->data = keep;
		return r;
	}
	memcpy(f->data + f->len, data, len);
	f->len += len;
	return TM_OK;
}

static void release(tm_file *f)
{
	free(f->path);
	free(f->tmp);
	free(f->data);
	free(f);
}

int tm_file_commit(tm_file *f)
{
	int r = flush(f);
	if (f->device && close(f->fd) && r == TM_OK)
		r = tm_fail(f->ctx, "cannot write %s: %s", f->path, strerror(errno));
	if (f->tmp) {
		if (r == TM_OK && fsync(f->fd) && errno != EINVAL)
			r = tm_fail(f->ctx, "cannot write %s: %s", f->path, strerror(errno));
		if (close(f->fd) && r == TM_OK)
			r = tm_fail(f->ctx, "cannot write %s: %s", f->path, strerror(errno));
		if (r == TM_OK && rename(f->tmp, f->path))
			r = tm_fail(f->ctx, "cannot move the finished file to %s: %s", f->path, strerror(errno));
		if (r != TM_OK)
			unlink(f->tmp);
	}
	release(f);
	return r;
}

void tm_file_abort(tm_file *f)
{
	if (!f)
		return;
	if (f->tmp) {
		close(f->fd);
		unlink(f->tmp);
	} else if (f->device) {
		close(f->fd);
	}
	release(f);
}
