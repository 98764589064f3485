/* test_textops.c -- the text helpers (textops.c) and their Lua binding
 * (lua_text.c). */
#include <check.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "textops.h"
#include "tml.h"
#include "lua_test.h"

/* Folds s, checks the result, frees it. */
static void check_fold(const char *s, const char *want)
{
	char *out;
	size_t n;
	ck_assert_int_eq(textops_fold(s, strlen(s), &out, &n, NULL, NULL), TEXTOPS_OK);
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(n, strlen(want));
	free(out);
}

static char *nfd(const char *s)
{
	char *out;
	ck_assert_int_eq(textops_normalize(s, strlen(s), TEXTOPS_NFD, &out, NULL, NULL), TEXTOPS_OK);
	return out;
}

START_TEST(fold_vietnamese)
{
	check_fold("Đồng Chí", "dong chi");
	check_fold("ĐIỆN BIÊN PHỦ", "dien bien phu");
	check_fold("Nguyễn Văn Đức", "nguyen van duc");
	check_fold("Bộ Quốc phòng", "bo quoc phong");
	check_fold("Thừa Thiên Huế, Quảng Ngãi, Đắk Lắk", "thua thien hue, quang ngai, dak lak");
	check_fold("ƯỚC MƠ ươc mơ", "uoc mo uoc mo");
	/* Đ typed as an eth, and the other stroked letters. */
	check_fold("Ðà Nẵng", "da nang");
	check_fold("Łódź Ørsted", "lodz orsted");
	check_fold("Straße", "strasse");
	check_fold("", "");
	check_fold("abc 123 !?", "abc 123 !?");
	/* Beyond the cached range: full-width letters, CJK, punctuation. */
	check_fold("“Ｈà” 東京 – 5₫", "“ｈa” 東京 – 5₫");
}
END_TEST

/* The whole Vietnamese alphabet with its tones, in both cases. */
static const char *const VI_LOWER =
	"aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";
static const char *const VI_UPPER =
	"AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆGHIÌỈĨÍỊKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢPQRSTUÙỦŨÚỤƯỪỬỮỨỰVXYỲỶỸÝỴ";

START_TEST(fold_alphabet)
{
	char *out;
	size_t n;
	ck_assert_int_eq(textops_fold(VI_LOWER, strlen(VI_LOWER), &out, &n, NULL, NULL), 0);
	ck_assert_str_eq(out,
			 "aaaaaaaaaaaaaaaaaabcddeeeeeeeeeeeeghiiiiiiklmnoooooooooooooooooopqrstuuuuuuuuuuuuvxyyyyyy");
	free(out);
	ck_assert_int_eq(textops_fold(VI_UPPER, strlen(VI_UPPER), &out, &n, NULL, NULL), 0);
	ck_assert_str_eq(out,
			 "aaaaaaaaaaaaaaaaaabcddeeeeeeeeeeeeghiiiiiiklmnoooooooooooooooooopqrstuuuuuuuuuuuuvxyyyyyy");
	free(out);
}
END_TEST

/* Case folding alone, every letter of the alphabet both ways, between
 * ASCII letters (the ASCII runs end at it) and decomposed: each capital
 * and each small letter folds to the small one, and the offsets point at
 * the character each byte came from. */
START_TEST(fold_case_every_vietnamese_letter)
{
	textops_buf b = {0};
	size_t nl = strlen(VI_LOWER), nu = strlen(VI_UPPER), il = 0, iu = 0;

	while (il < nl && iu < nu) {
		size_t ll = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)VI_LOWER + il, -1, &(int32_t){0});
		size_t lu = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)VI_UPPER + iu, -1, &(int32_t){0});
		char want[16], in[16];
		int wn = snprintf(want, sizeof want, "x%.*sy", (int)ll, VI_LOWER + il);
		const char *letters[] = {VI_LOWER + il, VI_UPPER + iu};
		size_t lens[] = {ll, lu};
		for (int k = 0; k < 2; k++) {
			int n = snprintf(in, sizeof in, "X%.*sY", (int)lens[k], letters[k]);
			ck_assert_int_eq(textops_fold_into(&b, in, (size_t)n, TEXTOPS_FOLD_CASE, true, NULL), 0);
			if (b.out.len != (size_t)wn || memcmp(b.out.p, want, (size_t)wn))
				ck_abort_msg("\"%s\" folds to \"%s\", want \"%s\"", in, b.out.p, want);
			ck_assert_uint_eq(b.offsets[0], 0);
			for (size_t q = 1; q + 1 < (size_t)wn; q++)
				ck_assert_uint_eq(b.offsets[q], 1);
			ck_assert_uint_eq(b.offsets[wn - 1], (size_t)n - 1);
			ck_assert_uint_eq(b.offsets[wn], (size_t)n);
			/* decomposed, the marks after the ASCII letter */
			char *d = nfd(in);
			ck_assert_int_eq(textops_fold_into(&b, d, strlen(d), TEXTOPS_FOLD_CASE, true, NULL), 0);
			if (b.out.len != (size_t)wn || memcmp(b.out.p, want, (size_t)wn))
				ck_abort_msg("NFD \"%s\" folds to \"%s\", want \"%s\"", in, b.out.p, want);
			ck_assert_uint_eq(b.offsets[wn - 1], strlen(d) - 1);
			free(d);
		}
		il += ll;
		iu += lu;
	}
	ck_assert_uint_eq(il, nl);
	ck_assert_uint_eq(iu, nu);
	textops_buf_free(&b);
}
END_TEST

