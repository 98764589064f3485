/* boilerplate_stage.c -- clean.boilerplate: options, source groups,
 * counters, the audit field and the file of learned lines.
 *
 * The stage is serial (no TM_STAGE_PARALLEL): it learns which lines recur
 * across a source's documents while it reads them, and seeing documents
 * in input order makes what it learns, and so its output, the same for
 * any number of workers. What needs only the document itself (lines, the
 * body, the rule files) is done by prepare() on the workers, into a note
 * each document carries to process(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"
#include "stages.h"

#define FIELD(member) TM_FIELD(cl_boilerplate_settings, member)

const tm_option cl_boilerplate_options[] = {
	{.name = "rules",
	 .type = TM_OPT_PATH,
	 FIELD(rules),
	 .help = "rule file, or a directory of *.txt rule files (config/boilerplate)"},
	{.name = "heuristics",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(o.heuristics),
	 .help = "remove navigation, counter and comment lines at the edges"},
	{.name = "repeats",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(o.repeats),
	 .help = "keep a paragraph repeated word for word only once"},
	{.name = "repeat_min_words",
	 .type = TM_OPT_INT,
	 .default_value = "6",
	 .min = 1,
	 .max = 10000,
	 FIELD(o.repeat_min_words),
	 .help = "shorter paragraphs may repeat (e.g. a heading)"},
	{.name = "recurring",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(o.recurring),
	 .help = "learn lines recurring across documents of one source, remove them"},
	{.name = "recurring_min_docs",
	 .type = TM_OPT_INT,
	 .default_value = "5",
	 .min = 2,
	 .max = TM_NO_MAX,
	 FIELD(recurring_min_docs),
	 .help = "documents of one source a line must occur in to be learned"},
	{.name = "recurring_max_chars",
	 .type = TM_OPT_INT,
	 .default_value = "120",
	 .min = 1,
	 .max = 100000,
	 FIELD(o.recurring_max_chars),
	 .help = "longer lines are never learned"},
	{.name = "recurring_scope",
	 .type = TM_OPT_ENUM,
	 .default_value = "edges",
	 .choices = "edges|anywhere",
	 FIELD(o.recurring_anywhere),
	 .help = "where learned lines are removed: edges (outside the body) or anywhere"},
	{.name = "recurring_in",
	 .type = TM_OPT_PATH,
	 FIELD(recurring_in),
	 .help = "lines learned by an earlier run (its recurring_out), applied to every document"},
	{.name = "recurring_out",
	 .type = TM_OPT_PATH,
	 FIELD(recurring_out),
	 .help = "write the lines learned in this run here, as a rule file"},
	{.name = "max_entries",
	 .type = TM_OPT_INT,
	 .default_value = "2000000",
	 .min = 1,
	 .max = 17179869184.0,
	 FIELD(max_entries),
	 .help = "distinct lines remembered while learning (about 32 bytes each)"},
	{.name = "group_by",
	 .type = TM_OPT_ENUM,
	 .default_value = "auto",
	 .choices = "auto|source|url|dir|file|all",
	 FIELD(group_by),
	 .help = "what makes a source: meta.source, the host of meta.url, the input file's directory, the file, or all one"},
	{.name = "rule_max_chars",
	 .type = TM_OPT_INT,
	 .default_value = "300",
	 .min = 1,
	 .max = 1000000,
	 FIELD(o.rule_max_chars),
	 .help = "longer lines are body text: rules and heuristics skip them"},
	{.name = "keep_removed",
	 .type = TM_OPT_BOOL,
	 .default_value = "false",
	 FIELD(keep_removed),
	 .help = "keep the removed lines in a metadata field, for audit"},
	{.name = "removed_field",
	 .type = TM_OPT_STRING,
	 .default_value = "boilerplate",
	 FIELD(removed_field),
	 .help = "the metadata field for keep_removed"},
	{0},
};

enum { GROUP_AUTO, GROUP_SOURCE, GROUP_URL, GROUP_DIR, GROUP_FILE, GROUP_ALL }; /* group_by's choices */

typedef struct bp_stage {
	cl_rules rules;
	cl_recurring rec;
	int use_rec;
	cl_boiler b;
	int group_by;
	int keep_removed;
	char *field;
	char *recurring_out;
	cl_buf json;
} bp_stage;

/* What prepare() hands process() for one document. */
typedef struct bp_note {
	cl_bp_doc d;
	cl_buf group;
} bp_note;

static void note_free(void *p)
{
	bp_note *n = p;
	if (!n)
		return;
	cl_bp_doc_free(&n->d);
	cl_buf_free(&n->group);
	free(n);
}

