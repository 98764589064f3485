/* minhash.h -- MinHash signatures of shingle sets, and LSH banding.
 *
 * A document's tokens (words or characters, see norm.h) form shingles of
 * k consecutive tokens; each shingle gets a 32-bit fingerprint x. For each
 * of P permutations, h_i(x) = ((a_i * x + b_i) mod 2^64) >> 32 (multiply-
 * add-shift with random 64-bit a_i odd, b_i: a 2-independent family), and
 * the signature keeps min h_i over the document's shingles. Two documents'
 * signatures agree in a position with probability about their shingle
 * Jaccard similarity. */
#ifndef DD_MINHASH_H
#define DD_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#include "norm.h"

#define MH_MAX_PERMS 1024
#define MH_DEFAULT_SEED 0x7465787464656475ULL /* "textdedu" */

/* What a signature depends on; two signatures compare only if all agree. */
typedef struct mh_params {
	uint32_t perms;
	uint32_t shingle_size;
	uint32_t chars;      /* 0: word shingles, 1: character shingles */
	uint32_t norm_flags; /* DD_CASE_FOLD, DD_DIACRITICS_FOLD, DD_PUNCT_REMOVE */
	uint64_t seed;
} mh_params;

typedef struct mh_hasher {
	mh_params p;
	uint64_t *a, *b;
	dd_norm norm;
} mh_hasher;

int mh_hasher_init(mh_hasher *h, const mh_params *p); /* -1: out of memory */
void mh_hasher_free(mh_hasher *h);

/* The signature of text into sig[perms]; returns the number of shingles
 * (0 for a text without tokens, whose signature is all 0xFFFFFFFF). */
size_t mh_signature(const mh_hasher *h, const char *text, size_t len, uint32_t *sig);

/* Fold the fingerprints xs[0, n) into sig (exposed for the tests). */
void mh_fold(const mh_hasher *h, const uint32_t *xs, size_t n, uint32_t *sig);

/* One 32-bit key per band of `rows` consecutive signature positions. */
void mh_band_keys(const uint32_t *sig, uint32_t bands, uint32_t rows, uint32_t *keys);

/* The share of positions where two signatures agree: the estimate of the
 * Jaccard similarity of the two shingle sets. */
double mh_similarity(const uint32_t *a, const uint32_t *b, uint32_t perms);

/* The positions where two signatures agree, or any number below need as
 * soon as need cannot be reached (checked every 32 positions). */
uint32_t mh_agreeing(const uint32_t *a, const uint32_t *b, uint32_t perms, uint32_t need);

/* Bands and rows (bands * rows <= perms) for a Jaccard threshold: the
 * pair that minimises 0.1 * P(false candidate) + 0.9 * P(missed pair),
 * each integrated over similarities below and above the threshold. Missed
 * pairs weigh more because every candidate is verified afterwards. */
void mh_choose_bands(uint32_t perms, double threshold, uint32_t *bands, uint32_t *rows);

/* The probability that a pair of similarity s shares at least one band. */
double mh_candidate_probability(double s, uint32_t bands, uint32_t rows);

#endif
