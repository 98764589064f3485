/* stage_util.h -- what the three dedup stages share: normalisation
 * options, JSON for `action: mark`, and dedup files through tm_file. */
#ifndef DD_STAGE_UTIL_H
#define DD_STAGE_UTIL_H

#include <stddef.h>

#include <textmill/textmill.h>

#include "ddfile.h"

/* Option rows for the normalisation settings, with their defaults. */
#define DD_CASE_OPTION(def)                                                                           \
	{.name = "case", .type = TM_OPT_ENUM, .default_value = def, .choices = "fold|keep",             \
	 .help = "fold: compare letters without case; keep: case matters"}
#define DD_DIACRITICS_OPTION(def)                                                                     \
	{.name = "diacritics", .type = TM_OPT_ENUM, .default_value = def, .choices = "keep|fold",        \
	 .help = "keep: 'dân' and 'dan' differ; fold: remove combining marks, đ -> d"}
#define DD_PUNCTUATION_OPTION(def)                                                                    \
	{.name = "punctuation", .type = TM_OPT_ENUM, .default_value = def, .choices = "keep|remove",    \
	 .help = "keep, or remove (punctuation and symbols count as spaces)"}
#define DD_WHITESPACE_OPTION(def)                                                                     \
	{.name = "whitespace", .type = TM_OPT_ENUM, .default_value = def, .choices = "collapse|remove|keep", \
	 .help = "collapse: any run of spaces and newlines is one space; remove: ignore spaces; keep: exact"}

/* whitespace: the stage has the whitespace option (minhash has not). */
unsigned dd_norm_flags_from(const tm_options *opts, int whitespace);

/* Append s as a JSON string (with quotes) to out[*len, cap); 0, or -1 if
 * it does not fit. */
int dd_json_string(char *out, size_t cap, size_t *len, const char *s, size_t n);

/* A dd_out that writes through a tm_file. */
typedef struct dd_tmfile {
	tm_file *f;
	dd_out out;
} dd_tmfile;

int dd_tmfile_open(dd_tmfile *t, tm_ctx *ctx, const char *path);
/* Commit (after dd_out_end); 0 or TM_ERROR with the message in ctx. */
int dd_tmfile_commit(dd_tmfile *t, tm_ctx *ctx, const char *path);
void dd_tmfile_abort(dd_tmfile *t);

/* The document's id and its length, or TM_ERROR (the document is
 * rejected) when it is longer than an index holds (DD_MAX_ID). */
int dd_doc_id(tm_ctx *ctx, const tm_doc *doc, const char **id, size_t *len);

/* Characters (code points) of a UTF-8 text. */
size_t dd_count_chars(const char *s, size_t len);

#endif
