/* decide.c -- the near-duplicates over the signature files of all the shards
 * of a sharded run, as dedup.minhash over the whole corpus would decide them
 * (docs/distributed.md). Used by the stage's merge (minhash_stage.c) and by
 * the textmill-dedup tool.
 *
 * `decide` gives the decisions of dedup.minhash over the whole corpus (the
 * shards' records in order-key order, as one run would see them) in bounded
 * memory, by sorting instead of holding an index:
 *
 *  1. scan: merge the inputs by (order key, id), number the documents
 *     0..N-1 in that order, write a 16-byte reference per document (input,
 *     offset of its record) to a temporary file, and put one (band, band
 *     key, n) record per band into an external sort;
 *  2. pairs: documents sharing a band key are LSH candidates; for each
 *     bucket of the sorted band records, put every (later, earlier) pair
 *     of its members into a second external sort;
 *  3. decide: read the pairs in order of the later document, without
 *     repeats. Each document's candidates are then all the earlier
 *     documents it shares a band with, exactly those the stage's index
 *     would return, except that the index holds only kept documents: so a
 *     candidate counts only if it was kept, which is known because every
 *     earlier document has been decided. Verification reads both
 *     signatures back from the inputs (pread). The match is the kept
 *     candidate with the most agreeing positions, ties to the earliest,
 *     and keep: first|longest|newest then apply as in mh_decide().
 *
 * Memory: the sort buffer (--memory), one bit per document for "kept" and
 * one for "cluster root", and for keep: longest|newest 4 bytes per document
 * (a root's current best, a later best's root). Disk: 12 bytes per document
 * and band, 8 per candidate pair, 16 per document, in --tmp. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "textmill/kit.h"

#include "decide.h"
#include "extsort.h"
#include "sigfile.h"

/* ---- small helpers ------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static char errbuf[1024];

static int failf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

/* A TSV field: backslash, tab, newline and carriage return escaped. */
static void put_tsv(kit_buf *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = p[i] == '\\'   ? "\\\\"
				: p[i] == '\t' ? "\\t"
				: p[i] == '\n' ? "\\n"
				: p[i] == '\r' ? "\\r"
					       : NULL;
		if (e)
			kit_buf_puts(s, e);
		else
			kit_buf_put(s, p + i, 1);
	}
}

/* ---- an output file that appears only when complete ---------------------- */

/* The toolkit's atomic file, written through stdio; closed and opened
 * again (appending) when a shard's split files take turns. */
typedef struct outfile {
	char *path;
	kit_afile a;
	FILE *f;
	int started; /* the temporary file exists */
} outfile;

static int out_open(outfile *o, int append)
{
	if (!o->started) {
		kit_buf err = {0};
		int rc = kit_afile_open(&o->a, o->path, &err);
		if (rc)
			failf("%s", err.failed ? KIT_OOM : kit_buf_str(&err));
		kit_buf_free(&err);
		if (rc)
			return -1;
		o->started = 1;
	} else if ((o->a.fd = open(o->a.tmp, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC))) < 0) {
		return failf("cannot open %s: %s", o->a.tmp, strerror(errno));
	}
	if (!(o->f = fdopen(o->a.fd, append ? "ab" : "wb")))
		return failf("cannot open %s: %s", o->a.tmp, strerror(errno));
	setvbuf(o->f, NULL, _IOFBF, 1 << 16);
	return 0;
}

static int out_init(outfile *o, const char *path)
{
	memset(o, 0, sizeof *o);
	o->a.fd = -1;
	if (!(o->path = strdup(path)))
		return failf("%s", KIT_OOM);
	return 0;
}

static int out_close(outfile *o)
{
	if (!o->f)
		return 0;
	int bad = ferror(o->f);
	bad |= fflush(o->f) != 0;
	bad |= fclose(o->f) != 0;
	o->f = NULL;
	o->a.fd = -1; /* fclose closed it */
	return bad ? failf("cannot write %s: %s", o->a.tmp, strerror(errno)) : 0;
}

/* Sync and rename into place. */
static int out_commit(outfile *o)
{
	if (out_close(o))
		return -1;
	if (!o->started && (out_open(o, 0) || out_close(o)))
		return -1;
	kit_buf err = {0};
	int rc = kit_afile_commit(&o->a, &err);
	if (rc)
		failf("%s", err.failed ? KIT_OOM : kit_buf_str(&err));
	kit_buf_free(&err);
	o->started = 0;
	return rc;
}

