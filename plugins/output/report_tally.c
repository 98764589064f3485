/* report_tally.c -- output.report's counts by name: how often each name
 * was seen and in how many documents. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

tally_item *tally_hit(tally *t, const char *key, size_t len, size_t doc_no)
{
	uint64_t *index = kit_strmap_get(&t->index, key, len);
	if (!index) {
		/* Room and the key's copy first, so that a failure leaves no
		 * name in the index without its item. */
		if (oc_grow(&t->items, &t->cap, t->n, sizeof *t->items, 16))
			return NULL;
		char *copy = kit_strndup(key, len);
		if (!copy || !(index = kit_strmap_put(&t->index, key, len, NULL))) {
			free(copy);
			return NULL;
		}
		*index = t->n;
		t->items[t->n] = (tally_item){.key = copy, .len = len, .id = t->n};
		t->n++;
	}
	tally_item *it = &t->items[*index];
	it->count++;
	if (it->last_doc != doc_no + 1) {
		it->docs++;
		it->last_doc = doc_no + 1;
	}
	return it;
}

static int by_docs(const void *a, const void *b)
{
	const tally_item *x = a, *y = b;
	if (x->docs != y->docs)
		return x->docs > y->docs ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
	const tally_item *x = a, *y = b;
	return strcmp(x->key, y->key);
}

void tally_sort(tally *t, int key_order)
{
	if (t->n)
		qsort(t->items, t->n, sizeof *t->items, key_order ? by_key : by_docs);
	/* The index would point at the old places; sorting ends counting. */
	kit_strmap_free(&t->index);
}

void tally_free(tally *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->items[i].key);
	free(t->items);
	kit_strmap_free(&t->index);
	memset(t, 0, sizeof *t);
}
