/* test_minhash.c -- normalisation, hashing, signatures, bands, the index
 * and its files, signature records and their merge. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exindex.h"
#include "mhindex.h"
#include "norm.h"
#include "sigfile.h"

#include "dd_test.h"

static dd_digest nhash(unsigned flags, const char *s)
{
	dd_norm n;
	ck_assert_int_eq(dd_norm_init(&n, flags), 0);
	dd_digest d = dd_norm_hash(&n, s, strlen(s), 7, NULL);
	dd_norm_free(&n);
	return d;
}

static int same_text(unsigned flags, const char *a, const char *b)
{
	dd_digest x = nhash(flags, a), y = nhash(flags, b);
	return x.hi == y.hi && x.lo == y.lo;
}

START_TEST(normalisation_options)
{
	unsigned def = DD_CASE_FOLD | DD_WS_COLLAPSE;
	ck_assert(same_text(def, "Hà Nội  ngày\n10", "hà nội ngày 10"));
	ck_assert(same_text(def, "  Hà Nội ", "Hà Nội"));
	ck_assert(!same_text(0, "Hà Nội", "hà nội"));
	ck_assert(!same_text(def, "Hà Nội", "Ha Noi"));
	/* NFC and NFD spellings agree whatever the options */
	ck_assert(same_text(0, "Vi\xe1\xbb\x87t", "Vie\xcc\xa3\xcc\x82t"));
	unsigned fold = def | DD_DIACRITICS_FOLD;
	ck_assert(same_text(fold, "Đắk Nông, Việt Nam", "dak nong, viet nam"));
	ck_assert(same_text(fold, "Quảng Ngãi", "QUANG NGAI"));
	ck_assert(!same_text(fold, "Đắk Nông, Việt Nam", "dak nong viet nam"));
	ck_assert(same_text(fold | DD_PUNCT_REMOVE, "Đắk Nông, Việt Nam!", "dak nong viet nam"));
	ck_assert(same_text(DD_WS_REMOVE, "a b\tc", "abc"));
	ck_assert(!same_text(0, "a  b", "a b"));
	/* a soft hyphen is invisible */
	ck_assert(same_text(def, "quốc\xc2\xadphòng", "quốcphòng"));
}
END_TEST

static size_t count_tokens(unsigned flags, const char *s, int chars)
{
	dd_norm n;
	ck_assert_int_eq(dd_norm_init(&n, flags), 0);
	dd_tokens t;
	dd_tokens_init(&t, &n, s, strlen(s), chars);
	uint64_t h;
	size_t k = 0;
	while (dd_tokens_next(&t, &h))
		k++;
	dd_norm_free(&n);
	return k;
}

START_TEST(tokens)
{
	ck_assert_uint_eq(count_tokens(0, "Hà Nội, ngày 10/12/2024.", 0), 6);
	ck_assert_uint_eq(count_tokens(0, "  ", 0), 0);
	/* characters: one space token between words, marks stay with their letter */
	ck_assert_uint_eq(count_tokens(0, "ab  cd", 1), 5);
	ck_assert_uint_eq(count_tokens(0, "e\xcc\xa3\xcc\x82", 1), 1);
	ck_assert_uint_eq(count_tokens(DD_PUNCT_REMOVE, "a, b", 1), 3);
}
END_TEST

/* Each token of s hashed in turn, into h (at most 32). */
static size_t token_hashes(unsigned flags, const char *s, int chars, uint64_t *h)
{
	dd_norm n;
	ck_assert_int_eq(dd_norm_init(&n, flags), 0);
	dd_tokens t;
	dd_tokens_init(&t, &n, s, strlen(s), chars);
	size_t k = 0;
	while (k < 32 && dd_tokens_next(&t, &h[k]))
		k++;
	dd_norm_free(&n);
	return k;
}

static int same_tokens(unsigned flags, const char *a, const char *b, int chars)
{
	uint64_t x[32], y[32];
	size_t nx = token_hashes(flags, a, chars, x), ny = token_hashes(flags, b, chars, y);
	return nx == ny && !memcmp(x, y, nx * sizeof x[0]);
}

/* The words of s[0, len) as the general decoder gives them (dd_norm_next
 * at every character), the way scan_word defines them: what the token
 * loop's shortcuts (ASCII letters, o and u, characters of two and three
 * bytes read straight into the table) must give. */
