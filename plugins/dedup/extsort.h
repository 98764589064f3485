/* extsort.h -- an external sort of small fixed records in bounded memory,
 * for textmill-dedup's merge step.
 *
 * A record is a 64-bit key `a` and a 32-bit value `b`, ordered by (a, b).
 * Records are collected in a buffer of a fixed size; a full buffer is
 * radix-sorted and written to a run file; reading merges the runs (k-way,
 * through a heap), merging groups of runs first when there are too many to
 * open at once. Memory: the buffer (16 bytes a record) and its radix
 * scratch (as much again), plus a 64 KiB read buffer per open run. */
#ifndef TM_EXTSORT_H
#define TM_EXTSORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ES_FAN_IN 128 /* runs merged at once, by default */

typedef struct es_rec {
	uint64_t a;
	uint32_t b;
	uint32_t pad;
} es_rec;

typedef struct es_run {
	char *path;
	FILE *f;
	es_rec cur;
} es_run;

typedef struct extsort {
	char *dir, *name; /* run files: DIR/NAME-RUN.run */
	int with_b;       /* 0: records are keys only (8 bytes on disk) */
	es_rec *buf, *scratch;
	size_t n, cap;
	es_run *runs;
	size_t n_runs, next_run;
	size_t fan_in; /* runs open at once while merging (2 or more) */
	/* reading */
	size_t *heap, n_heap; /* indexes into runs */
	size_t pos;           /* reading straight from buf (no runs) */
	int reading;
	/* statistics */
	uint64_t records;       /* put so far */
	uint64_t bytes_written; /* to run files, merges included */
	size_t runs_made;
	char err[512];
} extsort;

/* mem_bytes: for the buffer and its scratch together. 0, or -1 with a
 * message in s->err. */
int es_init(extsort *s, const char *dir, const char *name, size_t mem_bytes, int with_b);
int es_put(extsort *s, uint64_t a, uint32_t b);
/* Ends the input. spill: write the last buffer to a run even when it is the
 * only one, so the buffer's memory is freed before reading. */
int es_finish(extsort *s, int spill);
/* The next record in order: 1, 0 at the end, -1 on a read error. */
int es_next(extsort *s, uint64_t *a, uint32_t *b);
/* Frees everything and removes the run files. */
void es_free(extsort *s);

#endif