static void out_abort(outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	o->a.fd = -1;
	kit_afile_abort(&o->a);
	free(o->path);
	memset(o, 0, sizeof *o);
	o->a.fd = -1;
}

/* ---- decide --------------------------------------------------------------- */

typedef struct input {
	const char *path;
	mh_sigreader r;
	int live;
	int fd;    /* for pread */
	off_t pos; /* of the current record */
	uint64_t docs, duplicates, superseded;
	outfile drop, marks;
	int drop_used, marks_used;
} input;

typedef struct docref {
	uint64_t off;
	uint32_t input;
	uint32_t id_len;
} docref;

typedef struct slot { /* a cached record header and signature */
	uint32_t n1;  /* document + 1; 0: empty */
	uint32_t length;
	int64_t published;
	uint32_t *sig;
} slot;

typedef struct decider {
	/* options */
	double threshold;
	uint32_t bands, rows;
	int verify, quiet;
	mh_keep keep;
	const char *out_path, *split_dir, *stats_path, *tmp_root;
	size_t memory, fan_in;
	uint64_t offset_step; /* input k's order keys start at k * offset_step */
	/* inputs */
	input *in;
	size_t n_in;
	size_t *heap, n_heap;
	mh_params p;
	/* temporary files */
	char *tmp;
	char *docs_path;
	int docs_fd;
	FILE *docs_w;
	/* state */
	uint64_t n;     /* documents */
	uint8_t *dup;   /* 1 bit per document: decided a duplicate (so not kept) */
	uint8_t *later; /* 1 bit per document: a later best of a cluster (not its root) */
	uint32_t *link; /* longest|newest: a root's best, a later best's root */
	slot *cache;
	uint32_t *cache_sigs;
	size_t cache_n;
	unsigned char *rec; /* one record read back */
	size_t rec_cap;
	outfile all;
	int all_open;
	size_t cur_split; /* input whose split files are open; n_in: none */
	/* statistics */
	uint64_t band_records, buckets, largest_bucket, pairs, unique_pairs, checked, verified;
	uint64_t duplicates, superseded, reads;
	double t_scan, t_pairs, t_decide;
	uint64_t temp_bytes;
	size_t runs;                        /* sort runs written, merges included */
	kit_buf e_id, e_of, e_root, e_line; /* emit()'s buffers, reused line after line */
} decider;

static void heap_down(decider *dc, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < dc->n_heap && mh_doc_before(&dc->in[dc->heap[l]].r.doc, &dc->in[dc->heap[m]].r.doc))
			m = l;
		if (l + 1 < dc->n_heap && mh_doc_before(&dc->in[dc->heap[l + 1]].r.doc, &dc->in[dc->heap[m]].r.doc))
			m = l + 1;
		if (m == i)
			return;
		size_t t = dc->heap[i];
		dc->heap[i] = dc->heap[m];
		dc->heap[m] = t;
		i = m;
	}
}

/* Read input i's next record, remembering where it starts. */
static int advance(decider *dc, input *in)
{
	char err[700];
	in->pos = ftello(in->r.in.f);
	int got = mh_sig_next(&in->r, err, sizeof err);
	if (got < 0)
		return failf("%s", err);
	in->live = got;
	return 0;
}

static int open_inputs(decider *dc, char **paths, size_t n)
{
	dc->in = calloc(n, sizeof *dc->in);
	dc->heap = calloc(n, sizeof *dc->heap);
	if (!dc->in || !dc->heap)
		return failf("out of memory");
	dc->n_in = n;
	for (size_t i = 0; i < n; i++) {
		input *in = &dc->in[i];
		in->path = paths[i];
		in->fd = -1;
		char err[700];
		if (mh_sig_open(&in->r, paths[i], err, sizeof err))
			return failf("%s", err);
		if (i == 0)
			dc->p = in->r.p;
		else if (memcmp(&in->r.p, &dc->p, sizeof dc->p))
			return failf("%s and %s were made with different signature settings (perms, shingles or "
				     "normalisation); all shards must run the same dedup.minhash stage",
				     paths[0], paths[i]);
		in->fd = open(paths[i], O_RDONLY);
		if (in->fd < 0)
			return failf("cannot open %s: %s", paths[i], strerror(errno));
		if (advance(dc, in))
			return -1;
	}
	return 0;
}

