/* paths.h -- which file a path names, so that two writers of one file
 * are found before either writes. */
#ifndef TM_PATHS_H
#define TM_PATHS_H

#include <sys/types.h>

#include "config.h"

typedef struct target {
	char *name; /* the real path of its folder, then its own name */
	int exists; /* then dev and ino say which file it is */
	dev_t dev;
	ino_t ino;
	int shared; /* a character device (/dev/null): anyone may write it */
} target;

/* The folder through realpath (as far as it exists; the rest as written,
 * with "." and ".." applied), the name as given: renaming a file over
 * the target replaces that name, whatever it links to. "-" is stdout. */
TM_INTERNAL void target_resolve(const char *path, target *t);
/* Nonzero if writing one would overwrite the other: the same name, or
 * the same existing file by another name (a link). */
TM_INTERNAL int target_same(const target *a, const target *b);
TM_INTERNAL void target_free(target *t);

/* Every file the run will write (the outputs' paths, options that stages
 * list in `writes`, the rejects file, --summary-json) must be its
 * own: -1 with a message naming both writers and where they were set. */
TM_INTERNAL int check_written_paths(const pipeline_conf *pc, const char *summary_json, buf *err);

#endif
