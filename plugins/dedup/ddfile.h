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

typedef enum dd_kind {
	DD_KIND_EXACT = 1,       /* dedup.exact index */
	DD_KIND_MINHASH = 2,     /* dedup.minhash index */
	DD_KIND_SIGNATURES = 3,  /* dedup.minhash signature records */
	DD_KIND_PARAGRAPH = 4    /* dedup.paragraph counts */
} dd_kind;

const char *dd_kind_name(uint32_t kind);

typedef struct dd_out {
	int (*write)(void *ud, const void *data, size_t len);  /* 0 on success */
	void *ud;
	uint32_t crc;
	uint64_t body;     /* body bytes written so far */
	uint64_t count;    /* records, set by the caller before dd_out_end */
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
	uint64_t body_left;
	char err[512];
} dd_in;

/* Opens and verifies path as a file of `kind`. Returns 0 (ready to read
 * the body), 1 if the file does not exist, -1 with a message in in->err. */
int dd_in_open(dd_in *in, const char *path, uint32_t kind);
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