static int choose_bands(decider *dc)
{
	uint32_t perms = dc->p.perms;
	if (dc->bands && dc->rows) {
		if ((uint64_t)dc->bands * dc->rows > perms)
			return failf("bands * rows (%u * %u) must not exceed perms (%u)", dc->bands, dc->rows, perms);
	} else if (dc->bands) {
		dc->rows = perms / dc->bands;
	} else if (dc->rows) {
		dc->bands = perms / dc->rows;
	} else {
		mh_choose_bands(perms, dc->threshold, &dc->bands, &dc->rows);
	}
	if (!dc->bands || !dc->rows)
		return failf("bands or rows larger than perms (%u)", perms);
	return 0;
}

/* 1. scan: number the documents in order, write references, band records. */
static int scan(decider *dc, extsort *bands)
{
	double t0 = now();
	size_t nh = 0;
	for (size_t i = 0; i < dc->n_in; i++)
		if (dc->in[i].live)
			dc->heap[nh++] = i;
	dc->n_heap = nh;
	for (size_t i = nh / 2; i-- > 0;)
		heap_down(dc, i);
	uint32_t keys[MH_MAX_PERMS];
	while (dc->n_heap) {
		size_t k = dc->heap[0];
		input *in = &dc->in[k];
		const mh_doc *d = &in->r.doc;
		if (dc->n >= UINT32_MAX - 1)
			return failf("more than %u documents: split the merge", UINT32_MAX - 2);
		unsigned char ref[16];
		uint64_t off = (uint64_t)in->pos;
		uint32_t kk = (uint32_t)k, idl = (uint32_t)d->id_len;
		memcpy(ref, &off, 8);
		memcpy(ref + 8, &kk, 4);
		memcpy(ref + 12, &idl, 4);
		if (fwrite(ref, 1, 16, dc->docs_w) != 16)
			return failf("cannot write %s: %s", dc->docs_path, strerror(errno));
		mh_band_keys(d->sig, dc->bands, dc->rows, keys);
		for (uint32_t j = 0; j < dc->bands; j++)
			if (es_put(bands, (uint64_t)j << 32 | keys[j], (uint32_t)dc->n))
				return failf("%s", bands->err);
		in->docs++;
		dc->n++;
		if (advance(dc, in))
			return -1;
		if (!in->live)
			dc->heap[0] = dc->heap[--dc->n_heap];
		heap_down(dc, 0);
	}
	if (fclose(dc->docs_w)) {
		dc->docs_w = NULL;
		return failf("cannot write %s: %s", dc->docs_path, strerror(errno));
	}
	dc->docs_w = NULL;
	dc->docs_fd = open(dc->docs_path, O_RDONLY);
	if (dc->docs_fd < 0)
		return failf("cannot open %s: %s", dc->docs_path, strerror(errno));
	dc->band_records = bands->records;
	if (es_finish(bands, 1))
		return failf("%s", bands->err);
	dc->t_scan = now() - t0;
	return 0;
}

/* 2. pairs: every (later, earlier) pair of each bucket. */
static int make_pairs(decider *dc, extsort *bands, extsort *pairs)
{
	double t0 = now();
	uint32_t *m = NULL;
	size_t k = 0, cap = 0;
	uint64_t key = 0, a;
	uint32_t b;
	int got, rc = -1;
	for (;;) {
		got = es_next(bands, &a, &b);
		if (got < 0) {
			failf("%s", bands->err);
			goto out;
		}
		if (!got || a != key || !k) {
			if (k >= 2) { /* a bucket: members in increasing order */
				dc->buckets++;
				if (k > dc->largest_bucket)
					dc->largest_bucket = k;
				for (size_t j = 1; j < k; j++)
					for (size_t i = 0; i < j; i++)
						if (es_put(pairs, (uint64_t)m[j] << 32 | m[i], 0)) {
							failf("%s", pairs->err);
							goto out;
						}
			}
			k = 0;
			key = a;
			if (!got)
				break;
		}
		if (k == cap) {
			cap = cap ? cap * 2 : 64;
			uint32_t *q = realloc(m, cap * sizeof *m);
			if (!q) {
				failf("out of memory (a bucket of %zu documents)", k);
				goto out;
			}
			m = q;
		}
		m[k++] = b;
	}
	dc->pairs = pairs->records;
	dc->temp_bytes += bands->bytes_written;
	dc->runs += bands->runs_made;
	es_free(bands);
	if (es_finish(pairs, 0)) {
		failf("%s", pairs->err);
		goto out;
	}
	rc = 0;
out:
	free(m);
	dc->t_pairs = now() - t0;
	return rc;
}

