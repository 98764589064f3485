/* dates.c -- finding dates, times and years in Vietnamese news text.
 *
 * Written by hand rather than as one large regular expression: a dateline
 * is checked word by word against what may stand beside a date on one
 * (labels, weekdays, view counts, language links), and a line with other
 * words in it is a sentence, not a dateline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int cl_date_valid(int y, int mo, int d)
{
	static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1])
		return 0;
	if (mo == 2 && d == 29)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return 1;
}

/* Digits at s[*i], at most `max` of them; -1 if none. */
static int number(const char *s, size_t n, size_t *i, int max)
{
	int v = 0, k = 0;
	while (*i < n && is_digit(s[*i]) && k < max) {
		v = v * 10 + (s[*i] - '0');
		(*i)++, k++;
	}
	if (*i < n && is_digit(s[*i]))
		return -1; /* longer than allowed */
	return k ? v : -1;
}

/* A full date at s[i] (not preceded by a digit); *end after it. */
static int date_at(const char *s, size_t n, size_t i, cl_date *d, size_t *end)
{
	if (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '/' || s[i - 1] == '.'))
		return 0;
	size_t j = i;
	int a = number(s, n, &j, 4);
	if (a < 0 || j >= n)
		return 0;
	char sep = s[j];
	if (sep != '/' && sep != '-' && sep != '.')
		return 0;
	if (j - i == 4) { /* yyyy-mm-dd */
		if (sep != '-')
			return 0;
		j++;
		int mo = number(s, n, &j, 2);
		if (mo < 0 || j >= n || s[j] != '-')
			return 0;
		j++;
		int dd = number(s, n, &j, 2);
		if (dd < 0 || !cl_date_valid(a, mo, dd))
			return 0;
		d->y = a, d->mo = mo, d->d = dd;
		*end = j;
		return 1;
	}
	if (j - i > 2)
		return 0;
	j++;
	int mo = number(s, n, &j, 2);
	if (mo < 0 || j >= n || s[j] != sep)
		return 0;
	j++;
	size_t ys = j;
	int y = number(s, n, &j, 4);
	if (y < 0 || j - ys != 4 || !cl_date_valid(y, mo, a))
		return 0;
	d->y = y, d->mo = mo, d->d = a;
	*end = j;
	return 1;
}

/* A time at s[i]: 16:53, 16:53:07, 16h53, 9g30, 16H53. */
static int time_at(const char *s, size_t n, size_t i, cl_date *d, size_t *end)
{
	if (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '/' || s[i - 1] == ':'))
		return 0;
	size_t j = i;
	int h = number(s, n, &j, 2);
	if (h < 0 || h > 23 || j + 2 >= n)
		return 0;
	char sep = s[j];
	if (sep != ':' && sep != 'h' && sep != 'H' && sep != 'g')
		return 0;
	j++;
	size_t ms = j;
	int mi = number(s, n, &j, 2);
	if (mi < 0 || mi > 59 || j - ms != 2)
		return 0;
	int sec = 0;
	if (sep == ':' && j + 2 < n && s[j] == ':' && is_digit(s[j + 1])) {
		size_t k = j + 1, ss = k;
		int v = number(s, n, &k, 2);
		if (v >= 0 && v < 60 && k - ss == 2)
			sec = v, j = k;
	}
	if (j < n && (s[j] == '/' || s[j] == '.'))
		return 0;
	d->h = h, d->mi = mi, d->s = sec;
	d->has_time = 1;
	*end = j;
	return 1;
}

/* "GMT+7", "UTC+07:00", "(GMT+7)", "+07:00" right after a time. */
static int zone_at(const char *s, size_t n, size_t i, cl_date *d, size_t *end)
{
	size_t j = i;
	if (j + 3 <= n && (!strncmp(s + j, "GMT", 3) || !strncmp(s + j, "UTC", 3)))
		j += 3;
	else if (!(j < n && (s[j] == '+' || s[j] == '-')))
		return 0;
	if (j >= n || (s[j] != '+' && s[j] != '-')) {
		if (j != i) { /* plain GMT or UTC */
			d->tz_minutes = 0, d->has_tz = 1, *end = j;
			return 1;
		}
		return 0;
	}
	int sign = s[j] == '-' ? -1 : 1;
	j++;
	size_t hs = j;
	int h = number(s, n, &j, 2), m = 0;
	if (h < 0 || h > 14)
		return 0;
	if (j < n && s[j] == ':') {
		j++;
		m = number(s, n, &j, 2);
		if (m < 0 || m > 59)
			return 0;
	} else if (j - hs == 2 && j + 1 < n && is_digit(s[j]) && is_digit(s[j + 1])) {
		m = (s[j] - '0') * 10 + (s[j + 1] - '0'); /* +0700 */
		j += 2;
	}
	d->tz_minutes = sign * (h * 60 + m);
	d->has_tz = 1;
	*end = j;
	return 1;
}