/* b.aligned: set when every character folded to one of the same length,
 * and then the offsets are those of the text, byte for byte, each mapped
 * to its character's start (what the gazetteer assumes without them). */
static void check_aligned(textops_buf *b, const char *in, unsigned flags, bool want)
{
	size_t n = strlen(in);
	char plain[4096];
	ck_assert_int_eq(textops_fold_into(b, in, n, flags, false, NULL), 0);
	ck_assert_msg(b->aligned == want, "\"%s\": aligned %d, want %d", in, b->aligned, want);
	ck_assert_uint_lt(b->out.len, sizeof plain);
	memcpy(plain, b->out.p, b->out.len + 1);
	ck_assert_int_eq(textops_fold_into(b, in, n, flags, true, NULL), 0);
	ck_assert_str_eq(b->out.p, plain);
	ck_assert_msg(b->aligned == want, "\"%s\" with offsets: aligned %d, want %d", in, b->aligned, want);
	if (!want)
		return;
	ck_assert_uint_eq(b->out.len, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(b->offsets[i], ((unsigned char)b->out.p[i] & 0xC0) == 0x80 ? b->offsets[i - 1] : i);
	ck_assert_uint_eq(b->offsets[n], n);
}

START_TEST(fold_aligned)
{
	textops_buf b = {0};
	/* every Vietnamese letter, in both cases, between ASCII and not */
	char all[1024];
	snprintf(all, sizeof all, "X%sY%s đ Ạ", VI_LOWER, VI_UPPER);
	for (unsigned flags = 0; flags <= TEXTOPS_FOLD_CASE; flags += TEXTOPS_FOLD_CASE) {
		check_aligned(&b, all, flags, true);
		check_aligned(&b, "Đồng Chí, “Hà Nội” – 100% 🙂 中国", flags, true);
		check_aligned(&b, "", flags, true);
		char *d = nfd("Đồng Chí");
		check_aligned(&b, d, flags, false); /* marks join the letter before */
		free(d);
	}
	check_aligned(&b, "aßb", TEXTOPS_FOLD_CASE, false); /* ß -> ss */
	check_aligned(&b, "aßb", 0, true);
	check_aligned(&b, "Đà Nẵng", TEXTOPS_FOLD_MARKS, false); /* à -> a */
	check_aligned(&b, "Da Nang", TEXTOPS_FOLD_MARKS | TEXTOPS_FOLD_CASE, true);
	textops_buf_free(&b);
}
END_TEST

/* Without offsets, plain characters take a shorter loop: every character
 * below the cache limit, alone and around others, folds the same way as
 * with offsets (the general loop), in every mode. */
START_TEST(fold_without_offsets_the_same)
{
	textops_buf a = {0}, b = {0};
	static const char *const around[][2] = {
		{"", ""}, {"Ab", "cD "}, {"x", "\xCC\x81y"}, {"ồ", "Ạ"}, {"a", "\xF0\x9F\x99\x82"}};
	for (unsigned flags = 0; flags < 4; flags++) {
		for (int32_t cp = 1; cp < 0x2100; cp++) {
			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			char c[4], in[64];
			size_t cn = (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)c);
			for (size_t k = 0; k < sizeof around / sizeof around[0]; k++) {
				int n = snprintf(in, sizeof in, "%s%.*s%s%.*s", around[k][0], (int)cn, c,
						 around[k][1], (int)cn, c);
				ck_assert_int_eq(textops_fold_into(&a, in, (size_t)n, flags, false, NULL), 0);
				ck_assert_int_eq(textops_fold_into(&b, in, (size_t)n, flags, true, NULL), 0);
				if (a.out.len != b.out.len || memcmp(a.out.p, b.out.p, a.out.len) ||
				    a.aligned != b.aligned)
					ck_abort_msg(
						"U+%04X in \"%s\" (flags %u): \"%s\" without offsets, \"%s\" with",
						cp, in, flags, a.out.p, b.out.p);
			}
		}
	}
	textops_buf_free(&a);
	textops_buf_free(&b);
}
END_TEST

START_TEST(fold_decomposed_equals_precomposed)
{
	const char *words[] = {"Đồng Chí",         "Nguyễn Thị Minh Khai", "Quảng Ngãi", "ĐIỆN BIÊN PHỦ",
			       "Thừa Thiên – Huế", "Bộ Quốc phòng",        VI_LOWER,     VI_UPPER};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		char *d = nfd(words[i]), *a, *b;
		ck_assert_str_ne(d, words[i]); /* really decomposed */
		ck_assert_int_eq(textops_fold(words[i], strlen(words[i]), &a, NULL, NULL, NULL), 0);
		ck_assert_int_eq(textops_fold(d, strlen(d), &b, NULL, NULL, NULL), 0);
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
		free(d);
	}
}
END_TEST

