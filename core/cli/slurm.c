/* slurm.c -- `textmill slurm`: its command line. Running a pipeline in
 * shards on a Slurm cluster is core/shard's job (plan.c: the phases; jobs.c:
 * the job scripts; slurm.c: submitting and following them). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "proc.h"
#include "pipeline.h"
#include "plan.h"
#include "slurm.h"

static const char usage_slurm[] =
	"usage: textmill slurm CONFIG --shards N [OPTIONS]\n"
	"       textmill slurm --resume WORK [--wait] [--dry-run]\n"
	"\n"
	"Runs CONFIG on a Slurm cluster in N shards, as chained job arrays; its\n"
	"stages with a global phase (the dedup stages) decide over the whole corpus,\n"
	"so the outputs are those of one run over everything (see docs/distributed.md).\n"
	"Writes the job scripts to WORK/jobs, submits what is not done yet, and prints\n"
	"the job ids.\n"
	"Run again (or --resume WORK) after a failure: only what is missing runs.\n"
	"\n"
	"  -n, --shards N        shards: tasks of phases 1 and 3 (1 to 100000)\n"
	"  -w, --work DIR        work folder, on a filesystem every node sees\n"
	"                        (default: ./NAME.slurm for CONFIG NAME.yaml)\n"
	"      --wait            follow the jobs: per-shard progress, a summary at the\n"
	"                        end; on the first failed task, cancel the rest and\n"
	"                        exit 1 naming the shard and its log\n"
	"  -p, --partition P     sbatch --partition\n"
	"  -t, --time T          sbatch --time for each task, e.g. 2:00:00\n"
	"  -A, --account A       sbatch --account\n"
	"  -c, --cpus C          CPUs per task and workers per run (default 2)\n"
	"      --mem M           memory per task, e.g. 4G (default: the cluster's)\n"
	"      --merge-mem M     memory of a merge job (default: --mem); the merge\n"
	"                        keeps within half of it (else 512 MB)\n"
	"      --merge-tmp DIR   temporary files of a merge (default: WORK/tmp)\n"
	"      --sbatch ARG      another sbatch option for every job (repeatable),\n"
	"                        e.g. --sbatch=--qos=long\n"
	"      --max-array N     largest array (default: the cluster's MaxArraySize)\n"
	"  -s, --set KEY=VALUE   override a config value, as for run (repeatable)\n"
	"  -i, --input PATH      read PATH instead of the configured input (repeatable)\n"
	"  -j, --workers N       workers per run (default: --cpus)\n"
	"      --dry-run         write the job scripts (and submit.sh), submit nothing\n"
	"      --restart         forget what an earlier run in WORK finished\n"
	"      --resume WORK     the same command again, from WORK/jobs/command\n"
	"      --dedup-tool PATH accepted for old saved commands; the merge is textmill's own\n"
	"  -q, --quiet           print only errors and the failure report\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 submitted (with --wait: all done); 1 a task failed or Slurm\n"
	"refused; 2 usage or config error.\n";

typedef struct sopts {
	const char *config, *work, *partition, *time, *account, *mem, *merge_mem, *merge_tmp, *dedup_tool, *resume;
	unsigned shards, cpus, max_array;
	int wait, dry_run, restart, quiet;
	const char **sbatch;
	size_t n_sbatch;
	overrides ov;
	char **saved; /* --resume: the arguments read back */
	size_t n_saved;
} sopts;

/* The options, and for --resume the saved ones read back. */
typedef struct cli_opts {
	slurm_opts s;
	const char *resume;
	char **saved;
	size_t n_saved;
} cli_opts;