static size_t reference_words(const dd_norm *n, const char *s, size_t len, uint64_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t got = 0;
	while (got < max) {
		uint64_t h = DD_FNV_INIT;
		int inword = 0;
		while (p < end) {
			size_t adv;
			dd_cp tmp;
			const dd_cp *e = dd_norm_next(n, p, (size_t)(end - p), &adv, &tmp);
			p += adv;
			if (e->cls == DD_WORD || e->cls == DD_MARK) {
				for (size_t i = 0; i < e->len; i++)
					h = dd_fnv_byte(h, (unsigned char)e->out[i]);
				inword |= e->len != 0;
			} else if (e->cls != DD_IGNORE && inword) {
				break;
			}
		}
		if (!inword)
			break;
		out[got++] = dd_fmix64(h);
	}
	return got;
}

/* Generated text of pieces that take every way through the token loop:
 * ASCII letters (o and u among them), toned and plain vowels of two and
 * three bytes, the pairs whose tone may sit on either letter (hoà, hòa,
 * thuỷ), combining marks, punctuation of three bytes, spaces, characters
 * outside the table, overlong and cut sequences and stray bytes; each
 * text's token hashes against reference_words, for three sets of flags. */
START_TEST(token_shortcuts_match_the_decoder)
{
	static const char *const piece[] = {
		"a",
		"o",
		"u",
		"O",
		"U",
		"b",
		"Z",
		"7",
		" ",
		"  ",
		",",
		".",
		"-",
		"\n",
		"\t",
		"\xc3\xa0",
		"\xc3\xb2",
		"\xc3\xb3",
		"\xc3\x92",
		"\xc6\xa1",
		"\xc6\xb0",
		"\xc4\x91",
		"\xc4\x90",
		"\xc3\xba",
		"\xc3\xb9",
		"\xe1\xbb\x87",
		"\xe1\xbb\x8f",
		"\xe1\xbb\xa7",
		"\xe1\xbb\xa5",
		"\xe1\xbb\x8d",
		"\xe1\xbb\xb9",
		"\xe1\xbb\x9f",
		"\xe1\xbb\xab",
		"\xe1\xba\xa1",
		"\xcc\x80",
		"\xcc\x81",
		"\xcc\x83",
		"\xcc\x89",
		"\xcc\xa3",
		"\xe2\x80\x9c",
		"\xe2\x80\x9d",
		"\xe2\x80\x93",
		"\xe2\x80\xa6",
		"\xe2\x80\x8b",
		"\xc2\xad",
		"\xc2\xa0",
		"\xe4\xb8\xad",
		"\xe3\x80\x82",
		"\xf0\x9f\x98\x80",
		"\xc0\x80",
		"\xc1\xbf",
		"\xe0\x80\x80",
		"\x80",
		"\xbf",
		"\xc3",
		"\xe1\xbb",
		"\xe1",
		"ho\xc3\xa0",
		"h\xc3\xb2"
		"a",
		"thu\xe1\xbb\xb7",
		"th\xe1\xbb\xa7y",
		"kho\xe1\xba\xbb",
		"Nguy\xe1\xbb\x85n",
		"qu\xc3\xa2n",
		"\xc4\x90\xe1\xba\xafk",
		"o\xcc\x80"
		"a",
	};
	const size_t npieces = sizeof piece / sizeof *piece;
	static const unsigned flags[] = {DD_CASE_FOLD | DD_PUNCT_REMOVE,
					 DD_CASE_FOLD | DD_PUNCT_REMOVE | DD_DIACRITICS_FOLD, 0};
	uint64_t seed = 12345;
	char text[160];
	uint64_t got[160], want[160];
	for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
		dd_norm n;
		ck_assert_int_eq(dd_norm_init(&n, flags[f]), 0);
		for (int round = 0; round < 20000; round++) {
			size_t len = 0;
			for (int k = 0; k < 12; k++) {
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				const char *x = piece[(seed >> 33) % npieces];
				memcpy(text + len, x, strlen(x));
				len += strlen(x);
			}
			size_t nw = reference_words(&n, text, len, want, 160);
			dd_tokens t;
			dd_tokens_init(&t, &n, text, len, 0);
			size_t ng = 0, step;
			while ((step = dd_tokens_fill(&t, got + ng, 1 + ng % 3)) > 0) /* fills of 1 to 3 */
				ng += step;
			ck_assert_msg(ng == nw && !memcmp(got, want, nw * sizeof *got),
				      "flags %u, text %zu bytes: %zu tokens against %zu", flags[f], len, ng, nw);
		}
		dd_norm_free(&n);
	}
}
END_TEST

