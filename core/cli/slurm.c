/* slurm.c -- `textmill slurm`: run a pipeline in shards on a Slurm cluster,
 * with dedup.minhash deciding over the whole corpus (docs/distributed.md).
 *
 * Three phases, each a Slurm job array (or one job), chained by afterok:
 *   1. per shard: the stages up to dedup.minhash, which marks instead of
 *      dropping and writes the shard's signatures; every document that
 *      reached it goes to a stage-1 file;
 *   2. one job: textmill-dedup decide merges the signatures of all shards
 *      and writes, per shard, the list of duplicates (as one run would);
 *   3. per shard: filter.ids drops what the list names from the stage-1
 *      file, then the stages after dedup.minhash and the outputs run.
 * This command writes the job scripts into WORK/jobs (readable, runnable by
 * hand), submits what is not done yet, and with --wait follows the jobs.
 * The phases exchange files only; each task writes its files atomically
 * and then a done marker, so re-submitting resumes where a run stopped. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "pipeline.h"

extern char **environ;

#define SHARD_BITS 40                      /* shard k's order keys start at k << 40 */
#define SHARD_MARK "_textmill_shard_dedup" /* phase 1's own marks, removed in phase 3 */
#define MAX_SHARDS 100000                  /* five-digit shard names */

static const char usage_slurm[] =
	"usage: textmill slurm CONFIG --shards N [OPTIONS]\n"
	"       textmill slurm --resume WORK [--wait] [--dry-run]\n"
	"\n"
	"Runs CONFIG on a Slurm cluster in N shards, as three chained job arrays;\n"
	"its dedup.minhash stage decides over the whole corpus, so the outputs are\n"
	"those of one run over everything (see docs/distributed.md). Writes the job\n"
	"scripts to WORK/jobs, submits what is not done yet, and prints the job ids.\n"
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
	"      --merge-mem M     memory of the merge job (default: --mem); its sort\n"
	"                        buffer is half of it (else 512 MB)\n"
	"      --merge-tmp DIR   temporary files of the merge (default: WORK/tmp)\n"
	"      --sbatch ARG      another sbatch option for every job (repeatable),\n"
	"                        e.g. --sbatch=--qos=long\n"
	"      --max-array N     largest array (default: the cluster's MaxArraySize)\n"
	"  -s, --set KEY=VALUE   override a config value, as for run (repeatable)\n"
	"  -i, --input PATH      read PATH instead of the configured input (repeatable)\n"
	"  -j, --workers N       workers per run (default: --cpus)\n"
	"      --dry-run         write the job scripts (and submit.sh), submit nothing\n"
	"      --restart         forget what an earlier run in WORK finished\n"
	"      --resume WORK     the same command again, from WORK/jobs/command\n"
	"      --dedup-tool PATH the textmill-dedup program (default: beside textmill)\n"
	"  -q, --quiet           print only errors and the failure report\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 submitted (with --wait: all done); 1 a task failed or Slurm\n"
	"refused; 2 usage or config error.\n";

typedef struct sopts {
	const char *config, *work, *partition, *time, *account, *mem, *merge_mem, *merge_tmp, *dedup_tool,
		*resume;
	unsigned shards, cpus, max_array;
	int wait, dry_run, restart, quiet;
	const char **sbatch;
	size_t n_sbatch;
	overrides ov;
	char **saved;       /* --resume: the arguments read back */
	size_t n_saved;
} sopts;

/* ---- small helpers ------------------------------------------------------ */

static int say_quiet;

static void say(const char *fmt, ...) TM_PRINTF(1, 2);
static void say(const char *fmt, ...)
{
	if (say_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sh_quote(buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

static void yaml_dq(buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		if (*s == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* Characters a work-folder path may use: it goes unquoted into YAML values
 * and shell words of the job scripts. */
static int safe_path(const char *s)
{
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') ||
		      strchr("._/@+=~-", *s)))
			return 0;
	return 1;
}

static int mkdirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0777) && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0777) && errno != EEXIST ? -1 : 0;
	free(p);
	return rc;
}

