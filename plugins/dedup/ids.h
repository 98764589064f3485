/* ids.h -- the document ids an index keeps: one growing byte array, each
 * id an (offset, length) into it, so an index of millions of documents
 * makes a handful of allocations, not one per id. */
#ifndef DD_IDS_H
#define DD_IDS_H

#include <stdlib.h>
#include <string.h>

/* Append len bytes to *ids (length *n, capacity *cap); -1 if out of memory.
 * The array is made by the first call, even for an empty id, so an entry's
 * id is never a null pointer (memcmp and pointer arithmetic on NULL are
 * undefined, even for zero bytes). */
static inline int dd_ids_put(char **ids, size_t *n, size_t *cap, const char *id, size_t len)
{
	if (!*ids || *n + len > *cap) {
		size_t c = *cap ? *cap : 1 << 16;
		while (c < *n + len)
			c *= 2;
		char *p = realloc(*ids, c);
		if (!p)
			return -1;
		*ids = p;
		*cap = c;
	}
	memcpy(*ids + *n, id, len);
	*n += len;
	return 0;
}

#endif
