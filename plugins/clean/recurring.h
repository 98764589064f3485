/* recurring.h -- lines that recur across the documents of one source,
 * learned during a run. */
#ifndef CLEAN_RECURRING_H
#define CLEAN_RECURRING_H

#include "clean.h"

typedef struct cl_learned {
	char *group, *text;
} cl_learned;

typedef struct cl_recurring {
	int min_docs;       /* a line seen in this many documents is chrome */
	size_t max_entries; /* lines remembered at most (memory bound) */
	kit_map counts;     /* line key -> documents it was seen in */
	uint64_t *doc_keys; /* keys counted for the current document */
	size_t n_doc, cap_doc;
	cl_learned *learned; /* in the order they were learned */
	size_t n_learned, cap_learned;
	int full; /* max_entries was reached */
} cl_recurring;

int cl_recurring_init(cl_recurring *r, int min_docs, size_t max_entries);
void cl_recurring_free(cl_recurring *r);
/* The key of a folded line within a source group (whose seed is
 * cl_recurring_seed(group)). */
uint64_t cl_recurring_seed(const char *group);
uint64_t cl_recurring_key(uint64_t seed, const char *folded, size_t n);
/* Nonzero if the line was seen in min_docs documents before this one. */
int cl_recurring_known(const cl_recurring *r, uint64_t key);
/* Start counting a new document. */
void cl_recurring_begin(cl_recurring *r);
/* Count the line for the current document (once per document). When it
 * reaches min_docs it is learned, and group/text are kept for saving. */
int cl_recurring_count(cl_recurring *r, uint64_t key, const char *group, const char *text, size_t n);

#endif
