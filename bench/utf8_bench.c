/* utf8_bench.c -- the toolkit's UTF-8 check alone, on real text.
 *
 *   utf8_bench FILE.jsonl ROUNDS
 *
 * Runs kit_utf8_valid_prefix over every line of FILE (as the JSON reader
 * does over a string's runs, which are a paragraph or more of text),
 * ROUNDS times, and prints the median round in MB/s. CPU time of this
 * thread, so a shared machine moves it less than the wall clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: utf8_bench FILE.jsonl ROUNDS\n");
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
	double *t = malloc((size_t)rounds * sizeof *t);
	size_t valid = 0, ascii = 0;
	for (size_t i = 0; i < n; i++)
		ascii += (unsigned char)text[i] < 0x80;
	for (int r = 0; r < rounds; r++) {
		double t0 = cpu_seconds();
		valid = 0;
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
	qsort(t, (size_t)rounds, sizeof *t, by_value);
	printf("UTF-8 check: %.0f MB/s (%.1f MB, %.0f %% of the bytes outside ASCII; %zu valid)\n",
	       10 * (double)n / t[rounds / 2] / 1e6, (double)n / 1e6, 100.0 * (double)(n - ascii) / (double)n,
	       valid / 10);
	return 0;
}