/* Tone placement in oa, oe, uy: the old style (hòa, thủy) and the new
 * (hoà, thuỷ) are the same text, whatever clean.normalize wrote. */
START_TEST(tone_placement)
{
	const char *old_style = "Bà Thúy ở Hòa Bình khỏe, THỦY. Õe ùy",
		   *new_style = "Bà Thuý ở Hoà Bình khoẻ, THUỶ. Oẽ uỳ";
	unsigned flags[] = {0, DD_CASE_FOLD | DD_WS_COLLAPSE, DD_CASE_FOLD | DD_PUNCT_REMOVE};
	for (size_t i = 0; i < 3; i++) {
		ck_assert(same_text(flags[i], old_style, new_style));
		ck_assert(same_tokens(flags[i], old_style, new_style, 0));
		ck_assert(same_tokens(flags[i], old_style, new_style, 1));
	}
	/* with a final consonant the two spellings are different words */
	ck_assert(!same_text(0, "hoàng", "hòang"));
	ck_assert(!same_tokens(0, "hoàng", "hòang", 1));
}
END_TEST

static mh_params params(uint32_t perms)
{
	mh_params p = {perms, 5, 0, DD_CASE_FOLD | DD_PUNCT_REMOVE, MH_DEFAULT_SEED};
	return p;
}

/* A text of n words, word i spelled from (i * mul + add). */
static char *words(int n, int mul, int add)
{
	char *s = malloc((size_t)n * 12 + 1);
	size_t o = 0;
	for (int i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, "%sw%d", i ? " " : "", i * mul + add);
	return s;
}

START_TEST(signatures_estimate_jaccard)
{
	mh_params p = params(256);
	mh_hasher h;
	ck_assert_int_eq(mh_hasher_init(&h, &p), 0);
	uint32_t a[256], b[256];
	/* 400 words; the copy changes every 10th word: each change breaks 5
	 * shingles, so the true Jaccard is about (396 - 200) / (396 + 200) */
	char *x = words(400, 1, 0), *y = words(400, 1, 0);
	ck_assert_uint_eq(mh_signature(&h, x, strlen(x), a), 396);
	mh_signature(&h, y, strlen(y), b);
	ck_assert(mh_similarity(a, b, 256) == 1.0);
	free(y);
	y = malloc(strlen(x) + 4000);
	size_t o = 0;
	for (int i = 0; i < 400; i++)
		o += (size_t)sprintf(y + o, "%sw%d%s", i ? " " : "", i, i % 10 == 5 ? "x" : "");
	mh_signature(&h, y, strlen(y), b);
	double truth = (396.0 - 200) / (396 + 200), est = mh_similarity(a, b, 256);
	ck_assert_msg(est > truth - 0.1 && est < truth + 0.1, "estimate %f, truth %f", est, truth);
	/* unrelated texts */
	free(y);
	y = words(400, 7, 100000);
	mh_signature(&h, y, strlen(y), b);
	ck_assert(mh_similarity(a, b, 256) < 0.05);
	/* a text shorter than a shingle is one shingle; no words, none */
	ck_assert_uint_eq(mh_signature(&h, "ba từ thôi", 13, b), 1);
	ck_assert_uint_eq(mh_signature(&h, " ,. ", 4, b), 0);
	free(x);
	free(y);
	mh_hasher_free(&h);
}
END_TEST

/* FNV-1a over a signature's values: one number to pin it by. */
static uint64_t sig_digest(const uint32_t *sig, uint32_t perms)
{
	uint64_t d = DD_FNV_INIT;
	for (uint32_t i = 0; i < perms; i++)
		for (int b = 0; b < 4; b++)
			d = dd_fnv_byte(d, (unsigned char)(sig[i] >> (8 * b)));
	return d;
}

/* Signatures are stored in index and signature files, so a faster way to
 * compute them must give the same values: these were computed by the
 * first implementation (one shingle hashed at a time, every permutation
 * folded per shingle). Texts shorter than a shingle, of exactly one, and
 * longer than the 512 fingerprints folded at a time; words and characters;
 * perms that are and are not a multiple of a vector. */
