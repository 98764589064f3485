/* report_html.c -- the report page: one HTML file with its style inline,
 * charts as inline SVG, no script, and a Content-Security-Policy that
 * forbids loading anything, so it opens the same offline, from a mail
 * attachment or from a CI artefact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oc_doc.h"
#include "report.h"

static const char style[] =
	":root{--bg:#f6f6f3;--card:#fff;--fg:#1d232a;--muted:#5d6670;--line:#e3e5e8;--accent:#2f5d9b;"
	"--kept:#3a8a4f;--dropped:#cf8f12;--rejected:#c23b3b}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#14171b;--card:#1d2127;--fg:#e4e7ea;--muted:#9aa4ae;"
	"--line:#2f353d;--accent:#7aa7e6;--kept:#5cb373;--dropped:#e0a93a;--rejected:#e06363}}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;background:var(--bg);color:var(--fg);"
	"font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif}\n"
	"main{max-width:1040px;margin:0 auto;padding:28px 20px 40px}\n"
	"h1{font-size:26px;margin:0 0 6px}h2{font-size:18px;margin:0 0 4px}h3{font-size:15px;margin:0 0 2px}\n"
	".meta,.note,footer{color:var(--muted);font-size:13px}.note{margin:2px 0 12px}\n"
	"code{font:12.5px ui-monospace,\"DejaVu Sans Mono\",monospace;overflow-wrap:anywhere}\n"
	"section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:16px 0}\n"
	".cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-top:10px}\n"
	".card{border:1px solid var(--line);border-radius:8px;padding:10px 14px}\n"
	".card .n{display:block;font-size:28px;font-weight:650;font-variant-numeric:tabular-nums}\n"
	".card .l{color:var(--muted);font-size:13px}\n"
	".card.written .n{color:var(--kept)}.card.dropped .n{color:var(--dropped)}.card.rejected .n{color:var(--rejected)}\n"
	"table{border-collapse:collapse;width:100%;font-size:13.5px;margin-top:10px}\n"
	"th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}\n"
	"th{font-weight:600;color:var(--muted);font-size:12.5px}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	".nowrap,.nowrap code{white-space:nowrap;overflow-wrap:normal}\n"
	"ul.reasons{margin:0;padding:0;list-style:none;font-size:12.5px}ul.reasons span{white-space:nowrap}\n"
	".chart{display:block;max-width:100%;height:auto;margin-top:8px}\n"
	".chart text{font:12px system-ui,sans-serif;fill:var(--fg)}\n"
	".chart text.axis,.chart text.num{fill:var(--muted)}\n"
	".chart .grid{stroke:var(--line);stroke-width:1}\n"
	".bar{fill:var(--accent)}.bar.kept{fill:var(--kept)}.bar.dropped{fill:var(--dropped)}"
	".bar.rejected{fill:var(--rejected)}\n"
	".bar.t1{fill:#3a8a4f}.bar.t2{fill:#8a5cb8}.bar.t3{fill:#c2661f}.bar.t4{fill:#2a8c8c}.bar.t5{fill:#b8456d}"
	".bar.t6{fill:#6b7a2a}.bar.t7{fill:#5c6670}\n"
	".legend{font-size:12.5px;color:var(--muted)}.legend span{margin-right:14px;white-space:nowrap}\n"
	".legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}\n"
	".types{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:18px;margin-top:10px}\n"
	".members{font-size:12.5px}.members span{white-space:nowrap;margin-right:10px}\n"
	"@media (max-width:640px){.cards{grid-template-columns:repeat(2,1fr)}}\n";

static void put_text(kit_buf *out, const char *s)
{
	if (s)
		oc_buf_html(out, s, strlen(s));
}

static void head(kit_buf *out, const report *r)
{
	kit_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			  "style-src 'unsafe-inline'; img-src data:\">\n"
			  "<meta name=\"generator\" content=\"textmill output.report\">\n<title>");
	put_text(out, r->title);
	kit_buf_puts(out, "</title>\n<style>\n");
	kit_buf_puts(out, style);
	kit_buf_puts(out, "</style>\n</head>\n<body>\n<main>\n");
}

static void header(kit_buf *out, const report *r, const kit_json *s)
{
	kit_buf_puts(out, "<header>\n<h1>");
	put_text(out, r->title);
	kit_buf_puts(out, "</h1>\n<p class=\"meta\">Config <code>");
	put_text(out, oc_json_str(s, "config"));
	kit_buf_puts(out, "</code> (hash <code data-config-hash=\"");
	put_text(out, oc_json_str(s, "config_hash"));
	kit_buf_puts(out, "\">");
	put_text(out, oc_json_str(s, "config_hash"));
	kit_buf_puts(out, "</code>) \xC2\xB7 finished ");
	put_text(out, oc_json_str(s, "finished"));
	kit_buf_puts(out, " \xC2\xB7 textmill ");
	put_text(out, oc_json_str(s, "textmill"));
	const kit_json *secs = kit_json_get(s, "seconds");
	long long runs = oc_json_int(s, "runs", 1);
	if (runs > 1)
		kit_buf_printf(out, " \xC2\xB7 %lld runs", runs);
	kit_buf_printf(out, " \xC2\xB7 %lld worker%s \xC2\xB7 %.2f MB in %.2f s</p>\n</header>\n",
		       oc_json_int(s, "workers", 0), oc_json_int(s, "workers", 0) == 1 ? "" : "s",
		       (double)oc_json_int(s, "bytes", 0) / 1e6, secs ? secs->num : 0.0);
}

static void card(kit_buf *out, const char *metric, long long value, const char *caption)
{
	kit_buf_printf(out, "<div class=\"card %s\" data-metric=\"%s\" data-value=\"%lld\"><span class=\"n\">",
		       metric, metric, value);
	oc_buf_grouped(out, value);
	kit_buf_printf(out, "</span><span class=\"l\">%s</span></div>\n", caption);
}

static void summary_section(kit_buf *out, const kit_json *s)
{
	const kit_json *d = kit_json_get(s, "documents");
	long long read = oc_json_int(d, "read", 0), written = oc_json_int(d, "written", 0);
	long long dropped = oc_json_int(d, "dropped", 0), rejected = oc_json_int(d, "rejected", 0);
	kit_buf_puts(out, "<section id=\"summary\">\n<h2>Documents</h2>\n<div class=\"cards\">\n");
	card(out, "read", read, "read");
	card(out, "written", written, "written");
	card(out, "dropped", dropped, "dropped on purpose");
	card(out, "rejected", rejected, "rejected (bad input or errors)");
	kit_buf_puts(out, "</div>\n<p class=\"note\">");
	if (read == written + dropped + rejected)
		kit_buf_puts(out, "Every document read is accounted for: read = written + dropped + rejected.");
	else
		kit_buf_puts(
			out,
			"<strong>The counts do not add up</strong>: read \xE2\x89\xA0 written + dropped + rejected.");
	kit_buf_puts(out, "</p>\n</section>\n");
}

static void reasons(kit_buf *out, const kit_json *stage, const char *key, const char *verdict)
{
	const kit_json *by = kit_json_get(stage, key);
	for (const kit_json *m = by ? by->child : NULL; m; m = m->next) {
		kit_buf_puts(out, "<li data-stage=\"");
		put_text(out, oc_json_str(stage, "label"));
		kit_buf_printf(out, "\" data-verdict=\"%s\" data-reason=\"", verdict);
		oc_buf_html(out, m->key, m->key_len);
		kit_buf_printf(out, "\" data-count=\"%lld\">%s <b>", (long long)m->num, verdict);
		oc_buf_html(out, m->key, m->key_len);
		kit_buf_puts(out, "</b>: ");
		oc_buf_grouped(out, (long long)m->num);
		kit_buf_puts(out, "</li>");
	}
}

/* The stage's own counters, on one line: "title 13 · author 7". */
static void counters(kit_buf *out, const kit_json *stage)
{
	const kit_json *c = kit_json_get(stage, "counters");
	if (!c || !c->child)
		return;
	kit_buf_puts(out, "<li class=\"meta\">");
	for (const kit_json *m = c->child; m; m = m->next) {
		if (m != c->child)
			kit_buf_puts(out, " \xC2\xB7 ");
		kit_buf_puts(out, "<span>");
		oc_buf_html(out, m->key, m->key_len);
		kit_buf_puts(out, " ");
		oc_buf_grouped(out, (long long)m->num);
		kit_buf_puts(out, "</span>");
	}
	kit_buf_puts(out, "</li>");
}

