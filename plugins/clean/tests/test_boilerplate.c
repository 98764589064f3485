/* test_boilerplate.c -- rule files, the edge heuristics, repeats and
 * recurring lines, on small made-up pages. */
#include <stdio.h>

#include "boilerplate.h"
#include <string.h>

#include "check_main.h"
#include "clean.h"

static cl_rules rules;
static cl_recurring rec;
static cl_boiler boiler;
static cl_bp_result res;
static char err[512];

static void load(const char *text)
{
	cl_rules_free(&rules);
	ck_assert_msg(cl_rules_parse(&rules, "test.txt", text, strlen(text), 0, err, sizeof err) == 0, "%s", err);
}

static void setup(void)
{
	ck_assert_int_eq(cl_vn_init(), 0);
	memset(&rules, 0, sizeof rules);
	cl_bp_opts o = {.heuristics = 1,
			.repeats = 1,
			.repeat_min_words = 6,
			.recurring = 1,
			.recurring_max_chars = 120,
			.rule_max_chars = 500};
	cl_recurring_init(&rec, 3, 1000);
	ck_assert_int_eq(cl_boiler_init(&boiler, &o, &rules, &rec), 0);
}

static void teardown(void)
{
	cl_boiler_free(&boiler);
	cl_recurring_free(&rec);
	cl_rules_free(&rules);
}

static const char *run_group(const char *text, const char *group)
{
	ck_assert_int_eq(cl_boiler_run(&boiler, text, strlen(text), group, &res), 0);
	static char out[4096];
	ck_assert_uint_lt(res.len, sizeof out);
	memcpy(out, res.text, res.len);
	out[res.len] = 0;
	return out;
}

static const char *run(const char *text) { return run_group(text, "site"); }

#define BODY1 "Sáng 18/1, Bộ Quốc phòng tổ chức hội nghị trực tuyến tổng kết công tác năm 2023."
#define BODY2 "Năm 2023, công tác quốc phòng ở bộ, ngành Trung ương và địa phương được triển khai hiệu quả."

START_TEST(rule_file_errors_name_the_line)
{
	ck_assert_int_eq(cl_rules_parse(&rules, "x.txt", "line A\nfrob B\n", 14, 0, err, sizeof err), -1);
	ck_assert_str_eq(err, "x.txt:2: unknown rule 'frob' (rules are line, regex, strip, end, keep; "
			      "'edge' may come before them)");
	ck_assert_int_eq(cl_rules_parse(&rules, "x.txt", "\n# c\nregex ^(a\n", 15, 0, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "x.txt:3: bad pattern at character") != NULL, "%s", err);
	ck_assert_int_eq(cl_rules_parse(&rules, "x.txt", "[source]\n", 9, 0, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "x.txt:1:") != NULL, "%s", err);
	ck_assert_int_eq(cl_rules_parse(&rules, "x.txt", "keep\n", 5, 0, err, sizeof err), -1);
	ck_assert_str_eq(err, "x.txt:1: 'keep' needs a pattern after it");
}
END_TEST

START_TEST(lines_and_regexes)
{
	load("line   Bình  LUẬN\nregex ^Hôm nay\\s*:\\s*[\\d.,]+$\n");
	ck_assert_str_eq(run("Tiêu đề bài\n\n" BODY1 "\n\nbình luận\nHÔM NAY: 1.202"), "Tiêu đề bài\n\n" BODY1);
	ck_assert_int_eq(res.by[CL_BY_LIST], 2);
	ck_assert_int_eq(res.changed, 1);
}
END_TEST

START_TEST(strip_keeps_the_rest)
{
	load("strip \\s*Gửi ý kiến phản hồi$\n");
	ck_assert_str_eq(run(BODY1 "\n\nLa NhungGửi ý kiến phản hồi"), BODY1 "\n\nLa Nhung");
	ck_assert_int_eq(res.stripped, 1);
}
END_TEST

START_TEST(edge_rules_spare_the_body)
{
	load("edge regex ^Cổng thông tin điện tử\n");
	const char *page =
		"Cổng thông tin điện tử tỉnh Hải Dương\n\n" BODY1 "\n\n"
		"Cổng thông tin điện tử tỉnh ra mắt giao diện mới, thân thiện hơn với người dùng.\n\n" BODY2;
	ck_assert_str_eq(run(page), BODY1 "\n\nCổng thông tin điện tử tỉnh ra mắt giao diện mới, thân thiện hơn với "
					  "người dùng.\n\n" BODY2);
}
END_TEST

