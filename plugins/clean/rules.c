/* rules.c -- reading boilerplate rule files and matching lines to them.
 *
 * A rule file is plain text, one rule a line, so adding a site's chrome is
 * a matter of pasting its lines in:
 *
 *     # comment
 *     line  Bình luận                  a whole line (case and spacing ignored)
 *     regex ^Hôm nay\s*:\s*[\d.,]+$    a line the pattern matches
 *     strip \s*In bài viết$            cut what matches, keep the rest
 *     end   ^Tin liên quan$            the article ends at this line
 *     keep  ^Tin, ảnh:                 never remove such a line
 *     edge regex ^Cổng thông tin …     only outside the article body
 *     [source *.example.vn]            later rules: only for those sources
 *     [*]                              later rules: for every source again
 *
 * Patterns are PCRE2 with Unicode classes, matched case-insensitively
 * (write (?-i) to match case). Exact lines go in a hash table; patterns
 * are compiled once, with the JIT when the platform has one. */
#define _GNU_SOURCE
#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *kind_names[CL_RULE_KINDS] = {"line", "regex", "strip", "end", "keep"};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t line_hash(int section, const char *folded, size_t n)
{
	return cl_hash(folded, n, (uint64_t)section * 0x9E3779B97F4A7C15ull);
}

/* Slots hold rule index + 1; the same line twice: the first rule answers. */
static int slots_add(cl_rules *r, uint64_t h, size_t rule)
{
	int added;
	uint64_t *slot = kit_map_put(&r->lines, h, &added);
	if (!slot)
		return -1;
	if (added)
		*slot = rule + 1;
	return 0;
}

static int find_section(cl_rules *r, const char *glob, size_t n)
{
	for (size_t i = 1; i < r->n_sections; i++)
		if (strlen(r->sections[i]) == n && !memcmp(r->sections[i], glob, n))
			return (int)i;
	char **v = realloc(r->sections, (r->n_sections ? r->n_sections + 1 : 2) * sizeof *v);
	if (!v)
		return -1;
	r->sections = v;
	if (!r->n_sections)
		r->sections[r->n_sections++] = NULL;
	if (!(r->sections[r->n_sections] = kit_strndup(glob, n)))
		return -1;
	return (int)r->n_sections++;
}

static int add_rule(cl_rules *r, cl_rule_kind kind, int edge, int learned, int section, const char *where,
		    const char *arg, size_t n, char *err, size_t errlen)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		cl_rule *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return fail(err, errlen, "%s: out of memory", where);
		r->v = v, r->cap = cap;
	}
	cl_rule *rule = &r->v[r->n];
	memset(rule, 0, sizeof *rule);
	rule->kind = kind;
	rule->edge = edge;
	rule->learned = learned;
	rule->section = section;
	if (!(rule->where = strdup(where)))
		return fail(err, errlen, "%s: out of memory", where);
	if (kind == CL_RULE_LINE) {
		if (cl_fold(arg, n, &r->fold) || !(rule->text = kit_strndup(r->fold.p, r->fold.len))) {
			free(rule->where);
			return fail(err, errlen, "%s: out of memory", where);
		}
		r->n++;
		if (r->fold.len > r->longest_line)
			r->longest_line = r->fold.len;
		if (slots_add(r, line_hash(section, r->fold.p, r->fold.len), r->n - 1))
			return fail(err, errlen, "%s: out of memory", where);
		return 0;
	}
	int code;
	PCRE2_SIZE at;
	rule->re = pcre2_compile((PCRE2_SPTR)arg, n, PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &code, &at, NULL);
	if (!rule->re) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(code, msg, sizeof msg);
		free(rule->where);
		if (code == PCRE2_ERROR_HEAP_FAILED) /* the pattern may be fine */
			return fail(err, errlen, "%s: out of memory", where);
		return fail(err, errlen, "%s: bad pattern at character %zu: %s", where, (size_t)at + 1, (char *)msg);
	}
	pcre2_jit_compile(rule->re, PCRE2_JIT_COMPLETE); /* without a JIT, patterns still work */
	if (!(rule->text = kit_strndup(arg, n))) {
		pcre2_code_free(rule->re);
		free(rule->where);
		return fail(err, errlen, "%s: out of memory", where);
	}
	r->n++;
	return 0;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Patterns with back-references would renumber when joined, and a (?x)
 * comment would swallow what follows it: those stay alone. */
static int joinable(const char *pattern)
{
	for (const char *p = pattern; *p; p++) {
		if (*p == '\\' && p[1] && strchr("123456789gk", p[1]))
			return 0;
		if (p[0] == '(' && p[1] == '?')
			for (const char *q = p + 2; *q && *q != ')' && *q != ':'; q++)
				if (*q == 'x')
					return 0;
	}
	return 1;
}

static void free_groups(cl_rules *r)
{
	for (size_t k = 0; k < r->n_groups; k++) {
		if (r->groups[k].any)
			pcre2_code_free(r->groups[k].any);
		free(r->groups[k].rules);
	}
	free(r->groups);
	r->groups = NULL;
	r->n_groups = 0;
	r->grouped = 0;
}

