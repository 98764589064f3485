/* test_kit_vn_tone.c -- new-style tone placement folded to the old. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "textmill/kit_vn_tone.h"

static char folded[256];

static const char *fold(const char *s)
{
	size_t n = strlen(s);
	ck_assert_uint_lt(n, sizeof folded);
	memcpy(folded, s, n + 1);
	n = kit_vn_tone_old(folded, n, NULL);
	folded[n] = 0;
	return folded;
}

START_TEST(new_style_becomes_old)
{
	ck_assert_str_eq(fold("hoà bình, khoẻ, thuỷ"), "hòa bình, khỏe, thủy");
	ck_assert_str_eq(fold("Thuý Kiều, HOÀ, Uỷ ban"), "Thúy Kiều, HÒA, Ủy ban");
	/* the ones that get shorter: ẽ and ỳ take three bytes, õ and ù two */
	ck_assert_str_eq(fold("x hoẽ thuỳ."), "x hõe thùy.");
	ck_assert_str_eq(fold("thuỵ"), "thụy");
	/* against punctuation outside ASCII, which news text glues to words;
	 * a shorter syllable before one moves it down whole */
	ck_assert_str_eq(fold("“Uỷ ban”, Khánh Hoà… «thuỷ» hoẽ—khoẻ"), "“Ủy ban”, Khánh Hòa… «thủy» hõe—khỏe");
	ck_assert_uint_eq(kit_vn_tone_first_change("“Uỷ", strlen("“Uỷ")), 3);
	ck_assert(kit_vn_tone_changes_at("Hoà…", strlen("Hoà…"), 1));
	/* đ is a consonant, as the clean stage's tone_marks: old reads it */
	ck_assert_str_eq(fold("đoá hoa, Đoạ, ĐOẺ"), "đóa hoa, Đọa, ĐỎE");
	ck_assert(kit_vn_tone_changes_at("đoá", strlen("đoá"), 2));
}
END_TEST

