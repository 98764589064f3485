/* writer.c -- a consumer thread and a queue of at most BATCHES batches.
 * The queue is bounded like the reader's ring, so a slow output holds the
 * stages back instead of letting finished batches pile up in memory. */
#include "writer.h"

#include <pthread.h>
#include <stdlib.h>

#include "guard.h"

struct writer {
	reader *rd;
	writer_fn *write;
	void *arg;
	batch *queue[BATCHES];
	size_t head, tail; /* pushed and taken, counted forever */
	int closing, failed;
	buf failure;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	pthread_t thread;
	int started;
};

static void write_one(writer *w, batch *b)
{
	if (!w->failed) {
		buf failure = {0};
		if (w->write(w->arg, b, &failure)) {
			pthread_mutex_lock(&w->mu);
			w->failed = 1;
			buf_puts(&w->failure, failure.p ? failure.p : "write failed");
			pthread_mutex_unlock(&w->mu);
		}
		buf_free(&failure);
	}
	reader_release(w->rd, b);
}

static void *writer_main(void *arg)
{
	writer *w = arg;
	guard_block_interrupts(); /* as the reader: signals are the main thread's */
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->head == w->tail && !w->closing)
			pthread_cond_wait(&w->changed, &w->mu);
		if (w->head == w->tail)
			break;
		batch *b = w->queue[w->tail % BATCHES];
		pthread_mutex_unlock(&w->mu);
		write_one(w, b);
		pthread_mutex_lock(&w->mu);
		w->tail++;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

writer *writer_start(reader *rd, writer_fn *write, void *arg)
{
	writer *w = xcalloc(1, sizeof *w);
	w->rd = rd;
	w->write = write;
	w->arg = arg;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->changed, NULL);
	w->started = pthread_create(&w->thread, NULL, writer_main, w) == 0;
	return w;
}

void writer_push(writer *w, batch *b)
{
	if (!w->started) {
		write_one(w, b);
		return;
	}
	pthread_mutex_lock(&w->mu);
	while (w->head - w->tail >= BATCHES)
		pthread_cond_wait(&w->changed, &w->mu);
	w->queue[w->head++ % BATCHES] = b;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->mu);
}

int writer_failed(writer *w, buf *failure)
{
	pthread_mutex_lock(&w->mu);
	int failed = w->failed;
	if (failed && !failure->len)
		buf_puts(failure, w->failure.p);
	pthread_mutex_unlock(&w->mu);
	return failed;
}

int writer_stop(writer *w, buf *failure)
{
	if (!w)
		return 0;
	if (w->started) {
		pthread_mutex_lock(&w->mu);
		w->closing = 1;
		pthread_cond_broadcast(&w->changed);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
	}
	int failed = w->failed;
	if (failed && w->failure.len && !failure->len)
		buf_puts(failure, w->failure.p);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->changed);
	buf_free(&w->failure);
	free(w);
	return failed;
}

void writer_cancel(writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->failed = 1;
	pthread_mutex_unlock(&w->mu);
	buf ignored = {0};
	writer_stop(w, &ignored);
	buf_free(&ignored);
}
