/* fuzz_dedup.c -- the dedup file readers (plugins/dedup): the container
 * (ddfile.c), exact and MinHash index loaders (exindex.c, mhindex.c), the
 * signature reader, merge and replay (sigfile.c), and dedup.paragraph's
 * index loader (through the stage).
 *
 * A file whose checksum is wrong is refused before anything is parsed, so
 * the harness builds the container around the fuzzed bytes and computes
 * the checksum. Input:
 *
 *   [kind][count: u32][n][n parameters: u64 each][body...]
 *
 * kind 0 exact index, 1 MinHash index, 2 signature file, 3 paragraph
 * index; kind | 0x80: the rest of the input is the whole file but its
 * checksum (header and trailer fuzzed too). All numbers little-endian.
 * The readers take their parameters from the file itself, so parameter
 * checks pass and the fuzzer spends its time on the bodies. The seed
 * corpus holds files the stages wrote (make_dedup_seeds.sh).
 *
 * Oracles: an index that loads, saved and loaded again, saves to the same
 * bytes; a signature file that reads to its end merges with itself and
 * replays without error; nothing a file says makes a reader crash. */
#include <zlib.h>

#include "fuzz_host.h"
#include "exindex.h"
#include "mhindex.h"
#include "sigfile.h"

static pipeline_conf paragraph_conf[2]; /* unit: paragraph, unit: line */
static tm_doc *doc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_preload_plugins();
	doc = doc_new();
	fuzz_load_stages(&paragraph_conf[0],
			 "stages:\n"
			 "  - {type: dedup.paragraph, index: p.idx, index_update: false, min_docs: 2}\n");
	fuzz_load_stages(&paragraph_conf[1],
			 "stages:\n"
			 "  - {type: dedup.paragraph, unit: line, index: p.idx, index_update: false, min_docs: 2}\n");
	return 0;
}

/* ---- building the file ----------------------------------------------- */

static void put32(buf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		buf_putc(b, (char)(v >> (8 * i)));
}