static void stages_section(kit_buf *out, const kit_json *s)
{
	const kit_json *stages = kit_json_get(s, "stages");
	kit_buf_puts(out, "<section id=\"stages\">\n<h2>Documents at each stage</h2>\n"
			  "<p class=\"legend\"><span><i style=\"background:var(--kept)\"></i>kept</span>"
			  "<span><i style=\"background:var(--dropped)\"></i>dropped</span>"
			  "<span><i style=\"background:var(--rejected)\"></i>rejected</span></p>\n");
	svg_stages(out, stages);
	kit_buf_puts(out, "\n<table>\n<thead><tr><th>stage</th><th>type</th><th class=\"num\">in</th>"
			  "<th class=\"num\">kept</th><th class=\"num\">dropped</th><th class=\"num\">rejected</th>"
			  "<th class=\"num\">seconds</th><th>reasons and counters</th></tr></thead>\n<tbody>\n");
	for (const kit_json *st = stages ? stages->child : NULL; st; st = st->next) {
		const char *label = oc_json_str(st, "label");
		kit_buf_puts(out, "<tr data-stage=\"");
		put_text(out, label);
		kit_buf_puts(out, "\" data-type=\"");
		put_text(out, oc_json_str(st, "type"));
		kit_buf_printf(out,
			       "\" data-in=\"%lld\" data-kept=\"%lld\" data-dropped=\"%lld\" data-rejected=\"%lld\">",
			       oc_json_int(st, "in", 0), oc_json_int(st, "kept", 0), oc_json_int(st, "dropped", 0),
			       oc_json_int(st, "rejected", 0));
		kit_buf_puts(out, "<td class=\"nowrap\"><code>");
		put_text(out, label);
		kit_buf_puts(out, "</code></td><td>");
		put_text(out, oc_json_str(st, "type"));
		kit_buf_puts(out, "</td>");
		static const char *const cols[] = {"in", "kept", "dropped", "rejected"};
		for (size_t i = 0; i < 4; i++) {
			kit_buf_puts(out, "<td class=\"num\">");
			oc_buf_grouped(out, oc_json_int(st, cols[i], 0));
			kit_buf_puts(out, "</td>");
		}
		const kit_json *secs = kit_json_get(st, "seconds");
		kit_buf_printf(out, "<td class=\"num\">%.3f</td><td><ul class=\"reasons\">", secs ? secs->num : 0.0);
		reasons(out, st, "dropped_by", "dropped");
		reasons(out, st, "rejected_by", "rejected");
		counters(out, st);
		kit_buf_puts(out, "</ul></td></tr>\n");
	}
	kit_buf_puts(out, "</tbody>\n</table>\n</section>\n");
}

