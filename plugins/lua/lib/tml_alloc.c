/* tml_alloc.c -- a cache of small freed blocks for one Lua state.
 *
 * Rule scripts make and drop thousands of small tables and strings per
 * document; the garbage collector frees them in bursts and the next
 * document asks for the same sizes again. malloc's own per-thread cache
 * holds only a few blocks of each size, so most of those calls took its
 * slow path. Here freed blocks of up to TML_SMALL bytes wait on a list per
 * 16-byte size class, up to a bound, for the next request of that class. */
#include <stdlib.h>
#include <string.h>

#include "tml_core.h"

static size_t class_of(size_t size) { return (size - 1) / TML_GRAIN; }

/* The size malloc is asked for: the whole class, so any block of the class
 * can serve any request in it. */
static size_t class_size(size_t size) { return (class_of(size) + 1) * TML_GRAIN; }

static void *take(tml_alloc *a, size_t size)
{
	size_t c = class_of(size);
	tml_free_block *b = a->free[c];
	if (b) {
		a->free[c] = b->next;
		a->count[c]--;
		return b;
	}
	return malloc(class_size(size));
}

static void give(tml_alloc *a, void *p, size_t size)
{
	size_t c = class_of(size);
	if (a->count[c] >= TML_KEEP) {
		free(p);
		return;
	}
	tml_free_block *b = p;
	b->next = a->free[c];
	a->free[c] = b;
	a->count[c]++;
}

void *tml_alloc_slow(tml_alloc *a, void *ptr, size_t osize, size_t nsize)
{
	if (!TML_ALLOC_CACHE) {
		if (nsize == 0) {
			free(ptr);
			return NULL;
		}
		return realloc(ptr, nsize);
	}
	int small_old = ptr && osize <= TML_SMALL, small_new = nsize && nsize <= TML_SMALL;
	if (nsize == 0) {
		if (small_old)
			give(a, ptr, osize);
		else
			free(ptr);
		return NULL;
	}
	if (!ptr)
		return small_new ? take(a, nsize) : malloc(nsize);
	if (!small_old && !small_new)
		return realloc(ptr, nsize);
	if (small_old && small_new && class_of(osize) == class_of(nsize))
		return ptr;
	void *p = small_new ? take(a, nsize) : malloc(nsize);
	if (!p)
		return NULL; /* Lua keeps the old block */
	memcpy(p, ptr, osize < nsize ? osize : nsize);
	if (small_old)
		give(a, ptr, osize);
	else
		free(ptr);
	return p;
}

void tml_alloc_free_all(tml_alloc *a)
{
	for (size_t c = 0; c < TML_CLASSES; c++) {
		while (a->free[c]) {
			tml_free_block *b = a->free[c];
			a->free[c] = b->next;
			free(b);
		}
		a->count[c] = 0;
	}
}
