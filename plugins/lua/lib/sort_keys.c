/* sort_keys.c -- a stable radix sort of 64-bit keys (sort_keys.h). */
#include "sort_keys.h"

#include <string.h>

#define SMALL 32 /* keys sorted by insertion: fewer instructions than the radix passes below about this */

/* Sort k[0..n) in place, stably, by the integers themselves, carrying
 * v[0..n) along (if not NULL): nothing to do when they are in order, a
 * merge when they are two runs in order, else a radix sort a byte at a time from the
 * lowest, passing over the bytes all keys share (the high bytes of
 * offsets in an article). tk and tv hold n each. A qsort spent most of
 * its time calling the comparison. */
void tml_sort_u64(uint64_t *k, uint32_t *v, uint64_t *tk, uint32_t *tv, size_t n)
{
	if (n <= SMALL) { /* insertion sort: a radix pass costs its 256 counters whatever n is */
		for (size_t i = 1; i < n; i++) {
			uint64_t x = k[i];
			uint32_t y = v ? v[i] : 0;
			size_t j = i;
			for (; j > 0 && k[j - 1] > x; j--) {
				k[j] = k[j - 1];
				if (v)
					v[j] = v[j - 1];
			}
			k[j] = x;
			if (v)
				v[j] = y;
		}
		return;
	}
	/* Keys already in order but for one place, as two sorted lists put one
	 * after the other make them (the engine's scan: the lexicon's matches,
	 * then a token regex's): one merge, the first list's first on ties. */
	size_t cut = 0, runs = 1;
	for (size_t i = 1; i < n && runs <= 2; i++)
		if (k[i] < k[i - 1])
			runs++, cut = i;
	if (runs == 1)
		return;
	if (runs == 2) {
		size_t a = 0, b = cut, o = 0;
		while (a < cut && b < n) {
			size_t from = k[b] < k[a] ? b++ : a++;
			tk[o] = k[from];
			if (v)
				tv[o] = v[from];
			o++;
		}
		size_t rest = a < cut ? a : b, left = n - o;
		memcpy(tk + o, k + rest, left * sizeof *k);
		memcpy(k, tk, n * sizeof *k);
		if (v) {
			memcpy(tv + o, v + rest, left * sizeof *v);
			memcpy(v, tv, n * sizeof *v);
		}
		return;
	}
	uint64_t all_or = 0, all_and = ~(uint64_t)0;
	for (size_t i = 0; i < n; i++)
		all_or |= k[i], all_and &= k[i];
	uint64_t *src = k, *dst = tk;
	uint32_t *vsrc = v, *vdst = tv;
	for (int shift = 0; shift < 64; shift += 8) {
		if ((((all_or ^ all_and) >> shift) & 0xFF) == 0)
			continue; /* the same byte in every key */
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++)
			count[((src[i] >> shift) & 0xFF) + 1]++;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++) {
			size_t at = count[(src[i] >> shift) & 0xFF]++;
			dst[at] = src[i];
			if (v)
				vdst[at] = vsrc[i];
		}
		uint64_t *t = src;
		src = dst, dst = t;
		uint32_t *tt = vsrc;
		vsrc = vdst, vdst = tt;
	}
	if (src != k) {
		memcpy(k, src, n * sizeof *k);
		if (v)
			memcpy(v, vsrc, n * sizeof *v);
	}
}