START_TEST(keep_protects)
{
	load("keep ^Tin, ảnh:\nregex ảnh\n");
	ck_assert_str_eq(run(BODY1 "\n\nTin, ảnh: Mai Khôi\nẢnh đẹp"), BODY1 "\n\nTin, ảnh: Mai Khôi");
}
END_TEST

START_TEST(end_cuts_the_rest)
{
	load("end ^Tin liên quan$\nkeep ^Theo\n");
	ck_assert_str_eq(run("Tin liên quan\n\n" BODY1 "\n\nTin liên quan\nBài một\nBài hai\nTheo Báo X"),
			 "Tin liên quan\n\n" BODY1 "\n\nTheo Báo X");
}
END_TEST

START_TEST(sections_by_source)
{
	load("[source *.example.vn]\nline Chuyên trang\n[*]\nline Bình luận\n");
	const char *page = BODY1 "\n\nChuyên trang\nBình luận";
	ck_assert_str_eq(run_group(page, "news.example.vn"), BODY1);
	ck_assert_str_eq(run_group(page, "other.vn"), BODY1 "\n\nChuyên trang");
}
END_TEST

START_TEST(navigation_and_counters_at_the_edges)
{
	const char *page =
		"Trang chủ | Tin tức | Quốc phòng\n23/4/2023 | English | 中文\n\nTiêu đề bài viết ở đây\n\n"
		"Cập nhật: 08/12/2022 | 16:53 GMT+7\n\n" BODY1 "\n\n" BODY2 "\n\nMinh Anh\n\n"
		"Đang truy cập: 37\nHôm nay: 1202";
	ck_assert_str_eq(run(page), "Tiêu đề bài viết ở đây\n\nCập nhật: 08/12/2022 | 16:53 GMT+7\n\n" BODY1
				    "\n\n" BODY2 "\n\nMinh Anh");
	ck_assert_int_eq(res.by[CL_BY_HEURISTIC], 4);
	/* In the body, the same shapes stay. */
	ck_assert_str_eq(run(BODY1 "\nA | B | C\nTỷ lệ: 95\n" BODY2), BODY1 "\nA | B | C\nTỷ lệ: 95\n" BODY2);
}
END_TEST

START_TEST(after_chrome_everything_goes)
{
	load("line Bình luận\nkeep ^Tin, ảnh:\n");
	ck_assert_str_eq(run(BODY1 "\n\nHoàng Yến\nBình luận\nTin sở ban ngành\nBản đồ\nTin, ảnh: X"),
			 BODY1 "\n\nHoàng Yến\nTin, ảnh: X");
	ck_assert_int_eq(res.by[CL_BY_HEURISTIC], 2);
	/* The reporter's name as the last line is no part of the block. */
	ck_assert_str_eq(run(BODY1 "\n\nBình luận\nTin sở ban ngành\nBàn thắng: Mahrez 71\nThùy Anh"),
			 BODY1 "\n\nThùy Anh");
	ck_assert_int_eq(res.by[CL_BY_HEURISTIC], 2);
	ck_assert_str_eq(run(BODY1 "\n\nBình luận\nTin sở ban ngành\nBản đồ"), BODY1);
	/* Comment prompts below the body go even without a rule. */
	cl_rules_free(&rules);
	ck_assert_str_eq(run(BODY1 "\n\nViết ý kiến của bạn"), BODY1);
}
END_TEST

START_TEST(repeated_paragraphs_kept_once)
{
	/* a caption that repeats the start of a paragraph, and an exact repeat */
	const char *page = BODY1 " Các lực lượng phối hợp chặt chẽ với nhau trong mọi nhiệm vụ được giao.\n\n"
				 "Các lực lượng phối hợp chặt chẽ với nhau trong mọi nhiệm vụ\n\n" BODY2 "\n\n" BODY2;
	ck_assert_str_eq(run(page),
			 BODY1 " Các lực lượng phối hợp chặt chẽ với nhau trong mọi nhiệm vụ được giao.\n\n" BODY2);
	ck_assert_int_eq(res.by[CL_BY_REPEAT], 2);
	/* the headline above the body stays when a caption below quotes it */
	page = "Lực lượng vũ trang tỉnh diễn tập phòng thủ năm 2024\n\n" BODY1
	       "\n\nLực lượng vũ trang tỉnh diễn tập phòng thủ năm 2024 (Ảnh: TTXVN)\n\n" BODY2;
	ck_assert_str_eq(run(page), page);
	/* short lines may repeat, and a part of a word is not a repeat */
	ck_assert_str_eq(run("Kết quả\n\n" BODY1 "\n\nKết quả\n\n" BODY2),
			 "Kết quả\n\n" BODY1 "\n\nKết quả\n\n" BODY2);
}
END_TEST

