/* report_runs.c -- the run summary the report shows: its own run's, or
 * that of several runs whose outputs it reads (textmill report) added up,
 * so that the page of N shards is the page of one run over the same
 * documents. One run goes through the same code, so the two pages put
 * every list in the same order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

typedef struct sum {
	const char *key;
	size_t len;
	double value;
} sum;

typedef struct sums {
	sum *items;
	size_t n, cap;
} sums;

static int add(sums *s, const char *key, size_t len, double value)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].len == len && !memcmp(s->items[i].key, key, len)) {
			s->items[i].value += value;
			return 0;
		}
	if (oc_grow(&s->items, &s->cap, s->n, sizeof *s->items, 8))
		return -1;
	s->items[s->n++] = (sum){key, len, value};
	return 0;
}

static int by_value(const void *a, const void *b)
{
	const sum *x = a, *y = b;
	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* "name":{...}: the members of object `name` of each run's stage k, added
 * up by key, the largest first (a run lists them as it met them). */
static void put_sums(kit_buf *out, const char *name, const kit_json *const *stage, size_t n)
{
	sums s = {0};
	for (size_t r = 0; r < n; r++) {
		const kit_json *obj = kit_json_get(stage[r], name);
		for (const kit_json *m = obj ? obj->child : NULL; m; m = m->next)
			if (m->kind == KIT_JSON_NUMBER && add(&s, m->key, m->key_len, m->num))
				out->failed = 1;
	}
	if (s.n)
		qsort(s.items, s.n, sizeof *s.items, by_value);
	kit_buf_printf(out, ",\"%s\":{", name);
	for (size_t i = 0; i < s.n; i++) {
		kit_buf_puts(out, i ? "," : "");
		kit_json_put_string(out, s.items[i].key, s.items[i].len);
		kit_buf_printf(out, ":%.0f", s.items[i].value);
	}
	kit_buf_puts(out, "}");
	free(s.items);
}

static double total(const kit_json *const *v, size_t n, const char *key)
{
	double t = 0;
	for (size_t r = 0; r < n; r++) {
		const kit_json *x = kit_json_get(v[r], key);
		t += x && x->kind == KIT_JSON_NUMBER ? x->num : 0;
	}
	return t;
}

static void put_string(kit_buf *out, const char *key, const char *value)
{
	kit_buf_printf(out, ",\"%s\":", key);
	kit_json_put_string(out, value ? value : "", value ? strlen(value) : 0);
}

static size_t count_items(const kit_json *array)
{
	size_t n = 0;
	for (const kit_json *x = array && array->kind == KIT_JSON_ARRAY ? array->child : NULL; x; x = x->next)
		n++;
	return n;
}

/* Do the runs have the same stages, by label and type, as the first? */
static int same_stages(const kit_json *const *runs, const char *const *names, size_t n, kit_buf *err)
{
	const kit_json *first = kit_json_get(runs[0], "stages");
	for (size_t r = 1; r < n; r++) {
		const kit_json *stages = kit_json_get(runs[r], "stages");
		const kit_json *a = first ? first->child : NULL, *b = stages ? stages->child : NULL;
		for (size_t k = 0; a || b; k++, a = a ? a->next : NULL, b = b ? b->next : NULL) {
			const char *la = a ? oc_json_str(a, "label") : NULL, *lb = b ? oc_json_str(b, "label") : NULL;
			const char *ta = a ? oc_json_str(a, "type") : NULL, *tb = b ? oc_json_str(b, "type") : NULL;
			if (a && b && la && lb && ta && tb && !strcmp(la, lb) && !strcmp(ta, tb))
				continue;
			kit_buf_printf(err,
				       "%s has other stages than %s: its stage %zu is %s (%s), there %s (%s); a "
				       "combined report adds up runs of one pipeline",
				       names[r], names[0], k + 1, lb ? lb : "missing", tb ? tb : "-",
				       la ? la : "missing", ta ? ta : "-");
			return -1;
		}
	}
	return 0;
}

int report_summary(const kit_json *const *runs, const char *const *names, size_t n, kit_buf *out, kit_buf *err)
{
	if (same_stages(runs, names, n, err))
		return -1;
	const kit_json *first = runs[0];
	const char *finished = NULL;
	long long workers = 0;
	for (size_t r = 0; r < n; r++) {
		const char *f = oc_json_str(runs[r], "finished");
		if (f && (!finished || strcmp(f, finished) > 0))
			finished = f;
		if (oc_json_int(runs[r], "workers", 0) > workers)
			workers = oc_json_int(runs[r], "workers", 0);
	}
	kit_buf_printf(out, "{\"runs\":%zu", n);
	put_string(out, "textmill", oc_json_str(first, "textmill"));
	put_string(out, "config", oc_json_str(first, "config"));
	put_string(out, "config_hash", oc_json_str(first, "config_hash"));
	put_string(out, "finished", finished);
	/* The runs' seconds added up: the work, whatever ran beside what. */
	kit_buf_printf(out, ",\"seconds\":%.3f,\"workers\":%lld,\"bytes\":%.0f", total(runs, n, "seconds"), workers,
		       total(runs, n, "bytes"));
	const kit_json **v = kit_calloc(n, sizeof *v);
	if (!v) {
		out->failed = 1;
		return 0;
	}
	for (size_t r = 0; r < n; r++)
		v[r] = kit_json_get(runs[r], "documents");
	kit_buf_printf(out, ",\"documents\":{\"read\":%.0f,\"written\":%.0f,\"dropped\":%.0f,\"rejected\":%.0f}",
		       total(v, n, "read"), total(v, n, "written"), total(v, n, "dropped"), total(v, n, "rejected"));
	kit_buf_puts(out, ",\"stages\":[");
	for (size_t r = 0; r < n; r++)
		v[r] = kit_json_get(runs[r], "stages") ? kit_json_get(runs[r], "stages")->child : NULL;
	size_t stages = count_items(kit_json_get(first, "stages"));
	for (size_t k = 0; k < stages; k++) {
		kit_buf_printf(out,
			       "%s{\"in\":%.0f,\"kept\":%.0f,\"dropped\":%.0f,\"rejected\":%.0f,\"seconds\":%.3f",
			       k ? "," : "", total(v, n, "in"), total(v, n, "kept"), total(v, n, "dropped"),
			       total(v, n, "rejected"), total(v, n, "seconds"));
		put_string(out, "label", oc_json_str(v[0], "label"));
		put_string(out, "type", oc_json_str(v[0], "type"));
		put_sums(out, "dropped_by", v, n);
		put_sums(out, "rejected_by", v, n);
		put_sums(out, "counters", v, n);
		kit_buf_puts(out, "}");
		for (size_t r = 0; r < n; r++)
			v[r] = v[r]->next;
	}
	kit_buf_puts(out, "]}");
	free(v);
	return 0;
}
