/* boilerplate.c -- which lines of a document are site chrome.
 *
 * A document is read as lines. The article body lies between its first
 * and last "prose" line (see lines.c); the lines before and after are its
 * edges, where portals put their chrome. In order:
 *
 *   1. rule files: keep rules protect a line from everything below; strip
 *      rules cut a fragment off a line; line and regex rules remove it
 *      (edge rules only at the edges); an end rule ends the article;
 *   2. recurring lines learned from earlier documents of the same source;
 *   3. heuristics at the edges: navigation bars (short items between | »
 *      > • ·), counters ("Hôm nay: 1202"), comment and sharing prompts
 *      after the body; and after the body, once a chrome line is met,
 *      everything below it that no keep rule protects;
 *   4. a paragraph repeated word for word (a photo caption that repeats a
 *      sentence of the body) is kept once: an exact repeat goes, and so
 *      does a body paragraph found whole inside a longer one (never a
 *      line above the body, such as the headline a caption quotes).
 */
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

#define BYLINE_MAX_BYTES 80 /* a bare name is short */

static const char *means_names[] = {"none", "list", "heuristic", "recurring", "repeat"};

const char *cl_means_name(cl_means m) { return means_names[m]; }

int cl_bp_doc_init(cl_bp_doc *d)
{
	memset(d, 0, sizeof *d);
	d->md = pcre2_match_data_create(4, NULL);
	return d->md ? 0 : -1;
}

void cl_bp_doc_free(cl_bp_doc *d)
{
	cl_lines_free(&d->lines);
	free(d->bl);
	free(d->active);
	free(d->pairs);
	if (d->md)
		pcre2_match_data_free(d->md);
	cl_buf_free(&d->folds);
	cl_buf_free(&d->fold);
	memset(d, 0, sizeof *d);
}

int cl_boiler_init(cl_boiler *b, const cl_bp_opts *o, const cl_rules *rules, cl_recurring *rec)
{
	memset(b, 0, sizeof *b);
	b->o = *o;
	b->rules = rules;
	b->rec = rec;
	return cl_bp_doc_init(&b->doc);
}

void cl_boiler_free(cl_boiler *b)
{
	cl_bp_doc_free(&b->doc);
	cl_buf_free(&b->out);
	memset(b, 0, sizeof *b);
}

/* ---- heuristics ------------------------------------------------------ */

static int has_time(const char *s, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++) {
		if (!(s[i] >= '0' && s[i] <= '9') || (i && s[i - 1] >= '0' && s[i - 1] <= '9'))
			continue;
		size_t j = i + 1;
		if (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j + 2 < n && (s[j] == ':' || s[j] == 'h' || s[j] == 'g') && s[j + 1] >= '0' && s[j + 1] <= '5' &&
		    s[j + 2] >= '0' && s[j + 2] <= '9')
			return 1;
	}
	return 0;
}

static int count_words(const char *s, size_t n)
{
	cl_line l;
	cl_line_classify(&l, s, n);
	return l.words;
}

/* "Trang chủ | Tin tức | Liên hệ", "23/4/2023 | English | 中文": short
 * items between separators. A line with a time is a dateline, not a menu. */
static int is_navigation(const char *s, size_t n)
{
	if (has_time(s, n))
		return 0;
	int items = 0, seps = 0;
	size_t item = 0;
	for (size_t i = 0; i <= n;) {
		size_t k = 1;
		int32_t cp = i < n ? cl_utf8_get(s + i, n - i, &k) : 0;
		int sep = i == n || cp == '|' || cp == '>' || cp == 0xBB || cp == 0x203A || cp == 0x2022 ||
			  cp == 0xB7 || cp == 0x25BA || cp == 0x2192;
		if (sep) {
			if (i < n)
				seps++;
			int words = count_words(s + item, i - item);
			if (words > 6)
				return 0;
			items += words > 0;
			item = i + k;
		}
		i += k;
	}
	return seps >= 1 && items >= 2;
}

/* "Hôm nay: 1202", "Đang truy cập: 37", "Tổng lượt truy cập: 1.204.389". */
static int is_counter(const char *s, size_t n)
{
	const char *colon = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ':')
			colon = s + i;
	if (!colon || colon == s)
		return 0;
	int digits = 0;
	for (const char *p = colon + 1; p < s + n; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != '.' && *p != ',' && *p != ' ')
			return 0;
	}
	if (!digits)
		return 0;
	for (const char *p = s; p < colon; p++)
		if (*p >= '0' && *p <= '9')
			return 0;
	int words = count_words(s, (size_t)(colon - s));
	return words >= 1 && words <= 5;
}

