/* boilerplate.h -- removing site chrome from one document. */
#ifndef CLEAN_BOILERPLATE_H
#define CLEAN_BOILERPLATE_H

#include "recurring.h"
#include "rules.h"

/* Why a line went. */
typedef enum cl_means {
	CL_BY_NONE = 0,
	CL_BY_LIST,      /* a rule file */
	CL_BY_HEURISTIC, /* navigation, counter or comment line at an edge, or after such chrome */
	CL_BY_RECURRING, /* recurs across the source's documents */
	CL_BY_REPEAT     /* a paragraph repeated within the document */
} cl_means;

typedef struct cl_bp_opts {
	int heuristics;
	int repeats;
	int repeat_min_words;
	int recurring;          /* use the learned table */
	int recurring_anywhere; /* remove learned lines in the body too, not only at the edges */
	size_t recurring_max_chars;
	size_t rule_max_chars; /* longer lines are never matched against rules */
} cl_bp_opts;

typedef struct cl_bp_line {
	size_t start, len; /* the part kept (a strip rule may shorten it) */
	size_t orig_start, orig_len;
	cl_line info;
	cl_means removed;
	const char *why; /* rule location or heuristic name */
	int protect;     /* a keep rule matched */
	int stripped;    /* a strip rule cut part of it */
	const char *strip_why;
	size_t cut_start, cut_len; /* the part a strip rule cut */
	size_t fold_off, fold_len; /* the kept part folded (cl_fold), in cl_boiler.folds */
	int folded;
	/* What the first phase found out for the second, which runs in input
	 * order and so alone: done there, it would hold up the workers. */
	int rec_candidate; /* counted in the recurring table, under rec_key */
	uint64_t rec_key;  /* cl_recurring_key of the folded line */
	const char *heur;  /* the edge heuristic it matches, or NULL */
	int last_byline;   /* the document's last line, shaped like a byline */
	size_t same_as;    /* the first earlier line with the same text, or CL_BP_NONE */
	size_t inside;     /* the first longer line holding it at word edges, or CL_BP_NONE */
} cl_bp_line;

#define CL_BP_NONE ((size_t)-1)

/* One document between the two phases: its lines and what the first
 * phase made of them. */
typedef struct cl_bp_doc {
	cl_lines lines;
	cl_bp_line *bl;
	size_t cap_bl;
	size_t first, last; /* the body: first and last prose line (lines.n: none) */
	cl_buf folds, fold;
	unsigned char *active; /* rule sections that apply */
	size_t cap_active;
	uint64_t (*pairs)[4]; /* per line, the hashes of its byte pairs (boilerplate.c) */
	size_t cap_pairs;
	pcre2_match_data *md;
} cl_bp_doc;

typedef struct cl_boiler {
	cl_bp_opts o;
	const cl_rules *rules; /* not owned; may be empty */
	cl_recurring *rec;     /* not owned; NULL without learning */
	cl_bp_doc doc;         /* for cl_boiler_run */
	cl_buf out;
} cl_boiler;

typedef struct cl_bp_result {
	const char *text; /* the cleaned text (points into the boiler) */
	size_t len;
	int changed;
	int empty;     /* nothing but chrome */
	long by[5];    /* lines removed, indexed by cl_means */
	long stripped; /* lines a strip rule shortened */
	long learned;  /* lines newly learned as recurring */
} cl_bp_result;

int cl_bp_doc_init(cl_bp_doc *d);
void cl_bp_doc_free(cl_bp_doc *d);

/* The first phase, which needs nothing but the document: lines, the body,
 * rule files, and for the second phase each line's recurring key, which
 * edge heuristic it matches, and which line repeats or holds it. Safe on
 * any thread with a cl_bp_doc of its own. */
int cl_boiler_prepare(const cl_bp_opts *o, const cl_rules *rules, cl_bp_doc *d, const char *text, size_t len,
		      const char *group);
/* The second, in input order: recurring lines (learning as it goes), then
 * the heuristics and repeats the first phase found, on the lines still
 * there, and the cleaned text. -1: out of memory. After the
 * call, d->bl[0 .. d->lines.n) tells what happened to each line. */
int cl_boiler_finish(cl_boiler *b, cl_bp_doc *d, const char *text, size_t len, const char *group, cl_bp_result *res);

int cl_boiler_init(cl_boiler *b, const cl_bp_opts *o, const cl_rules *rules, cl_recurring *rec);
void cl_boiler_free(cl_boiler *b);
/* Both phases, for one document of source group `group`. */
int cl_boiler_run(cl_boiler *b, const char *text, size_t len, const char *group, cl_bp_result *res);
const char *cl_means_name(cl_means m);

#endif
