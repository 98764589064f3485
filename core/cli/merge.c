/* merge.c -- `textmill merge`: phase 2 of a sharded run. It loads the
 * config as the shards did and calls the merge() of one stage with a global
 * phase over the files all the shards collected (docs/distributed.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "global.h"
#include "pipeline.h"

static const char usage_merge[] =
	"usage: textmill merge CONFIG --stage STAGE --shards N --dir DIR [--set KEY=VALUE]...\n"
	"                      [--memory MB] [--summary-json PATH] [--quiet]\n"
	"\n"
	"Phase 2 of a sharded run (textmill slurm writes this command into its job\n"
	"scripts): the merge of STAGE (e.g. stages.1, a stage with a global phase) over\n"
	"the files its N shards collected in DIR. It writes each shard's decisions to\n"
	"DIR, for phase 3.\n"
	"\n"
	"  -s, --set KEY=VALUE   override a config value, as for run (repeatable)\n"
	"      --memory MB       the memory the merge should keep within (default: its own)\n"
	"      --summary-json PATH  the stage's counts, time and peak memory as JSON\n"
	"  -q, --quiet           print only errors\n";

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"stage", required_argument, NULL, 'k'},
		{"shards", required_argument, NULL, 'n'},
		{"dir", required_argument, NULL, 'd'},
		{"set", required_argument, NULL, 's'},
		{"summary-json", required_argument, NULL, 'S'},
		{"quiet", no_argument, NULL, 'q'},
		{"memory", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	overrides ov = {0};
	const char *stage = NULL, *dir = NULL, *summary = NULL;
	unsigned long shards = 0, memory = 0;
	int c, status = EXIT_USAGE;
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:qh", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'k': stage = optarg; break;
		case 'd': dir = optarg; break;
		case 'S': summary = optarg; break;
		case 'q': ov.quiet = 1; break;
		case 'n':
			shards = strtoul(optarg, &end, 10);
			if (*end || !*optarg || shards < 1 || shards > 1000000) {
				print_err("textmill merge: --shards expects a number from 1 to 1000000, not '%s'\n",
					  optarg);
				goto out;
			}
			break;
		case 'm':
			memory = strtoul(optarg, &end, 10);
			if (*end || !*optarg || memory < 1 || memory > (1ul << 24)) {
				print_err("textmill merge: --memory expects megabytes (1 or more), not '%s'\n",
					  optarg);
				goto out;
			}
			break;
		case 's':
			ov.sets = xrealloc(ov.sets, (ov.n_sets + 1) * sizeof *ov.sets);
			ov.sets[ov.n_sets++] = optarg;
			break;
		case 'h':
			fputs(usage_merge, stdout);
			status = EXIT_DONE;
			goto out;
		default: fputs(usage_merge, stderr); goto out;
		}
	}
	if (optind != argc - 1 || !stage || !dir || !shards) {
		print_err("textmill merge: %s\n%s",
			  optind != argc - 1 ? "give one CONFIG" : "--stage, --shards and --dir are needed",
			  usage_merge);
		goto out;
	}
	ov.stages_only = 1; /* the merge reads no input and writes no output */
	pipeline_conf pc;
	buf err = {0};
	if (config_load(&pc, argv[optind], &ov, &err)) {
		print_err("textmill: %s\n", err.p ? err.p : "invalid config");
		buf_free(&err);
		config_free(&pc);
		goto out;
	}
	status = global_merge(&pc, stage, (unsigned)shards, dir, (size_t)memory << 20, summary, ov.quiet);
	config_free(&pc);
out:
	free(ov.sets);
	return status;
}
