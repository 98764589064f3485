/* kit_oom.h -- make the toolkit's allocator fail, for its out-of-memory paths. */
#ifndef TM_KIT_OOM_H
#define TM_KIT_OOM_H

#include <stdlib.h>

#include "textmill/kit.h"

static long oom_left; /* allocations that still succeed; < 0: all do */

static void *oom_realloc(void *p, size_t n)
{
	if (oom_left == 0)
		return NULL;
	if (oom_left > 0)
		oom_left--;
	return realloc(p, n);
}

/* The next `succeed` allocations of the toolkit succeed, then all fail. */
static inline void oom_after(long succeed)
{
	oom_left = succeed;
	kit_set_realloc(oom_realloc);
}

static inline void oom_off(void) { kit_set_realloc(NULL); }

#endif
