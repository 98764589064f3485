/* minhash.c -- shingling, signatures and the choice of bands. */
#include "minhash.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

#define CHUNK 512 /* fingerprints folded into the signature at a time */
#define MAX_K 64

int mh_hasher_init(mh_hasher *h, const mh_params *p)
{
	h->p = *p;
	h->a = malloc(p->perms * sizeof *h->a);
	h->b = malloc(p->perms * sizeof *h->b);
	if (!h->a || !h->b || dd_norm_init(&h->norm, p->norm_flags)) {
		mh_hasher_free(h);
		return -1;
	}
	uint64_t state = p->seed;
	for (uint32_t i = 0; i < p->perms; i++) {
		h->a[i] = dd_splitmix(&state) | 1;
		h->b[i] = dd_splitmix(&state);
	}
	return 0;
}

void mh_hasher_free(mh_hasher *h)
{
	free(h->a);
	free(h->b);
	dd_norm_free(&h->norm);
	h->a = h->b = NULL;
}

/* The hot loop. A block of permutations keeps its minima in registers
 * while every fingerprint goes through it, instead of loading and storing
 * the whole signature once per fingerprint; within the block the
 * permutations run innermost so the compiler vectorises across them. The
 * minimum of the 64-bit values shifted right by 32 is the same as that of
 * their upper halves, so no narrowing happens in the loop. Where the CPU
 * has AVX-512 (64-bit vector multiplies) or AVX2, a version for it is
 * chosen at load time. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define DD_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define DD_CLONES
#endif

#define FOLD_BLOCK 32

DD_CLONES
static void fold_kernel(const mh_hasher *h, const uint32_t *xs, size_t n, uint32_t *sig)
{
	size_t perms = h->p.perms, i = 0;
	for (; i + FOLD_BLOCK <= perms; i += FOLD_BLOCK) {
		const uint64_t *a = h->a + i, *b = h->b + i;
		uint64_t m[FOLD_BLOCK];
		for (int l = 0; l < FOLD_BLOCK; l++)
			m[l] = sig[i + l];
		for (size_t j = 0; j < n; j++) {
			uint64_t x = xs[j];
			for (int l = 0; l < FOLD_BLOCK; l++) {
				uint64_t v = (a[l] * x + b[l]) >> 32;
				m[l] = v < m[l] ? v : m[l];
			}
		}
		for (int l = 0; l < FOLD_BLOCK; l++)
			sig[i + l] = (uint32_t)m[l];
	}
	for (size_t j = 0; i < perms && j < n; j++) { /* perms not a multiple of the block */
		uint64_t x = xs[j];
		for (size_t r = i; r < perms; r++) {
			uint32_t v = (uint32_t)((h->a[r] * x + h->b[r]) >> 32);
			sig[r] = v < sig[r] ? v : sig[r];
		}
	}
}

/* (static kernels: the clones' dispatch symbols then stay out of the
 * plugin's exported symbols) */
void mh_fold(const mh_hasher *h, const uint32_t *xs, size_t n, uint32_t *sig) { fold_kernel(h, xs, n, sig); }

/* The fingerprints of the n shingles toks[w, w + k) into xs[w]: seeded with
 * the length, so a text shorter than a window (one shorter shingle)
 * differs from a window. The shingles run innermost, so the compiler
 * vectorises across them (the 64-bit multiplies need AVX-512 or AVX2). */
DD_CLONES
static void fingerprint_kernel(uint64_t seed, const uint64_t *toks, size_t k, size_t n, uint32_t *xs)
{
	uint64_t spread[CHUNK + MAX_K - 1], s[CHUNK];
	for (size_t j = 0; j < n + k - 1; j++)
		spread[j] = toks[j] * DD_COMBINE_SPREAD;
	for (size_t w = 0; w < n; w++)
		s[w] = seed ^ k;
	for (size_t j = 0; j < k; j++)
		for (size_t w = 0; w < n; w++)
			s[w] = dd_combine_spread(s[w], spread[w + j]);
	for (size_t w = 0; w < n; w++)
		xs[w] = (uint32_t)(dd_fmix64(s[w]) >> 32);
}

