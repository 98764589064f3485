/* Out of memory in what the outputs share (the report's tallies and all it
 * gathers, the option-list copies, the dedup marks): every allocation of a path is
 * made to fail in turn, and each time the path must say so with its return
 * value (no abort) and leave its tables as they were, so that the stage
 * can stop the run with "out of memory" and free everything. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "doc.h"
#include "oc_doc.h"
#include "report.h"
#include "unit/helpers.h"
#include "unit/kit_oom.h"

/* Enough names, and repeats, that the tally's arrays and its index grow
 * more than once. */
#define HITS 120

static void hit_key(size_t i, char key[32], size_t *doc)
{
	snprintf(key, 32, "name-%zu", i % 40);
	*doc = i / 3;
}

/* The tally of hits [0, HITS): count and documents per name, each name
 * found by the index. */
static void check_tally(const tally *t)
{
	ck_assert_uint_eq(t->n, 40);
	for (size_t i = 0; i < t->n; i++) {
		const tally_item *it = &t->items[i];
		char want[32];
		snprintf(want, sizeof want, "name-%zu", i);
		ck_assert_str_eq(it->key, want);
		ck_assert_uint_eq(it->id, i);
		ck_assert_int_eq(it->count, 3);
		ck_assert_int_eq(it->docs, 3);
		const uint64_t *at = kit_strmap_get(&t->index, want, strlen(want));
		ck_assert_ptr_nonnull(at);
		ck_assert_uint_eq(*at, i);
	}
}

START_TEST(tally_fails_cleanly_at_each_allocation)
{
	int finished = 0;
	for (long n = 0; !finished; n++) {
		ck_assert_msg(n < 1000, "the tally never finished");
		tally t = {0};
		char key[32];
		size_t doc, i = 0;
		oom_after(n);
		for (; i < HITS; i++) {
			hit_key(i, key, &doc);
			if (!tally_hit(&t, key, strlen(key), doc))
				break;
		}
		oom_off();
		finished = i == HITS;
		/* What failed left the tally as it was: the rest counts as if
		 * memory had never run out. */
		for (; i < HITS; i++) {
			hit_key(i, key, &doc);
			ck_assert_ptr_nonnull(tally_hit(&t, key, strlen(key), doc));
		}
		check_tally(&t);
		tally_free(&t);
	}
}
END_TEST

START_TEST(list_copies_fail_cleanly_at_each_allocation)
{
	const char *const list[] = {"dedup", "dedup_exact", "near"};
	char **copy = NULL;
	for (long n = 0; !copy; n++) {
		ck_assert_msg(n < 100, "the copy never finished");
		oom_after(n);
		copy = oc_strings_dup(list, 3);
		oom_off();
	}
	for (size_t i = 0; i < 3; i++)
		ck_assert_str_eq(copy[i], list[i]);
	oc_strings_free(copy, 3);
}
END_TEST

/* The dedup marks of a document with meta `field` set to json, read with
 * every allocation failing in turn: -1 and nothing kept until it succeeds. */
static void check_dup_read(const char *field, const char *json, const char *want_cluster, const char *want_of)
{
	tm_ctx ctx;
	ctx_init(&ctx, "output.report", "outputs.0", 0, 1, 1);
	tm_doc *doc = doc_new();
	doc->ctx = &ctx;
	doc_set_id(doc, "d2", 2);
	ck_assert_int_eq(tm_doc_set_meta_json(doc, field, json, strlen(json)), TM_OK);
	const char *const fields[] = {"dedup", "dedup_exact"};
	oc_dup dup;
	ck_assert_int_eq(oc_dup_read(doc, fields, 2, &dup), 1); /* the host's scratch grows now, not below */
	oc_dup_free(&dup);
	int found = -1;
	for (long n = 0; found < 0; n++) {
		ck_assert_msg(n < 100, "the read never finished");
		oom_after(n);
		found = oc_dup_read(doc, fields, 2, &dup);
		oom_off();
		if (found < 0)
			ck_assert(!dup.cluster && !dup.duplicate_of);
	}
	ck_assert_int_eq(found, 1);
	ck_assert_str_eq(dup.cluster, want_cluster);
	ck_assert_str_eq(dup.duplicate_of, want_of);
	oc_dup_free(&dup);
	doc_free(doc);
	ctx_free(&ctx);
}

