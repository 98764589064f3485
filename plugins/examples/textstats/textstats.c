/* textstats.c -- an example stage: counts characters, words, sentences
 * and paragraphs and writes them into a metadata field.
 * docs/writing-plugins.md walks through this file. */
#include <stdio.h>

#include <textmill/textmill.h>

/* The stage's settings: the host fills them from the options table
 * below, checked, before create() runs. */
typedef struct textstats {
	const char *field;
	int min_words;
} textstats;

typedef struct counts {
	long chars, words, sentences, paragraphs;
} counts;

static int textstats_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	const textstats *t = tm_opt_settings(opts);
	*state = (void *)t; /* the settings are all the state this stage needs */
	if (!*t->field)
		return tm_fail(ctx, "%s: field must not be empty", tm_opt_where(opts, "field"));
	return TM_OK;
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int ends_sentence(unsigned char c) { return c == '.' || c == '!' || c == '?'; }

static counts count(const char *s, size_t len)
{
	counts c = {0, 0, 0, 0};
	int in_word = 0, in_paragraph = 0, pending_stop = 0;
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
			in_word = 0;
			continue;
		}
		if (!in_word)
			c.words++, in_word = 1;
		in_paragraph = 1;
		pending_stop = ends_sentence(ch);
	}
	if (pending_stop)
		c.sentences++;
	if (in_paragraph)
		c.paragraphs++;
	return c;
}

static int textstats_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	const textstats *t = state;
	size_t len;
	const char *text = tm_doc_text(doc, &len);
	counts c = count(text, len);
	char json[160];
	int n = snprintf(json, sizeof json, "{\"chars\":%ld,\"words\":%ld,\"sentences\":%ld,\"paragraphs\":%ld}",
			 c.chars, c.words, c.sentences, c.paragraphs);
	if (tm_doc_set_meta_json(doc, t->field, json, (size_t)n))
		return TM_ERROR;
	if (c.words < t->min_words)
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
}};

TM_PLUGIN(stages);
