/* alloc.c -- the toolkit's one way to allocate, which tests can make fail. */
#include "textmill/kit.h"

#include <stdlib.h>

static void *(*realloc_fn)(void *, size_t) = realloc;

void kit_set_realloc(void *(*fn)(void *ptr, size_t size)) { realloc_fn = fn ? fn : realloc; }

void *kit_realloc(void *ptr, size_t size) { return realloc_fn(ptr, size); }

void *kit_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	void *p = kit_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

char *kit_strndup(const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = kit_malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}
