/* decide.h -- dedup.minhash's decisions over the signature files of all the
 * shards of a sharded run, sort-based, in bounded memory (decide.c). */
#ifndef DD_DECIDE_H
#define DD_DECIDE_H

#include <stddef.h>
#include <stdint.h>

#include "rule.h"

typedef struct dd_decide_opts {
	double threshold;
	uint32_t bands, rows; /* 0: chosen from threshold, as the stage chooses them */
	int verify, quiet;
	mh_keep keep;
	const char *out_path;   /* every duplicate, one line each (or NULL) */
	const char *split_dir;  /* DIR/drop-NNNNN.tsv, DIR/marks-NNNNN.tsv per input (or NULL) */
	const char *stats_path; /* figures as JSON (or NULL) */
	const char *tmp_root;   /* temporary files (NULL: $TMPDIR, else /tmp) */
	size_t memory, fan_in;  /* sort buffer in bytes; runs merged at once (0: 128) */
	uint64_t offset_step;   /* input k's order keys start at k * offset_step (0: no line field) */
} dd_decide_opts;

typedef struct dd_decide_counts {
	uint64_t documents, duplicates, superseded;
} dd_decide_counts;

/* 0 (with the counts in *counts, if not NULL), or -1 with the message in
 * err. Every file appears whole or not at all. */
int dd_decide(const dd_decide_opts *o, char *const *paths, size_t n, dd_decide_counts *counts, char *err,
	      size_t errlen);
/* Merge signature files by order key into one at `out`. */
int dd_decide_merge(const char *out, const char *const *paths, size_t n, char *err, size_t errlen);

#endif