static int read_ref(decider *dc, uint32_t n, docref *r)
{
	unsigned char b[16];
	if (pread(dc->docs_fd, b, 16, (off_t)n * 16) != 16)
		return failf("cannot read %s: %s", dc->docs_path, strerror(errno));
	r->off = le64(b);
	r->input = le32(b + 8);
	r->id_len = le32(b + 12);
	return 0;
}

/* Document n's record header and signature, through the cache. */
static slot *load(decider *dc, uint32_t n)
{
	slot *s = &dc->cache[n % dc->cache_n];
	if (s->n1 == n + 1)
		return s;
	docref r;
	if (read_ref(dc, n, &r))
		return NULL;
	size_t len = 24 + (size_t)dc->p.perms * 4;
	unsigned char *b = dc->rec;
	if (pread(dc->in[r.input].fd, b, len, (off_t)r.off) != (ssize_t)len) {
		failf("cannot read %s: %s", dc->in[r.input].path, errno ? strerror(errno) : "short read");
		return NULL;
	}
	dc->reads++;
	s->published = (int64_t)le64(b + 8);
	s->length = le32(b + 16);
	if (le32(b + 20) != r.id_len) {
		failf("%s changed while it was read", dc->in[r.input].path);
		return NULL;
	}
	for (uint32_t i = 0; i < dc->p.perms; i++)
		s->sig[i] = le32(b + 24 + 4 * i);
	s->n1 = n + 1;
	return s;
}

/* Document n's id into *out (NUL-terminated); its input in *input_index
 * and its order key in *order, when asked. */
static int load_id(decider *dc, uint32_t n, kit_buf *out, uint32_t *input_index, uint64_t *order)
{
	docref r;
	if (read_ref(dc, n, &r))
		return -1;
	out->len = 0;
	if (r.id_len > DD_MAX_ID) /* the reader checked every id: this file is not what scan() wrote */
		return failf("%s is damaged: document %u has an id of %u bytes", dc->docs_path, n, r.id_len);
	if ((size_t)r.id_len + 1 > dc->rec_cap) {
		unsigned char *q = realloc(dc->rec, (size_t)r.id_len + 1);
		if (!q)
			return failf("out of memory");
		dc->rec = q;
		dc->rec_cap = (size_t)r.id_len + 1;
	}
	off_t at = (off_t)(r.off + 24 + (uint64_t)dc->p.perms * 4);
	if (r.id_len && pread(dc->in[r.input].fd, dc->rec, r.id_len, at) != (ssize_t)r.id_len)
		return failf("cannot read %s: %s", dc->in[r.input].path, errno ? strerror(errno) : "short read");
	kit_buf_put(out, (const char *)dc->rec, r.id_len);
	if (kit_buf_failed(out) || kit_buf_reserve(out, 0)) /* an empty id is still a string */
		return failf("%s", KIT_OOM);
	if (input_index)
		*input_index = r.input;
	if (order) {
		unsigned char b[8];
		if (pread(dc->in[r.input].fd, b, 8, (off_t)r.off) != 8)
			return failf("cannot read %s: %s", dc->in[r.input].path,
				     errno ? strerror(errno) : "short read");
		*order = le64(b);
	}
	return 0;
}

static int bit(const uint8_t *b, uint32_t i) { return b[i >> 3] >> (i & 7) & 1; }
static void set_bit(uint8_t *b, uint32_t i) { b[i >> 3] |= (uint8_t)(1u << (i & 7)); }

/* The split files of input k, opened (again, appending) when needed. */
static int split_open(decider *dc, size_t k)
{
	if (!dc->split_dir || dc->cur_split == k)
		return 0;
	if (dc->cur_split < dc->n_in) {
		input *p = &dc->in[dc->cur_split];
		if (out_close(&p->drop) || out_close(&p->marks))
			return -1;
	}
	input *in = &dc->in[k];
	if (out_open(&in->drop, in->drop.started) || out_open(&in->marks, in->marks.started))
		return -1;
	dc->cur_split = k;
	return 0;
}

