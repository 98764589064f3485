/* pool.c -- a fork-join pool: each call hands every worker the same job
 * and returns when all are done, so a stage sees whole batches. */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

struct pool {
	unsigned workers;
	pthread_t *threads;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned long generation;
	unsigned pending;
	int quit;
	pool_fn fn;
	void *arg;
};

typedef struct worker_arg {
	pool *p;
	unsigned index;
} worker_arg;

static void *worker_main(void *v)
{
	worker_arg *wa = v;
	pool *p = wa->p;
	unsigned me = wa->index;
	free(wa);
	unsigned long seen = 0;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->generation == seen && !p->quit)
			pthread_cond_wait(&p->go, &p->mu);
		if (p->quit)
			break;
		seen = p->generation;
		pool_fn fn = p->fn;
		void *arg = p->arg;
		pthread_mutex_unlock(&p->mu);
		fn(arg, me, p->workers);
		pthread_mutex_lock(&p->mu);
		if (--p->pending == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

pool *pool_new(unsigned workers)
{
	pool *p = xcalloc(1, sizeof *p);
	p->workers = workers ? workers : 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	p->threads = xcalloc(p->workers, sizeof *p->threads);
	for (unsigned i = 1; i < p->workers; i++) {
		worker_arg *wa = xmalloc(sizeof *wa);
		wa->p = p;
		wa->index = i;
		if (pthread_create(&p->threads[i], NULL, worker_main, wa)) {
			free(wa);
			p->workers = i; /* run with the threads we could start */
			break;
		}
	}
	return p;
}

void pool_run(pool *p, pool_fn fn, void *arg)
{
	if (p->workers == 1) {
		fn(arg, 0, 1);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->fn = fn;
	p->arg = arg;
	p->pending = p->workers - 1;
	p->generation++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	fn(arg, 0, p->workers);
	pthread_mutex_lock(&p->mu);
	while (p->pending)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void pool_free(pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 1; i < p->workers; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	free(p->threads);
	free(p);
}
