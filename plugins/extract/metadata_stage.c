/* metadata_stage.c -- extract.metadata: options, and how what the text
 * says is merged with metadata the record already has.
 *
 * A field already in the record (a JSON Lines input's meta) is kept:
 * it came from the crawler or an earlier run and is more trustworthy than
 * a guess from the text. The one exception, under overwrite: better, is a
 * published date without a time when the text gives the same day with a
 * time: that is the same fact, said more precisely. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metadata.h"
#include "stages.h"

const tm_option cl_metadata_options[] = {
	{"fields", TM_OPT_LIST, "[title, published, author, source, views, captions]",
	 "the fields to look for (any of title, published, author, source, views, captions)", NULL, 0},
	{"remove_lines", TM_OPT_BOOL, "true", "take the lines the fields came from out of the text", NULL, 0},
	{"overwrite", TM_OPT_ENUM, "better",
	 "fields the record has: keep (never), or also add the time to a date-only published (better), or replace",
	 "better|never|always", 0},
	{"timezone", TM_OPT_STRING, "+07:00", "offset for times that carry none, as +HH:MM", NULL, 0},
	{"date_only", TM_OPT_ENUM, "date", "a date without a time: as a date (2024-01-18) or at midnight",
	 "date|midnight", 0},
	{"caption_min_words", TM_OPT_INT, "10", "a photo caption has at least this many words", NULL, 0},
	{"caption_max_chars", TM_OPT_INT, "400", "and at most this many characters", NULL, 0},
	{"title_max_chars", TM_OPT_INT, "250", "a title has at most this many characters", NULL, 0},
	{NULL, 0, NULL, NULL, NULL, 0},
};

enum { OVERWRITE_BETTER, OVERWRITE_NEVER, OVERWRITE_ALWAYS };

typedef struct md_stage {
	cl_metax x;
	cl_meta m;
	int overwrite, midnight;
	char tz[8];
	cl_buf json;
} md_stage;

int cl_metadata_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	md_stage *s = calloc(1, sizeof *s);
	if (!s)
		return tm_fail(ctx, "out of memory");
	*state = s;
	static const char *const names[] = {"title", "published", "author", "source", "views", "captions"};
	cl_meta_opts o = {0};
	for (size_t i = 0; i < tm_opt_list_len(opts, "fields"); i++) {
		const char *f = tm_opt_list_item(opts, "fields", i);
		size_t k = 0;
		while (k < 6 && strcmp(f, names[k]))
			k++;
		if (k == 6)
			return tm_fail(ctx, "%s: unknown field '%s' (the fields are title, published, author, "
				       "source, views, captions)", tm_opt_where(opts, "fields"), f);
		o.fields |= 1u << k;
	}
	o.remove = tm_opt_bool(opts, "remove_lines");
	long long words = tm_opt_int(opts, "caption_min_words"), chars = tm_opt_int(opts, "caption_max_chars");
	long long title = tm_opt_int(opts, "title_max_chars");
	if (words < 1 || chars < 1 || title < 1) {
		const char *bad = words < 1 ? "caption_min_words" : chars < 1 ? "caption_max_chars" : "title_max_chars";
		return tm_fail(ctx, "%s: %s must be positive", tm_opt_where(opts, bad), bad);
	}
	o.caption_min_words = (int)(words > 1000 ? 1000 : words);
	o.caption_max_chars = (size_t)chars;
	o.title_max_chars = (size_t)title;
	const char *ow = tm_opt_string(opts, "overwrite");
	s->overwrite = !strcmp(ow, "never") ? OVERWRITE_NEVER
		       : !strcmp(ow, "always") ? OVERWRITE_ALWAYS : OVERWRITE_BETTER;
	s->midnight = !strcmp(tm_opt_string(opts, "date_only"), "midnight");
	const char *tz = tm_opt_string(opts, "timezone");
	if (strlen(tz) != 6 || (tz[0] != '+' && tz[0] != '-') || tz[3] != ':' || tz[1] < '0' || tz[1] > '1' ||
	    tz[2] < '0' || tz[2] > '9' || tz[4] < '0' || tz[4] > '5' || tz[5] < '0' || tz[5] > '9')
		return tm_fail(ctx, "%s: timezone is written +HH:MM, e.g. +07:00, not '%s'",
			       tm_opt_where(opts, "timezone"), tz);
	memcpy(s->tz, tz, 7);
	char err[256];
	if (cl_metax_init(&s->x, &o, err, sizeof err))
		return tm_fail(ctx, "cannot set up: %s", err);
	return TM_OK;
}

/* May the field be set? Counts a field kept from the record. */
static int may_set(tm_ctx *ctx, md_stage *s, tm_doc *doc, const char *field)
{
	if (s->overwrite == OVERWRITE_ALWAYS || !tm_doc_meta_json(doc, field))
		return 1;
	tm_count(ctx, "kept-from-record", 1);
	return 0;
}