/* Comment boxes and sharing prompts below the article. */
static int is_interaction(cl_buf *fold, const char *s, size_t n)
{
	static const char *const words[] = {
		"bình luận", "ý kiến", "phản hồi",  "chia sẻ", "trả lời", "đăng nhập",
		"đăng ký",   "in bài", "gửi email", "gửi bài", "bạn đọc", "comment",
		"share",     "reply",  "print",     "log in",  "sign in",
	};
	if (count_words(s, n) > 8 || cl_fold(s, n, fold))
		return 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (cl_contains_words(fold->p, fold->len, words[i], strlen(words[i])))
			return 1;
	return 0;
}

/* A token of a reporter's name: a capitalised word ("Phạm", "VĂN") or
 * initials ("H.Long", "T.H."), letters and dots only. */
static int name_token(const char *s, size_t n, int *initials)
{
	size_t k;
	int32_t cp = cl_utf8_get(s, n, &k);
	if (!cl_is_upper(cp))
		return 0;
	for (size_t i = k; i < n; i += k) {
		cp = cl_utf8_get(s + i, n - i, &k);
		if (cp == '.')
			*initials = 1;
		else if (!cl_vn_is_letter(cp) && !cl_is_wordchar(cp))
			return 0;
		else if (cp >= '0' && cp <= '9')
			return 0;
	}
	return 1;
}

/* A byline as portals put it, prolific reporters' the same on every
 * page: two to five capitalised words ("Trang Phạm", "VĂN PHÚC"), or
 * initials ("H.Long"); names joined by "-", "," or "và"; perhaps an
 * agency in brackets ("(TTXVN)"); or a labelled credit ("Tin, ảnh: …",
 * "PV", "CTV …"). Learning would take it for chrome. */
static int byline_shaped(const char *s, size_t n, const char *folded, size_t fn)
{
	static const char *const labels[] = {"tin:",      "bài:",        "tin, ảnh:",  "tin và ảnh:",
					     "bài, ảnh:", "bài và ảnh:", "bài, ảnh:",  "nhóm pv",
					     "pv ",       "ctv ",        "phóng viên", "tổng hợp"};
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (fn >= strlen(labels[i]) && !memcmp(folded, labels[i], strlen(labels[i])))
			return 1;
	if (n > BYLINE_MAX_BYTES)
		return 0;
	while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	if (n && s[n - 1] == ')') { /* "(TTXVN)" */
		const char *open = memchr(s, '(', n);
		if (!open)
			return 0;
		n = (size_t)(open - s);
	}
	int words = 0, names = 0, initials = 0, in_name = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && s[i] == ' ')
			i++;
		size_t e = i;
		while (e < n && s[e] != ' ')
			e++;
		if (e == i)
			break;
		size_t tn = e - i;
		int comma = s[e - 1] == ',';
		if (comma)
			tn--;
		int joint = (tn == 1 && s[i] == '-') || (tn == 3 && !memcmp(s + i, "\xe2\x80\x93", 3)) ||
			    (tn == 3 && !memcmp(s + i, "và", 3)) || (tn == 1 && s[i] == '&');
		if (joint) {
			if (!in_name)
				return 0;
			in_name = 0;
		} else if (tn && name_token(s + i, tn, &initials)) {
			if (++words > 10)
				return 0;
			names += !in_name;
			in_name = 1;
		} else {
			return 0;
		}
		if (comma)
			in_name = 0;
		i = e;
	}
	return in_name && (words >= 2 * names || initials);
}

/* ---- the steps ------------------------------------------------------- */

static int is_edge(size_t i, size_t first, size_t last, size_t n) { return first == n || i < first || i > last; }

static void remove_line(cl_bp_line *l, cl_means by, const char *why)
{
	if (l->removed || l->protect)
		return;
	l->removed = by;
	l->why = why;
}

static int separator_at(const char *s, size_t n, size_t *k)
{
	int32_t cp = cl_utf8_get(s, n, k);
	return cp == ' ' || cp == '|' || cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == 0xB7 || cp == 0x2022;
}

