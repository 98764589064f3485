/* test_gazetteer.c -- the dictionary matcher (gazetteer.c) and its Lua
 * binding (lua_gazetteer.c). */
#include <check.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gazetteer.h"
#include "textmill/kit_vn_tone.h"
#include "textops.h"
#include "tml.h"
#include "lua_test.h"

static gazetteer *make(unsigned flags, const char *const *keys)
{
	gazetteer *g = gazetteer_new(flags);
	ck_assert_ptr_nonnull(g);
	for (int i = 0; keys[i]; i++)
		ck_assert_int_eq(gazetteer_add(g, keys[i], strlen(keys[i]), 100 + i, NULL), TEXTOPS_OK);
	ck_assert_int_eq(gazetteer_build(g), TEXTOPS_OK);
	return g;
}

/* Searches and renders the matches as "text@start:entry|..." */
static char *render(const gazetteer *g, gazetteer_scratch *sc, const char *text, int mode)
{
	static char out[4096];
	size_t o = 0;
	ck_assert_int_eq(gazetteer_search(g, text, strlen(text), 0, mode, sc, NULL), TEXTOPS_OK);
	out[0] = 0;
	for (size_t i = 0; i < sc->n; i++) {
		const gazetteer_match *m = &sc->m[i];
		ck_assert_int_eq(m->payload, 100 + (int64_t)m->entry);
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%.*s@%zu:%u", i ? "|" : "",
				      (int)(m->end - m->start), text + m->start, m->start, m->entry);
	}
	return out;
}

START_TEST(longest_vs_overlapping)
{
	const char *keys[] = {"Quân khu", "Quân khu 5", "khu 5", NULL};
	gazetteer *g = make(GAZETTEER_CASE_INSENSITIVE | GAZETTEER_WHOLE_WORDS, keys);
	gazetteer_scratch sc = {0};
	const char *text = "Bộ Tư lệnh Quân khu 5 và quân khu 7.";

	ck_assert_str_eq(render(g, &sc, text, GAZETTEER_LONGEST), "Quân khu 5@16:1|quân khu@32:0");
	ck_assert_str_eq(render(g, &sc, text, GAZETTEER_ALL),
			 "Quân khu 5@16:1|Quân khu@16:0|khu 5@22:2|quân khu@32:0");
	/* "Quân khu 50": not a whole word, so the shorter one. */
	ck_assert_str_eq(render(g, &sc, "Quân khu 50", GAZETTEER_LONGEST), "Quân khu@0:0");
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);
}
END_TEST

START_TEST(whole_words)
{
	const char *keys[] = {"Nam", "Hà", NULL};
	const char *text = "Namibia, Hà Nam, Hàn Quốc, Việt Nam.";
	gazetteer *g = make(GAZETTEER_WHOLE_WORDS, keys);
	gazetteer *loose = make(0, keys);
	gazetteer_scratch sc = {0};

	/* Not "Nam" in "Namibia" nor "Hà" in "Hàn". */
	ck_assert_str_eq(render(g, &sc, text, GAZETTEER_LONGEST), "Hà@9:1|Nam@13:0|Nam@38:0");
	ck_assert_str_eq(render(loose, &sc, text, GAZETTEER_LONGEST), "Nam@0:0|Hà@9:1|Nam@13:0|Hà@18:1|Nam@38:0");
	/* Decomposed text: "Hà" followed by a combining mark is inside a word. */
	ck_assert_str_eq(render(g, &sc, "Ha\xCC\x80\xCC\x83 Ha\xCC\x80", GAZETTEER_LONGEST), "Ha\xCC\x80@7:1");
	gazetteer_free(g);
	gazetteer_free(loose);

	/* ASCII on either side: capitals and small letters are word
	 * characters, the bytes just beside them in ASCII (@ [ ` {) are not. */
	{
		const char *k3[] = {"An", NULL};
		g = make(GAZETTEER_WHOLE_WORDS, k3);
		ck_assert_str_eq(render(g, &sc, "XAn An Anz AnZ @An An@ [An] `An{ 9An An0", GAZETTEER_LONGEST),
				 "An@4:0|An@16:0|An@19:0|An@24:0|An@29:0");
		gazetteer_free(g);
	}

	/* Keys that start or end with punctuation: a match may start or end
	 * next to a word there, since it is not inside a word. */
	{
		const char *k2[] = {".NET", "C++", NULL};
		g = make(GAZETTEER_WHOLE_WORDS, k2);
		ck_assert_str_eq(render(g, &sc, "ASP.NET, C++ và C++11, ASPNET", GAZETTEER_LONGEST),
				 ".NET@3:0|C++@9:1|C++@17:1");
		gazetteer_free(g);
	}
	gazetteer_scratch_free(&sc);
}
END_TEST

START_TEST(case_and_diacritics)
{
	const char *keys[] = {"bo quoc phong", NULL};
	const char *text = "Theo BỘ QUỐC PHÒNG, Bộ Quốc phòng đã ...";
	gazetteer *both = make(GAZETTEER_CASE_INSENSITIVE | GAZETTEER_DIACRITICS_INSENSITIVE | GAZETTEER_WHOLE_WORDS,
			       keys);
	gazetteer *case_only = make(GAZETTEER_CASE_INSENSITIVE | GAZETTEER_WHOLE_WORDS, keys);
	gazetteer *marks_only = make(GAZETTEER_DIACRITICS_INSENSITIVE | GAZETTEER_WHOLE_WORDS, keys);
	gazetteer_scratch sc = {0};

	ck_assert_str_eq(render(both, &sc, text, GAZETTEER_LONGEST), "BỘ QUỐC PHÒNG@5:0|Bộ Quốc phòng@25:0");
	ck_assert_str_eq(render(case_only, &sc, text, GAZETTEER_LONGEST), "");
	ck_assert_str_eq(render(marks_only, &sc, text, GAZETTEER_LONGEST), "");
	ck_assert_str_eq(render(marks_only, &sc, "bộ quốc phòng", GAZETTEER_LONGEST), "bộ quốc phòng@0:0");
	gazetteer_free(both);
	gazetteer_free(case_only);
	gazetteer_free(marks_only);

	/* Case-insensitive but diacritic-sensitive (the binding's default). */
	{
		const char *k2[] = {"Bộ Quốc phòng", NULL};
		gazetteer *g = make(GAZETTEER_CASE_INSENSITIVE | GAZETTEER_WHOLE_WORDS, k2);
		ck_assert_str_eq(render(g, &sc, "BỘ QUỐC PHÒNG, Bo Quoc phong", GAZETTEER_LONGEST),
				 "BỘ QUỐC PHÒNG@0:0");
		gazetteer_free(g);
	}
	gazetteer_scratch_free(&sc);
}
END_TEST

/* Tone placement: either style of oa, oe, uy finds the other, keys and
 * text alike, and the spans are those of the original text (a new-style
 * ỳ takes a byte more than the old style's ù). */
