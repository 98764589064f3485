/* index_lock.h -- one writer per index. Two runs that load one index and
 * save it at the end lose each other's documents (the last save wins, and
 * what the other run added passes as new next time), so a stage that will
 * save an index holds an exclusive flock on INDEX.lock, beside it, from
 * create() (before the index is loaded) to destroy() (after the host has
 * committed it). The lock file says who holds it, so a second run can name
 * that run. The kernel drops the lock when its holder dies, so a crashed
 * run leaves nothing that blocks the next one. */
#ifndef DD_INDEX_LOCK_H
#define DD_INDEX_LOCK_H

#include <textmill/textmill.h>

/* Lock the index at path: *fd gets the lock's descriptor (-1 where the
 * file system has no locks: a warning is logged and the run goes on).
 * TM_OK, or TM_ERROR with a message naming the holder. */
int dd_index_lock(tm_ctx *ctx, const char *path, int *fd);
/* Release it (fd -1: nothing to do). */
void dd_index_unlock(int *fd);

#endif
