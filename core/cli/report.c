/* report.c -- `textmill report`: one page for several runs, such as the
 * shards of a sharded run. It is a run of its own: the runs' JSON Lines
 * outputs stream through output.report, whose `summaries` option makes
 * the page add up the runs' summaries instead of showing this run's; so
 * the page is built by the same code as a run's (docs/outputs.md). */
#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "json.h"
#include "pipeline.h"

static const char usage_report[] =
	"usage: textmill report -o PAGE.html [--summary PATH]... [--set KEY=VALUE]... [--quiet] OUTPUT...\n"
	"\n"
	"One report for several runs, such as the shards of a sharded run: the\n"
	"documents of the OUTPUTs (JSON Lines, as output.jsonl writes them; files,\n"
	"globs, directories), and the counts of every stage from the runs' summaries,\n"
	"added up. The page is the one a single run over the same documents makes.\n"
	"\n"
	"  -o, --output PATH     the page to write\n"
	"      --summary PATH    a run's --summary-json (repeatable, or a quoted glob such\n"
	"                        as 'WORK/stats/phase3-*.json'; all of one pipeline)\n"
	"  -s, --set KEY=VALUE   an option of output.report: title, top, clusters,\n"
	"                        timeline_from, dedup_fields\n"
	"  -q, --quiet           print only errors\n";

/* The files `pattern` names (a glob, so that the summaries of many shards
 * fit on a command line), in order, after those found before: 0, or -1
 * when it names none. */
static int add_summaries(glob_t *found, const char *pattern)
{
	int rc = glob(pattern, GLOB_NOCHECK | (found->gl_pathc ? GLOB_APPEND : 0), NULL, found);
	if (rc) {
		print_err("textmill report: --summary %s: %s\n", pattern,
			  rc == GLOB_NOSPACE ? "out of memory" : "cannot be read");
		return -1;
	}
	return 0;
}

/* The pipeline: no stage, output.report into `page`, with the summaries. */
static void report_yaml(buf *y, const char *page, const char *const *summaries, size_t n)
{
	buf_puts(y, "stages: []\noutputs:\n  - type: output.report\n    path: ");
	json_put_string(y, page, strlen(page)); /* a JSON string is a YAML flow scalar */
	buf_puts(y, "\n    summaries: [");
	for (size_t i = 0; i < n; i++) {
		buf_puts(y, i ? ", " : "");
		json_put_string(y, summaries[i], strlen(summaries[i]));
	}
	buf_puts(y, "]\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'}, {"summary", required_argument, NULL, 'S'},
		{"set", required_argument, NULL, 's'},    {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	overrides ov = {0};
	const char *page = NULL;
	glob_t found = {0};
	int c, status = EXIT_USAGE;
	buf yaml = {0}, err = {0};
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:s:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': page = optarg; break;
		case 'S':
			if (add_summaries(&found, optarg))
				goto out;
			break;
		case 's': /* an option of the report: outputs.0.KEY */
			ov.sets = xrealloc(ov.sets, (ov.n_sets + 1) * sizeof *ov.sets);
			ov.sets[ov.n_sets++] = xasprintf("outputs.0.%s", optarg);
			break;
		case 'q': ov.quiet = 1; break;
		case 'h':
			fputs(usage_report, stdout);
			status = EXIT_DONE;
			goto out;
		default: fputs(usage_report, stderr); goto out;
		}
	}
	if (!page || optind == argc) {
		print_err("textmill report: %s\n%s", page ? "give the runs' OUTPUT files" : "-o PAGE.html is needed",
			  usage_report);
		goto out;
	}
	ov.inputs = (const char **)argv + optind;
	ov.n_inputs = (size_t)(argc - optind);
	size_t n_summaries = found.gl_pathc;
	report_yaml(&yaml, page, (const char *const *)found.gl_pathv, n_summaries);
	pipeline_conf pc;
	if (config_load_text(&pc, yaml.p, yaml.len, "textmill report", ".", &ov, &err)) {
		print_err("textmill report: %s\n", err.p ? err.p : "invalid options");
		config_free(&pc);
		goto out;
	}
	/* This run's own table would count the outputs read, not the runs. */
	run_options ro = {.quiet = 1};
	status = pipeline_run(&pc, &ro);
	config_free(&pc);
	if (status == EXIT_DONE && !ov.quiet)
		print_err("textmill report: wrote %s from %zu run summar%s\n", page, n_summaries,
			  n_summaries == 1 ? "y" : "ies");
out:
	for (size_t i = 0; i < ov.n_sets; i++)
		free((char *)ov.sets[i]);
	free(ov.sets);
	if (found.gl_pathc)
		globfree(&found);
	buf_free(&yaml);
	buf_free(&err);
	return status;
}
