/* input.h -- documents from files or stdin, read by the input readers
 * (plugins of TM_STAGE_INPUT): the `input:` of a config, and reading. */
#ifndef TM_INPUT_H
#define TM_INPUT_H

#include "config.h"
#include "doc.h"

typedef struct input input;

/* Bind `input:` (the node `in`, a mapping): its type (the reader it names)
 * and paths into pc->input, and each reader's own options into
 * pc->readers. -1 with a message naming the place in err. */
TM_INTERNAL int input_bind(pipeline_conf *pc, const tm_node *in, buf *err);

/* Expand the configured paths (globs, directories) into a sorted file list. */
TM_INTERNAL input *input_open(const pipeline_conf *pc, buf *err);
/* Read the next record into doc (reset first). Returns 1 for a record, 0 at
 * the end, -1 on an I/O error (message in err). A record that cannot be
 * read comes back rejected, with its raw bytes in raw. */
TM_INTERNAL int input_next(input *in, tm_doc *doc, buf *raw, buf *err);
TM_INTERNAL size_t input_file_count(const input *in);
TM_INTERNAL unsigned long long input_total_bytes(const input *in); /* 0 if unknown */
/* Whether reading may wait for a writer (stdin, a FIFO, a device): not
 * only for the disk. */
TM_INTERNAL int input_may_wait(const input *in);
TM_INTERNAL void input_close(input *in);

#endif