/* n Vietnamese-looking words, with marks, capitals and punctuation. */
static char *vi_words(int n)
{
	static const char *const syl[] = {"Việt",  "nam,", "quốc", "phòng", "Đắk",
					  "Nông.", "ngày", "hội",  "Bộ",    "trưởng"};
	char *s = malloc((size_t)n * 16 + 1);
	size_t o = 0;
	for (int i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, "%s%s%d", i ? " " : "", syl[(i * 7) % 10], i % 13);
	return s;
}

START_TEST(signatures_are_stable)
{
	static const struct {
		uint32_t perms, chars, words;
		uint64_t digest;
	} cases[] = {
		{128, 0, 3, 0xbf1d8311060717d5ULL},    {128, 0, 5, 0xde43bd8da2ad14e3ULL},
		{128, 0, 1500, 0xff0af751021a1612ULL}, {100, 0, 700, 0x9957c2462e011fd9ULL},
		{7, 0, 600, 0x0c45add63cb56400ULL},    {128, 1, 300, 0xe543a6a09a4123c3ULL},
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		mh_params p = params(cases[c].perms);
		p.chars = cases[c].chars;
		p.norm_flags |= DD_DIACRITICS_FOLD * (c % 2);
		mh_hasher h;
		ck_assert_int_eq(mh_hasher_init(&h, &p), 0);
		char *text = vi_words((int)cases[c].words);
		uint32_t sig[128];
		mh_signature(&h, text, strlen(text), sig);
		ck_assert_msg(sig_digest(sig, cases[c].perms) == cases[c].digest, "case %zu: signature changed", c);
		free(text);
		mh_hasher_free(&h);
	}
}
END_TEST

/* The signature as minhash.h defines it, one token and one shingle at a
 * time: what the chunked, vectorised mh_signature must give. */
static void plain_signature(const mh_hasher *h, const char *text, uint32_t *sig)
{
	size_t k = h->p.shingle_size, n = 0, cap = 64;
	uint64_t *toks = malloc(cap * sizeof *toks);
	dd_tokens t;
	dd_tokens_init(&t, &h->norm, text, strlen(text), (int)h->p.chars);
	for (;;) {
		if (n == cap)
			toks = realloc(toks, (cap *= 2) * sizeof *toks);
		ck_assert_ptr_nonnull(toks);
		if (!dd_tokens_next(&t, &toks[n]))
			break;
		n++;
	}
	for (uint32_t i = 0; i < h->p.perms; i++)
		sig[i] = UINT32_MAX;
	for (size_t w = 0; n && (w + k <= n || w == 0); w++) {
		size_t len = n < k ? n : k; /* a text shorter than k: one shorter shingle */
		uint64_t x = h->p.seed ^ len;
		for (size_t j = 0; j < len; j++)
			x = dd_combine(x, toks[w + j]);
		uint32_t fp = (uint32_t)(dd_fmix64(x) >> 32);
		mh_fold(h, &fp, 1, sig);
	}
	free(toks);
}

/* Texts whose token counts fall on either side of the 512-shingle chunks
 * of mh_signature, and shorter than a shingle. */
START_TEST(signature_at_chunk_edges)
{
	static const int words[] = {1, 4, 5, 6, 515, 516, 517, 1027, 1028, 1029, 1600};
	for (int chars = 0; chars < 2; chars++)
		for (size_t c = 0; c < sizeof words / sizeof *words; c++) {
			mh_params p = params(128);
			p.chars = (uint32_t)chars;
			mh_hasher h;
			ck_assert_int_eq(mh_hasher_init(&h, &p), 0);
			char *text = vi_words(chars ? (words[c] + 7) / 8 : words[c]);
			uint32_t got[128], want[128];
			mh_signature(&h, text, strlen(text), got);
			plain_signature(&h, text, want);
			ck_assert_msg(!memcmp(got, want, sizeof got), "%s, %d words: signatures differ",
				      chars ? "characters" : "words", words[c]);
			free(text);
			mh_hasher_free(&h);
		}
}
END_TEST