START_TEST(fold_offsets)
{
	/* Đ(2) ồ(3) n g ' ' C h í(2) */
	const char *s = "Đồng Chí";
	const size_t want[] = {0, 2, 5, 6, 7, 8, 9, 10, 12};
	char *out;
	size_t n, *off;
	ck_assert_int_eq(textops_fold(s, strlen(s), &out, &n, &off, NULL), 0);
	ck_assert_str_eq(out, "dong chi");
	for (size_t i = 0; i <= n; i++)
		ck_assert_uint_eq(off[i], want[i]);
	free(out);
	free(off);

	/* Decomposed: the marks belong to the character before them. */
	s = "Ha\xCC\x80 No\xCC\x82\xCC\x81i!"; /* "Hà Nối!" in NFD */
	{
		const size_t want2[] = {0, 1, 4, 5, 6, 11, 12, 13};
		ck_assert_int_eq(textops_fold(s, strlen(s), &out, &n, &off, NULL), 0);
		ck_assert_str_eq(out, "ha noi!");
		for (size_t i = 0; i <= n; i++)
			ck_assert_uint_eq(off[i], want2[i]);
		free(out);
		free(off);
	}

	/* One character folding to two bytes: both map to it. */
	s = "aßb";
	{
		const size_t want3[] = {0, 1, 1, 3, 4};
		ck_assert_int_eq(textops_fold(s, strlen(s), &out, &n, &off, NULL), 0);
		ck_assert_str_eq(out, "assb");
		for (size_t i = 0; i <= n; i++)
			ck_assert_uint_eq(off[i], want3[i]);
		free(out);
		free(off);
	}
}
END_TEST

/* Every folded span maps back to the same original text, in a longer
 * mixed text: the original characters under each output character fold to
 * it. */
START_TEST(fold_offsets_roundtrip)
{
	const char *s = "Sáng 30/4, tại TP.HCM, Chủ tịch nước Võ Văn Thưởng dự lễ kỷ niệm "
			"“Ngày Giải phóng miền Nam” – ĐẮK LẮK, Quảng Trị.";
	char *d = nfd(s);
	const char *texts[] = {s, d};
	for (int t = 0; t < 2; t++) {
		const char *x = texts[t];
		char *out;
		size_t n, *off, i = 0;
		ck_assert_int_eq(textops_fold(x, strlen(x), &out, &n, &off, NULL), 0);
		ck_assert_uint_eq(off[n], strlen(x));
		while (i < n) {
			/* the output bytes of one source cluster */
			size_t j = i + 1;
			char *piece, *again;
			size_t pn;
			while (j < n && off[j] == off[i])
				j++;
			ck_assert_uint_lt(off[i], off[j]);
			ck_assert_int_eq(textops_fold(x + off[i], off[j] - off[i], &piece, &pn, NULL, NULL), 0);
			again = strndup(out + i, j - i);
			ck_assert_str_eq(piece, again);
			free(piece);
			free(again);
			i = j;
		}
		free(out);
		free(off);
	}
	free(d);
}
END_TEST

START_TEST(fold_into_flags)
{
	textops_buf b = {0};
	const char *s = "Hà Nội, Đà Nẵng";
	char *d = nfd(s);

	ck_assert_int_eq(textops_fold_into(&b, s, strlen(s), TEXTOPS_FOLD_CASE, false, NULL), 0);
	ck_assert_str_eq(b.out.p, "hà nội, đà nẵng");
	ck_assert_int_eq(textops_fold_into(&b, s, strlen(s), TEXTOPS_FOLD_MARKS, false, NULL), 0);
	ck_assert_str_eq(b.out.p, "Ha Noi, Da Nang");
	ck_assert_int_eq(textops_fold_into(&b, d, strlen(d), TEXTOPS_FOLD_CASE, false, NULL), 0);
	ck_assert_str_eq(b.out.p, "hà nội, đà nẵng");
	/* No flags: just NFC. */
	ck_assert_int_eq(textops_fold_into(&b, d, strlen(d), 0, true, NULL), 0);
	ck_assert_str_eq(b.out.p, s);
	ck_assert_uint_eq(b.out.len, strlen(s));
	ck_assert_uint_eq(b.offsets[b.out.len], strlen(d));
	textops_buf_free(&b);
	free(d);
}
END_TEST

/* Our cluster-wise fold must agree with utf8proc run on the whole string,
 * on random text mixing Vietnamese, other scripts, combining marks and
 * Hangul jamo, in NFC and NFD. */
static utf8proc_int32_t ref_unstroke(utf8proc_int32_t cp, void *data)
{
	(void)data;
	switch (cp) {
	case 0x0110:
	case 0x00D0: return 'D';
	case 0x0111:
	case 0x00F0: return 'd';
	case 0x00D8: return 'O';
	case 0x00F8: return 'o';
	case 0x0141: return 'L';
	case 0x0142: return 'l';
	default: return cp;
	}
}