START_TEST(tone_placement)
{
	const char *keys[] = {"Thùy", "Thúy", "Hòa Bình", "Nguyễn Thị Thuỷ", NULL};
	const char *text = "Thuỳ gặp bà Thuý ở Hoà Bình và Nguyễn Thị Thủy.";
	const char *found[] = {"Thuỳ", "Thuý", "Hoà Bình", "Nguyễn Thị Thủy"};
	char want[512];
	size_t o = 0;
	for (int i = 0; i < 4; i++)
		o += (size_t)snprintf(want + o, sizeof want - o, "%s%s@%zu:%d", i ? "|" : "", found[i],
				      (size_t)(strstr(text, found[i]) - text), i);
	gazetteer *g = make(GAZETTEER_CASE_INSENSITIVE | GAZETTEER_WHOLE_WORDS, keys);
	gazetteer_scratch sc = {0};
	ck_assert_str_eq(render(g, &sc, text, GAZETTEER_LONGEST), want);
	/* the same syllable with a final consonant is another word */
	ck_assert_str_eq(render(g, &sc, "Hoàng Bình, Thuýt", GAZETTEER_LONGEST), "");
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);
}
END_TEST

/* Spans in the original text, after folding multi-byte letters, in NFC
 * and in NFD text. */
START_TEST(original_offsets)
{
	const char *keys[] = {"nguyen van duc", "da nang", "Hà Nội", NULL};
	const char *text = "Ông NGUYỄN VĂN ĐỨC đến Đà Nẵng rồi ra Hà Nội.";
	gazetteer *g = make(GAZETTEER_CASE_INSENSITIVE | GAZETTEER_DIACRITICS_INSENSITIVE | GAZETTEER_WHOLE_WORDS,
			    keys);
	gazetteer_scratch sc = {0};
	const char *want[] = {"NGUYỄN VĂN ĐỨC", "Đà Nẵng", "Hà Nội"};
	char *d;
	size_t dn;

	ck_assert_int_eq(gazetteer_search(g, text, strlen(text), 0, GAZETTEER_LONGEST, &sc, NULL), 0);
	ck_assert_uint_eq(sc.n, 3);
	for (int i = 0; i < 3; i++) {
		const char *at = strstr(text, want[i]);
		ck_assert_ptr_nonnull(at);
		ck_assert_uint_eq(sc.m[i].start, (size_t)(at - text));
		ck_assert_uint_eq(sc.m[i].end, (size_t)(at - text) + strlen(want[i]));
		ck_assert_uint_eq(sc.m[i].entry, (uint32_t)i);
	}

	/* The same text decomposed: each span covers the marks. */
	ck_assert_int_eq(textops_normalize(text, strlen(text), TEXTOPS_NFD, &d, &dn, NULL), 0);
	ck_assert_int_eq(gazetteer_search(g, d, dn, 0, GAZETTEER_LONGEST, &sc, NULL), 0);
	ck_assert_uint_eq(sc.n, 3);
	for (int i = 0; i < 3; i++) {
		char *span_nfc;
		ck_assert_int_eq(textops_normalize(d + sc.m[i].start, sc.m[i].end - sc.m[i].start, TEXTOPS_NFC,
						   &span_nfc, NULL, NULL),
				 0);
		ck_assert_str_eq(span_nfc, want[i]);
		free(span_nfc);
	}
	free(d);

	/* From the middle: only what starts there or later. */
	{
		size_t from = (size_t)(strstr(text, "đến") - text);
		ck_assert_int_eq(gazetteer_search(g, text, strlen(text), from, GAZETTEER_LONGEST, &sc, NULL), 0);
		ck_assert_uint_eq(sc.n, 2);
		ck_assert_uint_eq(sc.m[0].entry, 1);
	}
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);
}
END_TEST

/* Text that folds byte for byte is searched without offsets; text where
 * a letter changes length, a mark is decomposed or a tone is respelt
 * anywhere takes them. Spans are in the original either way. */
START_TEST(fold_paths)
{
	const char *keys[] = {"Hà Nội", "Thủy", "Straße", NULL};
	gazetteer *g = make(GAZETTEER_CASE_INSENSITIVE | GAZETTEER_WHOLE_WORDS, keys);
	gazetteer_scratch sc = {0};
	ck_assert_str_eq(render(g, &sc, "Ở HÀ NỘI, bà Thủy", GAZETTEER_LONGEST), "HÀ NỘI@4:0|Thủy@19:1");
	ck_assert_str_eq(render(g, &sc, "Ở HÀ NỘI, bà Thuỷ", GAZETTEER_LONGEST), "HÀ NỘI@4:0|Thuỷ@19:1");
	ck_assert_str_eq(render(g, &sc, "Ở HÀ NỘI, STRASSE, bà Thủy", GAZETTEER_LONGEST),
			 "HÀ NỘI@4:0|STRASSE@15:2|Thủy@28:1");
	ck_assert_str_eq(render(g, &sc, "Ở HÀ NỘI, Straße, bà Thủy", GAZETTEER_LONGEST),
			 "HÀ NỘI@4:0|Straße@15:2|Thủy@28:1");
	ck_assert_str_eq(render(g, &sc, "Ở Ha\xCC\x80 Nội, bà Thủy", GAZETTEER_LONGEST),
			 "Ha\xCC\x80 Nội@4:0|Thủy@20:1");
	/* a match may not start inside a character of the text */
	ck_assert_str_eq(render(g, &sc, "xHà Nội", GAZETTEER_LONGEST), "");
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);
}
END_TEST

/* A match must cover whole characters: ß folds to "ss". */
START_TEST(whole_characters)
{
	const char *keys[] = {"s", "ss", "strasse", NULL};
	gazetteer *g = make(GAZETTEER_CASE_INSENSITIVE, keys);
	gazetteer_scratch sc = {0};
	ck_assert_str_eq(render(g, &sc, "Straße", GAZETTEER_ALL), "Straße@0:2|S@0:0|ß@4:1");
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);
}
END_TEST

START_TEST(same_key_entries)
{
	const char *keys[] = {"Ha Noi", "Hà Nội", "HÀ NỘI", NULL};
	gazetteer *g = make(GAZETTEER_CASE_INSENSITIVE | GAZETTEER_DIACRITICS_INSENSITIVE | GAZETTEER_WHOLE_WORDS,
			    keys);
	gazetteer_scratch sc = {0};
	/* The entry written as in the text, else the first. */
	ck_assert_str_eq(render(g, &sc, "ở Hà Nội", GAZETTEER_LONGEST), "Hà Nội@4:1");
	ck_assert_str_eq(render(g, &sc, "HÀ NỘI", GAZETTEER_LONGEST), "HÀ NỘI@0:2");
	ck_assert_str_eq(render(g, &sc, "ha noi", GAZETTEER_LONGEST), "ha noi@0:0");
	ck_assert_str_eq(render(g, &sc, "ha noi", GAZETTEER_ALL), "ha noi@0:0|ha noi@0:1|ha noi@0:2");
	ck_assert_uint_eq(gazetteer_size(g), 3);
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);
}
END_TEST