/* After a cut: no spaces nor separators (| - – — · •) at either end. */
static void trim_separators(const char *text, size_t *start, size_t *len)
{
	size_t k;
	while (*len && separator_at(text + *start, *len, &k))
		*start += k, *len -= k;
	while (*len) {
		size_t at;
		cl_utf8_prev(text + *start, *len, &at);
		if (!separator_at(text + *start + at, *len - at, &k))
			break;
		*len = at;
	}
}

/* The kept part of a line, folded (lower case, single spaces), computed
 * once and shared by the line rules and the recurring table. */
static const char *folded(cl_bp_doc *d, const char *text, cl_bp_line *l, size_t *n)
{
	if (!l->folded) {
		if (cl_fold(text + l->start, l->len, &d->fold))
			return NULL;
		l->fold_off = d->folds.len;
		l->fold_len = d->fold.len;
		if (cl_buf_put(&d->folds, d->fold.p ? d->fold.p : "", d->fold.len))
			return NULL;
		l->folded = 1;
	}
	*n = l->fold_len;
	return d->folds.p + l->fold_off;
}

/* The first pass applies rules meant for every line; the second, once the
 * body is known, the edge rules to the lines outside it. */
static void rules_pass(const cl_bp_opts *o, const cl_rules *r, cl_bp_doc *d, const char *text, int edge_pass)
{
	for (size_t i = 0; i < d->lines.n; i++) {
		cl_bp_line *l = &d->bl[i];
		if (l->removed || d->lines.v[i].chars > o->rule_max_chars)
			continue;
		if (edge_pass && !is_edge(i, d->first, d->last, d->lines.n))
			continue;
		if (!edge_pass &&
		    cl_rules_match(r, d->active, CL_RULE_KEEP, 1, text + l->start, l->len, d->md, NULL, NULL))
			l->protect = 1;
		if (l->protect)
			continue;
		int edge_ok = edge_pass;
		/* Strip rules, again and again while one matches (at most a few).
		 * Not on body paragraphs: chrome gets glued to bylines, datelines
		 * and menus, and an unanchored pattern would scan every sentence. */
		for (int round = 0; round < 4 && l->len && !l->info.prose; round++) {
			size_t so, eo;
			const cl_rule *rule = cl_rules_match(r, d->active, CL_RULE_STRIP, edge_ok, text + l->start,
							     l->len, d->md, &so, &eo);
			if (!rule || eo <= so)
				break;
			if (edge_pass && !rule->edge)
				break;
			l->stripped = 1;
			l->strip_why = rule->where;
			l->cut_start = l->start + so;
			l->cut_len = eo - so;
			while (l->cut_len && text[l->cut_start] == ' ')
				l->cut_start++, l->cut_len--;
			if (so == 0) {
				l->start += eo;
				l->len -= eo;
			} else {
				l->len = so; /* what follows the cut goes with it */
			}
			trim_separators(text, &l->start, &l->len);
		}
		if (l->stripped && !l->len) {
			remove_line(l, CL_BY_LIST, l->strip_why);
			continue;
		}
		if (l->stripped)
			l->folded = 0;
		/* Folding keeps at least half the bytes of normalized text: a line
		 * that long cannot equal any line rule. */
		size_t fn;
		const char *f = kit_map_count(&r->lines) && l->len / 2 <= r->longest_line ? folded(d, text, l, &fn)
											  : NULL;
		const cl_rule *rule = f ? cl_rules_match_line(r, d->active, edge_ok, f, fn) : NULL;
		if (!rule)
			rule = cl_rules_match(r, d->active, CL_RULE_REGEX, edge_ok, text + l->start, l->len, d->md,
					      NULL, NULL);
		/* Lines learned by an older run may hold bylines: they stay. */
		if (rule && rule->learned && f && byline_shaped(text + l->start, l->len, f, fn))
			rule = NULL;
		if (rule && (!edge_pass || rule->edge))
			remove_line(l, rule->learned ? CL_BY_RECURRING : CL_BY_LIST, rule->where);
	}
}

static void find_body(cl_bp_doc *d)
{
	d->first = d->last = d->lines.n;
	for (size_t i = 0; i < d->lines.n; i++) {
		if (d->bl[i].removed || !d->bl[i].info.prose)
			continue;
		if (d->first == d->lines.n)
			d->first = i;
		d->last = i;
	}
}

/* The lines the recurring table counts, and their keys: those not
 * already removed or protected, short, with letters, at the edges unless
 * recurring_anywhere, and not shaped like a byline. */
