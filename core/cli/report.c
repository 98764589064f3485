/* report.c -- `textmill report`: one page for several runs, such as the
 * shards of a sharded run. It is a run of its own: the runs' JSON Lines
 * outputs stream through output.report, whose `summaries` option makes
 * the page add up the runs' summaries instead of showing this run's; so
 * the page is built by the same code as a run's (docs/outputs.md). */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "json.h"
#include "pipeline.h"
#include "results.h"

static const char usage_report[] =
	"usage: textmill report [-o PAGE.html] [--db PATH] [--summary PATH]... [--set KEY=VALUE]... [--quiet]\n"
	"                       OUTPUT...\n"
	"\n"
	"One report for several runs, such as the shards of a sharded run: the\n"
	"documents of the OUTPUTs (JSON Lines, as output.jsonl writes them; files,\n"
	"globs, directories), and the counts of every stage from the runs' summaries,\n"
	"added up. The page is the one a single run over the same documents makes.\n"
	"An OUTPUT that is the work folder of textmill slurm brings its shards'\n"
	"documents and summaries, each shard's phases put together as one run's.\n"
	"\n"
	"  -o, --output PATH     the page to write\n"
	"      --db PATH         one SQLite database of all the runs' documents and\n"
	"                        entities, as output.sqlite writes a run's (with -o or\n"
	"                        without)\n"
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

/* The pipeline: no stage, output.report into `page`, with the summaries;
 * and output.sqlite into `db`, if given. */
static void report_yaml(buf *y, const char *page, const char *db, const char *const *summaries, size_t n)
{
	buf_puts(y, "stages: []\noutputs:\n");
	if (page) {
		buf_puts(y, "  - type: output.report\n    path: ");
		json_put_string(y, page, strlen(page)); /* a JSON string is a YAML flow scalar */
		buf_puts(y, "\n    summaries: [");
		for (size_t i = 0; i < n; i++) {
			buf_puts(y, i ? ", " : "");
			json_put_string(y, summaries[i], strlen(summaries[i]));
		}
		buf_puts(y, "]\n");
	}
	if (db) {
		buf_puts(y, "  - type: output.sqlite\n    path: ");
		json_put_string(y, db, strlen(db));
		buf_puts(y, "\n");
	}
}

/* What the report reads besides its options: the documents' files and the
 * summaries' (a work folder's are written to a temporary folder). */
typedef struct sources {
	char **inputs, **summaries, **owned;
	size_t n_inputs, n_summaries, n_owned;
	char *tmp; /* the stitched summaries, removed at the end */
} sources;

static char *own(sources *src, char *s)
{
	src->owned = xrealloc(src->owned, (src->n_owned + 1) * sizeof *src->owned);
	return src->owned[src->n_owned++] = s;
}

static void add(char ***list, size_t *n, char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = s;
}

/* A sharded run's work folder: per shard, its documents and its summary. */
static int add_work(sources *src, const char *work)
{
	shard_results sr;
	buf err = {0};
	if (shard_results_read(&sr, work, &err)) {
		print_err("textmill report: %s\n", err.p);
		buf_free(&err);
		return -1;
	}
	if (!src->tmp) {
		const char *t = getenv("TMPDIR");
		src->tmp = xasprintf("%s/textmill-report-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(src->tmp)) {
			print_err("textmill report: cannot make a temporary folder %s: %s\n", src->tmp,
				  strerror(errno));
			free(src->tmp);
			src->tmp = NULL;
			shard_results_free(&sr);
			return -1;
		}
	}
	int status = 0;
	for (unsigned i = 0; i < sr.shards && !status; i++) {
		char *path = own(src, xasprintf("%s/run-%zu.json", src->tmp, src->n_summaries));
		FILE *f = fopen(path, "w");
		status = !f || fputs(sr.summaries[i], f) < 0;
		status |= f && fclose(f);
		if (status)
			print_err("textmill report: cannot write %s: %s\n", path, strerror(errno));
		add(&src->summaries, &src->n_summaries, path);
		add(&src->inputs, &src->n_inputs, own(src, xstrdup(sr.docs[i])));
	}
	shard_results_free(&sr);
	return status ? -1 : 0;
}

static void sources_free(sources *src)
{
	for (size_t i = 0; src->tmp && i < src->n_summaries; i++)
		if (!strncmp(src->summaries[i], src->tmp, strlen(src->tmp)))
			unlink(src->summaries[i]);
	if (src->tmp)
		rmdir(src->tmp);
	free(src->tmp);
	for (size_t i = 0; i < src->n_owned; i++)
		free(src->owned[i]);
	free(src->owned);
	free(src->inputs);
	free(src->summaries);
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"summary", required_argument, NULL, 'S'},
		{"db", required_argument, NULL, 'D'},
		{"set", required_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	overrides ov = {0};
	const char *page = NULL, *db = NULL;
	glob_t found = {0};
	sources src = {0};
	int c, status = EXIT_USAGE;
	buf yaml = {0}, err = {0};
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:s:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': page = optarg; break;
		case 'D': db = optarg; break;
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
	if ((!page && !db) || optind == argc) {
		print_err("textmill report: %s\n%s",
			  page || db ? "give the runs' OUTPUT files" : "-o PAGE.html or --db PATH is needed",
			  usage_report);
		goto out;
	}
	if (!page && ov.n_sets) {
		print_err("textmill report: --set sets options of the page: give -o PAGE.html\n");
		goto out;
	}
	for (size_t i = 0; i < found.gl_pathc; i++)
		add(&src.summaries, &src.n_summaries, found.gl_pathv[i]);
	for (int i = optind; i < argc; i++) {
		if (!shard_is_work(argv[i]))
			add(&src.inputs, &src.n_inputs, argv[i]);
		else if (add_work(&src, argv[i])) {
			status = EXIT_FAILED;
			goto out;
		}
	}
	ov.inputs = (const char **)src.inputs;
	ov.n_inputs = src.n_inputs;
	report_yaml(&yaml, page, db, (const char *const *)src.summaries, src.n_summaries);
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
		print_err("textmill report: wrote %s%s%s from %zu run summar%s\n", page ? page : "",
			  page && db ? " and " : "", db ? db : "", src.n_summaries,
			  src.n_summaries == 1 ? "y" : "ies");
out:
	for (size_t i = 0; i < ov.n_sets; i++)
		free((char *)ov.sets[i]);
	free(ov.sets);
	sources_free(&src);
	if (found.gl_pathc)
		globfree(&found);
	buf_free(&yaml);
	buf_free(&err);
	return status;
}
