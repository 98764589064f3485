/* tempfile.h -- temporary files beside their target, named after the
 * process that made them, and listed so that an interrupt or a crash can
 * remove them. */
#ifndef TM_TEMPFILE_H
#define TM_TEMPFILE_H

#include "util.h"

typedef struct temp_entry temp_entry;

/* Create ".NAME.tmp-PID-HOST-XXXXXX" beside path (making the directories
 * that lead to it), with the mode a new file gets, and list it. First
 * removes the temporary files for the same target that this host's
 * processes left and that no longer run (said on stderr unless quiet).
 * reserved: a name for a file that a stage writes by other means
 * (tm_file_temp), removed with NAME-journal, NAME-wal and NAME-shm.
 * Returns the name (free it) and, in *fd, the open file; NULL with
 * "cannot create PATH: why" in err. */
TM_INTERNAL char *temp_create(const char *path, int reserved, int quiet, int *fd, temp_entry **entry, buf *err);
/* The file is gone (renamed into place or removed): stop listing it. */
TM_INTERNAL void temp_forget(temp_entry *e);
/* Unlink every listed file, once the files being created are listed;
 * async-signal-safe. Only for a process that ends: no file is created
 * after it (the threads that would create one wait for the end). */
TM_INTERNAL void temps_remove(void);
/* The run is over, its stages destroyed: free the entries of files that
 * are gone, and of names reserved for a stage (tm_file_temp), which has
 * put them in place or removed them by now. Only with no handler left
 * that could be walking the list. */
TM_INTERNAL void temps_clear(void);

#endif
