/* publish.h -- a run's files appear together. Each is written and synced
 * beside its target while the run goes on; only when every stage has
 * finished are they renamed into place, one after another. */
#ifndef TM_PUBLISH_H
#define TM_PUBLISH_H

#include "tempfile.h"

typedef struct publish publish;

/* The order of the renames: a document in an output but not yet in an
 * index is written again by the next run; the other way round it would
 * be lost. The summary comes last, so that it is there only when all is. */
enum { RANK_OUTPUT, RANK_STAGE, RANK_REJECTS, RANK_SUMMARY };

TM_INTERNAL publish *publish_new(void);
/* Claim path for a file of the run: -1 with a message if another file of
 * the run writes there already. */
TM_INTERNAL int publish_claim(publish *p, const char *path, buf *err);
/* A complete, synced temporary file, to rename over path at the end. */
TM_INTERNAL void publish_add(publish *p, int rank, char *tmp, const char *path, temp_entry *t);
/* Rename every file into place by rank, then sync their folders. -1 at
 * the first failure, with the message in err; *placed counts the files
 * renamed before it, and names lists them. */
TM_INTERNAL int publish_files(publish *p, buf *err, size_t *placed, buf *names);
/* Remove the files not renamed, and free. */
TM_INTERNAL void publish_free(publish *p);

#endif