/* Words that may stand on a dateline beside the date, lower case: labels
 * that say it is the publication date, and plain ones that do not. */
static const char *const labels[] = {
	"cập nhật", "cập nhật lúc",  "cập nhật ngày",  "ngày đăng",     "đăng lúc", "đăng ngày", "đăng",
	"xuất bản", "ngày xuất bản", "thời gian đăng", "ngày cập nhật", "posted",   "published", "updated",
};
static const char *const plain_labels[] = {"ngày", "lúc", "giờ", "thời gian", "date", "on", "at"};
static const char *const weekdays[] = {
	"thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu",   "thứ bảy",  "chủ nhật", "thứ 2",    "thứ 3",
	"thứ 4",   "thứ 5",  "thứ 6",  "thứ 7",   "cn",        "t2",       "t3",       "t4",       "t5",
	"t6",      "t7",     "monday", "tuesday", "wednesday", "thursday", "friday",   "saturday", "sunday",
};
static const char *const languages[] = {
	"english", "tiếng anh", "中文", "français", "tiếng việt", "русский", "vn", "en",
};
static const char *const view_labels[] = {"lượt xem", "lượt đọc", "số lượt xem", "lượt truy cập", "views", "view"};
static const char *const filler[] = {
	"in bài viết", "in bài", "gmt", "utc", "am", "pm", "sa", "ch", "sáng", "chiều",
};

static int letter_byte(char c) { return (unsigned char)c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

/* Does the folded text at *p start with one of the phrases (whole words)?
 * Moves *p past the longest one. */
static int take(const char **p, const char *end, const char *const *list, size_t n_list)
{
	size_t best = 0;
	for (size_t i = 0; i < n_list; i++) {
		size_t m = strlen(list[i]);
		if (m > best && (size_t)(end - *p) >= m && !memcmp(*p, list[i], m) &&
		    (*p + m == end || !letter_byte((*p)[m])))
			best = m;
	}
	*p += best;
	return best > 0;
}

long long cl_parse_count(const char *s, size_t n)
{
	long long v = 0;
	for (size_t k = 0; k < n; k++) {
		if (!is_digit(s[k]))
			continue;
		if (v > 100000000000000LL)
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	return v;
}

int cl_parse_dateline(const char *s, size_t n, cl_dateline *dl)
{
	memset(dl, 0, sizeof *dl);
	dl->views = -1;
	cl_line l;
	cl_line_classify(&l, s, n);
	if (l.words > 16 || (l.prose && l.words > 12))
		return 0;
	/* The date and time, from the line as it is. */
	cl_date d = {0};
	size_t date_s = 0, date_e = 0, time_s = 0, time_e = 0, zone_e = 0;
	for (size_t i = 0; i < n && !d.y; i++)
		if (is_digit(s[i]) && date_at(s, n, i, &d, &date_e))
			date_s = i;
	if (!d.y)
		return 0;
	cl_date t = {0};
	for (size_t i = 0; i < n && !t.has_time; i++) {
		if (i >= date_s && i < date_e)
			continue;
		if (is_digit(s[i]) && time_at(s, n, i, &t, &time_e)) {
			time_s = i;
			size_t z = time_e;
			while (z < n && (s[z] == ' ' || s[z] == '('))
				z++;
			if (zone_at(s, n, z, &t, &zone_e))
				time_e = zone_e;
		}
	}
	d.h = t.h, d.mi = t.mi, d.s = t.s, d.has_time = t.has_time;
	d.tz_minutes = t.tz_minutes, d.has_tz = t.has_tz;
	dl->date = d;
	/* Everything else, word by word, folded to lower case. */
	cl_buf f = {0}, rest = {0};
	for (size_t i = 0; i < n; i++) {
		int blank = (i >= date_s && i < date_e) || (t.has_time && i >= time_s && i < time_e);
		cl_buf_putc(&rest, blank ? ' ' : s[i]);
	}
	cl_fold(rest.p ? rest.p : "", rest.len, &f);
	cl_buf_free(&rest);
	const char *p = f.p ? f.p : "", *end = p + f.len;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !is_digit((char)c)) {
			p++; /* spaces, punctuation, separators */
			continue;
		}
		if (take(&p, end, view_labels, sizeof view_labels / sizeof *view_labels)) {
			while (p < end && (*p == ' ' || *p == ':'))
				p++;
			if (p < end && is_digit(*p)) {
				const char *digits = p;
				/* digits, and . or , between them (1.257, 2,029) */
				while (p < end &&
				       (is_digit(*p) || ((*p == '.' || *p == ',') && p + 1 < end && is_digit(p[1]))))
					p++;
				dl->views = cl_parse_count(digits, (size_t)(p - digits));
			}
			continue;
		}
		if (take(&p, end, weekdays, sizeof weekdays / sizeof *weekdays)) {
			dl->weekday = 1;
			continue;
		}
		if (take(&p, end, labels, sizeof labels / sizeof *labels)) {
			dl->labelled = 1;
			continue;
		}
		if (take(&p, end, plain_labels, sizeof plain_labels / sizeof *plain_labels))
			continue;
		if (take(&p, end, languages, sizeof languages / sizeof *languages)) {
			dl->language_links = 1;
			continue;
		}
		if (take(&p, end, filler, sizeof filler / sizeof *filler))
			continue;
		/* Something else: skip the word and count it. */
		dl->other_words++;
		while (p < end && *p != ' ')
			p++;
	}
	cl_buf_free(&f);
	return dl->other_words <= 3;
}

