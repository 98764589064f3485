/* dates.h -- dates and times as Vietnamese portals write them. */
#ifndef CLEAN_DATES_H
#define CLEAN_DATES_H

#include "clean.h"

typedef struct cl_date {
	int y, mo, d; /* y == 0: no date */
	int h, mi, s;
	int has_time;
	int tz_minutes; /* offset east of UTC, when has_tz */
	int has_tz;
} cl_date;

/* What a short line that carries a date looks like. */
typedef struct cl_dateline {
	cl_date date;
	int labelled;       /* "Cập nhật", "Ngày đăng", "Đăng lúc", "Xuất bản", … */
	int weekday;        /* "Thứ Năm", "Chủ nhật", "Thứ 5" */
	int language_links; /* "| English | 中文": the portal's header */
	long long views;    /* "Lượt xem: 4824", or -1 */
	int other_words;    /* words that are none of the above */
} cl_dateline;

/* Parse a line that is about a date: a full date (d/m/yyyy, d-m-yyyy,
 * d.m.yyyy or yyyy-mm-dd), perhaps a time (16:53, 16h53, 9g30) and zone
 * (GMT+7), labels, a weekday, view counts. 0 if the line has no full date
 * or says too much else to be a dateline. */
int cl_parse_dateline(const char *s, size_t n, cl_dateline *dl);

/* The digits of s[0..n) as one count ("1.257", "2,029"); -1 past 10^15,
 * which is no view count, rather than overflowing. */
long long cl_parse_count(const char *s, size_t n);

/* A date in running text: "Sáng 18/1", "Chiều nay (14/12)", "Ngày 2/12/2021",
 * "Từ ngày 5 đến 7/6" (the first day). The year is 0 when the text has
 * none. 0 if there is no such date. */
int cl_intext_date(const char *s, size_t n, cl_date *d);

/* The years a text speaks of as its present: "năm 2023" and dates, but
 * not ranges (2021-2030), nor targets ("đến năm 2045", "tầm nhìn …"). */
typedef struct cl_years {
	int v[16];
	int n;
} cl_years;
void cl_years_collect(const char *s, size_t n, cl_years *ys);
/* The year for day/month that puts it nearest the text's present: the
 * middle of the latest years it speaks of (the latest and the one before,
 * as "tổng kết năm 2023, triển khai năm 2024" does in January 2024). With
 * no years, `fallback` (a date, e.g. the portal's today) decides; 0 if
 * neither helps. */
int cl_infer_year(const cl_years *ys, int mo, int d, const cl_date *fallback);

int cl_date_valid(int y, int mo, int d);
/* ISO 8601: "2022-02-24T12:16:00+07:00", or "2024-01-18" without a time
 * (with midnight: "2024-01-18T00:00:00+07:00"). tz is "+07:00"-like and
 * used when the date has no zone of its own. Returns the length. */
size_t cl_format_date(const cl_date *d, const char *tz, int midnight, char *out, size_t cap);
/* Parse what cl_format_date writes (and any "YYYY-MM-DD..." prefix). */
int cl_parse_iso(const char *s, cl_date *d);

#endif