/* Two gazetteers built the same way have one fingerprint; a key, a name
 * as given, a payload, the order of two entries or an option changes it. */
START_TEST(fingerprint)
{
	const char *keys[] = {"Hà Nội", "Đà Nẵng", "Bộ Quốc phòng", NULL};
	const char *other_name[] = {"Hà Nội", "Đà nẵng", "Bộ Quốc phòng", NULL};
	const char *other_order[] = {"Đà Nẵng", "Hà Nội", "Bộ Quốc phòng", NULL};
	const char *fewer[] = {"Hà Nội", "Đà Nẵng", NULL};
	unsigned flags = GAZETTEER_CASE_INSENSITIVE | GAZETTEER_WHOLE_WORDS;
	gazetteer *a = make(flags, keys), *b = make(flags, keys);
	uint64_t print = gazetteer_fingerprint(a);
	ck_assert_uint_ne(print, 0);
	ck_assert_uint_eq(gazetteer_fingerprint(b), print);
	gazetteer *differ[] = {make(flags, other_name), make(flags, other_order), make(flags, fewer),
			       make(flags | GAZETTEER_DIACRITICS_INSENSITIVE, keys), gazetteer_new(flags)};
	ck_assert_int_eq(gazetteer_add(differ[4], "Hà Nội", strlen("Hà Nội"), 100, NULL), TEXTOPS_OK);
	ck_assert_int_eq(gazetteer_add(differ[4], "Đà Nẵng", strlen("Đà Nẵng"), 101, NULL), TEXTOPS_OK);
	ck_assert_int_eq(gazetteer_add(differ[4], "Bộ Quốc phòng", strlen("Bộ Quốc phòng"), 7, NULL), TEXTOPS_OK);
	ck_assert_uint_eq(gazetteer_fingerprint(differ[4]), 0); /* not built */
	ck_assert_int_eq(gazetteer_build(differ[4]), TEXTOPS_OK);
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_ne(gazetteer_fingerprint(differ[i]), print);
		gazetteer_free(differ[i]);
	}
	gazetteer_free(a);
	gazetteer_free(b);
}
END_TEST

START_TEST(errors)
{
	gazetteer *g = gazetteer_new(GAZETTEER_DIACRITICS_INSENSITIVE);
	gazetteer_scratch sc = {0};
	size_t off = 0;

	ck_assert_int_eq(gazetteer_add(g, "Hà\xFF", 4, 1, &off), TEXTOPS_EUTF8);
	ck_assert_uint_eq(off, 3);
	ck_assert_int_eq(gazetteer_add(g, "", 0, 1, NULL), GAZETTEER_EEMPTY);
	ck_assert_int_eq(gazetteer_add(g, "\xCC\x81", 2, 1, NULL), GAZETTEER_EEMPTY); /* a lone mark */
	ck_assert_int_eq(gazetteer_search(g, "x", 1, 0, 0, &sc, NULL), GAZETTEER_ESTATE);
	ck_assert_int_eq(gazetteer_add(g, "Huế", strlen("Huế"), 1, NULL), TEXTOPS_OK);
	ck_assert_int_eq(gazetteer_build(g), TEXTOPS_OK);
	ck_assert_int_eq(gazetteer_build(g), GAZETTEER_ESTATE);
	ck_assert_int_eq(gazetteer_add(g, "Vinh", 4, 2, NULL), GAZETTEER_ESTATE);
	ck_assert_int_eq(gazetteer_search(g, "Huế \xC3", strlen("Huế \xC3"), 0, 0, &sc, &off), TEXTOPS_EUTF8);
	ck_assert_uint_eq(off, 6);
	ck_assert_int_eq(gazetteer_search(g, "ab Huế \xC3", strlen("ab Huế \xC3"), 3, 0, &sc, &off), TEXTOPS_EUTF8);
	ck_assert_uint_eq(off, 9);
	ck_assert_int_eq(gazetteer_search(g, "Hue", 3, 0, 0, &sc, NULL), TEXTOPS_OK);
	ck_assert_uint_eq(sc.n, 1);
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);

	/* An empty gazetteer finds nothing. */
	g = gazetteer_new(0);
	ck_assert_int_eq(gazetteer_build(g), TEXTOPS_OK);
	ck_assert_int_eq(gazetteer_search(g, "abc", 3, 0, 0, &sc, NULL), TEXTOPS_OK);
	ck_assert_uint_eq(sc.n, 0);
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);
}
END_TEST

/* Synthetic Vietnamese-looking names: family + middle + given + a number. */
static const char *const FAMILY[] = {"Nguyễn", "Trần", "Lê",  "Phạm", "Hoàng", "Huỳnh", "Phan",  "Vũ",
				     "Võ",     "Đặng", "Bùi", "Đỗ",   "Hồ",    "Ngô",   "Dương", "Lý"};
static const char *const MIDDLE[] = {"Văn",  "Thị",  "Hữu",  "Đức", "Minh", "Quang", "Thanh", "Ngọc",
				     "Xuân", "Công", "Đình", "Bảo", "Gia",  "Kim",   "Thu",   "Hải"};
static const char *const GIVEN[] = {"An",    "Bình", "Cường", "Dũng", "Giang", "Hà",   "Hiếu", "Hùng",
				    "Khánh", "Lan",  "Linh",  "Long", "Mai",   "Nam",  "Nga",  "Phúc",
				    "Quân",  "Sơn",  "Tâm",   "Thảo", "Trung", "Tuấn", "Việt", "Yến"};

static void synth_name(unsigned i, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s %s %u", FAMILY[i % 16], MIDDLE[(i / 16) % 16], GIVEN[(i / 256) % 24], i / 16);
}

START_TEST(hundred_thousand)
{
	enum { N = 100000 };
	gazetteer *g = gazetteer_new(GAZETTEER_CASE_INSENSITIVE | GAZETTEER_DIACRITICS_INSENSITIVE |
				     GAZETTEER_WHOLE_WORDS);
	gazetteer_scratch sc = {0};
	char name[128], *text;
	size_t cap = 1 << 20, len = 0, found = 0;

	for (unsigned i = 0; i < N; i++) {
		synth_name(i, name, sizeof name);
		ck_assert_int_eq(gazetteer_add(g, name, strlen(name), i, NULL), TEXTOPS_OK);
	}
	ck_assert_int_eq(gazetteer_build(g), TEXTOPS_OK);
	ck_assert_uint_eq(gazetteer_size(g), N);
	/* Well below a 256-wide table per state (that would be gigabytes). */
	ck_assert_uint_lt(gazetteer_memory(g), 64u << 20);

	/* A text naming every 97th person, in upper case without diacritics
	 * for every other one. */
	text = malloc(cap);
	for (unsigned i = 0; i < N; i += 97) {
		char *folded;
		synth_name(i, name, sizeof name);
		if ((i / 97) % 2) {
			ck_assert_int_eq(textops_fold(name, strlen(name), &folded, NULL, NULL, NULL), 0);
			for (char *p = folded; *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 'a' + 'A');
			len += (size_t)snprintf(text + len, cap - len, "Ông %s phát biểu. ", folded);
			free(folded);
		} else {
			len += (size_t)snprintf(text + len, cap - len, "Bà %s phát biểu. ", name);
		}
		ck_assert_uint_lt(len, cap - 256);
	}
	ck_assert_int_eq(gazetteer_search(g, text, len, 0, GAZETTEER_LONGEST, &sc, NULL), TEXTOPS_OK);
	for (size_t k = 0; k < sc.n; k++) {
		ck_assert_int_eq(sc.m[k].payload, (int64_t)(k * 97));
		found++;
	}
	ck_assert_uint_eq(found, (N + 96) / 97);
	free(text);
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);
}
END_TEST

