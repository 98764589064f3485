/* writer.h -- runs the outputs on a thread of their own, a batch behind
 * the stages, so a slow output (SQLite) overlaps with the stages of the
 * next batch. */
#ifndef TM_WRITER_H
#define TM_WRITER_H

#include "reader.h"

/* Writes one finished batch; nonzero, with the message in failure, stops
 * the writing (the batches after it are only handed back). */
typedef int writer_fn(void *arg, batch *b, buf *failure);

typedef struct writer writer;

/* Batches pushed are written in order, then handed back to rd. Without a
 * thread to be had, writer_push writes on the caller's thread. */
TM_INTERNAL writer *writer_start(reader *rd, writer_fn *write, void *arg);
/* Queue a batch (blocks while BATCHES are queued). */
TM_INTERNAL void writer_push(writer *w, batch *b);
/* Nonzero, with the message in failure if it is empty, once a write has failed. */
TM_INTERNAL int writer_failed(writer *w, buf *failure);
/* Write what is queued (skipped after a failure), then stop the thread;
 * nonzero, with the message in failure if it is empty, if a write failed. */
TM_INTERNAL int writer_stop(writer *w, buf *failure);
/* The run has failed: write nothing more, hand the queue back and stop. */
TM_INTERNAL void writer_cancel(writer *w);

#endif
