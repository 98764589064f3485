/* test_robustness.c -- random pages made of awkward pieces (broken UTF-8,
 * combining marks, datelines, separators, huge lines, empty lines) through
 * all three stages' insides: nothing may crash, and what comes out must be
 * valid UTF-8 and stable under a second pass. Run it under the sanitizer
 * build (-DTEXTMILL_SANITIZE=ON) to catch memory errors. */
#include <stdio.h>

#include "boilerplate.h"
#include <string.h>

#include "check_main.h"
#include "clean.h"
#include "metadata.h"

static const char *const pieces[] = {
	"Việt Nam",
	" ",
	"  ",
	"\n",
	"\n\n\n",
	"\r\n",
	"\xC2\xA0",
	"\xE2\x80\x8B",
	"\xEF\xBB\xBF",
	"\xFF",
	"\xC3",
	"\xE1\xBB",
	"\xED\xA0\x80",
	"e\xCC\x82\xCC\xA3",
	"\xCC\x81",
	"ĐIện",
	"QUảng",
	"hoà",
	"thuỷ",
	"\xD0\x9D\xC3\xA0",
	"\xC3\x90",
	"12:16 - Thứ Năm, 24/02/2022 Lượt xem: 4824",
	"23/4/2023 | English | 中文",
	"Sáng 18/1, ",
	"năm 2023",
	"2021-2030",
	"Tin, ảnh: Mai Khôi",
	"CTV Hiền Lương",
	"(kontumtv.vn) – ",
	"ĐBP - ",
	"Bình luận",
	"Back To Top",
	"Hôm nay: 1202",
	"Trang chủ | Tin tức",
	".",
	"./.",
	"…",
	"(Ảnh: TTXVN)",
	"2,029",
	"|",
	">",
	"Bộ Quốc phòng tổ chức hội nghị tổng kết công tác quốc phòng năm 2023.",
	"Theo Báo X",
	"VĂN PHÚC",
	"\x01",
	"\x7F",
	"\xC2\x85",
	"\xE2\x80\xA8",
	"\xE2\x80\xA9",
	"\xF0\x9F\x98\x80",
	"a",
	"1",
	":",
	"/",
	"(",
	")",
};

static uint32_t rng = 12345;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

START_TEST(random_pages)
{
	ck_assert_int_eq(cl_vn_init(), 0);
	cl_norm_opts no = {.encoding = CL_ENC_AUTO,
			   .repair = 1,
			   .nfc = 1,
			   .tones = CL_TONES_OLD,
			   .lookalikes = 1,
			   .invisibles = 1,
			   .whitespace = 1,
			   .max_blank = 1,
			   .fix_case = 1};
	cl_normalizer nz;
	ck_assert_int_eq(cl_normalizer_init(&nz, &no), 0);
	cl_rules rules = {0};
	char err[256];
	const char *rule_text = "line Bình luận\nline Back To Top\nstrip \\s*In bài viết$\n"
				"edge regex \\|\\s*English\nend ^Tin liên quan$\nkeep ^Tin, ảnh:\n";
	ck_assert_int_eq(cl_rules_parse(&rules, "r.txt", rule_text, strlen(rule_text), 0, err, sizeof err), 0);
	cl_recurring rec;
	cl_recurring_init(&rec, 2, 1000);
	cl_bp_opts bo = {.heuristics = 1,
			 .repeats = 1,
			 .repeat_min_words = 3,
			 .recurring = 1,
			 .recurring_max_chars = 120,
			 .rule_max_chars = 500};
	cl_boiler b;
	ck_assert_int_eq(cl_boiler_init(&b, &bo, &rules, &rec), 0);
	cl_meta_opts mo = {.fields = CL_F_ALL,
			   .remove = 1,
			   .caption_min_words = 3,
			   .caption_max_chars = 400,
			   .title_max_chars = 250};
	cl_metax x;
	ck_assert_int_eq(cl_metax_init(&x, &mo, err, sizeof err), 0);
	cl_meta m = {0};
	cl_buf page = {0}, copy = {0};
	for (int round = 0; round < 3000; round++) {
		cl_buf_clear(&page);
		int n = (int)(next() % 60);
		for (int i = 0; i < n; i++)
			cl_buf_puts(&page, pieces[next() % (sizeof pieces / sizeof *pieces)]);
		if (round % 500 == 7) /* now and then one very long line */
			for (int i = 0; i < 2000; i++)
				cl_buf_puts(&page, "ạ ");
		const char *out;
		size_t len;
		cl_norm_stats st;
		ck_assert_int_eq(cl_normalize(&nz, page.p ? page.p : "", page.len, &out, &len, &st), CL_NORM_OK);
		ck_assert_uint_eq(kit_utf8_valid_prefix(out, len), len);
		cl_buf_clear(&copy);
		cl_buf_put(&copy, out, len);
		/* normalizing again changes nothing */
		ck_assert_int_eq(cl_normalize(&nz, copy.p, copy.len, &out, &len, &st), CL_NORM_OK);
		if (len != copy.len || memcmp(out, copy.p, len)) {
			fprintf(stderr, "once:  ");
			for (size_t i = 0; i < copy.len; i++)
				fprintf(stderr, "%02x", (unsigned char)copy.p[i]);
			fprintf(stderr, "\ntwice: ");
			for (size_t i = 0; i < len; i++)
				fprintf(stderr, "%02x", (unsigned char)out[i]);
			fprintf(stderr, "\n");
		}
		ck_assert_msg(len == copy.len && !memcmp(out, copy.p, len), "round %d: not idempotent", round);
		cl_bp_result res;
		ck_assert_int_eq(cl_boiler_run(&b, copy.p, copy.len, round % 2 ? "a" : "b", &res), 0);
		ck_assert_uint_eq(kit_utf8_valid_prefix(res.text, res.len), res.len);
		cl_buf_clear(&page);
		cl_buf_put(&page, res.text, res.len);
		ck_assert_int_eq(cl_meta_extract(&x, page.p ? page.p : "", page.len, round % 3 ? NULL : "Việt Nam",
						 &m),
				 0);
		ck_assert_uint_eq(kit_utf8_valid_prefix(m.text, m.len), m.len);
		ck_assert_uint_eq(kit_utf8_valid_prefix(m.title.p ? m.title.p : "", m.title.len), m.title.len);
		ck_assert_uint_eq(kit_utf8_valid_prefix(m.author.p ? m.author.p : "", m.author.len), m.author.len);
	}
	cl_buf_free(&page);
	cl_buf_free(&copy);
	cl_meta_free(&m);
	cl_metax_free(&x);
	cl_boiler_free(&b);
	cl_recurring_free(&rec);
	cl_rules_free(&rules);
	cl_normalizer_free(&nz);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("robustness");
	TCase *tc = tcase_create("robustness");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_pages);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(suite)
