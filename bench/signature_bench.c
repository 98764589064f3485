/* signature_bench.c -- dedup.minhash's signatures alone, on real text.
 *
 *   signature_bench FILE.jsonl ROUNDS
 *
 * Computes the signature (defaults: word 5-grams, 128 permutations) of
 * every line of FILE, ROUNDS times, and prints the median round in MB/s
 * of input and ns per shingle, then the fold of 512 fingerprints alone in
 * ns per shingle, then the toolkit's UTF-8 check of every line (as the
 * JSON reader runs it on a string) in MB/s. CPU time of this thread, so a
 * shared machine moves it less than the wall clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "minhash.h"
#include "textmill/kit.h"

static double cpu_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, by_value);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: signature_bench FILE.jsonl ROUNDS\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	size_t n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc(n);
	if (!text || fread(text, 1, n, f) != n) {
		fprintf(stderr, "cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	int rounds = atoi(argv[2]) > 0 ? atoi(argv[2]) : 1;
	mh_params p = {128, 5, 0, DD_CASE_FOLD | DD_PUNCT_REMOVE, MH_DEFAULT_SEED};
	mh_hasher h;
	if (mh_hasher_init(&h, &p))
		return 1;
	uint32_t sig[128];
	double *t = malloc((size_t)rounds * sizeof *t);
	size_t shingles = 0;
	unsigned check = 0;
	for (int r = 0; r < rounds; r++) {
		double t0 = cpu_seconds();
		shingles = 0;
		for (char *s = text, *end = text + n; s < end;) {
			char *nl = memchr(s, '\n', (size_t)(end - s));
			if (!nl)
				nl = end;
			shingles += mh_signature(&h, s, (size_t)(nl - s), sig);
			check += sig[0];
			s = nl + 1;
		}
		t[r] = cpu_seconds() - t0;
	}
	double sec = median(t, rounds);
	uint32_t xs[512];
	for (uint32_t i = 0; i < 512; i++)
		xs[i] = i * 2654435761u;
	for (int r = 0; r < rounds; r++) {
		double t0 = cpu_seconds();
		for (int k = 0; k < 1000; k++)
			mh_fold(&h, xs, 512, sig);
		t[r] = cpu_seconds() - t0;
	}
	double fold = median(t, rounds);
	size_t valid = 0;
	for (int r = 0; r < rounds; r++) {
		double t0 = cpu_seconds();
		for (int again = 0; again < 10; again++) /* a round long enough to time */
			for (char *s = text, *end = text + n; s < end;) {
				char *nl = memchr(s, '\n', (size_t)(end - s));
				if (!nl)
					nl = end;
				valid += kit_utf8_valid_prefix(s, (size_t)(nl - s));
				s = nl + 1;
			}
		t[r] = cpu_seconds() - t0;
	}
	double utf8 = median(t, rounds) / 10;
	printf("signatures: %.1f MB/s, %.1f ns per shingle (%zu shingles); fold alone: %.1f ns per shingle; "
	       "UTF-8 check: %.0f MB/s (check %08x)\n",
	       (double)n / sec / 1e6, sec / (double)shingles * 1e9, shingles, fold / 512e3 * 1e9, (double)n / utf8 / 1e6,
	       check + sig[0] + (unsigned)(valid / (size_t)rounds / 10));
	free(t);
	free(text);
	mh_hasher_free(&h);
	return 0;
}
