/* exindex.h -- the exact-duplicate index: 128-bit hashes of normalised
 * texts, each with the first document that had it. */
#ifndef DD_EXINDEX_H
#define DD_EXINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "ddfile.h"
#include "hash.h"

typedef struct ex_entry {
	dd_digest h;
	uint64_t order;
	uint64_t id_off;
	uint32_t id_len;
} ex_entry;

typedef struct ex_index {
	ex_entry *e;
	size_t n, cap;
	uint32_t *slot;  /* entry + 1; 0: empty */
	size_t slot_cap; /* a power of two */
	char *ids;
	size_t ids_len, ids_cap;
	uint64_t next_order;
} ex_index;

void ex_index_init(ex_index *ix);
void ex_index_free(ex_index *ix);
/* The entry with hash h, or -1. */
long long ex_index_find(const ex_index *ix, dd_digest h);
/* Add (h must be new); -1 when out of memory. */
int ex_index_add(ex_index *ix, dd_digest h, uint64_t order, const char *id, size_t id_len);

int ex_index_save(const ex_index *ix, uint32_t norm_flags, dd_out *o);
/* 0, or -1 with a message naming the file in in->err. */
int ex_index_load(ex_index *ix, uint32_t norm_flags, dd_in *in);

#endif