START_TEST(dup_read_fails_cleanly_at_each_allocation)
{
	check_dup_read("dedup", "{\"cluster\":7,\"duplicate_of\":\"d1\",\"similarity\":0.9}", "7", "d1");
	check_dup_read("dedup_exact", "\"duplicate-of:d1\"", "d1", "d1");
	check_dup_read("duplicate_of", "\"d1\"", "d1", "d1");
}
END_TEST

static tm_doc *make_doc(tm_ctx *ctx, const char *id, const char *published, const char *dedup)
{
	static const char text[] = "Hanoi in autumn, said Nguyen";
	tm_doc *doc = doc_new();
	doc->ctx = ctx;
	doc_set_id(doc, id, strlen(id));
	ck_assert_int_eq(tm_doc_set_text(doc, text, strlen(text)), TM_OK);
	if (published)
		ck_assert_int_eq(tm_doc_set_meta_string(doc, "published", published, strlen(published)), TM_OK);
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "source", id, strlen(id)), TM_OK);
	ck_assert_int_eq(tm_doc_set_meta_string(doc, "title", "Autumn", 6), TM_OK);
	ck_assert_int_eq(tm_doc_set_meta_json(doc, "dedup", dedup, strlen(dedup)), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "LOC", 0, 5, NULL, NULL, NULL), TM_OK);
	ck_assert_int_eq(tm_doc_add_entity(doc, "PER", 22, 28, "\"Nguyen Van A\"", NULL, NULL), TM_OK);
	return doc;
}

/* What output.report gathers from three documents, with every allocation
 * failing in turn: -1, then the report is freed whole (ASan checks that). */
START_TEST(report_fails_cleanly_at_each_allocation)
{
	tm_ctx ctx;
	ctx_init(&ctx, "output.report", "outputs.0", 0, 1, 1);
	tm_doc *docs[] = {
		make_doc(&ctx, "d1", "2024-12-10", "{\"cluster\":\"c1\"}"),
		make_doc(&ctx, "d2", "2024-11-01T08:00:00+07:00", "{\"cluster\":\"c1\",\"duplicate_of\":\"d1\"}"),
		make_doc(&ctx, "d3", NULL, "\"duplicate-of:d9\""),
	};
	const char *const fields[] = {"dedup"};
	int finished = 0;
	for (long n = -1; !finished; n++) { /* -1: a first run with memory, for the host's scratch */
		ck_assert_msg(n < 1000, "the report never finished");
		report r = {0};
		ck_assert_ptr_nonnull(r.dedup_fields = oc_strings_dup(fields, 1));
		r.n_dedup_fields = 1;
		size_t i = 0;
		oom_after(n);
		while (i < 3 && report_add(&r, docs[i]) == 0)
			i++;
		oom_off();
		finished = n >= 0 && i == 3;
		if (finished) {
			ck_assert_int_eq(r.docs, 3);
			ck_assert_int_eq(r.undated, 1);
			ck_assert_uint_eq(r.months.n, 2);
			ck_assert_uint_eq(r.sources.n, 3);
			ck_assert_uint_eq(r.types.n, 2);
			ck_assert_str_eq(r.labels[1].items[0].key, "Nguyen Van A");
			ck_assert_uint_eq(r.n_clusters, 2);
			ck_assert_uint_eq(r.clusters[0].n, 2);
			ck_assert_str_eq(r.clusters[0].title, "Autumn");
			ck_assert_int_eq(r.marked, 2);
		}
		report_free(&r);
	}
	for (size_t i = 0; i < 3; i++)
		doc_free(docs[i]);
	ctx_free(&ctx);
}
END_TEST

static Suite *oom_suite(void)
{
	Suite *s = suite_create("oc_oom");
	TCase *tc = tcase_create("oom");
	tcase_add_test(tc, tally_fails_cleanly_at_each_allocation);
	tcase_add_test(tc, list_copies_fail_cleanly_at_each_allocation);
	tcase_add_test(tc, dup_read_fails_cleanly_at_each_allocation);
	tcase_add_test(tc, report_fails_cleanly_at_each_allocation);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(oom_suite)