/* The month the run finished, from the summary (or now): no article was
 * published after it. */
static void finished_month(const kit_json *s, char month[8])
{
	if (oc_month(oc_json_str(s, "finished"), month) == 0)
		return;
	time_t now = time(NULL);
	strftime(month, 8, "%Y-%m", gmtime(&now));
}

/* The timeline shows the months from timeline_from to the month the run
 * finished: a date outside them is a date from the text taken for the
 * publication date, or a typo, and one such date stretched the axis over
 * decades of empty years. The page says how many it left out. */
static void timeline_section(kit_buf *out, const report *r, const kit_json *s)
{
	char last[8];
	finished_month(s, last);
	const tally *m = &r->months;
	size_t lo = 0, hi = m->n;
	long long early = 0, late = 0;
	while (lo < hi && strcmp(m->items[lo].key, r->timeline_from) < 0)
		early += m->items[lo++].count;
	while (hi > lo && strcmp(m->items[hi - 1].key, last) > 0)
		late += m->items[--hi].count;
	const tally shown = {.items = m->items + lo, .n = hi - lo};
	kit_buf_printf(out,
		       "<section id=\"timeline\" data-dated=\"%lld\" data-undated=\"%lld\" data-implausible=\"%lld\" "
		       "data-from=\"%s\" data-to=\"%s\">\n<h2>Publication dates</h2>\n<p class=\"note\">",
		       r->docs - r->undated - early - late, r->undated, early + late, r->timeline_from, last);
	if (shown.n) {
		kit_buf_puts(out, "Articles by month of <code>meta.published</code>, from ");
		put_text(out, shown.items[0].key);
		kit_buf_puts(out, " to ");
		put_text(out, shown.items[shown.n - 1].key);
	} else {
		kit_buf_puts(out, "No document has a plausible publication date (<code>meta.published</code>, "
				  "ISO 8601)");
	}
	if (r->undated) {
		kit_buf_puts(out, "; ");
		oc_buf_grouped(out, r->undated);
		kit_buf_puts(out, r->undated == 1 ? " document has no date" : " documents have no date");
	}
	if (early + late) {
		kit_buf_puts(out, "; left out, as implausible publication dates: ");
		if (early) {
			oc_buf_grouped(out, early);
			kit_buf_printf(out, " before %s (<code>timeline_from</code>)%s", r->timeline_from,
				       late ? " and " : "");
		}
		if (late) {
			oc_buf_grouped(out, late);
			kit_buf_printf(out, " after %s, when the run finished", last);
		}
	}
	kit_buf_puts(out, ".</p>\n");
	if (shown.n)
		svg_timeline(out, &shown);
	kit_buf_puts(out, "\n</section>\n");
}

