/* sort_keys.h -- sorting by integer keys, for the engine and the span
 * helpers: a radix sort where a qsort would spend its time calling the
 * comparison. */
#ifndef TM_LUA_SORT_KEYS_H
#define TM_LUA_SORT_KEYS_H

#include <stddef.h>
#include <stdint.h>

/* Sort k[0..n) in place, stably, carrying v[0..n) along (if not NULL).
 * tk and tv are scratch of n each (tv unused when v is NULL). */
void tml_sort_u64(uint64_t *k, uint32_t *v, uint64_t *tk, uint32_t *tv, size_t n);

#endif