START_TEST(fold_matches_utf8proc)
{
	static const int32_t pool[] = {'a',     'B',    ' ',    '-',    '1',    0xE0,   0xC3,   0x110,  0x111,
				       0x1A0,   0x1AF,  0x1EC6, 0x1EF8, 0x1EA0, 0x300,  0x301,  0x303,  0x309,
				       0x323,   0x31B,  0x302,  0x306,  0x3A3,  0x3C2,  0x390,  0x1F80, 0x416,
				       0x130,   0xDF,   0x1E9E, 0x149,  0x1100, 0x1161, 0x11A8, 0xAC00, 0x4E2D,
				       0x201C,  0x2026, 0x20AB, 0xFF21, 0xFB01, 0x0B47, 0x0B3E, 0x0915, 0x093C,
				       0x1F600, 0x345,  0x2126, 0x212B, 0xD8,   0xF8,   0x141,  0x142};
	const size_t npool = sizeof pool / sizeof *pool;
	unsigned seed = 12345;
	textops_buf b = {0};

	for (int round = 0; round < 400; round++) {
		char s[512];
		size_t len = 0, nchars = 1 + (size_t)(round % 60);
		for (size_t i = 0; i < nchars; i++) {
			seed = seed * 1103515245u + 12345u;
			len += (size_t)utf8proc_encode_char(pool[(seed >> 16) % npool], (utf8proc_uint8_t *)s + len);
		}
		for (unsigned flags = 0; flags < 4; flags++) {
			utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
			utf8proc_uint8_t *want;
			utf8proc_ssize_t wn;
			if (flags & TEXTOPS_FOLD_CASE)
				opts |= UTF8PROC_CASEFOLD;
			if (flags & TEXTOPS_FOLD_MARKS)
				opts |= UTF8PROC_STRIPMARK;
			wn = utf8proc_map_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &want, opts,
						 (flags & TEXTOPS_FOLD_MARKS) ? ref_unstroke : NULL, NULL);
			ck_assert_int_ge(wn, 0);
			ck_assert_int_eq(textops_fold_into(&b, s, len, flags, true, NULL), 0);
			if (b.out.len != (size_t)wn || memcmp(b.out.p, want, b.out.len))
				ck_abort_msg("round %d flags %u: got \"%s\", want \"%s\"", round, flags, b.out.p,
					     (char *)want);
			free(want);
		}
	}
	textops_buf_free(&b);
}
END_TEST

/* utf8proc's fold of a whole string: decomposed (case folded, marks
 * stripped as flags say), letters with a stroke unstroked, composed. In
 * *n bytes, NUL-terminated, malloc'd. */
static char *ref_fold(const char *s, size_t len, unsigned flags, size_t *n)
{
	utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_DECOMPOSE;
	if (flags & TEXTOPS_FOLD_CASE)
		opts |= UTF8PROC_CASEFOLD;
	if (flags & TEXTOPS_FOLD_MARKS)
		opts |= UTF8PROC_STRIPMARK;
	utf8proc_custom_func fn = (flags & TEXTOPS_FOLD_MARKS) ? ref_unstroke : NULL;
	utf8proc_ssize_t k = utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, NULL, 0,
						       opts, fn, NULL);
	ck_assert_int_ge(k, 0);
	utf8proc_int32_t *cps = malloc(((size_t)k + 1) * sizeof *cps);
	ck_assert_ptr_nonnull(cps);
	ck_assert_int_eq(utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, cps, k, opts,
						   fn, NULL),
			 k);
	if (fn) /* a stroked letter can come out of a decomposition too: Ǿ -> Ø + ́ */
		for (utf8proc_ssize_t i = 0; i < k; i++)
			cps[i] = ref_unstroke(cps[i], NULL);
	k = utf8proc_reencode(cps, k, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	ck_assert_int_ge(k, 0);
	*n = (size_t)k;
	return (char *)cps;
}

/* Every code point of Unicode, each between runs of ASCII of every length
 * from 0 to 18 (mixed case, so that the eight-byte ASCII path meets
 * characters at each of its offsets): the fold with and without offsets
 * agrees with utf8proc run on the whole string, under each flag. */
START_TEST(fold_every_code_point)
{
	static const char ascii[] = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 .,-";
	enum { PER_STRING = 256 };
	textops_buf b = {0};
	char *s = malloc(PER_STRING * (4 + 18));
	ck_assert_ptr_nonnull(s);
	for (int32_t first = 0; first <= 0x10FFFF; first += PER_STRING) {
		size_t len = 0;
		for (int32_t cp = first; cp < first + PER_STRING && cp <= 0x10FFFF; cp++) {
			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			len += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)s + len);
			for (int k = 0; k < cp % 19; k++)
				s[len++] = ascii[(cp + k) % (sizeof ascii - 1)];
		}
		for (unsigned flags = 0; flags < 4; flags++) {
			size_t wn;
			char *want = ref_fold(s, len, flags, &wn);
			for (int off = 0; off < 2; off++) {
				ck_assert_int_eq(textops_fold_into(&b, s, len, flags, off, NULL), 0);
				if (b.out.len != wn || memcmp(b.out.p, want, wn))
					ck_abort_msg(
						"U+%04X..: flags %u, offsets %d: the fold differs from utf8proc's",
						(unsigned)first, flags, off);
			}
			free(want);
		}
	}
	free(s);
	textops_buf_free(&b);
}
END_TEST

