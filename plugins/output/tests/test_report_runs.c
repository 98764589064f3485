/* report_summary: the summaries of several runs added up into the one the
 * report shows, lists largest first whatever order each run met them in;
 * runs of other pipelines refused by name; out of memory said, not hidden. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "report.h"
#include "unit/kit_oom.h"

static const char run_a[] =
	"{\"textmill\":\"1.0\",\"config\":\"c.yaml\",\"config_hash\":\"ab\",\"finished\":\"2026-01-02T10:00:00Z\","
	"\"seconds\":1.5,\"workers\":2,\"bytes\":100,\"documents\":{\"read\":10,\"written\":7,\"dropped\":2,"
	"\"rejected\":1},\"stages\":[{\"label\":\"stages.0\",\"type\":\"filter.length\",\"in\":10,\"kept\":7,"
	"\"dropped\":2,\"rejected\":1,\"seconds\":0.5,\"dropped_by\":{\"too-short\":1,\"empty\":1},"
	"\"rejected_by\":{\"bad-utf8\":1},\"counters\":{\"chars\":400}}]}";
static const char run_b[] =
	"{\"textmill\":\"1.0\",\"config\":\"c.yaml\",\"config_hash\":\"ab\",\"finished\":\"2026-01-03T09:00:00Z\","
	"\"seconds\":2.5,\"workers\":4,\"bytes\":50,\"documents\":{\"read\":5,\"written\":3,\"dropped\":2,"
	"\"rejected\":0},\"stages\":[{\"label\":\"stages.0\",\"type\":\"filter.length\",\"in\":5,\"kept\":3,"
	"\"dropped\":2,\"rejected\":0,\"seconds\":0.25,\"dropped_by\":{\"empty\":2},\"rejected_by\":{},"
	"\"counters\":{\"chars\":100,\"lines\":9}}]}";
static const char run_other[] =
	"{\"stages\":[{\"label\":\"stages.0\",\"type\":\"filter.lang\",\"in\":5,\"kept\":5}]}";

static const char want[] =
	"{\"runs\":2,\"textmill\":\"1.0\",\"config\":\"c.yaml\",\"config_hash\":\"ab\","
	"\"finished\":\"2026-01-03T09:00:00Z\",\"seconds\":4.000,\"workers\":4,\"bytes\":150,"
	"\"documents\":{\"read\":15,\"written\":10,\"dropped\":4,\"rejected\":1},\"stages\":[{\"in\":15,\"kept\":10,"
	"\"dropped\":4,\"rejected\":1,\"seconds\":0.750,\"label\":\"stages.0\",\"type\":\"filter.length\","
	"\"dropped_by\":{\"empty\":3,\"too-short\":1},\"rejected_by\":{\"bad-utf8\":1},"
	"\"counters\":{\"chars\":500,\"lines\":9}}]}";

static kit_json *parse(const char *text)
{
	const char *error = NULL;
	kit_json *v = kit_json_parse(text, strlen(text), &error);
	ck_assert_msg(v != NULL, "%s", error);
	return v;
}

START_TEST(runs_add_up)
{
	kit_json *runs[] = {parse(run_a), parse(run_b)};
	const char *const names[] = {"a.json", "b.json"};
	kit_buf out = {0}, err = {0};
	ck_assert_int_eq(report_summary((const kit_json *const *)runs, names, 2, &out, &err), 0);
	ck_assert_str_eq(kit_buf_str(&out), want);
	kit_buf_free(&out);
	/* One run is put in the same order: the page of one run and of its shards match. */
	ck_assert_int_eq(report_summary((const kit_json *const *)runs, names, 1, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(kit_buf_str(&out), "\"dropped_by\":{\"empty\":1,\"too-short\":1}"));
	kit_buf_free(&out);
	kit_buf_free(&err);
	kit_json_free(runs[0]);
	kit_json_free(runs[1]);
}
END_TEST

START_TEST(runs_of_another_pipeline_are_refused)
{
	kit_json *runs[] = {parse(run_a), parse(run_other)};
	const char *const names[] = {"a.json", "other.json"};
	kit_buf out = {0}, err = {0};
	ck_assert_int_eq(report_summary((const kit_json *const *)runs, names, 2, &out, &err), -1);
	ck_assert_str_eq(kit_buf_str(&err), "other.json has other stages than a.json: its stage 1 is stages.0 "
					    "(filter.lang), there stages.0 (filter.length); a combined report adds "
					    "up runs of one pipeline");
	kit_buf_free(&out);
	kit_buf_free(&err);
	kit_json_free(runs[0]);
	kit_json_free(runs[1]);
}
END_TEST

START_TEST(out_of_memory_is_said)
{
	kit_json *runs[] = {parse(run_a), parse(run_b)};
	const char *const names[] = {"a.json", "b.json"};
	int done = 0;
	for (long n = 0; !done; n++) {
		ck_assert_msg(n < 1000, "never finished");
		kit_buf out = {0}, err = {0};
		oom_after(n);
		int rc = report_summary((const kit_json *const *)runs, names, 2, &out, &err);
		oom_off();
		ck_assert_int_eq(rc, 0);
		done = !kit_buf_failed(&out);
		if (done)
			ck_assert_str_eq(kit_buf_str(&out), want);
		kit_buf_free(&out);
		kit_buf_free(&err);
	}
	kit_json_free(runs[0]);
	kit_json_free(runs[1]);
}
END_TEST

static Suite *runs_suite(void)
{
	Suite *s = suite_create("report_runs");
	TCase *tc = tcase_create("summary");
	tcase_add_test(tc, runs_add_up);
	tcase_add_test(tc, runs_of_another_pipeline_are_refused);
	tcase_add_test(tc, out_of_memory_is_said);
	suite_add_tcase(s, tc);
	return s;
}

TM_CHECK_MAIN(runs_suite)