int cl_boilerplate_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	bp_stage *s = calloc(1, sizeof *s);
	if (!s)
		return tm_fail(ctx, "out of memory");
	*state = s;
	if (cl_vn_init())
		return tm_fail(ctx, "cannot set up the Unicode tables: %s", cl_vn_init_error());
	const cl_boilerplate_settings *set = tm_opt_settings(opts);
	char err[600];
	if (set->rules && cl_rules_load(&s->rules, set->rules, 0, err, sizeof err))
		return tm_fail(ctx, "%s: rules: %s", tm_opt_where(opts, "rules"), err);
	if (set->recurring_in && cl_rules_load(&s->rules, set->recurring_in, 1, err, sizeof err))
		return tm_fail(ctx, "%s: recurring_in: %s", tm_opt_where(opts, "recurring_in"), err);

	s->use_rec = set->o.recurring;
	cl_recurring_init(&s->rec, set->recurring_min_docs, (size_t)set->max_entries);
	if (cl_boiler_init(&s->b, &set->o, &s->rules, s->use_rec ? &s->rec : NULL))
		return tm_fail(ctx, "out of memory");

	s->group_by = set->group_by;
	s->keep_removed = set->keep_removed;
	if (!*set->removed_field)
		return tm_fail(ctx, "%s: removed_field must not be empty", tm_opt_where(opts, "removed_field"));
	s->field = strdup(set->removed_field);
	if (!s->field || (set->recurring_out && !(s->recurring_out = strdup(set->recurring_out))))
		return tm_fail(ctx, "out of memory");
	return TM_OK;
}

/* ---- source groups --------------------------------------------------- */

static int url_host(const char *url, cl_buf *out)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	const char *at = p + strcspn(p, "/?#");
	const char *user = memchr(p, '@', (size_t)(at - p));
	if (user)
		p = user + 1;
	size_t n = strcspn(p, ":/?#");
	if (n >= 4 && !strncmp(p, "www.", 4))
		p += 4, n -= 4;
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (cl_buf_putc(out, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c))
			return -1;
	}
	return 1;
}

/* The input file of a document: its source without a ":LINE" suffix. */
static size_t file_part(const char *src, int *jsonl)
{
	size_t n = strlen(src);
	const char *colon = strrchr(src, ':');
	*jsonl = 0;
	if (colon && colon[1]) {
		const char *d = colon + 1;
		while (*d >= '0' && *d <= '9')
			d++;
		if (!*d) {
			*jsonl = 1;
			return (size_t)(colon - src);
		}
	}
	return n;
}

static int group_of(const bp_stage *s, const tm_doc *doc, cl_buf *g)
{
	cl_buf_clear(g);
	if (s->group_by == GROUP_ALL)
		return cl_buf_put(g, "", 0);
	if (s->group_by == GROUP_AUTO || s->group_by == GROUP_SOURCE) {
		size_t n;
		const char *src = tm_doc_meta_string(doc, "source", &n);
		if (src && n)
			return cl_buf_put(g, src, n);
	}
	if (s->group_by == GROUP_AUTO || s->group_by == GROUP_URL) {
		const char *url = tm_doc_meta_string(doc, "url", NULL);
		if (url) {
			int rc = url_host(url, g);
			if (rc)
				return rc < 0 ? -1 : 0;
		}
	}
	int jsonl;
	const char *src = tm_doc_source(doc);
	size_t n = file_part(src, &jsonl);
	if (s->group_by == GROUP_DIR || (s->group_by == GROUP_AUTO && !jsonl)) {
		const char *slash = NULL;
		for (size_t i = 0; i < n; i++)
			if (src[i] == '/')
				slash = src + i;
		n = slash ? (size_t)(slash - src) : 0;
		if (!n)
			return cl_buf_put(g, ".", 1);
	}
	return cl_buf_put(g, src, n);
}

/* ---- processing ------------------------------------------------------ */

static int audit(bp_stage *s, const cl_bp_doc *d, tm_doc *doc, const char *text)
{
	cl_buf *j = &s->json;
	cl_buf_clear(j);
	const char *old = tm_doc_meta_json(doc, s->field);
	size_t old_len = old ? strlen(old) : 0;
	int append = old && old_len >= 2 && old[0] == '[' && old[old_len - 1] == ']';
	int any = 0;
	if (append) {
		if (cl_buf_put(j, old, old_len - 1))
			return -1;
		any = old_len > 2;
	} else if (cl_buf_putc(j, '[')) {
		return -1;
	}
	for (size_t i = 0; i < d->lines.n; i++) {
		const cl_bp_line *l = &d->bl[i];
		const char *by = NULL, *why = NULL;
		size_t from, len;
		if (l->removed) {
			by = cl_means_name(l->removed), why = l->why;
			from = l->orig_start, len = l->orig_len;
		} else if (l->stripped) {
			by = "list", why = l->strip_why;
			from = l->cut_start, len = l->cut_len;
		} else {
			continue;
		}
		kit_buf_puts(j, any ? ",{\"text\":" : "{\"text\":");
		kit_json_put_string(j, text + from, len);
		kit_buf_printf(j, ",\"by\":\"%s\",\"rule\":", by);
		kit_json_put_string(j, why, strlen(why));
		kit_buf_putc(j, '}');
		if (kit_buf_failed(j))
			return -1;
		any = 1;
	}
	if (cl_buf_putc(j, ']'))
		return -1;
	return tm_doc_set_meta_json(doc, s->field, j->p, j->len);
}