static int recurring_prepare(const cl_bp_opts *o, cl_bp_doc *d, const char *text, const char *group)
{
	uint64_t seed = cl_recurring_seed(group);
	for (size_t i = 0; i < d->lines.n; i++) {
		cl_bp_line *l = &d->bl[i];
		if (l->removed || l->protect || !l->info.letters || l->info.chars > o->recurring_max_chars)
			continue;
		if (l->info.prose && !o->recurring_anywhere)
			continue; /* body text: it could never be removed at the edges */
		size_t fn;
		const char *f = folded(d, text, l, &fn);
		if (!f)
			return -1;
		if (byline_shaped(text + l->start, l->len, f, fn))
			continue; /* a reporter who writes often is not chrome */
		l->rec_key = cl_recurring_key(seed, f, fn);
		l->rec_candidate = 1;
	}
	return 0;
}

/* In input order: what earlier documents of the source taught decides. */
static int recurring_pass(cl_boiler *b, cl_bp_doc *d, const char *text, const char *group, cl_bp_result *res)
{
	if (!b->rec)
		return 0;
	size_t learned_before = b->rec->n_learned;
	cl_recurring_begin(b->rec);
	for (size_t i = 0; i < d->lines.n; i++) {
		cl_bp_line *l = &d->bl[i];
		if (!l->rec_candidate)
			continue;
		int known = cl_recurring_known(b->rec, l->rec_key);
		if (cl_recurring_count(b->rec, l->rec_key, group, text + l->start, l->len))
			return -1;
		if (known && (b->o.recurring_anywhere || is_edge(i, d->first, d->last, d->lines.n)))
			remove_line(l, CL_BY_RECURRING, "learned");
	}
	res->learned = (long)(b->rec->n_learned - learned_before);
	return 0;
}

static int heuristic_applies(const cl_bp_opts *o, const cl_bp_doc *d, size_t i)
{
	const cl_bp_line *l = &d->bl[i];
	return !l->removed && !l->protect && is_edge(i, d->first, d->last, d->lines.n) &&
	       d->lines.v[i].chars <= o->rule_max_chars;
}

/* Which heuristic each edge line matches; the second phase removes those
 * that the recurring table left. */
static int heuristics_prepare(const cl_bp_opts *o, cl_bp_doc *d, const char *text)
{
	size_t n = d->lines.n, first = d->first, last = d->last;
	for (size_t i = 0; i < n; i++) {
		cl_bp_line *l = &d->bl[i];
		if (!heuristic_applies(o, d, i))
			continue;
		const char *s = text + l->start;
		if (is_navigation(s, l->len))
			l->heur = "navigation";
		else if (is_counter(s, l->len))
			l->heur = "counter";
		else if (first < n && i > last && is_interaction(&d->fold, s, l->len))
			l->heur = "comment";
	}
	/* The reporter's name closes the article, also below chrome that
	 * takes the lines after it (a learned "Đội hình thi đấu" over a
	 * match's line-ups): it is no part of that block. */
	cl_bp_line *l = n ? &d->bl[n - 1] : NULL;
	if (l && !l->removed && !l->info.prose && first < n && n - 1 > last) {
		size_t fn;
		const char *f = folded(d, text, l, &fn);
		if (!f)
			return -1;
		l->last_byline = byline_shaped(text + l->start, l->len, f, fn);
	}
	return 0;
}

static void heuristics_pass(cl_boiler *b, cl_bp_doc *d)
{
	size_t n = d->lines.n, first = d->first, last = d->last;
	for (size_t i = 0; i < n; i++)
		if (d->bl[i].heur && heuristic_applies(&b->o, d, i))
			remove_line(&d->bl[i], CL_BY_HEURISTIC, d->bl[i].heur);
	if (first == n)
		return;
	/* Below the body, chrome comes in one block: from the first chrome
	 * line on, everything goes but what a keep rule protects. */
	size_t cut = n;
	for (size_t i = last + 1; i < n && cut == n; i++)
		if (d->bl[i].removed || d->bl[i].stripped)
			cut = i;
	for (size_t i = cut + 1; i < n; i++)
		if (!d->bl[i].last_byline)
			remove_line(&d->bl[i], CL_BY_HEURISTIC, "after-chrome");
}