/* One line: ID<TAB>REASON<TAB>JSON. */
static int emit(decider *dc, uint32_t d, int dup, uint32_t of, uint32_t cluster, uint32_t same)
{
	kit_buf *id = &dc->e_id, *ofid = &dc->e_of, *root = &dc->e_root, *line = &dc->e_line;
	uint32_t k;
	uint64_t order;
	if (load_id(dc, d, id, &k, &order) || load_id(dc, of, ofid, NULL, NULL) ||
	    load_id(dc, cluster, root, NULL, NULL))
		return -1;
	unsigned milli = (unsigned)((double)same / dc->p.perms * 1000 + 0.5);
	char sim[32];
	snprintf(sim, sizeof sim, "%u.%03u", milli / 1000, milli % 1000);
	line->len = 0;
	put_tsv(line, id->p, id->len);
	kit_buf_puts(line, dup ? "\tduplicate-of:" : "\tsupersedes:");
	put_tsv(line, ofid->p, ofid->len > 500 ? 500 : ofid->len); /* the stage's reason keeps 500 bytes */
	kit_buf_puts(line, dup ? "\t{\"duplicate_of\":" : "\t{\"supersedes\":");
	kit_json_put_string(line, ofid->p, ofid->len);
	kit_buf_puts(line, ",\"cluster\":");
	kit_json_put_string(line, root->p, root->len);
	kit_buf_puts(line, ",\"similarity\":");
	kit_buf_puts(line, sim);
	kit_buf_puts(line, "}");
	size_t common = line->len;
	kit_buf_puts(line, "\n");
	if (kit_buf_failed(line))
		return failf("%s", KIT_OOM);
	input *in = &dc->in[k];
	if (dup) {
		in->duplicates++;
		if (dc->all_open && fwrite(line->p, 1, line->len, dc->all.f) != line->len)
			return failf("cannot write %s: %s", dc->all.a.tmp, strerror(errno));
	} else {
		in->superseded++;
	}
	if (dc->split_dir) {
		if (split_open(dc, k))
			return -1;
		if (dc->offset_step) { /* the document's line in its shard's file */
			uint64_t base = (uint64_t)k * dc->offset_step;
			if (order < base || order - base >= dc->offset_step)
				return failf(
					"%s: order key %llu is outside [%llu, %llu), so --offset-step %llu does not "
					"describe it",
					in->path, (unsigned long long)order, (unsigned long long)base,
					(unsigned long long)(base + dc->offset_step),
					(unsigned long long)dc->offset_step);
			char num[32];
			snprintf(num, sizeof num, "\t%llu\n", (unsigned long long)(order - base + 1));
			line->len = common;
			kit_buf_puts(line, num);
			if (kit_buf_failed(line))
				return failf("%s", KIT_OOM);
		}
		FILE *f = dup ? in->drop.f : in->marks.f;
		if (fwrite(line->p, 1, line->len, f) != line->len)
			return failf("cannot write %s: %s", dup ? in->drop.a.tmp : in->marks.a.tmp, strerror(errno));
	}
	return 0;
}

/* Decide document d, whose earlier candidates are cand[0..nc) (increasing). */
static int decide_one(decider *dc, uint32_t d, const uint32_t *cand, size_t nc)
{
	uint32_t perms = dc->p.perms;
	uint32_t need = mh_rule_need(dc->threshold, perms, dc->verify);
	uint32_t best = MH_NONE, best_same = 0;
	slot *sd = NULL;
	for (size_t i = 0; i < nc; i++) {
		uint32_t c = cand[i];
		if (bit(dc->dup, c))
			continue; /* not in the index: a duplicate is never kept */
		if (!sd) {
			sd = load(dc, d);
			if (!sd)
				return -1;
			memcpy(dc->cache_sigs + (size_t)dc->cache_n * perms, sd->sig, perms * sizeof *sd->sig);
		}
		const uint32_t *sig_d = dc->cache_sigs + (size_t)dc->cache_n * perms;
		slot *sc = load(dc, c);
		if (!sc)
			return -1;
		dc->checked++;
		uint32_t same = mh_agreeing(sig_d, sc->sig, perms, need);
		if (same < need)
			continue;
		dc->verified++;
		if (mh_rule_closer(c, same, best, best_same))
			best = c, best_same = same;
	}
	if (best == MH_NONE)
		return 0; /* a new cluster, d its root */
	uint32_t root = best, rep = best;
	if (dc->keep != MH_KEEP_FIRST) {
		root = bit(dc->later, best) ? dc->link[best] : best;
		rep = dc->link[root];
		slot *sr = load(dc, rep);
		if (!sr)
			return -1;
		/* copies: loading d may reuse rep's cache slot */
		uint32_t rep_len = sr->length;
		int64_t rep_pub = sr->published;
		slot *s = load(dc, d);
		if (!s)
			return -1;
		if (mh_rule_supersedes(dc->keep, s->length, s->published, rep_len, rep_pub)) {
			set_bit(dc->later, d);
			dc->link[d] = root;
			dc->link[root] = d;
			dc->superseded++;
			return emit(dc, d, 0, rep, root, best_same);
		}
	}
	set_bit(dc->dup, d);
	dc->duplicates++;
	return emit(dc, d, 1, rep, root, best_same);
}

