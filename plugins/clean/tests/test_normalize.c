/* test_normalize.c -- clean.normalize's text pipeline, case by case. */
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "clean.h"
#include "textmill/kit_vn_tone.h"

static cl_norm_opts defaults(void)
{
	cl_norm_opts o = {0};
	o.encoding = CL_ENC_AUTO;
	o.nfc = 1;
	o.tones = CL_TONES_OLD;
	o.lookalikes = 1;
	o.invisibles = 1;
	o.whitespace = 1;
	o.max_blank = 1;
	return o;
}

static char result[4096];
static cl_norm_stats stats;

/* Normalize s (n bytes, or strlen) with o; returns the status. */
static int norm_n(const cl_norm_opts *o, const char *s, size_t n)
{
	cl_normalizer nz;
	ck_assert_int_eq(cl_normalizer_init(&nz, o), 0);
	const char *out;
	size_t len;
	int rc = cl_normalize(&nz, s, n, &out, &len, &stats);
	result[0] = 0;
	if (rc == CL_NORM_OK) {
		ck_assert_uint_lt(len, sizeof result);
		memcpy(result, out, len);
		result[len] = 0;
	}
	cl_normalizer_free(&nz);
	return rc;
}

static const char *norm_with(const cl_norm_opts *o, const char *s)
{
	ck_assert_int_eq(norm_n(o, s, strlen(s)), CL_NORM_OK);
	return result;
}

static const char *norm(const char *s)
{
	cl_norm_opts o = defaults();
	return norm_with(&o, s);
}

START_TEST(ascii_is_untouched)
{
	ck_assert_str_eq(norm("Covid-19: 2,1 million (QP&AN)./."), "Covid-19: 2,1 million (QP&AN)./.");
	ck_assert_str_eq(norm("Line one\nLine two\n\nParagraph."), "Line one\nLine two\n\nParagraph.");
}
END_TEST

START_TEST(bom_and_line_ends)
{
	ck_assert_str_eq(norm("\xEF\xBB\xBFTi\xC3\xAAu \xC4\x91\xE1\xBB\x81"), "Tiêu đề");
	ck_assert_int_eq(stats.bom, 1);
	ck_assert_str_eq(norm("a\r\nb\r\n\r\nc\rd"), "a\nb\n\nc\nd");
}
END_TEST

START_TEST(spaces_collapse_and_lines_trim)
{
	ck_assert_str_eq(norm("  a   b\t c  \n   d  "), "a b c\nd");
	ck_assert_str_eq(norm("a\n\n\n\n b"), "a\n\nb");
	ck_assert_str_eq(norm("\n\n a \n \n \n b\n\n"), "a\n\nb");
	cl_norm_opts o = defaults();
	o.max_blank = 0;
	ck_assert_str_eq(norm_with(&o, "a\n\n\nb"), "a\nb");
	o = defaults();
	o.whitespace = 0;
	ck_assert_str_eq(norm_with(&o, "a  b\xC2\xA0\n\n\nc"), "a  b \n\n\nc");
}
END_TEST

START_TEST(no_break_and_odd_spaces)
{
	/* The seeds: "tỉnh\u00a0tập", and paragraphs led by no-break spaces. */
	ck_assert_str_eq(norm("t\xE1\xBB\x89nh\xC2\xA0t\xE1\xBA\xADp"), "tỉnh tập");
	ck_assert_str_eq(norm("\xC2\xA0 \xC2\xA0 \xC2\xA0Ng\xC3\xA0y 2/12"), "Ngày 2/12");
	ck_assert_str_eq(norm("a\xE2\x80\xAF"
			      "b\xE3\x80\x80"
			      "c\xE2\x80\x83"
			      "d"),
			 "a b c d");
	ck_assert_int_eq(stats.spaces, 3);
}
END_TEST

