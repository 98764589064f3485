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

#define FIELD(member) TM_FIELD(cl_metadata_settings, member)

const tm_option cl_metadata_options[] = {
	{.name = "fields",
	 .type = TM_OPT_LIST,
	 .default_value = "[title, published, author, source, views, captions]",
	 FIELD(fields),
	 .help = "the fields to look for (any of title, published, author, source, views, captions)"},
	{.name = "remove_lines",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(remove_lines),
	 .help = "take the lines the fields came from out of the text"},
	{.name = "overwrite",
	 .type = TM_OPT_ENUM,
	 .default_value = "better",
	 .choices = "better|never|always",
	 FIELD(overwrite),
	 .help = "fields the record has: keep (never), or also add the time to a date-only published (better), or replace"},
	{.name = "timezone",
	 .type = TM_OPT_STRING,
	 .default_value = "+07:00",
	 FIELD(timezone),
	 .help = "offset for times that carry none, as +HH:MM"},
	{.name = "date_only",
	 .type = TM_OPT_ENUM,
	 .default_value = "date",
	 .choices = "date|midnight",
	 FIELD(midnight),
	 .help = "a date without a time: as a date (2024-01-18) or at midnight"},
	{.name = "caption_min_words",
	 .type = TM_OPT_INT,
	 .default_value = "10",
	 .min = 1,
	 .max = TM_NO_MAX,
	 FIELD(caption_min_words),
	 .help = "a photo caption has at least this many words"},
	{.name = "caption_max_chars",
	 .type = TM_OPT_INT,
	 .default_value = "400",
	 .min = 1,
	 .max = TM_NO_MAX,
	 FIELD(caption_max_chars),
	 .help = "and at most this many characters"},
	{.name = "title_max_chars",
	 .type = TM_OPT_INT,
	 .default_value = "250",
	 .min = 1,
	 .max = TM_NO_MAX,
	 FIELD(title_max_chars),
	 .help = "a title has at most this many characters"},
	{0},
};

#define GUESS_QUOTE_BYTES 80 /* of the lead, as the evidence of a guessed date */

enum { OVERWRITE_BETTER, OVERWRITE_NEVER, OVERWRITE_ALWAYS }; /* overwrite's choices */

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
	const cl_metadata_settings *set = tm_opt_settings(opts);
	static const char *const names[] = {"title", "published", "author", "source", "views", "captions"};
	cl_meta_opts o = {0};
	for (size_t i = 0; i < set->fields.n; i++) {
		const char *f = set->fields.item[i];
		size_t k = 0;
		while (k < 6 && strcmp(f, names[k]))
			k++;
		if (k == 6)
			return tm_fail(ctx,
				       "%s: unknown field '%s' (the fields are title, published, author, "
				       "source, views, captions)",
				       tm_opt_where(opts, "fields"), f);
		o.fields |= 1u << k;
	}
	o.remove = set->remove_lines;
	o.caption_min_words = (int)(set->caption_min_words > 1000 ? 1000 : set->caption_min_words);
	o.caption_max_chars = (size_t)set->caption_max_chars;
	o.title_max_chars = (size_t)set->title_max_chars;
	s->overwrite = set->overwrite;
	s->midnight = set->midnight;
	const char *tz = set->timezone;
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
	tm_count(ctx, "published-dateline", 1);
	return tm_doc_set_meta_string(doc, "published", iso, n);
}

/* The lead's date, apart from published: {"date", "year": "told" or
 * "inferred", "evidence": the words it was read from}. */
static int set_guess(tm_ctx *ctx, md_stage *s, tm_doc *doc, const char *text)
{
	const cl_meta *m = &s->m;
	/* A document that has its publication date needs no guess. */
	if (!m->guessed.y || tm_doc_meta_json(doc, "published") || !may_set(ctx, s, doc, "published_guess"))
		return TM_OK;
	char iso[40];
	size_t n = cl_format_date(&m->guessed, s->tz, s->midnight, iso, sizeof iso);
	const cl_line *l = &s->x.lines.v[m->guess_line];
	const char *lead = text + l->start;
	size_t quote = cl_meta_head(lead, l->len, GUESS_QUOTE_BYTES);
	while (quote < l->len && quote > 0 && lead[quote] != ' ') /* whole words */
		quote--;
	cl_buf *j = &s->json;
	cl_buf_clear(j);
	kit_buf_puts(j, "{\"date\":");
	kit_json_put_string(j, iso, n);
	kit_buf_puts(j, m->guess_year_told ? ",\"year\":\"told\"" : ",\"year\":\"inferred\"");
	kit_buf_puts(j, ",\"evidence\":");
	kit_json_put_string(j, lead, quote);
	kit_buf_putc(j, '}');
	if (kit_buf_failed(j))
		return tm_fail(ctx, "%s", KIT_OOM);
	tm_count(ctx, "published-guessed", 1);
	return tm_doc_set_meta_json(doc, "published_guess", j->p, j->len);
}

/* A headline-shaped line with evidence against it, apart from title:
 * {"text", "doubt": why it is only a guess}. */
static int set_title_guess(tm_ctx *ctx, md_stage *s, tm_doc *doc)
{
	const cl_meta *m = &s->m;
	if (!m->title_guess.len || tm_doc_meta_json(doc, "title") || !may_set(ctx, s, doc, "title_guess"))
		return TM_OK;
	cl_buf *j = &s->json;
	cl_buf_clear(j);
	kit_buf_puts(j, "{\"text\":");
	kit_json_put_string(j, m->title_guess.p, m->title_guess.len);
	kit_buf_puts(j, ",\"doubt\":");
	kit_json_put_string(j, m->title_doubt, strlen(m->title_doubt));
	kit_buf_putc(j, '}');
	if (kit_buf_failed(j))
		return tm_fail(ctx, "%s", KIT_OOM);
	tm_count(ctx, "title-guessed", 1);
	return tm_doc_set_meta_json(doc, "title_guess", j->p, j->len);
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
	if (set_string(ctx, s, doc, "title", &m->title) || set_title_guess(ctx, s, doc) ||
	    set_published(ctx, s, doc) || set_guess(ctx, s, doc, text) ||
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
