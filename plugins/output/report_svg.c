/* report_svg.c -- the report's charts, drawn as inline SVG so the page
 * needs no script and no network. Every mark carries data- attributes
 * with the number it shows, for tests and for anyone scraping the page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define ROW 22  /* height of a row of horizontal bars */
#define FONT 12 /* px, as the style sheet sets for chart text */

/* How wide a character is drawn, in hundredths of an em: an estimate
 * from DejaVu Sans, the widest of the fonts the style sheet names, rounded
 * up, so that a label measured with it fits in any of them. A page cannot
 * measure text without a script, and a label cut by its number of
 * characters ran left out of its chart. */
static int char_width(int32_t c)
{
	if (c == ' ')
		return 32;
	if (c < 0x80) {
		if (strchr("ijlI.,:;'!|`()[]{}ftr-", (int)c))
			return 42;
		if (strchr("mwMW@%", (int)c))
			return 100;
		if (c >= 'A' && c <= 'Z')
			return 80;
		return 64; /* lower case, digits and the rest */
	}
	if (c >= 0x0300 && c <= 0x036F)
		return 0; /* a combining accent sits on the letter before it */
	/* Latin letters with accents (Vietnamese among them): capitals are the
	 * even code points of the extended blocks, as in Latin-1's upper half. */
	if ((c >= 0xC0 && c <= 0xDE) || ((c >= 0x100 && c <= 0x24F) || (c >= 0x1E00 && c <= 0x1EFF) ? c % 2 == 0 : 0))
		return 80;
	if (c < 0x1100 || (c >= 0x1E00 && c <= 0x1FFF))
		return 66;
	return 100; /* CJK, Hangul, symbols: a full em */
}

/* Label s, HTML-escaped, cut with an ellipsis to fit in `room` pixels. */
static void put_label(kit_buf *out, const char *s, size_t len, int room)
{
	const int limit = room * 100 / FONT, ellipsis = 100;
	int width = 0;
	size_t i = 0, fits = 0; /* bytes that fit with an ellipsis after them */
	while (i < len) {
		size_t used;
		int32_t c = kit_utf8_decode(s + i, len - i, &used);
		width += char_width(c < 0 ? 0xFFFD : c);
		if (width > limit)
			break;
		i += used ? used : 1;
		if (width + ellipsis <= limit)
			fits = i;
	}
	if (i >= len) {
		oc_buf_html(out, s, len);
		return;
	}
	while (fits && s[fits - 1] == ' ')
		fits--;
	oc_buf_html(out, s, fits);
	kit_buf_puts(out, "\xE2\x80\xA6"); /* … */
}

static void open_svg(kit_buf *out, const char *cls, int w, int h, const char *title)
{
	kit_buf_printf(out,
		       "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		       "aria-label=\"",
		       cls, w, h, w, h);
	oc_buf_html(out, title, strlen(title));
	kit_buf_puts(out, "\"><title>");
	oc_buf_html(out, title, strlen(title));
	kit_buf_puts(out, "</title>");
}

static long long max_value(const bar *bars, size_t n)
{
	long long m = 1;
	for (size_t i = 0; i < n; i++)
		if (bars[i].value > m)
			m = bars[i].value;
	return m;
}

void svg_bars(kit_buf *out, const char *title, const bar *bars, size_t n, const char *css_class, int width)
{
	const int w = width, label_w = width * 2 / 5, gap = 8, num_w = 56;
	const int bar_w = w - label_w - gap - num_w;
	int h = (int)n * ROW + 6;
	long long max = max_value(bars, n);
	open_svg(out, "bars", w, h, title);
	for (size_t i = 0; i < n; i++) {
		int y = 3 + (int)i * ROW;
		double len = (double)bars[i].value * bar_w / (double)max;
		kit_buf_puts(out, "<g class=\"row\"");
		if (bars[i].data)
			kit_buf_printf(out, " %s", bars[i].data);
		kit_buf_puts(out, "><title>");
		oc_buf_html(out, bars[i].label, bars[i].label_len);
		kit_buf_printf(out, ": %lld</title>", bars[i].value);
		kit_buf_printf(out, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w, y + 15);
		put_label(out, bars[i].label, bars[i].label_len, label_w - 4);
		kit_buf_printf(
			out,
			"</text><rect class=\"bar %s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" rx=\"2\"/>",
			css_class, label_w + gap, y + 2, len < 1 ? 1.0 : len);
		kit_buf_printf(out, "<text class=\"num\" x=\"%.1f\" y=\"%d\">",
			       label_w + gap + (len < 1 ? 1.0 : len) + 6, y + 15);
		oc_buf_grouped(out, bars[i].value);
		kit_buf_puts(out, "</text></g>");
	}
	kit_buf_puts(out, "</svg>");
}

/* Months are numbered y*12 + m - 1 so a range can be walked. */
static int month_number(const char *key) { return atoi(key) * 12 + atoi(key + 5) - 1; }

typedef struct column {
	char key[16];
	long long count;
} column;

/* The columns of the timeline: every month from the first to the last,
 * or every year when that would be too many months to read. NULL when
 * out of memory. */