static void put64(buf *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	put32(b, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_checksum(buf *file)
{
	uint32_t crc = (uint32_t)crc32(crc32(0, NULL, 0), (const Bytef *)file->p, (uInt)file->len);
	put32(file, crc);
	put32(file, 0);
}

static const uint32_t kinds[] = {DD_KIND_EXACT, DD_KIND_MINHASH, DD_KIND_SIGNATURES, DD_KIND_PARAGRAPH};

/* The file the input describes, into *file; its kind, or 0 if the input
 * is too short to describe one. */
static uint32_t build_file(const uint8_t *data, size_t size, buf *file)
{
	buf_clear(file);
	if (size < 1)
		return 0;
	uint32_t kind = kinds[data[0] & 3];
	if (data[0] & 0x80) {
		buf_put(file, data + 1, size - 1);
		put_checksum(file);
		return kind;
	}
	if (size < 6)
		return 0;
	uint32_t count = get32(data + 1), n_params = data[5];
	size_t at = 6;
	if (size - at < (size_t)n_params * 8)
		return 0;
	buf_put(file, "TMDEDUP\n", 8);
	put32(file, DD_FILE_VERSION);
	put32(file, kind);
	put32(file, DD_HASH_VERSION);
	put32(file, n_params * 8);
	buf_put(file, data + at, (size_t)n_params * 8);
	at += (size_t)n_params * 8;
	buf_put(file, data + at, size - at);
	buf_put(file, "TMDDEND\n", 8);
	put64(file, count);
	put64(file, size - at);
	put_checksum(file);
	return kind;
}

/* A dd_out into memory. */
static int to_buf(void *ud, const void *data, size_t len)
{
	buf_put(ud, data, len);
	return 0;
}

static const char *write_file(const char *name, const buf *b) { return fuzz_write(name, b->p, b->len); }

/* ---- exact index ------------------------------------------------------- */

static void exact(const char *path)
{
	static buf saved, again;
	dd_in in;
	if (dd_in_open(&in, path, DD_KIND_EXACT)) {
		fuzz_note("%s", in.err);
		goto close;
	}
	uint32_t flags = in.n_params ? (uint32_t)in.params[0] : 0;
	ex_index ix;
	ex_index_init(&ix);
	int rc = ex_index_load(&ix, flags, &in);
	fuzz_note("exact index: %s", rc ? in.err : "loaded");
	dd_in_close(&in);
	if (!rc) {
		for (size_t i = 0; i < ix.n; i++)
			FUZZ_CHECK(ex_index_find(&ix, ix.e[i].h) == (long long)i,
				   "entry %zu is not found by its hash", i);
		buf_clear(&saved);
		dd_out o = {.write = to_buf, .ud = &saved};
		FUZZ_CHECK(ex_index_save(&ix, flags, &o) == 0, "cannot save a loaded exact index");
		ex_index_free(&ix);
		/* Loaded again and saved again: the same bytes. */
		ex_index_init(&ix);
		FUZZ_CHECK(dd_in_open(&in, write_file("again.idx", &saved), DD_KIND_EXACT) == 0, "%s", in.err);
		FUZZ_CHECK(ex_index_load(&ix, flags, &in) == 0, "a saved exact index does not load: %s", in.err);
		dd_in_close(&in);
		buf_clear(&again);
		o = (dd_out){.write = to_buf, .ud = &again};
		ex_index_save(&ix, flags, &o);
		FUZZ_CHECK(saved.len == again.len && !memcmp(saved.p, again.p, saved.len),
			   "an exact index changed when saved, loaded and saved again");
	}
	ex_index_free(&ix);
close:
	dd_in_close(&in);
}

/* ---- MinHash index ----------------------------------------------------- */

static int index_for(mh_index *ix, const mh_params *p)
{
	uint32_t bands, rows;
	if (p->perms < 1 || p->perms > MH_MAX_PERMS)
		return -1;
	mh_choose_bands(p->perms, 0.8, &bands, &rows);
	return mh_index_init(ix, p->perms, bands, rows);
}

static void minhash(const char *path)
{
	static buf saved, again;
	dd_in in;
	mh_params p;
	mh_index ix;
	if (dd_in_open(&in, path, DD_KIND_MINHASH)) {
		fuzz_note("%s", in.err);
		goto close;
	}
	mh_params_decode(&in, &p);
	if (index_for(&ix, &p))
		goto close;
	int rc = mh_index_load(&ix, &p, &in);
	fuzz_note("MinHash index: %s", rc ? in.err : "loaded");
	dd_in_close(&in);
	if (!rc) {
		/* Ask the index about each of its own signatures. */
		uint32_t keys[MH_MAX_PERMS];
		for (size_t i = 0; i < ix.n && i < 64; i++) {
			double sim;
			mh_band_keys(ix.sigs + i * ix.perms, ix.bands, ix.rows, keys);
			uint32_t hit = mh_index_query(&ix, ix.sigs + i * ix.perms, keys, 0.8, 1, &sim);
			FUZZ_CHECK(hit == MH_NONE || hit < ix.n, "a query answered entry %u of %zu", hit, ix.n);
		}
		buf_clear(&saved);
		dd_out o = {.write = to_buf, .ud = &saved};
		FUZZ_CHECK(mh_index_save(&ix, &p, &o) == 0, "cannot save a loaded MinHash index");
		mh_index_free(&ix);
		index_for(&ix, &p);
		FUZZ_CHECK(dd_in_open(&in, write_file("again.idx", &saved), DD_KIND_MINHASH) == 0, "%s", in.err);
		FUZZ_CHECK(mh_index_load(&ix, &p, &in) == 0, "a saved MinHash index does not load: %s", in.err);
		dd_in_close(&in);
		buf_clear(&again);
		o = (dd_out){.write = to_buf, .ud = &again};
		mh_index_save(&ix, &p, &o);
		FUZZ_CHECK(saved.len == again.len && !memcmp(saved.p, again.p, saved.len),
			   "a MinHash index changed when saved, loaded and saved again");
	}
	mh_index_free(&ix);
close:
	dd_in_close(&in);
}

/* ---- signature files --------------------------------------------------- */

static void no_emit(void *ud, const mh_doc *d, const mh_verdict *v, const mh_index *ix)
{
	FUZZ_CHECK(!v->duplicate || v->of < ix->n, "a duplicate of entry %u of %zu", v->of, ix->n);
}

static void signatures(const char *path)
{
	static buf merged;
	char err[512];
	mh_sigreader r;
	if (mh_sig_open(&r, path, err, sizeof err)) {
		fuzz_note("%s", err);
		return;
	}
	mh_params p = r.p;
	uint64_t count = r.in.count, records = 0;
	int got;
	while ((got = mh_sig_next(&r, err, sizeof err)) > 0) {
		FUZZ_CHECK(r.doc.id[r.doc.id_len] == 0, "record %llu: id of %zu bytes not terminated",
			   (unsigned long long)records, r.doc.id_len);
		records++;
	}
	mh_sig_close(&r);
	fuzz_note("signatures: %llu records read%s%s", (unsigned long long)records, got < 0 ? ", then: " : "",
		  got < 0 ? err : "");
	if (got < 0)
		return;
	FUZZ_CHECK(records == count, "%llu records read of %llu", (unsigned long long)records,
		   (unsigned long long)count);
	/* A file that reads merges with itself, and the result replays. */
	const char *paths[2] = {path, path};
	buf_clear(&merged);
	dd_out o = {.write = to_buf, .ud = &merged};
	FUZZ_CHECK(mh_sig_merge(paths, 2, &o, err, sizeof err) == 0, "a readable signature file does not merge: %s",
		   err);
	mh_index ix;
	if (index_for(&ix, &p))
		return;
	mh_policy pol = {.threshold = 0.8, .verify = 1, .keep = MH_KEEP_LONGEST};
	FUZZ_CHECK(mh_sig_replay(write_file("merged.sig", &merged), &pol, &ix, no_emit, NULL, err, sizeof err) == 0,
		   "a merged signature file does not replay: %s", err);
	mh_index_free(&ix);
}

/* ---- paragraph index, through the stage --------------------------------- */

static void paragraph(const buf *file)
{
	static const run_options quiet = {.quiet = 1};
	static const char text[] = "Đoạn một của bài.\n\nĐoạn hai, lặp lại.\n\nĐoạn hai, lặp lại.\n";
	buf err = {0};
	write_file("p.idx", file);
	for (int unit = 0; unit < 2; unit++) {
		buf_clear(&err);
		pipeline *pl = pipeline_open(&paragraph_conf[unit], &quiet, &err);
		fuzz_note("paragraph index (unit %s): %s", unit ? "line" : "paragraph", pl ? "loaded" : err.p);
		if (!pl)
			continue; /* refused: the stage said why */
		doc_reset(doc);
		doc_set_id(doc, "p", 1);
		tm_doc_set_text(doc, text, sizeof text - 1);
		fuzz_run_doc(pl, doc);
		pipeline_close(pl);
	}
	buf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static buf file;
	uint32_t kind = build_file(data, size, &file);
	if (!kind)
		return 0;
	if (kind == DD_KIND_PARAGRAPH) {
		paragraph(&file);
		return 0;
	}
	const char *path = write_file("in.dd", &file);
	if (kind == DD_KIND_EXACT)
		exact(path);
	else if (kind == DD_KIND_MINHASH)
		minhash(path);
	else
		signatures(path);
	return 0;
}