/* 3. decide, in document order. */
static int decide_all(decider *dc, extsort *pairs)
{
	double t0 = now();
	uint64_t bytes = (dc->n + 8) / 8;
	dc->dup = calloc(bytes, 1);
	dc->later = calloc(bytes, 1);
	if (dc->keep != MH_KEEP_FIRST) {
		dc->link = malloc((dc->n ? dc->n : 1) * sizeof *dc->link);
		if (dc->link)
			for (uint64_t i = 0; i < dc->n; i++)
				dc->link[i] = (uint32_t)i; /* every root its own best */
	}
	size_t slot_bytes = sizeof(slot) + dc->p.perms * 4;
	dc->cache_n = (16u << 20) / slot_bytes;
	dc->cache = calloc(dc->cache_n, sizeof *dc->cache);
	dc->cache_sigs = malloc((dc->cache_n + 1) * (size_t)dc->p.perms * 4); /* + 1: d's own copy */
	dc->rec_cap = 24 + (size_t)dc->p.perms * 4 + 256;
	dc->rec = malloc(dc->rec_cap);
	if (!dc->dup || !dc->later || (dc->keep != MH_KEEP_FIRST && !dc->link) || !dc->cache || !dc->cache_sigs ||
	    !dc->rec)
		return failf("out of memory (%llu documents)", (unsigned long long)dc->n);
	for (size_t i = 0; i < dc->cache_n; i++)
		dc->cache[i].sig = dc->cache_sigs + i * dc->p.perms;
	uint32_t *cand = NULL;
	size_t nc = 0, cap = 0;
	uint32_t d = 0;
	uint64_t last = UINT64_MAX, a;
	uint32_t b;
	int got, rc = -1;
	for (;;) {
		got = es_next(pairs, &a, &b);
		if (got < 0) {
			failf("%s", pairs->err);
			goto out;
		}
		if (got && a == last)
			continue; /* the same pair from another band */
		last = a;
		uint32_t pd = (uint32_t)(a >> 32), pc = (uint32_t)a;
		if (!got || (nc && pd != d)) {
			if (nc && decide_one(dc, d, cand, nc))
				goto out;
			nc = 0;
			if (!got)
				break;
		}
		d = pd;
		if (nc == cap) {
			cap = cap ? cap * 2 : 64;
			uint32_t *q = realloc(cand, cap * sizeof *q);
			if (!q) {
				failf("out of memory");
				goto out;
			}
			cand = q;
		}
		cand[nc++] = pc;
		dc->unique_pairs++;
	}
	rc = 0;
out:
	free(cand);
	dc->temp_bytes += pairs->bytes_written;
	dc->runs += pairs->runs_made;
	dc->t_decide = now() - t0;
	return rc;
}

static void write_stats(decider *dc, kit_buf *s, double total)
{
	char b[512];
	static const char *const keeps[] = {"first", "longest", "newest"};
	snprintf(b, sizeof b,
		 "{\"documents\":%llu,\"inputs\":%zu,\"perms\":%u,\"bands\":%u,\"rows\":%u,\"threshold\":%g,"
		 "\"verify\":%s,\"keep\":\"%s\",",
		 (unsigned long long)dc->n, dc->n_in, dc->p.perms, dc->bands, dc->rows, dc->threshold,
		 dc->verify ? "true" : "false", keeps[dc->keep]);
	kit_buf_puts(s, b);
	snprintf(b, sizeof b,
		 "\"band_records\":%llu,\"buckets\":%llu,\"largest_bucket\":%llu,\"candidate_pairs\":%llu,"
		 "\"unique_pairs\":%llu,\"checked\":%llu,\"verified\":%llu,\"signature_reads\":%llu,",
		 (unsigned long long)dc->band_records, (unsigned long long)dc->buckets,
		 (unsigned long long)dc->largest_bucket, (unsigned long long)dc->pairs,
		 (unsigned long long)dc->unique_pairs, (unsigned long long)dc->checked,
		 (unsigned long long)dc->verified, (unsigned long long)dc->reads);
	kit_buf_puts(s, b);
	snprintf(b, sizeof b,
		 "\"sort_runs\":%zu,\"duplicates\":%llu,\"superseded\":%llu,"
		 "\"seconds\":{\"scan\":%.3f,\"pairs\":%.3f,\"decide\":%.3f,\"total\":%.3f},"
		 "\"temp_bytes\":%llu,\"memory_mb\":%zu,\"peak_rss_kb\":%ld,\"per_input\":[",
		 dc->runs, (unsigned long long)dc->duplicates, (unsigned long long)dc->superseded, dc->t_scan,
		 dc->t_pairs, dc->t_decide, total, (unsigned long long)dc->temp_bytes, dc->memory >> 20,
		 peak_rss_kb());
	kit_buf_puts(s, b);
	for (size_t i = 0; i < dc->n_in; i++) {
		snprintf(b, sizeof b, "%s{\"documents\":%llu,\"duplicates\":%llu,\"superseded\":%llu}", i ? "," : "",
			 (unsigned long long)dc->in[i].docs, (unsigned long long)dc->in[i].duplicates,
			 (unsigned long long)dc->in[i].superseded);
		kit_buf_puts(s, b);
	}
	kit_buf_puts(s, "]}\n");
}

