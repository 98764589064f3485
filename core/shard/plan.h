/* plan.h -- the plan of a sharded run: from a loaded config to its phases
 * and the textmill command each phase runs, as data. Pure: it reads
 * nothing, writes nothing and runs nothing, so it is tested without Slurm
 * (tests/unit/test_shard_plan.c); slurm.c writes and submits the plan.
 *
 * A config with K stages that have a global phase (TM_STAGE_GLOBAL) runs
 * in 2K+1 phases: phase 1 runs every shard through the stages up to the
 * first global stage, which collects; phase 2 merges; phase 3 runs every
 * shard from that stage, which applies the merge's decisions, up to the
 * next global stage, which collects; and so on, until the last phase runs
 * the last global stage in apply and the stages after it into the outputs.
 * The plan names no stage type and no option: it asks the stage types. */
#ifndef TM_SHARD_PLAN_H
#define TM_SHARD_PLAN_H

#include "config.h"

#define SHARD_MAX 100000 /* five-digit shard names */
#define SHARD_NO_STAGE ((size_t)-1)

enum { SHARD_TASKS = 1, SHARD_MERGE = 2 };

typedef struct shard_phase {
	int kind;           /* SHARD_TASKS: one task per shard; SHARD_MERGE: one job */
	unsigned number;    /* 1, 2, ... */
	char name[16];      /* done markers, logs, stats: phase1, merge, phase3 (merge2, merge4 ... when K > 1) */
	char files[16];     /* tasks that collect: the folder of the documents that reached the
				  collecting stage, which the next phase reads (stage1, stage3 ...) */
	const char *title;  /* for the summary: collect, merge, outputs */
	size_t collects;    /* the stage whose global phase collects here (or merges), or SHARD_NO_STAGE */
	size_t applies;     /* the stage that applies a merge here, or SHARD_NO_STAGE */
	size_t first, last; /* the config's stages it runs, first..last (tasks) */
	char *what;         /* one line on what it does, for the job script */
	buf command;        /* the textmill command, as bash; uses $TEXTMILL $CONFIG $W $N $shard $s
				  $WORKERS $MERGE_MEMORY */
} shard_phase;

typedef struct shard_plan {
	shard_phase *phase;
	size_t n_phases;
	char **out_names; /* per output: its file name in WORK/out/shard-NNNNN/ */
	size_t n_outputs;
} shard_plan;

typedef struct shard_request {
	unsigned shards;
	const char *const *sets; /* the user's --set, for every phase */
	size_t n_sets;
	const char *const *inputs; /* the user's -i, absolute, for phase 1 */
	size_t n_inputs;
} shard_request;

/* 0, or -1 with a message in err (a config that cannot run sharded). */
TM_INTERNAL int shard_plan_make(shard_plan *pl, const pipeline_conf *pc, const shard_request *rq, buf *err);
TM_INTERNAL void shard_plan_free(shard_plan *pl);
/* The phase called name (phase1, merge ...), or NULL. */
TM_INTERNAL const shard_phase *shard_plan_find(const shard_plan *pl, const char *name);

/* s in single quotes, for bash. */
TM_INTERNAL void shard_sh_quote(buf *b, const char *s);
/* Characters a path may have to go unquoted into YAML values and bash words. */
TM_INTERNAL int shard_safe_path(const char *s);

#endif
