/* stage_util.h -- what the three dedup stages share: normalisation
 * options, JSON for `action: mark`, and dedup files through tm_file. */
#ifndef DD_STAGE_UTIL_H
#define DD_STAGE_UTIL_H

#include <stddef.h>

#include <textmill/textmill.h>

#include "ddfile.h"
#include "stages.h"

/* Option rows for the normalisation settings, with their defaults, into
 * the dd_norm_settings `norm` of the stage's settings struct `settings`. */
#define DD_CASE_OPTION(settings, def)                                                                            \
	{                                                                                                        \
		.name = "case", .type = TM_OPT_ENUM, .default_value = def, .choices = "fold|keep",               \
		TM_FIELD(settings, norm.case_), .help = "fold: compare letters without case; keep: case matters" \
	}
#define DD_DIACRITICS_OPTION(settings, def)                                                              \
	{                                                                                                \
		.name = "diacritics", .type = TM_OPT_ENUM, .default_value = def, .choices = "keep|fold", \
		TM_FIELD(settings, norm.diacritics),                                                     \
		.help = "keep: 'dân' and 'dan' differ; fold: remove combining marks, đ -> d"           \
	}
#define DD_PUNCTUATION_OPTION(settings, def)                                                                \
	{                                                                                                   \
		.name = "punctuation", .type = TM_OPT_ENUM, .default_value = def, .choices = "keep|remove", \
		TM_FIELD(settings, norm.punctuation),                                                       \
		.help = "keep, or remove (punctuation and symbols count as spaces)"                         \
	}
#define DD_WHITESPACE_OPTION(settings, def)                                                                         \
	{                                                                                                           \
		.name = "whitespace", .type = TM_OPT_ENUM, .default_value = def, .choices = "collapse|remove|keep", \
		TM_FIELD(settings, norm.whitespace),                                                                \
		.help = "collapse: any run of spaces and newlines is one space; remove: ignore spaces; keep: exact" \
	}
/* index and index_update, for a stage whose index holds documents. */
#define DD_INDEX_OPTIONS(settings)                                                                          \
	{.name = "index",                                                                                   \
	 .type = TM_OPT_PATH,                                                                               \
	 TM_FIELD(settings, index),                                                                         \
	 .help = "index file: loaded at the start if it exists, saved at the end"},                         \
	{                                                                                                   \
		.name = "index_update", .type = TM_OPT_BOOL, .default_value = "true",                       \
		TM_FIELD(settings, index_update), .help = "save the index at the end (false: read it only)" \
	}

/* The DD_* normalisation flags the settings ask for. */
unsigned dd_norm_flags(const dd_norm_settings *n);

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

#endif