/* Bars for the first `top` items of a tally, with data- attributes. */
static void tally_bars(kit_buf *out, const tally *t, long long top, const char *title, const char *cls,
		       const char *attr, const char *type, int width)
{
	size_t n = t->n < (size_t)top ? t->n : (size_t)top;
	bar *bars = kit_calloc(n, sizeof *bars);
	kit_buf *data = kit_calloc(n, sizeof *data);
	if (!bars || !data) {
		out->failed = 1; /* out of memory: report_finish says so */
		free(bars);
		free(data);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const tally_item *it = &t->items[i];
		if (type) {
			kit_buf_puts(&data[i], "data-entity-type=\"");
			put_text(&data[i], type);
			kit_buf_puts(&data[i], "\" ");
		}
		kit_buf_printf(&data[i], "%s=\"", attr);
		oc_buf_html(&data[i], it->key, it->len);
		kit_buf_printf(&data[i], "\" data-docs=\"%lld\" data-mentions=\"%lld\"", it->docs, it->count);
		bars[i] = (bar){it->key, it->len, it->docs, data[i].p};
		if (kit_buf_failed(&data[i]))
			out->failed = 1;
	}
	svg_bars(out, title, bars, n, cls, width);
	for (size_t i = 0; i < n; i++)
		kit_buf_free(&data[i]);
	free(data);
	free(bars);
}

static void entities_section(kit_buf *out, const report *r)
{
	kit_buf_printf(out,
		       "<section id=\"entities\" data-entities=\"%lld\" data-types=\"%zu\">\n"
		       "<h2>Top entities</h2>\n<p class=\"note\">",
		       r->entities, r->types.n);
	if (!r->types.n) {
		kit_buf_puts(out, "No entities: the pipeline has no stage that finds them.</p>\n</section>\n");
		return;
	}
	oc_buf_grouped(out, r->entities);
	kit_buf_printf(out,
		       " entities of %zu types. Bars count the articles that name each one; entities are "
		       "counted by their normalised value.</p>\n<div class=\"types\">\n",
		       r->types.n);
	for (size_t i = 0; i < r->types.n; i++) {
		const tally_item *type = &r->types.items[i];
		const tally *names = &r->labels[type->id];
		kit_buf_puts(out, "<div class=\"type\" data-type=\"");
		oc_buf_html(out, type->key, type->len);
		kit_buf_printf(out, "\" data-mentions=\"%lld\" data-docs=\"%lld\" data-distinct=\"%zu\">\n<h3>",
			       type->count, type->docs, names->n);
		oc_buf_html(out, type->key, type->len);
		kit_buf_puts(out, "</h3><p class=\"note\">");
		oc_buf_grouped(out, type->count);
		kit_buf_puts(out, " mentions of ");
		oc_buf_grouped(out, (long long)names->n);
		kit_buf_puts(out, " names in ");
		oc_buf_grouped(out, type->docs);
		kit_buf_puts(out, type->docs == 1 ? " article</p>\n" : " articles</p>\n");
		kit_buf title = {0};
		kit_buf_puts(&title, "Top ");
		kit_buf_put(&title, type->key, type->len);
		kit_buf_puts(&title, " by articles");
		char cls[8];
		snprintf(cls, sizeof cls, "t%zu", i % 8);
		tally_bars(out, names, r->top, title.p, cls, "data-label", type->key, 470);
		kit_buf_free(&title);
		kit_buf_puts(out, "\n</div>\n");
	}
	kit_buf_puts(out, "</div>\n</section>\n");
}