static column *timeline_columns(const tally *months, size_t *n, int *yearly)
{
	int first = month_number(months->items[0].key);
	int last = month_number(months->items[months->n - 1].key);
	*yearly = last - first + 1 > 240;
	int step = *yearly ? 12 : 1;
	if (*yearly)
		first -= first % 12, last -= last % 12;
	*n = (size_t)((last - first) / step + 1);
	column *c = kit_calloc(*n, sizeof *c);
	for (size_t i = 0; c && i < *n; i++) {
		int k = first + (int)i * step;
		if (*yearly)
			snprintf(c[i].key, sizeof c[i].key, "%04d", k / 12);
		else
			snprintf(c[i].key, sizeof c[i].key, "%04d-%02d", k / 12, k % 12 + 1);
	}
	for (size_t i = 0; c && i < months->n; i++)
		c[(month_number(months->items[i].key) - first) / step].count += months->items[i].count;
	return c;
}

/* A round number at or above max for the top of an axis: 1, 2 or 5 times a power of ten. */
static long long nice_ceiling(long long max)
{
	long long p = 1;
	while (p * 10 <= max)
		p *= 10;
	for (int f = 1;; f = f == 1 ? 2 : f == 2 ? 5 : 10)
		if (f * p >= max)
			return f * p;
}

void svg_timeline(kit_buf *out, const tally *months)
{
	const int w = 960, h = 240, left = 44, right = 8, top = 12, bottom = 34;
	size_t n;
	int yearly;
	column *c = timeline_columns(months, &n, &yearly);
	if (!c) {
		out->failed = 1; /* out of memory: report_finish says so */
		return;
	}
	long long max = 1;
	for (size_t i = 0; i < n; i++)
		if (c[i].count > max)
			max = c[i].count;
	long long ceiling = nice_ceiling(max);
	double plot_w = w - left - right, plot_h = h - top - bottom;
	double col = plot_w / (double)n;
	open_svg(out, "timeline", w, h,
		 yearly ? "Articles per year of publication" : "Articles per month of publication");
	for (int g = 0; g <= 4; g++) { /* grid lines and their values */
		double y = top + plot_h - plot_h * g / 4.0;
		kit_buf_printf(out, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", left,
			       w - right, y, y);
		if (ceiling * g % 4 == 0) /* whole numbers only */
			kit_buf_printf(out,
				       "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%lld</text>",
				       left - 6, y + 4, ceiling * g / 4);
	}
	size_t label_every = n / 12 + 1;
	for (size_t i = 0; i < n; i++) {
		double x = left + col * (double)i;
		double bh = plot_h * (double)c[i].count / (double)ceiling;
		double bw = col > 3 ? col * 0.8 : col;
		kit_buf_printf(out,
			       "<rect class=\"bar month\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			       "data-%s=\"%s\" data-count=\"%lld\"><title>%s: %lld article%s</title></rect>",
			       x + (col - bw) / 2, top + plot_h - bh, bw, bh, yearly ? "year" : "month", c[i].key,
			       c[i].count, c[i].key, c[i].count, c[i].count == 1 ? "" : "s");
		if (i % label_every == 0) {
			double at = x + col / 2; /* keep the label inside the picture */
			const char *anchor = at < left + 30 ? "start" : at > w - 30 ? "end" : "middle";
			kit_buf_printf(out, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
				       !strcmp(anchor, "start") ? x
				       : !strcmp(anchor, "end") ? x + col
								: at,
				       h - bottom + 18, anchor, c[i].key);
		}
	}
	kit_buf_puts(out, "</svg>");
	free(c);
}

void svg_stages(kit_buf *out, const kit_json *stages)
{
	const int w = 720, label_w = 250, gap = 8, num_w = 150;
	const int bar_w = w - label_w - gap - num_w;
	long long max = 1;
	size_t n = 0;
	for (const kit_json *s = stages ? stages->child : NULL; s; s = s->next, n++)
		if (oc_json_int(s, "in", 0) > max)
			max = oc_json_int(s, "in", 0);
	open_svg(out, "stages", w, (int)n * ROW + 6, "Documents in, kept, dropped and rejected at each stage");
	int i = 0;
	for (const kit_json *s = stages ? stages->child : NULL; s; s = s->next, i++) {
		int y = 3 + i * ROW;
		const char *label = oc_json_str(s, "label"), *type = oc_json_str(s, "type");
		long long parts[3] = {oc_json_int(s, "kept", 0), oc_json_int(s, "dropped", 0),
				      oc_json_int(s, "rejected", 0)};
		static const char *const cls[3] = {"kept", "dropped", "rejected"};
		kit_buf_printf(out, "<g class=\"row\"><text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
			       label_w, y + 15);
		oc_buf_html(out, label ? label : "?", strlen(label ? label : "?"));
		if (type && label && strcmp(type, label)) {
			kit_buf_puts(out, " \xC2\xB7 ");
			oc_buf_html_cut(out, type, strlen(type), 24);
		}
		kit_buf_puts(out, "</text>");
		double x = label_w + gap;
		for (int k = 0; k < 3; k++) {
			double len = (double)parts[k] * bar_w / (double)max;
			if (parts[k] == 0)
				continue;
			kit_buf_printf(out,
				       "<rect class=\"bar %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\">"
				       "<title>%s: %lld</title></rect>",
				       cls[k], x, y + 2, len < 1 ? 1.0 : len, cls[k], parts[k]);
			x += len;
		}
		kit_buf_printf(out, "<text class=\"num\" x=\"%.1f\" y=\"%d\">", x + 6, y + 15);
		oc_buf_grouped(out, oc_json_int(s, "in", 0));
		kit_buf_puts(out, " in \xE2\x86\x92 ");
		oc_buf_grouped(out, parts[0]);
		kit_buf_puts(out, " kept</text></g>");
	}
	kit_buf_puts(out, "</svg>");
}