static int write_file(const char *path, const char *text, mode_t mode)
{
	char *tmp = xasprintf("%s.tmp-%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int ok = f && fputs(text, f) >= 0;
	if (f)
		ok &= fclose(f) == 0;
	ok = ok && chmod(tmp, mode) == 0 && rename(tmp, path) == 0;
	if (!ok) {
		fprintf(stderr, "textmill slurm: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ok ? 0 : -1;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	if (!b.p)
		buf_puts(&b, "");
	return b.p;
}

static int is_executable(const char *p) { return access(p, X_OK) == 0; }

static char *find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	char *copy = xstrdup(path), *save = NULL, *found = NULL;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", *d ? d : ".", name);
		if (is_executable(p))
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

/* Run argv, its stdout into *out (if given) and its stderr into *err (if
 * given; else to ours). Returns the exit status, or -1 if it could not run. */
static int run_cmd(char *const argv[], buf *out, buf *err)
{
	int po[2] = {-1, -1}, pe[2] = {-1, -1};
	if (pipe(po) || pipe(pe))
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	if (err)
		posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	posix_spawn_file_actions_addclose(&fa, po[0]);
	posix_spawn_file_actions_addclose(&fa, pe[0]);
	posix_spawn_file_actions_addclose(&fa, po[1]);
	posix_spawn_file_actions_addclose(&fa, pe[1]);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	if (rc) {
		close(po[0]);
		close(pe[0]);
		errno = rc;
		return -1;
	}
	struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	int open_fds = 2;
	while (open_fds) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char chunk[4096];
			ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
			if (n > 0) {
				buf *to = i == 0 ? out : err;
				if (to)
					buf_put(to, chunk, (size_t)n);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			close(fds[i].fd);
			fds[i].fd = -1;
			open_fds--;
		}
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* A number after "KEY": in a JSON text (first match), or dflt. */
static double json_number(const char *json, const char *key, double dflt)
{
	if (!json)
		return dflt;
	char *pat = xasprintf("\"%s\":", key);
	const char *p = strstr(json, pat);
	free(pat);
	if (!p)
		return dflt;
	p = strchr(p, ':') + 1;
	char *end;
	double v = strtod(p, &end);
	return end == p ? dflt : v;
}

/* ---- the plan: what the config asks for ---------------------------------- */

typedef struct plan {
	pipeline_conf pc;
	int loaded;
	size_t k;             /* the dedup.minhash stage */
	char *self, *dedup, *config, *work, *name, *jobs;
	char key[17];
	unsigned workers;
	char **out_names;     /* per output: the file name in WORK/out/shard-NNNNN/ */
} plan;

static void flow_of(const tm_node *n, buf *out)
{
	buf tmp = {0};
	node_print_flow(n, &tmp);
	/* the text is parsed again, with ${VAR} expansion: keep a literal ${ */
	for (const char *p = tmp.p ? tmp.p : ""; *p; p++) {
		if (p[0] == '$' && p[1] == '{')
			buf_putc(out, '$');
		buf_putc(out, *p);
	}
	buf_free(&tmp);
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

static char *self_path(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = 0;
	return xstrdup(exe);
}

static int plan_make(plan *pl, const sopts *o)
{
	buf err = {0};
	if (config_load(&pl->pc, o->config, &o->ov, &err)) {
		fprintf(stderr, "textmill: %s\n", err.p ? err.p : "invalid config");
		buf_free(&err);
		return -1;
	}
	pl->loaded = 1;
	pipeline_conf *pc = &pl->pc;
	if (pc->input_stdin) {
		fprintf(stderr, "textmill slurm: the input is standard input, which cannot be cut into shards; give "
				"files (input: paths, or -i)\n");
		return -1;
	}
	size_t found = 0;
	for (size_t i = 0; i < pc->n_stages; i++)
		if (!strcmp(pc->stages[i].entry->type.name, "dedup.minhash"))
			pl->k = i, found++;
	if (found != 1) {
		fprintf(stderr, "textmill slurm: %s has %s dedup.minhash stage; a sharded run needs exactly one, "
				"which it makes global across the shards\n",
			o->config, found ? "more than one" : "no");
		return -1;
	}
	const stage_conf *mh = &pc->stages[pl->k];
	if (tm_opt_string(mh->opts, "index") || tm_opt_bool(mh->opts, "second_pass")) {
		fprintf(stderr, "textmill slurm: %s (dedup.minhash) uses %s, which a sharded run does not support: "
				"the shards cannot share one index; remove it for the sharded run\n",
			mh->label, tm_opt_string(mh->opts, "index") ? "index:" : "second_pass:");
		return -1;
	}
	for (size_t i = 0; i < pc->n_stages; i++) {
		const char *t = pc->stages[i].entry->type.name;
		if (i != pl->k && (!strncmp(t, "dedup.", 6) || !strcmp(t, "filter.ids")))
			say("textmill slurm: warning: %s (%s) keeps state across documents; in a sharded run it sees one "
			    "shard at a time, so it may decide differently from a single run (only dedup.minhash is "
			    "global)\n",
			    pc->stages[i].label, t);
	}
	pl->out_names = xcalloc(pc->n_outputs + 1, sizeof *pl->out_names);
	for (size_t i = 0; i < pc->n_outputs; i++) {
		const char *path = tm_opt_string(pc->outputs[i].opts, "path");
		if (!path || !strcmp(path, "-")) {
			fprintf(stderr, "textmill slurm: %s (%s) %s; a sharded run writes each shard's outputs to files in "
					"WORK/out\n",
				pc->outputs[i].label, pc->outputs[i].entry->type.name,
				path ? "writes to standard output" : "has no path option");
			return -1;
		}
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		buf nm = {0};
		for (const char *c = base; *c; c++)
			buf_putc(&nm, safe_path((char[]){*c, 0}) && *c != '/' ? *c : '_');
		for (size_t j = 0; j < i; j++)
			if (!strcmp(pl->out_names[j], nm.p)) {  /* the same name twice: number them */
				char *numbered = xasprintf("%zu-%s", i, nm.p);
				buf_free(&nm);
				buf_puts(&nm, numbered);
				free(numbered);
				break;
			}
		pl->out_names[i] = nm.p;
	}
	/* programs and paths */
	pl->self = self_path();
	if (!pl->self) {
		fprintf(stderr, "textmill slurm: cannot find the textmill program itself (/proc/self/exe)\n");
		return -1;
	}
	if (o->dedup_tool) {
		pl->dedup = realpath(o->dedup_tool, NULL);
	} else {
		char *dir = xstrdup(pl->self);
		*strrchr(dir, '/') = 0;
		char *beside = xasprintf("%s/textmill-dedup", dir);
		free(dir);
		if (is_executable(beside))
			pl->dedup = beside;
		else {
			free(beside);
			pl->dedup = find_in_path("textmill-dedup");
		}
	}
	if (!pl->dedup || !is_executable(pl->dedup)) {
		fprintf(stderr, "textmill slurm: cannot find textmill-dedup (the merge step) beside %s or on PATH; "
				"give it with --dedup-tool\n",
			pl->self);
		return -1;
	}
	pl->config = realpath(o->config, NULL);
	const char *base = strrchr(o->config, '/') ? strrchr(o->config, '/') + 1 : o->config;
	buf nm = {0};
	for (const char *c = base; *c && strcmp(c, ".yaml") && strcmp(c, ".yml"); c++)
		buf_putc(&nm, (('a' <= *c && *c <= 'z') || ('A' <= *c && *c <= 'Z') || ('0' <= *c && *c <= '9') ||
				*c == '-' || *c == '_')
				       ? *c
				       : '_');
	pl->name = nm.p ? nm.p : xstrdup("textmill");
	char *work = o->work ? xstrdup(o->work) : xasprintf("%s.slurm", pl->name);
	if (mkdirs(work)) {
		fprintf(stderr, "textmill slurm: cannot make the work folder %s: %s\n", work, strerror(errno));
		free(work);
		return -1;
	}
	pl->work = realpath(work, NULL);
	free(work);
	if (!pl->config || !pl->work) {
		fprintf(stderr, "textmill slurm: cannot resolve %s: %s\n", pl->config ? "the work folder" : o->config,
			strerror(errno));
		return -1;
	}
	if (!safe_path(pl->work)) {
		fprintf(stderr, "textmill slurm: the work folder %s has characters the job scripts cannot take "
				"unquoted; use a path of letters, digits and ._/@+=~-\n",
			pl->work);
		return -1;
	}
	pl->jobs = xasprintf("%s/jobs", pl->work);
	pl->workers = o->ov.workers ? o->ov.workers : o->cpus;
	/* the fingerprint of everything that decides the results */
	buf fp = {0};
	buf_printf(&fp, "textmill %s\nshards %u\nconfig %s\n", tm_version(), o->shards, pl->config);
	flow_of(pc->root, &fp);
	for (size_t i = 0; i < o->ov.n_inputs; i++)
		buf_printf(&fp, "\n-i %s", o->ov.inputs[i]);
	snprintf(pl->key, sizeof pl->key, "%016llx", (unsigned long long)fnv(0xcbf29ce484222325ULL, fp.p));
	buf_free(&fp);
	return 0;
}

static void plan_free(plan *pl)
{
	if (pl->loaded)
		config_free(&pl->pc);
	for (size_t i = 0; pl->out_names && pl->out_names[i]; i++)
		free(pl->out_names[i]);
	free(pl->out_names);
	free(pl->self);
	free(pl->dedup);
	free(pl->config);
	free(pl->work);
	free(pl->name);
	free(pl->jobs);
}

/* ---- the job scripts ------------------------------------------------------ */

static void sbatch_lines(buf *b, const sopts *o, const plan *pl, const char *job, const char *out, int merge)
{
	buf_printf(b, "#SBATCH --job-name=%s-%s\n", pl->name, job);
	buf_printf(b, "#SBATCH --output=%s/logs/slurm/%%x-%s.out\n", pl->work, out);
	buf_printf(b, "#SBATCH --cpus-per-task=%u\n", merge ? 1 : o->cpus);
	const char *mem = merge && o->merge_mem ? o->merge_mem : o->mem;
	if (mem)
		buf_printf(b, "#SBATCH --mem=%s\n", mem);
	if (o->partition)
		buf_printf(b, "#SBATCH --partition=%s\n", o->partition);
	if (o->time)
		buf_printf(b, "#SBATCH --time=%s\n", o->time);
	if (o->account)
		buf_printf(b, "#SBATCH --account=%s\n", o->account);
	for (size_t i = 0; i < o->n_sbatch; i++)
		buf_printf(b, "#SBATCH %s\n", o->sbatch[i]);
}

/* The user's --set and (phase 1 only) -i, as shell words. */
static void user_args(buf *b, const sopts *o, int with_inputs)
{
	for (size_t i = 0; i < o->ov.n_sets; i++) {
		buf_puts(b, " \\\n  --set ");
		sh_quote(b, o->ov.sets[i]);
	}
	for (size_t i = 0; with_inputs && i < o->ov.n_inputs; i++) {
		char *abs = o->ov.inputs[i][0] == '/' ? xstrdup(o->ov.inputs[i]) : realpath(o->ov.inputs[i], NULL);
		buf_puts(b, " \\\n  -i ");
		sh_quote(b, abs ? abs : o->ov.inputs[i]);
		free(abs);
	}
}

/* Merge memory in MB for the sort buffer: half of --merge-mem (or --mem). */
static unsigned merge_buffer_mb(const sopts *o)
{
	const char *m = o->merge_mem ? o->merge_mem : o->mem;
	if (!m)
		return 512;
	char *end;
	double v = strtod(m, &end);
	double mb = *end == 'K' || *end == 'k'   ? v / 1024
		    : *end == 'G' || *end == 'g' ? v * 1024
		    : *end == 'T' || *end == 't' ? v * 1024 * 1024
						 : v;
	mb /= 2;
	return mb < 16 ? 16 : mb > 1e6 ? 1000000 : (unsigned)mb;
}

static int write_scripts(const sopts *o, const plan *pl)
{
	const pipeline_conf *pc = &pl->pc;
	const stage_conf *mh = &pc->stages[pl->k];
	const char *W = pl->work;
	int rc = 0;
	time_t t = time(NULL);
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&t));

	/* settings.sh: shared by the three scripts */
	buf s = {0};
	buf_printf(&s, "# settings.sh -- sourced by every job script of this sharded run; written by\n"
		       "# `textmill slurm` on %s. See docs/distributed.md.\n",
		   when);
	buf_printf(&s, "W=%s\n", W);
	buf_puts(&s, "TEXTMILL=");
	sh_quote(&s, pl->self);
	buf_puts(&s, "\nDEDUP=");
	sh_quote(&s, pl->dedup);
	buf_puts(&s, "\nCONFIG=");
	sh_quote(&s, pl->config);
	buf_printf(&s, "\nN=%u              # shards\nWORKERS=%u        # threads per run\nKEY=%s  # the run's "
		       "fingerprint: config, overrides, shards\n",
		   o->shards, pl->workers, pl->key);
	buf_printf(&s, "MERGE_MEMORY=%u   # MB, the merge's sort buffer\n", merge_buffer_mb(o));
	buf_puts(&s, "MERGE_TMP=");
	if (o->merge_tmp)
		sh_quote(&s, o->merge_tmp);
	buf_puts(&s, "      # empty: $W/tmp, emptied before each merge\n");
	buf_puts(&s,
		 "\n"
		 "shard_number() {  # the shard: given by hand, or the array task plus TM_SHARD_BASE\n"
		 "  if [ -n \"${1:-}\" ]; then echo \"$1\"; return; fi\n"
		 "  [ -n \"${SLURM_ARRAY_TASK_ID:-}\" ] || { echo \"give the shard number (0 to $((N - 1)))\" >&2; exit 2; }\n"
		 "  echo $(( ${TM_SHARD_BASE:-0} + SLURM_ARRAY_TASK_ID ))\n"
		 "}\n"
		 "is_done() { local key; read -r key _ 2>/dev/null <\"$W/done/$1\" && [ \"$key\" = \"$KEY\" ]; }\n"
		 "begin() {  # begin NAME: log to logs/NAME.log, forget an earlier success\n"
		 "  exec >>\"$W/logs/$1.log\" 2>&1\n"
		 "  echo \"== $1: job ${SLURM_JOB_ID:-(by hand)} on $(hostname) at $(date '+%F %T')\"\n"
		 "  rm -f \"$W/done/$1\"\n"
		 "  START=$(date +%s.%N)\n"
		 "}\n"
		 "finish() {  # finish NAME STATUS: 0 (and 3: some documents rejected) is done\n"
		 "  case $2 in\n"
		 "    0|3) ;;\n"
		 "    *) echo \"== $1 failed with status $2\"; exit \"$2\" ;;\n"
		 "  esac\n"
		 "  printf '%s %s %s %s %s\\n' \"$KEY\" \"$START\" \"$(date +%s.%N)\" \"$(hostname)\" \"${SLURM_JOB_ID:-local}\" "
		 ">\"$W/done/.$1.tmp\"\n"
		 "  mv -f \"$W/done/.$1.tmp\" \"$W/done/$1\"\n"
		 "  echo \"== $1 done\"\n"
		 "}\n");
	char *p = xasprintf("%s/settings.sh", pl->jobs);
	rc |= write_file(p, s.p, 0644);
	free(p);
	buf_free(&s);

	/* phase1.sh */
	buf b = {0};
	buf_puts(&b, "#!/usr/bin/env bash\n");
	sbatch_lines(&b, o, pl, "phase1", "%A_%a", 0);
	buf_printf(&b,
		   "# Phase 1 of %u: the stages up to dedup.minhash (%s) over shard I of the\n"
		   "# input. The stage marks its shard-local duplicates instead of dropping them\n"
		   "# and writes the shard's signatures; every document that reached it goes to\n"
		   "# stage1/shard-I.jsonl, in order, for phase 3.\n"
		   "#   by hand: bash %s/phase1.sh I     (under Slurm: the array task + TM_SHARD_BASE)\n"
		   "set -euo pipefail\n"
		   ". %s/settings.sh\n"
		   "shard=$(shard_number \"${1:-}\")\n"
		   "s=$(printf %%05d \"$shard\")\n"
		   "begin \"phase1-$s\"\n"
		   "rc=0\n"
		   "\"$TEXTMILL\" run \"$CONFIG\"",
		   3, mh->label, pl->jobs, pl->jobs);
	user_args(&b, o, 1);
	buf_puts(&b, " \\\n  --shard \"$shard/$N\" -j \"$WORKERS\"");
	if (pl->k + 1 < pc->n_stages) {  /* the stages after dedup.minhash run in phase 3 */
		buf l = {0};
		buf_puts(&l, "stages=[");
		for (size_t i = 0; i <= pl->k; i++) {
			if (i)
				buf_puts(&l, ", ");
			flow_of(pc->stages[i].node, &l);
		}
		buf_puts(&l, "]");
		buf_puts(&b, " \\\n  --set ");
		sh_quote(&b, l.p);
		buf_free(&l);
	}
	buf_printf(&b,
		   " \\\n  --set stages.%zu.action=mark --set stages.%zu.mark_field=" SHARD_MARK
		   " \\\n  --set \"stages.%zu.signatures=$W/sig/shard-$s.sig\""
		   " \\\n  --set \"stages.%zu.order_offset=$(( shard << %d ))\""
		   " \\\n  --set \"rejects=$W/rejects/phase1-$s.jsonl\" --summary-json \"$W/stats/phase1-$s.json\""
		   " \\\n  -o \"$W/stage1/shard-$s.jsonl\" || rc=$?\n"
		   "finish \"phase1-$s\" \"$rc\"\n",
		   pl->k, pl->k, pl->k, pl->k, SHARD_BITS);
	p = xasprintf("%s/phase1.sh", pl->jobs);
	rc |= write_file(p, b.p, 0755);
	free(p);
	buf_free(&b);

	/* merge.sh */
	const char *keep = tm_opt_string(mh->opts, "keep");
	char threshold[40];
	double tv = tm_opt_float(mh->opts, "threshold");
	for (int prec = 6; prec <= 17; prec++) {  /* the shortest text that reads back the same */
		snprintf(threshold, sizeof threshold, "%.*g", prec, tv);
		if (strtod(threshold, NULL) == tv)
			break;
	}
	buf_puts(&b, "#!/usr/bin/env bash\n");
	sbatch_lines(&b, o, pl, "merge", "%j", 1);
	buf_printf(&b,
		   "# Phase 2: one job. textmill-dedup merges the signatures of all shards and\n"
		   "# decides, as %s would over the whole corpus, which documents are\n"
		   "# duplicates: lists/drop-I.tsv per shard (and drop.tsv, all of them).\n"
		   "#   by hand: bash %s/merge.sh\n"
		   "set -euo pipefail\n"
		   ". %s/settings.sh\n"
		   "begin merge\n"
		   "sigs=()\n"
		   "for ((i = 0; i < N; i++)); do\n"
		   "  s=$(printf %%05d \"$i\")\n"
		   "  is_done \"phase1-$s\" || { echo \"shard $i has not finished phase 1 (no $W/done/phase1-$s)\"; exit 1; }\n"
		   "  sigs+=(\"$W/sig/shard-$s.sig\")\n"
		   "done\n"
		   "rm -f \"$W\"/done/phase3-*   # a new list makes earlier phase-3 results stale\n"
		   "tmp=${MERGE_TMP:-$W/tmp}\n"
		   "[ -n \"$MERGE_TMP\" ] || rm -rf \"$tmp\"   # what a killed merge left\n"
		   "mkdir -p \"$tmp\"\n"
		   "rc=0\n"
		   "\"$DEDUP\" decide --threshold %s --bands %lld --rows %lld --verify %s --keep %s \\\n"
		   "  --offset-step $(( 1 << %d )) --memory \"$MERGE_MEMORY\" --tmp \"$tmp\" \\\n"
		   "  --out \"$W/drop.tsv\" --split \"$W/lists\" --stats \"$W/stats/merge.json\" \"${sigs[@]}\" || rc=$?\n"
		   "finish merge \"$rc\"\n",
		   mh->label, pl->jobs, pl->jobs, threshold, tm_opt_int(mh->opts, "bands"),
		   tm_opt_int(mh->opts, "rows"), tm_opt_bool(mh->opts, "verify") ? "yes" : "no", keep, SHARD_BITS);
	p = xasprintf("%s/merge.sh", pl->jobs);
	rc |= write_file(p, b.p, 0755);
	free(p);
	buf_free(&b);

	/* phase3.sh */
	const char *action = tm_opt_string(mh->opts, "action");
	const char *field = tm_opt_string(mh->opts, "mark_field");
	buf_puts(&b, "#!/usr/bin/env bash\n");
	sbatch_lines(&b, o, pl, "phase3", "%A_%a", 0);
	buf_printf(&b,
		   "# Phase 3: shard I's stage-1 file through filter.ids, which %s the\n"
		   "# duplicates the merge listed (by their line in the file), then the stages\n"
		   "# after dedup.minhash and the outputs, written to out/shard-I/.\n"
		   "#   by hand: bash %s/phase3.sh I\n"
		   "set -euo pipefail\n"
		   ". %s/settings.sh\n"
		   "shard=$(shard_number \"${1:-}\")\n"
		   "s=$(printf %%05d \"$shard\")\n"
		   "begin \"phase3-$s\"\n"
		   "is_done merge || { echo \"the merge has not finished (no $W/done/merge)\"; exit 1; }\n"
		   "stages=\"[{type: filter.ids, list: \\\"$W/lists/drop-$s.tsv\\\", match: line, action: %s, "
		   "mark_field: ",
		   !strcmp(action, "mark") ? "marks" : "drops", pl->jobs, pl->jobs, action);
	buf fy = {0}, fq = {0};
	yaml_dq(&fy, field);
	for (const char *c = fy.p; *c; c++) {  /* inside a "..." shell word */
		if (strchr("\"\\$`", *c))
			buf_putc(&fq, '\\');
		buf_putc(&fq, *c);
	}
	buf_free(&fy);
	buf q = {0};
	buf_printf(&q, "%s, remove_field: " SHARD_MARK "}", fq.p);
	if (!strcmp(action, "mark") && strcmp(keep, "first"))
		buf_printf(&q, ", {type: filter.ids, list: \\\"$W/lists/marks-$s.tsv\\\", match: line, action: mark, "
			       "mark_field: %s}",
			   fq.p);
	buf_puts(&b, q.p);
	buf_puts(&b, "\"\n");
	buf_free(&q);
	buf_free(&fq);
	for (size_t i = pl->k + 1; i < pc->n_stages; i++) {
		buf l = {0};
		buf_puts(&l, ", ");
		flow_of(pc->stages[i].node, &l);
		buf_printf(&b, "stages+=");
		sh_quote(&b, l.p);
		buf_printf(&b, "   # %s\n", pc->stages[i].label);
		buf_free(&l);
	}
	buf_puts(&b, "stages+=\"]\"\nrc=0\n\"$TEXTMILL\" run \"$CONFIG\"");
	user_args(&b, o, 0);
	buf_puts(&b, " \\\n  -i \"$W/stage1/shard-$s.jsonl\" -j \"$WORKERS\" --set \"stages=$stages\"");
	for (size_t i = 0; i < pc->n_outputs; i++)
		buf_printf(&b, " \\\n  --set \"outputs.%zu.path=$W/out/shard-$s/%s\"", i, pl->out_names[i]);
	buf_puts(&b, " \\\n  --set \"rejects=$W/rejects/phase3-$s.jsonl\" --summary-json \"$W/stats/phase3-$s.json\" "
		     "|| rc=$?\n"
		     "finish \"phase3-$s\" \"$rc\"\n");
	p = xasprintf("%s/phase3.sh", pl->jobs);
	rc |= write_file(p, b.p, 0755);
	free(p);
	buf_free(&b);

	/* run-local.sh: the same phases without Slurm */
	buf_printf(&b,
		   "#!/usr/bin/env bash\n"
		   "# Runs what is not done yet of this sharded run on this machine, without\n"
		   "# Slurm: phase 1 for each shard (PARALLEL=K runs K at a time), the merge,\n"
		   "# phase 3 for each shard. The same scripts Slurm runs; logs in $W/logs.\n"
		   "set -euo pipefail\n"
		   ". %s/settings.sh\n"
		   "J=%s\n"
		   "PARALLEL=${PARALLEL:-1}\n"
		   "phase() {  # phase 1|3: the shards not done, PARALLEL at a time\n"
		   "  local i k s todo=() batch pids failed=\n"
		   "  for ((i = 0; i < N; i++)); do is_done \"phase$1-$(printf %%05d \"$i\")\" || todo+=(\"$i\"); done\n"
		   "  for ((k = 0; k < ${#todo[@]}; k += PARALLEL)); do\n"
		   "    batch=(\"${todo[@]:k:PARALLEL}\") pids=()\n"
		   "    for i in \"${batch[@]}\"; do bash \"$J/phase$1.sh\" \"$i\" & pids+=($!); done\n"
		   "    for i in \"${!batch[@]}\"; do\n"
		   "      s=$(printf %%05d \"${batch[$i]}\")\n"
		   "      if wait \"${pids[$i]}\"; then echo \"phase $1, shard ${batch[$i]}: done\"\n"
		   "      else echo \"phase $1, shard ${batch[$i]} failed: see $W/logs/phase$1-$s.log\" >&2; failed=1; fi\n"
		   "    done\n"
		   "    [ -z \"$failed\" ] || exit 1\n"
		   "  done\n"
		   "}\n"
		   "phase 1\n"
		   "if ! is_done merge; then\n"
		   "  bash \"$J/merge.sh\" || { echo \"the merge failed: see $W/logs/merge.log\" >&2; exit 1; }\n"
		   "  echo \"merge: done\"\n"
		   "fi\n"
		   "phase 3\n",
		   pl->jobs, pl->jobs);
	p = xasprintf("%s/run-local.sh", pl->jobs);
	rc |= write_file(p, b.p, 0755);
	free(p);
	buf_free(&b);
	return rc;
}

/* ---- state in WORK --------------------------------------------------------- */

static int done_marker(const plan *pl, const char *name, double *start, double *end)
{
	char *p = xasprintf("%s/done/%s", pl->work, name);
	char *text = read_file(p);
	free(p);
	if (!text)
		return 0;
	char key[64];
	double s = 0, e = 0;
	int ok = sscanf(text, "%63s %lf %lf", key, &s, &e) == 3 && !strcmp(key, pl->key);
	free(text);
	if (ok && start)
		*start = s, *end = e;
	return ok;
}

static int shard_done(const plan *pl, int phase, unsigned shard)
{
	char name[32];
	snprintf(name, sizeof name, "phase%d-%05u", phase, shard);
	return done_marker(pl, name, NULL, NULL);
}

typedef struct job {
	int phase;            /* 1, 2 (merge), 3 */
	long id;
	unsigned base;
	unsigned *shards;     /* phases 1 and 3 */
	size_t n;
} job;

typedef struct jobs {
	job *j;
	size_t n;
} jobs;

static void jobs_free(jobs *js)
{
	for (size_t i = 0; i < js->n; i++)
		free(js->j[i].shards);
	free(js->j);
	memset(js, 0, sizeof *js);
}

/* "0-3,7,9-10" relative to base, into shard numbers. */
static int parse_spec(job *jb, const char *spec)
{
	const char *p = spec;
	while (*p) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;
		if (end == p)
			return -1;
		p = end;
		if (*p == '-') {
			b = strtoul(p + 1, &end, 10);
			if (end == p + 1 || b < a)
				return -1;
			p = end;
		}
		for (unsigned long x = a; x <= b; x++) {
			jb->shards = xrealloc(jb->shards, (jb->n + 1) * sizeof *jb->shards);
			jb->shards[jb->n++] = jb->base + (unsigned)x;
		}
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return 0;
}

/* Lines "phase1 ID BASE SPEC", "merge ID", "phase3 ID BASE SPEC". */
static void parse_jobs(const char *text, jobs *js)
{
	const char *line = text;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char *l = nl ? xstrndup(line, (size_t)(nl - line)) : xstrdup(line);
		line = nl ? nl + 1 : NULL;
		char what[16], spec[4096];
		long id;
		unsigned base;
		job jb = {0};
		if (sscanf(l, "%15s %ld %u %4095s", what, &id, &base, spec) == 4 &&
		    (!strcmp(what, "phase1") || !strcmp(what, "phase3"))) {
			jb.phase = what[5] - '0';
			jb.id = id;
			jb.base = base;
			if (parse_spec(&jb, spec)) {
				free(jb.shards);
				free(l);
				continue;
			}
		} else if (sscanf(l, "%15s %ld", what, &id) == 2 && !strcmp(what, "merge")) {
			jb.phase = 2;
			jb.id = id;
		} else {
			free(l);
			continue;
		}
		free(l);
		js->j = xrealloc(js->j, (js->n + 1) * sizeof *js->j);
		js->j[js->n++] = jb;
	}
}

/* Job ids of js still known to Slurm and not finished. */
static void active_ids(const jobs *js, buf *ids)
{
	if (!js->n)
		return;
	buf list = {0};
	for (size_t i = 0; i < js->n; i++)
		buf_printf(&list, "%s%ld", i ? "," : "", js->j[i].id);
	char *argv[] = {"squeue", "-h", "-j", list.p, "-o", "%F", NULL};
	buf out = {0}, err = {0};
	if (run_cmd(argv, &out, &err) == 0 && out.p) {
		char *save = NULL;
		for (char *t = strtok_r(out.p, "\n", &save); t; t = strtok_r(NULL, "\n", &save))
			if (!ids->p || !strstr(ids->p, t))
				buf_printf(ids, "%s%s", ids->len ? "," : "", t);
	}
	buf_free(&out);
	buf_free(&err);
	buf_free(&list);
}

/* ---- submitting -------------------------------------------------------------- */

static unsigned cluster_max_array(void)
{
	char *argv[] = {"scontrol", "show", "config", NULL};
	buf out = {0}, err = {0};
	unsigned v = 1001;
	if (run_cmd(argv, &out, &err) == 0 && out.p) {
		const char *p = strstr(out.p, "MaxArraySize");
		if (p && (p = strchr(p, '=')))
			v = (unsigned)strtoul(p + 1, NULL, 10);
	}
	buf_free(&out);
	buf_free(&err);
	return v ? v : 1001;
}

/* Append array submissions of shards[0..n) to the script, split so that
 * no array has more than max tasks or an index of max or more. */
static void submit_arrays(buf *b, int phase, const unsigned *shards, size_t n, unsigned max, const char *dep,
			  const char *jobsdir, buf *names)
{
	size_t i = 0, part = 0;
	while (i < n) {
		unsigned base = shards[i];
		size_t j = i;
		while (j < n && shards[j] - base < max && j - i < max)
			j++;
		buf spec = {0};
		for (size_t a = i; a < j;) {
			size_t z = a;
			while (z + 1 < j && shards[z + 1] == shards[z] + 1)
				z++;
			if (spec.len)
				buf_putc(&spec, ',');
			if (z == a)
				buf_printf(&spec, "%u", shards[a] - base);
			else
				buf_printf(&spec, "%u-%u", shards[a] - base, shards[z] - base);
			a = z + 1;
		}
		buf_printf(b, "p%d_%zu=$(sb --array=%s --export=ALL,TM_SHARD_BASE=%u%s%s %s/phase%d.sh)\n", phase, part,
			   spec.p ? spec.p : "", base, dep ? " --dependency=afterok:" : "", dep ? dep : "", jobsdir, phase);
		buf_printf(b, "echo \"phase%d $p%d_%zu %u %s\"\n", phase, phase, part, base, spec.p ? spec.p : "");
		buf_printf(names, "%s$p%d_%zu", names->len ? ":" : "", phase, part);
		buf_free(&spec);
		i = j;
		part++;
	}
}

/* ---- following the jobs ------------------------------------------------------ */

static volatile sig_atomic_t interrupted;
static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

typedef struct task {
	int phase;
	unsigned shard;
	long job;             /* array job (or the merge's id) */
	unsigned index;       /* array task index */
	char state[32];
	char reason[64];
	int final, reported, missing;
} task;

static int is_final(const char *st)
{
	static const char *const finals[] = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY",
					     "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "PREEMPTED", "SPECIAL_EXIT",
					     "REVOKED"};
	for (size_t i = 0; i < sizeof finals / sizeof *finals; i++)
		if (!strcmp(st, finals[i]))
			return 1;
	return 0;
}

static const char *phase_name(int phase) { return phase == 1 ? "phase 1" : phase == 2 ? "merge" : "phase 3"; }

static char *task_log(const plan *pl, const task *t)
{
	if (t->phase == 2)
		return xasprintf("%s/logs/merge.log", pl->work);
	return xasprintf("%s/logs/phase%d-%05u.log", pl->work, t->phase, t->shard);
}

static void print_tail(const char *path, int lines)
{
	char *text = read_file(path);
	if (!text)
		return;
	size_t n = strlen(text);
	while (n && text[n - 1] == '\n')
		n--;
	size_t start = n;
	for (int k = 0; k < lines && start > 0;) {
		start--;
		if (text[start] == '\n' && ++k == lines) {
			start++;
			break;
		}
	}
	fprintf(stderr, "  --- last lines of %s ---\n", path);
	fwrite(text + start, 1, n - start, stderr);
	fputs("\n", stderr);
	free(text);
}

static void report_failure(const plan *pl, const task *t)
{
	char *log = task_log(pl, t);
	buf what = {0};
	if (t->phase == 2)
		buf_printf(&what, "the merge (job %ld)", t->job);
	else
		buf_printf(&what, "%s, shard %u (job %ld_%u)", phase_name(t->phase), t->shard, t->job, t->index);
	char id[64];
	if (t->phase == 2)
		snprintf(id, sizeof id, "%ld", t->job);
	else
		snprintf(id, sizeof id, "%ld_%u", t->job, t->index);
	char *argv[] = {"scontrol", "show", "job", "-o", id, NULL};
	buf out = {0}, err = {0};
	char exitcode[32] = "";
	if (run_cmd(argv, &out, &err) == 0 && out.p) {
		const char *p = strstr(out.p, "ExitCode=");
		if (p)
			sscanf(p + 9, "%31s", exitcode);
	}
	fprintf(stderr, "textmill slurm: %s %s%s%s%s; log: %s\n", what.p, t->state, exitcode[0] ? " (exit code " : "",
		exitcode, exitcode[0] ? ")" : "", log);
	if (strcmp(t->reason, "None") && t->reason[0])
		fprintf(stderr, "  Slurm's reason: %s\n", t->reason);
	if (access(log, R_OK) == 0) {
		print_tail(log, 12);
	} else {
		char *sl = t->phase == 2 ? xasprintf("%s/logs/slurm/%s-merge-%ld.out", pl->work, pl->name, t->job)
					 : xasprintf("%s/logs/slurm/%s-phase%d-%ld_%u.out", pl->work, pl->name, t->phase,
						     t->job, t->index);
		fprintf(stderr, "  (the task wrote no log; Slurm's output: %s)\n", sl);
		print_tail(sl, 12);
		free(sl);
	}
	buf_free(&out);
	buf_free(&err);
	buf_free(&what);
	free(log);
}

static void scancel_all(const jobs *js)
{
	if (!js->n)
		return;
	char **argv = xcalloc(js->n + 2, sizeof *argv);
	argv[0] = "scancel";
	for (size_t i = 0; i < js->n; i++)
		argv[i + 1] = xasprintf("%ld", js->j[i].id);
	buf out = {0}, err = {0};
	run_cmd(argv, &out, &err);
	for (size_t i = 0; i < js->n; i++)
		free(argv[i + 1]);
	free(argv);
	buf_free(&out);
	buf_free(&err);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void summary(const plan *pl, unsigned n, double elapsed)
{
	double docs_in = 0, rejected = 0, written = 0, dropped3 = 0, rejected3 = 0;
	double wall_s[4] = {0}, tmin[4], tmed[4], tmax[4];
	int have[4] = {0};
	double *times = xcalloc(n + 1, sizeof *times);
	for (int phase = 1; phase <= 3; phase++) {
		double first = 0, last = 0;
		size_t k = 0;
		for (unsigned i = 0; i < (phase == 2 ? 1 : n); i++) {
			char name[32];
			if (phase == 2)
				snprintf(name, sizeof name, "merge");
			else
				snprintf(name, sizeof name, "phase%d-%05u", phase, i);
			double s, e;
			if (!done_marker(pl, name, &s, &e))
				continue;
			if (!k || s < first)
				first = s;
			if (!k || e > last)
				last = e;
			times[k++] = e - s;
		}
		if (!k)
			continue;
		qsort(times, k, sizeof *times, cmp_double);
		have[phase] = 1;
		wall_s[phase] = last - first;
		tmin[phase] = times[0], tmed[phase] = times[k / 2], tmax[phase] = times[k - 1];
	}
	free(times);
	for (unsigned i = 0; i < n; i++) {
		char *p = xasprintf("%s/stats/phase1-%05u.json", pl->work, i);
		char *j = read_file(p);
		free(p);
		docs_in += json_number(j, "read", 0);
		rejected += json_number(j, "rejected", 0);
		free(j);
		p = xasprintf("%s/stats/phase3-%05u.json", pl->work, i);
		j = read_file(p);
		free(p);
		written += json_number(j, "written", 0);
		dropped3 += json_number(j, "dropped", 0);
		rejected3 += json_number(j, "rejected", 0);
		free(j);
	}
	char *p = xasprintf("%s/stats/merge.json", pl->work);
	char *m = read_file(p);
	free(p);
	fprintf(stderr,
		"textmill slurm: done: %u shards, %.0f documents read, %.0f written, %.0f dropped in phase 3 (%.0f as "
		"near-duplicates), %.0f rejected%s%.1f s\n",
		n, docs_in, written, dropped3, json_number(m, "duplicates", 0), rejected + rejected3,
		elapsed > 0 ? "; followed for " : "", elapsed > 0 ? elapsed : 0);
	fprintf(stderr, "  phase          tasks   wall s   task s: min / median / max\n");
	for (int phase = 1; phase <= 3; phase++) {
		if (!have[phase])
			continue;
		fprintf(stderr, "  %-13s %6u %8.1f   %8.1f / %.1f / %.1f", phase == 1 ? "1 signatures" : phase == 2 ? "2 merge"
											      : "3 outputs",
			phase == 2 ? 1 : n, wall_s[phase], tmin[phase], tmed[phase], tmax[phase]);
		if (phase == 2 && m)
			fprintf(stderr, "   (%.0f signatures, peak memory %.0f MB)", json_number(m, "documents", 0),
				json_number(m, "peak_rss_kb", 0) / 1024);
		fputc('\n', stderr);
	}
	fprintf(stderr, "  outputs: %s/out/shard-NNNNN/", pl->work);
	for (size_t i = 0; i < pl->pc.n_outputs; i++)
		fprintf(stderr, "%s%s", i ? ", " : "", pl->out_names[i]);
	fprintf(stderr, " (in shard order, they are one run's output)\n");
	free(m);
}

/* Follow js until every task is done (0) or one fails (1). */
static int follow(const plan *pl, const sopts *o, const jobs *js)
{
	task *t = NULL;
	size_t nt = 0;
	for (size_t i = 0; i < js->n; i++) {
		const job *jb = &js->j[i];
		size_t m = jb->phase == 2 ? 1 : jb->n;
		t = xrealloc(t, (nt + m) * sizeof *t);
		for (size_t k = 0; k < m; k++) {
			task *x = &t[nt++];
			memset(x, 0, sizeof *x);
			x->phase = jb->phase;
			x->job = jb->id;
			x->shard = jb->phase == 2 ? 0 : jb->shards[k];
			x->index = jb->phase == 2 ? 0 : jb->shards[k] - jb->base;
			snprintf(x->state, sizeof x->state, "PENDING");
		}
	}
	buf ids = {0};
	for (size_t i = 0; i < js->n; i++)
		buf_printf(&ids, "%s%ld", i ? "," : "", js->j[i].id);
	struct sigaction sa = {0}, old_int, old_term;
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	double t0 = wall(), last_ok = t0;
	int status = -1;
	unsigned counts_prev[4][3];
	memset(counts_prev, 0xff, sizeof counts_prev);
	while (status < 0) {
		if (interrupted) {
			fprintf(stderr, "textmill slurm: stopped following; the jobs go on (follow them again with: textmill "
					"slurm --resume %s --wait)\n",
				pl->work);
			status = 130;
			break;
		}
		char *argv[] = {"squeue", "-h", "-r", "--states=all", "-j", ids.p, "-o", "%F|%K|%T|%r", NULL};
		buf out = {0}, err = {0};
		int rc = run_cmd(argv, &out, &err);
		if (rc != 0 && err.p && strstr(err.p, "Invalid job id"))
			rc = 0;  /* Slurm has forgotten every one of them: the done markers tell */
		if (rc != 0) {
			if (wall() - last_ok > 120) {
				fprintf(stderr, "textmill slurm: squeue has failed for two minutes: %s\n",
					err.p ? err.p : "no message");
				status = 1;
			}
			buf_free(&out);
			buf_free(&err);
			usleep(300000);
			continue;
		}
		last_ok = wall();
		for (size_t i = 0; i < nt; i++)
			t[i].missing++;
		char *save = NULL;
		for (char *line = out.p ? strtok_r(out.p, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
			char f1[32], f2[32], f3[32], f4[64];
			if (sscanf(line, "%31[^|]|%31[^|]|%31[^|]|%63[^\n]", f1, f2, f3, f4) < 3)
				continue;
			long jid = strtol(f1, NULL, 10);
			int arr = strcmp(f2, "N/A") != 0;
			unsigned idx = arr ? (unsigned)strtoul(f2, NULL, 10) : 0;
			for (size_t i = 0; i < nt; i++) {
				task *x = &t[i];
				if (x->job != jid || (arr && x->index != idx))
					continue;
				x->missing = 0;
				if (!x->final) {
					snprintf(x->state, sizeof x->state, "%s", f3);
					snprintf(x->reason, sizeof x->reason, "%s", f4);
					x->final = is_final(f3);
				}
			}
		}
		buf_free(&out);
		buf_free(&err);
		/* tasks Slurm no longer lists: their done markers say how they ended */
		for (size_t i = 0; i < nt; i++) {
			task *x = &t[i];
			if (x->final || x->missing < 10)
				continue;
			char name[32];
			if (x->phase == 2)
				snprintf(name, sizeof name, "merge");
			else
				snprintf(name, sizeof name, "phase%d-%05u", x->phase, x->shard);
			x->final = 1;
			snprintf(x->state, sizeof x->state, "%s", done_marker(pl, name, NULL, NULL) ? "COMPLETED" : "VANISHED");
		}
		/* report */
		for (size_t i = 0; i < nt && status < 0; i++) {
			task *x = &t[i];
			if (!x->final || x->reported)
				continue;
			x->reported = 1;
			if (strcmp(x->state, "COMPLETED")) {
				report_failure(pl, x);
				status = 1;
				break;
			}
			if (o->quiet)
				continue;
			double s = 0, e = 0;
			char name[32];
			if (x->phase == 2)
				snprintf(name, sizeof name, "merge");
			else
				snprintf(name, sizeof name, "phase%d-%05u", x->phase, x->shard);
			done_marker(pl, name, &s, &e);
			char *sp = xasprintf("%s/stats/%s.json", pl->work, x->phase == 2 ? "merge" : name);
			char *js_text = read_file(sp);
			free(sp);
			if (x->phase == 2)
				say("[%7.1fs] merge: done in %.1f s: %.0f signatures, %.0f duplicates, peak memory %.0f MB\n",
				    wall() - t0, e - s, json_number(js_text, "documents", 0), json_number(js_text, "duplicates", 0),
				    json_number(js_text, "peak_rss_kb", 0) / 1024);
			else
				say("[%7.1fs] %s, shard %u: done in %.1f s (%.0f documents read, %.0f written)\n", wall() - t0,
				    phase_name(x->phase), x->shard, e - s, json_number(js_text, "read", 0),
				    json_number(js_text, "written", 0));
			free(js_text);
		}
		if (status >= 0)
			break;
		/* counts per phase, printed when they change */
		unsigned counts[4][3] = {{0}};
		int all = 1;
		for (size_t i = 0; i < nt; i++) {
			task *x = &t[i];
			int c = x->final ? 2 : !strcmp(x->state, "RUNNING") || !strcmp(x->state, "COMPLETING") ? 1 : 0;
			counts[x->phase][c]++;
			all &= x->final;
		}
		for (int ph = 1; ph <= 3; ph++)
			if (memcmp(counts[ph], counts_prev[ph], sizeof counts[ph]) &&
			    counts[ph][0] + counts[ph][1] + counts[ph][2] && counts[ph][2] < counts[ph][0] + counts[ph][1] + counts[ph][2])
				say("[%7.1fs] %s: %u done, %u running, %u pending\n", wall() - t0, phase_name(ph), counts[ph][2],
				    counts[ph][1], counts[ph][0]);
		memcpy(counts_prev, counts, sizeof counts);
		if (all) {
			status = 0;
			break;
		}
		usleep(300000);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (status == 1) {
		scancel_all(js);
		fprintf(stderr, "textmill slurm: cancelled the run's other jobs. Fix the cause, then submit what is not "
				"done:\n  textmill slurm --resume %s --wait\n",
			pl->work);
	}
	if (status == 0) {
		/* every shard must have its phase-3 marker */
		for (unsigned i = 0; i < o->shards; i++)
			if (!shard_done(pl, 3, i)) {
				fprintf(stderr, "textmill slurm: the jobs ended, but shard %u has no done marker for phase 3 "
						"(see %s/logs/phase3-%05u.log)\n",
					i, pl->work, i);
				status = 1;
				break;
			}
		if (status == 0)
			summary(pl, o->shards, wall() - t0);
	}
	free(t);
	buf_free(&ids);
	return status == 130 ? 1 : status;
}

/* ---- the command ------------------------------------------------------------- */

static int parse_args(int argc, char **argv, sopts *o, int resumed)
{
	static const struct option longopts[] = {
		{"shards", required_argument, NULL, 'n'},  {"work", required_argument, NULL, 'w'},
		{"wait", no_argument, NULL, 'W'},          {"partition", required_argument, NULL, 'p'},
		{"time", required_argument, NULL, 't'},    {"account", required_argument, NULL, 'A'},
		{"cpus", required_argument, NULL, 'c'},    {"mem", required_argument, NULL, 'M'},
		{"merge-mem", required_argument, NULL, 'G'}, {"merge-tmp", required_argument, NULL, 'T'},
		{"sbatch", required_argument, NULL, 'B'},  {"max-array", required_argument, NULL, 'X'},
		{"set", required_argument, NULL, 's'},     {"input", required_argument, NULL, 'i'},
		{"workers", required_argument, NULL, 'j'}, {"dry-run", no_argument, NULL, 'D'},
		{"restart", no_argument, NULL, 'R'},       {"resume", required_argument, NULL, 'r'},
		{"dedup-tool", required_argument, NULL, 'd'}, {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
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
			if (*end || !*optarg || v < 1 || v > (c == 'n' ? MAX_SHARDS : c == 'X' ? 1000000 : 1024)) {
				fprintf(stderr, "textmill slurm: --%s expects a number from 1 to %d, not '%s'\n",
					c == 'n' ? "shards" : c == 'c' ? "cpus" : c == 'j' ? "workers" : "max-array",
					c == 'n' ? MAX_SHARDS : c == 'X' ? 1000000 : 1024, optarg);
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
			o->resume = optarg;
			break;
		case 'd': o->dedup_tool = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h':
			fputs(usage_slurm, stdout);
			exit(EXIT_DONE);
		default:
			fputs(usage_slurm, stderr);
			return -1;
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
static int load_resume(sopts *o, int argc, char **argv)
{
	char *p = xasprintf("%s/jobs/command", o->resume);
	char *text = read_file(p);
	if (!text) {
		fprintf(stderr, "textmill slurm: %s: no saved command (is %s the work folder of a textmill slurm run?)\n",
			p, o->resume);
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
	int wait = o->wait, dry = o->dry_run, quiet = o->quiet;
	free(text);
	sopts fresh = {0};
	fresh.cpus = 2;
	if (parse_args((int)n, args, &fresh, 1)) {
		for (size_t i = 1; i < saved; i++)
			free(args[i]);
		free(args);
		return -1;
	}
	fresh.wait = wait, fresh.dry_run = dry, fresh.quiet = quiet;
	fresh.saved = args;
	fresh.n_saved = saved;
	if (!fresh.work)
		fresh.work = o->resume;
	(void)argv;
	free(o->ov.sets);
	free(o->ov.inputs);
	free(o->sbatch);
	*o = fresh;
	return 0;
}

/* WORK/jobs/command: the options that make this run, one per line, with
 * absolute paths, for --resume from anywhere. */
static void save_command(const plan *pl, const sopts *o)
{
	buf b = {0};
	buf_printf(&b, "--shards\n%u\n--work\n%s\n--cpus\n%u\n", o->shards, pl->work, o->cpus);
	const char *const named[][2] = {{"--partition", o->partition}, {"--time", o->time},
					{"--account", o->account}, {"--mem", o->mem},
					{"--merge-mem", o->merge_mem}, {"--merge-tmp", o->merge_tmp}};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (named[i][1])
			buf_printf(&b, "%s\n%s\n", named[i][0], named[i][1]);
	if (o->max_array)
		buf_printf(&b, "--max-array\n%u\n", o->max_array);
	if (o->ov.workers)
		buf_printf(&b, "--workers\n%u\n", o->ov.workers);
	buf_printf(&b, "--dedup-tool\n%s\n", pl->dedup);
	for (size_t i = 0; i < o->n_sbatch; i++)
		buf_printf(&b, "--sbatch\n%s\n", o->sbatch[i]);
	for (size_t i = 0; i < o->ov.n_sets; i++)
		buf_printf(&b, "--set\n%s\n", o->ov.sets[i]);
	for (size_t i = 0; i < o->ov.n_inputs; i++) {
		char *abs = o->ov.inputs[i][0] == '/' ? xstrdup(o->ov.inputs[i]) : realpath(o->ov.inputs[i], NULL);
		buf_printf(&b, "--input\n%s\n", abs ? abs : o->ov.inputs[i]);
		free(abs);
	}
	buf_printf(&b, "%s\n", pl->config);
	char *p = xasprintf("%s/command", pl->jobs);
	write_file(p, b.p, 0644);
	free(p);
	buf_free(&b);
}

int cmd_slurm(int argc, char **argv)
{
	sopts o = {0};
	o.cpus = 2;
	plan pl = {0};
	int status = EXIT_USAGE;
	buf active = {0}, script = {0}, out = {0};
	jobs prev = {0}, now_jobs = {0};
	if (parse_args(argc, argv, &o, 0))
		goto done;
	if (o.resume && load_resume(&o, argc, argv))
		goto done;
	say_quiet = o.quiet;
	if (!o.config || !o.shards) {
		fprintf(stderr, "textmill slurm: %s\n%s", !o.config ? "missing CONFIG" : "missing --shards N", usage_slurm);
		goto done;
	}
	o.ov.shard_count = 0;
	if (plan_make(&pl, &o))
		goto done;
	/* the work folder */
	static const char *const dirs[] = {"jobs", "logs", "logs/slurm", "sig", "stage1", "lists", "out", "rejects",
					   "stats", "done"};
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char *d = xasprintf("%s/%s", pl.work, dirs[i]);
		int bad = mkdirs(d);
		if (bad)
			fprintf(stderr, "textmill slurm: cannot make %s: %s\n", d, strerror(errno));
		free(d);
		if (bad)
			goto done;
	}
	for (unsigned i = 0; i < o.shards; i++) {
		char *d = xasprintf("%s/out/shard-%05u", pl.work, i);
		mkdirs(d);
		free(d);
	}
	char *keyfile = xasprintf("%s/key", pl.jobs);
	char *oldkey = read_file(keyfile);
	if (oldkey && strncmp(oldkey, pl.key, 16) && !o.restart) {
		fprintf(stderr, "textmill slurm: %s holds a run of another config, input or shard count (fingerprint %.16s, "
				"now %s); use another --work, or --restart to discard what it finished\n",
			pl.work, oldkey, pl.key);
		free(oldkey);
		free(keyfile);
		goto done;
	}
	free(oldkey);
	/* jobs of an earlier submission that are still queued or running */
	char *subpath = xasprintf("%s/submitted", pl.jobs);
	char *subtext = read_file(subpath);
	if (subtext) {  /* the latest submission: after the last "# DATE" line */
		const char *last = subtext;
		for (const char *q = subtext; (q = strstr(q, "# ")); q += 2)
			if (q == subtext || q[-1] == '\n')
				last = q;
		parse_jobs(last, &prev);
		free(subtext);
	}
	char *sbatch_path = o.dry_run ? NULL : find_in_path("sbatch");
	int have_sbatch = sbatch_path != NULL;
	free(sbatch_path);
	if (have_sbatch)
		active_ids(&prev, &active);
	if (active.len) {
		if (o.wait && !o.restart) {
			say("textmill slurm: jobs %s of an earlier submission are still queued or running; following them\n",
			    active.p);
			if (write_scripts(&o, &pl)) {
				status = EXIT_FAILED;
			} else {
				status = follow(&pl, &o, &prev);  /* the latest submission's jobs */
			}
			free(subpath);
			free(keyfile);
			goto done;
		}
		fprintf(stderr, "textmill slurm: jobs %s of an earlier submission in %s are still queued or running; wait "
				"for them (add --wait to follow them) or scancel them first\n",
			active.p, pl.work);
		free(subpath);
		free(keyfile);
		status = EXIT_FAILED;
		goto done;
	}
	if (o.restart) {
		char *d = xasprintf("%s/done", pl.work);
		char *argv_rm[] = {"rm", "-rf", d, NULL};
		run_cmd(argv_rm, NULL, NULL);
		mkdirs(d);
		free(d);
		unlink(subpath);
		jobs_free(&prev);
	}
	write_file(keyfile, pl.key, 0644);
	free(keyfile);
	save_command(&pl, &o);
	if (write_scripts(&o, &pl)) {
		free(subpath);
		status = EXIT_FAILED;
		goto done;
	}
	/* what is not done */
	unsigned *p1 = xcalloc(o.shards, sizeof *p1), *p3 = xcalloc(o.shards, sizeof *p3);
	size_t n1 = 0, n3 = 0;
	for (unsigned i = 0; i < o.shards; i++)
		if (!shard_done(&pl, 1, i))
			p1[n1++] = i;
	int need_merge = n1 || !done_marker(&pl, "merge", NULL, NULL);
	for (unsigned i = 0; i < o.shards; i++)
		if (need_merge || !shard_done(&pl, 3, i))
			p3[n3++] = i;
	if (!n1 && !need_merge && !n3) {
		say("textmill slurm: everything in %s is done already (--restart runs it again)\n", pl.work);
		summary(&pl, o.shards, 0);
		status = EXIT_DONE;
		free(p1);
		free(p3);
		free(subpath);
		goto done;
	}
	unsigned max = o.max_array ? o.max_array : have_sbatch ? cluster_max_array() : 1001;
	time_t tnow = time(NULL);
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime(&tnow));
	buf_printf(&script,
		   "#!/usr/bin/env bash\n"
		   "# submit.sh -- what `textmill slurm` submitted on %s: phase 1 for %zu\n"
		   "# shard(s), %s, phase 3 for %zu shard(s); arrays of at most %u tasks\n"
		   "# (MaxArraySize), chained by afterok. Prints one line per job.\n"
		   "set -euo pipefail\n"
		   "sb() { local out; out=$(sbatch --parsable --export=ALL \"$@\") || exit 1; echo \"${out%%%%;*}\"; }\n",
		   when, n1, need_merge ? "the merge" : "no merge", n3, max);
	buf names1 = {0}, names3 = {0};
	submit_arrays(&script, 1, p1, n1, max, NULL, pl.jobs, &names1);
	if (need_merge) {
		buf_printf(&script, "merge=$(sb%s%s %s/merge.sh)\necho \"merge $merge\"\n",
			   names1.len ? " --dependency=afterok:" : "", names1.len ? names1.p : "", pl.jobs);
	}
	submit_arrays(&script, 3, p3, n3, max, need_merge ? "$merge" : NULL, pl.jobs, &names3);
	buf_free(&names1);
	buf_free(&names3);
	char *sp = xasprintf("%s/submit.sh", pl.jobs);
	int bad = write_file(sp, script.p, 0755);
	if (bad) {
		free(sp);
		free(p1);
		free(p3);
		free(subpath);
		status = EXIT_FAILED;
		goto done;
	}
	if (o.dry_run || !have_sbatch) {
		if (!o.dry_run)
			fprintf(stderr, "textmill slurm: sbatch not found: this is not a Slurm login node (or Slurm is not on "
					"PATH). The job scripts are in %s;\n  run them here with: bash %s/run-local.sh\n",
				pl.jobs, pl.jobs);
		else
			say("textmill slurm: wrote the job scripts to %s (submit.sh submits them; run-local.sh runs them "
			    "here)\n",
			    pl.jobs);
		status = o.dry_run ? EXIT_DONE : EXIT_FAILED;
		free(sp);
		free(p1);
		free(p3);
		free(subpath);
		goto done;
	}
	char *argv_sub[] = {"bash", sp, NULL};
	int rc = run_cmd(argv_sub, &out, NULL);
	free(sp);
	free(p1);
	free(p3);
	parse_jobs(out.p ? out.p : "", &now_jobs);
	if (out.p) {  /* remember them, for the next call */
		char *old = read_file(subpath);
		buf all = {0};
		if (old && !o.restart)
			buf_puts(&all, old);
		buf_printf(&all, "# %s\n%s", when, out.p);
		write_file(subpath, all.p, 0644);
		buf_free(&all);
		free(old);
	}
	free(subpath);
	if (rc != 0) {
		fprintf(stderr, "textmill slurm: submitting failed (sbatch said why, above); cancelling what was submitted\n");
		scancel_all(&now_jobs);
		status = EXIT_FAILED;
		goto done;
	}
	for (size_t i = 0; i < now_jobs.n; i++) {
		job *jb = &now_jobs.j[i];
		if (jb->phase == 2)
			say("textmill slurm: submitted the merge as job %ld\n", jb->id);
		else if (jb->n == 1)
			say("textmill slurm: submitted phase %d as array job %ld: shard %u\n", jb->phase, jb->id, jb->shards[0]);
		else
			say("textmill slurm: submitted phase %d as array job %ld: %zu shards, %u to %u\n", jb->phase, jb->id,
			    jb->n, jb->shards[0], jb->shards[jb->n - 1]);
	}
	say("textmill slurm: job scripts and logs in %s\n", pl.work);
	status = o.wait ? follow(&pl, &o, &now_jobs) : EXIT_DONE;
done:
	jobs_free(&prev);
	jobs_free(&now_jobs);
	buf_free(&active);
	buf_free(&script);
	buf_free(&out);
	plan_free(&pl);
	free(o.ov.sets);
	free(o.ov.inputs);
	free(o.sbatch);
	for (size_t i = 1; i < o.n_saved; i++)
		free(o.saved[i]);
	free(o.saved);
	return status;
}
