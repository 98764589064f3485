/* extsort.c -- external sort of (64-bit key, 32-bit value) records. */
#include "extsort.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUN_BUFFER (64 * 1024) /* stdio buffer per open run */

static int es_fail(extsort *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	return -1;
}

static char *dup_str(const char *p)
{
	size_t n = strlen(p) + 1;
	char *q = malloc(n);
	if (q)
		memcpy(q, p, n);
	return q;
}

int es_init(extsort *s, const char *dir, const char *name, size_t mem_bytes, int with_b)
{
	memset(s, 0, sizeof *s);
	s->with_b = with_b;
	s->fan_in = ES_FAN_IN;
	s->dir = dup_str(dir);
	s->name = dup_str(name);
	s->cap = mem_bytes / (2 * sizeof(es_rec));
	if (s->cap < 1024)
		s->cap = 1024;
	s->buf = malloc(s->cap * sizeof *s->buf);
	if (!s->dir || !s->name || !s->buf)
		return es_fail(s, "out of memory (sort buffer of %zu MB)", mem_bytes >> 20);
	return 0;
}

/* LSD radix sort on the 12 key bytes (b's, then a's, least significant
 * first), skipping the bytes in which every record agrees. */
static int radix_sort(extsort *s)
{
	size_t n = s->n;
	if (n < 2)
		return 0;
	if (!s->scratch) {
		s->scratch = malloc(s->cap * sizeof *s->scratch);
		if (!s->scratch)
			return es_fail(s, "out of memory (sort scratch)");
	}
	size_t count[12][256];
	memset(count, 0, sizeof count);
	for (size_t i = 0; i < n; i++) {
		uint64_t a = s->buf[i].a;
		uint32_t b = s->buf[i].b;
		for (int d = 0; d < 4; d++)
			count[d][(b >> (8 * d)) & 0xff]++;
		for (int d = 0; d < 8; d++)
			count[4 + d][(a >> (8 * d)) & 0xff]++;
	}
	es_rec *src = s->buf, *dst = s->scratch;
	for (int d = 0; d < 12; d++) {
		size_t *c = count[d];
		int trivial = 0;
		for (int k = 0; k < 256; k++)
			if (c[k] == n)
				trivial = 1;
		if (trivial)
			continue;
		size_t sum = 0;
		for (int k = 0; k < 256; k++) {
			size_t t = c[k];
			c[k] = sum;
			sum += t;
		}
		int shift = d < 4 ? 8 * d : 8 * (d - 4);
		for (size_t i = 0; i < n; i++) {
			unsigned k = d < 4 ? (src[i].b >> shift) & 0xff : (unsigned)((src[i].a >> shift) & 0xff);
			dst[c[k]++] = src[i];
		}
		es_rec *t = src;
		src = dst, dst = t;
	}
	if (src != s->buf) { /* the sorted records ended in the scratch: swap the roles */
		s->scratch = s->buf;
		s->buf = src;
	}
	return 0;
}

static size_t rec_size(const extsort *s) { return s->with_b ? 12 : 8; }

static int write_rec(extsort *s, FILE *f, const es_rec *r)
{
	unsigned char b[12];
	memcpy(b, &r->a, 8);
	memcpy(b + 8, &r->b, 4);
	if (fwrite(b, 1, rec_size(s), f) != rec_size(s))
		return -1;
	s->bytes_written += rec_size(s);
	return 0;
}

static int read_rec(const extsort *s, FILE *f, es_rec *r)
{
	unsigned char b[12];
	size_t n = fread(b, 1, rec_size(s), f);
	if (n == 0 && feof(f))
		return 0;
	if (n != rec_size(s))
		return -1;
	memcpy(&r->a, b, 8);
	r->b = 0;
	if (s->with_b)
		memcpy(&r->b, b + 8, 4);
	return 1;
}