static void cleanup(decider *dc)
{
	free(dc->e_id.p);
	free(dc->e_of.p);
	free(dc->e_root.p);
	free(dc->e_line.p);
	for (size_t i = 0; i < dc->n_in; i++) {
		input *in = &dc->in[i];
		mh_sig_close(&in->r);
		if (in->fd >= 0)
			close(in->fd);
		out_abort(&in->drop);
		out_abort(&in->marks);
	}
	out_abort(&dc->all);
	if (dc->docs_w)
		fclose(dc->docs_w);
	if (dc->docs_fd >= 0)
		close(dc->docs_fd);
	if (dc->docs_path) {
		unlink(dc->docs_path);
		free(dc->docs_path);
	}
	if (dc->tmp) {
		rmdir(dc->tmp);
		free(dc->tmp);
	}
	free(dc->in);
	free(dc->heap);
	free(dc->dup);
	free(dc->later);
	free(dc->link);
	free(dc->cache);
	free(dc->cache_sigs);
	free(dc->rec);
}

static int run_decide(decider *dc, char **paths, size_t n)
{
	double t0 = now();
	extsort bands = {0}, pairs = {0};
	int rc = -1;
	if (open_inputs(dc, paths, n) || choose_bands(dc))
		goto out;
	const char *root = dc->tmp_root                            ? dc->tmp_root
			   : getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR")
								   : "/tmp";
	if (asprintf(&dc->tmp, "%s/textmill-dedup-XXXXXX", root) < 0 || !mkdtemp(dc->tmp)) {
		failf("cannot make a temporary directory in %s: %s", root, strerror(errno));
		free(dc->tmp);
		dc->tmp = NULL;
		goto out;
	}
	if (asprintf(&dc->docs_path, "%s/documents.ref", dc->tmp) < 0) {
		dc->docs_path = NULL;
		failf("out of memory");
		goto out;
	}
	dc->docs_w = fopen(dc->docs_path, "wb");
	if (!dc->docs_w) {
		failf("cannot create %s: %s", dc->docs_path, strerror(errno));
		goto out;
	}
	setvbuf(dc->docs_w, NULL, _IOFBF, 1 << 20);
	if (dc->out_path) {
		if (out_init(&dc->all, dc->out_path) || out_open(&dc->all, 0))
			goto out;
		dc->all_open = 1;
	}
	dc->cur_split = dc->n_in;
	if (dc->split_dir) {
		if (mkdir(dc->split_dir, 0777) && errno != EEXIST) {
			failf("cannot make %s: %s", dc->split_dir, strerror(errno));
			goto out;
		}
		for (size_t i = 0; i < dc->n_in; i++) {
			char *p1 = NULL, *p2 = NULL;
			if (asprintf(&p1, "%s/drop-%05zu.tsv", dc->split_dir, i) < 0 ||
			    asprintf(&p2, "%s/marks-%05zu.tsv", dc->split_dir, i) < 0) {
				failf("out of memory");
				goto out;
			}
			int bad = out_init(&dc->in[i].drop, p1) || out_init(&dc->in[i].marks, p2);
			free(p1);
			free(p2);
			if (bad)
				goto out;
		}
	}
	if (es_init(&bands, dc->tmp, "bands", dc->memory, 1)) {
		failf("%s", bands.err);
		goto out;
	}
	if (dc->fan_in)
		bands.fan_in = dc->fan_in;
	if (scan(dc, &bands)) {
		if (bands.err[0])
			failf("%s", bands.err);
		goto out;
	}
	if (es_init(&pairs, dc->tmp, "pairs", dc->memory, 0)) {
		failf("%s", pairs.err);
		goto out;
	}
	if (dc->fan_in)
		pairs.fan_in = dc->fan_in;
	if (make_pairs(dc, &bands, &pairs) || decide_all(dc, &pairs))
		goto out;
	es_free(&pairs);
	/* commit: the split files, then the whole list */
	if (dc->split_dir)
		for (size_t i = 0; i < dc->n_in; i++)
			if (out_commit(&dc->in[i].drop) || out_commit(&dc->in[i].marks))
				goto out;
	if (dc->all_open && out_commit(&dc->all))
		goto out;
	double total = now() - t0;
	kit_buf s = {0};
	write_stats(dc, &s, total);
	if (kit_buf_failed(&s)) {
		failf("%s", KIT_OOM);
		free(s.p);
		goto out;
	}
	if (dc->stats_path) {
		outfile st;
		if (out_init(&st, dc->stats_path) || out_open(&st, 0)) {
			free(s.p);
			goto out;
		}
		if (fwrite(s.p, 1, s.len, st.f) != s.len || out_commit(&st)) {
			failf("cannot write %s", dc->stats_path);
			out_abort(&st);
			free(s.p);
			goto out;
		}
		out_abort(&st);
	}
	free(s.p);
	if (!dc->quiet)
		fprintf(stderr,
			"textmill-dedup: %llu documents in %zu files: %llu duplicates, %llu superseded (%.2f s: scan "
			"%.2f, pairs %.2f, decide %.2f; peak %.0f MB)\n"
			"  bands %u x %u rows, threshold %g; %llu band records, %llu shared buckets (largest %llu), "
			"%llu candidate pairs (%llu distinct), %llu checked against kept documents, %llu verified\n",
			(unsigned long long)dc->n, dc->n_in, (unsigned long long)dc->duplicates,
			(unsigned long long)dc->superseded, total, dc->t_scan, dc->t_pairs, dc->t_decide,
			peak_rss_kb() / 1024.0, dc->bands, dc->rows, dc->threshold,
			(unsigned long long)dc->band_records, (unsigned long long)dc->buckets,
			(unsigned long long)dc->largest_bucket, (unsigned long long)dc->pairs,
			(unsigned long long)dc->unique_pairs, (unsigned long long)dc->checked,
			(unsigned long long)dc->verified);
	if (!dc->quiet && dc->largest_bucket > 5000)
		fprintf(stderr,
			"textmill-dedup: warning: %llu documents share one band key; candidate pairs grow with "
			"the square of a bucket (see docs/distributed.md, Limitations)\n",
			(unsigned long long)dc->largest_bucket);
	rc = 0;
out:
	es_free(&bands);
	es_free(&pairs);
	cleanup(dc);
	return rc;
}