static void end_pass(const cl_bp_opts *o, const cl_rules *r, cl_bp_doc *d, const char *text)
{
	size_t n = d->lines.n;
	if (d->first == n)
		return;
	for (size_t i = d->first + 1; i < n; i++) {
		cl_bp_line *l = &d->bl[i];
		if (l->removed || l->protect || d->lines.v[i].chars > o->rule_max_chars)
			continue;
		const cl_rule *rule = cl_rules_match(r, d->active, CL_RULE_END, 1, text + l->start, l->len, d->md,
						     NULL, NULL);
		if (!rule)
			continue;
		for (size_t j = i; j < n; j++)
			remove_line(&d->bl[j], CL_BY_LIST, rule->where);
		return;
	}
}

/* A bit for a hash of each two adjacent bytes: a line that holds
 * another has all of the other's bits, so most pairs of lines need no
 * search. 256 bits, as a paragraph's pairs would fill 64. */
static void byte_pairs(const char *s, size_t n, uint64_t bits[4])
{
	bits[0] = bits[1] = bits[2] = bits[3] = 0;
	for (size_t i = 1; i < n; i++) {
		uint32_t h = ((uint32_t)(unsigned char)s[i - 1] << 8 | (unsigned char)s[i]) * 0x9E3779B1u;
		bits[h >> 30] |= 1ULL << (h >> 24 & 63);
	}
}

/* The first line from `from` on, before i, with the same text as i. */
static size_t first_same(const cl_bp_doc *d, const char *text, size_t i, size_t from)
{
	const cl_bp_line *l = &d->bl[i];
	for (size_t j = from; j < i; j++)
		if (d->bl[j].len == l->len && !d->bl[j].removed &&
		    !memcmp(text + d->bl[j].start, text + l->start, l->len))
			return j;
	return CL_BP_NONE;
}

/* The first longer line from `from` on that holds line i at word edges. */
static size_t first_holder(const cl_bp_doc *d, const char *text, size_t i, size_t from)
{
	const cl_bp_line *l = &d->bl[i];
	const uint64_t *p = d->pairs[i];
	for (size_t j = from; j < d->lines.n; j++) {
		const cl_bp_line *m = &d->bl[j];
		if (j == i || m->removed || m->len <= l->len)
			continue;
		const uint64_t *q = d->pairs[j];
		if ((p[0] & ~q[0]) | (p[1] & ~q[1]) | (p[2] & ~q[2]) | (p[3] & ~q[3]))
			continue;
		if (cl_contains_words(text + m->start, m->len, text + l->start, l->len))
			return j;
	}
	return CL_BP_NONE;
}

static int repeat_counts(const cl_bp_opts *o, const cl_bp_line *l)
{
	return !l->removed && l->info.words >= o->repeat_min_words;
}

/* A paragraph found whole inside a longer one. Only paragraphs of up to
 * 400 bytes are looked for (captions, the usual repeats, are short), in
 * documents of up to 500 lines, so the work stays bounded. The lines
 * above the body are the original: a headline that a caption below
 * quotes stays. */
static int may_be_inside(const cl_bp_opts *o, const cl_bp_doc *d, size_t i)
{
	const cl_bp_line *l = &d->bl[i];
	size_t n = d->lines.n;
	return n <= 500 && i >= (d->first == n ? 0 : d->first) && repeat_counts(o, l) && !l->protect && l->len <= 400;
}

/* Each line's first earlier twin and first holder among the lines there
 * now; the second phase takes the next one only if that one went. */
static int repeat_prepare(const cl_bp_opts *o, cl_bp_doc *d, const char *text)
{
	size_t n = d->lines.n;
	if (n <= 500 && d->cap_pairs < n) {
		uint64_t(*v)[4] = realloc(d->pairs, n * sizeof *v);
		if (!v)
			return -1;
		d->pairs = v, d->cap_pairs = n;
	}
	for (size_t i = 0; n <= 500 && i < n; i++)
		byte_pairs(text + d->bl[i].start, d->bl[i].len, d->pairs[i]);
	for (size_t i = 0; i < n; i++) {
		cl_bp_line *l = &d->bl[i];
		if (repeat_counts(o, l))
			l->same_as = first_same(d, text, i, 0);
		if (may_be_inside(o, d, i))
			l->inside = first_holder(d, text, i, 0);
	}
	return 0;
}

