/* minhash.c -- shingling, signatures and the choice of bands. */
#include "minhash.h"

#include <math.h>
#include <stdlib.h>

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

/* The hot loop. Perms run innermost so the compiler vectorises across
 * them; where the CPU has AVX-512 (64-bit vector multiplies) or AVX2, a
 * version for it is chosen at load time. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define DD_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define DD_CLONES
#endif

DD_CLONES
static void fold_kernel(const mh_hasher *h, const uint32_t *xs, size_t n, uint32_t *sig)
{
	const uint64_t *a = h->a, *b = h->b;
	uint32_t perms = h->p.perms;
	for (size_t j = 0; j < n; j++) {
		uint64_t x = xs[j];
		for (uint32_t i = 0; i < perms; i++) {
			uint32_t v = (uint32_t)((a[i] * x + b[i]) >> 32);
			sig[i] = v < sig[i] ? v : sig[i];
		}
	}
}

/* (static kernels: the clones' dispatch symbols then stay out of the
 * plugin's exported symbols) */
void mh_fold(const mh_hasher *h, const uint32_t *xs, size_t n, uint32_t *sig) { fold_kernel(h, xs, n, sig); }

size_t mh_signature(const mh_hasher *h, const char *text, size_t len, uint32_t *sig)
{
	uint32_t k = h->p.shingle_size < MAX_K ? h->p.shingle_size : MAX_K;
	uint64_t ring[MAX_K];
	uint32_t xs[CHUNK];
	size_t tokens = 0, shingles = 0, nx = 0;
	for (uint32_t i = 0; i < h->p.perms; i++)
		sig[i] = UINT32_MAX;
	dd_tokens t;
	dd_tokens_init(&t, &h->norm, text, len, (int)h->p.chars);
	uint64_t tok;
	for (;;) {
		int more = dd_tokens_next(&t, &tok);
		if (more)
			ring[tokens++ % k] = tok;
		/* a full window, or the end of a text shorter than one window */
		size_t have = tokens < k ? tokens : k;
		if ((more && tokens >= k) || (!more && tokens && tokens < k)) {
			uint64_t s = h->p.seed ^ have;
			for (size_t j = tokens - have; j < tokens; j++)
				s = dd_combine(s, ring[j % k]);
			xs[nx++] = (uint32_t)(dd_fmix64(s) >> 32);
			shingles++;
		}
		if (nx == CHUNK || (!more && nx)) {
			mh_fold(h, xs, nx, sig);
			nx = 0;
		}
		if (!more)
			break;
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
