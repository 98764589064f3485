/* stitch.h -- one shard's run summary from its phases' summaries. A
 * sharded run cuts the pipeline at each stage with a global phase: phase 1
 * runs stages 0..K, where K only collects; phase 3 runs from K, which now
 * applies, under its own list's labels (stages.0 is the config's K); and so
 * on. Put back together, the phases are the summary of one run of the
 * shard through the whole pipeline, as `textmill report` adds them up. */
#ifndef TM_SHARD_STITCH_H
#define TM_SHARD_STITCH_H

#include "util.h"

/* The summaries (--summary-json texts) of one shard's task phases, in
 * order (phase1, phase3, ...): 0 and the stitched summary appended to out,
 * or -1 with a message in err (`names` name the texts in it). */
TM_INTERNAL int shard_stitch(const char *const *texts, const char *const *names, size_t n, buf *out, buf *err);

#endif