/* Many keys over a small alphabet make an automaton far deeper than its
 * dense rows: every match (GAZETTEER_ALL) is the one a brute force finds,
 * trying each key length at each character of the text. The text also
 * has a byte that is in no key. */
typedef struct {
	const char *key;
	size_t len;
	uint32_t entry;
} brute_key;

static int cmp_brute(const void *a, const void *b)
{
	const brute_key *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);
	if (c || x->len != y->len)
		return c ? c : x->len < y->len ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

START_TEST(deep_automaton_against_brute_force)
{
	static const char *const sym[] = {"a", "b", "c", "\xC4\x83", "\xC3\xA2", " "}; /* ă â */
	enum { NKEYS = 30000, TEXT = 60000 };
	unsigned seed = 7;
	gazetteer *g = gazetteer_new(0);
	gazetteer_scratch sc = {0};
	brute_key *keys = calloc(NKEYS, sizeof *keys);
	char *arena = malloc(NKEYS * 24), *text = malloc(TEXT + 8);
	size_t at = 0, len = 0, maxlen = 0;
	ck_assert(g && keys && arena && text);
	for (uint32_t i = 0; i < NKEYS; i++) {
		seed = seed * 1103515245u + 12345u;
		size_t n = 4 + (seed >> 16) % 7, k0 = at;
		for (size_t j = 0; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			const char *y = sym[(seed >> 16) % (i % 2 ? 6 : 3)]; /* half plain ASCII */
			memcpy(arena + at, y, strlen(y));
			at += strlen(y);
		}
		keys[i] = (brute_key){arena + k0, at - k0, i};
		maxlen = at - k0 > maxlen ? at - k0 : maxlen;
		ck_assert_int_eq(gazetteer_add(g, arena + k0, at - k0, i, NULL), TEXTOPS_OK);
	}
	ck_assert_int_eq(gazetteer_build(g), TEXTOPS_OK);
	while (len < TEXT) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = (seed >> 16) % 40;
		const char *y = r < 36 ? sym[r % 6] : "z";
		memcpy(text + len, y, strlen(y));
		len += strlen(y);
	}
	ck_assert_int_eq(gazetteer_search(g, text, len, 0, GAZETTEER_ALL, &sc, NULL), TEXTOPS_OK);
	qsort(keys, NKEYS, sizeof *keys, cmp_brute);
	size_t k = 0;
	for (size_t s = 0; s < len; s++) {
		if (((unsigned char)text[s] & 0xC0) == 0x80)
			continue;
		for (size_t n = maxlen; n > 0; n--) {
			if (s + n > len)
				continue;
			brute_key probe = {text + s, n, 0};
			size_t lo = 0, hi = NKEYS; /* the first key >= (text, entry 0) */
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (cmp_brute(&keys[mid], &probe) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < NKEYS && keys[lo].len == n && !memcmp(keys[lo].key, text + s, n); lo++, k++) {
				ck_assert_uint_lt(k, sc.n);
				ck_assert_uint_eq(sc.m[k].start, s);
				ck_assert_uint_eq(sc.m[k].end, s + n);
				ck_assert_uint_eq(sc.m[k].entry, keys[lo].entry);
			}
		}
	}
	ck_assert_uint_eq(k, sc.n);
	ck_assert_uint_gt(k, 1000);
	free(keys);
	free(arena);
	free(text);
	gazetteer_scratch_free(&sc);
	gazetteer_free(g);
}
END_TEST

/* ---- the walk as the text is folded, against a reference ---- */

/* The reference: the text folded whole, with where each byte came from
 * (textops_fold_into, then the old tone spelling), every key folded the
 * same way tried at every byte of the fold; kept when both ends fall on
 * whole characters of the text and, for whole words, no word character
 * lies on both sides of either end. */
typedef struct {
	size_t start, end;
	uint32_t entry;
} ref_match;

static void fold_ref(textops_buf *b, const char *s, size_t len, unsigned flags)
{
	unsigned f = (flags & GAZETTEER_CASE_INSENSITIVE ? TEXTOPS_FOLD_CASE : 0) |
		     (flags & GAZETTEER_DIACRITICS_INSENSITIVE ? TEXTOPS_FOLD_MARKS : 0);
	ck_assert_int_eq(textops_fold_into(b, s, len, f, true, NULL), TEXTOPS_OK);
	if (!(flags & GAZETTEER_DIACRITICS_INSENSITIVE))
		b->out.len = kit_vn_tone_old(b->out.p, b->out.len, b->offsets);
}

static bool ref_word_at(const char *s, size_t len, size_t i)
{
	int32_t cp;
	return i < len && textops_utf8_decode(s, len, i, &cp) && textops_is_word_char(cp);
}

static bool ref_word_before(const char *s, size_t i)
{
	int32_t cp = textops_utf8_prev(s, i);
	return cp >= 0 && textops_is_word_char(cp);
}

