/* normalize_stage.c -- clean.normalize: options, counters, verdicts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "stages.h"

#define FIELD(member) TM_FIELD(cl_normalize_settings, member)

const tm_option cl_normalize_options[] = {
	{.name = "encoding",
	 .type = TM_OPT_ENUM,
	 .default_value = "auto",
	 FIELD(o.encoding),
	 .choices = "auto|utf-8|cp1258|tcvn3", /* in cl_encoding's order */
	 .help = "input encoding; auto: UTF-8, else Windows-1258 or TCVN3, whichever reads as Vietnamese"},
	{.name = "repair",
	 .type = TM_OPT_BOOL,
	 .default_value = "false",
	 FIELD(o.repair),
	 .help = "replace invalid UTF-8 with U+FFFD instead of rejecting the document"},
	{.name = "nfc", .type = TM_OPT_BOOL, .default_value = "true", FIELD(o.nfc), .help = "compose to Unicode NFC"},
	{.name = "tone_marks",
	 .type = TM_OPT_ENUM,
	 .default_value = "old",
	 .choices = "old|new|keep",
	 FIELD(tone_marks),
	 .help = "tone placement in oa/oe/uy: old (hòa, thủy), new (hoà, thuỷ) or keep"},
	{.name = "lookalikes",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(o.lookalikes),
	 .help = "Ð/ð to Đ/đ, and Greek or Cyrillic look-alikes inside Latin words"},
	{.name = "invisibles",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(o.invisibles),
	 .help = "drop zero-width, bidi and control characters; no-break and other spaces become ' '"},
	{.name = "whitespace",
	 .type = TM_OPT_BOOL,
	 .default_value = "true",
	 FIELD(o.whitespace),
	 .help = "collapse runs of spaces, trim lines, limit blank lines"},
	{.name = "max_blank_lines",
	 .type = TM_OPT_INT,
	 .default_value = "1",
	 .min = 0,
	 .max = 100,
	 FIELD(o.max_blank),
	 .help = "blank lines kept between paragraphs (with whitespace: true)"},
	{.name = "fix_case",
	 .type = TM_OPT_BOOL,
	 .default_value = "false",
	 FIELD(o.fix_case),
	 .help = "repair a capital inside a word: ĐIện -> Điện, QUảng -> Quảng"},
	{0},
};

int cl_normalize_create(tm_ctx *ctx, const tm_options *opts, void **state)
{
	static const cl_tone_style tones[] = {CL_TONES_OLD, CL_TONES_NEW, CL_TONES_KEEP};
	cl_normalizer *n = calloc(1, sizeof *n);
	if (!n)
		return tm_fail(ctx, "out of memory");
	*state = n;
	const cl_normalize_settings *set = tm_opt_settings(opts);
	cl_norm_opts o = set->o;
	o.tones = tones[set->tone_marks];
	if (cl_normalizer_init(n, &o))
		return tm_fail(ctx, "cannot set up: %s", cl_vn_init() ? cl_vn_init_error() : "out of memory");
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
	if (rc == CL_NORM_BINARY) {
		char why[96];
		snprintf(why, sizeof why, "binary content: %ld control characters in %zu bytes", st.controls, len);
		tm_doc_reject(doc, why);
		return TM_OK;
	}
	if (rc == CL_NORM_UNREADABLE && st.utf16) {
		tm_doc_reject(doc,
			      "unknown encoding: UTF-16 (a byte order mark FF FE or FE FF); convert it to UTF-8");
		return TM_OK;
	}
	if (rc == CL_NORM_UNREADABLE) {
		char why[160];
		snprintf(why, sizeof why,
			 "unknown encoding: not UTF-8, and as %s only %ld of %ld words read as Vietnamese",
			 st.converted == CL_ENC_TCVN3 ? "TCVN3" : "Windows-1258", st.reads.syllables, st.reads.words);
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