/* textops_fold_alone says yes for exactly the characters that keep a
 * fold aligned after another character (one character of the same length,
 * not joining the one before), and gives the bytes the fold has there. */
START_TEST(fold_alone_every_code_point)
{
	textops_buf b = {0};
	size_t yes = 0;
	for (int32_t cp = 0; cp <= 0x10FFFF; cp += cp < 0x30000 ? 1 : 97) {
		char s[8], out[4];
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		s[0] = '-';
		size_t n = (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)s + 1);
		for (unsigned flags = 0; flags < 4; flags++) {
			bool ok = textops_fold_alone(s + 1, n, flags, out);
			ck_assert_int_eq(textops_fold_into(&b, s, n + 1, flags, false, NULL), 0);
			if (ok != b.aligned || (ok && (b.out.len != n + 1 || memcmp(b.out.p + 1, out, n))))
				ck_abort_msg("U+%04X, flags %u: alone %d, aligned after '-' %d", (unsigned)cp, flags,
					     ok, b.aligned);
			yes += ok;
		}
	}
	ck_assert_uint_gt(yes, 400000);
	char out[4];
	ck_assert(!textops_fold_alone("\xC3", 1, 0, out));     /* a lead byte alone */
	ck_assert(!textops_fold_alone("ab", 2, 0, out));       /* two characters */
	ck_assert(!textops_fold_alone("\xCC\x81", 2, 0, out)); /* a mark */
	textops_buf_free(&b);
}
END_TEST

/* A very long cluster (a letter with 200 marks) and a buffer reused for
 * texts of different lengths. */
START_TEST(fold_long_cluster_and_reuse)
{
	textops_buf b = {0};
	char s[1024];
	size_t len = 0;

	s[len++] = 'Q'; /* no precomposed Q with these marks */
	for (int i = 0; i < 200; i++) {
		memcpy(s + len, i % 2 ? "\xCC\x81" : "\xCC\xA3", 2); /* acute, dot below */
		len += 2;
	}
	memcpy(s + len, " Huế", strlen(" Huế"));
	len += strlen(" Huế");
	ck_assert_int_eq(textops_fold_into(&b, s, len, TEXTOPS_FOLD_CASE | TEXTOPS_FOLD_MARKS, true, NULL), 0);
	ck_assert_str_eq(b.out.p, "q hue");
	ck_assert_uint_eq(b.offsets[0], 0);
	ck_assert_uint_eq(b.offsets[1], 401); /* the space after the marks */
	ck_assert_uint_eq(b.offsets[b.out.len], len);
	/* Marks kept: NFC puts the 100 dots below before the 100 acutes. */
	ck_assert_int_eq(textops_fold_into(&b, s, len, TEXTOPS_FOLD_CASE, true, NULL), 0);
	ck_assert_uint_eq(b.out.len, 1 + 400 + strlen(" huế"));
	ck_assert(!memcmp(b.out.p + 1, "\xCC\xA3", 2) && !memcmp(b.out.p + 199, "\xCC\xA3", 2));
	ck_assert(!memcmp(b.out.p + 201, "\xCC\x81", 2));
	/* Shorter text, same buffer. */
	ck_assert_int_eq(textops_fold_into(&b, "Ấ", strlen("Ấ"), TEXTOPS_FOLD_CASE | TEXTOPS_FOLD_MARKS, true, NULL),
			 0);
	ck_assert_str_eq(b.out.p, "a");
	ck_assert_uint_eq(b.offsets[1], strlen("Ấ"));
	textops_buf_free(&b);
}
END_TEST

