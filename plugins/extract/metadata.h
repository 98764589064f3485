/* metadata.h -- title, date, byline, source, views and captions of one
 * article, read from its text. */
#ifndef CLEAN_METADATA_H
#define CLEAN_METADATA_H

#include "dates.h"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum {
	CL_F_TITLE = 1 << 0,
	CL_F_PUBLISHED = 1 << 1,
	CL_F_AUTHOR = 1 << 2,
	CL_F_SOURCE = 1 << 3,
	CL_F_VIEWS = 1 << 4,
	CL_F_CAPTIONS = 1 << 5,
	CL_F_ALL = (1 << 6) - 1
};

typedef struct cl_meta_opts {
	unsigned fields; /* CL_F_*: what to look for */
	int remove;      /* take the lines the fields came from out of the text */
	int caption_min_words;
	size_t caption_max_chars, title_max_chars;
} cl_meta_opts;

/* What a line turned out to be. */
enum { K_BODY = 0, K_TITLE, K_DATE, K_TODAY, K_BYLINE, K_SOURCE, K_VIEWS, K_CAPTION, K_NAME };

typedef struct cl_mline {
	int kind;
	int is_date; /* parses as a dateline */
	cl_dateline dl;
	size_t skip; /* bytes cut from its start (a "ĐBP - " prefix) */
	size_t cut;  /* bytes cut from its end (a byline glued to it) */
} cl_mline;

typedef struct cl_meta {
	cl_buf title, author, source; /* empty when not found */
	/* A headline-shaped line with evidence against it (the first of a
	 * series of headings, a pull quote): only a guess, left in the
	 * text; title_doubt says why. Empty, NULL when none. */
	cl_buf title_guess;
	const char *title_doubt;
	cl_date published; /* y == 0 when not found: only a dateline sets it */
	/* A date the lead opens with ("Sáng 18/1"): the event's day, often
	 * but not always the publication's, so only a guess. */
	cl_date guessed;     /* y == 0 when none */
	size_t guess_line;   /* the line it was read from */
	int guess_year_told; /* the text wrote the year; else it was inferred */
	long long views;     /* -1 when not found */
	size_t *captions;    /* line indices */
	size_t n_captions, cap_captions;
	const char *text; /* the text without what was taken out */
	size_t len;
	int changed;
} cl_meta;

typedef struct cl_metax {
	cl_meta_opts o;
	pcre2_code *re[15];
	pcre2_match_data *md;
	cl_lines lines;
	size_t headline; /* a prose line taken for the headline, or lines.n */
	cl_mline *ml;
	size_t cap_ml;
	cl_buf out, fold, fold2;
} cl_metax;

/* Compile the patterns; -1 with a message in err. */
int cl_metax_init(cl_metax *x, const cl_meta_opts *o, char *err, size_t errlen);
void cl_metax_free(cl_metax *x);
void cl_meta_free(cl_meta *m);
/* Read the fields of one article. known_title (or NULL) is a title the
 * document already has: its line is taken out, and no other is looked
 * for. -1 when out of memory. */
int cl_meta_extract(cl_metax *x, const char *text, size_t len, const char *known_title, cl_meta *m);

/* For the tests: whether each pattern for a byline glued to a paragraph's
 * end finds the same match (or none) in s searched from where
 * find_glued_byline starts it as searched from the start: 2 the same and
 * one matched, 1 the same and none did, 0 not the same, -1 when a search
 * failed otherwise. */
int cl_meta_glued_same(cl_metax *x, const char *s, size_t n);

/* How many bytes of s[0..n) fit in max without cutting a character. */
size_t cl_meta_head(const char *s, size_t n, size_t max);

#endif
