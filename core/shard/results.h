/* results.h -- what a sharded run left in its work folder, read back as
 * one run per shard: the documents it wrote and its summary, stitched from
 * its phases' (stitch.h). For `textmill report WORK` and the end of
 * `textmill slurm --wait`. */
#ifndef TM_SHARD_RESULTS_H
#define TM_SHARD_RESULTS_H

#include "util.h"

typedef struct shard_results {
	unsigned shards;
	unsigned phases;  /* task phases: 1, 3, 5 ... */
	char **docs;      /* per shard: its JSON Lines output, WORK/out/shard-NNNNN/NAME */
	char **summaries; /* per shard: its run summary as one run's, JSON */
} shard_results;

/* Is path the work folder of a sharded run (it has jobs/command)? */
TM_INTERNAL int shard_is_work(const char *path);
/* 0, or -1 with a message in err: not a work folder, a shard not done, no
 * JSON Lines output, a summary that does not read. */
TM_INTERNAL int shard_results_read(shard_results *sr, const char *work, buf *err);
TM_INTERNAL void shard_results_free(shard_results *sr);

#endif