START_TEST(lower_upper)
{
	char *out;
	size_t n;
	char *d;

	ck_assert_int_eq(textops_lower("ĐIỆN BIÊN", strlen("ĐIỆN BIÊN"), &out, &n, NULL), 0);
	ck_assert_str_eq(out, "điện biên");
	ck_assert_uint_eq(n, strlen("điện biên"));
	free(out);
	ck_assert_int_eq(textops_upper("điện biên", strlen("điện biên"), &out, &n, NULL), 0);
	ck_assert_str_eq(out, "ĐIỆN BIÊN");
	free(out);
	ck_assert_int_eq(textops_upper(VI_LOWER, strlen(VI_LOWER), &out, &n, NULL), 0);
	ck_assert_str_eq(out, VI_UPPER);
	free(out);
	ck_assert_int_eq(textops_lower(VI_UPPER, strlen(VI_UPPER), &out, &n, NULL), 0);
	ck_assert_str_eq(out, VI_LOWER);
	free(out);
	/* Decomposed in, NFC out. */
	d = nfd("ĐƯỜNG HỒ CHÍ MINH, Ỹ");
	ck_assert_int_eq(textops_lower(d, strlen(d), &out, &n, NULL), 0);
	ck_assert_str_eq(out, "đường hồ chí minh, ỹ");
	free(out);
	free(d);
	ck_assert_int_eq(textops_lower("", 0, &out, &n, NULL), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(n, 0);
	free(out);
}
END_TEST

START_TEST(normalize_forms)
{
	const char *s = "Nguyễn Ánh";
	char *d = nfd(s), *out;
	size_t n;
	textops_form f;

	ck_assert_uint_gt(strlen(d), strlen(s));
	ck_assert_int_eq(textops_normalize(d, strlen(d), TEXTOPS_NFC, &out, &n, NULL), 0);
	ck_assert_str_eq(out, s);
	ck_assert_uint_eq(n, strlen(s));
	free(out);
	/* Compatibility forms. */
	ck_assert_int_eq(textops_normalize("ﬁ ①", strlen("ﬁ ①"), TEXTOPS_NFKC, &out, &n, NULL), 0);
	ck_assert_str_eq(out, "fi 1");
	free(out);
	ck_assert_int_eq(textops_normalize("ﬁ é", strlen("ﬁ é"), TEXTOPS_NFKD, &out, &n, NULL), 0);
	ck_assert_str_eq(out, "fi e\xCC\x81");
	free(out);
	ck_assert_int_eq(textops_normalize("ﬁ", strlen("ﬁ"), TEXTOPS_NFC, &out, &n, NULL), 0);
	ck_assert_str_eq(out, "ﬁ");
	free(out);
	free(d);

	ck_assert_int_eq(textops_form_parse("NFKD", &f), 0);
	ck_assert_int_eq(f, TEXTOPS_NFKD);
	ck_assert_int_eq(textops_form_parse("nfc", &f), -1);
	ck_assert_int_eq(textops_form_parse("NFX", &f), -1);
}
END_TEST

START_TEST(invalid_utf8)
{
	static const struct {
		const char *s;
		size_t len, off;
	} bad[] = {
		{"abc\xC3(", 5, 3},         /* missing continuation */
		{"a\xC0\xAF", 3, 1},        /* overlong */
		{"Hà\xED\xA0\x80", 6, 3},   /* surrogate */
		{"ab\xE1\xBB", 4, 2},       /* truncated at the end */
		{"\xF4\x90\x80\x80", 4, 0}, /* above U+10FFFF */
		{"xyz\x80", 4, 3},          /* stray continuation */
		{"12345678\xFF", 9, 8},     /* after the 8-byte ASCII skip */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *out = (char *)1;
		size_t off = 99, *offs;
		ck_assert_int_eq(textops_fold(bad[i].s, bad[i].len, &out, NULL, &offs, &off), TEXTOPS_EUTF8);
		ck_assert_ptr_null(out);
		ck_assert_uint_eq(off, bad[i].off);
		off = 99;
		ck_assert_int_eq(textops_lower(bad[i].s, bad[i].len, &out, NULL, &off), TEXTOPS_EUTF8);
		ck_assert_uint_eq(off, bad[i].off);
		off = 99;
		ck_assert_int_eq(textops_upper(bad[i].s, bad[i].len, &out, NULL, &off), TEXTOPS_EUTF8);
		ck_assert_uint_eq(off, bad[i].off);
		off = 99;
		ck_assert_int_eq(textops_normalize(bad[i].s, bad[i].len, TEXTOPS_NFD, &out, NULL, &off),
				 TEXTOPS_EUTF8);
		ck_assert_uint_eq(off, bad[i].off);
		off = 99;
		ck_assert_int_eq(textops_utf8_len(bad[i].s, bad[i].len, &off), -1);
		ck_assert_uint_eq(off, bad[i].off);
		ck_assert_int_eq(textops_utf8_validate(bad[i].s, bad[i].len, NULL), TEXTOPS_EUTF8);
	}
	/* NUL bytes are fine. */
	ck_assert_int_eq(textops_utf8_len("a\0b", 3, NULL), 3);
}
END_TEST

START_TEST(char_count_and_words)
{
	int32_t cp;
	ck_assert_int_eq(textops_utf8_len("Hà Nội", strlen("Hà Nội"), NULL), 6);
	ck_assert_int_eq(textops_utf8_len("", 0, NULL), 0);
	ck_assert_int_eq(textops_utf8_len("Tiếng Việt có dấu 😀", strlen("Tiếng Việt có dấu 😀"), NULL), 19);

	ck_assert(textops_is_word_char('a'));
	ck_assert(textops_is_word_char('Z'));
	ck_assert(textops_is_word_char('7'));
	ck_assert(textops_is_word_char(0x110));  /* Đ */
	ck_assert(textops_is_word_char(0x1EC7)); /* ệ */
	ck_assert(textops_is_word_char(0x301));  /* combining acute */
	ck_assert(textops_is_word_char(0x665));  /* Arabic-Indic five */
	ck_assert(textops_is_word_char(0x4E2D)); /* 中 */
	ck_assert(!textops_is_word_char(' '));
	ck_assert(!textops_is_word_char('-'));
	ck_assert(!textops_is_word_char('_'));
	ck_assert(!textops_is_word_char(0x201C)); /* “ */
	ck_assert(!textops_is_word_char(0xA0));   /* no-break space */
	ck_assert(!textops_is_word_char(-1));

	ck_assert_uint_eq(textops_utf8_decode("ệ", 3, 0, &cp), 3);
	ck_assert_int_eq(cp, 0x1EC7);
	ck_assert_int_eq(textops_utf8_prev("aệ", 4), 0x1EC7);
	ck_assert_int_eq(textops_utf8_prev("aệ", 1), 'a');
	ck_assert_int_eq(textops_utf8_prev("aệ", 0), -1);
	size_t start;
	ck_assert_int_eq(textops_utf8_prev_at("aệ", 4, &start), 0x1EC7);
	ck_assert_uint_eq(start, 1);
	/* two continuation bytes after an ASCII letter: the lead looked for at 0 */
	ck_assert_int_eq(textops_utf8_prev_at("a\x80\x80"
					      "b",
					      3, &start),
			 -1);
	ck_assert_uint_eq(start, 0);

	/* a window cut inside characters keeps the whole ones: "aệb" [2, 4) is
	 * inside ệ at both ends, [1, 5) all of ệ and b */
	size_t from = 2, to = 4;
	ck_assert(textops_whole_chars("aệb", 5, &from, &to));
	ck_assert_uint_eq(from, 4);
	ck_assert_uint_eq(to, 4);
	from = 1, to = 9;
	ck_assert(textops_whole_chars("aệb", 5, &from, &to));
	ck_assert_uint_eq(from, 1);
	ck_assert_uint_eq(to, 5);
	from = 6, to = 9;
	ck_assert(!textops_whole_chars("aệb", 5, &from, &to));
}
END_TEST

/* The first fold of several threads at once: the tables are built once. */
static void *fold_thread(void *arg)
{
	char *out;
	(void)arg;
	for (int i = 0; i < 200; i++) {
		if (textops_fold("Đồng Chí", strlen("Đồng Chí"), &out, NULL, NULL, NULL) || strcmp(out, "dong chi"))
			return (void *)1;
		free(out);
	}
	return NULL;
}

static utf8proc_int32_t lower_cp(utf8proc_int32_t cp, void *data)
{
	(void)data;
	return utf8proc_tolower(cp);
}

/* textops_lower(s) against utf8proc's map of s (tolower, then NFC), which
 * it gives for any word. */
static void check_lower_as_utf8proc(const char *s, size_t n)
{
	utf8proc_uint8_t *want;
	utf8proc_ssize_t m = utf8proc_map_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &want,
						 UTF8PROC_STABLE | UTF8PROC_COMPOSE, lower_cp, NULL);
	ck_assert_int_ge(m, 0);
	char *got;
	size_t got_len, off;
	ck_assert_int_eq(textops_lower(s, n, &got, &got_len, &off), 0);
	ck_assert_msg(got_len == (size_t)m && !memcmp(got, want, got_len), "lower of %.*s", (int)n, s);
	free(got);
	free(want);
}

