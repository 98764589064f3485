/* ddfile.h -- the container of every dedup file (indexes and signature
 * files): a header, a parameter block, a body and a trailer with a CRC-32.
 * The layout is in docs/dedup.md; all numbers are little-endian.
 *
 * Writing goes through a callback, so the stages write with tm_file (the
 * file appears only when complete) and tools write with stdio. Reading
 * checks the whole file (magic, version, kind, size, checksum) before the
 * caller parses anything, and the caller still bounds-checks as it parses. */
#ifndef DD_FILE_H
#define DD_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DD_FILE_VERSION 1
#define DD_HEADER_SIZE 24
#define DD_TRAILER_SIZE 32
/* The longest document id an index or signature file holds. Stages reject
 * a document with a longer id, and a reader refuses a length above it, so
 * a damaged length field never turns into a huge allocation. */
#define DD_MAX_ID 65536

typedef enum dd_kind {
	DD_KIND_EXACT = 1,          /* dedup.exact index */
	DD_KIND_MINHASH = 2,        /* dedup.minhash index */
	DD_KIND_SIGNATURES = 3,     /* dedup.minhash signature records */
	DD_KIND_PARAGRAPH = 4,      /* dedup.paragraph counts */
	DD_KIND_EXACT_SHARD = 5,    /* dedup.exact: a shard's hashes, for the merge */
	DD_KIND_PARAGRAPH_SHARD = 6 /* dedup.paragraph: a shard's paragraph hashes */
} dd_kind;

const char *dd_kind_name(uint32_t kind);

typedef struct dd_out {
	int (*write)(void *ud, const void *data, size_t len); /* 0 on success */
	void *ud;
	uint32_t crc;
	uint64_t body;  /* body bytes written so far */
	uint64_t count; /* records, set by the caller before dd_out_end */
	int failed;
} dd_out;

void dd_out_begin(dd_out *o, uint32_t kind, const uint64_t *params, uint32_t n_params);
void dd_out_bytes(dd_out *o, const void *data, size_t len);
void dd_out_u32(dd_out *o, uint32_t v);
void dd_out_u64(dd_out *o, uint64_t v);
void dd_out_u32s(dd_out *o, const uint32_t *v, size_t n);
/* Writes the trailer; 0, or -1 if any write failed. */
int dd_out_end(dd_out *o);

/* A dd_out onto a stdio stream (tools, tests). */
int dd_stdio_write(void *ud, const void *data, size_t len);

typedef struct dd_in {
	FILE *f;
	uint32_t kind;
	uint32_t hash_version;
	uint64_t params[16];
	uint32_t n_params;
	uint64_t count;
	uint64_t body_start; /* file offset of the body */
	uint64_t body_left;  /* body bytes not read yet */
	uint64_t body_end;   /* file offset one past the body */
	char path[1024];
	char err[2048];
} dd_in;

/* Opens and verifies path as a file of `kind`. Returns 0 (ready to read
 * the body), 1 if the file does not exist, -1 with a message in in->err. */
int dd_in_open(dd_in *in, const char *path, uint32_t kind);
/* The file offset of the next body byte, for messages. */
uint64_t dd_in_tell(const dd_in *in);
/* A damaged file: "PATH is corrupt at byte AT (UNIT N): MESSAGE" into
 * in->err, without the parenthesis when unit is NULL; returns -1. unit
 * names what the file holds, such as "record" or "entry", counted from 0. */
int dd_in_corrupt(dd_in *in, uint64_t at, const char *unit, uint64_t n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Check the trailer's record count before anything is allocated for it:
 * at most max records, and `fixed` bytes then `count` records of at least
 * `each` bytes must fit in the body. units names the records in the
 * message ("entries"). 0, or -1 with a message. */
int dd_in_check_count(dd_in *in, const char *units, uint64_t max, uint64_t fixed, uint64_t each);
/* "PATH: out of memory for N WHAT" into in->err; returns -1. */
int dd_in_nomem(dd_in *in, uint64_t n, const char *what);
/* The ids that end an index body: exactly `total` bytes must be left.
 * *ids gets a new allocation (never NULL). 0, or -1 with a message. */
int dd_in_ids(dd_in *in, uint64_t total, char **ids);
/* Read from the body; -1 with a message if it ends too soon. */
int dd_in_bytes(dd_in *in, void *data, size_t len);
int dd_in_u32(dd_in *in, uint32_t *v);
int dd_in_u64(dd_in *in, uint64_t *v);
int dd_in_u32s(dd_in *in, uint32_t *v, size_t n);
void dd_in_close(dd_in *in);

/* Print the kind, record count and parameters of any dedup file at path
 * to stdout; messages go to stderr after "prog: ". 0, or 1 on an error. */
int dd_print_info(const char *path, const char *prog);

#endif
