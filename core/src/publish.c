/* publish.c -- the run's files, staged and then put in place together.
 *
 * tm_file_commit() during a run only syncs the file and hands it here.
 * After every stage has finished (and committed, for a database), the
 * runner renames them all. A failure before that point removes them and
 * leaves every earlier file as it was; the renames themselves are the
 * only window, a few system calls long. */
#include "publish.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

typedef struct staged {
	int rank;
	size_t seq; /* the order of the commits, within a rank */
	char *tmp, *path;
	temp_entry *t;
} staged;

struct publish {
	pthread_mutex_t mu; /* stages may open and commit files on any thread */
	staged *files;
	size_t n;
	target *claims;
	size_t n_claims;
};

publish *publish_new(void)
{
	publish *p = xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	return p;
}

int publish_claim(publish *p, const char *path, buf *err)
{
	target t;
	target_resolve(path, &t);
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; i < p->n_claims; i++)
		if (target_same(&p->claims[i], &t)) {
			pthread_mutex_unlock(&p->mu);
			buf_printf(err, "cannot write %s: another file of this run is written there already", path);
			target_free(&t);
			return -1;
		}
	p->claims = xrealloc(p->claims, (p->n_claims + 1) * sizeof *p->claims);
	p->claims[p->n_claims++] = t;
	pthread_mutex_unlock(&p->mu);
	return 0;
}

void publish_add(publish *p, int rank, char *tmp, const char *path, temp_entry *t)
{
	pthread_mutex_lock(&p->mu);
	p->files = xrealloc(p->files, (p->n + 1) * sizeof *p->files);
	p->files[p->n] = (staged){rank, p->n, tmp, xstrdup(path), t};
	p->n++;
	pthread_mutex_unlock(&p->mu);
}

static int by_rank(const void *a, const void *b)
{
	const staged *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The length of path's folder part ("a/b" of "a/b/c"; 0: the current one). */
static size_t folder_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (slash == path ? 1 : (size_t)(slash - path)) : 0;
}

/* A rename is durable once its folder is synced: each folder once. */
static void sync_folders(const publish *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const char *path = p->files[i].path;
		size_t n = folder_len(path);
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = folder_len(p->files[j].path) == n && !memcmp(p->files[j].path, path, n);
		if (seen)
			continue;
		char *dir = n ? xstrndup(path, n) : xstrdup(".");
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd); /* some file systems cannot; the rename stands either way */
			close(fd);
		}
		free(dir);
	}
}

int publish_files(publish *p, buf *err, size_t *placed, buf *names)
{
	*placed = 0;
	if (p->n)
		qsort(p->files, p->n, sizeof *p->files, by_rank);
	for (size_t i = 0; i < p->n; i++) {
		staged *f = &p->files[i];
		if (rename(f->tmp, f->path)) {
			buf_printf(err, "cannot move the finished file to %s: %s", f->path, strerror(errno));
			return -1;
		}
		temp_forget(f->t);
		free(f->tmp);
		f->tmp = NULL;
		buf_printf(names, "%s%s", names->len ? ", " : "", f->path);
		log_debug("committed %s", f->path);
		++*placed;
	}
	sync_folders(p);
	return 0;
}

void publish_free(publish *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		if (p->files[i].tmp) {
			unlink(p->files[i].tmp);
			temp_forget(p->files[i].t);
		}
		free(p->files[i].tmp);
		free(p->files[i].path);
	}
	for (size_t i = 0; i < p->n_claims; i++)
		target_free(&p->claims[i]);
	free(p->claims);
	free(p->files);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