/* On the workers: reads the state (the rules), changes nothing shared. */
int cl_boilerplate_prepare(tm_ctx *ctx, const void *state, tm_doc *doc)
{
	const bp_stage *s = state;
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	bp_note *n = calloc(1, sizeof *n);
	if (!n || cl_bp_doc_init(&n->d) || group_of(s, doc, &n->group) ||
	    cl_boiler_prepare(&s->b.o, &s->rules, &n->d, text, len, n->group.p)) {
		note_free(n);
		return tm_fail(ctx, "out of memory");
	}
	tm_doc_stash(doc, n, note_free);
	return TM_OK;
}

int cl_boilerplate_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	bp_stage *s = state;
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	bp_note *n = tm_doc_stashed(doc);
	if (!n) { /* a host that does not call prepare() */
		if (cl_boilerplate_prepare(ctx, s, doc))
			return TM_ERROR;
		n = tm_doc_stashed(doc);
	}
	cl_bp_result res;
	if (cl_boiler_finish(&s->b, &n->d, text, len, n->group.p, &res))
		return tm_fail(ctx, "out of memory");
	static const char *const names[] = {NULL, "removed-list", "removed-heuristic", "removed-recurring",
					    "removed-repeat"};
	for (int m = CL_BY_LIST; m <= CL_BY_REPEAT; m++)
		if (res.by[m])
			tm_count(ctx, names[m], res.by[m]);
	if (res.stripped)
		tm_count(ctx, "stripped-list", res.stripped);
	if (res.learned)
		tm_count(ctx, "learned-lines", res.learned);
	if (res.empty) {
		tm_doc_drop(doc, "all-boilerplate");
		return TM_OK;
	}
	if (!res.changed)
		return TM_OK;
	if (s->keep_removed && audit(s, &n->d, doc, text))
		return TM_ERROR;
	return tm_doc_set_text(doc, res.text, res.len);
}

/* ---- the file of learned lines ----------------------------------------- */

static int put_glob_escaped(cl_buf *b, const char *s)
{
	for (; *s; s++)
		if ((strchr("*?[]\\", *s) && cl_buf_putc(b, '\\')) || cl_buf_putc(b, *s))
			return -1;
	return 0;
}

int cl_boilerplate_finish(tm_ctx *ctx, void *state)
{
	bp_stage *s = state;
	if (s->rec.full)
		tm_log(ctx, "stopped learning new lines after %zu distinct ones (max_entries)", s->rec.max_entries);
	if (!s->recurring_out)
		return TM_OK;
	cl_buf b = {0};
	char head[256];
	snprintf(head, sizeof head,
		 "# Lines clean.boilerplate found in %d or more documents of one source.\n"
		 "# A rule file: load it with recurring_in, or copy lines into config/boilerplate.\n",
		 s->rec.min_docs);
	const char *kind = s->b.o.recurring_anywhere ? "line " : "edge line ";
	int rc = cl_buf_puts(&b, head);
	/* Grouped by source, groups in the order they were first learned. */
	for (size_t i = 0; !rc && i < s->rec.n_learned; i++) {
		const char *g = s->rec.learned[i].group;
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(s->rec.learned[k].group, g);
		if (seen)
			continue;
		rc = cl_buf_puts(&b, "\n[source ") || put_glob_escaped(&b, g) || cl_buf_puts(&b, "]\n");
		for (size_t k = i; !rc && k < s->rec.n_learned; k++)
			if (!strcmp(s->rec.learned[k].group, g))
				rc = cl_buf_puts(&b, kind) || cl_buf_puts(&b, s->rec.learned[k].text) ||
				     cl_buf_putc(&b, '\n');
	}
	if (rc) {
		cl_buf_free(&b);
		return tm_fail(ctx, "out of memory");
	}
	tm_file *f = tm_file_open(ctx, s->recurring_out);
	if (!f || tm_file_write(f, b.p, b.len)) {
		tm_file_abort(f);
		cl_buf_free(&b);
		return TM_ERROR;
	}
	cl_buf_free(&b);
	if (tm_file_commit(f))
		return TM_ERROR;
	tm_log(ctx, "%zu recurring lines learned, written to %s", s->rec.n_learned, s->recurring_out);
	return TM_OK;
}

void cl_boilerplate_destroy(void *state)
{
	bp_stage *s = state;
	if (!s)
		return;
	cl_boiler_free(&s->b);
	cl_recurring_free(&s->rec);
	cl_rules_free(&s->rules);
	cl_buf_free(&s->json);
	free(s->field);
	free(s->recurring_out);
	free(s);
}