static int parse_args(int argc, char **argv, cli_opts *c_o, int resumed)
{
	static const struct option longopts[] = {
		{"shards", required_argument, NULL, 'n'},
		{"work", required_argument, NULL, 'w'},
		{"wait", no_argument, NULL, 'W'},
		{"partition", required_argument, NULL, 'p'},
		{"time", required_argument, NULL, 't'},
		{"account", required_argument, NULL, 'A'},
		{"cpus", required_argument, NULL, 'c'},
		{"mem", required_argument, NULL, 'M'},
		{"merge-mem", required_argument, NULL, 'G'},
		{"merge-tmp", required_argument, NULL, 'T'},
		{"sbatch", required_argument, NULL, 'B'},
		{"max-array", required_argument, NULL, 'X'},
		{"set", required_argument, NULL, 's'},
		{"input", required_argument, NULL, 'i'},
		{"workers", required_argument, NULL, 'j'},
		{"dry-run", no_argument, NULL, 'D'},
		{"restart", no_argument, NULL, 'R'},
		{"resume", required_argument, NULL, 'r'},
		{"dedup-tool", required_argument, NULL, 'd'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	slurm_opts *o = &c_o->s;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:w:p:t:A:c:s:i:j:qh", longopts, NULL)) != -1) {
		char *end;
		unsigned long v;
		switch (c) {
		case 'n':
		case 'c':
		case 'j':
		case 'X':
			v = strtoul(optarg, &end, 10);
			if (*end || !*optarg || v < 1 || v > (c == 'n' ? SHARD_MAX : c == 'X' ? 1000000 : 1024)) {
				fprintf(stderr, "textmill slurm: --%s expects a number from 1 to %d, not '%s'\n",
					c == 'n'   ? "shards"
					: c == 'c' ? "cpus"
					: c == 'j' ? "workers"
						   : "max-array",
					c == 'n'   ? SHARD_MAX
					: c == 'X' ? 1000000
						   : 1024,
					optarg);
				return -1;
			}
			if (c == 'n')
				o->shards = (unsigned)v;
			else if (c == 'c')
				o->cpus = (unsigned)v;
			else if (c == 'j')
				o->ov.workers = (unsigned)v;
			else
				o->max_array = (unsigned)v;
			break;
		case 'w': o->work = optarg; break;
		case 'W': o->wait = 1; break;
		case 'p': o->partition = optarg; break;
		case 't': o->time = optarg; break;
		case 'A': o->account = optarg; break;
		case 'M': o->mem = optarg; break;
		case 'G': o->merge_mem = optarg; break;
		case 'T': o->merge_tmp = optarg; break;
		case 'B':
			o->sbatch = xrealloc(o->sbatch, (o->n_sbatch + 1) * sizeof *o->sbatch);
			o->sbatch[o->n_sbatch++] = optarg;
			break;
		case 's':
			o->ov.sets = xrealloc(o->ov.sets, (o->ov.n_sets + 1) * sizeof *o->ov.sets);
			o->ov.sets[o->ov.n_sets++] = optarg;
			break;
		case 'i':
			o->ov.inputs = xrealloc(o->ov.inputs, (o->ov.n_inputs + 1) * sizeof *o->ov.inputs);
			o->ov.inputs[o->ov.n_inputs++] = optarg;
			break;
		case 'D': o->dry_run = 1; break;
		case 'R': o->restart = 1; break;
		case 'r':
			if (resumed) {
				fprintf(stderr, "textmill slurm: a saved command cannot itself --resume\n");
				return -1;
			}
			c_o->resume = optarg;
			break;
		case 'd': break; /* the merge no longer runs textmill-dedup */
		case 'q': o->quiet = 1; break;
		case 'h': fputs(usage_slurm, stdout); exit(EXIT_DONE);
		default: fputs(usage_slurm, stderr); return -1;
		}
	}
	if (optind < argc) {
		if (o->config || optind != argc - 1) {
			fprintf(stderr, "textmill slurm: too many arguments\n%s", usage_slurm);
			return -1;
		}
		o->config = argv[optind];
	}
	return 0;
}

/* --resume WORK: the saved arguments, then the ones given now. */
static int load_resume(cli_opts *o, int argc, char **argv)
{
	char *p = xasprintf("%s/jobs/command", o->resume);
	char *text = proc_read_file(p);
	if (!text) {
		fprintf(stderr,
			"textmill slurm: %s: no saved command (is %s the work folder of a textmill slurm run?)\n", p,
			o->resume);
		free(p);
		return -1;
	}
	free(p);
	char **args = xcalloc((size_t)argc + 2, sizeof *args);
	size_t n = 0;
	args[n++] = "slurm";
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		args = xrealloc(args, (n + (size_t)argc + 2) * sizeof *args);
		args[n++] = xstrdup(l);
	}
	size_t saved = n;
	/* what may be given with --resume */
	int wait = o->s.wait, dry = o->s.dry_run, quiet = o->s.quiet;
	free(text);
	cli_opts fresh = {0};
	fresh.s.cpus = 2;
	if (parse_args((int)n, args, &fresh, 1)) {
		for (size_t i = 1; i < saved; i++)
			free(args[i]);
		free(args);
		return -1;
	}
	fresh.s.wait = wait, fresh.s.dry_run = dry, fresh.s.quiet = quiet;
	fresh.saved = args;
	fresh.n_saved = saved;
	if (!fresh.s.work)
		fresh.s.work = o->resume;
	(void)argv;
	free(o->s.ov.sets);
	free(o->s.ov.inputs);
	free(o->s.sbatch);
	*o = fresh;
	return 0;
}

int cmd_slurm(int argc, char **argv)
{
	cli_opts o = {0};
	o.s.cpus = 2;
	int status = EXIT_USAGE;
	if (parse_args(argc, argv, &o, 0))
		goto done;
	if (o.resume && load_resume(&o, argc, argv))
		goto done;
	if (!o.s.config || !o.s.shards) {
		fprintf(stderr, "textmill slurm: %s\n%s", !o.s.config ? "missing CONFIG" : "missing --shards N",
			usage_slurm);
		goto done;
	}
	o.s.ov.shard_count = 0;
	status = slurm_run(&o.s);
done:
	free(o.s.ov.sets);
	free(o.s.ov.inputs);
	free(o.s.sbatch);
	for (size_t i = 1; i < o.n_saved; i++)
		free(o.saved[i]);
	free(o.saved);
	return status;
}