START_TEST(recurring_lines_are_learned_per_source)
{
	const char *page = BODY1 "\n\nChuyên trang An ninh Quốc phòng";
	ck_assert_str_eq(run_group(page, "a"), page);
	ck_assert_str_eq(run_group(page, "a"), page);
	ck_assert_str_eq(run_group(page, "b"), page); /* another source: its own count */
	ck_assert_str_eq(run_group(page, "a"), page); /* the third: learned now, for later documents */
	ck_assert_int_eq(res.learned, 1);
	ck_assert_str_eq(run_group(page, "a"), BODY1);
	ck_assert_int_eq(res.by[CL_BY_RECURRING], 1);
	ck_assert_str_eq(run_group(page, "b"), page);
	ck_assert_uint_eq(rec.n_learned, 1);
	ck_assert_str_eq(rec.learned[0].group, "a");
	ck_assert_str_eq(rec.learned[0].text, "Chuyên trang An ninh Quốc phòng");
	/* in the body, learned lines stay (recurring_scope: edges) */
	ck_assert_str_eq(run_group(BODY1 "\nChuyên trang An ninh Quốc phòng\n" BODY2, "a"),
			 BODY1 "\nChuyên trang An ninh Quốc phòng\n" BODY2);
}
END_TEST

START_TEST(bylines_are_never_learned)
{
	/* A reporter on every page of a source, in the shapes portals use. */
	static const char *const bylines[] = {"Trang Phạm",         "H.Long",
					      "VĂN PHÚC",           "Ngọc Anh - Văn Hùng",
					      "Hoàng Long (TTXVN)", "Tin, ảnh: Mai Khôi",
					      "CTV Hiền Lương"};
	for (size_t k = 0; k < sizeof bylines / sizeof *bylines; k++) {
		char page[512];
		snprintf(page, sizeof page, BODY1 "\n\n%s", bylines[k]);
		for (int i = 0; i < 5; i++)
			ck_assert_msg(!strcmp(run_group(page, "byline"), page), "%s removed", bylines[k]);
	}
	ck_assert_uint_eq(rec.n_learned, 0);
	/* Chrome that recurs is still learned. */
	for (int i = 0; i < 4; i++)
		run_group(BODY1 "\n\nTin liên quan", "byline");
	ck_assert_str_eq(run_group(BODY1 "\n\nTin liên quan", "byline"), BODY1);
	/* And a byline in a file of lines learned by an older run stays too. */
	cl_rules_free(&rules);
	ck_assert_msg(cl_rules_parse(&rules, "learned.txt", "line Trang Phạm\nline Tin liên quan\n", 38, 1, err,
				     sizeof err) == 0,
		      "%s", err);
	ck_assert_str_eq(run(BODY1 "\n\nTrang Phạm\n\nTin liên quan"), BODY1 "\n\nTrang Phạm");
}
END_TEST

START_TEST(all_chrome_is_empty)
{
	load("line Đăng nhập\nline Bình luận\nline Back To Top\n");
	run("Đăng nhập\n\nBình luận\nBack To Top");
	ck_assert_int_eq(res.empty, 1);
	run("");
	ck_assert_int_eq(res.empty, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("boilerplate");
	TCase *tc = tcase_create("boilerplate");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rule_file_errors_name_the_line);
	tcase_add_test(tc, lines_and_regexes);
	tcase_add_test(tc, strip_keeps_the_rest);
	tcase_add_test(tc, edge_rules_spare_the_body);
	tcase_add_test(tc, keep_protects);
	tcase_add_test(tc, end_cuts_the_rest);
	tcase_add_test(tc, sections_by_source);
	tcase_add_test(tc, navigation_and_counters_at_the_edges);
	tcase_add_test(tc, after_chrome_everything_goes);
	tcase_add_test(tc, repeated_paragraphs_kept_once);
	tcase_add_test(tc, bylines_are_never_learned);
	tcase_add_test(tc, recurring_lines_are_learned_per_source);
	tcase_add_test(tc, all_chrome_is_empty);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(suite)