START_TEST(bands_for_threshold)
{
	uint32_t b, r;
	mh_choose_bands(128, 0.8, &b, &r);
	ck_assert_uint_eq(b, 14);
	ck_assert_uint_eq(r, 9);
	ck_assert(mh_candidate_probability(0.9, b, r) > 0.99);
	ck_assert(mh_candidate_probability(0.5, b, r) < 0.03);
	mh_choose_bands(64, 0.5, &b, &r);
	ck_assert(b * r <= 64);
	ck_assert(mh_candidate_probability(0.5, b, r) > 0.8);
}
END_TEST

START_TEST(dates)
{
	ck_assert_int_eq(mh_parse_date("2024-12-10", 10), 20241210000000LL);
	ck_assert_int_eq(mh_parse_date("2024-12-10T08:30:15+07:00", 25), 20241210083015LL);
	ck_assert_int_eq(mh_parse_date("10/12/2024 08:30", 16), 20241210083000LL);
	ck_assert_int_eq(mh_parse_date("hôm qua", 8), MH_NO_DATE);
	ck_assert_int_eq(mh_parse_date("2024-13-10", 10), MH_NO_DATE);
}
END_TEST

/* An index over texts, with decisions as "id:dup-of" strings. */
typedef struct fixture {
	mh_params p;
	mh_hasher h;
	mh_index ix;
	mh_policy pol;
} fixture;

static void fx_init(fixture *f, mh_keep keep)
{
	f->p = params(128);
	ck_assert_int_eq(mh_hasher_init(&f->h, &f->p), 0);
	uint32_t b, r;
	mh_choose_bands(128, 0.8, &b, &r);
	ck_assert_int_eq(mh_index_init(&f->ix, 128, b, r), 0);
	f->pol = (mh_policy){0.8, 1, keep, 0};
}

static const char *fx_decide(fixture *f, const char *id, const char *text, uint64_t order, const char *date)
{
	static char out[128];
	uint32_t sig[128], keys[128];
	mh_signature(&f->h, text, strlen(text), sig);
	mh_band_keys(sig, f->ix.bands, f->ix.rows, keys);
	mh_doc d = {id, strlen(id), order, mh_parse_date(date, strlen(date)), (uint32_t)strlen(text), sig, keys};
	mh_verdict v;
	ck_assert_int_eq(mh_decide(&f->ix, &f->pol, &d, &v), 0);
	size_t n;
	const char *of = v.duplicate             ? mh_entry_id(&f->ix, v.of, &n)
			 : v.replaced != MH_NONE ? mh_entry_id(&f->ix, v.replaced, &n)
						 : "";
	if (!v.duplicate && v.replaced == MH_NONE)
		n = 0;
	snprintf(out, sizeof out, "%s%.*s",
		 v.duplicate             ? "dup:"
		 : v.replaced != MH_NONE ? "replaces:"
					 : "new",
		 (int)n, of);
	return out;
}

static void fx_free(fixture *f)
{
	mh_hasher_free(&f->h);
	mh_index_free(&f->ix);
}

START_TEST(keep_policies)
{
	char *base = words(300, 1, 0), *longer = malloc(strlen(base) + 100), *other = words(300, 3, 5000);
	sprintf(longer, "%s w300 w301", base);
	fixture f;
	fx_init(&f, MH_KEEP_FIRST);
	ck_assert_str_eq(fx_decide(&f, "a", base, 0, "2024-01-01"), "new");
	ck_assert_str_eq(fx_decide(&f, "b", other, 1, "2024-01-01"), "new");
	ck_assert_str_eq(fx_decide(&f, "c", longer, 2, "2024-01-02"), "dup:a");
	fx_free(&f);

	fx_init(&f, MH_KEEP_LONGEST);
	ck_assert_str_eq(fx_decide(&f, "a", base, 0, ""), "new");
	ck_assert_str_eq(fx_decide(&f, "c", longer, 1, ""), "replaces:a");
	ck_assert_str_eq(fx_decide(&f, "d", base, 2, ""), "dup:c"); /* against the cluster's best */
	fx_free(&f);

	fx_init(&f, MH_KEEP_NEWEST);
	ck_assert_str_eq(fx_decide(&f, "a", base, 0, "2024-01-05"), "new");
	ck_assert_str_eq(fx_decide(&f, "b", base, 1, "2024-01-01"), "dup:a");
	ck_assert_str_eq(fx_decide(&f, "c", longer, 2, "2024-02-01"), "replaces:a");
	ck_assert_str_eq(fx_decide(&f, "d", base, 3, "no date"), "dup:c");
	fx_free(&f);
	free(base), free(longer), free(other);
}
END_TEST

