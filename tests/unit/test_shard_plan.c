/* test_shard_plan.c -- the planner of sharded runs (core/shard/plan.c),
 * without Slurm: which phases a config gets, what each phase's command
 * runs, and the configs it refuses. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "helpers.h"
#include "plan.h"

static char *dir;
static pipeline_conf pc;
static shard_plan pl;
static buf err;

static void setup(void)
{
	dir = make_temp_dir();
	memset(&pc, 0, sizeof pc);
	memset(&pl, 0, sizeof pl);
	memset(&err, 0, sizeof err);
}

static void teardown(void)
{
	shard_plan_free(&pl);
	config_free(&pc);
	buf_free(&err);
	rm_rf(dir);
	free(dir);
}

/* Plan `stages` (a flow list) with one output, in `shards` shards. */
static int plan(const char *stages, unsigned shards, const char *const *sets, size_t n_sets)
{
	char *yaml = xasprintf(
		"input: {paths: [in.jsonl]}\nstages: %s\noutputs: [{type: output.jsonl, path: out/news.jsonl}]\n",
		stages);
	char *path = write_file(dir, "p.yaml", yaml);
	free(yaml);
	overrides ov = {0};
	ck_assert_msg(config_load(&pc, path, &ov, &err) == 0, "config: %s", err.p);
	free(path);
	shard_request rq = {shards, sets, n_sets, NULL, 0};
	return shard_plan_make(&pl, &pc, &rq, &err);
}

static const char *cmd(size_t phase) { return pl.phase[phase].command.p; }

#define ck_assert_has(text, part) \
	ck_assert_msg(strstr((text), (part)) != NULL, "\"%s\"\nlacks \"%s\"", (text), (part))
#define ck_assert_lacks(text, part) \
	ck_assert_msg(strstr((text), (part)) == NULL, "\"%s\"\nhas \"%s\"", (text), (part))

START_TEST(test_one_global_stage)
{
	ck_assert_int_eq(plan("[{type: filter.length, min_chars: 9}, {type: dedup.minhash}, {type: filter.length}]",
			      4, NULL, 0),
			 0);
	ck_assert_uint_eq(pl.n_phases, 3);
	ck_assert_str_eq(pl.phase[0].name, "phase1");
	ck_assert_str_eq(pl.phase[1].name, "merge");
	ck_assert_str_eq(pl.phase[2].name, "phase3");
	ck_assert_int_eq(pl.phase[1].kind, SHARD_MERGE);
	/* phase 1: its shard of the input, up to the global stage, which collects */
	ck_assert_has(cmd(0), "--shard \"$shard/$N\"");
	ck_assert_has(cmd(0), "'stages=[{type: filter.length, min_chars: 9}, {type: dedup.minhash}]'");
	ck_assert_has(cmd(0), "--global \"collect:stages.1:$shard/$N:$W/global/stages.1\"");
	ck_assert_has(cmd(0), "-o \"$W/stage1/shard-$s.jsonl\"");
	/* the merge: the stage by its place in the config */
	ck_assert_has(cmd(1), "merge \"$CONFIG\"");
	ck_assert_has(cmd(1), "--stage stages.1 --shards \"$N\" --dir \"$W/global/stages.1\"");
	/* phase 3: from the global stage, which applies, into the outputs */
	ck_assert_has(cmd(2), "-i \"$W/stage1/shard-$s.jsonl\"");
	ck_assert_has(cmd(2), "'stages=[{type: dedup.minhash}, {type: filter.length}]'");
	ck_assert_has(cmd(2), "--global \"apply:stages.0:$shard/$N:$W/global/stages.1\"");
	ck_assert_has(cmd(2), "outputs.0.path=$W/out/shard-$s/news.jsonl");
	ck_assert_lacks(cmd(2), "--shard");
	ck_assert_lacks(cmd(2), "collect:");
}
END_TEST

START_TEST(test_three_global_stages)
{
	const char *sets[] = {"stages.0.min_docs=2"};
	ck_assert_int_eq(
		plan("[{type: dedup.paragraph}, {type: filter.length}, {type: dedup.exact}, {type: dedup.minhash}]",
		     2, sets, 1),
		0);
	ck_assert_uint_eq(pl.n_phases, 7);
	static const char *const names[] = {"phase1", "merge2", "phase3", "merge4", "phase5", "merge6", "phase7"};
	for (size_t i = 0; i < 7; i++)
		ck_assert_str_eq(pl.phase[i].name, names[i]);
	/* the first stage is global: phase 1 runs it alone */
	ck_assert_has(cmd(0), "'stages=[{type: dedup.paragraph}]'");
	ck_assert_has(cmd(0), "collect:stages.0:");
	/* phase 3 applies the paragraphs' merge and collects for dedup.exact */
	ck_assert_has(cmd(2), "'stages=[{type: dedup.paragraph}, {type: filter.length}, {type: dedup.exact}]'");
	ck_assert_has(cmd(2), "apply:stages.0:$shard/$N:$W/global/stages.0");
	ck_assert_has(cmd(2), "collect:stages.2:$shard/$N:$W/global/stages.2");
	ck_assert_has(cmd(2), "-o \"$W/stage3/shard-$s.jsonl\"");
	ck_assert_has(cmd(4), "-i \"$W/stage3/shard-$s.jsonl\"");
	ck_assert_has(cmd(4), "collect:stages.1:$shard/$N:$W/global/stages.3");
	ck_assert_has(cmd(5), "--stage stages.3");
	ck_assert_has(cmd(6), "'stages=[{type: dedup.minhash}]'");
	ck_assert_has(cmd(6), "apply:stages.0:$shard/$N:$W/global/stages.3");
	/* the user's --set goes to every phase, merges included */
	for (size_t i = 0; i < 7; i++)
		ck_assert_has(cmd(i), "--set 'stages.0.min_docs=2'");
}
END_TEST

START_TEST(test_whole_list_needs_no_stages)
{
	ck_assert_int_eq(plan("[{type: dedup.exact}]", 2, NULL, 0), 0);
	ck_assert_lacks(cmd(0), "stages=");
	ck_assert_lacks(cmd(2), "stages=");
}
END_TEST

START_TEST(test_refusals)
{
	ck_assert_int_eq(plan("[{type: filter.length}]", 2, NULL, 0), -1);
	ck_assert_has(err.p, "has no stage with a global phase");
	shard_plan_free(&pl);
	config_free(&pc);
	buf_clear(&err);
	char *yaml = xstrdup("input: {paths: [in.jsonl]}\nstages: [{type: dedup.exact}]\n"
			     "outputs: [{type: output.jsonl, path: \"-\"}]\n");
	char *path = write_file(dir, "q.yaml", yaml);
	overrides ov = {0};
	ck_assert_int_eq(config_load(&pc, path, &ov, &err), 0);
	shard_request rq = {2, NULL, 0, NULL, 0};
	ck_assert_int_eq(shard_plan_make(&pl, &pc, &rq, &err), -1);
	ck_assert_has(err.p, "outputs.0 (output.jsonl) writes to standard output");
	free(yaml);
	free(path);
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("shard_plan");
	TCase *tc = tcase_create("plan");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_one_global_stage);
	tcase_add_test(tc, test_three_global_stages);
	tcase_add_test(tc, test_whole_list_needs_no_stages);
	tcase_add_test(tc, test_refusals);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	unsetenv("TEXTMILL_PLUGIN_PATH");
	use_build_plugins();
	return run_suite(plan_suite());
}
