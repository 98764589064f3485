/* global.h -- the host's side of a stage's global phase in a sharded run
 * (TM_STAGE_GLOBAL, stage.h): which stage is in which phase, for which
 * shard, with which folder, and the merge call of phase 2. */
#ifndef TM_GLOBAL_H
#define TM_GLOBAL_H

#include "config.h"

typedef struct global_role {
	int mode; /* TM_GLOBAL_* */
	unsigned shard, shards;
	char *dir;     /* the stage's folder */
	size_t stage;  /* its index in pc->stages */
	size_t memory; /* merge: bytes it should keep within (0: not given) */
} global_role;

/* `--global MODE:STAGE:I/N:DIR` of run (MODE collect or apply, STAGE a
 * label such as stages.2): check it against the loaded config, make DIR,
 * and give the stage its role. -1 with a message in err. */
TM_INTERNAL int global_bind(pipeline_conf *pc, const char *arg, global_role *role, buf *err);
TM_INTERNAL void global_role_free(global_role *role);
/* mkdir -p; -1 with a message in err. */
TM_INTERNAL int global_mkdirs(const char *path, buf *err);

/* Phase 2: the merge() of stage `label` over `shards` shards, in DIR.
 * Prints the stage's counters (unless quiet) and writes them with the
 * time and peak memory as JSON to summary_json (if not NULL). Returns an
 * exit status. */
TM_INTERNAL int global_merge(pipeline_conf *pc, const char *label, unsigned shards, const char *dir, size_t memory,
			     const char *summary_json, int quiet);

#endif
