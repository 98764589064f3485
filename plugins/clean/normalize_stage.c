/* normalize_stage.c -- clean.normalize: options, counters, verdicts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "stages.h"

const tm_option cl_normalize_options[] = {
	{.name = "encoding", .type = TM_OPT_ENUM, .default_value = "auto",
	 .choices = "auto|utf-8|cp1258|tcvn3",
	 .help = "input encoding; auto: UTF-8, else Windows-1258 or TCVN3, whichever reads as Vietnamese"},
	{.name = "repair", .type = TM_OPT_BOOL, .default_value = "false",
	 .help = "replace invalid UTF-8 with U+FFFD instead of rejecting the document"},
	{.name = "nfc", .type = TM_OPT_BOOL, .default_value = "true", .help = "compose to Unicode NFC"},
	{.name = "tone_marks", .type = TM_OPT_ENUM, .default_value = "old", .choices = "old|new|keep",
	 .help = "tone placement in oa/oe/uy: old (hòa, thủy), new (hoà, thuỷ) or keep"},
	{.name = "lookalikes", .type = TM_OPT_BOOL, .default_value = "true",
	 .help = "Ð/ð to Đ/đ, and Greek or Cyrillic look-alikes inside Latin words"},
	{.name = "invisibles", .type = TM_OPT_BOOL, .default_value = "true",
	 .help = "drop zero-width, bidi and control characters; no-break and other spaces become ' '"},
	{.name = "whitespace", .type = TM_OPT_BOOL, .default_value = "true",
	 .help = "collapse runs of spaces, trim lines, limit blank lines"},
	{.name = "max_blank_lines", .type = TM_OPT_INT, .default_value = "1",
	 .help = "blank lines kept between paragraphs (with whitespace: true)"},
	{.name = "fix_case", .type = TM_OPT_BOOL, .default_value = "false",
	 .help = "repair a capital inside a word: ĐIện -> Điện, QUảng -> Quảng"},
	{0},
};

int cl_normalize_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	cl_normalizer *n = calloc(1, sizeof *n);
	if (!n)
		return tm_fail(ctx, "out of memory");
	*state = n;
	cl_norm_opts o = {0};
	const char *enc = tm_opt_string(opts, "encoding");
	o.encoding = !strcmp(enc, "utf-8") ? CL_ENC_UTF8 : !strcmp(enc, "cp1258") ? CL_ENC_CP1258
		   : !strcmp(enc, "tcvn3") ? CL_ENC_TCVN3 : CL_ENC_AUTO;
	o.repair = tm_opt_bool(opts, "repair");
	o.nfc = tm_opt_bool(opts, "nfc");
	const char *tones = tm_opt_string(opts, "tone_marks");
	o.tones = !strcmp(tones, "new") ? CL_TONES_NEW : !strcmp(tones, "keep") ? CL_TONES_KEEP : CL_TONES_OLD;
	o.lookalikes = tm_opt_bool(opts, "lookalikes");
	o.invisibles = tm_opt_bool(opts, "invisibles");
	o.whitespace = tm_opt_bool(opts, "whitespace");
	long long blank = tm_opt_int(opts, "max_blank_lines");
	if (blank < 0 || blank > 100)
		return tm_fail(ctx, "%s: max_blank_lines must be between 0 and 100",
			       tm_opt_where(opts, "max_blank_lines"));
	o.max_blank = (int)blank;
	o.fix_case = tm_opt_bool(opts, "fix_case");
	if (cl_normalizer_init(n, &o))
		return tm_fail(ctx, "cannot set up: out of memory or no Unicode tables");
	return TM_OK;
}

static void count(tm_ctx *ctx, const char *name, long long n)
{
	if (n)
		tm_count(ctx, name, n);
}

int cl_normalize_process(tm_ctx *ctx, void *state, tm_doc *doc)
{
	cl_normalizer *n = state;
	size_t len, out_len;
	const char *text = tm_doc_text(doc, &len), *out;
	cl_norm_stats st;
	int rc = cl_normalize(n, text, len, &out, &out_len, &st);
	if (rc == CL_NORM_NOMEM)
		return tm_fail(ctx, "out of memory");
	if (rc == CL_NORM_INVALID) {
		/* The same words and numbering as the host's own check. */
		char why[64];
		snprintf(why, sizeof why, "invalid UTF-8: at byte %zu", st.bad_offset + 1);
		tm_doc_reject(doc, why);
		return TM_OK;
	}
	if (st.converted == CL_ENC_CP1258 || st.converted == CL_ENC_TCVN3)
		count(ctx, st.converted == CL_ENC_CP1258 ? "converted-cp1258" : "converted-tcvn3", 1);
	if (st.replaced && !st.converted)
		count(ctx, "repaired-documents", 1);
	count(ctx, "replacement-characters", st.replaced);
	count(ctx, "byte-order-marks", st.bom);
	count(ctx, "composed-documents", st.composed);
	count(ctx, "invisible-characters", st.invisibles);
	count(ctx, "odd-spaces", st.spaces);
	count(ctx, "lookalike-letters", st.lookalikes);
	count(ctx, "tone-marks-moved", st.tones);
	count(ctx, "casing-repaired", st.cases);
	if (!out_len) {
		tm_doc_reject(doc, "empty document: nothing left after normalization");
		return TM_OK;
	}
	if (out_len == len && !memcmp(out, text, len))
		return TM_OK;
	count(ctx, "changed-documents", 1);
	return tm_doc_set_text(doc, out, out_len);
}

void cl_normalize_destroy(void *state)
{
	cl_normalizer *n = state;
	if (!n)
		return;
	cl_normalizer_free(n);
	free(n);
}