static int cmp_ref(const void *a, const void *b)
{
	const ref_match *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static size_t ref_search(const char *const *keys, size_t nkeys, unsigned flags, const char *text, size_t len,
			 size_t from, ref_match *out, size_t cap)
{
	textops_buf t = {0}, k = {0};
	size_t n = 0;
	fold_ref(&t, text + from, len - from, flags);
	for (size_t e = 0; e < nkeys; e++) {
		fold_ref(&k, keys[e], strlen(keys[e]), flags);
		for (size_t fs = 0; fs + k.out.len <= t.out.len; fs++) {
			size_t fe = fs + k.out.len, os = from + t.offsets[fs], oe = from + t.offsets[fe];
			if (memcmp(t.out.p + fs, k.out.p, k.out.len))
				continue;
			if ((fs > 0 && t.offsets[fs] == t.offsets[fs - 1]) ||
			    (fe < t.out.len && t.offsets[fe] == t.offsets[fe - 1]))
				continue;
			if ((flags & GAZETTEER_WHOLE_WORDS) &&
			    ((ref_word_before(text, os) && ref_word_at(text, len, os)) ||
			     (ref_word_before(text, oe) && ref_word_at(text, len, oe))))
				continue;
			ck_assert_uint_lt(n, cap);
			out[n++] = (ref_match){os, oe, (uint32_t)e};
		}
	}
	textops_buf_free(&t);
	textops_buf_free(&k);
	qsort(out, n, sizeof *out, cmp_ref);
	return n;
}

/* Words in several cases, with letters from each table of the walk
 * (ASCII, two and three bytes, beyond the tables: Ⅱ, 中国, four bytes),
 * a Cyrillic capital whose fold changes its first byte (Р -> р), and the
 * characters that send a text to the general fold. */
static const char *const WALK_KEYS[] = {"Hà Nội",
					"Quân khu 5",
					"khu 5",
					"Nguyễn Văn An",
					"Bộ Quốc phòng",
					"UBND",
					"Đà Nẵng",
					"Thừa Thiên Huế",
					"Hòa Bình",
					"Thúy",
					"Lê",
					"Việt Nam",
					"Ⅱ",
					"中国",
					"Ωmega",
					"Москва",
					"Рим",
					"café",
					"A.B",
					"(VN)",
					"x-y",
					"An",
					"Nam",
					"hà",
					"ǅ",
					"Straße",
					"Khoẻ",
					"😀 vui",
					"quân khu",
					"Hòa"};
static const char *const WALK_WORDS[] = {"Hà",    "HÀ",    "hà",    "Nội",    "NỘI",    "nội",    "Quân",   "QUÂN",
					 "quân",  "khu",   "KHU",   "5",      "50",     "Nguyễn", "NGUYỄN", "Văn",
					 "VĂN",   "An",    "AN",    "Bộ",     "BỘ",     "Quốc",   "phòng",  "PHÒNG",
					 "UBND",  "ubnd",  "Đà",    "ĐÀ",     "đà",     "Nẵng",   "NẴNG",   "Thừa",
					 "Thiên", "Huế",   "HUẾ",   "Hòa",    "HÒA",    "hòa",    "Bình",   "Thúy",
					 "THÚY",  "Lê",    "LÊ",    "Việt",   "VIỆT",   "Nam",    "Ⅱ",      "ⅱ",
					 "中国",  "Ωmega", "ωMEGA", "Москва", "МОСКВА", "РИМ",    "рим",    "café",
					 "CAFÉ",  "A.B",   "a.b",   "(VN)",   "x-y",    "😀",      "vui",    "™",
					 "€",     "Ø",     "ǆ",     "Ǆ",      "ǅ",      "khỏe",   "KHỎE",   "quý",
					 "hoàng"};
static const char *const WALK_SEPS[] = {" ", " ", " ", ", ", ". ", "\n", " – ", "", "-"};
/* each sends a text to the general fold: combining marks, new-style
 * tones to respell, and when case is folded, letters that fold longer */
static const char *const WALK_RARE[] = {"e\xCC\x81", "\xCC\x81", "hoà", "Thuý", "HOÀ", "Khoẻ", "Straße", "İ"};
enum { RARE_CASE_FROM = 6 };

/* A text of words and separators; *mid is where its middle word starts;
 * which rare words are in it (1: a rare one always, 2: when case is
 * folded), and from the middle one on. */
static size_t walk_text(unsigned *seed, char *text, size_t cap, bool rare, size_t *mid, unsigned *rare_any,
			unsigned *rare_after)
{
	size_t len = 0, words = 5 + *seed % 60;
	*rare_any = *rare_after = 0;
	*mid = 0;
	for (size_t w = 0; w < words; w++) {
		*seed = *seed * 1103515245u + 12345u;
		unsigned r = *seed >> 16;
		bool is_rare = rare && r % 23 == 0;
		unsigned which = r / 23 % (sizeof WALK_RARE / sizeof *WALK_RARE),
			 kind = which < RARE_CASE_FROM ? 1 : 2;
		const char *word = is_rare ? WALK_RARE[which]
					   : WALK_WORDS[r % (sizeof WALK_WORDS / sizeof *WALK_WORDS)];
		/* (a new-style tone is respelled only at a syllable's end) */
		const char *sep = is_rare ? " " : WALK_SEPS[r / 7 % (sizeof WALK_SEPS / sizeof *WALK_SEPS)];
		ck_assert_uint_lt(len + strlen(word) + strlen(sep), cap);
		if (w == words / 2)
			*mid = len;
		*rare_any |= is_rare ? kind : 0;
		*rare_after |= is_rare && w >= words / 2 ? kind : 0;
		memcpy(text + len, word, strlen(word));
		len += strlen(word);
		memcpy(text + len, sep, strlen(sep));
		len += strlen(sep);
	}
	return len;
}

START_TEST(walk_against_reference)
{
	static const unsigned FLAGS[] = {GAZETTEER_CASE_INSENSITIVE | GAZETTEER_WHOLE_WORDS,
					 GAZETTEER_CASE_INSENSITIVE, GAZETTEER_WHOLE_WORDS, 0};
	enum { NK = sizeof WALK_KEYS / sizeof *WALK_KEYS, CAP = 4096 };
	static char text[CAP];
	static ref_match ref[CAP];
	gazetteer_scratch sc = {0};
	unsigned seed = 11;
	size_t plain = 0, general = 0, compared = 0;
	for (size_t f = 0; f < sizeof FLAGS / sizeof *FLAGS; f++) {
		gazetteer *g = gazetteer_new(FLAGS[f]);
		for (size_t i = 0; i < NK; i++)
			ck_assert_int_eq(gazetteer_add(g, WALK_KEYS[i], strlen(WALK_KEYS[i]), (int64_t)i, NULL),
					 TEXTOPS_OK);
		ck_assert_int_eq(gazetteer_build(g), TEXTOPS_OK);
		for (int t = 0; t < 400; t++) {
			seed = seed * 1103515245u + 12345u;
			bool rare = t % 3 == 0;
			unsigned rare_any, rare_after;
			size_t mid, len = walk_text(&seed, text, CAP, rare, &mid, &rare_any, &rare_after);
			size_t from = t % 5 == 1 ? mid : 0; /* from a word inside the text */
			size_t n = ref_search(WALK_KEYS, NK, FLAGS[f], text, len, from, ref, CAP);
			ck_assert_int_eq(gazetteer_search(g, text, len, from, GAZETTEER_ALL, &sc, NULL), TEXTOPS_OK);
			/* a rare word after from takes the general fold; none, never */
			unsigned kinds = 1 | (FLAGS[f] & GAZETTEER_CASE_INSENSITIVE ? 2 : 0);
			bool has_rare = ((from ? rare_after : rare_any) & kinds) != 0;
			ck_assert_msg(sc.general == has_rare, "text %d of flags %u: general %d, rare %d: %.*s", t,
				      FLAGS[f], sc.general, has_rare, (int)(len - from), text + from);
			plain += !sc.general;
			general += sc.general;
			ck_assert_uint_eq(sc.n, n);
			for (size_t i = 0; i < n; i++) {
				ck_assert_msg(
					sc.m[i].start == ref[i].start && sc.m[i].end == ref[i].end &&
						sc.m[i].entry == ref[i].entry,
					"flags %u, text %d, match %zu: %zu-%zu #%u, reference %zu-%zu #%u (%.*s)",
					FLAGS[f], t, i, sc.m[i].start, sc.m[i].end, sc.m[i].entry, ref[i].start,
					ref[i].end, ref[i].entry, (int)len, text);
				ck_assert_int_eq(sc.m[i].payload, (int64_t)sc.m[i].entry);
			}
			compared += n;
		}
		gazetteer_free(g);
	}
	ck_assert_uint_gt(plain, 800);
	ck_assert_uint_gt(general, 150);
	ck_assert_uint_gt(compared, 5000);
	gazetteer_scratch_free(&sc);
}
END_TEST

/* ---- deep states: lists of characters, against the reference ---- */

/* Letters of one to four bytes in two cases (the same where there is no
 * case): ASCII, two bytes (ă, â, ω), three below the tables (ế, ố), three
 * and four beyond them (中, 😀), and a space. */
static const char *const DEEP_LOWER[] = {"a", "b", "o", "ă", "â", "ω", "ế", "ố", "中", "😀", " "};
static const char *const DEEP_UPPER[] = {"A", "B", "O", "Ă", "Â", "Ω", "Ế", "Ố", "中", "😀", " "};
/* In no key: a letter of each length, and what sends a text to the
 * general fold (a combining mark, a new-style tone, ß) */
static const char *const DEEP_OTHER[] = {"z", "é", "ễ", "★", "😁", "o\xCC\x81", "hoà ", "ß"};
enum { DEEP_NL = sizeof DEEP_LOWER / sizeof *DEEP_LOWER, DEEP_KEYS = 4000 };

static unsigned deep_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

/* Appends letter l in a random case. */
static size_t deep_letter(unsigned *seed, char *out, size_t at, unsigned l)
{
	const char *y = deep_rand(seed) % 2 ? DEEP_UPPER[l] : DEEP_LOWER[l];
	memcpy(out + at, y, strlen(y));
	return at + strlen(y);
}

START_TEST(deep_lists_against_reference)
{
	static const unsigned FLAGS[] = {GAZETTEER_CASE_INSENSITIVE | GAZETTEER_WHOLE_WORDS,
					 GAZETTEER_CASE_INSENSITIVE, GAZETTEER_WHOLE_WORDS, 0,
					 GAZETTEER_DIACRITICS_INSENSITIVE | GAZETTEER_CASE_INSENSITIVE};
	enum { CAP = 4096, MATCHES = 1 << 16 };
	static char text[CAP];
	static ref_match ref[MATCHES];
	char **keys = calloc(DEEP_KEYS, sizeof *keys);
	gazetteer_scratch sc = {0};
	unsigned seed = 5;
	size_t compared = 0, general = 0, longest = 0;
	ck_assert_ptr_nonnull(keys);
	/* Long keys, so that most of their nodes are beyond the rows; a third
	 * of them a longer or shorter copy of an earlier one: keys inside
	 * keys, and failure links deep in the tree. */
	for (size_t i = 0; i < DEEP_KEYS; i++) {
		char buf[256];
		size_t at = 0;
		if (i > 0 && i % 3 == 0) {
			const char *k = keys[deep_rand(&seed) % i];
			size_t cut = strlen(k) * (1 + deep_rand(&seed) % 3) / 4;
			while (cut > 0 && ((unsigned char)k[cut] & 0xC0) == 0x80)
				cut--;
			at = i % 2 ? cut : strlen(k);
			memcpy(buf, k, at);
			if (i % 2 == 0)
				for (unsigned j = 1 + deep_rand(&seed) % 5; j > 0; j--)
					at = deep_letter(&seed, buf, at, deep_rand(&seed) % DEEP_NL);
		} else {
			for (unsigned j = 12 + deep_rand(&seed) % 20; j > 0; j--)
				at = deep_letter(&seed, buf, at, deep_rand(&seed) % DEEP_NL);
		}
		while (at < 6)
			at = deep_letter(&seed, buf, at, deep_rand(&seed) % DEEP_NL);
		if (buf[0] == ' ') /* no space at either end */
			buf[0] = 'b';
		if (buf[at - 1] == ' ')
			buf[at - 1] = 'b';
		keys[i] = strndup(buf, at);
		ck_assert_ptr_nonnull(keys[i]);
	}
	for (size_t f = 0; f < sizeof FLAGS / sizeof *FLAGS; f++) {
		gazetteer *g = gazetteer_new(FLAGS[f]);
		for (size_t i = 0; i < DEEP_KEYS; i++)
			ck_assert_int_eq(gazetteer_add(g, keys[i], strlen(keys[i]), (int64_t)i, NULL), TEXTOPS_OK);
		ck_assert_int_eq(gazetteer_build(g), TEXTOPS_OK);
		for (int t = 0; t < 24; t++) {
			/* Pieces of keys in any case (whole, a head, a tail) between
			 * letters in keys and others, from the text's first byte to
			 * its last; a few texts take the general fold. */
			size_t len = 0, from = t % 4 == 3 ? 7 : 0;
			while (len < CAP / 2) {
				unsigned r = deep_rand(&seed) % 16;
				if (r < 9) {
					const char *k = keys[deep_rand(&seed) % DEEP_KEYS];
					size_t n = strlen(k), s = r < 5 ? 0 : n / 2, e = r == 6 ? n / 2 : n;
					while (s > 0 && ((unsigned char)k[s] & 0xC0) == 0x80)
						s--;
					while (e < n && ((unsigned char)k[e] & 0xC0) == 0x80)
						e++;
					for (size_t c = s; c < e;) { /* each letter again, in a random case */
						unsigned l = 0;
						while (strncmp(k + c, DEEP_LOWER[l], strlen(DEEP_LOWER[l])) &&
						       strncmp(k + c, DEEP_UPPER[l], strlen(DEEP_UPPER[l])))
							l++;
						c += strlen(DEEP_LOWER[l]);
						len = deep_letter(&seed, text, len, l);
					}
				} else if (r < 14 || t % 6 != 5) {
					len = deep_letter(&seed, text, len, deep_rand(&seed) % DEEP_NL);
				} else {
					const char *o = DEEP_OTHER[deep_rand(&seed) %
								   (sizeof DEEP_OTHER / sizeof *DEEP_OTHER)];
					memcpy(text + len, o, strlen(o));
					len += strlen(o);
				}
				if (r == 15 && t % 6 != 5) { /* a letter in no key */
					const char *o = DEEP_OTHER[deep_rand(&seed) % 5];
					memcpy(text + len, o, strlen(o));
					len += strlen(o);
				}
			}
			while (from < len && ((unsigned char)text[from] & 0xC0) == 0x80)
				from++;
			size_t n = ref_search((const char *const *)keys, DEEP_KEYS, FLAGS[f], text, len, from, ref,
					      MATCHES);
			ck_assert_int_eq(gazetteer_search(g, text, len, from, GAZETTEER_ALL, &sc, NULL), TEXTOPS_OK);
			general += sc.general;
			ck_assert_uint_eq(sc.n, n);
			for (size_t i = 0; i < n; i++) {
				ck_assert_msg(sc.m[i].start == ref[i].start && sc.m[i].end == ref[i].end &&
						      sc.m[i].entry == ref[i].entry,
					      "flags %u, text %d, match %zu: %zu-%zu #%u, reference %zu-%zu #%u",
					      FLAGS[f], t, i, sc.m[i].start, sc.m[i].end, sc.m[i].entry, ref[i].start,
					      ref[i].end, ref[i].entry);
				if (sc.m[i].end - sc.m[i].start > longest)
					longest = sc.m[i].end - sc.m[i].start;
			}
			compared += n;
		}
		gazetteer_free(g);
	}
	ck_assert_uint_gt(compared, 3000);
	ck_assert_uint_gt(general, 20);
	ck_assert_uint_gt(longest, 60); /* matches that end deep in the tree */
	for (size_t i = 0; i < DEEP_KEYS; i++)
		free(keys[i]);
	free(keys);
	gazetteer_scratch_free(&sc);
}
END_TEST

/* ---- the Lua binding ---- */

START_TEST(lua_entries)
{
	lua_State *L = new_lua();
	run_lua(L, "local g = textmill.gazetteer({\n"
		   "  'Hà Nội',\n"
		   "  { 'Quân khu 5', type = 'ORG', value = 'QK5', code = 'MR5', rank = 2 },\n"
		   "  { name = 'Bộ Quốc phòng', type = 'ORG' },\n"
		   "  'Quân khu',\n"
		   "}, { type = 'LOC' })\n"
		   "assert(g:size() == 4 and #g == 4)\n"
		   "assert(tostring(g):find('4 entries'))\n"
		   "local s = 'Bộ Quốc phòng họp tại Hà Nội với Quân khu 5 và BỘ QUỐC PHÒNG.'\n"
		   "local ms = g:matches(s)\n"
		   "assert(#ms == 4, #ms)\n"
		   "for _, m in ipairs(ms) do assert(s:sub(m.start, m.stop) == m.name) end\n"
		   "local m = ms[1]\n"
		   "assert(m.start == 1 and m.name == 'Bộ Quốc phòng' and m.key == 'Bộ Quốc phòng')\n"
		   "assert(m.type == 'ORG' and m.value == 'Bộ Quốc phòng' and m.attrs == nil)\n"
		   "m = ms[2]\n"
		   "assert(m.name == 'Hà Nội' and m.type == 'LOC' and m.value == 'Hà Nội')\n"
		   "m = ms[3]\n"
		   "assert(m.name == 'Quân khu 5' and m.type == 'ORG' and m.value == 'QK5')\n"
		   "assert(m.attrs.code == 'MR5' and m.attrs.rank == 2)\n"
		   "m = ms[4]\n"
		   "assert(m.name == 'BỘ QUỐC PHÒNG' and m.key == 'Bộ Quốc phòng' and m.stop == #s - 1)\n"
		   /* init, like string.find */
		   "local ms2 = g:matches(s, ms[2].start)\n"
		   "assert(#ms2 == 3 and ms2[1].name == 'Hà Nội')\n"
		   "assert(#g:matches(s, -#'BỘ QUỐC PHÒNG.') == 1 and #g:matches(s, #s + 5) == 0)\n"
		   "assert(#g:matches('') == 0)\n"
		   /* overlaps */
		   "local go = textmill.gazetteer({ 'Quân khu', 'Quân khu 5' }, { overlaps = true })\n"
		   "local mo = go:matches('Quân khu 5')\n"
		   "assert(#mo == 2 and mo[1].name == 'Quân khu 5' and mo[2].name == 'Quân khu')\n"
		   "assert(mo[1].type == nil and mo[1].value == 'Quân khu 5')\n"
		   /* case sensitive, diacritics insensitive, whole_words off */
		   "local gc = textmill.gazetteer({ 'Nam' }, { case = 'sensitive', diacritics = 'insensitive',\n"
		   "  whole_words = false, value = 'south' })\n"
		   "local mc = gc:matches('nam Nam Năm Namibia')\n"
		   "assert(#mc == 3 and mc[1].start == 5 and mc[2].name == 'Năm' and mc[3].start == 14)\n"
		   "assert(mc[1].value == 'south')\n"
		   /* defaults: case-insensitive, diacritic-sensitive, whole words */
		   "local gd = textmill.gazetteer({ 'Nam' })\n"
		   "local md = gd:matches('nam NAM Năm Namibia')\n"
		   "assert(#md == 2 and md[2].name == 'NAM')\n"
		   "local gdi = textmill.gazetteer({ 'bo quoc phong' }, { diacritics = 'insensitive' })\n"
		   "assert(gdi:matches('Bộ Quốc phòng')[1].stop == #'Bộ Quốc phòng')\n");
	lua_close(L);
}
END_TEST

START_TEST(lua_errors)
{
	lua_State *L = new_lua();
	run_lua(L, "local function err(f, ...)\n"
		   "  local ok, e = pcall(f, ...)\n"
		   "  assert(not ok, 'no error')\n"
		   "  return e\n"
		   "end\n"
		   "local G = textmill.gazetteer\n"
		   "local e = err(G, { 'a', 42 })\n"
		   "assert(e:find('entry 2 is a number'), e)\n"
		   "e = err(G, { 'a', 'b\\xFFc' })\n"
		   "assert(e == 'textmill.gazetteer: entry 2: invalid UTF-8 at byte 2', e)\n"
		   "e = err(G, { '' })\n"
		   "assert(e == 'textmill.gazetteer: entry 1: empty name', e)\n"
		   "e = err(G, { { type = 'X' } })\n"
		   "assert(e:find('entry 1: the name must be a string'), e)\n"
		   "e = err(G, { { 'a', name = 'b' } })\n"
		   "assert(e:find('both'), e)\n"
		   "e = err(G, { { 'a', type = 3 } })\n"
		   "assert(e:find('type must be a string'), e)\n"
		   "e = err(G, { 'a' }, { cse = 'sensitive' })\n"
		   "assert(e:find('unknown option cse'), e)\n"
		   "e = err(G, { 'a' }, { case = 'upper' })\n"
		   "assert(e:find('option case must be'), e)\n"
		   "e = err(G, { 'a' }, { overlaps = 1 })\n"
		   "assert(e:find('option overlaps must be a boolean'), e)\n"
		   "e = err(G, 42)\n"
		   "assert(e:find('bad argument #1'), e)\n"
		   "local g = G({ 'Huế' })\n"
		   "e = err(g.matches, g, 'Huế \\xC3\\x28')\n"
		   "assert(e == 'textmill.gazetteer: matches: invalid UTF-8 at byte 7', e)\n"
		   "e = err(g.matches, g, 'Huế', 4)\n"
		   "assert(e:find('inside a UTF%-8 character'), e)\n"
		   "e = err(g.matches, {}, 'x')\n"
		   "assert(e:find('textmill.gazetteer expected'), e)\n");
	lua_close(L);
}
END_TEST

static void write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	fclose(f);
}