/* Empty ids: an index of nothing but "" still hands out real pointers
 * (memcmp and pointer arithmetic on NULL are undefined even for 0 bytes),
 * and a second pass tells "" from other ids. */
START_TEST(empty_ids)
{
	char *t = words(200, 1, 0), *u = words(200, 7, 3);
	fixture f;
	fx_init(&f, MH_KEEP_FIRST);
	ck_assert_str_eq(fx_decide(&f, "", t, 0, ""), "new");
	size_t n = 1;
	ck_assert_ptr_nonnull(mh_entry_id(&f.ix, 0, &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(fx_decide(&f, "", t, 1, ""), "dup:");
	f.pol.second_pass = 1;
	ck_assert_str_eq(fx_decide(&f, "", t, 2, ""), "new"); /* the cluster's best: itself */
	ck_assert_str_eq(fx_decide(&f, "x", t, 3, ""), "dup:");
	f.pol.second_pass = 0;
	ck_assert_str_eq(fx_decide(&f, "y", u, 4, ""), "new");
	fx_free(&f);

	ex_index ex;
	ex_index_init(&ex);
	ck_assert_int_eq(ex_index_add(&ex, (dd_digest){1, 2}, 0, "", 0), 0);
	ck_assert_ptr_nonnull(ex.ids);
	ck_assert_int_eq(ex_index_find(&ex, (dd_digest){1, 2}), 0);
	ex_index_free(&ex);
	free(t), free(u);
}
END_TEST

static int save_to(const char *path, const mh_index *ix, const mh_params *p)
{
	FILE *fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	dd_out o = {.write = dd_stdio_write, .ud = fp};
	int rc = mh_index_save(ix, p, &o);
	ck_assert_int_eq(fclose(fp), 0);
	return rc;
}

static int load_from(const char *path, const mh_params *p, mh_index *ix, char *err, size_t errlen)
{
	dd_in in;
	int rc = dd_in_open(&in, path, DD_KIND_MINHASH);
	if (rc) {
		snprintf(err, errlen, "%s", rc > 0 ? "missing" : in.err);
		return -1;
	}
	rc = mh_index_load(ix, p, &in);
	if (rc)
		snprintf(err, errlen, "%s", in.err);
	dd_in_close(&in);
	return rc;
}

static long file_size(const char *path)
{
	FILE *fp = fopen(path, "rb");
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fclose(fp);
	return n;
}

START_TEST(index_round_trip_and_damage)
{
	fixture f;
	fx_init(&f, MH_KEEP_LONGEST);
	char *t[6];
	for (int i = 0; i < 6; i++)
		t[i] = words(200, 1, i * 1000);
	for (int i = 0; i < 6; i++)
		fx_decide(&f, (char[]){'a' + i, 0}, t[i], (uint64_t)i, "");
	char *longer = malloc(strlen(t[2]) + 20);
	sprintf(longer, "%s w9 w99", t[2]);
	ck_assert_str_eq(fx_decide(&f, "g", longer, 6, ""), "replaces:c");
	const char *path = tmp("mh.idx");
	ck_assert_int_eq(save_to(path, &f.ix, &f.p), 0);

	/* the loaded index decides as the saved one would */
	fixture g;
	fx_init(&g, MH_KEEP_LONGEST);
	char err[2048];
	ck_assert_msg(load_from(path, &g.p, &g.ix, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(g.ix.n, 7);
	ck_assert_uint_eq(g.ix.next_order, 7);
	ck_assert_str_eq(fx_decide(&g, "h", t[2], 7, ""), "dup:g");
	ck_assert_str_eq(fx_decide(&g, "i", t[4], 8, ""), "dup:e");
	fx_free(&g);

	/* other settings */
	fx_init(&g, MH_KEEP_FIRST);
	mh_params q = g.p;
	q.shingle_size = 3;
	ck_assert_int_eq(load_from(path, &q, &g.ix, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "shingle_size 5, but this stage uses 3"), "%s", err);
	fx_free(&g);

	/* truncated, corrupt, foreign, empty */
	long size = file_size(path);
	FILE *fp = fopen(path, "rb");
	char *bytes = malloc((size_t)size);
	ck_assert_int_eq(fread(bytes, 1, (size_t)size, fp), size);
	fclose(fp);
	const char *bad = tmp("bad.idx");
	struct {
		long len;
		long flip;
		const char *want;
	} cases[] = {
		{size / 2, -1, "truncated or incomplete"},
		{size - 1, -1, "truncated or incomplete"},
		{size, size / 2, "checksum mismatch"},
		{size, 2, "not a textmill dedup file"},
		{size, 12, "is a dedup file of an unknown kind, not a dedup.minhash index"},
		{0, -1, "not a textmill dedup file"},
		{10, -1, "truncated"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		fp = fopen(bad, "wb");
		fwrite(bytes, 1, (size_t)cases[k].len, fp);
		fclose(fp);
		if (cases[k].flip >= 0) {
			fp = fopen(bad, "r+b");
			fseek(fp, cases[k].flip, SEEK_SET);
			fputc(bytes[cases[k].flip] ^ 0x20, fp);
			fclose(fp);
		}
		fx_init(&g, MH_KEEP_FIRST);
		ck_assert_int_eq(load_from(bad, &g.p, &g.ix, err, sizeof err), -1);
		ck_assert_msg(strstr(err, cases[k].want), "case %zu: %s", k, err);
		ck_assert_uint_eq(g.ix.n, 0);
		fx_free(&g);
	}
	/* an exact index is not a minhash index */
	ex_index ex;
	ex_index_init(&ex);
	ck_assert_int_eq(ex_index_add(&ex, (dd_digest){1, 2}, 0, "x", 1), 0);
	fp = fopen(bad, "wb");
	dd_out o = {.write = dd_stdio_write, .ud = fp};
	ck_assert_int_eq(ex_index_save(&ex, 9, &o), 0);
	fclose(fp);
	ex_index_free(&ex);
	fx_init(&g, MH_KEEP_FIRST);
	ck_assert_int_eq(load_from(bad, &g.p, &g.ix, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "is a dedup.exact index, not a dedup.minhash index"), "%s", err);
	fx_free(&g);
	ck_assert_int_eq(load_from(tmp("none.idx"), &g.p, &g.ix, err, sizeof err), -1);
	ck_assert_str_eq(err, "missing");

	free(bytes);
	free(longer);
	for (int i = 0; i < 6; i++)
		free(t[i]);
	fx_free(&f);
}
END_TEST

START_TEST(exact_index_round_trip)
{
	ex_index ex, back;
	ex_index_init(&ex);
	for (uint64_t i = 0; i < 5000; i++) {
		char id[16];
		snprintf(id, sizeof id, "doc%llu", (unsigned long long)i);
		ck_assert_int_eq(ex_index_add(&ex, dd_hash128(id, strlen(id), 1), i, id, strlen(id)), 0);
	}
	const char *path = tmp("ex.idx");
	FILE *fp = fopen(path, "wb");
	dd_out o = {.write = dd_stdio_write, .ud = fp};
	ck_assert_int_eq(ex_index_save(&ex, 3, &o), 0);
	fclose(fp);
	dd_in in;
	ck_assert_int_eq(dd_in_open(&in, path, DD_KIND_EXACT), 0);
	ex_index_init(&back);
	ck_assert_int_eq(ex_index_load(&back, 5, &in), -1); /* other normalisation */
	ck_assert_msg(strstr(in.err, "other normalisation settings"), "%s", in.err);
	dd_in_close(&in);
	ex_index_free(&back);
	ck_assert_int_eq(dd_in_open(&in, path, DD_KIND_EXACT), 0);
	ex_index_init(&back);
	ck_assert_msg(ex_index_load(&back, 3, &in) == 0, "%s", in.err);
	dd_in_close(&in);
	ck_assert_uint_eq(back.n, 5000);
	long long at = ex_index_find(&back, dd_hash128("doc4321", 7, 1));
	ck_assert_int_eq(at, 4321);
	ck_assert_int_eq(memcmp(back.ids + back.e[at].id_off, "doc4321", 7), 0);
	ck_assert_int_eq(ex_index_find(&back, dd_hash128("doc5000", 7, 1)), -1);
	ex_index_free(&ex);
	ex_index_free(&back);
}
END_TEST

/* Shards: two signature files merged and replayed decide as one stream. */
static void put_doc(dd_out *o, const mh_hasher *h, const char *id, const char *text, uint64_t order)
{
	uint32_t sig[128];
	mh_signature(h, text, strlen(text), sig);
	mh_doc d = {id, strlen(id), order, MH_NO_DATE, (uint32_t)strlen(text), sig, NULL};
	mh_sig_put(o, 128, &d);
}

static char replayed[4096];
static void emit(void *ud, const mh_doc *d, const mh_verdict *v, const mh_index *ix)
{
	(void)ud;
	size_t n = 0;
	const char *of = v->duplicate ? mh_entry_id(ix, v->of, &n) : "";
	size_t len = strlen(replayed);
	snprintf(replayed + len, sizeof replayed - len, "%.*s:%.*s ", (int)d->id_len, d->id, (int)n, of);
}

START_TEST(merge_shards)
{
	fixture f;
	fx_init(&f, MH_KEEP_FIRST);
	char *t[4];
	for (int i = 0; i < 4; i++)
		t[i] = words(150, 1, i * 1000);
	/* the whole corpus in order: a0 b1 c0' d2 e1' f3 g2'; shard A has the even positions */
	const char *ids[] = {"a", "b", "c", "d", "e", "f", "g"};
	int text_of[] = {0, 1, 0, 2, 1, 3, 2};
	const char *pa = tmp("a.sig"), *pb = tmp("b.sig"), *pm = tmp("m.sig");
	FILE *fa = fopen(pa, "wb"), *fb = fopen(pb, "wb");
	dd_out oa = {.write = dd_stdio_write, .ud = fa}, ob = {.write = dd_stdio_write, .ud = fb};
	mh_sig_begin(&oa, &f.p);
	mh_sig_begin(&ob, &f.p);
	for (int i = 0; i < 7; i++)
		put_doc(i % 2 ? &ob : &oa, &f.h, ids[i], t[text_of[i]], (uint64_t)i);
	ck_assert_int_eq(mh_sig_end(&oa), 0);
	ck_assert_int_eq(mh_sig_end(&ob), 0);
	fclose(fa), fclose(fb);

	FILE *fm = fopen(pm, "wb");
	dd_out om = {.write = dd_stdio_write, .ud = fm};
	char err[600];
	const char *in[] = {pb, pa};
	ck_assert_msg(mh_sig_merge(in, 2, &om, err, sizeof err) == 0, "%s", err);
	fclose(fm);
	replayed[0] = 0;
	ck_assert_msg(mh_sig_replay(pm, &f.pol, &f.ix, emit, NULL, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(replayed, "a: b: c:a d: e:b f: g:d ");

	/* a shard that is not sorted is refused when merged */
	fa = fopen(pa, "wb");
	oa = (dd_out){.write = dd_stdio_write, .ud = fa};
	mh_sig_begin(&oa, &f.p);
	put_doc(&oa, &f.h, "x", t[0], 5);
	put_doc(&oa, &f.h, "y", t[1], 3);
	mh_sig_end(&oa);
	fclose(fa);
	fm = fopen(pm, "wb");
	om = (dd_out){.write = dd_stdio_write, .ud = fm};
	ck_assert_int_eq(mh_sig_merge(in, 2, &om, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "is not sorted"), "%s", err);
	fclose(fm);
	for (int i = 0; i < 4; i++)
		free(t[i]);
	fx_free(&f);
}
END_TEST

int main(void)
{
	if (dd_test_tmpdir("dd_test"))
		return 1;
	Suite *s = suite_create("dedup");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, normalisation_options);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, tone_placement);
	tcase_add_test(tc, token_shortcuts_match_the_decoder);
	tcase_add_test(tc, signatures_estimate_jaccard);
	tcase_add_test(tc, signatures_are_stable);
	tcase_add_test(tc, signature_at_chunk_edges);
	tcase_add_test(tc, bands_for_threshold);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, keep_policies);
	tcase_add_test(tc, empty_ids);
	tcase_add_test(tc, index_round_trip_and_damage);
	tcase_add_test(tc, exact_index_round_trip);
	tcase_add_test(tc, merge_shards);
	suite_add_tcase(s, tc);
	return dd_test_run(s, "");
}