START_TEST(the_rest_stays)
{
	/* both styles agree with a final consonant; qu; oa inside a syllable;
	 * already old; a word going on in letters outside ASCII; after a bad
	 * byte */
	const char *same[] = {"hoàng khuyến", "quý quà quỳ", "ngoài thoải", "hòa thủy", "hoàđ", "hoàn", "",
			      "ươá",          "ưuỷ",         "\xFFoà"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		ck_assert_str_eq(fold(same[i]), same[i]);
	ck_assert_str_eq(fold("oà khóc"), "òa khóc"); /* no onset */
}
END_TEST

/* kit_vn_tone_first_change: where the rewrite would begin, len when none. */
START_TEST(first_change)
{
	const char *texts[] = {"hoàng khuyến", "quý quà quỳ",    "hòa thủy",    "hoàn",    "",
			       "Ông Thuý",     "hoàn toàn khoẻ", "x hoẽ thuỳ.", "oà khóc", "ngoài thoải"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const char *t = texts[i];
		size_t n = strlen(t), at = kit_vn_tone_first_change(t, n);
		const char *f = fold(t);
		size_t diff = 0;
		while (diff < n && f[diff] == t[diff])
			diff++;
		/* the first byte rewritten is the o or u of the syllable */
		ck_assert_msg(at == diff, "\"%s\": first change %zu, the text differs from %zu", t, at, diff);
	}
}
END_TEST

/* kit_vn_tone_changes_at: true at the first change, and at no o or u
 * before it; false where the text has no o or u. */
START_TEST(changes_at)
{
	const char *texts[] = {"hoàng khuyến", "quý quà quỳ", "hòa thủy",    "hoàn", "Ông Thuý", "hoàn toàn khoẻ",
			       "x hoẽ thuỳ.",  "oà khóc",     "ngoài thoải", "HOÀ",  "uỷ ban",   "Khuỷu, thuý"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		const char *t = texts[i];
		size_t n = strlen(t), at = kit_vn_tone_first_change(t, n);
		for (size_t p = 0; p <= at && p < n; p++)
			ck_assert_msg(kit_vn_tone_changes_at(t, n, p) == (p == at), "\"%s\" at %zu", t, p);
	}
	ck_assert(!kit_vn_tone_changes_at("hoà", 4, 2)); /* the à itself */
	ck_assert(!kit_vn_tone_changes_at("hoà", 4, 9)); /* past the end */
	ck_assert(!kit_vn_tone_changes_at("kỳ", 4, 0));  /* no o or u: a k before a toned y */
}
END_TEST

/* The search for sites steps over eight bytes at a time: a syllable is
 * found at every offset, at a block's edge and at the text's end, in
 * ASCII and in text full of bytes outside it. */
START_TEST(sites_at_every_offset)
{
	const char *fills[] = {" ", "ổ "};
	for (size_t f = 0; f < 2; f++) {
		for (size_t at = 0; at < 40; at++) {
			for (size_t after = 0; after < 12; after++) {
				char in[256], want[256];
				size_t n = 0, w = 0;
				while (n < at) { /* whole fill characters, then spaces */
					size_t fl = strlen(fills[f]);
					const char *piece = n + fl <= at ? fills[f] : " ";
					size_t pl = strlen(piece);
					memcpy(in + n, piece, pl);
					n += pl;
				}
				memcpy(want, in, n);
				w = n;
				size_t site = n + 1;
				memcpy(in + n, " hoà", 5), n += 5;
				memcpy(want + w, " hòa", 5), w += 5;
				for (size_t k = 0; k < after; k++)
					in[n++] = want[w++] = '.';
				in[n] = want[w] = 0;
				ck_assert_str_eq(fold(in), want);
				ck_assert_uint_eq(kit_vn_tone_first_change(in, n), site + 1);
			}
		}
	}
}
END_TEST

START_TEST(offsets_move_with_the_letters)
{
	char s[] = "a hoẽ b";
	size_t off[sizeof s];
	for (size_t i = 0; i < sizeof s; i++)
		off[i] = i + 100;
	size_t n = kit_vn_tone_old(s, sizeof s - 1, off);
	ck_assert_uint_eq(n, sizeof s - 2);
	ck_assert(!memcmp(s, "a hõe b", n));
	/* h at 2; õ (2 bytes) from o at 3; e from ẽ at 4; then " b" and the end, one byte earlier */
	size_t want[] = {100, 101, 102, 103, 103, 104, 107, 108, 109};
	for (size_t i = 0; i <= n; i++)
		ck_assert_uint_eq(off[i], want[i]);
}
END_TEST

START_TEST(text_moves_down_after_each_shorter_syllable)
{
	/* two rewrites that shrink, a site that is no syllable (hoàn) between
	 * them and one after: everything after a shrink moves down with its
	 * offsets */
	char s[] = "hoẽ hoàn thuỹ, oẽ";
	size_t off[sizeof s];
	for (size_t i = 0; i < sizeof s; i++)
		off[i] = i;
	size_t n = kit_vn_tone_old(s, sizeof s - 1, off);
	ck_assert_uint_eq(n, sizeof s - 4); /* three bytes shorter */
	ck_assert(!memcmp(s, "hõe hoàn thũy, õe", n));
	/* õ 1,1; e 2; " hoàn " 5..11 at 4..10; thũ: t h 12 13, ũ 14 14, y 15;
	 * ", " 18 19; õ 20 20; e 21; the end 24 */
	size_t want[] = {0, 1, 1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 14, 15, 18, 19, 20, 20, 21, 24};
	ck_assert_uint_eq(n + 1, sizeof want / sizeof want[0]);
	for (size_t i = 0; i <= n; i++)
		ck_assert_uint_eq(off[i], want[i]);
}
END_TEST

static Suite *make_suite(void)
{
	Suite *s = suite_create("kit_vn_tone");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, new_style_becomes_old);
	tcase_add_test(tc, the_rest_stays);
	tcase_add_test(tc, first_change);
	tcase_add_test(tc, changes_at);
	tcase_add_test(tc, sites_at_every_offset);
	tcase_add_test(tc, offsets_move_with_the_letters);
	tcase_add_test(tc, text_moves_down_after_each_shorter_syllable);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(make_suite)