static long long dropped_duplicates(const kit_json *s)
{
	long long n = 0;
	const kit_json *stages = kit_json_get(s, "stages");
	for (const kit_json *st = stages ? stages->child : NULL; st; st = st->next)
		n += oc_json_int(kit_json_get(st, "dropped_by"), "duplicate-of", 0);
	return n;
}

static void members(kit_buf *out, const cluster *c)
{
	const size_t shown = 12;
	for (size_t k = 0; k < c->n && k < shown; k++) {
		const member *m = &c->members[k];
		kit_buf_puts(out, "<span><code>");
		put_text(out, m->doc_id);
		kit_buf_puts(out, "</code>");
		if (!m->duplicate_of)
			kit_buf_puts(out, " (kept)");
		else if (m->has_similarity)
			kit_buf_printf(out, " %.2f", m->similarity);
		kit_buf_puts(out, "</span>");
	}
	if (c->n > shown)
		kit_buf_printf(out, "<span>and %zu more</span>", c->n - shown);
}

static void clusters_section(kit_buf *out, const report *r, const kit_json *s)
{
	long long dropped = dropped_duplicates(s);
	kit_buf_printf(out,
		       "<section id=\"clusters\" data-clusters=\"%zu\" data-marked=\"%lld\" "
		       "data-dropped-duplicates=\"%lld\">\n<h2>Duplicate clusters</h2>\n<p class=\"note\">",
		       r->n_clusters, r->marked, dropped);
	oc_buf_grouped(out, dropped);
	kit_buf_puts(out, dropped == 1 ? " duplicate was dropped" : " duplicates were dropped");
	kit_buf_puts(out, " (reason <code>duplicate-of</code>); ");
	oc_buf_grouped(out, r->marked);
	kit_buf_printf(out, " kept document%s marked as a duplicate, in %zu cluster%s.",
		       r->marked == 1 ? " is" : "s are", r->n_clusters, r->n_clusters == 1 ? "" : "s");
	if (!r->n_clusters) {
		kit_buf_puts(out, " Run the dedup stage with <code>action: mark</code> to see clusters here.</p>\n"
				  "</section>\n");
		return;
	}
	kit_buf_puts(out, "</p>\n<table>\n<thead><tr><th>cluster</th><th class=\"num\">size</th><th>title</th>"
			  "<th>members (similarity)</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->n_clusters && i < (size_t)r->max_clusters; i++) {
		const cluster *c = &r->clusters[i];
		kit_buf_puts(out, "<tr data-cluster=\"");
		put_text(out, c->id);
		kit_buf_printf(out, "\" data-size=\"%zu\"><td><code>", c->n);
		put_text(out, c->id);
		kit_buf_printf(out, "</code></td><td class=\"num\">%zu</td><td>", c->n);
		if (c->title)
			oc_buf_html_cut(out, c->title, strlen(c->title), 90);
		kit_buf_puts(out, "</td><td class=\"members\">");
		members(out, c);
		kit_buf_puts(out, "</td></tr>\n");
	}
	kit_buf_puts(out, "</tbody>\n</table>\n</section>\n");
}

static void sources_section(kit_buf *out, const report *r)
{
	kit_buf_printf(out, "<section id=\"sources\" data-sources=\"%zu\">\n<h2>Sources</h2>\n<p class=\"note\">",
		       r->sources.n);
	if (!r->sources.n) {
		kit_buf_puts(out, "No document names its source (<code>meta.source</code>).</p>\n</section>\n");
		return;
	}
	kit_buf_printf(out, "Articles per <code>meta.source</code>; %zu source%s.</p>\n", r->sources.n,
		       r->sources.n == 1 ? "" : "s");
	tally_bars(out, &r->sources, r->top, "Articles per source", "t4", "data-source", NULL, 720);
	kit_buf_puts(out, "\n</section>\n");
}

void report_html(const report *r, const kit_json *summary, kit_buf *out)
{
	head(out, r);
	header(out, r, summary);
	summary_section(out, summary);
	stages_section(out, summary);
	timeline_section(out, r, summary);
	entities_section(out, r);
	clusters_section(out, r, summary);
	sources_section(out, r);
	kit_buf_puts(out, "<footer>Written by textmill ");
	put_text(out, oc_json_str(summary, "textmill"));
	kit_buf_puts(out, " (output.report). This page is self-contained: it loads nothing from anywhere.</footer>\n"
			  "</main>\n</body>\n</html>\n");
}
