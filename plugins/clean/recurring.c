/* recurring.c -- counting in how many documents of a source each short
 * line occurs.
 *
 * Lines are counted by a 64-bit hash of (source group, folded line) in an
 * open-addressing table, once per document. The stage that uses this is
 * serial, so documents are counted in input order and what is learned
 * never depends on the number of workers. */
#include <stdlib.h>
#include <string.h>

#include "recurring.h"

int cl_recurring_init(cl_recurring *r, int min_docs, size_t max_entries)
{
	memset(r, 0, sizeof *r);
	r->min_docs = min_docs < 2 ? 2 : min_docs;
	r->max_entries = max_entries;
	return 0;
}

void cl_recurring_free(cl_recurring *r)
{
	kit_map_free(&r->counts);
	free(r->doc_keys);
	for (size_t i = 0; i < r->n_learned; i++) {
		free(r->learned[i].group);
		free(r->learned[i].text);
	}
	free(r->learned);
	memset(r, 0, sizeof *r);
}

uint64_t cl_recurring_seed(const char *group) { return cl_hash(group, strlen(group), 0x5bd1e995); }

uint64_t cl_recurring_key(uint64_t seed, const char *folded, size_t n) { return cl_hash(folded, n, seed); }

int cl_recurring_known(const cl_recurring *r, uint64_t key)
{
	const uint64_t *count = kit_map_get(&r->counts, key);
	return count && *count >= (uint64_t)r->min_docs;
}

void cl_recurring_begin(cl_recurring *r) { r->n_doc = 0; }

int cl_recurring_count(cl_recurring *r, uint64_t key, const char *group, const char *text, size_t n)
{
	for (size_t i = 0; i < r->n_doc; i++)
		if (r->doc_keys[i] == key)
			return 0;
	if (r->n_doc == r->cap_doc) {
		size_t cap = r->cap_doc ? r->cap_doc * 2 : 64;
		uint64_t *v = realloc(r->doc_keys, cap * sizeof *v);
		if (!v)
			return -1;
		r->doc_keys = v, r->cap_doc = cap;
	}
	r->doc_keys[r->n_doc++] = key;
	uint64_t *count = kit_map_get(&r->counts, key);
	if (!count) {
		if (kit_map_count(&r->counts) >= r->max_entries) {
			r->full = 1;
			return 0;
		}
		if (!(count = kit_map_put(&r->counts, key, NULL)))
			return -1;
	}
	if (*count < UINT32_MAX)
		++*count;
	if (*count == (uint64_t)r->min_docs) {
		if (r->n_learned == r->cap_learned) {
			size_t cap = r->cap_learned ? r->cap_learned * 2 : 32;
			cl_learned *v = realloc(r->learned, cap * sizeof *v);
			if (!v)
				return -1;
			r->learned = v, r->cap_learned = cap;
		}
		cl_learned *l = &r->learned[r->n_learned];
		l->group = kit_strndup(group, strlen(group));
		l->text = kit_strndup(text, n);
		if (!l->group || !l->text) {
			free(l->group);
			free(l->text);
			return -1;
		}
		r->n_learned++;
	}
	return 0;
}