/* Group the regex rules; done again after each file, as groups span files. */
static void build_groups(cl_rules *r)
{
	free_groups(r);
	r->grouped = 1;
	for (size_t i = 0; i < r->n; i++) {
		const cl_rule *rule = &r->v[i];
		if (rule->kind == CL_RULE_LINE)
			continue;
		cl_rule_group *g = NULL;
		for (size_t k = 0; k < r->n_groups && !g; k++)
			if (r->groups[k].kind == rule->kind && r->groups[k].edge == rule->edge &&
			    r->groups[k].section == rule->section)
				g = &r->groups[k];
		if (!g) {
			cl_rule_group *v = realloc(r->groups, (r->n_groups + 1) * sizeof *v);
			if (!v) {
				free_groups(r); /* without groups every rule is simply tried */
				return;
			}
			r->groups = v;
			g = &r->groups[r->n_groups++];
			memset(g, 0, sizeof *g);
			g->kind = rule->kind, g->edge = rule->edge, g->section = rule->section;
		}
		size_t *idx = realloc(g->rules, (g->n + 1) * sizeof *idx);
		if (!idx) {
			free_groups(r);
			return;
		}
		g->rules = idx;
		g->rules[g->n++] = i;
	}
	for (size_t k = 0; k < r->n_groups; k++) {
		cl_rule_group *g = &r->groups[k];
		cl_buf all = {0};
		int ok = g->n > 1;
		for (size_t j = 0; ok && j < g->n; j++) {
			const char *pat = r->v[g->rules[j]].text;
			ok = joinable(pat) && !(j && cl_buf_putc(&all, '|')) && !cl_buf_puts(&all, "(?:") &&
			     !cl_buf_puts(&all, pat) && !cl_buf_putc(&all, ')');
		}
		if (ok) {
			int code;
			PCRE2_SIZE at;
			g->any = pcre2_compile((PCRE2_SPTR)all.p, all.len, PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS,
					       &code, &at, NULL);
			if (g->any)
				pcre2_jit_compile(g->any, PCRE2_JIT_COMPLETE);
		}
		cl_buf_free(&all);
	}
}

int cl_rules_parse(cl_rules *r, const char *name, const char *text, size_t len, int learned, char *err, size_t errlen)
{
	int section = 0;
	size_t lineno = 0;
	char where[512];
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *s = text + i;
		size_t n = end - i;
		i = end + 1;
		lineno++;
		if (lineno == 1 && n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
			s += 3, n -= 3;
		while (n && (is_blank(s[n - 1]) || s[n - 1] == '\r'))
			n--;
		while (n && is_blank(*s))
			s++, n--;
		if (!n || *s == '#')
			continue;
		snprintf(where, sizeof where, "%s:%zu", name, lineno);
		if (*s == '[') {
			if (s[n - 1] != ']')
				return fail(err, errlen, "%s: a section is written [source GLOB] or [*]", where);
			const char *in = s + 1;
			size_t m = n - 2;
			while (m && is_blank(*in))
				in++, m--;
			while (m && is_blank(in[m - 1]))
				m--;
			if ((m == 1 && *in == '*') || (m == 3 && !memcmp(in, "all", 3))) {
				section = 0;
				continue;
			}
			if (m < 7 || memcmp(in, "source", 6) || !is_blank(in[6]))
				return fail(err, errlen, "%s: a section is written [source GLOB] or [*]", where);
			in += 7, m -= 7;
			while (m && is_blank(*in))
				in++, m--;
			if (!m)
				return fail(err, errlen, "%s: [source] needs a pattern, e.g. [source *.example.vn]",
					    where);
			if ((section = find_section(r, in, m)) < 0)
				return fail(err, errlen, "%s: out of memory", where);
			continue;
		}
		int edge = 0;
		size_t w = 0;
		while (w < n && !is_blank(s[w]))
			w++;
		if (w == 4 && !memcmp(s, "edge", 4)) {
			edge = 1;
			while (w < n && is_blank(s[w]))
				w++;
			s += w, n -= w;
			w = 0;
			while (w < n && !is_blank(s[w]))
				w++;
		}
		int kind = -1;
		for (int k = 0; k < CL_RULE_KINDS; k++)
			if (strlen(kind_names[k]) == w && !memcmp(s, kind_names[k], w))
				kind = k;
		if (kind < 0)
			return fail(err, errlen,
				    "%s: unknown rule '%.*s' (rules are line, regex, strip, end, keep; "
				    "'edge' may come before them)",
				    where, (int)(w > 40 ? 40 : w), s);
		while (w < n && is_blank(s[w]))
			w++;
		if (w == n)
			return fail(err, errlen, "%s: '%s' needs %s after it", where, kind_names[kind],
				    kind == CL_RULE_LINE ? "the text of a line" : "a pattern");
		if (add_rule(r, (cl_rule_kind)kind, edge, learned, section, where, s + w, n - w, err, errlen))
			return -1;
	}
	build_groups(r);
	return 0;
}