START_TEST(invisibles_go)
{
	/* zero-width space, joiner, soft hyphen, word joiner, BOM inside, LRM */
	ck_assert_str_eq(norm("H\xC3\xA0\xE2\x80\x8B N\xE1\xBB\x99i"), "Hà Nội");
	ck_assert_str_eq(norm("qu\xC3\xB4\xCC\x81"
			      "c"),
			 "quốc");
	ck_assert_str_eq(norm("ph\xC2\xADong\xE2\x81\xA0 tr\xEF\xBB\xBFu\xE2\x80\x8E"), "phong tru");
	ck_assert_str_eq(norm("a\x01\x1b"
			      "b\x7f"
			      "c\xC2\x85"
			      "d"),
			 "abc\nd");
	ck_assert_str_eq(norm("one\xE2\x80\xA8two\xE2\x80\xA9three"), "one\ntwo\n\nthree");
	cl_norm_opts o = defaults();
	o.invisibles = 0;
	ck_assert_str_eq(norm_with(&o, "a\xC2\xA0"
				       "b"),
			 "a\xC2\xA0"
			 "b");
}
END_TEST

START_TEST(nfc_composes)
{
	/* Việt written decomposed: e + circumflex + dot below. */
	ck_assert_str_eq(norm("Vie\xCC\x82\xCC\xA3t Nam"), "Việt Nam");
	ck_assert_int_eq(stats.composed, 1);
	/* marks in the other order, and a singleton (Angstrom sign) */
	ck_assert_str_eq(norm("a\xCC\x86\xCC\xA3 \xE2\x84\xAB"), "ặ Å");
	cl_norm_opts o = defaults();
	o.nfc = 0;
	ck_assert_str_eq(norm_with(&o, "Vie\xCC\x82\xCC\xA3t"), "Vie\xCC\x82\xCC\xA3t");
	/* Already NFC: no composing. */
	norm("Quốc phòng");
	ck_assert_int_eq(stats.composed, 0);
}
END_TEST

START_TEST(tone_marks_old_style)
{
	ck_assert_str_eq(norm("hoà bình, thuỷ lợi, khoẻ mạnh, Tỉnh uỷ"), "hòa bình, thủy lợi, khỏe mạnh, Tỉnh ủy");
	ck_assert_int_eq(stats.tones, 4);
	ck_assert_str_eq(norm("HOÀ BÌNH, Thuý, hoạ sĩ"), "HÒA BÌNH, Thúy, họa sĩ");
	/* With a final consonant, and after qu, both styles agree. */
	ck_assert_str_eq(norm("hoàng, quý, quỳnh, khuyến, toán, ngoài"), "hoàng, quý, quỳnh, khuyến, toán, ngoài");
	ck_assert_int_eq(stats.tones, 0);
}
END_TEST

START_TEST(tone_marks_new_style)
{
	cl_norm_opts o = defaults();
	o.tones = CL_TONES_NEW;
	ck_assert_str_eq(norm_with(&o, "hòa bình, thủy lợi, khỏe mạnh, Tỉnh ủy, Hóa"),
			 "hoà bình, thuỷ lợi, khoẻ mạnh, Tỉnh uỷ, Hoá");
	ck_assert_str_eq(norm_with(&o, "quý, hoàng, tùy"), "quý, hoàng, tuỳ");
	o.tones = CL_TONES_KEEP;
	ck_assert_str_eq(norm_with(&o, "hòa hoà"), "hòa hoà");
}
END_TEST

/* The matchers downstream fold tone placement with the toolkit's
 * kit_vn_tone_old: it must agree with tone_marks: old on every syllable. */
START_TEST(toolkit_tone_fold_agrees)
{
	const char *onsets[] = {"", "h", "th", "kh", "q", "ng", "x", "a"};
	const char *pairs[] = {"oa", "oe", "uy", "OA", "UY", "Oa"};
	const char *marks[] = {"\xCC\x80", "\xCC\x81", "\xCC\x89", "\xCC\x83", "\xCC\xA3"};
	const char *ends[] = {"", ",", "n", " x"};
	cl_norm_opts keep = defaults();
	keep.tones = CL_TONES_KEEP;
	for (size_t a = 0; a < 8; a++)
		for (size_t b = 0; b < 6; b++)
			for (size_t c = 0; c < 5; c++)
				for (size_t d = 0; d < 4; d++) {
					/* new style, in NFC: the mark on the second vowel */
					char in[64], mine[64];
					snprintf(in, sizeof in, "%s%.2s%s%s", onsets[a], pairs[b], marks[c], ends[d]);
					strcpy(mine, norm_with(&keep, in));
					size_t n = kit_vn_tone_old(mine, strlen(mine), NULL);
					mine[n] = 0;
					ck_assert_msg(!strcmp(mine, norm(in)), "%s: %s, normalize: %s", in, mine,
						      result);
				}
}
END_TEST

