/* file.c -- output files that appear only when complete: written to a
 * temporary name beside the target and synced; renamed over it at once
 * outside a run, and with every other file of the run at its end
 * (publish.c) during one. */
#include "host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publish.h"

#define FILE_BUFFER (1 << 18)
/* A file's bytes go to disk as the run goes, this many at a time (see
 * flush): the sync at its end then finds little left to write. */
#define WRITEBACK (8 << 20)

struct tm_file {
	tm_ctx *ctx;
	kit_afile out; /* out.tmp NULL for stdout and devices */
	temp_entry *entry;
	char *data;
	size_t len;
	int failed;
	int device;               /* written in place, closed at the end */
	long long written, ahead; /* bytes written; of those, sent to disk */
};

static void release(tm_file *f)
{
	free(f->out.path);
	free(f->out.tmp);
	free(f->data);
	free(f);
}

/* The run's claim on path: no two files of one run write one file. */
static int claim(tm_ctx *ctx, const char *path)
{
	buf err = {0};
	int rc = ctx && ctx->publish ? publish_claim(ctx->publish, path, &err) : 0;
	if (rc)
		tm_fail(ctx, "%s", err.p);
	buf_free(&err);
	return rc;
}

tm_file *tm_file_open(tm_ctx *ctx, const char *path)
{
	if (claim(ctx, path))
		return NULL;
	tm_file *f = xcalloc(1, sizeof *f);
	f->ctx = ctx;
	f->out.path = xstrdup(path);
	f->data = xmalloc(FILE_BUFFER);
	if (!strcmp(path, "-")) {
		f->out.fd = STDOUT_FILENO;
		return f;
	}
	/* A device or a pipe (/dev/null, a FIFO) is written in place: renaming
	 * a temporary file over it would replace it with a plain file. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		f->out.fd = open(path, O_WRONLY | O_CLOEXEC);
		if (f->out.fd < 0) {
			tm_fail(ctx, "cannot open %s: %s", path, strerror(errno));
			release(f);
			return NULL;
		}
		f->device = 1;
		return f;
	}
	buf err = {0};
	/* The toolkit's atomic file, under a name of tempfile.c's: one that a
	 * crash handler can remove and a later run can tell apart. */
	f->out.tmp = temp_create(path, 0, ctx && ctx->quiet, &f->out.fd, &f->entry, &err);
	if (!f->out.tmp) {
		tm_fail(ctx, "%s", err.p);
		buf_free(&err);
		release(f);
		return NULL;
	}
	return f;
}

char *tm_file_temp(tm_ctx *ctx, const char *path)
{
	if (claim(ctx, path))
		return NULL;
	buf err = {0};
	int fd;
	temp_entry *e;
	char *name = temp_create(path, 1, ctx && ctx->quiet, &fd, &e, &err);
	if (!name)
		tm_fail(ctx, "%s", err.p);
	else
		close(fd);
	buf_free(&err);
	return name;
}

static atomic_int stdout_closed;

int file_stdout_closed(void) { return atomic_load(&stdout_closed); }

static int flush(tm_file *f)
{
	if (kit_write_all(f->out.fd, f->data, f->len)) {
		f->failed = 1;
		if (errno == EPIPE && f->out.fd == STDOUT_FILENO) {
			atomic_store(&stdout_closed, 1);
			return tm_fail(f->ctx, "standard output was closed");
		}
		return tm_fail(f->ctx, "cannot write %s: %s", f->out.path, strerror(errno));
	}
	/* A staged file is synced at the end of the run, while the cores
	 * wait: sent to disk as it grows, it leaves that sync only its last
	 * part (the dev articles' JSON Lines: 40 -> 28 ms). */
	f->written += (long long)f->len;
	if (f->out.tmp && f->written - f->ahead >= WRITEBACK) {
		kit_writeback(f->out.fd, f->ahead, f->written - f->ahead);
		f->ahead = f->written;
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
		f->len = len; /* write a big block straight from the caller */
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

int tm_file_commit(tm_file *f)
{
	int r = flush(f);
	if (f->device && close(f->out.fd) && r == TM_OK)
		r = tm_fail(f->ctx, "cannot write %s: %s", f->out.path, strerror(errno));
	if (f->out.tmp) {
		temp_entry *entry = f->entry;
		int staged = r == TM_OK && f->ctx && f->ctx->publish; /* renamed with the run's other files */
		buf err = {0};
		if (r != TM_OK)
			kit_afile_abort(&f->out);
		else if (staged ? kit_afile_sync(&f->out, &err) : kit_afile_commit(&f->out, &err))
			r = tm_fail(f->ctx, "%s", err.p);
		buf_check(&err);
		buf_free(&err);
		if (staged && r == TM_OK) {
			publish_add(f->ctx->publish, f->ctx->rank, f->out.tmp, f->out.path, entry);
			f->out.tmp = NULL; /* the run's now, renamed at its end */
		} else {
			temp_forget(entry); /* renamed or removed */
		}
	}
	release(f);
	return r;
}

void tm_file_abort(tm_file *f)
{
	if (!f)
		return;
	if (f->out.tmp) {
		kit_afile_abort(&f->out);
		temp_forget(f->entry);
	} else if (f->device) {
		close(f->out.fd);
	}
	release(f);
}