START_TEST(lua_tsv)
{
	const char *tmp = getenv("TMPDIR");
	char dir[200], path[256];
	lua_State *L = new_lua();

	snprintf(dir, sizeof dir, "%s/textmill-gaz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/orgs.tsv", dir);
	write_file(path, "\xEF\xBB\xBF# Vietnamese organizations\n"
			 "Bộ Quốc phòng\tORG\tMOD\tabbr=BQP\tlevel = ministry\n"
			 "\n"
			 "Quân khu 5\tORG\t\tregion=Trung Bộ\r\n"
			 "   \t  \n"
			 "Hà Nội\tLOC\n");
	snprintf(path, sizeof path, "%s/bad.tsv", dir);
	write_file(path, "Hà Nội\tLOC\n# comment\nĐà Nẵng\n");
	snprintf(path, sizeof path, "%s/bad2.tsv", dir);
	write_file(path, "Hà Nội\tLOC\tx\tnot-a-pair\n");
	snprintf(path, sizeof path, "%s/bad3.tsv", dir);
	write_file(path, "Hà Nội\tLOC\nHu\xE1\xBA\n");

	/* Relative paths resolve against textmill.script_dir. */
	lua_pushstring(L, dir);
	lua_setfield(L, LUA_REGISTRYINDEX, "textmill.script_dir");
	run_lua(L,
		"local g = textmill.gazetteer('orgs.tsv')\n"
		"assert(#g == 3)\n"
		"local s = 'Bộ Quốc phòng chỉ đạo Quân khu 5 tại Hà Nội'\n"
		"local ms = g:matches(s)\n"
		"assert(#ms == 3)\n"
		"assert(ms[1].type == 'ORG' and ms[1].value == 'MOD' and ms[1].attrs.abbr == 'BQP')\n"
		"assert(ms[1].attrs.level == 'ministry')\n"
		"assert(ms[2].value == 'Quân khu 5' and ms[2].attrs.region == 'Trung Bộ')\n"
		"assert(ms[3].type == 'LOC' and ms[3].attrs == nil and ms[3].key == 'Hà Nội')\n"
		"local function err(f, ...)\n"
		"  local ok, e = pcall(f, ...)\n"
		"  assert(not ok, 'no error')\n"
		"  return e\n"
		"end\n"
		"local e = err(textmill.gazetteer, 'bad.tsv')\n"
		"assert(e == 'textmill.gazetteer: bad.tsv:3: missing type', e)\n"
		"assert(#textmill.gazetteer('bad.tsv', { type = 'LOC' }) == 2)\n"
		"e = err(textmill.gazetteer, 'bad2.tsv')\n"
		"assert(e:find('bad2.tsv:1: column 4 (\"not-a-pair\") is not key=value', 1, true), e)\n"
		"e = err(textmill.gazetteer, 'bad3.tsv')\n"
		"assert(e == 'textmill.gazetteer: bad3.tsv:2: invalid UTF-8 at byte 3', e)\n"
		"e = err(textmill.gazetteer, 'missing.tsv')\n"
		"assert(e:find('cannot open missing.tsv: No such file'), e)\n"
		/* files: more dictionaries in the same automaton, numbered on */
		"g = textmill.gazetteer({ { 'Hội An', type = 'LOC' } }, { files = { 'orgs.tsv', 'bad.tsv' }, type = 'X' })\n"
		"assert(#g == 6)\n"
		"local keys = g:keys()\n"
		"assert(keys[1] == 'Hội An' and keys[2] == 'Bộ Quốc phòng' and keys[6] == 'Đà Nẵng')\n"
		"local t = g:types()\n"
		"assert(t.LOC == 3 and t.ORG == 2 and t.X == 1, 'types')\n"
		"ms = g:matches('Hội An, Đà Nẵng và Bộ Quốc phòng')\n"
		"assert(#ms == 3 and ms[2].type == 'X' and ms[3].value == 'MOD')\n"
		"e = err(textmill.gazetteer, 'orgs.tsv', { files = { 'bad2.tsv' } })\n"
		"assert(e:find('bad2.tsv:1: column 4', 1, true), e)\n"
		"e = err(textmill.gazetteer, 'orgs.tsv', { files = 'bad.tsv' })\n"
		"assert(e == 'textmill.gazetteer: option files must be a list of paths', e)\n"
		"e = err(textmill.gazetteer, 'orgs.tsv', { files = { 7 } })\n"
		"assert(e == 'textmill.gazetteer: files[1] is a number (expected a path)', e)\n");
	/* An absolute path ignores script_dir. */
	snprintf(path, sizeof path, "%s/orgs.tsv", dir);
	lua_pushstring(L, path);
	lua_setglobal(L, "ABS");
	lua_pushstring(L, "/nonexistent-dir");
	lua_setfield(L, LUA_REGISTRYINDEX, "textmill.script_dir");
	run_lua(L, "assert(#textmill.gazetteer(ABS) == 3)\n");
	lua_close(L);

	const char *names[] = {"orgs.tsv", "bad.tsv", "bad2.tsv", "bad3.tsv"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}
END_TEST

/* Many gazetteers, errors half-way through building: nothing leaks (run
 * under the sanitizers), and collected ones free their memory. */
START_TEST(lua_collect)
{
	lua_State *L = new_lua();
	run_lua(L, "for i = 1, 200 do\n"
		   "  local g = textmill.gazetteer({ 'Hà Nội', 'Huế', { 'Đà Nẵng', x = i } })\n"
		   "  assert(#g:matches('Hà Nội, Huế, Đà Nẵng') == 3)\n"
		   "  pcall(textmill.gazetteer, { 'a', 'b', false })\n"
		   "end\n"
		   "collectgarbage()\n");
	lua_close(L);
}
END_TEST

static Suite *gazetteer_suite(void)
{
	Suite *s = suite_create("gazetteer");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, longest_vs_overlapping);
	tcase_add_test(tc, whole_words);
	tcase_add_test(tc, case_and_diacritics);
	tcase_add_test(tc, tone_placement);
	tcase_add_test(tc, original_offsets);
	tcase_add_test(tc, whole_characters);
	tcase_add_test(tc, fold_paths);
	tcase_add_test(tc, same_key_entries);
	tcase_add_test(tc, fingerprint);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, hundred_thousand);
	tcase_add_test(tc, deep_automaton_against_brute_force);
	tcase_add_test(tc, walk_against_reference);
	tcase_add_test(tc, deep_lists_against_reference);
	tcase_add_test(tc, lua_entries);
	tcase_add_test(tc, lua_errors);
	tcase_add_test(tc, lua_tsv);
	tcase_add_test(tc, lua_collect);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(gazetteer_suite()); }