/* ---- dates in running text ------------------------------------------- */

static const char *const day_words[] = {
	"rạng sáng", "sáng sớm", "sáng", "trưa", "chiều", "tối", "đêm", "ngày", "hôm", "từ ngày", "vào ngày",
};

int cl_intext_date(const char *s, size_t n, cl_date *out)
{
	cl_buf f = {0};
	if (cl_fold(s, n, &f))
		return 0;
	const char *p = f.p ? f.p : "", *end = p + f.len;
	int found = 0;
	for (const char *q = p; q < end && !found; q++) {
		if (q > p && letter_byte(q[-1]))
			continue; /* only at the start of a word */
		const char *r = q;
		if (!take(&r, end, day_words, sizeof day_words / sizeof *day_words))
			continue;
		/* "nay", "qua" may follow: "Sáng nay (24/2)". */
		while (r < end && *r == ' ')
			r++;
		if (end - r >= 3 && (!memcmp(r, "nay", 3) || !memcmp(r, "qua", 3)))
			r += 3;
		while (r < end && (*r == ' ' || *r == '('))
			r++;
		size_t i = (size_t)(r - p), m = f.len;
		int d = number(p, m, &i, 2);
		if (d < 0)
			continue;
		/* "ngày 5 đến 7/6", "ngày 1-3/12": the first day of a span. */
		size_t k = i;
		while (k < m && p[k] == ' ')
			k++;
		static const char *const joins[] = {"-", "\xe2\x80\x93", "đến", "và"};
		for (size_t j = 0; j < 4; j++) {
			size_t jl = strlen(joins[j]);
			if (k + jl <= m && !memcmp(p + k, joins[j], jl)) {
				size_t e = k + jl;
				while (e < m && p[e] == ' ')
					e++;
				if (number(p, m, &e, 2) >= 0)
					i = e;
				break;
			}
		}
		if (i >= m || p[i] != '/')
			continue;
		i++;
		int mo = number(p, m, &i, 2), y = 0;
		if (mo < 1 || mo > 12 || d < 1 || d > 31)
			continue;
		if (i + 1 < m && p[i] == '/' && is_digit(p[i + 1])) {
			size_t ys = ++i;
			y = number(p, m, &i, 4);
			if (y < 0 || i - ys != 4)
				y = 0;
		}
		if (y && !cl_date_valid(y, mo, d))
			continue;
		memset(out, 0, sizeof *out);
		out->y = y, out->mo = mo, out->d = d;
		found = 1;
	}
	cl_buf_free(&f);
	return found;
}

/* ---- the years a text speaks of ---------------------------------------- */

static void add_year(cl_years *ys, int y)
{
	for (int i = 0; i < ys->n; i++)
		if (ys->v[i] == y)
			return;
	if (ys->n < (int)(sizeof ys->v / sizeof ys->v[0]))
		ys->v[ys->n++] = y;
}

/* Does s[0..at) end with `word` (ASCII letters in any case, others as
 * written: the words below are lower case but for their first letter)? */
static int ends_with_word(const char *s, size_t at, const char *word)
{
	size_t m = strlen(word);
	if (at < m)
		return 0;
	const char *p = s + at - m;
	for (size_t i = 0; i < m; i++) {
		char a = p[i], b = word[i];
		if (a != b && !((a | 0x20) == b && b >= 'a' && b <= 'z'))
			return 0;
	}
	return at == m || !letter_byte(p[-1]);
}