START_TEST(lookalikes)
{
	/* U+00D0 (eth) for Đ, as old fonts and OCR leave it */
	ck_assert_str_eq(norm("\xC3\x90i\xE1\xBB\x87n Bi\xC3\xAAn \xC3\xB0\xC3\xB4ng"), "Điện Biên đông");
	ck_assert_str_eq(norm("H\xC3\x90ND t\xE1\xBB\x89nh \xC3\x90\xE1\xBA\xAFk L\xE1\xBA\xAFk"),
			 "HĐND tỉnh Đắk Lắk");
	ck_assert_int_eq(stats.lookalikes, 2);
	/* but an eth in an Icelandic name is an eth */
	const char *names = "Sigur\xC3\xB0ur Gu\xC3\xB0mundsson, SIGUR\xC3\x90UR, \xC3\x90\xC3\xB3rs";
	ck_assert_str_eq(norm(names), names);
	ck_assert_int_eq(stats.lookalikes, 0);
	/* Cyrillic Н and о inside Latin words */
	ck_assert_str_eq(norm("\xD0\x9D\xC3\xA0 N\xD0\xBEi"), "Hà Noi");
	ck_assert_int_eq(stats.lookalikes, 2);
	/* a real Russian word and a Greek one stay */
	ck_assert_str_eq(norm("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 \xCE\xB1\xCE\xB2"),
			 "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 \xCE\xB1\xCE\xB2");
	/* Cyrillic e with a combining acute becomes é */
	ck_assert_str_eq(norm("Cr\xD0\xB5\xCC\x81"
			      "dit"),
			 "Crédit");
	cl_norm_opts o = defaults();
	o.lookalikes = 0;
	ck_assert_str_eq(norm_with(&o, "\xC3\x90i"), "\xC3\x90i");
}
END_TEST

START_TEST(fix_case)
{
	cl_norm_opts o = defaults();
	o.fix_case = 1;
	ck_assert_str_eq(norm_with(&o, "tỉnh ĐIện Biên, tỉnh QUảng Nam, KHông"),
			 "tỉnh Điện Biên, tỉnh Quảng Nam, Không");
	ck_assert_int_eq(stats.cases, 3);
	ck_assert_str_eq(norm_with(&o, "MInh, TIên, VIệt"), "Minh, Tiên, Việt");
	/* names written so on purpose, and foreign words, are not syllables */
	const char *alone = "THPT, UBND, DNs, VNExpress, iPhone, TTXVN, TCty, VMware, APink, IPhone, VSmart, HLinh, "
			    "GD-ĐTchỉ, MIlan";
	ck_assert_str_eq(norm_with(&o, alone), alone);
	ck_assert_str_eq(norm("ĐIện"), "ĐIện"); /* off by default */
}
END_TEST

START_TEST(invalid_utf8_is_an_error)
{
	cl_norm_opts o = defaults();
	o.encoding = CL_ENC_UTF8;
	ck_assert_int_eq(norm_n(&o,
				"abc\xFF"
				"def",
				7),
			 CL_NORM_INVALID);
	ck_assert_uint_eq(stats.bad_offset, 3);
	/* overlong, surrogate, truncated, past U+10FFFF */
	ck_assert_int_eq(norm_n(&o, "Vi\xE1\xBB\x87t \xC0\xAF", 9), CL_NORM_INVALID);
	ck_assert_uint_eq(stats.bad_offset, 7);
	ck_assert_int_eq(norm_n(&o, "\xED\xA0\x80 Vi\xE1\xBB\x87t Nam \xE1\xBB\x87", 18), CL_NORM_INVALID);
	ck_assert_uint_eq(stats.bad_offset, 0);
	ck_assert_int_eq(norm_n(&o, "Vi\xE1\xBB\x87t \xE1\xBB\x87 \xE1\xBA", 13), CL_NORM_INVALID);
	ck_assert_uint_eq(stats.bad_offset, 11);
	ck_assert_int_eq(norm_n(&o, "\xF4\x90\x80\x80 \xE1\xBB\x87", 8), CL_NORM_INVALID);
	/* The offset counts the byte order mark. */
	ck_assert_int_eq(norm_n(&o,
				"\xEF\xBB\xBF"
				"ab\x80 \xE1\xBB\x87 \xE1\xBB\x87",
				14),
			 CL_NORM_INVALID);
	ck_assert_uint_eq(stats.bad_offset, 5);
}
END_TEST