static int load_file(cl_rules *r, const char *path, const char *name, int learned, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	cl_buf b = {0};
	char chunk[65536];
	size_t got;
	int rc = 0;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (cl_buf_put(&b, chunk, got)) {
			rc = fail(err, errlen, "%s: out of memory", path);
			break;
		}
	if (!rc && ferror(f))
		rc = fail(err, errlen, "%s: %s", path, strerror(errno));
	fclose(f);
	if (!rc && kit_utf8_valid_prefix(b.p ? b.p : "", b.len) != b.len)
		rc = fail(err, errlen, "%s: not UTF-8 (rule files are UTF-8 text)", path);
	if (!rc)
		rc = cl_rules_parse(r, name, b.p ? b.p : "", b.len, learned, err, errlen);
	cl_buf_free(&b);
	return rc;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int cl_rules_load(cl_rules *r, const char *path, int learned, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st))
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		const char *slash = strrchr(path, '/');
		return load_file(r, path, slash ? slash + 1 : path, learned, err, errlen);
	}
	DIR *d = opendir(path);
	if (!d)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t m = strlen(de->d_name);
		if (de->d_name[0] == '.' || m < 5 || strcmp(de->d_name + m - 4, ".txt"))
			continue;
		char **v = realloc(names, (n + 1) * sizeof *v);
		if (!v || !(v[n] = strdup(de->d_name))) {
			names = v ? v : names;
			rc = fail(err, errlen, "%s: out of memory", path);
			break;
		}
		names = v;
		n++;
	}
	closedir(d);
	if (!rc)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (!rc) {
			char *full = malloc(strlen(path) + strlen(names[i]) + 2);
			if (!full) {
				rc = fail(err, errlen, "%s: out of memory", path);
			} else {
				sprintf(full, "%s/%s", path, names[i]);
				rc = load_file(r, full, names[i], learned, err, errlen);
				free(full);
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

void cl_rules_free(cl_rules *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].where);
		free(r->v[i].text);
		if (r->v[i].re)
			pcre2_code_free(r->v[i].re);
	}
	free(r->v);
	for (size_t i = 1; i < r->n_sections; i++)
		free(r->sections[i]);
	free(r->sections);
	kit_map_free(&r->lines);
	free_groups(r);
	cl_buf_free(&r->fold);
	memset(r, 0, sizeof *r);
}

void cl_rules_activate(const cl_rules *r, const char *group, unsigned char *active)
{
	if (!r->n_sections)
		return;
	active[0] = 1;
	for (size_t i = 1; i < r->n_sections; i++)
		active[i] = fnmatch(r->sections[i], group, 0) == 0;
}

static int section_on(const cl_rules *r, const unsigned char *active, int section)
{
	return section == 0 || (active && (size_t)section < r->n_sections && active[section]);
}

const cl_rule *cl_rules_match_line(const cl_rules *r, const unsigned char *active, int edge_ok, const char *folded,
				   size_t n)
{
	if (!kit_map_count(&r->lines))
		return NULL;
	size_t n_sec = r->n_sections ? r->n_sections : 1;
	for (size_t sec = 0; sec < n_sec; sec++) {
		if (!section_on(r, active, (int)sec))
			continue;
		uint64_t h = line_hash((int)sec, folded, n);
		const uint64_t *slot = kit_map_get(&r->lines, h);
		const cl_rule *rule = slot ? &r->v[*slot - 1] : NULL;
		if (rule && (!rule->edge || edge_ok) && strlen(rule->text) == n && !memcmp(rule->text, folded, n))
			return rule;
	}
	return NULL;
}

const cl_rule *cl_rules_match(const cl_rules *r, const unsigned char *active, cl_rule_kind kind, int edge_ok,
			      const char *s, size_t len, pcre2_match_data *md, size_t *so, size_t *eo)
{
	if (!r->grouped) { /* out of memory while grouping: try every rule */
		for (size_t i = 0; i < r->n; i++) {
			const cl_rule *rule = &r->v[i];
			if (rule->kind != kind || (rule->edge && !edge_ok) || !section_on(r, active, rule->section))
				continue;
			if (pcre2_match(rule->re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, NULL) >= 0) {
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
				if (so)
					*so = ov[0];
				if (eo)
					*eo = ov[1];
				return rule;
			}
		}
		return NULL;
	}
	const cl_rule *best = NULL;
	size_t best_i = 0;
	for (size_t k = 0; k < r->n_groups; k++) {
		const cl_rule_group *g = &r->groups[k];
		if (g->kind != kind || (g->edge && !edge_ok) || !section_on(r, active, g->section))
			continue;
		if (g->any && pcre2_match(g->any, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, NULL) < 0)
			continue;
		for (size_t j = 0; j < g->n; j++) {
			size_t i = g->rules[j];
			if (best && i > best_i)
				break;
			const cl_rule *rule = &r->v[i];
			if (pcre2_match(rule->re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, NULL) >= 0) {
				best = rule, best_i = i;
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
				if (so)
					*so = ov[0];
				if (eo)
					*eo = ov[1];
				break;
			}
		}
	}
	if (best && so) {
		/* The span of the winner, should a later group have overwritten md. */
		pcre2_match(best->re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, NULL);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		*so = ov[0];
		if (eo)
			*eo = ov[1];
	}
	return best;
}