static int repeat_pass(cl_boiler *b, cl_bp_doc *d, const char *text)
{
	size_t n = d->lines.n;
	/* The same paragraph twice: the later one goes. */
	for (size_t i = 0; i < n; i++) {
		cl_bp_line *l = &d->bl[i];
		if (!repeat_counts(&b->o, l) || l->same_as == CL_BP_NONE)
			continue;
		size_t j = l->same_as;
		if (d->bl[j].removed)
			j = first_same(d, text, i, j + 1);
		if (j != CL_BP_NONE)
			remove_line(l, CL_BY_REPEAT, "repeat");
	}
	for (size_t i = 0; i < n; i++) {
		cl_bp_line *l = &d->bl[i];
		if (!may_be_inside(&b->o, d, i) || l->inside == CL_BP_NONE)
			continue;
		size_t j = l->inside;
		if (d->bl[j].removed) /* went since: look further, as the first phase did */
			j = first_holder(d, text, i, j + 1);
		if (j != CL_BP_NONE)
			remove_line(l, CL_BY_REPEAT, "repeat");
	}
	return 0;
}

static int build(cl_boiler *b, cl_bp_doc *d, const char *text, cl_bp_result *res)
{
	cl_buf_clear(&b->out);
	int any = 0, blank = 0, letters = 0;
	for (size_t i = 0; i < d->lines.n; i++) {
		cl_bp_line *l = &d->bl[i];
		blank |= l->info.blank_before;
		if (l->removed) {
			res->by[l->removed]++;
			continue;
		}
		res->stripped += l->stripped;
		if (any && cl_buf_put(&b->out, "\n\n", blank ? 2 : 1))
			return -1;
		if (cl_buf_put(&b->out, text + l->start, l->len))
			return -1;
		any = 1;
		blank = 0;
		letters |= l->info.letters;
	}
	res->text = b->out.p ? b->out.p : "";
	res->len = b->out.len;
	res->empty = !letters;
	return 0;
}

int cl_boiler_prepare(const cl_bp_opts *o, const cl_rules *rules, cl_bp_doc *d, const char *text, size_t len,
		      const char *group)
{
	if (cl_lines_split(&d->lines, text, len))
		return -1;
	size_t n = d->lines.n;
	if (d->cap_bl < n) {
		cl_bp_line *v = realloc(d->bl, n * sizeof *v);
		if (!v)
			return -1;
		d->bl = v, d->cap_bl = n;
	}
	cl_buf_clear(&d->folds);
	for (size_t i = 0; i < n; i++) {
		cl_bp_line *l = &d->bl[i];
		memset(l, 0, sizeof *l);
		l->start = l->orig_start = d->lines.v[i].start;
		l->len = l->orig_len = d->lines.v[i].len;
		l->info = d->lines.v[i];
		l->same_as = l->inside = CL_BP_NONE;
	}
	size_t n_sec = rules->n_sections ? rules->n_sections : 1;
	if (d->cap_active < n_sec) {
		unsigned char *v = realloc(d->active, n_sec);
		if (!v)
			return -1;
		d->active = v, d->cap_active = n_sec;
	}
	d->active[0] = 1;
	cl_rules_activate(rules, group, d->active);

	d->first = d->last = n;
	rules_pass(o, rules, d, text, 0);
	for (size_t i = 0; i < n; i++)
		if (d->bl[i].stripped && !d->bl[i].removed)
			cl_line_classify(&d->bl[i].info, text + d->bl[i].start, d->bl[i].len);
	find_body(d);
	rules_pass(o, rules, d, text, 1);
	end_pass(o, rules, d, text);
	if (o->recurring && recurring_prepare(o, d, text, group))
		return -1;
	if (o->heuristics && heuristics_prepare(o, d, text))
		return -1;
	if (o->repeats && repeat_prepare(o, d, text))
		return -1;
	return 0;
}

int cl_boiler_finish(cl_boiler *b, cl_bp_doc *d, const char *text, size_t len, const char *group, cl_bp_result *res)
{
	memset(res, 0, sizeof *res);
	if (b->o.recurring && recurring_pass(b, d, text, group, res))
		return -1;
	if (b->o.heuristics)
		heuristics_pass(b, d);
	if (b->o.repeats && repeat_pass(b, d, text))
		return -1;
	if (build(b, d, text, res))
		return -1;
	res->changed = res->len != len || memcmp(res->text, text, len) != 0;
	return 0;
}

int cl_boiler_run(cl_boiler *b, const char *text, size_t len, const char *group, cl_bp_result *res)
{
	if (cl_boiler_prepare(&b->o, b->rules, &b->doc, text, len, group))
		return -1;
	return cl_boiler_finish(b, &b->doc, text, len, group, res);
}