/* The lower case written a character at a time for words of Latin letters
 * (Vietnamese among them): every character alone, pairs of those letters
 * (two characters that composed would show here; all of them were checked
 * so once) and words with a combining mark or another script, which go
 * through utf8proc. */
START_TEST(lower_fast_as_utf8proc)
{
	char s[16];
	for (int32_t cp = 1; cp < 0x2000; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		check_lower_as_utf8proc(s, (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)s));
	}
	static int32_t latin[1024];
	size_t n = 0;
	for (int32_t cp = 1; cp < 0x1F00; cp++)
		if (cp < 0x80 || (cp >= 0xC0 && cp < 0x250) || cp >= 0x1E00)
			latin[n++] = cp;
	/* each letter first and second beside an eighth of the others, a
	 * different eighth for each (every pair once took 6 s) */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i % 8; j < n; j += 8) {
			if (latin[i] < 0x80 && latin[j] < 0x80)
				continue;
			size_t k = (size_t)utf8proc_encode_char(latin[i], (utf8proc_uint8_t *)s);
			k += (size_t)utf8proc_encode_char(latin[j], (utf8proc_uint8_t *)s + k);
			check_lower_as_utf8proc(s, k);
		}
	static const char *words[] = {"ĐƯỜNG",
				      "Tướng",
				      "A\xcc\x81"
				      "B",
				      "e\xcc\x82\xcc\x81",
				      "ǅ",
				      "ΑΒΓ",
				      "Ⱥ",
				      "İstanbul",
				      "ẞ",
				      "Ǆ\xcc\x8c"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		check_lower_as_utf8proc(words[i], strlen(words[i]));
	/* the word before a position, lowered in place, the same */
	char out[64];
	ck_assert_int_eq(textops_word_before_lower("Ở ĐƯỜNG X", 15, 15, out, sizeof out), 9);
	ck_assert(!memcmp(out, "đường", 9));
	const char t[] = "A\xcc\x81"
			 "B X";
	ck_assert_int_eq(textops_word_before_lower(t, sizeof t - 1, sizeof t - 1, out, sizeof out), 3);
	ck_assert(!memcmp(out,
			  "\xc3\xa1"
			  "b",
			  3));
	ck_assert_int_eq(textops_word_before_lower("ĐƯỜNG X", 11, 11, out, 4), -1); /* does not fit */
	ck_assert_int_eq(textops_word_before_lower("ab\xc4 X", 5, 5, out, sizeof out), -1);
	/* into room given: each way it can fail, on the fast path and through utf8proc */
	ck_assert_int_eq(textops_lower_into("ĐƯỜNG", 9, out, 8), TEXTOPS_ENOROOM);
	ck_assert_int_eq(textops_lower_into("A\xcc\x81"
					    "B",
					    4, out, 2),
			 TEXTOPS_ENOROOM);
	ck_assert_int_eq(textops_lower_into("ab\xc4", 3, out, sizeof out), TEXTOPS_EUTF8);
	ck_assert_int_eq(textops_lower_into("", 0, out, 0), 0);
	ck_assert_int_eq(textops_lower_into("ÀB", 3, out, 3), 3);
	ck_assert(!memcmp(out, "àb", 3));
}
END_TEST

