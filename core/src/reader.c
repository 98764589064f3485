/* reader.c -- a producer thread and a small ring of batches. The ring is
 * the only buffer between reading and processing, so memory stays bounded
 * whatever the size of the input. */
#include "reader.h"

#include <pthread.h>
#include <stdlib.h>

#include "guard.h"

struct reader {
	input *in;
	batch batches[BATCHES];
	size_t next_fill, next_take; /* ring positions, counted forever */
	size_t filled, released;
	int stop, done;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	pthread_t thread;
	int started;
};

static void fill(reader *rd, batch *b)
{
	double t0 = now_seconds();
	b->n = 0;
	b->end = 0;
	buf_clear(&b->error);
	size_t bytes = 0;
	while (b->n < BATCH && bytes < BATCH_BYTES) {
		buf_clear(&b->raws[b->n]);
		int got = input_next(rd->in, b->docs[b->n], &b->raws[b->n], &b->error);
		if (got <= 0) {
			b->end = 1; /* at the end, or an error: either way nothing follows */
			break;
		}
		bytes += b->docs[b->n]->bytes;
		b->n++;
	}
	b->seconds = now_seconds() - t0;
}

static void *reader_main(void *arg)
{
	reader *rd = arg;
	/* Signals are for the main thread, which decides how to stop; a
	 * crash here must still reach the crash handler. */
	guard_block_interrupts();
	for (;;) {
		pthread_mutex_lock(&rd->mu);
		while (!rd->stop && rd->next_fill - rd->released >= BATCHES)
			pthread_cond_wait(&rd->changed, &rd->mu);
		if (rd->stop) {
			pthread_mutex_unlock(&rd->mu);
			break;
		}
		batch *b = &rd->batches[rd->next_fill % BATCHES];
		pthread_mutex_unlock(&rd->mu);

		fill(rd, b);

		pthread_mutex_lock(&rd->mu);
		rd->next_fill++;
		rd->filled++;
		int end = b->end;
		pthread_cond_broadcast(&rd->changed);
		pthread_mutex_unlock(&rd->mu);
		if (end)
			break;
	}
	return NULL;
}

reader *reader_start(input *in)
{
	reader *rd = xcalloc(1, sizeof *rd);
	rd->in = in;
	for (size_t k = 0; k < BATCHES; k++)
		for (size_t i = 0; i < BATCH; i++)
			rd->batches[k].docs[i] = doc_new();
	pthread_mutex_init(&rd->mu, NULL);
	pthread_cond_init(&rd->changed, NULL);
	rd->started = pthread_create(&rd->thread, NULL, reader_main, rd) == 0;
	return rd;
}

batch *reader_next(reader *rd)
{
	if (!rd->started) { /* no thread to be had: read here instead */
		batch *b = &rd->batches[rd->next_take++ % BATCHES];
		fill(rd, b);
		return b;
	}
	pthread_mutex_lock(&rd->mu);
	while (rd->filled <= rd->next_take)
		pthread_cond_wait(&rd->changed, &rd->mu);
	batch *b = &rd->batches[rd->next_take++ % BATCHES];
	pthread_mutex_unlock(&rd->mu);
	return b;
}

void reader_release(reader *rd, batch *b)
{
	(void)b; /* batches come back in the order they were taken */
	pthread_mutex_lock(&rd->mu);
	rd->released++;
	pthread_cond_broadcast(&rd->changed);
	pthread_mutex_unlock(&rd->mu);
}

void reader_stop(reader *rd)
{
	if (!rd)
		return;
	if (rd->started) {
		pthread_mutex_lock(&rd->mu);
		rd->stop = 1;
		pthread_cond_broadcast(&rd->changed);
		pthread_mutex_unlock(&rd->mu);
		pthread_join(rd->thread, NULL);
	}
	for (size_t k = 0; k < BATCHES; k++) {
		for (size_t i = 0; i < BATCH; i++) {
			doc_free(rd->batches[k].docs[i]);
			buf_free(&rd->batches[k].raws[i]);
		}
		buf_free(&rd->batches[k].error);
	}
	pthread_mutex_destroy(&rd->mu);
	pthread_cond_destroy(&rd->changed);
	free(rd);
}
