/* reader.h -- reads input on a thread of its own, a few batches ahead of
 * the stages, so parsing overlaps with processing. */
#ifndef TM_READER_H
#define TM_READER_H

#include "doc.h"
#include "input.h"

#define BATCH 256              /* documents per batch */
#define BATCHES 4              /* batches in flight: read, processed, written, spare */
#define BATCH_BYTES (32 << 20) /* a batch also ends once it holds this much input */

typedef struct batch {
	tm_doc *docs[BATCH];
	buf raws[BATCH];            /* the raw record of a document rejected while reading */
	unsigned char alive[BATCH]; /* still kept after the stages so far */
	size_t n;
	int end;        /* the input ends after this batch */
	double seconds; /* spent reading it */
	buf error;      /* an I/O error: the run must stop */
} batch;

typedef struct reader reader;

TM_INTERNAL reader *reader_start(input *in);
/* The next batch, in input order (blocks until it is read). */
TM_INTERNAL batch *reader_next(reader *rd);
/* Hand a processed batch back for reuse. */
TM_INTERNAL void reader_release(reader *rd, batch *b);
/* Stop the thread (at once, also mid-input) and free the batches. */
TM_INTERNAL void reader_stop(reader *rd);

#endif