START_TEST(threads)
{
	pthread_t t[4];
	void *r;
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, fold_thread, NULL), 0);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], &r), 0);
		ck_assert_ptr_null(r);
	}
}
END_TEST

/* ---- the Lua binding ---- */

START_TEST(lua_text)
{
	lua_State *L = new_lua();
	run_lua(L, "local t = textmill\n"
		   "assert(t.fold('Đồng Chí') == 'dong chi')\n"
		   "assert(t.fold(t.normalize('Đồng Chí', 'NFD')) == 'dong chi')\n"
		   "assert(t.lower('ĐIỆN BIÊN') == 'điện biên')\n"
		   "assert(t.upper('điện biên') == 'ĐIỆN BIÊN')\n"
		   "local d = t.normalize('Hà Nội', 'NFD')\n"
		   "assert(#d == 12 and t.normalize(d) == 'Hà Nội' and t.normalize(d, 'NFC') == 'Hà Nội')\n"
		   "assert(t.normalize('ﬁ', 'NFKC') == 'fi' and t.normalize('ﬁ', 'NFKD') == 'fi')\n"
		   "assert(t.len('Hà Nội') == 6 and t.len('') == 0 and t.len(d) == 9)\n"
		   "assert(t.fold(12) == '12')\n"
		   "local function err(f, ...)\n"
		   "  local ok, e = pcall(f, ...)\n"
		   "  assert(not ok, 'no error')\n"
		   "  return e\n"
		   "end\n"
		   "local e = err(t.fold, 'abc\\xC3(xyz')\n"
		   "assert(e == 'textmill.fold: invalid UTF-8 at byte 4', e)\n"
		   "assert(err(t.lower, 'Hà\\xFF') == 'textmill.lower: invalid UTF-8 at byte 4')\n"
		   "assert(err(t.upper, '\\x80') == 'textmill.upper: invalid UTF-8 at byte 1')\n"
		   "assert(err(t.len, 'abcdef\\xED\\xA0\\x80') == 'textmill.len: invalid UTF-8 at byte 7')\n"
		   "assert(err(t.normalize, 'x\\xC0\\x80') == 'textmill.normalize: invalid UTF-8 at byte 2')\n"
		   "e = err(t.normalize, 'x', 'NFX')\n"
		   "assert(e:find(\"unknown form 'NFX'\", 1, true), e)\n"
		   "assert(err(t.fold):find('bad argument #1'))\n");
	lua_close(L);
}
END_TEST

static Suite *textops_suite(void)
{
	Suite *s = suite_create("textops");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, fold_vietnamese);
	tcase_add_test(tc, fold_alphabet);
	tcase_add_test(tc, fold_case_every_vietnamese_letter);
	tcase_add_test(tc, fold_aligned);
	tcase_add_test(tc, fold_without_offsets_the_same);
	tcase_add_test(tc, fold_decomposed_equals_precomposed);
	tcase_add_test(tc, fold_offsets);
	tcase_add_test(tc, fold_offsets_roundtrip);
	tcase_add_test(tc, fold_into_flags);
	tcase_add_test(tc, fold_matches_utf8proc);
	tcase_add_test(tc, fold_every_code_point);
	tcase_add_test(tc, fold_alone_every_code_point);
	tcase_add_test(tc, fold_long_cluster_and_reuse);
	tcase_add_test(tc, lower_upper);
	tcase_add_test(tc, normalize_forms);
	tcase_add_test(tc, invalid_utf8);
	tcase_add_test(tc, char_count_and_words);
	tcase_add_test(tc, lower_fast_as_utf8proc);
	tcase_add_test(tc, threads);
	tcase_add_test(tc, lua_text);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(textops_suite()); }