START_TEST(repair_replaces)
{
	cl_norm_opts o = defaults();
	o.encoding = CL_ENC_UTF8;
	o.repair = 1;
	ck_assert_int_eq(norm_n(&o,
				"abc\xFF"
				"def",
				7),
			 CL_NORM_OK);
	ck_assert_str_eq(result, "abc\xEF\xBF\xBD"
				 "def");
	ck_assert_int_eq(stats.replaced, 1);
	/* one U+FFFD per maximal ill-formed subpart (Unicode 15, 3.9) */
	ck_assert_int_eq(norm_n(&o, "Vi\xE1\xBB\x87t \xE1\xBA", 9), CL_NORM_OK);
	ck_assert_str_eq(result, "Việt \xEF\xBF\xBD");
	ck_assert_int_eq(norm_n(&o, "x\xED\xA0\x80y \xE1\xBB\x87", 9), CL_NORM_OK);
	ck_assert_str_eq(result, "x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy ệ");
	ck_assert_int_eq(stats.replaced, 3);
	/* An invalid sequence starting like U+FFFD's own bytes. */
	ck_assert_int_eq(norm_n(&o,
				"a\xEF\xBF"
				"b \xE1\xBB\x87 \xE1\xBB\x87",
				12),
			 CL_NORM_OK);
	ck_assert_str_eq(result, "a\xEF\xBF\xBD"
				 "b ệ ệ");
}
END_TEST

/* encoding: auto tells broken UTF-8 from a legacy encoding. */
START_TEST(auto_encoding_decides)
{
	cl_norm_opts o = defaults();
	/* UTF-8 with one broken byte among many good letters: an error... */
	ck_assert_int_eq(norm_n(&o, "Việt Nam \xFF quốc phòng", strlen("Việt Nam \xFF quốc phòng")), CL_NORM_INVALID);
	ck_assert_uint_eq(stats.bad_offset, 11);
	/* ...or a repair. */
	o.repair = 1;
	ck_assert_int_eq(norm_n(&o, "Việt Nam \xFF quốc phòng", strlen("Việt Nam \xFF quốc phòng")), CL_NORM_OK);
	ck_assert_str_eq(result, "Việt Nam \xEF\xBF\xBD quốc phòng");
	/* No well-formed sequence at all: a legacy encoding, read as Vietnamese. */
	o.repair = 0;
	ck_assert_int_eq(norm_n(&o,
				"Vi\xEA\xF2t Nam qu\xF4\xEC"
				"c pho\xCCng",
				22),
			 CL_NORM_OK);
	ck_assert_str_eq(result, "Việt Nam quốc phòng");
	ck_assert_int_eq(stats.converted, CL_ENC_CP1258);
	ck_assert_int_eq(norm_n(&o,
				"Vi\xD6t Nam qu\xE8"
				"c ph\xDFng",
				20),
			 CL_NORM_OK);
	ck_assert_str_eq(result, "Việt Nam quốc phòng");
	ck_assert_int_eq(stats.converted, CL_ENC_TCVN3);
}
END_TEST

/* Only what reads as Vietnamese is taken for a legacy encoding. */
static int syllable(const char *s)
{
	ck_assert_int_eq(cl_vn_init(), 0);
	int32_t w[16];
	int m = 0;
	for (size_t i = 0, used; s[i] && m < 16; i += used)
		w[m++] = cl_utf8_get(s + i, strlen(s + i), &used);
	return cl_vn_syllable(w, m);
}

