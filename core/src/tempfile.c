/* tempfile.c -- the temporary files of a run.
 *
 * A name says whose file it is: ".NAME.tmp-PID-HOST-XXXXXX", the process
 * id and a hash of the host name and pid namespace. A later run on the
 * same host removes those whose process no longer runs, and only those: a
 * file of a live process, of another host or container sharing the folder
 * (a cluster's file system), or of another user is left alone. Every file made here is on a list
 * that the crash handler and the interrupt watcher walk with nothing but
 * atomic loads and unlink(). A file is listed only once it exists, so the
 * walk first waits for the files other threads are creating that moment
 * (their count is `creating`), and no thread creates one once it has
 * begun (`closing`). */
#include "tempfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct temp_entry {
	temp_entry *next; /* set before the entry is published */
	atomic_int live;
	int reserved; /* tm_file_temp's: a database and its journals */
	char name[];
};

static _Atomic(temp_entry *) listed;
static atomic_int creating, closing;
static pthread_mutex_t list_mu = PTHREAD_MUTEX_INITIALIZER;

static unsigned tag;

static void compute_tag(void)
{
	char host[512] = "";
	gethostname(host, 255);
	size_t n = strlen(host);
	ssize_t k = readlink("/proc/self/ns/pid", host + n, sizeof host - n - 1);
	host[n + (k > 0 ? (size_t)k : 0)] = 0;
	unsigned h = 2166136261u;
	for (const char *p = host; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	tag = h;
}

/* FNV-1a of the host name and the pid namespace (two containers on one
 * folder see each other's pids as dead): 8 hex digits in the names. */
static unsigned host_tag(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, compute_tag);
	return tag;
}

/* ".NAME.tmp-" for path's base name, and its directory ("" for the
 * current one). */
static void split(const char *path, char **dir, char **prefix)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	*dir = xstrndup(path, (size_t)(base - path));
	*prefix = xasprintf(".%s.tmp-", base);
}

/* PID of a name "PREFIX" "PID-HOST-" ..., if HOST is this host; else 0. */
static pid_t owner(const char *rest)
{
	char *end;
	long pid = strtol(rest, &end, 10);
	if (end == rest || *end != '-' || pid <= 0)
		return 0;
	const char *hex = end + 1;
	unsigned long host = strtoul(hex, &end, 16);
	if (end - hex != 8 || *end != '-' || host != host_tag())
		return 0;
	return (pid_t)pid;
}

/* Remove what this host's processes that no longer run left for this
 * target. A pid that a new process has taken since keeps its files:
 * only a dead pid proves they are orphans. */
static void sweep(const char *dir, const char *prefix, int quiet)
{
	DIR *d = opendir(*dir ? dir : ".");
	if (!d)
		return;
	size_t plen = strlen(prefix);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, plen))
			continue;
		pid_t pid = owner(de->d_name + plen);
		if (!pid || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid())
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0 && !quiet)
			print_err("textmill: removed %s%s, left by an earlier run (process %ld) that stopped\n", dir,
				  de->d_name, (long)pid);
	}
	closedir(d);
}

char *temp_create(const char *path, int reserved, int quiet, int *fd, temp_entry **entry, buf *err)
{
	char *dir, *prefix;
	split(path, &dir, &prefix);
	kit_mkdir_parents(path); /* failures show up when the file is created */
	sweep(dir, prefix, quiet);
	char *name = xasprintf("%s%s%ld-%08x-XXXXXX", dir, prefix, (long)getpid(), host_tag());
	free(dir);
	free(prefix);
	/* The entry first: if memory runs out, no file is left unlisted. */
	size_t n = strlen(name) + 1;
	temp_entry *e = xmalloc(sizeof *e + n);
	/* Counted before closing is read, as temps_remove sets closing before
	 * it reads the count: one of the two sees the other. */
	atomic_fetch_add(&creating, 1);
	if (atomic_load(&closing)) {
		atomic_fetch_sub(&creating, 1);
		for (;;)
			pause(); /* the process is ending: make no file it would leave */
	}
	*fd = mkstemp(name);
	if (*fd < 0) {
		atomic_fetch_sub(&creating, 1);
		buf_printf(err, "cannot create %s: %s", path, strerror(errno));
		free(name);
		free(e);
		return NULL;
	}
	fcntl(*fd, F_SETFD, FD_CLOEXEC);
	mode_t mask = umask(0); /* mkstemp makes 0600; give it the usual mode */
	umask(mask);
	fchmod(*fd, 0666 & ~mask);

	memcpy(e->name, name, n);
	e->reserved = reserved;
	atomic_init(&e->live, 1);
	pthread_mutex_lock(&list_mu);
	e->next = atomic_load(&listed);
	atomic_store(&listed, e); /* complete before a handler can see it */
	pthread_mutex_unlock(&list_mu);
	atomic_fetch_sub(&creating, 1);
	*entry = e;
	return name;
}

void temp_forget(temp_entry *e)
{
	if (e)
		atomic_store(&e->live, 0);
}

/* name + suffix into out (of cap bytes), without the C library. */
static const char *with_suffix(char *out, size_t cap, const char *name, const char *suffix)
{
	size_t n = 0;
	for (; *name && n + 1 < cap; name++)
		out[n++] = *name;
	for (; *suffix && n + 1 < cap; suffix++)
		out[n++] = *suffix;
	out[n] = 0;
	return out;
}

void temps_remove(void)
{
	static const char *const suffixes[] = {"-journal", "-wal", "-shm"};
	atomic_store(&closing, 1);
	/* A second at most: the thread that crashed may be one of them. */
	struct timespec ms = {0, 1000000};
	for (int i = 0; atomic_load(&creating) && i < 1000; i++)
		nanosleep(&ms, NULL);
	for (temp_entry *e = atomic_load(&listed); e; e = e->next) {
		if (!atomic_load(&e->live))
			continue;
		unlink(e->name);
		for (size_t i = 0; e->reserved && i < sizeof suffixes / sizeof *suffixes; i++) {
			char name[4096];
			unlink(with_suffix(name, sizeof name, e->name, suffixes[i]));
		}
	}
}

void temps_clear(void)
{
	pthread_mutex_lock(&list_mu);
	temp_entry *e = atomic_load(&listed), *keep = NULL, **tail = &keep;
	while (e) {
		temp_entry *next = e->next;
		if (atomic_load(&e->live) && !e->reserved) {
			*tail = e;
			tail = &e->next;
		} else {
			free(e);
		}
		e = next;
	}
	*tail = NULL;
	atomic_store(&listed, keep);
	pthread_mutex_unlock(&list_mu);
}
