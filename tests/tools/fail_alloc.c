/* fail_alloc.c -- an LD_PRELOAD library that makes one allocation (or
 * one new thread) fail, for the tests of what textmill does when memory
 * or threads run out.
 *
 *   TM_FAIL_ALLOC_AT=N      the Nth call to malloc, calloc or realloc
 *                           (counted from 1, over all threads) returns NULL
 *                           with errno ENOMEM; the others are served.
 *   TM_FAIL_ALLOC_COUNT=F   at exit, write the number of calls to file F.
 *   TM_FAIL_THREAD_AT=N     the Nth call to pthread_create returns EAGAIN.
 *   TM_FAIL_THREAD_COUNT=F  at exit, write the number of those calls to F.
 *
 * dlsym may itself allocate before the real functions are known: those
 * first blocks come from a small static pool, which free() ignores. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

static atomic_long calls, thread_calls;
static long fail_at;
static atomic_int state; /* 0 not started, 1 starting, 2 ready */

static _Alignas(16) char pool[8192];
static size_t pool_used;

static int in_pool(const void *p) { return (const char *)p >= pool && (const char *)p < pool + sizeof pool; }

static void *pool_take(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (pool_used + n > sizeof pool)
		return NULL;
	void *p = pool + pool_used;
	pool_used += n;
	return p; /* static storage: already zero */
}

static void start(void)
{
	int expect = 0;
	if (!atomic_compare_exchange_strong(&state, &expect, 1))
		return;
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	const char *at = getenv("TM_FAIL_ALLOC_AT");
	fail_at = at ? atol(at) : 0;
	atomic_store(&state, 2);
}

/* 1 when this call is the one to fail. */
static int this_one_fails(void)
{
	long n = atomic_fetch_add(&calls, 1) + 1;
	if (fail_at > 0 && n == fail_at) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *malloc(size_t n)
{
	if (atomic_load(&state) != 2) {
		start();
		if (atomic_load(&state) != 2)
			return pool_take(n);
	}
	return this_one_fails() ? NULL : real_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (atomic_load(&state) != 2) {
		start();
		if (atomic_load(&state) != 2)
			return size && n > SIZE_MAX / size ? NULL : pool_take(n * size);
	}
	return this_one_fails() ? NULL : real_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (atomic_load(&state) != 2)
		start();
	if (in_pool(p)) { /* a pool block moves to the real heap */
		void *q = malloc(n);
		if (q)
			memcpy(q, p,
			       n < (size_t)(pool + sizeof pool - (char *)p)
				       ? n
				       : (size_t)(pool + sizeof pool - (char *)p));
		return q;
	}
	return n && this_one_fails() ? NULL : real_realloc(p, n);
}

void free(void *p)
{
	if (!p || in_pool(p))
		return;
	if (atomic_load(&state) != 2)
		start();
	real_free(p);
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	static int (*real_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	if (!real_create)
		real_create = (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *),
				       void *))dlsym(RTLD_NEXT, "pthread_create");
	const char *at = getenv("TM_FAIL_THREAD_AT");
	if (atomic_fetch_add(&thread_calls, 1) + 1 == (at ? atol(at) : 0))
		return EAGAIN;
	return real_create(t, attr, fn, arg);
}

static void write_count(const char *env, long n)
{
	const char *file = getenv(env);
	if (!file)
		return;
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	char line[32];
	int len = snprintf(line, sizeof line, "%ld\n", n);
	if (write(fd, line, (size_t)len) < 0) {
		/* nothing to do: the test sees an empty file */
	}
	close(fd);
}

__attribute__((destructor)) static void write_counts(void)
{
	write_count("TM_FAIL_ALLOC_COUNT", atomic_load(&calls));
	write_count("TM_FAIL_THREAD_COUNT", atomic_load(&thread_calls));
}