static int set_string(tm_ctx *ctx, md_stage *s, tm_doc *doc, const char *field, const cl_buf *b)
{
	if (!b->len || !may_set(ctx, s, doc, field))
		return TM_OK;
	tm_count(ctx, field, 1);
	return tm_doc_set_meta_string(doc, field, b->p, b->len);
}

static int set_published(tm_ctx *ctx, md_stage *s, tm_doc *doc)
{
	const cl_meta *m = &s->m;
	if (!m->published.y)
		return TM_OK;
	char iso[40];
	size_t n = cl_format_date(&m->published, s->tz, s->midnight, iso, sizeof iso);
	const char *old = tm_doc_meta_string(doc, "published", NULL);
	if (old && s->overwrite == OVERWRITE_BETTER) {
		cl_date d;
		/* Same day, and the text adds the time: the better value. */
		if (!(cl_parse_iso(old, &d) && !d.has_time && m->published.has_time && d.y == m->published.y &&
		      d.mo == m->published.mo && d.d == m->published.d)) {
			tm_count(ctx, "kept-from-record", 1);
			return TM_OK;
		}
		tm_count(ctx, "published-made-precise", 1);
	} else if (tm_doc_meta_json(doc, "published") && !may_set(ctx, s, doc, "published")) {
		return TM_OK;
	}
	tm_count(ctx, m->published_from_page ? "published-dateline" : "published-in-text", 1);
	return tm_doc_set_meta_string(doc, "published", iso, n);
}

static int set_captions(tm_ctx *ctx, md_stage *s, tm_doc *doc, const char *text)
{
	const cl_meta *m = &s->m;
	if (!m->n_captions)
		return TM_OK;
	cl_buf *j = &s->json;
	cl_buf_clear(j);
	const char *old = tm_doc_meta_json(doc, "captions");
	size_t old_len = old ? strlen(old) : 0;
	int any = 0;
	/* Captions add to those the record has: the lines are gone from the
	 * text either way, so nothing is lost. */
	if (old && s->overwrite != OVERWRITE_ALWAYS && old_len >= 2 && old[0] == '[' && old[old_len - 1] == ']') {
		if (cl_buf_put(j, old, old_len - 1))
			return tm_fail(ctx, "out of memory");
		any = old_len > 2;
	} else if (cl_buf_putc(j, '[')) {
		return tm_fail(ctx, "out of memory");
	}
	for (size_t i = 0; i < m->n_captions; i++) {
		const cl_line *l = &s->x.lines.v[m->captions[i]];
		if (any)
			kit_buf_putc(j, ',');
		kit_json_put_string(j, text + l->start, l->len);
		if (kit_buf_failed(j))
			return tm_fail(ctx, "%s", KIT_OOM);
		any = 1;
	}
	if (cl_buf_putc(j, ']'))
		return tm_fail(ctx, "out of memory");
	tm_count(ctx, "captions", (long long)m->n_captions);
	return tm_doc_set_meta_json(doc, "captions", j->p, j->len);
}

int cl_metadata_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	md_stage *s = state;
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	const char *known = s->overwrite == OVERWRITE_ALWAYS ? NULL : tm_doc_meta_string(doc, "title", NULL);
	if (known && !*known)
		known = NULL;
	if (cl_meta_extract(&s->x, text, len, known, &s->m))
		return tm_fail(ctx, "out of memory");
	cl_meta *m = &s->m;
	if (set_string(ctx, s, doc, "title", &m->title) || set_published(ctx, s, doc) ||
	    set_string(ctx, s, doc, "author", &m->author) || set_string(ctx, s, doc, "source", &m->source) ||
	    set_captions(ctx, s, doc, text))
		return TM_ERROR;
	if (m->views >= 0 && may_set(ctx, s, doc, "views")) {
		tm_count(ctx, "views", 1);
		if (tm_doc_set_meta_number(doc, "views", (double)m->views))
			return TM_ERROR;
	}
	if (!m->changed)
		return TM_OK;
	if (!m->len) {
		tm_doc_drop(doc, "no-body: only metadata lines");
		return TM_OK;
	}
	return tm_doc_set_text(doc, m->text, m->len);
}

void cl_metadata_destroy(void *state)
{
	md_stage *s = state;
	if (!s)
		return;
	cl_metax_free(&s->x);
	cl_meta_free(&s->m);
	cl_buf_free(&s->json);
	free(s);
}