/* A new run file, open for writing. */
static FILE *new_run(extsort *s, es_run *run)
{
	size_t len = strlen(s->dir) + strlen(s->name) + 40;
	run->path = malloc(len);
	if (!run->path) {
		es_fail(s, "out of memory");
		return NULL;
	}
	snprintf(run->path, len, "%s/%s-%06zu.run", s->dir, s->name, s->next_run++);
	FILE *f = fopen(run->path, "wb");
	if (!f) {
		es_fail(s, "cannot create %s: %s", run->path, strerror(errno));
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	s->runs_made++;
	return f;
}

static int add_run(extsort *s, es_run *run)
{
	es_run *r = realloc(s->runs, (s->n_runs + 1) * sizeof *r);
	if (!r) {
		free(run->path);
		return es_fail(s, "out of memory");
	}
	s->runs = r;
	s->runs[s->n_runs++] = *run;
	return 0;
}

static int close_run(extsort *s, FILE *f, es_run *run)
{
	if (fclose(f)) {
		es_fail(s, "cannot write %s: %s", run->path, strerror(errno));
		unlink(run->path);
		free(run->path);
		return -1;
	}
	return 0;
}

static int spill(extsort *s)
{
	if (radix_sort(s))
		return -1;
	es_run run = {0};
	FILE *f = new_run(s, &run);
	if (!f)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		if (write_rec(s, f, &s->buf[i])) {
			fclose(f);
			unlink(run.path);
			free(run.path);
			return es_fail(s, "cannot write a sort run in %s: %s", s->dir, strerror(errno));
		}
	if (close_run(s, f, &run) || add_run(s, &run))
		return -1;
	s->n = 0;
	return 0;
}

int es_put(extsort *s, uint64_t a, uint32_t b)
{
	if (s->n == s->cap && spill(s))
		return -1;
	s->buf[s->n].a = a;
	s->buf[s->n].b = b;
	s->buf[s->n].pad = 0;
	s->n++;
	s->records++;
	return 0;
}

static int rec_less(const es_rec *x, const es_rec *y) { return x->a != y->a ? x->a < y->a : x->b < y->b; }

static void sift_down(extsort *s, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < s->n_heap && rec_less(&s->runs[s->heap[l]].cur, &s->runs[s->heap[m]].cur))
			m = l;
		if (l + 1 < s->n_heap && rec_less(&s->runs[s->heap[l + 1]].cur, &s->runs[s->heap[m]].cur))
			m = l + 1;
		if (m == i)
			return;
		size_t t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

/* Open runs [from, from + n) and build the heap over them. */
static int open_runs(extsort *s, size_t from, size_t n)
{
	free(s->heap);
	s->heap = malloc((n ? n : 1) * sizeof *s->heap);
	if (!s->heap)
		return es_fail(s, "out of memory");
	s->n_heap = 0;
	for (size_t i = from; i < from + n; i++) {
		es_run *r = &s->runs[i];
		r->f = fopen(r->path, "rb");
		if (!r->f)
			return es_fail(s, "cannot open %s: %s", r->path, strerror(errno));
		setvbuf(r->f, NULL, _IOFBF, RUN_BUFFER);
		int got = read_rec(s, r->f, &r->cur);
		if (got < 0)
			return es_fail(s, "cannot read %s", r->path);
		if (got)
			s->heap[s->n_heap++] = i;
	}
	for (size_t i = s->n_heap / 2; i-- > 0;)
		sift_down(s, i);
	return 0;
}

/* Pop the smallest record of the open runs: 1, 0 when all are done. */
static int heap_pop(extsort *s, es_rec *out)
{
	if (!s->n_heap)
		return 0;
	es_run *r = &s->runs[s->heap[0]];
	*out = r->cur;
	int got = read_rec(s, r->f, &r->cur);
	if (got < 0)
		return es_fail(s, "cannot read %s", r->path);
	if (!got)
		s->heap[0] = s->heap[--s->n_heap];
	sift_down(s, 0);
	return 1;
}

static void drop_run(es_run *r)
{
	if (r->f)
		fclose(r->f);
	if (r->path) {
		unlink(r->path);
		free(r->path);
	}
	memset(r, 0, sizeof *r);
}

/* Too many runs to open at once: merge the first fan_in into one. */
static int reduce_runs(extsort *s)
{
	while (s->n_runs > s->fan_in) {
		if (open_runs(s, 0, s->fan_in))
			return -1;
		es_run out = {0};
		FILE *f = new_run(s, &out);
		if (!f)
			return -1;
		es_rec r;
		int got;
		while ((got = heap_pop(s, &r)) > 0)
			if (write_rec(s, f, &r)) {
				got = es_fail(s, "cannot write %s: %s", out.path, strerror(errno));
				break;
			}
		if (got < 0) {
			fclose(f);
			unlink(out.path);
			free(out.path);
			return -1;
		}
		if (close_run(s, f, &out))
			return -1;
		for (size_t i = 0; i < s->fan_in; i++)
			drop_run(&s->runs[i]);
		memmove(s->runs, s->runs + s->fan_in, (s->n_runs - s->fan_in) * sizeof *s->runs);
		s->n_runs -= s->fan_in;
		if (add_run(s, &out))
			return -1;
	}
	return 0;
}

int es_finish(extsort *s, int spill_last)
{
	s->reading = 1;
	if (s->n_runs || spill_last) {
		if (s->n && spill(s))
			return -1;
		free(s->buf);
		free(s->scratch);
		s->buf = s->scratch = NULL;
		s->cap = 0;
		if (reduce_runs(s) || open_runs(s, 0, s->n_runs))
			return -1;
		return 0;
	}
	if (radix_sort(s))
		return -1;
	free(s->scratch);
	s->scratch = NULL;
	s->pos = 0;
	return 0;
}

int es_next(extsort *s, uint64_t *a, uint32_t *b)
{
	if (s->n_runs) {
		es_rec r;
		int got = heap_pop(s, &r);
		if (got <= 0)
			return got;
		*a = r.a, *b = r.b;
		return 1;
	}
	if (s->pos >= s->n)
		return 0;
	*a = s->buf[s->pos].a;
	*b = s->buf[s->pos].b;
	s->pos++;
	return 1;
}

void es_free(extsort *s)
{
	for (size_t i = 0; i < s->n_runs; i++)
		drop_run(&s->runs[i]);
	free(s->runs);
	free(s->heap);
	free(s->buf);
	free(s->scratch);
	free(s->dir);
	free(s->name);
	memset(s, 0, sizeof *s);
}
