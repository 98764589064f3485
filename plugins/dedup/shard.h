/* shard.h -- what the three dedup stages share in a sharded run
 * (TM_STAGE_GLOBAL, docs/dedup.md): their files in the run's folder, and
 * the per-shard lists of decisions that the merge writes and phase 3 reads
 * in step with the documents. */
#ifndef DD_SHARD_H
#define DD_SHARD_H

#include <stdint.h>
#include <stdio.h>

#include <textmill/textmill.h>

#include "ddfile.h"

#define DD_SHARD_BITS 40 /* shard k's order keys start at k << 40 */

/* "DIR/NAME-NNNNN.EXT" in the stage's folder (free() it). */
char *dd_shard_path(const tm_ctx *ctx, const char *name, unsigned shard, const char *ext);

/* Refuse, in a sharded run, an option the stage cannot honour there
 * (an index the shards cannot share, a report each shard would write). */
int dd_shard_refuse(tm_ctx *ctx, const tm_options *opts, const char *option, const char *why);

/* A list of decisions, one line per document it names, in the order of
 * the documents: ID<TAB>WHAT<TAB>DATA<TAB>LINE, where LINE counts the
 * documents that reached the stage in its shard from 1, and ID and WHAT
 * escape backslash, tab, newline and carriage return (\\ \t \n \r). */
typedef struct dd_list {
	FILE *f;
	char *path;
	char *line; /* the next entry, split in place */
	size_t cap;
	uint64_t at;     /* its LINE; 0: no more entries */
	uint64_t lineno; /* of the file, for messages */
	const char *field[3];
	size_t len[3]; /* ID and WHAT unescaped */
	int used;      /* the entry was handed out: read the next one first */
} dd_list;

/* Open shard's list NAME-NNNNN.tsv; TM_ERROR (message in ctx) if it is
 * missing or its first entry is malformed. */
int dd_list_open(dd_list *l, tm_ctx *ctx, const char *name);
/* The entry for the document at `line`, if the list has one (1; its fields
 * stay valid until the next call), else 0; TM_ERROR if the list is
 * malformed, out of order, or names another document there. */
int dd_list_at(dd_list *l, tm_ctx *ctx, uint64_t line, const tm_doc *doc);
/* TM_ERROR if entries are left after the shard's last document. */
int dd_list_end(dd_list *l, tm_ctx *ctx, uint64_t documents);
void dd_list_close(dd_list *l);

/* The merge's side of one shard: open what it collected, "DIR/shard-NNNNN.EXT"
 * of `kind` (0, or TM_ERROR with the message in ctx; in->path names it),
 * and at the end close it and commit the shard's list, or abort it when
 * rc says the shard failed. */
typedef struct dd_list_out dd_list_out;
int dd_shard_in_open(dd_in *in, tm_ctx *ctx, unsigned shard, const char *ext, uint32_t kind);
int dd_shard_in_done(dd_in *in, dd_list_out *out, int rc);

/* A list being written by the merge (through tm_file). */
struct dd_list_out {
	tm_file *f;
	char *buf;
	size_t len, cap;
};

int dd_list_create(dd_list_out *o, tm_ctx *ctx, const char *name, unsigned shard);
/* One entry; id and what are escaped here. */
int dd_list_put(dd_list_out *o, tm_ctx *ctx, const char *id, size_t id_len, const char *what, size_t what_len,
		const char *data, size_t data_len, uint64_t line);
int dd_list_commit(dd_list_out *o);
void dd_list_abort(dd_list_out *o);

#endif
