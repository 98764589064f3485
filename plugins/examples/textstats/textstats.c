/* textstats.c -- an example stage: counts characters, words, sentences
 * and paragraphs and writes them into a metadata field.
 * docs/writing-plugins.md walks through this file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textmill/textmill.h>

/* The stage's settings: the host fills them from the options table
 * below, checked, before create() runs. */
typedef struct textstats {
	const char *field;
	int min_words;
	const char *stopwords; /* a file of words that are not counted, one a line */
	tm_strings counts;     /* the counts to write; unset: all four */
} textstats;

/* What a running stage holds beside its settings. */
typedef struct stage {
	const textstats *t;
	char *file;        /* the stop words' file, each line ended by a NUL */
	const char **stop; /* its words, sorted for bsearch */
	size_t n_stop;
	unsigned write; /* bit k: COUNT_NAMES[k] goes into the field */
} stage;

static const char *const COUNT_NAMES[] = {"chars", "words", "sentences", "paragraphs"};

typedef struct counts {
	long chars, words, sentences, paragraphs;
} counts;

static int by_text(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Read the stop words: one a line, blank lines and a line's \r ignored. */
static int load_stopwords(stage *s, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t len = 0, cap = 4096;
	char *p = malloc(cap + 1);
	size_t n;
	while (p && (n = fread(p + len, 1, cap - len, f)) > 0)
		if ((len += n) == cap && !(p = realloc(p, (cap *= 2) + 1)))
			break;
	int failed = !p || ferror(f);
	fclose(f);
	if (failed) {
		free(p);
		return -1;
	}
	p[len] = 0;
	s->file = p;
	for (char *line = p; *line;) {
		char *end = line + strcspn(line, "\n");
		int last = !*end;
		*end = 0;
		if (end > line && end[-1] == '\r')
			end[-1] = 0;
		const char **more = *line ? realloc(s->stop, (s->n_stop + 1) * sizeof *s->stop) : s->stop;
		if (!more)
			return -1;
		s->stop = more;
		if (*line)
			s->stop[s->n_stop++] = line;
		line = last ? end : end + 1;
	}
	if (s->n_stop)
		qsort(s->stop, s->n_stop, sizeof *s->stop, by_text);
	return 0;
}

static int textstats_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	const textstats *t = tm_opt_settings(opts);
	if (!*t->field)
		return tm_fail(ctx, "%s: field must not be empty", tm_opt_where(opts, "field"));
	stage *s = calloc(1, sizeof *s);
	if (!s)
		return tm_fail(ctx, "out of memory");
	*state = s; /* from here on, destroy() frees it, even if create fails */
	s->t = t;
	s->write = t->counts.item ? 0 : 0xF;
	for (size_t i = 0; i < t->counts.n; i++) {
		size_t k = 0;
		while (k < 4 && strcmp(t->counts.item[i], COUNT_NAMES[k]))
			k++;
		if (k == 4)
			return tm_fail(ctx, "%s: no count called '%s' (chars, words, sentences, paragraphs)",
				       tm_opt_where(opts, "counts"), t->counts.item[i]);
		s->write |= 1u << k;
	}
	if (t->stopwords && load_stopwords(s, t->stopwords))
		return tm_fail(ctx, "%s: cannot read %s: %s", tm_opt_where(opts, "stopwords"), t->stopwords,
			       strerror(errno ? errno : ENOMEM));
	return TM_OK;
}

static void textstats_destroy(void *state)
{
	stage *s = state;
	if (!s)
		return;
	free(s->stop);
	free(s->file);
	free(s);
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int ends_sentence(unsigned char c) { return c == '.' || c == '!' || c == '?'; }

/* Is s[0..n) one of the stop words? */
static int is_stop(const stage *st, const char *s, size_t n)
{
	size_t lo = 0, hi = st->n_stop;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(st->stop[mid], s, n);
		if (!c)
			c = st->stop[mid][n] ? 1 : 0;
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static counts count(const stage *st, const char *s, size_t len)
{
	counts c = {0, 0, 0, 0};
	int in_word = 0, in_paragraph = 0, pending_stop = 0;
	size_t word_at = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch & 0xC0) != 0x80)
			c.chars++; /* one per UTF-8 lead byte */
		if (ch == '\n' && i + 1 < len && s[i + 1] == '\n' && in_paragraph) {
			c.paragraphs++, in_paragraph = 0;
		}
		if (ch == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)
			continue; /* the lead byte of a no-break space: wait for its end */
		if (is_space(ch) || (ch == 0xA0 && i > 0 && (unsigned char)s[i - 1] == 0xC2)) {
			if (pending_stop)
				c.sentences++, pending_stop = 0;
			if (in_word && is_stop(st, s + word_at, i - word_at - (ch == 0xA0)))
				c.words--;
			in_word = 0;
			continue;
		}
		if (!in_word)
			c.words++, in_word = 1, word_at = i;
		in_paragraph = 1;
		pending_stop = ends_sentence(ch);
	}
	if (in_word && is_stop(st, s + word_at, len - word_at))
		c.words--;
	if (pending_stop)
		c.sentences++;
	if (in_paragraph)
		c.paragraphs++;
	return c;
}

static int textstats_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	const stage *st = state;
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	counts c = count(st, text, len);
	const long values[] = {c.chars, c.words, c.sentences, c.paragraphs};
	char json[160];
	int n = 0;
	for (int k = 0; k < 4; k++)
		if (st->write >> k & 1)
			n += snprintf(json + n, sizeof json - (size_t)n, "%s\"%s\":%ld", n ? "," : "{",
				      COUNT_NAMES[k], values[k]);
	n += snprintf(json + n, sizeof json - (size_t)n, n ? "}" : "{}");
	if (tm_doc_set_meta_json(doc, st->t->field, json, (size_t)n))
		return TM_ERROR;
	if (c.words < st->t->min_words)
		tm_doc_drop(doc, "few-words");
	tm_count(ctx, "words", c.words);
	return TM_OK;
}

static const tm_option textstats_options[] = {
	{.name = "field",
	 .type = TM_OPT_STRING,
	 .default_value = "stats",
	 TM_FIELD(textstats, field),
	 .help = "metadata field to write the counts to"},
	{.name = "min_words",
	 .type = TM_OPT_INT,
	 .default_value = "0",
	 .min = 0,
	 .max = TM_NO_MAX,
	 TM_FIELD(textstats, min_words),
	 .help = "drop documents with fewer words"},
	{.name = "stopwords",
	 .type = TM_OPT_PATH,
	 TM_FIELD(textstats, stopwords),
	 .help = "a file of words not to count, one a line"},
	{.name = "counts",
	 .type = TM_OPT_LIST,
	 TM_FIELD(textstats, counts),
	 .help = "the counts to write: chars, words, sentences, paragraphs (default: all)"},
	{0},
};

static const tm_stage_type stages[] = {{
	.name = "example.textstats",
	.summary = "count characters, words, sentences and paragraphs into meta",
	.options = textstats_options,
	.settings_size = sizeof(textstats),
	.flags = TM_STAGE_PARALLEL,
	.create = textstats_create,
	.process = textstats_process,
	.destroy = textstats_destroy,
}};

TM_PLUGIN(stages);
