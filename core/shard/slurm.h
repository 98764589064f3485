/* slurm.h -- the Slurm driver of a sharded run: it writes the plan's job
 * scripts into the work folder, submits what is not done, follows the jobs
 * and reports a failure; core/cli/slurm.c reads the command line. */
#ifndef TM_SHARD_SLURM_H
#define TM_SHARD_SLURM_H

#include "config.h"

typedef struct slurm_opts {
	const char *config, *work, *partition, *time, *account, *mem, *merge_mem, *merge_tmp;
	unsigned shards, cpus, max_array;
	int wait, dry_run, restart, quiet;
	const char **sbatch;
	size_t n_sbatch;
	overrides ov; /* --set, -i, -j */
} slurm_opts;

/* `textmill slurm` once its options are read; returns the exit status. */
TM_INTERNAL int slurm_run(const slurm_opts *o);

#endif
