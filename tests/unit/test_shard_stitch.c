/* test_shard_stitch.c -- one shard's run summary from its phases'
 * (core/shard/stitch.c): the stage a phase collects for counted where it
 * applies, every stage under its label in the config, the input from the
 * first phase and the outputs from the last, the documents added up. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "stitch.h"

/* A summary's stage entry: {"label":L,"type":T,"in":IN,"kept":K,...}. */
#define STAGE(label, type, in, kept, dropped)                                                                    \
	"{\"label\":\"" label "\",\"type\":\"" type "\",\"in\":" #in ",\"kept\":" #kept ",\"dropped\":" #dropped \
	",\"rejected\":0,\"seconds\":0.5,\"dropped_by\":{},\"rejected_by\":{},\"counters\":{}}"

/* Five phases of a pipeline clean, filter, dedup.exact (stages.2),
 * lua, dedup.minhash (stages.4), output.jsonl. */
static const char phase1[] =
	"{\"textmill\":\"0.1.0\",\"config\":\"p.yaml\",\"config_hash\":\"aa\",\"status\":\"done\","
	"\"finished\":\"2026-01-01T00:00:01Z\",\"seconds\":1.0,\"workers\":2,\"bytes\":1000,"
	"\"documents\":{\"read\":10,\"written\":8,\"dropped\":2,\"rejected\":0},\"stages\":[" STAGE(
		"input", "input", 10, 10,
		0) "," STAGE("stages.0", "clean.normalize", 10, 10,
			     0) "," STAGE("stages.1", "filter.length", 10, 8,
					  2) "," STAGE("stages.2", "dedup.exact", 8, 8,
						       0) "," STAGE("outputs.0", "output.jsonl", 8, 8, 0) "]}";
static const char phase3[] =
	"{\"textmill\":\"0.1.0\",\"config\":\"p.yaml\",\"config_hash\":\"bb\",\"status\":\"done\","
	"\"finished\":\"2026-01-01T00:00:02Z\",\"seconds\":1.0,\"workers\":4,\"bytes\":900,"
	"\"documents\":{\"read\":8,\"written\":7,\"dropped\":1,\"rejected\":0},\"stages\":[" STAGE(
		"input", "input", 8, 8,
		0) "," STAGE("stages.0", "dedup.exact", 8, 7,
			     1) "," STAGE("stages.1", "lua", 7, 7,
					  0) "," STAGE("stages.2", "dedup.minhash", 7, 7,
						       0) "," STAGE("outputs.0", "output.jsonl", 7, 7, 0) "]}";
static const char phase5[] =
	"{\"textmill\":\"0.1.0\",\"config\":\"p.yaml\",\"config_hash\":\"cc\",\"status\":\"done\","
	"\"finished\":\"2026-01-01T00:00:03Z\",\"seconds\":1.0,\"workers\":2,\"bytes\":800,"
	"\"documents\":{\"read\":7,\"written\":6,\"dropped\":1,\"rejected\":0},\"stages\":[" STAGE(
		"input", "input", 7, 7, 0) "," STAGE("stages.0", "dedup.minhash", 7, 6,
						     1) "," STAGE("outputs.0", "output.jsonl", 6, 6, 0) "]}";

static const char *const names[] = {"phase1.json", "phase3.json", "phase5.json"};

START_TEST(test_five_phases)
{
	const char *const texts[] = {phase1, phase3, phase5};
	buf out = {0}, err = {0};
	ck_assert_int_eq(shard_stitch(texts, names, 3, &out, &err), 0);
	const char *error = NULL;
	kit_json *v = kit_json_parse(out.p, out.len, &error);
	ck_assert_msg(v != NULL, "%s: %s", error, out.p);
	const char *want[][2] = {{"input", "input"},
				 {"stages.0", "clean.normalize"},
				 {"stages.1", "filter.length"},
				 {"stages.2", "dedup.exact"},
				 {"stages.3", "lua"},
				 {"stages.4", "dedup.minhash"},
				 {"outputs.0", "output.jsonl"}};
	const long long in[] = {10, 10, 10, 8, 7, 7, 6}, kept[] = {10, 10, 8, 7, 7, 6, 6};
	size_t k = 0;
	for (const kit_json *s = kit_json_get(v, "stages")->child; s; s = s->next, k++) {
		ck_assert_uint_lt(k, 7);
		ck_assert_str_eq(kit_json_get(s, "label")->str, want[k][0]);
		ck_assert_str_eq(kit_json_get(s, "type")->str, want[k][1]);
		ck_assert_int_eq((long long)kit_json_get(s, "in")->num, in[k]);
		ck_assert_int_eq((long long)kit_json_get(s, "kept")->num, kept[k]);
	}
	ck_assert_uint_eq(k, 7);
	/* read in phase 1, written in the last, dropped in any */
	ck_assert_int_eq((int)kit_json_path(v, "documents.read")->num, 10);
	ck_assert_int_eq((int)kit_json_path(v, "documents.written")->num, 6);
	ck_assert_int_eq((int)kit_json_path(v, "documents.dropped")->num, 4);
	ck_assert_int_eq((int)kit_json_get(v, "seconds")->num, 3);
	ck_assert_int_eq((int)kit_json_get(v, "workers")->num, 4);
	ck_assert_int_eq((int)kit_json_get(v, "bytes")->num, 1000);
	ck_assert_str_eq(kit_json_get(v, "finished")->str, "2026-01-01T00:00:03Z");
	ck_assert_str_eq(kit_json_get(v, "config_hash")->str, "aa");
	kit_json_free(v);
	buf_free(&out);
	buf_free(&err);
}
END_TEST

/* One phase is a run of its own: it comes back as it was. */
START_TEST(test_one_phase)
{
	const char *const texts[] = {phase5};
	buf out = {0}, err = {0};
	ck_assert_int_eq(shard_stitch(texts, names + 2, 1, &out, &err), 0);
	ck_assert_ptr_nonnull(
		strstr(out.p, "{\"label\":\"stages.0\",\"type\":\"dedup.minhash\",\"in\":7,\"kept\":6"));
	ck_assert_ptr_nonnull(strstr(out.p, "\"label\":\"input\""));
	ck_assert_ptr_nonnull(strstr(out.p, "\"label\":\"outputs.0\""));
	buf_free(&out);
	buf_free(&err);
}
END_TEST

START_TEST(test_refusals)
{
	static const char no_stages[] = "{\"documents\":{\"read\":1},\"stages\":[" STAGE("input", "input", 1, 1,
											 0) "]}";
	const char *const broken[] = {"{\"stages\":", phase3};
	const char *const collects_nothing[] = {no_stages, phase3};
	buf out = {0}, err = {0};
	ck_assert_int_eq(shard_stitch(broken, names, 2, &out, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.p, "phase1.json is not a run summary"));
	buf_clear(&err);
	ck_assert_int_eq(shard_stitch(collects_nothing, names, 2, &out, &err), -1);
	ck_assert_str_eq(err.p, "phase1.json has no stage that collects for the next phase, phase3.json");
	buf_clear(&err);
	ck_assert_int_eq(shard_stitch(NULL, names, 0, &out, &err), -1);
	buf_free(&out);
	buf_free(&err);
}
END_TEST

static Suite *stitch_suite(void)
{
	Suite *s = suite_create("shard_stitch");
	TCase *tc = tcase_create("stitch");
	tcase_add_test(tc, test_five_phases);
	tcase_add_test(tc, test_one_phase);
	tcase_add_test(tc, test_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int main(void) { return run_suite(stitch_suite()); }
