/* hash.h -- the hash functions of the dedup family.
 *
 * Everything here is defined on bytes and little-endian words, so a hash,
 * a signature and an index file are the same on every machine. Changing
 * any of these functions changes every stored signature: bump
 * DD_HASH_VERSION, which is recorded in index and signature files. */
#ifndef DD_HASH_H
#define DD_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define DD_HASH_VERSION 2 /* 2: tone placement folded (norm.c) */

static inline uint64_t dd_rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/* The 64-bit finaliser of MurmurHash3: every input bit reaches every
 * output bit. */
static inline uint64_t dd_fmix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* SplitMix64: a seeded stream of well-mixed 64-bit values. */
static inline uint64_t dd_splitmix(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* FNV-1a over bytes, for short keys fed one byte at a time (words). */
#define DD_FNV_INIT 0xcbf29ce484222325ULL
static inline uint64_t dd_fnv_byte(uint64_t h, unsigned char c) { return (h ^ c) * 0x100000001b3ULL; }

/* Combine an ordered sequence of 64-bit values (a shingle of k tokens).
 * dd_combine_spread takes v already multiplied by DD_COMBINE_SPREAD, so a
 * token in k shingles is multiplied once, not k times. */
#define DD_COMBINE_SPREAD 0x9e3779b97f4a7c15ULL
static inline uint64_t dd_combine_spread(uint64_t h, uint64_t spread)
{
	return dd_rotl(h ^ spread, 27) * 0xc2b2ae3d27d4eb4fULL + 0x52dce729;
}
static inline uint64_t dd_combine(uint64_t h, uint64_t v) { return dd_combine_spread(h, v * DD_COMBINE_SPREAD); }

static inline uint64_t dd_load64le(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* A streaming 128-bit hash of a byte string: two lanes absorb 8-byte
 * little-endian words with different multipliers and rotations, then both
 * are finalised with the length. Not cryptographic: it tells texts apart,
 * it does not resist someone crafting collisions. */
typedef struct dd_h128 {
	uint64_t a, b;
	uint64_t total;
	unsigned char tail[8];
	unsigned ntail;
} dd_h128;

typedef struct dd_digest {
	uint64_t hi, lo;
} dd_digest;

static inline void dd_h128_init(dd_h128 *h, uint64_t seed)
{
	h->a = 0x6a09e667f3bcc908ULL ^ seed;
	h->b = 0xbb67ae8584caa73bULL ^ dd_rotl(seed, 32);
	h->total = 0;
	h->ntail = 0;
}

static inline void dd_h128_word(dd_h128 *h, uint64_t w)
{
	h->a = dd_rotl(h->a ^ (w * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL;
	h->b = dd_rotl(h->b + (w * 0x9e3779b97f4a7c15ULL), 29) * 0xc2b2ae3d27d4eb4fULL + h->a;
}

static inline void dd_h128_byte(dd_h128 *h, unsigned char c)
{
	h->tail[h->ntail++] = c;
	h->total++;
	if (h->ntail == 8) {
		dd_h128_word(h, dd_load64le(h->tail));
		h->ntail = 0;
	}
}

static inline void dd_h128_bytes(dd_h128 *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	while (len && h->ntail) {
		dd_h128_byte(h, *p++);
		len--;
	}
	for (; len >= 8; p += 8, len -= 8) {
		dd_h128_word(h, dd_load64le(p));
		h->total += 8;
	}
	while (len--)
		dd_h128_byte(h, *p++);
}

static inline dd_digest dd_h128_final(const dd_h128 *h)
{
	uint64_t a = h->a, b = h->b, w = 0;
	for (unsigned i = h->ntail; i-- > 0;)
		w = w << 8 | h->tail[i];
	a ^= w * 0xff51afd7ed558ccdULL;
	b ^= dd_rotl(w, 17);
	a ^= h->total;
	b ^= h->total * 0x9e3779b97f4a7c15ULL;
	a = dd_fmix64(a + b);
	b = dd_fmix64(b + a);
	return (dd_digest){a, b};
}

static inline dd_digest dd_hash128(const void *data, size_t len, uint64_t seed)
{
	dd_h128 h;
	dd_h128_init(&h, seed);
	dd_h128_bytes(&h, data, len);
	return dd_h128_final(&h);
}

#endif
