/* proc.h -- what the Slurm driver needs of processes and files: running a
 * command and reading its output, finding programs, reading a file. */
#ifndef TM_SHARD_PROC_H
#define TM_SHARD_PROC_H

#include "util.h"

/* Run argv, its stdout into *out (if given) and its stderr into *err (if
 * given; else to ours). The exit status, or -1 if it could not run. */
TM_INTERNAL int proc_run(char *const argv[], buf *out, buf *err);
/* name on $PATH (free() it), or NULL. */
TM_INTERNAL char *proc_find(const char *name);
/* This program's own path (free() it), or NULL. */
TM_INTERNAL char *proc_self(void);
/* A whole file as a string (free() it), or NULL. */
TM_INTERNAL char *proc_read_file(const char *path);

#endif
