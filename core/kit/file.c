/* file.c -- directories made as needed, and files that appear complete or
 * not at all: written beside their target, synced, renamed over it. */
#define _GNU_SOURCE /* sync_file_range */
#include "textmill/kit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int kit_read_file(const char *path, kit_buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = 1;
	while (n > 0 && !kit_buf_reserve(out, 65536)) {
		while ((n = read(fd, out->p + out->len, out->cap - out->len - 1)) < 0 && errno == EINTR)
			;
		if (n > 0)
			out->len += (size_t)n;
		out->p[out->len] = 0;
	}
	int saved = n < 0 ? errno : out->failed ? ENOMEM : 0;
	close(fd);
	errno = saved;
	return saved ? -1 : 0;
}

/* mkdir -p of the first n bytes of path. */
static int make_dirs(const char *path, size_t n)
{
	char *dir = kit_strndup(path, n);
	if (!dir) {
		errno = ENOMEM;
		return -1;
	}
	int rc = 0;
	for (char *p = dir + 1;; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = 0;
		if (mkdir(dir, 0777) && !(errno == EEXIST && is_dir(dir))) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			rc = -1;
		}
		*p = c;
		if (!c || rc)
			break;
	}
	free(dir);
	return rc;
}

int kit_mkdirs(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	return n ? make_dirs(path, n) : 0;
}

int kit_mkdir_parents(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash > path ? make_dirs(path, (size_t)(slash - path)) : 0;
}

int kit_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int kit_sync_close(int fd)
{
	int rc = fsync(fd) && errno != EINVAL ? -1 : 0; /* EINVAL: a pipe or device cannot be synced */
	int saved = errno;
	if (close(fd) && rc == 0)
		return -1;
	errno = saved;
	return rc;
}

void kit_writeback(int fd, long long from, long long n)
{
#ifdef SYNC_FILE_RANGE_WRITE
	(void)sync_file_range(fd, (off_t)from, (off_t)n, SYNC_FILE_RANGE_WRITE);
#else
	(void)fd, (void)from, (void)n;
#endif
}

static void forget(kit_afile *f)
{
	free(f->path);
	free(f->tmp);
	f->path = f->tmp = NULL;
	f->fd = -1;
}

int kit_afile_open(kit_afile *f, const char *path, kit_buf *err)
{
	f->fd = -1;
	f->path = kit_strndup(path, strlen(path));
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
	kit_buf tmp = {0};
	kit_buf_printf(&tmp, "%.*s.%s.tmp-%ld-XXXXXX", (int)dir, path, path + dir, (long)getpid());
	if (!f->path || tmp.failed) {
		kit_buf_free(&tmp);
		forget(f);
		kit_buf_printf(err, "cannot create %s: %s", path, KIT_OOM);
		return -1;
	}
	f->tmp = tmp.p;
	kit_mkdir_parents(path); /* a failure shows when the file is made */
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		kit_buf_printf(err, "cannot create %s: %s", path, strerror(errno));
		forget(f);
		return -1;
	}
	fcntl(f->fd, F_SETFD, FD_CLOEXEC);
	mode_t mask = umask(0); /* mkstemp makes 0600; give it the usual mode */
	umask(mask);
	fchmod(f->fd, 0666 & ~mask);
	return 0;
}

int kit_afile_sync(kit_afile *f, kit_buf *err)
{
	int fd = f->fd >= 0 ? f->fd : open(f->tmp, O_RDONLY | O_CLOEXEC);
	f->fd = -1;
	if (fd >= 0 && kit_sync_close(fd) == 0)
		return 0;
	kit_buf_printf(err, "cannot write %s: %s", f->path, strerror(errno));
	unlink(f->tmp);
	forget(f);
	return -1;
}

int kit_afile_commit(kit_afile *f, kit_buf *err)
{
	if (kit_afile_sync(f, err))
		return -1;
	int rc = 0;
	if (rename(f->tmp, f->path)) {
		kit_buf_printf(err, "cannot move the finished file to %s: %s", f->path, strerror(errno));
		unlink(f->tmp);
		rc = -1;
	}
	forget(f);
	return rc;
}

void kit_afile_abort(kit_afile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	forget(f);
}