START_TEST(syllables)
{
	const char *good[] = {"nghiêng", "quốc", "giữ",   "gì",  "khuya", "BỆNH",
			      "Đắk",     "thuở", "người", "oán", "xoong"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(syllable(good[i]), "%s", good[i]);
	/* a stop with a grave, two tones, no vowel, a bad onset, a bad coda,
	 * letters from outside the alphabet, too long */
	const char *bad[] = {"bàt", "hòá", "đ", "ngk", "ĐÂâ", "tiếx", "¼ºÎ", "été", "nghiênggg"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!syllable(bad[i]), "%s", bad[i]);
}
END_TEST

START_TEST(not_text_is_refused)
{
	cl_norm_opts o = defaults();
	char bin[400];
	for (size_t i = 0; i < sizeof bin; i++)
		bin[i] = (char)(i * 7 % 251); /* a tenth below 0x20 */
	ck_assert_int_eq(norm_n(&o, bin, sizeof bin), CL_NORM_BINARY);
	ck_assert_int_ge(stats.controls, 8);
	/* a few stray controls in text are only dropped */
	ck_assert_str_eq(
		norm("Vi\x01\x01\x01ệt Nam, quốc phòng, bộ đội biên phòng, "
		     "tỉnh ủy, hội đồng nhân dân thành phố, quân khu, dân quân tự vệ"),
		"Việt Nam, quốc phòng, bộ đội biên phòng, tỉnh ủy, hội đồng nhân dân thành phố, quân khu, dân quân tự vệ");
	/* Latin-1 French: Windows-1258 would decode it, but not to Vietnamese */
	const char *fr = "L'\xe9t\xe9 prochain, les \xe9lus ont vot\xe9 une aide aux \xe9"
			 "coles et aux cr\xe8"
			 "ches apr\xe8s un d\xe9"
			 "bat tr\xe8s anim\xe9.";
	ck_assert_int_eq(norm_n(&o, fr, strlen(fr)), CL_NORM_UNREADABLE);
	ck_assert_int_eq(stats.converted, CL_ENC_CP1258);
	ck_assert_int_eq(norm_n(&o, "\xFF\xFEH\0", 4), CL_NORM_UNREADABLE);
	ck_assert_int_eq(stats.utf16, 1);
	/* with repair nothing is rejected for its bytes: UTF-8 with U+FFFD */
	o.repair = 1;
	ck_assert_int_eq(norm_n(&o, fr, strlen(fr)), CL_NORM_OK);
	ck_assert(strstr(result, "\xEF\xBF\xBD") != NULL);
	ck_assert_int_eq(stats.converted, CL_ENC_AUTO);
	ck_assert_int_eq(norm_n(&o, bin, sizeof bin), CL_NORM_OK);
	o.repair = 0;
	/* asked for by name, the encoding is taken as it is */
	o.encoding = CL_ENC_CP1258;
	ck_assert_int_eq(norm_n(&o, fr, strlen(fr)), CL_NORM_OK);
}
END_TEST

START_TEST(whitespace_only_becomes_empty)
{
	ck_assert_str_eq(norm(" \xC2\xA0\n\xE2\x80\x8B\t\r\n\xEF\xBB\xBF"), "");
	ck_assert_str_eq(norm(""), "");
}
END_TEST

START_TEST(idempotent)
{
	cl_norm_opts o = defaults();
	o.fix_case = 1;
	const char *inputs[] = {
		"\xEF\xBB\xBF  ĐIện Biên\xC2\xA0hoà \r\n\r\n\r\n thuỷ\xE2\x80\x8B \xD0\x9D\xC3\xA0",
		"Vie\xCC\x82\xCC\xA3t Nam\n\n\n\nQUảng Nam, khoẻ",
	};
	for (size_t i = 0; i < 2; i++) {
		char once[512];
		strcpy(once, norm_with(&o, inputs[i]));
		ck_assert_str_eq(norm_with(&o, once), once);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("normalize");
	TCase *tc = tcase_create("normalize");
	tcase_add_test(tc, ascii_is_untouched);
	tcase_add_test(tc, bom_and_line_ends);
	tcase_add_test(tc, spaces_collapse_and_lines_trim);
	tcase_add_test(tc, no_break_and_odd_spaces);
	tcase_add_test(tc, invisibles_go);
	tcase_add_test(tc, nfc_composes);
	tcase_add_test(tc, tone_marks_old_style);
	tcase_add_test(tc, tone_marks_new_style);
	tcase_add_test(tc, toolkit_tone_fold_agrees);
	tcase_add_test(tc, lookalikes);
	tcase_add_test(tc, fix_case);
	tcase_add_test(tc, invalid_utf8_is_an_error);
	tcase_add_test(tc, repair_replaces);
	tcase_add_test(tc, auto_encoding_decides);
	tcase_add_test(tc, syllables);
	tcase_add_test(tc, not_text_is_refused);
	tcase_add_test(tc, whitespace_only_becomes_empty);
	tcase_add_test(tc, idempotent);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(suite)