/* Tokens are gathered CHUNK windows at a time, then fingerprinted and
 * folded in one go; the last k - 1 tokens carry over to the next chunk. */
size_t mh_signature(const mh_hasher *h, const char *text, size_t len, uint32_t *sig)
{
	size_t k = h->p.shingle_size < MAX_K ? h->p.shingle_size : MAX_K;
	uint64_t toks[CHUNK + MAX_K - 1];
	uint32_t xs[CHUNK];
	size_t have = 0, tokens = 0, shingles = 0;
	for (uint32_t i = 0; i < h->p.perms; i++)
		sig[i] = UINT32_MAX;
	dd_tokens t;
	dd_tokens_init(&t, &h->norm, text, len, (int)h->p.chars);
	for (;;) {
		size_t want = CHUNK + k - 1 - have, got = dd_tokens_fill(&t, toks + have, want);
		have += got;
		tokens += got;
		int more = got == want; /* else the text has ended */
		size_t nx = have >= k ? have - k + 1 : 0;
		fingerprint_kernel(h->p.seed, toks, k, nx, xs);
		if (!more && tokens && tokens < k)
			fingerprint_kernel(h->p.seed, toks, tokens, 1, xs + nx++);
		if (nx)
			mh_fold(h, xs, nx, sig);
		shingles += nx;
		if (!more)
			break;
		memmove(toks, toks + have - (k - 1), (k - 1) * sizeof *toks);
		have = k - 1;
	}
	return shingles;
}

DD_CLONES
static uint32_t agree_kernel(const uint32_t *a, const uint32_t *b, uint32_t perms, uint32_t need)
{
	uint32_t same = 0, i = 0;
	for (; i + 32 <= perms; i += 32) {
		const uint32_t *pa = a + i, *pb = b + i;
		uint32_t block = 0;
		for (int j = 0; j < 32; j++) /* a fixed count, so it vectorises */
			block += pa[j] == pb[j];
		same += block;
		if (same + (perms - i - 32) < need)
			return 0; /* cannot reach need any more */
	}
	for (; i < perms; i++)
		same += a[i] == b[i];
	return same;
}

uint32_t mh_agreeing(const uint32_t *a, const uint32_t *b, uint32_t perms, uint32_t need)
{
	return agree_kernel(a, b, perms, need);
}

void mh_band_keys(const uint32_t *sig, uint32_t bands, uint32_t rows, uint32_t *keys)
{
	for (uint32_t j = 0; j < bands; j++) {
		uint64_t s = 0x62616e64ULL + j; /* bands with equal rows get different keys */
		for (uint32_t r = 0; r < rows; r++)
			s = dd_combine(s, sig[j * rows + r]);
		keys[j] = (uint32_t)(dd_fmix64(s) >> 32);
	}
}

double mh_similarity(const uint32_t *a, const uint32_t *b, uint32_t perms)
{
	uint32_t same = 0;
	for (uint32_t i = 0; i < perms; i++)
		same += a[i] == b[i];
	return (double)same / perms;
}

double mh_candidate_probability(double s, uint32_t bands, uint32_t rows)
{
	return 1.0 - pow(1.0 - pow(s, rows), bands);
}

static double integrate(double from, double to, uint32_t bands, uint32_t rows, int missed)
{
	const int steps = 100;
	double width = (to - from) / steps, sum = 0;
	for (int i = 0; i < steps; i++) {
		double p = mh_candidate_probability(from + (i + 0.5) * width, bands, rows);
		sum += missed ? 1.0 - p : p;
	}
	return sum * width;
}

void mh_choose_bands(uint32_t perms, double threshold, uint32_t *bands, uint32_t *rows)
{
	double best = INFINITY;
	*bands = 1, *rows = perms;
	for (uint32_t b = 1; b <= perms; b++)
		for (uint32_t r = 1; r <= perms / b; r++) {
			double cost = 0.1 * integrate(0, threshold, b, r, 0) + 0.9 * integrate(threshold, 1, b, r, 1);
			if (cost < best - 1e-12) {
				best = cost;
				*bands = b, *rows = r;
			}
		}
}