int dd_decide(const dd_decide_opts *o, char *const *paths, size_t n, dd_decide_counts *counts, char *err,
	      size_t errlen)
{
	decider dc = {.threshold = o->threshold,
		      .bands = o->bands,
		      .rows = o->rows,
		      .verify = o->verify,
		      .quiet = o->quiet,
		      .keep = o->keep,
		      .out_path = o->out_path,
		      .split_dir = o->split_dir,
		      .stats_path = o->stats_path,
		      .tmp_root = o->tmp_root,
		      .memory = o->memory,
		      .fan_in = o->fan_in,
		      .offset_step = o->offset_step,
		      .docs_fd = -1};
	if (run_decide(&dc, (char **)paths, n) == 0) {
		if (counts)
			*counts = (dd_decide_counts){dc.n, dc.duplicates, dc.superseded};
		return 0;
	}
	snprintf(err, errlen, "%s", errbuf);
	return -1;
}

int dd_decide_merge(const char *out, const char *const *paths, size_t n, char *err, size_t errlen)
{
	outfile o;
	char why[700];
	if (out_init(&o, out) || out_open(&o, 0)) {
		snprintf(err, errlen, "%s", errbuf);
		out_abort(&o);
		return -1;
	}
	dd_out w = {.write = dd_stdio_write, .ud = o.f};
	if (mh_sig_merge(paths, n, &w, why, sizeof why)) {
		snprintf(err, errlen, "merge: %s", why);
		out_abort(&o);
		return -1;
	}
	int rc = out_commit(&o);
	if (rc)
		snprintf(err, errlen, "%s", errbuf);
	out_abort(&o);
	return rc;
}