void cl_years_collect(const char *s, size_t n, cl_years *ys)
{
	ys->n = 0;
	for (size_t i = 0; i + 4 <= n; i++) {
		const char *q = s + i;
		if (!is_digit(q[0]) || (i && is_digit(q[-1])) || (i + 4 < n && is_digit(q[4])))
			continue;
		if (!is_digit(q[1]) || !is_digit(q[2]) || !is_digit(q[3]))
			continue;
		int y = (q[0] - '0') * 1000 + (q[1] - '0') * 100 + (q[2] - '0') * 10 + (q[3] - '0');
		if (y < 1900 || y > 2100)
			continue;
		/* A range, either side: 2021-2030, 2020 - 2025, 2021–2030. */
		size_t a = i + 4;
		while (a < n && s[a] == ' ')
			a++;
		if (a < n && (s[a] == '-' || (a + 3 <= n && !memcmp(s + a, "\xe2\x80\x93", 3))))
			continue;
		size_t b = i;
		while (b > 0 && s[b - 1] == ' ')
			b--;
		if (b >= 2 && (s[b - 1] == '-' || (b >= 4 && !memcmp(s + b - 3, "\xe2\x80\x93", 3))) &&
		    is_digit(s[b - (s[b - 1] == '-' ? 2 : 4)]))
			continue;
		if (i && q[-1] == '/') { /* the year of a date */
			add_year(ys, y);
			continue;
		}
		if (!ends_with_word(s, i, "năm ") && !ends_with_word(s, i, "Năm ") && !ends_with_word(s, i, "NĂM "))
			continue;
		size_t before = i - strlen("năm ");
		if (ends_with_word(s, before, "đến ") || ends_with_word(s, before, "tới ") ||
		    ends_with_word(s, before, "vọng ") || ends_with_word(s, before, "nhìn ") ||
		    ends_with_word(s, before, "nhìn đến ") || ends_with_word(s, before, "từ ") ||
		    ends_with_word(s, before, "Đến ") || ends_with_word(s, before, "Từ "))
			continue;
		add_year(ys, y);
	}
}

static double year_fraction(int y, int mo, int d)
{
	static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	return y + (before[mo - 1] + d - 1) / 365.0;
}

int cl_infer_year(const cl_years *ys, int mo, int d, const cl_date *fallback)
{
	double ref;
	int lo, hi;
	if (ys->n) {
		int max = ys->v[0];
		for (int i = 1; i < ys->n; i++)
			if (ys->v[i] > max)
				max = ys->v[i];
		/* The latest years: the last one and the one before it. */
		double sum = 0;
		int k = 0;
		for (int i = 0; i < ys->n; i++)
			if (ys->v[i] >= max - 1)
				sum += ys->v[i], k++;
		ref = sum / k + 0.5;
		lo = max - 2, hi = max + 1;
	} else if (fallback && fallback->y) {
		ref = year_fraction(fallback->y, fallback->mo, fallback->d);
		lo = fallback->y - 1, hi = fallback->y; /* news is not dated after the page */
	} else {
		return 0;
	}
	int best = 0;
	double best_dist = 1e9;
	for (int y = lo; y <= hi; y++) {
		if (!cl_date_valid(y, mo, d))
			continue;
		double dist = year_fraction(y, mo, d) - ref;
		if (dist < 0)
			dist = -dist;
		if (dist < best_dist - 1e-9)
			best = y, best_dist = dist;
	}
	return best;
}

size_t cl_format_date(const cl_date *d, const char *tz, int midnight, char *out, size_t cap)
{
	int n;
	if (!d->has_time && !midnight)
		n = snprintf(out, cap, "%04d-%02d-%02d", d->y, d->mo, d->d);
	else if (d->has_tz)
		n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d->y, d->mo, d->d, d->h, d->mi,
			     d->s, d->tz_minutes < 0 ? '-' : '+', abs(d->tz_minutes) / 60, abs(d->tz_minutes) % 60);
	else
		n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%s", d->y, d->mo, d->d, d->h, d->mi, d->s, tz);
	return n < 0 ? 0 : (size_t)n;
}

int cl_parse_iso(const char *s, cl_date *d)
{
	memset(d, 0, sizeof *d);
	size_t n = strlen(s), end;
	if (n < 10 || s[4] != '-' || !date_at(s, n, 0, d, &end) || end != 10)
		return 0;
	if (n > 10 && (s[10] == 'T' || s[10] == ' ')) {
		size_t e;
		if (time_at(s, n, 11, d, &e) && e < n)
			zone_at(s, n, e, d, &e);
	}
	return 1;
}
