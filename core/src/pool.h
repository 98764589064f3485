/* pool.h -- worker threads that run one function over slices of a batch. */
#ifndef TM_POOL_H
#define TM_POOL_H

#include "util.h"

typedef struct pool pool;
typedef void (*pool_fn)(void *arg, unsigned worker, unsigned workers);

/* A pool of `workers` workers: the caller's thread is worker 0. */
TM_INTERNAL pool *pool_new(unsigned workers);
/* Call fn(arg, w, workers) on every worker and wait for all of them. */
TM_INTERNAL void pool_run(pool *p, pool_fn fn, void *arg);
TM_INTERNAL void pool_free(pool *p);

#endif
