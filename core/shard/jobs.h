/* jobs.h -- the job scripts of a sharded run, filled in from the templates
 * in core/shard/jobs (installed in share/textmill/jobs). */
#ifndef TM_SHARD_JOBS_H
#define TM_SHARD_JOBS_H

#include "plan.h"
#include "slurm.h"

typedef struct jobs_env {
	const char *work, *jobs, *name; /* WORK, WORK/jobs, the run's name (job names) */
	const char *textmill, *config, *key;
	unsigned workers;
} jobs_env;

/* Write settings.sh, one script per phase (NAME.sh) and run-local.sh into
 * env->jobs. 0, or -1 with a message on stderr. */
TM_INTERNAL int jobs_write(const shard_plan *pl, const slurm_opts *o, const jobs_env *env);
/* Write `text` to path whole or not at all; -1 with a message on stderr. */
TM_INTERNAL int jobs_write_file(const char *path, const char *text, int executable);

#endif
