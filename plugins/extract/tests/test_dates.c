/* test_dates.c -- datelines, dates in running text, and year inference. */
#include <string.h>

#include "check_main.h"
#include "clean.h"
#include "dates.h"

static cl_dateline dl;

static int line(const char *s) { return cl_parse_dateline(s, strlen(s), &dl); }

static void is_date(const cl_date *d, int y, int mo, int day)
{
	ck_assert_int_eq(d->y, y);
	ck_assert_int_eq(d->mo, mo);
	ck_assert_int_eq(d->d, day);
}

static void is_time(const cl_date *d, int h, int mi)
{
	ck_assert(d->has_time);
	ck_assert_int_eq(d->h, h);
	ck_assert_int_eq(d->mi, mi);
}

START_TEST(datelines_of_the_seeds)
{
	ck_assert(line("12:16 - Thứ Năm, 24/02/2022 Lượt xem: 4824 In bài viết"));
	is_date(&dl.date, 2022, 2, 24);
	is_time(&dl.date, 12, 16);
	ck_assert(dl.weekday);
	ck_assert_int_eq(dl.views, 4824);
	ck_assert(line("Cập nhật ngày: 08/12/2022 | 16:53 GMT+7"));
	is_date(&dl.date, 2022, 12, 8);
	is_time(&dl.date, 16, 53);
	ck_assert(dl.labelled && dl.date.has_tz);
	ck_assert_int_eq(dl.date.tz_minutes, 420);
	ck_assert(line("03/12/2021 14:57"));
	is_date(&dl.date, 2021, 12, 3);
	is_time(&dl.date, 14, 57);
	ck_assert(line("23/4/2023 | English | 中文"));
	is_date(&dl.date, 2023, 4, 23);
	ck_assert(!dl.date.has_time && dl.language_links);
}
END_TEST

START_TEST(datelines_of_other_portals)
{
	ck_assert(line("Thứ Hai, 15/08/2022"));
	ck_assert(dl.weekday && !dl.date.has_time && !dl.labelled);
	ck_assert(line("Ngày đăng: 04/12/2023"));
	ck_assert(dl.labelled);
	ck_assert(line("Thứ Năm, 08/06/2023 - 14:35"));
	is_time(&dl.date, 14, 35);
	ck_assert(line("Cập nhật lúc 09h30 ngày 15.3.2023"));
	is_date(&dl.date, 2023, 3, 15);
	is_time(&dl.date, 9, 30);
	ck_assert(line("2023-11-05 07:30:15 (GMT+07:00)"));
	is_date(&dl.date, 2023, 11, 5);
	ck_assert_int_eq(dl.date.s, 15);
	ck_assert_int_eq(dl.date.tz_minutes, 420);
	ck_assert(line("Published: 05-11-2023, 7:30 UTC"));
	ck_assert_int_eq(dl.date.tz_minutes, 0);
}
END_TEST

START_TEST(not_datelines)
{
	ck_assert(!line(
		"Ngày 2/12/2021, UBND huyện Bình Liêu đã tổ chức Hội nghị tổng kết công tác quốc phòng năm 2021."));
	ck_assert(!line("Hôm nay: 1202"));
	ck_assert(!line("32/13/2022 10:00"));
	ck_assert(!line("Hội nghị ngày 15/3/2023 bàn nhiều việc quan trọng của tỉnh"));
	ck_assert(!line("Quyết định 1234/2023"));
	ck_assert(!line("29/02/2023"));
	ck_assert(line("29/02/2024"));
}
END_TEST

static cl_date d;

static int intext(const char *s) { return cl_intext_date(s, strlen(s), &d); }

START_TEST(dates_in_running_text)
{
	ck_assert(intext("Sáng 18/1, Bộ Quốc phòng tổ chức hội nghị"));
	is_date(&d, 0, 1, 18);
	ck_assert(intext("ĐBP - Sáng nay (24/2), Bộ Quốc phòng tổ chức"));
	is_date(&d, 0, 2, 24);
	ck_assert(intext("Chiều 14/12, UBND tỉnh tổ chức"));
	is_date(&d, 0, 12, 14);
	ck_assert(intext("Ngày 2/12/2021, UBND huyện"));
	is_date(&d, 2021, 12, 2);
	ck_assert(intext("Từ ngày 5 đến 7/6, huyện Nam Giang tổ chức"));
	is_date(&d, 0, 6, 5);
	ck_assert(intext("Tối 1-3/12, đoàn công tác"));
	is_date(&d, 0, 12, 1);
	ck_assert(!intext("13 lượt/23 thôn bản, trên 2,1 triệu lượt, tỷ lệ 5/5 xã"));
	ck_assert(!intext("trong ngày 40/13"));
}
END_TEST

static cl_years ys;

static int infer(const char *text, int mo, int day)
{
	cl_years_collect(text, strlen(text), &ys);
	return cl_infer_year(&ys, mo, day, NULL);
}

START_TEST(year_inference)
{
	/* A December meeting that reviews a year and plans the next... */
	ck_assert_int_eq(infer("tổng kết công tác năm 2021 và triển khai nhiệm vụ năm 2022", 12, 14), 2021);
	/* ...and a January one: ranges and targets do not count. */
	ck_assert_int_eq(
		infer("tổng kết năm 2023; triển khai nhiệm vụ năm 2024; thời kỳ 2021-2030, tầm nhìn đến năm 2045;"
		      " nhiệm kỳ 2020 - 2025",
		      1, 18),
		2024);
	ck_assert_int_eq(ys.n, 2);
	ck_assert_int_eq(infer("huấn luyện năm 2022, từ năm 2016 đến nay", 3, 21), 2022);
	ck_assert_int_eq(infer("Luật Dân quân tự vệ năm 2019; kế hoạch năm 2022 và năm 2023", 12, 8), 2022);
	ck_assert_int_eq(infer("không có năm nào", 3, 3), 0);
	/* With no year in the text, the portal's date: not after it. */
	cl_date today = {.y = 2023, .mo = 4, .d = 23};
	ys.n = 0;
	ck_assert_int_eq(cl_infer_year(&ys, 1, 18, &today), 2023);
	ck_assert_int_eq(cl_infer_year(&ys, 12, 18, &today), 2022);
}
END_TEST

START_TEST(iso_8601)
{
	char out[40];
	cl_date a = {.y = 2022, .mo = 2, .d = 24, .h = 12, .mi = 16, .has_time = 1};
	cl_format_date(&a, "+07:00", 0, out, sizeof out);
	ck_assert_str_eq(out, "2022-02-24T12:16:00+07:00");
	a.has_tz = 1, a.tz_minutes = -330;
	cl_format_date(&a, "+07:00", 0, out, sizeof out);
	ck_assert_str_eq(out, "2022-02-24T12:16:00-05:30");
	cl_date b = {.y = 2024, .mo = 1, .d = 18};
	cl_format_date(&b, "+07:00", 0, out, sizeof out);
	ck_assert_str_eq(out, "2024-01-18");
	cl_format_date(&b, "+07:00", 1, out, sizeof out);
	ck_assert_str_eq(out, "2024-01-18T00:00:00+07:00");
	cl_date c;
	ck_assert(cl_parse_iso("2024-03-05", &c) && !c.has_time);
	is_date(&c, 2024, 3, 5);
	ck_assert(cl_parse_iso("2024-03-05T15:10:00+07:00", &c) && c.has_time && c.has_tz);
	ck_assert(!cl_parse_iso("05/03/2024", &c));
}
END_TEST

static Suite *suite(void)
{
	if (cl_vn_init())
		abort();
	Suite *s = suite_create("dates");
	TCase *tc = tcase_create("dates");
	tcase_add_test(tc, datelines_of_the_seeds);
	tcase_add_test(tc, datelines_of_other_portals);
	tcase_add_test(tc, not_datelines);
	tcase_add_test(tc, dates_in_running_text);
	tcase_add_test(tc, year_inference);
	tcase_add_test(tc, iso_8601);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(suite)
